"""Inviting host supervisors: a coordinator names an e-mail address and departments of their
programmes; the invitee follows a signed link that expires, sets a password (and then, like staff,
an authenticator app). An existing account only gains the departments."""

import hashlib
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse

from placements.catalogue.models import Department
from placements.hosting.emails import invitation_email_queue
from placements.hosting.models import Supervision
from portal.models import User

SALT = "hosting.invitation"
# The link works this long, and only until a password is set with it.
INVITATION_MAX_AGE = 14 * 24 * 60 * 60


class InvitationInvalid(Exception):
    """The link is not one of ours, has expired or was used already."""


def invitable_departments(coordinator) -> QuerySet[Department]:
    """The departments a coordinator may invite supervisors for: those their programmes offer, and
    the parent departments of offered sections."""
    if coordinator.is_superuser:
        return Department.objects.select_related("institution")
    offered = Department.objects.filter(offerings__programme__coordinators=coordinator)
    return (
        Department.objects.filter(Q(pk__in=offered.values("pk")) | Q(pk__in=offered.values("parent_id")))
        .select_related("institution")
        .order_by("institution__name", "name")
    )


def _state(user: User) -> str:
    """Changes when the password does: a link is good for one password only."""
    return hashlib.sha256(user.password.encode()).hexdigest()[:20]


def invitation_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "s": _state(user)}, salt=SALT)


def invitation_user(token: str) -> User:
    """The invitee of `token`, who has not set a password with it yet (else InvitationInvalid)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=INVITATION_MAX_AGE)
    except signing.BadSignature as error:
        raise InvitationInvalid from error
    user = User.objects.filter(pk=data.get("u"), is_active=True).first() if isinstance(data, dict) else None
    if user is None or data.get("s") != _state(user) or user.has_usable_password():
        raise InvitationInvalid
    return user


@dataclass(frozen=True)
class Invited:
    user: User
    created: bool
    added: list[Department]


@transaction.atomic
def supervisor_invite(*, email: str, departments: list[Department], by, first_name="", last_name="") -> Invited:
    """Make `email` a supervisor of `departments` (a new account without a password, or an existing
    one) and send the e-mail with the link; departments already supervised are left as they are."""
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User(email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.save()
    existing = set(Supervision.objects.filter(user=user).values_list("department_id", flat=True))
    added = [d for d in departments if d.pk not in existing]
    Supervision.objects.bulk_create(Supervision(user=user, department=d, invited_by=by) for d in added)
    if user.has_usable_password():
        link = settings.SITE_URL + reverse("hosting:placements")
    else:
        link = settings.SITE_URL + reverse("hosting:invitation", kwargs={"token": invitation_token(user)})
    if added or not user.has_usable_password():
        invitation_email_queue(user=user, departments=added or departments, link=link, by=by)
    return Invited(user=user, created=created, added=added)


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """Set the invitee's password; their address is confirmed, since the link reached it."""
    user = invitation_user(token)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.has_usable_password():
        raise InvitationInvalid
    user.set_password(password)
    user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email__iexact=user.email, defaults={"email": user.email, "verified": True, "primary": True}
    )
    return user
