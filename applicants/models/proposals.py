from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applicants.enums import ProposalStatus


class HospitalProposal(models.Model):
    """A recognized hospital the applicant proposes for a group that accepts proposals ("UZ Leuven or
    another recognized hospital"); it stands for the applicant's choice in that group until a
    coordinator approves it (it becomes a department and an offering) or refuses it with a reason."""

    application = models.ForeignKey(
        "applicants.Application",
        on_delete=models.CASCADE,
        related_name="hospital_proposals",
        verbose_name=_("application"),
    )
    group = models.ForeignKey(
        "placements.OfferingGroup", on_delete=models.PROTECT, related_name="+", verbose_name=_("group")
    )
    specialization = models.ForeignKey(
        "placements.Specialization", on_delete=models.PROTECT, related_name="+", verbose_name=_("specialization")
    )
    hospital = models.CharField(_("hospital"), max_length=200)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 code, e.g. BE or NL."))
    department = models.CharField(_("department"), max_length=150)
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_email = models.EmailField(_("contact e-mail"))
    weeks = models.PositiveSmallIntegerField(_("weeks"))
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    refusal_reason = models.TextField(_("refusal reason"), blank=True)
    offering = models.ForeignKey(
        "placements.Offering",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The offering the approval created."),
        verbose_name=_("offering"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("hospital proposal")
        verbose_name_plural = _("hospital proposals")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "group"], name="hospital_proposal_one_per_group"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """ "Radiotherapy physics, AZ Delta (Roeselare)" """
        return f"{self.department}, {self.hospital} ({self.city})"
