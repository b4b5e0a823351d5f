"""Forms of the application wizard, built from the programme's catalogue data.

Input that cannot be read (not a number, not a date) is a form error and nothing is saved; the
catalogue's rules are checked after saving (a draft may break them) and attached with
`add_violations`, next to the field each one concerns.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from applicants.files.types import ALLOWED_KINDS, describe_kinds, format_size
from applicants.forms.proposals import HospitalProposalForm
from applicants.models import Application, PrivacyNotice
from applicants.presenters import in_sentence
from applicants.services.applications import ComponentInput
from applicants.services.proposals import ProposalInput
from placements.catalogue.enums import QuestionKind
from placements.catalogue.models import Intake, OfferingGroup, Programme, ProgrammeDocument
from placements.catalogue.validation import Violation
from portal.text import refuse_control_characters

YES, NO = "yes", "no"


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # the step page owns the <form> and its buttons
    helper.disable_csrf = True
    if fields:
        helper.layout = Layout(*fields)
    return helper


class ViolationsMixin:
    """Attach rule violations (placements.catalogue.validation) to the fields they concern."""

    def field_for_violation(self, field: str) -> str | None:
        return field if field in self.fields else None

    def add_violations(self, violations: list[Violation]) -> None:
        for violation in violations:
            name = self.field_for_violation(violation.field)
            if name and name in self.fields:
                self.add_error(name, violation.message)
            else:
                self.add_error(None, violation.message)


# --- eligibility --------------------------------------------------------------------------------


class EligibilityForm(ViolationsMixin, forms.Form):
    """One field per eligibility question: yes/no radios or a short text. Unanswered is allowed in a draft."""

    def __init__(self, *args, programme: Programme, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(programme.questions.all())
        saved = application.answers or {}
        for question in self.questions:
            name = f"answer_{question.pk}"
            value = saved.get(str(question.pk))
            if question.kind == QuestionKind.YES_NO:
                self.fields[name] = forms.ChoiceField(
                    label=question.text,
                    choices=[(YES, _("Yes")), (NO, _("No"))],
                    widget=forms.RadioSelect,
                    required=False,
                    help_text=question.help_text,
                    initial={True: YES, False: NO}.get(value),
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.text,
                    max_length=500,
                    required=False,
                    help_text=question.help_text,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    initial=value or "",
                )
        refuse_control_characters(self.fields)
        self.helper = _helper()

    def field_for_violation(self, field: str) -> str | None:
        return f"answer_{field.removeprefix('answer:')}" if field.startswith("answer:") else None

    def answers(self) -> dict[int, object]:
        answers: dict[int, object] = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"answer_{question.pk}")
            if question.kind == QuestionKind.YES_NO:
                if value in (YES, NO):
                    answers[question.pk] = value == YES
            elif value and value.strip():
                answers[question.pk] = value.strip()
        return answers


# --- components ---------------------------------------------------------------------------------


PROPOSE = 0  # the radio of a pick-one group that stands for "another recognized hospital, not listed"


def is_pick_one(group: OfferingGroup) -> bool:
    """A group where exactly one offering is chosen and no pattern shapes the choice: radios."""
    return group.min_choices == group.max_choices == 1 and not group.patterns.all()


def _weeks_help(low: int, high: int) -> str:
    if low == high:
        return ngettext("%(weeks)s week.", "%(weeks)s weeks.", low) % {"weeks": low}
    return _("How many weeks you ask for (%(low)s–%(high)s).") % {"low": low, "high": high}


class ComponentsForm(ViolationsMixin, forms.Form):
    """The applicant's choice: radios for a pick-one group, weeks and a preference per offering otherwise.

    Weeks 0 (or empty) means "not chosen". Preferences are turned into a gapless order 1, 2, 3 ...
    """

    def __init__(self, *args, programme: Programme, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = list(programme.offering_groups.all())
        saved = {c.offering_id: c for c in application.components.all()}
        proposed = {p.group_id: p for p in application.hospital_proposals.all()}
        self.proposal_forms = {}  # group id -> the form of the hospital proposed there
        for group in self.groups:
            offerings = list(group.offerings.all())
            if is_pick_one(group):
                chosen = next((saved[o.pk] for o in offerings if o.pk in saved), proposed.get(group.pk))
                choices = [(o.pk, self._offering_label(o)) for o in offerings]
                if group.accepts_proposals:
                    choices.append((PROPOSE, _("Another recognized hospital, not listed: propose it")))
                    proposing = self.data.get(f"group_{group.pk}") == str(PROPOSE)
                    self.proposal_forms[group.pk] = HospitalProposalForm(
                        self.data if proposing else None, instance=proposed.get(group.pk), group=group
                    )
                self.fields[f"group_{group.pk}"] = forms.TypedChoiceField(
                    label=_("Choose one"),
                    choices=choices,
                    coerce=int,
                    widget=forms.RadioSelect,
                    required=False,
                    initial=PROPOSE if group.pk in proposed else (chosen.offering_id if chosen else None),
                )
                low = min((o.weeks_min for o in offerings), default=1)
                high = max((o.weeks_max for o in offerings), default=52)
                self.fields[f"group_{group.pk}_weeks"] = forms.IntegerField(
                    label=_("Weeks"),
                    min_value=1,
                    max_value=104,
                    required=False,
                    help_text=_weeks_help(low, high),
                    initial=chosen.weeks if chosen else (low if low == high else None),
                )
                continue
            for offering in offerings:
                component = saved.get(offering.pk)
                self.fields[f"weeks_{offering.pk}"] = forms.IntegerField(
                    label=_("Weeks"),
                    min_value=0,
                    max_value=104,
                    required=False,
                    initial=component.weeks if component else 0,
                )
                self.fields[f"rank_{offering.pk}"] = forms.IntegerField(
                    label=_("Preference"),
                    min_value=1,
                    max_value=99,
                    required=False,
                    initial=component.rank if component else None,
                )

    @property
    def group_rows(self) -> list[dict]:
        """What the template lays out: per group, its radios and weeks, or one row per offering."""
        rows = []
        for group in self.groups:
            if is_pick_one(group):
                choice, weeks = self[f"group_{group.pk}"], self[f"group_{group.pk}_weeks"]
                proposal = self.proposal_forms.get(group.pk)
                rows.append({"group": group, "pick_one": True, "choice": choice, "weeks": weeks, "proposal": proposal})
                continue
            offerings = [
                {"offering": o, "weeks": self[f"weeks_{o.pk}"], "rank": self[f"rank_{o.pk}"]}
                for o in group.offerings.all()
            ]
            rows.append({"group": group, "pick_one": False, "offerings": offerings})
        return rows

    @staticmethod
    def _offering_label(offering) -> str:
        low, high = offering.weeks_min, offering.weeks_max
        if low == high:
            weeks = ngettext("%(weeks)s week", "%(weeks)s weeks", low) % {"weeks": low}
        else:
            weeks = _("%(low)s–%(high)s weeks") % {"low": low, "high": high}
        institution = offering.department.institution
        hospital = (
            _("%(hospital)s (recognized hospital)") % {"hospital": institution}
            if institution.recognized
            else institution
        )
        values = {"department": offering.department.name, "hospital": hospital, "weeks": weeks}
        if offering.may_stand_alone:
            return _("%(department)s, %(hospital)s: %(weeks)s") % values
        return _("%(department)s, %(hospital)s: %(weeks)s; only together with another part") % values

    def clean(self):
        cleaned = super().clean()
        for group in self.groups:
            chosen = cleaned.get(f"group_{group.pk}")
            if is_pick_one(group) and chosen not in (None, "") and not cleaned.get(f"group_{group.pk}_weeks"):
                self.add_error(f"group_{group.pk}_weeks", _("Give the number of weeks you ask for."))
            proposal = self.proposal_forms.get(group.pk)
            if chosen == PROPOSE and proposal is not None and not proposal.is_valid():
                self.add_error(None, _("Give the details of the hospital you propose (marked below)."))
        return cleaned

    def proposals(self) -> list[tuple[OfferingGroup, ProposalInput | None]]:
        """For each group that accepts proposals: the hospital proposed there, or None (a listed one)."""
        found = []
        for group in self.groups:
            if group.pk in self.proposal_forms:
                proposing = self.cleaned_data.get(f"group_{group.pk}") == PROPOSE
                weeks = self.cleaned_data.get(f"group_{group.pk}_weeks")
                found.append((group, self.proposal_forms[group.pk].proposal(weeks) if proposing else None))
        return found

    def field_for_violation(self, field: str) -> str | None:
        if not field.startswith("component:"):
            return None
        offering_id = int(field.removeprefix("component:"))
        for group in self.groups:
            if any(o.pk == offering_id for o in group.offerings.all()):
                return f"group_{group.pk}_weeks" if is_pick_one(group) else f"weeks_{offering_id}"
        return None

    def components(self) -> list[ComponentInput]:
        """The chosen offerings with their weeks, in the order of preference the applicant gave."""
        chosen: list[tuple[float, int, int, int]] = []  # (preference, position, offering id, weeks)
        position = 0
        for group in self.groups:
            for offering in group.offerings.all():
                position += 1
                if is_pick_one(group):
                    if self.cleaned_data.get(f"group_{group.pk}") == offering.pk:
                        chosen.append((0, position, offering.pk, self.cleaned_data[f"group_{group.pk}_weeks"]))
                    continue
                weeks = self.cleaned_data.get(f"weeks_{offering.pk}") or 0
                if weeks:
                    rank = self.cleaned_data.get(f"rank_{offering.pk}")
                    chosen.append((rank if rank else float("inf"), position, offering.pk, weeks))
        chosen.sort()
        return [
            ComponentInput(offering_id=offering_id, weeks=weeks, rank=rank)
            for rank, (_pref, _pos, offering_id, weeks) in enumerate(chosen, start=1)
        ]


# --- dates --------------------------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DatesForm(ViolationsMixin, forms.Form):
    start_date = forms.DateField(label=gettext_lazy("First day"), required=False, widget=DateInput())
    end_date = forms.DateField(label=gettext_lazy("Last day"), required=False, widget=DateInput())

    def __init__(self, *args, earliest=None, **kwargs):
        super().__init__(*args, **kwargs)
        if earliest:
            earliest_text = date_format(earliest, "l j F Y")
            self.fields["start_date"].help_text = _("The earliest possible start is %(day)s.") % {"day": earliest_text}
            self.fields["start_date"].widget.attrs["min"] = earliest.isoformat()
        self.fields["end_date"].help_text = _("The last day you are there (included).")
        self.helper = _helper()


class IntakeForm(ViolationsMixin, forms.Form):
    """The dates of a programme that runs in intakes: the open intake's period, not dates of one's own."""

    intake = forms.ModelChoiceField(
        queryset=Intake.objects.none(), widget=forms.RadioSelect, empty_label=None, label=gettext_lazy("Intake")
    )

    def __init__(self, *args, intake: Intake, **kwargs):
        kwargs.setdefault("initial", {"intake": intake.pk})
        super().__init__(*args, **kwargs)
        field = self.fields["intake"]
        field.queryset = Intake.objects.filter(pk=intake.pk)
        field.label_from_instance = intake_label
        field.help_text = _("Apply by %(day)s.") % {"day": date_format(intake.applications_deadline, "j F Y")}
        self.helper = _helper()

    def field_for_violation(self, field: str) -> str | None:
        return "intake" if field in ("start_date", "end_date") else None


def intake_label(intake: Intake) -> str:
    """ "2027–2028: Monday 13 September 2027 to Friday 16 June 2028 (40 weeks)" """
    values = {
        "year": intake.academic_year,
        "start": date_format(intake.starts_on, "l j F Y"),
        "end": date_format(intake.ends_on, "l j F Y"),
        "weeks": intake.weeks,
    }
    return (
        ngettext(
            "%(year)s: %(start)s to %(end)s (%(weeks)s week)",
            "%(year)s: %(start)s to %(end)s (%(weeks)s weeks)",
            intake.weeks,
        )
        % values
    )


# --- documents ----------------------------------------------------------------------------------


def accepted_kinds(item: ProgrammeDocument) -> list:
    return [spec for kind, spec in ALLOWED_KINDS.items() if kind in item.document_type.allowed_kinds]


class DocumentUploadForm(forms.Form):
    """The upload field of one document the programme asks for; the service decides if the file is fit."""

    file = forms.FileField(required=False)

    def __init__(self, *args, item: ProgrammeDocument, has_file: bool, **kwargs):
        super().__init__(*args, prefix=f"document-{item.pk}", **kwargs)
        self.item = item
        kinds = accepted_kinds(item)
        field = self.fields["file"]
        name = in_sentence(item.document_type.name)
        field.label = _("Replace your %(document)s") % {"document": name} if has_file else _("Choose a file")
        field.widget = forms.FileInput(
            attrs={"accept": ",".join([*(e for spec in kinds for e in spec.extensions), *(s.mime_type for s in kinds)])}
        )
        limit = format_size(settings.DOCUMENT_MAX_BYTES, exact=True)
        field.help_text = _("Upload %(kinds)s, at most %(limit)s.") % {"kinds": describe_kinds(kinds), "limit": limit}


# --- review -------------------------------------------------------------------------------------


class ConsentForm(forms.Form):
    consent = forms.BooleanField(
        label=gettext_lazy(
            "I have read the privacy notice above and agree that my data and documents are processed "
            "to handle this application."
        ),
        required=False,
    )

    def __init__(self, *args, application: Application, notice: PrivacyNotice, **kwargs):
        # Consent to an older version of the notice is asked for again.
        current = bool(application.consent_given_at) and application.privacy_notice_version == notice.version
        kwargs.setdefault("initial", {"consent": current})
        super().__init__(*args, **kwargs)
        self.fields["consent"].help_text = _("Privacy notice version %(version)s.") % {"version": notice.version}
        self.helper = _helper()
