"""Forms of the staff application page: review, information request, decision e-mail, internal note."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applicants.enums import Recommendation
from applicants.models import Review, RubricCriterion
from portal.text import plain_text, refuse_control_characters, single_line

SCORE_CHOICES = [(score, str(score)) for score in range(1, 6)]
SCORE_ERRORS = {"required": _("Give a score from 1 to 5."), "invalid_choice": _("Choose a score from 1 to 5.")}


class ReviewForm(forms.Form):
    """One score from 1 to 5 per rubric criterion of the programme, a comment and a recommendation."""

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("Seen by the programme's staff only."),
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=Recommendation.choices,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, criteria: list[RubricCriterion], review: Review | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        given = {score.criterion_id: score.score for score in review.scores.all()} if review else {}
        score_fields = {}
        for criterion in criteria:
            score_fields[self.field_name(criterion)] = forms.TypedChoiceField(
                label=criterion.name,
                help_text=criterion.description,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "btn-check"}),
                error_messages=SCORE_ERRORS,
                initial=given.get(criterion.pk),
            )
        # The scores first, then the comment and the recommendation.
        self.fields = {**score_fields, **self.fields}
        refuse_control_characters(self.fields)
        if review:
            self.fields["comment"].initial = review.comment
            self.fields["recommendation"].initial = review.recommendation

    @staticmethod
    def field_name(criterion: RubricCriterion) -> str:
        return f"score_{criterion.pk}"

    def score_fields(self):
        return [self[self.field_name(criterion)] for criterion in self.criteria]

    def scores(self) -> dict[int, int]:
        return {criterion.pk: self.cleaned_data[self.field_name(criterion)] for criterion in self.criteria}


class RequestInfoForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the applicant"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        help_text=_("Say what is missing or unclear. It is e-mailed to the applicant and shown on their page."),
        error_messages={"required": _("Write what the applicant should send or explain.")},
        validators=[plain_text],
    )


class DecisionEmailForm(forms.Form):
    """The decision e-mail, prefilled from its template; what is submitted here is what is sent."""

    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        error_messages={"required": _("The e-mail needs a subject.")},
        validators=[single_line],
    )
    body = forms.CharField(
        label=_("Message"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={"required": _("The e-mail needs a text.")},
        validators=[plain_text],
    )

    def clean_subject(self):
        # A subject is one line: a pasted newline must not end up in the header.
        return " ".join(self.cleaned_data["subject"].split())


class InternalNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text=_("Seen by the programme's staff only, never by the applicant."),
        error_messages={"required": _("Write the note first.")},
        validators=[plain_text],
    )
