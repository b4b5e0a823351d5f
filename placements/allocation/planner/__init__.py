"""Pure planning functions: plain dataclasses in, dataclasses out; no models, no database.

- `match_cohort`: one department per applicant for cohort programmes (stable, applicant-optimal).
- `plan_rotations`: week-by-week rotations across sections for observership programmes (CP-SAT).

A Celery task feeds them from the database and writes the proposal back as placements.
"""

from placements.allocation.planner.cohort import CohortApplicant, CohortResult, Tie, blocking_pairs, match_cohort
from placements.allocation.planner.rotation import (
    Block,
    Objective,
    RequestedComponent,
    RotationPlan,
    RotationRequest,
    RotationResult,
    plan_rotations,
)
from placements.allocation.planner.rules import (
    GroupRule,
    Pattern,
    RotationRules,
    SectionRule,
    composition_problems,
    schedule_problems,
)

__all__ = [
    "Block",
    "CohortApplicant",
    "CohortResult",
    "GroupRule",
    "Objective",
    "Pattern",
    "RequestedComponent",
    "RotationPlan",
    "RotationRequest",
    "RotationResult",
    "RotationRules",
    "SectionRule",
    "Tie",
    "blocking_pairs",
    "composition_problems",
    "match_cohort",
    "plan_rotations",
    "schedule_problems",
]
