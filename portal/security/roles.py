"""Who counts as staff for the security rules: admins, staff members and programme coordinators.

They see other people's personal data, so they need a second sign-in step and short sessions.
Whether someone coordinates a programme costs a query; the answer is kept in the session and
asked again after a few minutes, so that a newly appointed coordinator does not wait for a new
sign-in.
"""

import time
from collections.abc import Callable

ROLE_SESSION_KEY = "security.coordinator"
RECHECK_SECONDS = 5 * 60
# Other roles that see personal data (a host department's supervisors), registered in AppConfig.ready()
# by the app that defines them: whether a user plays the role, the URL name where they land and the
# navigation's name for that page.
_other_roles: list[tuple[Callable[[object], bool], str, str]] = []


def register_privileged_role(check: Callable[[object], bool], landing: str, label: str) -> None:
    if all(known[0] is not check for known in _other_roles):
        _other_roles.append((check, landing, label))


def _other_role(user) -> tuple[Callable[[object], bool], str, str] | None:
    return next((role for role in _other_roles if role[0](user)), None)


def landing_of(user) -> str | None:
    """The URL name where a user of a registered role lands (None: no such role)."""
    role = _other_role(user) if user.is_authenticated else None
    return role[1] if role else None


def is_privileged(user) -> bool:
    """Staff, superusers and coordinators of any programme (always asks the database)."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser or user.coordinated_programmes.exists():
        return True
    return _other_role(user) is not None


def remember_role(request, user) -> bool:
    """Store whether `user` coordinates a programme in the session; return whether they are privileged."""
    coordinator = user.coordinated_programmes.exists()
    # Staff and coordinators have their own pages; the other roles are asked about only for the rest.
    other = None if user.is_staff or user.is_superuser or coordinator else _other_role(user)
    request.session[ROLE_SESSION_KEY] = {
        "user": user.pk,
        "coordinator": coordinator or other is not None,
        "checked": int(time.time()),
        "landing": other[1] if other else None,
    }
    return user.is_staff or user.is_superuser or coordinator or other is not None


def is_privileged_request(request) -> bool:
    """Whether the signed-in person of `request` is privileged, using the answer kept in the session."""
    user = request.user
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    kept = request.session.get(ROLE_SESSION_KEY)
    if not kept or kept.get("user") != user.pk or time.time() - kept.get("checked", 0) > RECHECK_SECONDS:
        return remember_role(request, user)
    return kept["coordinator"]


def navigation(request) -> dict:
    """Context processor: the page a registered role lands on, for the navigation (as the session
    keeps it; no query)."""
    kept = request.session.get(ROLE_SESSION_KEY) if hasattr(request, "session") else None
    user = getattr(request, "user", None)
    if not kept or user is None or kept.get("user") != user.pk or not kept.get("landing"):
        return {}
    label = next((role[2] for role in _other_roles if role[1] == kept["landing"]), "")
    return {"role_landing": kept["landing"], "role_landing_label": label}
