"""The forms of training: a logbook entry, a supervisor's sign-off or return, an evaluation built from
its form's items, the trainee's comment and the trainee's evaluation of the placement."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from placements.allocation.models import Placement
from placements.training import rules
from placements.training.enums import ItemKind
from placements.training.models import EvaluationForm
from placements.training.queries import competencies_for
from placements.training.services.logbook import Activity
from portal.text import plain_text

TEXT = {"class": "form-control"}


class CompetencyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.group.title}: {obj.title}"


class EntryForm(forms.Form):
    competency = CompetencyChoice(
        label=_("Competency"),
        queryset=None,
        empty_label=_("Choose a competency"),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "required": _("Choose the competency you worked on."),
            "invalid_choice": _("Choose a competency from the list."),
        },
    )
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        error_messages={"required": _("Give the day of the activity."), "invalid": _("Give a date as YYYY-MM-DD.")},
    )
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=Decimal("0.5"),
        max_value=Decimal(24),
        max_digits=4,
        decimal_places=1,
        help_text=_("From 0.5 to 24, in half hours."),
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.5", "inputmode": "decimal"}),
        error_messages={"required": _("Give the hours spent.")},
    )
    activity = forms.CharField(
        label=_("What you did"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, **TEXT}),
        validators=[plain_text],
        error_messages={"required": _("Describe what you did.")},
    )

    def __init__(self, *args, placement: Placement, **kwargs):
        super().__init__(*args, **kwargs)
        self.placement = placement
        self.fields["competency"].queryset = competencies_for(placement.department.specialization_id)

    def clean_date(self):
        day = self.cleaned_data["date"]
        problem = rules.entry_date_problem(self.placement, day)
        if problem:
            raise forms.ValidationError(problem)
        return day

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours * 2 != int(hours * 2):
            raise forms.ValidationError(_("Give the hours in half hours, e.g. 1.5."))
        return hours

    def activity_input(self) -> Activity:
        data = self.cleaned_data
        return Activity(
            competency=data["competency"], date=data["date"], activity=data["activity"], hours=data["hours"]
        )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should the trainee change?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, **TEXT}),
        validators=[plain_text],
        error_messages={"required": _("Say what the trainee should change.")},
    )


class EvaluationAnswersForm(forms.Form):
    """One field per item of an evaluation form: a score on its scale, or a written answer."""

    def __init__(self, *args, form: EvaluationForm, submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.evaluation_form = form
        scale = [(str(score), f"{score} – {words}") for score, words in form.scale]
        for item in form.items.all():
            name = f"item_{item.pk}"
            required = submitting and item.required
            if item.kind == ItemKind.SCALE:
                self.fields[name] = forms.TypedChoiceField(
                    label=item.text,
                    choices=scale,
                    coerce=int,
                    required=required,
                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                    help_text=item.help_text,
                    error_messages={"required": _("Choose a score.")},
                )
            else:
                self.fields[name] = forms.CharField(
                    label=item.text,
                    max_length=3000,
                    required=required,
                    help_text=item.help_text,
                    widget=forms.Textarea(attrs={"rows": 3, **TEXT}),
                    validators=[plain_text],
                    error_messages={"required": _("Write your answer.")},
                )

    def answers(self) -> dict:
        return {
            name.removeprefix("item_"): value for name, value in self.cleaned_data.items() if value not in (None, "")
        }


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Your comment"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3, **TEXT}),
        validators=[plain_text],
        error_messages={"required": _("Write your comment.")},
    )


SCORES = [(str(n), str(n)) for n in range(1, 6)]


def _score(label):
    return forms.TypedChoiceField(
        label=label,
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        help_text=_("1 is poor, 5 is excellent."),
        error_messages={"required": _("Choose a score from 1 to 5.")},
    )


class FeedbackForm(forms.Form):
    overall = _score(_("The placement as a whole"))
    supervision = _score(_("Supervision and guidance"))
    learning = _score(_("What you learned"))
    comment = forms.CharField(
        label=_("Anything else the programme should know? (optional)"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3, **TEXT}),
        validators=[plain_text],
    )
