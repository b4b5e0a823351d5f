from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applicants.enums import EventKind


class Event(models.Model):
    """Something that happened to an application: the timeline and the audit trail in one."""

    application = models.ForeignKey(
        "applicants.Application", on_delete=models.CASCADE, related_name="events", verbose_name=_("application")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("actor")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    from_status = models.CharField(_("from status"), max_length=20, blank=True)
    to_status = models.CharField(_("to status"), max_length=20, blank=True)
    message = models.TextField(_("message"), blank=True)
    caused_by = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consequences",
        help_text=_("The event this one follows from, e.g. the status change an e-mail announced."),
        verbose_name=_("caused by"),
    )
    internal = models.BooleanField(_("internal"), default=False, help_text=_("Visible to staff only."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["caused_by", "kind"],
                condition=models.Q(caused_by__isnull=False),
                name="event_one_consequence_per_kind",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"
