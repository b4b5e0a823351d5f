"""The hospital an applicant proposes in the choice step, and the coordinator's answer to it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applicants.models import HospitalProposal
from applicants.services.proposals import ProposalInput
from placements.catalogue.models import OfferingGroup, Specialization


class HospitalProposalForm(forms.ModelForm):
    """A recognized hospital that is not listed: where, which department, whom to ask."""

    class Meta:
        model = HospitalProposal
        fields = ["hospital", "city", "country", "department", "specialization", "contact_name", "contact_email"]
        labels = {"hospital": _("Hospital"), "department": _("Department"), "specialization": _("Specialization")}
        help_texts = {
            "hospital": _("Its full name, as recognized for the training of medical physics experts."),
            "department": _("The department that would host you, e.g. Radiotherapy physics."),
            "contact_name": _("The medical physicist who agreed to supervise you, or whom we can ask."),
        }

    def __init__(self, *args, group: OfferingGroup, **kwargs):
        super().__init__(*args, prefix=f"proposal-{group.pk}", **kwargs)
        offered = {o.department.specialization_id for o in group.offerings.all()}
        self.fields["specialization"].queryset = Specialization.objects.filter(pk__in=offered)
        self.fields["specialization"].empty_label = None
        self.fields["country"].widget.attrs.update({"maxlength": 2, "autocomplete": "country"})

    def clean_country(self) -> str:
        country = self.cleaned_data["country"].strip().upper()
        if len(country) != 2 or not country.isalpha():
            raise forms.ValidationError(_("Give the two-letter country code, e.g. BE or NL."))
        return country

    def proposal(self, weeks: int) -> ProposalInput:
        data = self.cleaned_data
        return ProposalInput(weeks=weeks, **{name: data[name] for name in self.Meta.fields})


class ProposalApproveForm(forms.Form):
    weekly_capacity = forms.IntegerField(
        label=_("Trainees a week"),
        min_value=1,
        max_value=50,
        initial=1,
        help_text=_("How many the department can host."),
    )


class ProposalRefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The applicant reads it."),
        max_length=1000,
        error_messages={"required": _("Give the reason, for the applicant.")},
    )
