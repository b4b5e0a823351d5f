"""Idle timeout of staff sessions.

The expiry slides with every request, but the session is written at most once a minute for it: a
staff member is signed out after 29 to 30 minutes without a request, and pages cost no extra
database write on every click.
"""

import time

from django.conf import settings

TOUCHED_SESSION_KEY = "security.touched"
TOUCH_EVERY_SECONDS = 60


def start_staff_session(request) -> None:
    request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
    request.session[TOUCHED_SESSION_KEY] = int(time.time())


def keep_staff_session_alive(request) -> None:
    session = request.session
    idle = settings.STAFF_SESSION_IDLE_SECONDS
    if session.get_expiry_age() != idle or time.time() - session.get(TOUCHED_SESSION_KEY, 0) >= TOUCH_EVERY_SECONDS:
        start_staff_session(request)
