"""E-mail to host supervisors: the invitation, and a coordinator's request to confirm a placement.

The editable templates only know the portal's placeholders (portal.mail.rendering.PLACEHOLDERS):
`dashboard_url` is the link to follow and `message` what the e-mail is about (the departments; the
placement's department and dates with the coordinator's note); `applicant_name` is the invitee in
the invitation and the trainee in a request to confirm."""

import logging

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from placements.allocation.models import Placement
from portal.mail.models import EmailCode
from portal.mail.services import NoTemplate, email_queue

logger = logging.getLogger(__name__)


def _name(user) -> str:
    return user.get_full_name() or user.email


def invitation_email_queue(*, user, departments: list, link: str, by) -> None:
    """Tell `user` that they supervise `departments` now, with the link to follow (set a password, or sign in)."""
    with translation.override(user.language):
        listed = "; ".join(d.label for d in departments)
        message = _("Departments: %(departments)s.") % {"departments": listed}
    email_queue(
        code=EmailCode.HOST_INVITATION,
        to=user.email,
        language=user.language,
        context={"applicant_name": _name(user), "message": message, "dashboard_url": link},
    )


def confirmation_request_email_queue(*, placement: Placement, supervisors: list, note: str) -> int:
    """Ask the supervisors of `placement`'s department to confirm it; returns how many e-mails were queued."""
    application = placement.application
    link = settings.SITE_URL + reverse("hosting:placement", kwargs={"uuid": placement.uuid})
    queued = 0
    for user in supervisors:
        with translation.override(user.language):
            message = _("%(department)s, from %(first)s to %(last)s.") % {
                "department": placement.department.label,
                "first": date_format(placement.start_week, "j F Y"),
                "last": date_format(placement.end_date, "j F Y"),
            }
            if note:
                message += f"\n\n{note}"
        context = {
            "applicant_name": application.applicant.get_full_name() or application.applicant.email,
            "reference": application.reference or "",
            "programme": application.programme.title,
            "start_date": placement.start_week,
            "end_date": placement.end_date,
            "message": message,
            "dashboard_url": link,
        }
        try:
            email_queue(
                code=EmailCode.HOST_CONFIRMATION_REQUESTED, to=user.email, language=user.language, context=context
            )
        except NoTemplate:
            logger.info("No e-mail template to ask for confirmation; placement %s", placement.pk)
            return queued
        queued += 1
    return queued
