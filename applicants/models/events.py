from django.conf import settings
from django.db import models

from applicants.enums import EventKind


class Event(models.Model):
    """Something that happened to an application: the timeline and the audit trail in one."""

    application = models.ForeignKey("applicants.Application", on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    message = models.TextField(blank=True)
    caused_by = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consequences",
        help_text="The event this one follows from, e.g. the status change an e-mail announced.",
    )
    internal = models.BooleanField(default=False, help_text="Visible to staff only.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
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
