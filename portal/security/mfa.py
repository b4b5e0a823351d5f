"""Two-factor authentication rules: who must have an authenticator app, and whether they do."""

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.security.roles import is_privileged, is_privileged_request

TOTP_SESSION_KEY = "security.totp_user"


def mfa_required(user) -> bool:
    return settings.MFA_REQUIRED_FOR_STAFF and is_privileged(user)


def mfa_required_for_request(request) -> bool:
    return settings.MFA_REQUIRED_FOR_STAFF and is_privileged_request(request)


def has_totp(request, user) -> bool:
    """Whether `user` (signed in on `request`) has an authenticator app; a yes is kept in the session."""
    user_id = user.pk
    if request.session.get(TOTP_SESSION_KEY) == user_id:
        return True
    if Authenticator.objects.filter(user_id=user_id, type=Authenticator.Type.TOTP).exists():
        request.session[TOTP_SESSION_KEY] = user_id
        return True
    return False


def forget_totp(request) -> None:
    request.session.pop(TOTP_SESSION_KEY, None)


class PortalMFAAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Your account can see applicants' personal data, so its authenticator app cannot be removed. "
            "To move to a new phone, ask an administrator to reset it."
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type == Authenticator.Type.TOTP and mfa_required(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
