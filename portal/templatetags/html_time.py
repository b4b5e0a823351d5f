"""Times written for machines in a page: the `datetime` attribute of <time>."""

from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def html_datetime(value: datetime | None) -> str:
    """2026-12-06T08:23:15+01:00: to the second, as HTML allows (Django's "c" format adds microseconds)."""
    if not value:
        return ""
    return timezone.localtime(value).isoformat(timespec="seconds")
