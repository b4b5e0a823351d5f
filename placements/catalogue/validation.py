"""Rule validation: does a proposed choice fit the programme's catalogue rules?

One entry point, `validate_choice`, returns every violated rule in plain words, each tied to the
field it concerns, so a form can show it next to that field. The rules come from catalogue data:
offering groups and their patterns, weeks per offering, stand-alone flags, lead time, working days,
duration bounds, application window, intakes (deadline and period) and eligibility answers.
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.utils.formats import date_format

from placements.catalogue.enums import QuestionKind
from placements.catalogue.models import Intake, Offering, OfferingGroup, Programme


@dataclass(frozen=True)
class ComponentChoice:
    offering: Offering
    weeks: int


@dataclass(frozen=True)
class ProposedChoice:
    """A hospital the applicant proposes for a group that accepts proposals, standing for one choice
    of that group until a coordinator approves it (it then becomes an offering) or refuses it."""

    group: OfferingGroup
    weeks: int
    label: str


@dataclass(frozen=True)
class Violation:
    field: str  # "components", "component:<offering id>", "start_date", "end_date", "answer:<question id>"
    message: str


def human_date(value: date) -> str:
    return date_format(value, "j F Y")


def period_weeks(start: date, end: date) -> int:
    """Weeks covered by a stay from `start` to `end`, both included; a started week counts."""
    return math.ceil(((end - start).days + 1) / 7)


def earliest_start(programme: Programme, applied_on: date) -> date:
    """The first Monday at least the lead time after `applied_on`: placements run in weeks, Monday to Friday."""
    day = applied_on + relativedelta(months=programme.lead_time_months)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def intake_open_on(programme: Programme, day: date) -> Intake | None:
    """The intake that takes applications on `day`: the first whose deadline has not passed (None: the
    programme has no intakes, or every one has closed)."""
    return next((i for i in programme.intakes.all() if i.applications_deadline >= day), None)


def intake_of_period(programme: Programme, start: date | None, end: date | None) -> Intake | None:
    """The intake whose internship is exactly `start` to `end` (None: no intake's)."""
    return next((i for i in programme.intakes.all() if (i.starts_on, i.ends_on) == (start, end)), None)


def _intake_window_violations(programme, start, end, applied_on) -> list[Violation]:
    intakes = list(programme.intakes.all())
    if not intakes:
        return []
    asked = intake_of_period(programme, start, end)
    if asked and asked.applications_deadline < applied_on:
        deadline = human_date(asked.applications_deadline)
        return [Violation("programme", f"Applications for the {asked.academic_year} intake closed on {deadline}.")]
    closed = intakes_closed(programme, applied_on)
    return [Violation("programme", closed)] if closed else []


def intakes_closed(programme: Programme, day: date) -> str:
    """Why a programme with intakes takes no application on `day`, in plain words ("" when it does, or
    has no intakes)."""
    intakes = list(programme.intakes.all())
    if not intakes or intake_open_on(programme, day):
        return ""
    last = max(intakes, key=lambda i: i.applications_deadline)
    return (
        f"Applications for the {last.academic_year} intake closed on {human_date(last.applications_deadline)}; "
        "the next intake is not open yet."
    )


def _intake_period_violations(programme, start, end, applied_on) -> list[Violation]:
    """A programme with intakes offers the open intake's period, not dates of one's own."""
    current = intake_open_on(programme, applied_on)
    if current is None or intake_of_period(programme, start, end) == current:
        return []
    message = (
        f"This programme runs in intakes: ask for the {current.academic_year} internship, "
        f"{human_date(current.starts_on)} to {human_date(current.ends_on)}."
    )
    return [Violation("start_date", message)]


def _weekend_violation(field: str, day: date, verb: str) -> list[Violation]:
    if day.weekday() < 5:
        return []
    name = date_format(day, "l")
    message = f"{human_date(day)} is a {name}; the placement runs on working days, so {verb} on a Monday to Friday."
    return [Violation(field, message)]


def _weeks_phrase(low: int, high: int) -> str:
    if low == high:
        return f"{low} week" + ("" if low == 1 else "s")
    return f"{low}–{high} weeks"


def _count_phrase(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}–{high}"


def _component_violations(programme, components) -> list[Violation]:
    violations = []
    seen = set()
    for choice in components:
        offering = choice.offering
        field = f"component:{offering.pk}"
        if offering.programme_id != programme.pk:
            violations.append(Violation(field, f"{offering.label} is not offered by this programme."))
            continue
        if offering.pk in seen:
            violations.append(Violation(field, f"{offering.label} is chosen more than once."))
            continue
        seen.add(offering.pk)
        if not offering.weeks_min <= choice.weeks <= offering.weeks_max:
            violations.append(
                Violation(
                    field,
                    f"{offering.label}: {_weeks_phrase(choice.weeks, choice.weeks)} is not possible; "
                    f"choose {_weeks_phrase(offering.weeks_min, offering.weeks_max)}.",
                )
            )
    return violations


def _proposal_violations(programme, proposals) -> list[Violation]:
    violations = []
    for proposal in proposals:
        group = proposal.group
        if group.programme_id != programme.pk or not group.accepts_proposals:
            message = f"{group.title}: no hospital outside the list can be proposed here."
            violations.append(Violation("components", message))
            continue
        offerings = list(group.offerings.all())
        low = min((o.weeks_min for o in offerings), default=programme.min_total_weeks)
        high = max((o.weeks_max for o in offerings), default=programme.max_total_weeks)
        if not low <= proposal.weeks <= high:
            violations.append(
                Violation(
                    "components",
                    f"{proposal.label}: {_weeks_phrase(proposal.weeks, proposal.weeks)} is not possible; "
                    f"choose {_weeks_phrase(low, high)}.",
                )
            )
    return violations


def _group_violations(programme, components, proposals) -> list[Violation]:
    if not components and not proposals:
        return [Violation("components", "Choose at least one part of the programme.")]
    violations = []
    weeks_by_group: dict[int, list[int]] = {}  # a proposed hospital counts as one choice of its group
    for choice in components:
        weeks_by_group.setdefault(choice.offering.group_id, []).append(choice.weeks)
    for proposal in proposals:
        weeks_by_group.setdefault(proposal.group.pk, []).append(proposal.weeks)
    for group in programme.offering_groups.all():
        chosen = weeks_by_group.get(group.pk, [])
        count = len(chosen)
        if count < group.min_choices or count > group.max_choices:
            if group.min_choices == group.max_choices == 1:
                message = f"{group.title}: choose exactly one."
            elif count < group.min_choices:
                message = f"{group.title}: choose at least {group.min_choices}."
            else:
                message = f"{group.title}: choose at most {group.max_choices}."
            violations.append(Violation("components", message))
            continue
        patterns = list(group.patterns.all())
        if chosen and patterns and not any(p.matches(chosen) for p in patterns):
            shapes = " or ".join(
                f"{_count_phrase(p.min_offerings, p.max_offerings)} for "
                f"{_weeks_phrase(p.min_weeks_each, p.max_weeks_each)} each"
                for p in patterns
            )
            violations.append(Violation("components", f"{group.title}: choose {shapes}."))
    if not proposals and not any(choice.offering.may_stand_alone for choice in components):
        names = ", ".join(choice.offering.label for choice in components)
        partners = sorted({o.group.title for o in programme.offerings.all() if o.may_stand_alone})
        hint = f" Combine it with {' or '.join(partners)}." if partners else ""
        verb = "cannot be chosen on its own" if len(components) == 1 else "cannot be chosen without another part"
        violations.append(Violation("components", f"{names} {verb}.{hint}"))
    return violations


def _request_violations(programme, start, end, applied_on) -> list[Violation]:
    """The rules of asking for a period: an intake's period where there are intakes, the lead time, and
    working days at both ends."""
    violations = _intake_period_violations(programme, start, end, applied_on)
    earliest = earliest_start(programme, applied_on)
    if start < earliest:
        months = programme.lead_time_months
        violations.append(
            Violation(
                "start_date",
                f"The start date must be on or after {date_format(earliest, 'l j F Y')}, the first Monday "
                f"at least {months} month{'s' if months != 1 else ''} after {human_date(applied_on)}.",
            )
        )
    else:
        violations += _weekend_violation("start_date", start, "start")
    return violations + _weekend_violation("end_date", end, "end")


def _date_violations(programme, components, proposals, start, end, applied_on, *, requested) -> list[Violation]:
    violations = []
    if start is None:
        violations.append(Violation("start_date", "Give the date you want to start."))
    if end is None:
        violations.append(Violation("end_date", "Give the date you want to finish."))
    if start is None or end is None:
        return violations
    if end < start:
        return [Violation("end_date", "The end date must be after the start date.")]
    if requested:
        violations += _request_violations(programme, start, end, applied_on)
    weeks = period_weeks(start, end)
    low, high = programme.min_total_weeks, programme.max_total_weeks
    if not low <= weeks <= high:
        violations.append(
            Violation(
                "end_date",
                f"The requested period is {_weeks_phrase(weeks, weeks)}; "
                f"this programme lasts {_weeks_phrase(low, high)}.",
            )
        )
    chosen_weeks = sum(choice.weeks for choice in [*components, *proposals])
    if (components or proposals) and chosen_weeks != weeks:
        violations.append(
            Violation(
                "components",
                f"Your choices add up to {_weeks_phrase(chosen_weeks, chosen_weeks)}, "
                f"but the requested period is {_weeks_phrase(weeks, weeks)}.",
            )
        )
    return violations


def _window_violations(programme, start, end, applied_on) -> list[Violation]:
    opens, closes = programme.applications_open, programme.applications_close
    if opens and applied_on < opens:
        return [Violation("programme", f"Applications open on {human_date(opens)}.")]
    if closes and applied_on > closes:
        return [Violation("programme", f"Applications closed on {human_date(closes)}.")]
    return _intake_window_violations(programme, start, end, applied_on)


def _answer_violations(programme, answers) -> list[Violation]:
    violations = []
    for question in programme.questions.all():
        answer = answers.get(question.pk)
        field = f"answer:{question.pk}"
        if answer in (None, ""):
            violations.append(Violation(field, "Please answer this question."))
        elif question.kind == QuestionKind.YES_NO and question.must_answer_yes and answer is not True:
            violations.append(Violation(field, question.refusal_message or "This programme requires a yes here."))
    return violations


def validate_choice(
    *,
    programme: Programme,
    components: list[ComponentChoice],
    start: date | None,
    end: date | None,
    applied_on: date,
    answers: dict[int, object] | None = None,
    requested: bool = True,
    proposals: list[ProposedChoice] = (),
) -> list[Violation]:
    """Every rule of `programme` that the proposed choice breaks, in plain words (empty: all good).

    `answers` maps eligibility question ids to True/False (yes/no) or text; None skips the
    eligibility questions, so a caller can check the choice before they are answered.
    `requested=False` leaves out the rules of the applicant's request (application window, lead
    time, working days), keeping those of the stay itself: what a placement must respect.
    `proposals` are hospitals the applicant proposes, each counted as one choice of its group.
    """
    violations = _window_violations(programme, start, end, applied_on) if requested else []
    violations += _component_violations(programme, components)
    violations += _proposal_violations(programme, proposals)
    violations += _group_violations(programme, components, proposals)
    violations += _date_violations(programme, components, proposals, start, end, applied_on, requested=requested)
    if answers is not None:
        violations += _answer_violations(programme, answers)
    return violations
