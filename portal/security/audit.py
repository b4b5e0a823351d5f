"""The security log: one line per sign-in event or refused request on the "portal.security" logger.

Known people are named by their user id. An address typed into the sign-in form is logged only
when it looks like an e-mail address, so that a password typed into the wrong field never lands
in the log.
"""

import logging

from allauth.account.adapter import get_adapter
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email

logger = logging.getLogger("portal.security")


def client_ip(request) -> str:
    """The client's IP as the throttling sees it (REMOTE_ADDR unless proxies are trusted), or "-"."""
    if request is None:
        return "-"
    try:
        return get_adapter().get_client_ip(request)
    except PermissionDenied:
        return "-"


def attempted_address(value) -> str:
    if not isinstance(value, str):
        return "-"
    try:
        validate_email(value)
    except ValidationError:
        return "(not an e-mail address)"
    return value.lower()


def user_ref(user) -> str:
    return str(user.pk) if user is not None and user.pk is not None else "-"


def log_event(event: str, request, *, user=None, login=None, level: int = logging.INFO, **details) -> None:
    fields = [f"user_id={user_ref(user)}"]
    if login is not None:
        fields.append(f"login={attempted_address(login)}")
    fields.append(f"ip={client_ip(request)}")
    fields.extend(f"{key}={value}" for key, value in details.items())
    logger.log(level, "%s %s", event, " ".join(fields))


def log_refused(request, what: str) -> None:
    """Record that `request` was refused access to `what` (call it where a scoped fetch says 404)."""
    user = request.user if getattr(request, "user", None) is not None and request.user.is_authenticated else None
    logger.warning(
        "access_refused user_id=%s ip=%s method=%s path=%s what=%s",
        user_ref(user),
        client_ip(request),
        request.method,
        request.path,
        what,
    )
