"""The plans handed back: blocks and honoured components for the placed, plain-words reasons for the
others, worked out from the seats left once everybody else is placed."""

from __future__ import annotations

from placements.allocation.planner.explain import join_words, name_of, weeks_phrase
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


def _reason(ctx: Context, a: Applicant, used, week_label, proven_unfit: bool) -> str:
    """Why an applicant is not placed, from the seats left once everybody else is placed."""
    if a.weeks_problem:
        return a.weeks_problem
    names = ctx.names
    period = weeks_phrase(range(a.t0, a.end), week_label)
    if not a.valid_request:
        problems = " ".join(a.request_problems)
        other = f" No rotation that fits the rules has a free seat for every week of {period}." if proven_unfit else ""
        return f"The request does not fit the programme rules: {problems}{other}"
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
            tight.append(f"{name} has room only in {weeks_phrase(free, week_label)}")
            continue
        closed = [w for w in no_room if ctx.seats(s, w) == 0]
        full = [w for w in no_room if ctx.seats(s, w) > 0]
        states = []
        if full:
            states.append(f"full in {weeks_phrase(full, week_label)}")
        if closed:
            states.append(f"closed in {weeks_phrase(closed, week_label)}")
        near = _nearest_free_run(ctx, s, k, a.t0, used)
        if near:
            where = f"nearest free weeks: {weeks_phrase(range(near[0], near[1] + 1), week_label, noun=False)}"
        else:
            where = f"it has no {k} free weeks in a row in the planning period"
        blocked.append(f"{name} is {' and '.join(states)}; {where}.")
    alternatives = (
        "No other combination of sections allowed by the programme fits the seats left in these weeks either."
        if proven_unfit
        else ""
    )
    if blocked:
        return " ".join([*blocked, alternatives]).strip()
    if tight:
        return (
            f"The requested sections cannot be fitted together into {period} with the seats left: "
            f"{join_words(tight)}. {alternatives}"
        ).strip()
    if proven_unfit:
        return f"No rotation that fits the programme rules has a free seat for every week of {period}."
    return f"The planner ran out of time before it could place this request for {period}; run it again."
