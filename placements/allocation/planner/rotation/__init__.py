"""Rotation planning for observerships: a week-by-week schedule per applicant across sections.

Input: each applicant's request (one consecutive period of weeks, the sections they ask for with
weeks and preference rank, their review score), the free seats per (section, week) and the
programme's component rules (`RotationRules`). Output: a schedule per placed applicant, a plain-words
reason per unplaced one, and quality figures. Pure: plain dataclasses in and out, no database.

Hard constraints
----------------
* No (section, week) gets more applicants than its seats (a missing key means no seat).
* A placed applicant is in exactly one section in each of their requested weeks, and nowhere else.
* Each section is one consecutive block per applicant.
* The schedule follows the programme's rules (weeks per section within the section's bounds, every
  group's choice count and pattern, at least one section that may stand alone): the same rules as
  `placements.catalogue.validation`, checked again by `rules.schedule_problems`.

Objective (lexicographic, folded into one integer objective with dominating weights)
-------------------------------------------------------------------------------------
1. the number of applicants placed;
2. honour points: for each placed applicant, every requested component given exactly as asked (that
   section, that many weeks) earns ``max_rank + 1 - rank`` points (rank 1 = first choice; max_rank
   is the largest rank in the instance);
3. score points: ``round(100 * (score - lowest score)) * (1 + honour points)`` summed over placed
   applicants, so that among otherwise equal plans the better-reviewed applicants are the ones
   placed and the ones given what they asked for. (On instances so large that the weighted sum
   would pass 2**53, scores count to one decimal, then in whole points.)
Weights: ``W3 = 1``, ``W2 = (largest possible level 3) + 1``, ``W1 = W2 * (largest possible level 2
+ 1)``, so no amount of a lower level can buy one unit of a higher one. `RotationResult.objective`
gives the three levels, `objective_value` the weighted sum.

Model (CP-SAT, time-indexed block starts)
-----------------------------------------
For applicant a with period [t0, t0 + W) and a set of block options (section s, length l, first
week t) -- only blocks inside the period, on weeks with seats, that can be part of some tiling of
the period -- there are booleans x[a,s,l,t] and placed[a]:

* cover: for every week w of the period, exactly one of {x covering w} + {not placed[a]} holds,
  so a placed applicant is in exactly one section each week and blocks never overlap;
* capacity: for every (s, w), the sum of x covering (s, w) over all applicants <= seats(s, w).
  A (s, w) that fewer applicants can reach than it has seats can never overflow: its constraint is
  left out, and an applicant who touches only such cells is planned on their own (exhaustive search).

Each applicant gets one of two option sets:

* "as requested": only the requested blocks, each used exactly once (sum_t x = placed): the
  honoured rotation with only the order of the blocks free. The rules hold by themselves, because
  the request is checked against them beforehand.
* "full": every section with every length its rules allow, and the rules as constraints: at most
  one block per section; per group min_choices * placed <= chosen <= max_choices; for a group with
  patterns a choice of at most one pattern q[a,g,j], each block's length must fit the chosen
  pattern (sum_t x[a,s,l,t] <= sum of q over the patterns allowing l) and the number chosen must
  lie within its bounds; at least one section that may stand alone when placed.

Objective terms: placed[a] carries W1 + W3 * score points (plus the honour of all components for
"as requested"); each x that gives a requested component exactly carries (W2 + W3 * score points)
* its weight.

Solving
-------
1. Greedy start: first the applicants of a largest set that fits the total seats of every week
   (see 4), then shortest stays first (more of them fit), better scores first among equals; each
   gets their request in the first block order that fits the seats left (depth-first search over
   block orders, failed subsets memoised); those left over then get the best rotation the rules
   allow in the seats left (branch and bound over blocks, most wanted first).
2. Small instances (full model below `exact_limit` block variables): one full model for everybody,
   the greedy plan as hint, presolved and with the stronger linear relaxation. When CP-SAT proves
   it optimal, the plan is optimal (`proven_optimal`); the tests check this against brute force.
3. Otherwise -- large instances such as 2,000 applicants x 9 sections x 52 weeks, whose full model
   has about 400,000 block variables, too many to build and solve in seconds, or a small model not
   proven optimal within its share of the time -- large-neighbourhood search until the time limit
   or a proof (see `search` and `neighbourhoods`): round after round, a group of applicants (an
   exchange towards a set of stays that fits every week's seats, see `exchange`; around one left
   out, around full weeks and sections, or at random) is re-planned exactly against the seats
   everybody else leaves, warm-started from their current blocks; "can one more be placed here?"
   is asked as a feasibility question. A plan at least as good replaces the current one, so
   more time never gives a worse plan. The neighbourhoods grow while the solver settles them and
   shrink when it cannot; once they hold everybody, the whole instance is solved at once.
4. Bounds: no plan places more applicants than fit in the total seats of each week (an interval
   packing, solved exactly by taking stays by their last week), nor more than the exact model's
   bound when it ran. `RotationResult.placed_upper_bound` is the best of them and `gap` the share
   of it not placed.
5. Whoever is still unplaced is tried once more in the seats left, and gets a reason worked out
   from the seats left: a stay no rotation of the rules fits, a week with no free seat in any
   section, or which requested section is full or closed in which of their weeks, and the nearest
   weeks where it has room.

`time_limit` bounds the whole run, in seconds of `clock`: "wall" (elapsed) or "cpu" (the process's
CPU time, so that a busy machine does not cut the search short; each CP-SAT call is then stopped by
a watcher thread once it has had its CPU seconds, see `clock`). `workers=1` and a fixed `seed`
make small instances, which are solved to optimality well within the limit, reproducible.

Modules
-------
* `types`: the requests, blocks, plans and result handed in and out;
* `instance`: the requests checked and weighted, the blocks open to each applicant, a plan's figures;
* `applicant_search`: the best schedule for one applicant on their own (depth-first search);
* `greedy`: placing applicants one at a time in the seats left (steps 1 and 4);
* `model`: the CP-SAT model; `solve`: one exact solve of a group of applicants (step 2);
* `search`: the large-neighbourhood search (step 3); `neighbourhoods`: which applicants it re-plans
  together next; `exchange`: whom to take out and put in so that more stays fit the weekly seats;
* `bound`: the weekly-seat bound (step 4); `clock`: wall-clock or CPU time;
* `reasons`: the plans handed back, with plain-words reasons for those left out (step 5);
* `plan`: `plan_rotations`, which runs the steps in turn.
"""

from placements.allocation.planner.rotation.plan import plan_rotations
from placements.allocation.planner.rotation.types import (
    Block,
    Objective,
    RequestedComponent,
    RotationPlan,
    RotationRequest,
    RotationResult,
)

__all__ = [
    "Block",
    "Objective",
    "RequestedComponent",
    "RotationPlan",
    "RotationRequest",
    "RotationResult",
    "plan_rotations",
]
