"""A seat freed by a declined, lapsed or withdrawn placement, and who could take it."""

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import models

from placements.allocation.enums import SeatProposalStatus
from placements.catalogue.models.catalogue import Department, Programme


class SeatProposal(models.Model):
    """A suggestion to the coordinators: `application` fits the weeks `placement` left free."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="seat_proposals")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="seat_proposals")
    start_week = models.DateField(help_text="The Monday of the first free week.")
    weeks = models.PositiveSmallIntegerField()
    freed_by = models.OneToOneField(
        "placements.Placement",
        on_delete=models.CASCADE,
        related_name="seat_proposal",
        help_text="The placement whose seat became free; one proposal per freed placement.",
    )
    application = models.ForeignKey(
        "applicants.Application", on_delete=models.CASCADE, related_name="seat_proposals", help_text="Suggested."
    )
    status = models.CharField(max_length=10, choices=SeatProposalStatus.choices, default=SeatProposalStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["start_week", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "start_week", "application"], name="seat_proposal_unique_suggestion"
            ),
            models.CheckConstraint(condition=models.Q(weeks__gte=1), name="seat_proposal_at_least_one_week"),
        ]
        indexes = [models.Index(fields=["programme", "status"])]

    def __str__(self):
        return f"{self.department.name} from {self.start_week}: {self.application}"

    @property
    def end_week(self) -> date:
        return self.start_week + timedelta(weeks=self.weeks - 1)

    def week_list(self) -> list[date]:
        return [self.start_week + timedelta(weeks=i) for i in range(self.weeks)]
