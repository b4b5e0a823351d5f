"""Forms of the placement pages: the segments of a manual assignment."""

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from placements.allocation.dates import OUT_OF_RANGE, plannable
from placements.allocation.models import monday_of
from placements.allocation.services.capacity import Segment, week_range
from placements.catalogue.models import Department

MAX_SEGMENTS = 20


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(department)s (%(hospital)s)") % {"department": obj.name, "hospital": obj.institution}


class SegmentForm(forms.Form):
    department = DepartmentChoiceField(queryset=Department.objects.none(), empty_label=_("Choose a department"))
    start_week = forms.DateField(
        label=_("First week"),  # any day of the week: the page says under the table that it stands for its Monday
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    weeks = forms.IntegerField(label=_("Weeks"), min_value=1, max_value=52)

    def __init__(self, *args, departments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments if departments is not None else Department.objects.none()
        for name, css in (("department", "form-select"), ("start_week", "form-control"), ("weeks", "form-control")):
            self.fields[name].widget.attrs["class"] = css

    def clean_start_week(self):
        day = self.cleaned_data["start_week"]
        if not plannable(day):
            raise forms.ValidationError(OUT_OF_RANGE)
        return monday_of(day)

    def segment(self) -> Segment:
        data = self.cleaned_data
        return Segment(data["department"], data["start_week"], data["weeks"])


class BaseSegmentFormSet(forms.BaseFormSet):
    def __init__(self, *args, departments=None, **kwargs):
        self.departments = departments
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Remove")
        form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "departments": self.departments}

    @property
    def empty_form(self):
        form = super().empty_form
        form.fields["department"].queryset = self.departments
        return form

    def segments(self) -> list[Segment]:
        """The filled-in segments, ordered by their first week (rows left blank or deleted are skipped)."""
        found = [
            form.segment()
            for form in self.forms
            if {"department", "start_week", "weeks"} <= form.cleaned_data.keys() and not form.cleaned_data.get("DELETE")
        ]
        return sorted(found, key=lambda s: (s.start_week, s.department.pk))

    def clean(self):
        if any(self.errors):
            return
        if not self.segments():
            raise forms.ValidationError(_("Add at least one placement."))


SegmentFormSet = forms.formset_factory(
    SegmentForm, formset=BaseSegmentFormSet, extra=2, can_delete=True, max_num=MAX_SEGMENTS, validate_max=True
)


def segment_initial(application, placements) -> list[dict]:
    """Rows to start from: the application's current placements, or else a plan from its request.

    One component (a single host department) fills the whole requested period; several are laid
    out one after the other from the requested start, in the applicant's order of preference.
    """
    if placements:
        return [{"department": p.department_id, "start_week": p.start_week, "weeks": p.weeks} for p in placements]
    components = list(application.components.all())
    if not application.start_date or not components:
        return []
    start = monday_of(application.start_date)
    if len(components) == 1:
        weeks = len(week_range(application.start_date, application.end_date or application.start_date))
        return [{"department": components[0].offering.department_id, "start_week": start, "weeks": weeks}]
    rows = []
    for component in components:
        rows.append({"department": component.offering.department_id, "start_week": start, "weeks": component.weeks})
        start += timedelta(weeks=component.weeks)
    return rows
