"""Upper bounds on the number of applicants any plan can place, to judge a plan by its gap."""

from __future__ import annotations

from placements.allocation.planner.rotation.instance import Context


def weekly_seat_bound(ctx: Context, usable: list[int]) -> tuple[int, set[int]]:
    """The most applicants that fit in the total seats of each week, sections aside.

    Each applicant needs one seat in every week of their stay, so this relaxation is an interval
    packing with a capacity per week. Taking the stays by their last week and keeping each one that
    still fits is optimal for it: exchanging any kept stay of an optimal packing for the one taken
    here, which ends no later, never breaks a week's capacity. Returns the bound and the applicants
    of that packing (a good set to place first).
    """
    left: dict[int, int] = {}
    for (section, week), seats in ctx.capacity.items():
        if section in ctx.rules.sections and seats and seats > 0:
            left[week] = left.get(week, 0) + int(seats)
    packed = set()
    applicants = ctx.applicants
    for i in sorted(usable, key=lambda i: (applicants[i].end, -applicants[i].t0, i)):
        weeks = range(applicants[i].t0, applicants[i].end)
        if all(left.get(w, 0) > 0 for w in weeks):
            for w in weeks:
                left[w] -= 1
            packed.add(i)
    return len(packed), packed
