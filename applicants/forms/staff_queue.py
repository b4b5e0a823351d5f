"""The review queue's filter form (GET) and its bulk-action form (POST)."""

import re
import uuid
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from applicants.selectors_staff import DEFAULT_SORT, QUEUE_STATES, QueueFilters, StaffCatalogue
from portal.text import plain_text, refuse_control_characters, single_line

SORT_CHOICES = [
    ("-submitted", _("Submitted, newest first")),
    ("submitted", _("Submitted, oldest first")),
    ("start", _("Start date, soonest first")),
    ("-start", _("Start date, latest first")),
    ("-score", _("Score, highest first")),
    ("score", _("Score, lowest first")),
]
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MAX_SELECTED = 500


class QueueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, e-mail or reference")}),
    )
    programme = forms.TypedChoiceField(label=_("Programme"), required=False, coerce=int, empty_value=None)
    status = forms.MultipleChoiceField(
        label=_("Status"),
        required=False,
        choices=[(status.value, status.label) for status in QUEUE_STATES],
        widget=forms.CheckboxSelectMultiple,
    )
    department = forms.TypedChoiceField(
        label=_("Specialization or section"), required=False, coerce=int, empty_value=None
    )
    start_month = forms.CharField(
        label=_("Requested start month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    warnings = forms.BooleanField(label=_("Automatic-check warnings only"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, data, *, catalogue: StaffCatalogue):
        super().__init__(data, auto_id="filter-%s")  # the ids the queue page gives its controls
        self.catalogue = catalogue
        programme_field = self.fields["programme"]
        programme_field.choices = [("", _("All my programmes")), *catalogue.programmes.items()]
        if len(catalogue.programmes) == 1:
            programme_field.choices = list(catalogue.programmes.items())
        self.fields["department"].choices = self._department_choices()
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select form-select-sm"
            elif isinstance(field.widget, forms.TextInput):
                field.widget.attrs["class"] = "form-control form-control-sm"
            elif isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input"
        refuse_control_characters(self.fields)

    def _department_choices(self):
        programme_id = self._raw_programme_id()
        departments = self.catalogue.departments_of(programme_id if programme_id in self.catalogue.programmes else None)
        choices: list = [("", pgettext_lazy("department", "Any"))]
        if programme_id is None and len(self.catalogue.programmes) > 1:
            for pid, title in self.catalogue.programmes.items():
                group = [(d.id, d.label) for d in departments if d.programme_id == pid]
                if group:
                    choices.append((title, group))
        else:
            choices += [(d.id, d.label) for d in departments]
        return choices

    def _raw_programme_id(self) -> int | None:
        value = (self.data.get("programme") or "").strip()
        # ASCII digits only: "²" and "٣" are digits to isdigit() but not numbers of ours.
        return int(value) if value.isascii() and value.isdigit() else None

    def programme_out_of_scope(self) -> bool:
        """Whether a programme was asked for that the user does not work on (the page answers 404)."""
        value = (self.data.get("programme") or "").strip()
        return bool(value) and self._raw_programme_id() not in self.catalogue.programmes

    def clean_start_month(self) -> date | None:
        value = self.cleaned_data["start_month"].strip()
        if not value:
            return None
        match = MONTH.match(value)
        if not match or not 1 <= int(match[2]) <= 12:
            raise ValidationError(_("Give a month as YYYY-MM, e.g. 2027-03."))
        return date(int(match[1]), int(match[2]), 1)

    def filters(self) -> QueueFilters:
        """The valid part of what was asked: a field with an error is left out (and shown with its error)."""
        self.is_valid()
        data = self.cleaned_data
        programme_id = data.get("programme")
        if programme_id is None and len(self.catalogue.programmes) == 1:
            programme_id = next(iter(self.catalogue.programmes))
        return QueueFilters(
            programme_id=programme_id,
            statuses=tuple(data.get("status") or ()),
            department_id=data.get("department"),
            start_month=data.get("start_month"),
            warnings_only=bool(data.get("warnings")),
            q=data.get("q") or "",
            sort=data.get("sort") or DEFAULT_SORT,
        )


class BulkAction:
    START_REVIEW = "start_review"
    REJECT = "reject"
    EXPORT = "export"
    CHOICES = [(START_REVIEW, _("Start review")), (REJECT, _("Reject with a message")), (EXPORT, _("Export CSV"))]


class UUIDListField(forms.Field):
    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Select at least one application."),
        "invalid": _("The selection could not be read; reload the page and try again."),
        "too_many": format_lazy(_("Select at most {count} applications at a time."), count=MAX_SELECTED),
    }

    def to_python(self, value) -> list[uuid.UUID]:
        if not value:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        try:
            uuids = list(dict.fromkeys(uuid.UUID(str(item)) for item in value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if len(uuids) > MAX_SELECTED:
            raise ValidationError(self.error_messages["too_many"], code="too_many")
        return uuids


class BulkActionForm(forms.Form):
    action = forms.ChoiceField(choices=BulkAction.CHOICES)
    selected = UUIDListField()
    message = forms.CharField(required=False, max_length=5000, widget=forms.Textarea, validators=[plain_text])
    # The query string of the queue page the action was started from, to go back to it.
    back = forms.CharField(required=False, max_length=2000, validators=[single_line])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == BulkAction.REJECT and not (cleaned.get("message") or "").strip():
            self.add_error("message", _("Write the message that goes to the rejected applicants."))
        return cleaned
