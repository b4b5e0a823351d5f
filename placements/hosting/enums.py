"""Choices of hosting: the department's answer to a confirmation request."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConfirmationStatus(models.TextChoices):
    REQUESTED = "requested", _("Asked, no answer yet")
    CONFIRMED = "confirmed", _("Confirmed by the department")
    DECLINED = "declined", _("Declined by the department")
