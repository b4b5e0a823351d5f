"""A seat freed by a declined, lapsed or withdrawn placement, and who could take it."""

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from placements.allocation.enums import SeatProposalStatus
from placements.catalogue.models.catalogue import Department, Programme


class SeatProposal(models.Model):
    """A suggestion to the coordinators: `application` fits the weeks `placement` left free."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="seat_proposals", verbose_name=_("programme")
    )
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="seat_proposals", verbose_name=_("department")
    )
    start_week = models.DateField(_("start week"), help_text=_("The Monday of the first free week."))
    weeks = models.PositiveSmallIntegerField(_("weeks"))
    freed_by = models.OneToOneField(
        "placements.Placement",
        on_delete=models.CASCADE,
        related_name="seat_proposal",
        help_text=_("The placement whose seat became free; one proposal per freed placement."),
        verbose_name=_("freed by"),
    )
    application = models.ForeignKey(
        "applicants.Application",
        on_delete=models.CASCADE,
        related_name="seat_proposals",
        help_text=_("Suggested."),
        verbose_name=_("application"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SeatProposalStatus.choices, default=SeatProposalStatus.OPEN
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    class Meta:
        verbose_name = _("seat proposal")
        verbose_name_plural = _("seat proposals")
        ordering = ["start_week", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "start_week", "application"], name="seat_proposal_unique_suggestion"
            ),
            models.CheckConstraint(condition=models.Q(weeks__gte=1), name="seat_proposal_at_least_one_week"),
        ]
        indexes = [models.Index(fields=["programme", "status"])]

    def __str__(self):
        return _("%(department)s from %(week)s: %(application)s") % {
            "department": self.department.name,
            "week": self.start_week,
            "application": self.application,
        }

    @property
    def end_week(self) -> date:
        return self.start_week + timedelta(weeks=self.weeks - 1)

    def week_list(self) -> list[date]:
        return [self.start_week + timedelta(weeks=i) for i in range(self.weeks)]
