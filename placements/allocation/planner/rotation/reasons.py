"""The plans handed back: blocks and honoured components for the placed, plain-words reasons for the
others, worked out from the seats left once everybody else is placed."""

from __future__ import annotations

from placements.allocation.planner.explain import gettext, join_words, name_of, ngettext, weeks_count, weeks_phrase
from placements.allocation.planner.rotation.applicant_search import SEARCH_NODE_LIMIT, search_applicant
from placements.allocation.planner.rotation.instance import Applicant, Context
from placements.allocation.planner.rotation.types import ApplicantId, Block, RotationPlan


def plans_of(ctx: Context, blocks, used, week_label, proven_unfit) -> dict[ApplicantId, RotationPlan]:
    plans = {}
    for a in ctx.applicants:
        request = a.request
        chosen = blocks.get(a.index)
        if chosen:
            given = {s: length for s, length, _ in chosen}
            honoured = [c for c in request.components if given.get(c.section_id) == c.weeks]
            plans[request.id] = RotationPlan(
                request_id=request.id,
                blocks=[Block(s, t, t + length - 1) for s, length, t in chosen],
                honoured=sorted(honoured, key=lambda c: c.rank),
            )
        else:
            plans[request.id] = RotationPlan(
                request_id=request.id, reason=_reason(ctx, a, used, week_label, a.index in proven_unfit)
            )
    return plans


def _nearest_free_run(ctx: Context, section, length: int, near: int, used) -> tuple[int, int] | None:
    """The run of `length` weeks with a free seat in `section` that starts closest to week `near`."""
    if ctx.section_weeks is None:
        ctx.section_weeks = {}
        for (s, w), seats in ctx.capacity.items():
            if seats and seats > 0:
                ctx.section_weeks.setdefault(s, []).append(w)
    free = {w for w in ctx.section_weeks.get(section, ()) if used.get((section, w), 0) < ctx.seats(section, w)}
    best = None
    for w in free:
        if all(w + i in free for i in range(1, length)):
            key = (abs(w - near), w)
            if best is None or key < best:
                best = key
    return None if best is None else (best[1], best[1] + length - 1)


def rotation_exists(ctx: Context, length: int) -> bool:
    """Whether the programme's rules allow any rotation of `length` weeks, seats aside (when the
    search cannot finish, it is taken to exist)."""
    if length not in ctx.rotation_lengths:
        probe = Applicant(index=-1, request=None, t0=0, length=length)
        options = ctx.options(probe, True, lambda s, w: True)
        found, exhausted = search_applicant(ctx, probe, options, True, SEARCH_NODE_LIMIT)
        ctx.rotation_lengths[length] = bool(found) or not exhausted
    return ctx.rotation_lengths[length]


def _no_rotation(ctx: Context, length: int) -> str | None:
    """The reason when no rotation the programme allows lasts `length` weeks, whatever the seats."""
    if rotation_exists(ctx, length):
        return None
    # Only as far as the reason needs: each length that no rotation has costs a whole search.
    others = (n for n in range(1, 53) if n != length and rotation_exists(ctx, n))
    shortest = next(others, None)
    stay = weeks_count(length)
    if shortest is None:
        return gettext("The programme's rules allow no rotation of %(stay)s, nor of any other length.") % {"stay": stay}
    if length < shortest:
        return gettext(
            "The programme's rules allow no rotation as short as %(stay)s: the shortest is %(shortest)s."
        ) % {
            "stay": stay,
            "shortest": weeks_count(shortest),
        }
    ceiling = min(52, sum(rule.weeks_max for rule in ctx.rules.sections.values()))  # one block per section
    longest = next(n for n in range(ceiling, 0, -1) if n == shortest or (n != length and rotation_exists(ctx, n)))
    if length > longest:
        return gettext("The programme's rules allow no rotation as long as %(stay)s: the longest is %(longest)s.") % {
            "stay": stay,
            "longest": weeks_count(longest),
        }
    return gettext("The programme's rules allow no rotation of exactly %(stay)s.") % {"stay": stay}


def _weeks_without_seats(ctx: Context, a: Applicant, used, week_label) -> str | None:
    """The reason when some week of the stay has no free seat in any section (a week whose only seats
    are in the sections asked for is left to the reason that names those sections)."""
    sections = ctx.sections
    closed, full = [], []
    for w in range(a.t0, a.end):
        if all(ctx.seats(s, w) == 0 for s in sections):
            closed.append(w)
        elif all(used.get((s, w), 0) >= ctx.seats(s, w) for s in sections) and any(
            ctx.seats(s, w) > 0 for s in sections if s not in a.wanted
        ):
            full.append(w)
    parts = []
    if full:
        text = ngettext("%(weeks)s is full in every section", "%(weeks)s are full in every section", len(full))
        parts.append(text % {"weeks": weeks_phrase(full, week_label)})
    if closed:
        text = ngettext("%(weeks)s has no seats in any section", "%(weeks)s have no seats in any section", len(closed))
        parts.append(text % {"weeks": weeks_phrase(closed, week_label)})
    if not parts:
        return None
    sentence = join_words(parts)
    sentence = gettext("%(weeks)s, so no rotation can cover the whole stay.") % {"weeks": sentence}
    return f"{sentence[0].upper()}{sentence[1:]}"


def _reason(ctx: Context, a: Applicant, used, week_label, proven_unfit: bool) -> str:
    """Why an applicant is not placed, from the seats left once everybody else is placed."""
    if a.weeks_problem:
        return a.weeks_problem
    period = weeks_phrase(range(a.t0, a.end), week_label)
    cause = _no_rotation(ctx, a.length) or _weeks_without_seats(ctx, a, used, week_label)
    if not a.valid_request:
        problems = " ".join(a.request_problems)
        if cause is None and proven_unfit:
            cause = gettext("No rotation that fits the rules has a free seat for every week of %(period)s.") % {
                "period": period
            }
        text = gettext("The request does not fit the programme rules: %(problems)s") % {"problems": problems}
        return f"{text} {cause}" if cause else text
    return cause or _seat_reason(ctx, a, used, week_label, proven_unfit, period)


def _seat_reason(ctx: Context, a: Applicant, used, week_label, proven_unfit: bool, period: str) -> str:
    """Why a valid request is not placed: which requested section is full or closed, and when."""
    names = ctx.names
    blocked = []
    tight = []
    window = range(a.t0, a.end)
    for s, (k, _) in sorted(a.wanted.items(), key=lambda item: -item[1][1]):
        no_room = [w for w in window if used.get((s, w), 0) >= ctx.seats(s, w)]
        if not no_room:
            continue
        name = name_of(s, names)
        free = [w for w in window if w not in no_room]
        if any(all(w + i in free for i in range(k)) for w in free):
            tight.append(
                gettext("%(section)s has room only in %(weeks)s")
                % {"section": name, "weeks": weeks_phrase(free, week_label)}
            )
            continue
        closed = [w for w in no_room if ctx.seats(s, w) == 0]
        full = [w for w in no_room if ctx.seats(s, w) > 0]
        states = []
        if full:
            states.append(gettext("full in %(weeks)s") % {"weeks": weeks_phrase(full, week_label)})
        if closed:
            states.append(gettext("closed in %(weeks)s") % {"weeks": weeks_phrase(closed, week_label)})
        near = _nearest_free_run(ctx, s, k, a.t0, used)
        if near:
            where = gettext("nearest free weeks: %(weeks)s") % {
                "weeks": weeks_phrase(range(near[0], near[1] + 1), week_label, noun=False)
            }
        else:
            where = ngettext(
                "it has no free week in the planning period",
                "it has no %(count)d free weeks in a row in the planning period",
                k,
            ) % {"count": k}
        blocked.append(
            gettext("%(section)s is %(states)s; %(where)s.")
            % {"section": name, "states": join_words(states), "where": where}
        )
    alternatives = (
        gettext("No other combination of sections allowed by the programme fits the seats left in these weeks either.")
        if proven_unfit
        else ""
    )
    if blocked:
        return " ".join([*blocked, alternatives]).strip()
    if tight:
        text = gettext(
            "The requested sections cannot be fitted together into %(period)s with the seats left: %(sections)s."
        )
        return f"{text % {'period': period, 'sections': join_words(tight)}} {alternatives}".strip()
    if proven_unfit:
        return gettext("No rotation that fits the programme rules has a free seat for every week of %(period)s.") % {
            "period": period
        }
    return gettext("The planner ran out of time before it could place this request for %(period)s; run it again.") % {
        "period": period
    }
