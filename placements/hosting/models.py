"""Who supervises trainees in a host department, the department's answer to a placement, absences."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from placements.allocation.models import Placement
from placements.catalogue.models import Department
from placements.hosting.enums import ConfirmationStatus


class Supervision(models.Model):
    """A user supervises the trainees of a department (and of its sections)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supervisions")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="supervisions")
    created_at = models.DateTimeField(auto_now_add=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["department", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "department"], name="supervision_unique")]
        verbose_name = _("supervision")

    def __str__(self):
        return f"{self.user} supervises {self.department_id}"


class HostConfirmation(models.Model):
    """The coordinator asks the host department to confirm a proposed or offered placement."""

    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="host_confirmation")
    status = models.CharField(max_length=10, choices=ConfirmationStatus.choices, default=ConfirmationStatus.REQUESTED)
    reason = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField()
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"Confirmation of placement {self.placement_id}: {self.status}"


class Absence(models.Model):
    """Days a trainee was (or will be) away from the department, recorded by a supervisor."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="absences")
    first_day = models.DateField()
    last_day = models.DateField()
    reason = models.CharField(max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["first_day", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(last_day__gte=models.F("first_day")), name="absence_in_order")
        ]

    def __str__(self):
        return f"Absence {self.first_day}–{self.last_day} of placement {self.placement_id}"


class FeedKind(models.TextChoices):
    """Whose placements a private calendar feed lists."""

    APPLICANT = "applicant", _("My placements (as a trainee)")
    SUPERVISOR = "supervisor", _("My departments' placements (as a supervisor)")
    COORDINATOR = "coordinator", _("My programmes' placements (as a coordinator)")


class FeedToken(models.Model):
    """The secret in the address of a user's private calendar feed (placements.hosting.feeds); renewing
    it replaces the token, so the old address stops working at once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_tokens")
    kind = models.CharField(max_length=12, choices=FeedKind.choices)
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="feed_token_unique")]
        verbose_name = _("calendar feed link")

    def __str__(self):
        return f"Calendar feed {self.kind} of user {self.user_id}"
