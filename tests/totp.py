"""Authenticator apps for tests: staff and coordinators must have one (MFA_REQUIRED_FOR_STAFF is on
in the test settings), or every page sends them to the set-up page. `tests.factories.make_staff`
gives one to everyone it makes; give it before `client.force_login(user)`: the sign-in notes it in
the session, so pages cost no extra query for the check.
"""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.utils import decrypt


def give_totp(user) -> str:
    """Activate an authenticator app for `user`; return its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_secret(user) -> str:
    return decrypt(Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"])


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The six digits an authenticator app with `secret` shows now (or at time `at`)."""
    return format_hotp_value(hotp_value(secret, int(time.time() if at is None else at) // 30))
