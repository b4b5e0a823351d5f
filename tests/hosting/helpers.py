"""Builders for the host department tests: supervisors of a demo department, with an authenticator
app as the portal requires of them."""

from placements.hosting.models import Supervision
from tests.factories import make_user
from tests.placements.helpers import department
from tests.totp import give_totp


def make_supervisor(name: str, *slugs: str, **fields):
    """`name`@example.org supervising the demo departments `slugs`, with an authenticator app."""
    user = make_user(name, **fields)
    for slug in slugs:
        Supervision.objects.create(user=user, department=department(slug))
    give_totp(user)
    return user
