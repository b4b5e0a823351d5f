from django.conf import settings
from django.db import models

from applicants.enums import ProposalStatus


class HospitalProposal(models.Model):
    """A recognized hospital the applicant proposes for a group that accepts proposals ("UZ Leuven or
    another recognized hospital"); it stands for the applicant's choice in that group until a
    coordinator approves it (it becomes a department and an offering) or refuses it with a reason."""

    application = models.ForeignKey(
        "applicants.Application", on_delete=models.CASCADE, related_name="hospital_proposals"
    )
    group = models.ForeignKey("placements.OfferingGroup", on_delete=models.PROTECT, related_name="+")
    specialization = models.ForeignKey("placements.Specialization", on_delete=models.PROTECT, related_name="+")
    hospital = models.CharField("hospital", max_length=200)
    city = models.CharField(max_length=100)
    country = models.CharField(max_length=2, help_text="ISO 3166 code, e.g. BE or NL.")
    department = models.CharField("department", max_length=150)
    contact_name = models.CharField("contact person", max_length=150)
    contact_email = models.EmailField("contact e-mail")
    weeks = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING)
    refusal_reason = models.TextField(blank=True)
    offering = models.ForeignKey(
        "placements.Offering",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The offering the approval created.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
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
