"""Reads of the catalogue, each with the joins its page needs."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import ngettext

from placements.catalogue.models import (
    Department,
    Offering,
    OfferingGroup,
    Programme,
    ProgrammeDocument,
    RotationPattern,
)
from placements.catalogue.public_cache import VERSION_KEY
from portal import page_cache

DEPARTMENTS_TIMEOUT = 3600  # at most; a catalogue change replaces them at once
DEPARTMENTS_FORMAT = 1  # part of the cache key: raised if what is kept changes


def programme_list() -> QuerySet[Programme]:
    return Programme.objects.published().select_related("provider").order_by("title")


def programme_detail(*, slug: str) -> Programme:
    offerings = Offering.objects.select_related("department__institution", "department__specialization")
    groups = OfferingGroup.objects.prefetch_related("patterns", Prefetch("offerings", queryset=offerings))
    documents = ProgrammeDocument.objects.select_related("document_type")
    queryset = (
        Programme.objects.published()
        .select_related("provider")
        .prefetch_related(
            Prefetch("offering_groups", queryset=groups),
            Prefetch("programme_documents", queryset=documents),
            "questions",
            "intakes",
        )
    )
    return get_object_or_404(queryset, slug=slug)


def programme_departments(programme_id: int) -> dict[int, Department]:
    """The departments the programme offers, with their hospital and specialization, by id: kept in
    the cache per language until the catalogue changes, for the pages that name many placements."""
    return page_cache.cached_value(
        f"catalogue:departments:{DEPARTMENTS_FORMAT}:{programme_id}",
        [VERSION_KEY],
        DEPARTMENTS_TIMEOUT,
        lambda: {
            department.pk: department
            for department in Department.objects.filter(offerings__programme_id=programme_id)
            .select_related("institution", "specialization")
            .distinct()
        },
    )


def with_departments(items: list, programme_id: int) -> list:
    """`items` (placements, seat proposals of the programme) with their department, hospital and
    specialization set from `programme_departments`; one no longer offered is read (in one query)."""
    known = programme_departments(programme_id)
    missing = {item.department_id for item in items} - known.keys()
    if missing:
        read = Department.objects.filter(pk__in=missing).select_related("institution", "specialization")
        known = {**known, **{department.pk: department for department in read}}
    for item in items:
        item.department = known[item.department_id]
    return items


# --- the programme page, as a visitor reads it ---------------------------------------------------


def weeks_range(low: int, high: int) -> str:
    """ "1", "2–8" (with an en dash)."""
    return str(low) if low == high else f"{low}–{high}"


def pattern_summary(pattern: RotationPattern) -> str:
    """What a pattern asks for: "choose 8, 1 week each", "choose 1–2, 2–8 weeks each"."""
    return ngettext(
        "choose %(count)s, %(weeks)s week each", "choose %(count)s, %(weeks)s weeks each", pattern.max_weeks_each
    ) % {
        "count": weeks_range(pattern.min_offerings, pattern.max_offerings),
        "weeks": weeks_range(pattern.min_weeks_each, pattern.max_weeks_each),
    }


def pattern_weeks(offering: Offering, pattern: RotationPattern) -> str:
    """The weeks `pattern` allows in `offering` ("—": none)."""
    low, high = max(offering.weeks_min, pattern.min_weeks_each), min(offering.weeks_max, pattern.max_weeks_each)
    return weeks_range(low, high) if low <= high else "—"


@dataclass(frozen=True)
class OfferingRow:
    offering: Offering
    weeks: list[str]  # one per pattern of its group, in the group's order; its own range without patterns


@dataclass(frozen=True)
class GroupTable:
    """A group of offerings as its table shows it: a weeks column per pattern, since a merged range
    (1–8) would offer weeks that no pattern allows together (e.g. 1 week in one or two sections)."""

    group: OfferingGroup
    patterns: list[tuple[RotationPattern, str]]  # each pattern with its summary
    rows: list[OfferingRow]


def group_tables(programme: Programme) -> list[GroupTable]:
    """The programme's groups, from what `programme_detail` loaded (no query)."""
    tables = []
    for group in programme.offering_groups.all():
        patterns = list(group.patterns.all())
        rows = [
            OfferingRow(
                offering,
                [pattern_weeks(offering, p) for p in patterns] or [weeks_range(offering.weeks_min, offering.weeks_max)],
            )
            for offering in group.offerings.all()
        ]
        tables.append(GroupTable(group, [(p, pattern_summary(p)) for p in patterns], rows))
    return tables


def requirements(programme: Programme) -> list[str]:
    """What an applicant must meet: the questions that require a yes, in the words of their refusal."""
    return [q.refusal_message or q.text for q in programme.questions.all() if q.must_answer_yes]
