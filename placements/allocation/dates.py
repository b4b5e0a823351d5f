"""Dates of allocation in words and numbers: an offer's answer deadline, runs of ISO weeks, the years
placements can be planned in."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Weeks the calendar and the assignment accept: any real placement fits, and every date computed from
# one (a year of weeks around it, a placement of up to 104 weeks) is a date Python can hold.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
OUT_OF_RANGE = gettext_lazy("Give a week in the years 2000 to 2099.")


def plannable(day: date) -> bool:
    """Whether `day` lies in the years placements can be planned in (FIRST_DAY to LAST_DAY)."""
    return FIRST_DAY <= day <= LAST_DAY


def offer_deadline_from(now: datetime) -> datetime:
    """The end of the day OFFER_RESPONSE_DAYS days after `now` (local time)."""
    day = timezone.localtime(now).date() + timedelta(days=settings.OFFER_RESPONSE_DAYS)
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def human_deadline(deadline: datetime) -> str:
    return date_format(timezone.localtime(deadline), "j F Y")


def weeks_in_words(start: date, count: int) -> str:
    """`count` weeks from the Monday `start`: "week 12", or "weeks 12–13" (also "weeks 52–2" across
    a new year: it is one run of weeks in date order)."""
    first = start.isocalendar().week
    if count == 1:
        return _("week %(week)d") % {"week": first}
    last = (start + timedelta(weeks=count - 1)).isocalendar().week
    return _("weeks %(first)d–%(last)d") % {"first": first, "last": last}
