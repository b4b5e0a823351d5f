"""Cohort matching: one host department per applicant, stable under capacities.

Applicant-proposing deferred acceptance (Gale-Shapley with capacities). Every applicant proposes
to the departments in their order of preference; a department holds the best proposals up to its
seats and releases the worst one when a better applicant arrives.

A department ranks applicants by its own score for them (``department_scores[(dept, applicant)]``)
when one is given, otherwise by the applicant's score (the mean of the coordinators' reviews);
higher is better, and equal scores go to the earlier application (`submitted_at`, any comparable
value such as a datetime; an application without one comes after those with one), then to the
smaller applicant id (ids must be comparable with each other: all ints or all strings). The
rankings are strict, so the result is the unique
applicant-optimal stable matching: no applicant and department would both rather be together than
with what they have (no blocking pair), and every applicant gets the best department they can have
in any stable matching. It does not depend on the order of the input.

Speed: each department keeps its held applicants in a min-heap of integer priorities (precomputed
once), so a proposal costs O(log seats); with at most one proposal per (applicant, preference) the
whole run is O(P log C) for P preferences in total.

Pure: plain dataclasses in and out, no database.
"""

from __future__ import annotations

import gc
import heapq
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from placements.allocation.planner.explain import gettext, gettext_noop, join_words, name_of, score_phrase, seats_count

ApplicantId = Hashable
DeptId = Hashable


@dataclass(frozen=True)
class CohortApplicant:
    id: ApplicantId
    preferences: Sequence[DeptId]  # most preferred first
    score: float = 0.0  # mean coordinator review score; higher is better
    submitted_at: Any = None  # when the application was submitted: the earlier wins equal scores


@dataclass(frozen=True)
class Tie:
    """A seat decided between equal scores: `department` holds `kept`, who was submitted earlier than
    `turned_away` (who wanted that department more than what they got)."""

    department: DeptId
    kept: ApplicantId
    turned_away: ApplicantId


@dataclass
class CohortResult:
    assignment: dict[ApplicantId, DeptId | None]
    unplaced_reasons: dict[ApplicantId, str]
    seats_used: dict[DeptId, int] = field(default_factory=dict)
    proposals: int = 0
    ties: list[Tie] = field(default_factory=list)  # seats that went to the earlier of equal scores

    @property
    def placed_count(self) -> int:
        return sum(1 for dept in self.assignment.values() if dept is not None)

    @property
    def unplaced(self) -> list[ApplicantId]:
        return [a for a, dept in self.assignment.items() if dept is None]


def _deduplicated(preferences: Sequence[DeptId]) -> list[DeptId]:
    return list(dict.fromkeys(preferences))


def _tie_key(applicant: CohortApplicant) -> tuple:
    """The order of equal scores: earlier submission first (those without a time last), then smaller id."""
    submitted = applicant.submitted_at
    return (submitted is None, 0 if submitted is None else submitted, applicant.id)


def _tie_ranks(applicants: Sequence[CohortApplicant]) -> list[int]:
    """Position of each applicant in the order that breaks ties between equal scores (0 wins)."""
    order = sorted(range(len(applicants)), key=lambda i: _tie_key(applicants[i]))
    ranks = [0] * len(applicants)
    for position, i in enumerate(order):
        ranks[i] = position
    return ranks


def match_cohort(
    applicants: Sequence[CohortApplicant],
    capacities: Mapping[DeptId, int],
    *,
    department_scores: Mapping[tuple[DeptId, ApplicantId], float] | None = None,
    names: Mapping[DeptId, str] | None = None,
) -> CohortResult:
    """Stable, applicant-optimal assignment of applicants to departments within their seats.

    `capacities` gives the seats per department; a department missing from it takes no one.
    `department_scores` (optional) gives a department's own score for an applicant; a pair missing
    from it falls back to the applicant's score. `names` gives display names for the reasons
    ("Radiotherapy physics (UZ Leuven)").
    """
    ids = [a.id for a in applicants]
    if len(set(ids)) != len(applicants):
        raise ValueError("Applicant ids must be unique.")
    prefs = [_deduplicated(a.preferences) for a in applicants]
    seats = _seats_of_preferred(prefs, capacities)
    heaps, held_at, proposals = _deferred_acceptance(applicants, prefs, seats, department_scores)

    assignment: dict[ApplicantId, DeptId | None] = dict(zip(ids, held_at, strict=True))
    seats_used = {dept: len(heap) for dept, heap in heaps.items() if heap}
    reasons: dict[ApplicantId, str] = {}
    for i, applicant in enumerate(applicants):
        if held_at[i] is None:
            reasons[applicant.id] = _cohort_reason(applicant, prefs[i], seats, heaps, department_scores, names)
    ties = _ties(applicants, prefs, held_at, seats, heaps, department_scores)
    return CohortResult(
        assignment=assignment, unplaced_reasons=reasons, seats_used=seats_used, proposals=proposals, ties=ties
    )


def _seats_of_preferred(prefs: list[list[DeptId]], capacities: Mapping[DeptId, int]) -> dict[DeptId, int]:
    """The seats of every department someone prefers (none for a department missing from `capacities`)."""
    seats: dict[DeptId, int] = {}
    for p in prefs:
        for dept in p:
            if dept not in seats:
                seats[dept] = max(0, int(capacities.get(dept, 0) or 0))
    return seats


def _deferred_acceptance(
    applicants: Sequence[CohortApplicant],
    prefs: list[list[DeptId]],
    seats: Mapping[DeptId, int],
    department_scores: Mapping[tuple[DeptId, ApplicantId], float] | None,
) -> tuple[dict[DeptId, list[tuple[float, int, int]]], list[DeptId | None], int]:
    """Applicants propose in their order of preference until every one is held or has run out of
    departments. Returns each department's heap, where each applicant is held and the proposals made."""
    n = len(applicants)
    ids = [a.id for a in applicants]
    neg_rank = [-r for r in _tie_ranks(applicants)]
    own_score = [float(a.score) for a in applicants]
    get_score = department_scores.get if department_scores else None
    # A department's heap holds (score, -tie rank, applicant index): its root is the applicant the
    # department would release first (lowest score; among equals, the later application).
    heaps: dict[DeptId, list[tuple[float, int, int]]] = {dept: [] for dept in seats}
    next_choice = [0] * n
    held_at: list[DeptId | None] = [None] * n
    free = list(range(n - 1, -1, -1))
    proposals = 0
    heappush, heapreplace = heapq.heappush, heapq.heapreplace
    gc_was_enabled = gc.isenabled()
    gc.disable()  # the run allocates many small tuples and frees none of them in cycles
    try:
        while free:
            a = free.pop()
            row = prefs[a]
            j = next_choice[a]
            end = len(row)
            while j < end:
                dept = row[j]
                j += 1
                cap = seats[dept]
                if cap == 0:
                    continue
                proposals += 1
                heap = heaps[dept]
                score = get_score((dept, ids[a]), own_score[a]) if get_score else own_score[a]
                item = (score, neg_rank[a], a)
                if len(heap) < cap:
                    heappush(heap, item)
                    held_at[a] = dept
                    break
                if heap[0] < item:
                    released = heapreplace(heap, item)[2]
                    held_at[released] = None
                    free.append(released)
                    held_at[a] = dept
                    break
            next_choice[a] = j
    finally:
        if gc_was_enabled:
            gc.enable()
    return heaps, held_at, proposals


def _ties(applicants, prefs, held_at, seats, heaps, department_scores) -> list[Tie]:
    """Seats decided by the tie-break: a full department whose last-ranked holder has the same score
    as an applicant who wanted it more than what they got."""
    ties = []
    for i, applicant in enumerate(applicants):
        for dept in prefs[i]:
            if dept == held_at[i]:
                break
            heap = heaps.get(dept)
            if not heap or len(heap) < seats[dept]:
                continue
            lowest, _, kept = heap[0]
            if lowest == _department_score(applicant, dept, department_scores):
                ties.append(Tie(dept, applicants[kept].id, applicant.id))
    return ties


def _department_score(applicant, dept, department_scores) -> float:
    if department_scores:
        return department_scores.get((dept, applicant.id), applicant.score)
    return applicant.score


def _full_part(name: str, seats: int, lowest: float, tie: bool) -> str:
    values = {"name": name, "seats": seats_count(seats), "score": score_phrase(lowest)}
    if tie:
        return (
            gettext(
                "%(name)s has %(seats)s (lowest score placed: %(score)s, equal scores go to the earlier application)"
            )
            % values
        )
    return gettext("%(name)s has %(seats)s (lowest score placed: %(score)s)") % values


# Whole sentences for each case: (by the department's own ranking, by the review scores).
ONLY_FULL = (
    gettext_noop("The only preferred department is full with applicants the department ranks higher: %(full)s."),
    gettext_noop("The only preferred department is full with higher-scored applicants: %(full)s."),
)
ALL_FULL = (
    gettext_noop("All %(count)d preferred departments are full with applicants the department ranks higher: %(full)s."),
    gettext_noop("All %(count)d preferred departments are full with higher-scored applicants: %(full)s."),
)
NONE_LEFT = (
    gettext_noop(
        "None of the %(count)d preferred departments has a seat left. "
        "Full with applicants the department ranks higher: %(full)s. Closed: %(closed)s."
    ),
    gettext_noop(
        "None of the %(count)d preferred departments has a seat left. "
        "Full with higher-scored applicants: %(full)s. Closed: %(closed)s."
    ),
)


def _cohort_reason(applicant, prefs, seats, heaps, department_scores, names) -> str:
    if not prefs:
        return gettext("No preferred department was given.")
    full_parts = []
    closed_parts = []
    for dept in prefs:
        name = name_of(dept, names)
        if seats[dept] == 0:
            closed_parts.append(gettext("%(name)s takes no one in this intake") % {"name": name})
            continue
        lowest = heaps[dept][0][0]
        own = _department_score(applicant, dept, department_scores)
        full_parts.append(_full_part(name, seats[dept], lowest, lowest == own))
    count = len(prefs)
    values = {"count": count, "full": "; ".join(full_parts), "closed": join_words(closed_parts)}
    by = 0 if department_scores else 1
    yours = ""
    if not department_scores:
        yours = " " + gettext("The applicant's score is %(score)s.") % {"score": score_phrase(applicant.score)}
    if not closed_parts:
        return gettext((ONLY_FULL if count == 1 else ALL_FULL)[by]) % values + yours
    if not full_parts:
        if count == 1:
            return gettext("The only preferred department takes no one: %(closed)s.") % {"closed": closed_parts[0]}
        return gettext("None of the %(count)d preferred departments takes anyone: %(closed)s.") % values
    return gettext(NONE_LEFT[by]) % values + yours


def blocking_pairs(
    applicants: Sequence[CohortApplicant],
    capacities: Mapping[DeptId, int],
    assignment: Mapping[ApplicantId, DeptId | None],
    *,
    department_scores: Mapping[tuple[DeptId, ApplicantId], float] | None = None,
) -> list[tuple[ApplicantId, DeptId]]:
    """Every (applicant, department) pair that would rather be together than with what they have.

    A pair blocks when the applicant lists the department above their assignment (or is unplaced)
    and the department has a free seat or holds someone it ranks below the applicant. Rankings are
    the ones `match_cohort` uses (score, then earlier submission, then smaller id).
    """
    by_id = {a.id: a for a in applicants}
    tie_rank = {a.id: rank for a, rank in zip(applicants, _tie_ranks(applicants), strict=True)}
    held: dict[DeptId, list[ApplicantId]] = {}
    for applicant_id, dept in assignment.items():
        if dept is not None:
            held.setdefault(dept, []).append(applicant_id)

    def key(dept, applicant_id):
        return (_department_score(by_id[applicant_id], dept, department_scores), -tie_rank[applicant_id])

    worst: dict[DeptId, tuple] = {}
    for dept, members in held.items():
        worst[dept] = min(key(dept, m) for m in members)
    pairs = []
    for applicant in applicants:
        current = assignment.get(applicant.id)
        for dept in _deduplicated(applicant.preferences):
            if dept == current:
                break
            cap = max(0, int(capacities.get(dept, 0) or 0))
            if cap == 0:
                continue
            members = held.get(dept, [])
            if len(members) < cap or worst[dept] < key(dept, applicant.id):
                pairs.append((applicant.id, dept))
    return pairs
