"""The coordinator's open request for information, for the applicant's application page."""

from django import template

from applicants.services.decisions import info_request_latest

register = template.Library()


@register.simple_tag
def latest_info_request(application):
    """The event of the latest information request on `application` (None if there is none)."""
    return info_request_latest(application)
