"""What hosting contributes to the layers below, connected from its AppConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from placements.allocation import workflow
from placements.allocation.models import Placement
from placements.hosting.access import is_supervisor, supervised_departments
from portal.security.roles import register_privileged_role


def host_role(user, rows: list[Placement]) -> str | None:
    """HOST when `user` supervises the department of every one of `rows`."""
    if not rows or user is None or not user.is_authenticated:
        return None
    departments = set(supervised_departments(user).values_list("pk", flat=True))
    return workflow.HOST if all(row.department_id in departments for row in rows) else None


def connect() -> None:
    workflow.register_role(host_role)
    # Supervisors see trainees' personal data: two-factor sign-in and short sessions, as for staff.
    register_privileged_role(is_supervisor, "hosting:placements", _("My placements"))
