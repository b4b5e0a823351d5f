"""Who counts as staff for the security rules: admins, staff members and programme coordinators.

They see other people's personal data, so they need a second sign-in step and short sessions.
Whether someone coordinates a programme costs a query; the answer is kept in the session and
asked again after a few minutes, so that a newly appointed coordinator does not wait for a new
sign-in.
"""

import time

ROLE_SESSION_KEY = "security.coordinator"
RECHECK_SECONDS = 5 * 60


def is_privileged(user) -> bool:
    """Staff, superusers and coordinators of any programme (always asks the database)."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or user.coordinated_programmes.exists()


def remember_role(request, user) -> bool:
    """Store whether `user` coordinates a programme in the session; return whether they are privileged."""
    coordinator = user.coordinated_programmes.exists()
    request.session[ROLE_SESSION_KEY] = {"user": user.pk, "coordinator": coordinator, "checked": int(time.time())}
    return user.is_staff or user.is_superuser or coordinator


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
