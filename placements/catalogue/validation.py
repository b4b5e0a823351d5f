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
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
        message = _("Applications for the %(year)s intake closed on %(date)s.")
        return [Violation("programme", message % {"year": asked.academic_year, "date": deadline})]
    closed = intakes_closed(programme, applied_on)
    return [Violation("programme", closed)] if closed else []


def intakes_closed(programme: Programme, day: date) -> str:
    """Why a programme with intakes takes no application on `day`, in plain words ("" when it does, or
    has no intakes)."""
    intakes = list(programme.intakes.all())
    if not intakes or intake_open_on(programme, day):
        return ""
    last = max(intakes, key=lambda i: i.applications_deadline)
    return _("Applications for the %(year)s intake closed on %(date)s; the next intake is not open yet.") % {
        "year": last.academic_year,
        "date": human_date(last.applications_deadline),
    }


def _intake_period_violations(programme, start, end, applied_on) -> list[Violation]:
    """A programme with intakes offers the open intake's period, not dates of one's own."""
    current = intake_open_on(programme, applied_on)
    if current is None or intake_of_period(programme, start, end) == current:
        return []
    message = _("This programme runs in intakes: ask for the %(year)s internship, %(start)s to %(end)s.") % {
        "year": current.academic_year,
        "start": human_date(current.starts_on),
        "end": human_date(current.ends_on),
    }
    return [Violation("start_date", message)]


def _weekend_violation(field: str, day: date) -> list[Violation]:
    if day.weekday() < 5:
        return []
    if field == "start_date":
        message = _("%(date)s is a %(weekday)s; the placement runs on working days, so start on a Monday to Friday.")
    else:
        message = _("%(date)s is a %(weekday)s; the placement runs on working days, so end on a Monday to Friday.")
    return [Violation(field, message % {"date": human_date(day), "weekday": date_format(day, "l")})]


def _weeks_phrase(low: int, high: int) -> str:
    if low == high:
        return ngettext("%(count)s week", "%(count)s weeks", low) % {"count": low}
    return _("%(low)s–%(high)s weeks") % {"low": low, "high": high}


def _either(options: list[str]) -> str:
    """ "A", "A or B", "A or B or C": alternatives in one phrase."""
    phrase = options[0]
    for option in options[1:]:
        phrase = _("%(one)s or %(other)s") % {"one": phrase, "other": option}
    return phrase


def _weeks_refused(label: str, weeks: int, low: int, high: int) -> str:
    return _("%(choice)s: %(weeks)s is not possible; choose %(allowed)s.") % {
        "choice": label,
        "weeks": _weeks_phrase(weeks, weeks),
        "allowed": _weeks_phrase(low, high),
    }


def _count_phrase(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}–{high}"


def _component_violations(programme, components) -> list[Violation]:
    violations = []
    seen = set()
    for choice in components:
        offering = choice.offering
        field = f"component:{offering.pk}"
        if offering.programme_id != programme.pk:
            violations.append(
                Violation(field, _("%(choice)s is not offered by this programme.") % {"choice": offering.label})
            )
            continue
        if offering.pk in seen:
            violations.append(Violation(field, _("%(choice)s is chosen more than once.") % {"choice": offering.label}))
            continue
        seen.add(offering.pk)
        if not offering.weeks_min <= choice.weeks <= offering.weeks_max:
            message = _weeks_refused(offering.label, choice.weeks, offering.weeks_min, offering.weeks_max)
            violations.append(Violation(field, message))
    return violations


def _proposal_violations(programme, proposals) -> list[Violation]:
    violations = []
    for proposal in proposals:
        group = proposal.group
        if group.programme_id != programme.pk or not group.accepts_proposals:
            message = _("%(group)s: no hospital outside the list can be proposed here.") % {"group": group.title}
            violations.append(Violation("components", message))
            continue
        offerings = list(group.offerings.all())
        low = min((o.weeks_min for o in offerings), default=programme.min_total_weeks)
        high = max((o.weeks_max for o in offerings), default=programme.max_total_weeks)
        if not low <= proposal.weeks <= high:
            violations.append(Violation("components", _weeks_refused(proposal.label, proposal.weeks, low, high)))
    return violations


def _group_violations(programme, components, proposals) -> list[Violation]:
    if not components and not proposals:
        return [Violation("components", _("Choose at least one part of the programme."))]
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
                message = _("%(group)s: choose exactly one.")
            elif count < group.min_choices:
                message = _("%(group)s: choose at least %(count)s.")
            else:
                message = _("%(group)s: choose at most %(count)s.")
            limit = group.min_choices if count < group.min_choices else group.max_choices
            violations.append(Violation("components", message % {"group": group.title, "count": limit}))
            continue
        patterns = list(group.patterns.all())
        if chosen and patterns and not any(p.matches(chosen) for p in patterns):
            shapes = _either(
                [
                    _("%(count)s for %(weeks)s each")
                    % {
                        "count": _count_phrase(p.min_offerings, p.max_offerings),
                        "weeks": _weeks_phrase(p.min_weeks_each, p.max_weeks_each),
                    }
                    for p in patterns
                ]
            )
            message = _("%(group)s: choose %(shapes)s.") % {"group": group.title, "shapes": shapes}
            violations.append(Violation("components", message))
    if not proposals and not any(choice.offering.may_stand_alone for choice in components):
        violations.append(Violation("components", _alone_message(programme, components)))
    return violations


def _alone_message(programme, components) -> str:
    """Why choices that may not stand alone cannot be chosen by themselves, and what they go with."""
    names = ", ".join(choice.offering.label for choice in components)
    if len(components) == 1:
        message = _("%(choices)s cannot be chosen on its own.") % {"choices": names}
    else:
        message = _("%(choices)s cannot be chosen without another part.") % {"choices": names}
    partners = sorted({o.group.title for o in programme.offerings.all() if o.may_stand_alone})
    if partners:
        message += " " + _("Combine it with %(partners)s.") % {"partners": _either(partners)}
    return message


def _request_violations(programme, start, end, applied_on) -> list[Violation]:
    """The rules of asking for a period: an intake's period where there are intakes, the lead time, and
    working days at both ends."""
    violations = _intake_period_violations(programme, start, end, applied_on)
    earliest = earliest_start(programme, applied_on)
    if start < earliest:
        months = programme.lead_time_months
        message = ngettext(
            "The start date must be on or after %(earliest)s, the first Monday at least %(months)s month after "
            "%(applied)s.",
            "The start date must be on or after %(earliest)s, the first Monday at least %(months)s months after "
            "%(applied)s.",
            months,
        ) % {"earliest": date_format(earliest, "l j F Y"), "months": months, "applied": human_date(applied_on)}
        violations.append(Violation("start_date", message))
    else:
        violations += _weekend_violation("start_date", start)
    return violations + _weekend_violation("end_date", end)


def _date_violations(programme, components, proposals, start, end, applied_on, *, requested) -> list[Violation]:
    violations = []
    if start is None:
        violations.append(Violation("start_date", _("Give the date you want to start.")))
    if end is None:
        violations.append(Violation("end_date", _("Give the date you want to finish.")))
    if start is None or end is None:
        return violations
    if end < start:
        return [Violation("end_date", _("The end date must be after the start date."))]
    if requested:
        violations += _request_violations(programme, start, end, applied_on)
    weeks = period_weeks(start, end)
    low, high = programme.min_total_weeks, programme.max_total_weeks
    if not low <= weeks <= high:
        message = _("The requested period is %(weeks)s; this programme lasts %(allowed)s.") % {
            "weeks": _weeks_phrase(weeks, weeks),
            "allowed": _weeks_phrase(low, high),
        }
        violations.append(Violation("end_date", message))
    chosen_weeks = sum(choice.weeks for choice in [*components, *proposals])
    if (components or proposals) and chosen_weeks != weeks:
        message = _("Your choices add up to %(chosen)s, but the requested period is %(weeks)s.") % {
            "chosen": _weeks_phrase(chosen_weeks, chosen_weeks),
            "weeks": _weeks_phrase(weeks, weeks),
        }
        violations.append(Violation("components", message))
    return violations


def _window_violations(programme, start, end, applied_on) -> list[Violation]:
    opens, closes = programme.applications_open, programme.applications_close
    if opens and applied_on < opens:
        return [Violation("programme", _("Applications open on %(date)s.") % {"date": human_date(opens)})]
    if closes and applied_on > closes:
        return [Violation("programme", _("Applications closed on %(date)s.") % {"date": human_date(closes)})]
    return _intake_window_violations(programme, start, end, applied_on)


def _answer_violations(programme, answers) -> list[Violation]:
    violations = []
    for question in programme.questions.all():
        answer = answers.get(question.pk)
        field = f"answer:{question.pk}"
        if answer in (None, ""):
            violations.append(Violation(field, _("Please answer this question.")))
        elif question.kind == QuestionKind.YES_NO and question.must_answer_yes and answer is not True:
            violations.append(Violation(field, question.refusal_message or _("This programme requires a yes here.")))
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
