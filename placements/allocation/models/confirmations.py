"""A placement confirmation's verification token: the PDF carries it in a URL and a QR code, so that
anyone holding the document can check on the portal that it is genuine, and its dates."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    """256 random bits, URL-safe: unguessable, unlike the reference printed next to it."""
    return secrets.token_urlsafe(32)


class PlacementConfirmation(models.Model):
    """The confirmation of an application's accepted placements, made when it is first downloaded."""

    application = models.OneToOneField(
        "applicants.Application",
        on_delete=models.CASCADE,
        related_name="placement_confirmation",
        verbose_name=_("application"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token, editable=False)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("placement confirmation")
        verbose_name_plural = _("placement confirmations")
        ordering = ["-issued_at"]

    def __str__(self):
        return _("Confirmation of %(application)s") % {"application": self.application}
