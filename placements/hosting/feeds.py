"""Private calendar feeds (iCalendar, RFC 5545) of placements, for the calendar clients people already use.

A feed's address carries a secret token (FeedToken, one per user and kind); calendar clients cannot
sign in, so the token alone opens it. It lists only what its owner may see on their own pages, and
only while they still may: a trainee their own offered, confirmed and running placements; a supervisor
their departments' (placements.hosting.access); a coordinator their programmes'. Renewing the token,
deactivating the user or taking away the role makes the old address a 404.
"""

import secrets
from datetime import UTC, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from applicants.access import staff_programmes
from placements.allocation.enums import PlacementStatus
from placements.allocation.models import Placement
from placements.catalogue.reporting import department_reporting
from placements.hosting.access import is_supervisor, placements_for_supervisor
from placements.hosting.models import FeedKind, FeedToken

TOKEN_BYTES = 32
# The trainee's own placements from the offer on; hosts and coordinators also keep the completed ones.
APPLICANT_STATES = (PlacementStatus.OFFERED, PlacementStatus.CONFIRMED, PlacementStatus.IN_PROGRESS)
HOST_STATES = (*APPLICANT_STATES, PlacementStatus.COMPLETED)
RELATED = ("department__institution", "department__parent__institution", "application__applicant")


def feed_token(user, kind: str) -> FeedToken:
    """The user's token for `kind`, made on first use."""
    found = FeedToken.objects.filter(user=user, kind=kind).first()
    if found is not None:
        return found
    token, _created = FeedToken.objects.get_or_create(
        user=user, kind=kind, defaults={"token": secrets.token_urlsafe(TOKEN_BYTES)}
    )
    return token


def feed_token_renew(user, kind: str) -> FeedToken:
    """A new secret for the user's feed of `kind`: the old address stops working at once."""
    token, created = FeedToken.objects.get_or_create(
        user=user, kind=kind, defaults={"token": secrets.token_urlsafe(TOKEN_BYTES)}
    )
    if not created:
        token.token = secrets.token_urlsafe(TOKEN_BYTES)
        token.save(update_fields=["token"])
    return token


def feed_allowed(user, kind: str) -> bool:
    """Whether `user` may still have a feed of `kind` (active, and still in the role)."""
    if not user.is_active:
        return False
    if kind == FeedKind.SUPERVISOR:
        return is_supervisor(user)
    if kind == FeedKind.COORDINATOR:
        return staff_programmes(user).exists()
    return kind == FeedKind.APPLICANT


def feed_placements(user, kind: str) -> QuerySet[Placement]:
    """The placements the feed of `kind` of `user` lists: never more than their own pages show."""
    if kind == FeedKind.SUPERVISOR:
        found = placements_for_supervisor(user).filter(status__in=HOST_STATES)
    elif kind == FeedKind.COORDINATOR:
        found = Placement.objects.filter(
            application__programme__in=staff_programmes(user).values("pk"), status__in=HOST_STATES
        )
    else:
        found = Placement.objects.filter(application__applicant=user, status__in=APPLICANT_STATES)
    return found.select_related(*RELATED, "application__programme").order_by("start_week", "pk")


def _calendar_name(user, kind: str) -> str:
    if kind == FeedKind.SUPERVISOR:
        return _("Placements in my departments")
    if kind == FeedKind.COORDINATOR:
        return _("Placements of my programmes")
    return _("My placements")


def _trainee(placement: Placement) -> str:
    applicant = placement.application.applicant
    return applicant.get_full_name() or applicant.email


def _description(placement: Placement, kind: str) -> str:
    reporting = department_reporting(placement.department)
    lines = [str(placement.application.programme)]
    if kind != FeedKind.APPLICANT:
        lines.append(_("Trainee: %(name)s") % {"name": _trainee(placement)})
    if reporting.time:
        lines.append(_("Report at %(time)s on the first day.") % {"time": time_format(reporting.time)})
    if reporting.hours:
        lines.append(_("Working hours: %(hours)s") % {"hours": reporting.hours})
    if reporting.contact:
        lines.append(_("Contact: %(contact)s") % {"contact": reporting.contact})
    if reporting.notes:
        lines.append(reporting.notes)
    return "\n".join(lines)


def _event(placement: Placement, kind: str, domain: str) -> Event:
    department = placement.department
    reporting = department_reporting(department)
    if kind == FeedKind.APPLICANT:
        summary = _("Placement: %(department)s") % {"department": department.label}
    else:
        summary = _("%(trainee)s (%(programme)s) – %(department)s") % {
            "trainee": _trainee(placement),
            "programme": placement.application.programme,
            "department": department.label,
        }
    event = Event()
    event.add("uid", f"placement-{placement.uuid}@{domain}")
    event.add("dtstamp", placement.updated_at.astimezone(UTC))
    event.add("last-modified", placement.updated_at.astimezone(UTC))
    event.add("dtstart", placement.start_week)
    event.add("dtend", placement.end_date + timedelta(days=1))  # all-day: the end is exclusive
    event.add("summary", summary)
    event.add("location", ", ".join(part for part in (department.label, " ".join(reporting.address.split())) if part))
    event.add("description", _description(placement, kind))
    event.add("status", "TENTATIVE" if placement.status == PlacementStatus.OFFERED else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    return event


def feed_calendar(token: FeedToken) -> bytes:
    """The feed of `token` as iCalendar text, in its owner's language."""
    user = token.user
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    with translation.override(user.language or settings.LANGUAGE_CODE):
        calendar = Calendar()
        calendar.add("prodid", "-//Placement portal//Placements//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", _calendar_name(user, token.kind))
        for placement in feed_placements(user, token.kind):
            calendar.add_component(_event(placement, token.kind, domain))
    return calendar.to_ical()


def feed_token_owner(secret: str) -> FeedToken | None:
    """The token behind a feed address, while its owner may still read it; None for any other."""
    if not secret or len(secret) > 64:
        return None
    token = FeedToken.objects.filter(token=secret).select_related("user").first()
    if token is None or not feed_allowed(token.user, token.kind):
        return None
    return token
