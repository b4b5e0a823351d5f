"""The catalogue rules of both demo programmes, as `validate_choice` reports them to an applicant.

"cohort" is the Leuven certificate (exactly one host department out of five, 20 to 40 weeks, two
months lead time, a master's degree required); "rotation" is the UMCG observership (eight radiology
sections briefly or one or two longer, optional 1 or 2 weeks nuclear medicine never alone, three
months lead time).
"""

from datetime import date, timedelta

import pytest

from placements.catalogue.catalogue_import import catalogue_load
from placements.catalogue.models import Intake, Offering
from placements.catalogue.validation import (
    ComponentChoice,
    ProposedChoice,
    earliest_start,
    human_date,
    intake_open_on,
    validate_choice,
)

APPLIED_ON = date(2027, 1, 4)
START = date(2027, 9, 6)  # a Monday, well past both lead times
SECTIONS = [
    "umcg-neuro-head-neck",
    "umcg-thoracic",
    "umcg-abdominal",
    "umcg-musculoskeletal",
    "umcg-cardiovascular",
    "umcg-interventional",
    "umcg-paediatric",
    "umcg-breast",
]
NM = "umcg-nuclear-medicine"
PATTERN_MESSAGE = "Radiology sections: choose 8 for 1 week each or 1–2 for 2–8 weeks each."
MASTERS_REFUSAL = "This certificate is open only to holders of a master's degree in medical (radiation) physics."
AUTO = object()


@pytest.fixture
def catalogue(catalogue):
    """The demo catalogue without the certificate's intakes: most tests here are about the choice and
    ask for free dates; the intakes' own rules are tested with `intakes`, further down."""
    Intake.objects.all().delete()
    return catalogue


@pytest.fixture
def intakes(catalogue, demo_data):
    """The certificate with its demo intakes: 2027–2028 (apply by 31 May 2027; 13 September 2027 to
    16 June 2028, 40 weeks), 2028–2029 and 2029–2030."""
    catalogue_load(data=demo_data)
    return catalogue["cohort"]


def offering(department_slug: str) -> Offering:
    """The offering of a department; in the demo catalogue each department belongs to one programme."""
    return Offering.objects.select_related("department", "group").get(department__slug=department_slug)


def friday_after(start: date, weeks: int) -> date:
    """The last working day of a stay of `weeks` weeks that begins on `start` (a Monday)."""
    return start + timedelta(days=7 * weeks - 3)


def check(programme, picks, *, start=START, end=AUTO, weeks=None, applied_on=APPLIED_ON, answers=None):
    """Validate `picks` (department slug, weeks) and return the violations as (field, message) pairs.

    Unless given, the period runs from `start` for `weeks` weeks (default: the sum of the picks).
    """
    components = [ComponentChoice(offering(slug), chosen) for slug, chosen in picks]
    if end is AUTO:
        end = friday_after(start, weeks if weeks is not None else sum(chosen for _, chosen in picks))
    violations = validate_choice(
        programme=programme,
        components=components,
        start=start,
        end=end,
        applied_on=applied_on,
        answers=answers,
    )
    return [(violation.field, violation.message) for violation in violations]


def field_of(department_slug: str) -> str:
    return f"component:{offering(department_slug).pk}"


# --- Leuven certificate: exactly one specialization ---------------------------------------------


@pytest.mark.parametrize(
    "department",
    ["uzl-radiology", "uzl-radiotherapy", "uzl-nuclear-medicine", "azg-radiology", "azg-radiotherapy"],
)
def test_accepts_exactly_one_host_department_of_any_specialization(catalogue, department):
    assert check(catalogue["cohort"], [(department, 30)]) == []


def test_refuses_no_specialization(catalogue):
    assert check(catalogue["cohort"], [], weeks=30) == [("components", "Choose at least one part of the programme.")]


def test_refuses_two_specializations(catalogue):
    picks = [("uzl-radiology", 20), ("uzl-radiotherapy", 20)]

    assert check(catalogue["cohort"], picks) == [("components", "Internship specialization: choose exactly one.")]


def test_refuses_same_specialization_at_two_hospitals(catalogue):
    picks = [("uzl-radiology", 20), ("azg-radiology", 20)]

    assert check(catalogue["cohort"], picks) == [("components", "Internship specialization: choose exactly one.")]


def test_refuses_weeks_below_offering_minimum(catalogue):
    assert check(catalogue["cohort"], [("uzl-radiotherapy", 19)]) == [
        (field_of("uzl-radiotherapy"), "Radiotherapy physics: 19 weeks is not possible; choose 20–40 weeks."),
        ("end_date", "The requested period is 19 weeks; this programme lasts 20–40 weeks."),
    ]


def test_refuses_weeks_above_offering_maximum(catalogue):
    assert check(catalogue["cohort"], [("azg-radiology", 41)]) == [
        (field_of("azg-radiology"), "Radiology physics: 41 weeks is not possible; choose 20–40 weeks."),
        ("end_date", "The requested period is 41 weeks; this programme lasts 20–40 weeks."),
    ]


def test_accepts_period_at_programme_minimum_and_maximum(catalogue):
    assert check(catalogue["cohort"], [("uzl-radiology", 20)]) == []
    assert check(catalogue["cohort"], [("uzl-radiology", 40)]) == []


def test_refuses_period_longer_than_programme_maximum(catalogue):
    assert check(catalogue["cohort"], [("uzl-radiology", 40)], weeks=41) == [
        ("end_date", "The requested period is 41 weeks; this programme lasts 20–40 weeks."),
        ("components", "Your choices add up to 40 weeks, but the requested period is 41 weeks."),
    ]


def test_refuses_period_shorter_than_programme_minimum(catalogue):
    assert check(catalogue["rotation"], [(SECTIONS[0], 1)]) == [
        ("components", PATTERN_MESSAGE),
        ("end_date", "The requested period is 1 week; this programme lasts 2–18 weeks."),
    ]


def test_refuses_component_weeks_that_do_not_add_up_to_the_period(catalogue):
    assert check(catalogue["cohort"], [("uzl-radiology", 30)], weeks=32) == [
        ("components", "Your choices add up to 30 weeks, but the requested period is 32 weeks."),
    ]


def test_counts_a_started_week_as_a_whole_week(catalogue):
    end = START + timedelta(weeks=30)  # the Monday of week 31: one day into it

    assert check(catalogue["cohort"], [("uzl-radiology", 30)], end=end) == [
        ("components", "Your choices add up to 30 weeks, but the requested period is 31 weeks."),
    ]


# --- lead time ----------------------------------------------------------------------------------


LEUVEN_EARLIEST = (
    "The start date must be on or after Monday 8 March 2027, the first Monday at least 2 months after 4 January 2027."
)


def test_refuses_start_date_inside_lead_time(catalogue):
    start = date(2027, 3, 1)

    assert check(catalogue["cohort"], [("uzl-radiology", 30)], start=start) == [("start_date", LEUVEN_EARLIEST)]


def test_refuses_a_weekday_between_the_lead_time_and_the_next_monday(catalogue):
    # 4 March 2027, two months after 4 January, is a Thursday: the earliest start is the Monday after.
    assert check(catalogue["cohort"], [("uzl-radiology", 30)], start=date(2027, 3, 4)) == [
        ("start_date", LEUVEN_EARLIEST)
    ]


def test_accepts_start_date_exactly_on_earliest_monday(catalogue):
    assert check(catalogue["cohort"], [("uzl-radiology", 30)], start=date(2027, 3, 8)) == []


def test_refuses_observership_start_inside_three_month_lead_time(catalogue):
    picks = [(SECTIONS[0], 4)]

    assert check(catalogue["rotation"], picks, start=date(2027, 4, 2)) == [
        (
            "start_date",
            "The start date must be on or after Monday 5 April 2027, "
            "the first Monday at least 3 months after 4 January 2027.",
        ),
    ]
    assert check(catalogue["rotation"], picks, start=date(2027, 4, 5)) == []


@pytest.mark.parametrize(
    ("applied_on", "earliest"),
    [
        (date(2027, 1, 4), date(2027, 4, 5)),  # 4 April 2027 is a Sunday
        (date(2027, 1, 5), date(2027, 4, 5)),  # 5 April 2027 is a Monday: itself
        (date(2027, 1, 6), date(2027, 4, 12)),  # 6 April 2027 is a Tuesday
    ],
)
def test_earliest_start_is_the_first_monday_after_the_lead_time(catalogue, applied_on, earliest):
    assert earliest_start(catalogue["rotation"], applied_on) == earliest
    assert earliest.weekday() == 0


# --- working days -------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "day"), [(date(2027, 9, 4), "Saturday"), (date(2027, 9, 5), "Sunday")])
def test_refuses_a_start_on_a_weekend(catalogue, start, day):
    end = friday_after(date(2027, 9, 6), 4)

    assert check(catalogue["rotation"], [(SECTIONS[0], 4)], start=start, end=end) == [
        (
            "start_date",
            f"{human_date(start)} is a {day}; the placement runs on working days, so start on a Monday to Friday.",
        ),
    ]


@pytest.mark.parametrize(("end", "day"), [(date(2027, 10, 2), "Saturday"), (date(2027, 10, 3), "Sunday")])
def test_refuses_an_end_on_a_weekend(catalogue, end, day):
    assert check(catalogue["rotation"], [(SECTIONS[0], 4)], end=end) == [
        (
            "end_date",
            f"{human_date(end)} is a {day}; the placement runs on working days, so end on a Monday to Friday.",
        ),
    ]


def test_accepts_a_start_and_end_in_the_middle_of_a_week(catalogue):
    # Wednesday to the Tuesday four weeks later: four started weeks.
    assert check(catalogue["rotation"], [(SECTIONS[0], 4)], start=date(2027, 9, 8), end=date(2027, 10, 5)) == []


# --- eligibility questions ----------------------------------------------------------------------


def leuven_questions(programme):
    masters, workplace = programme.questions.all()
    return masters, workplace


def test_accepts_masters_question_answered_yes(catalogue):
    masters, workplace = leuven_questions(catalogue["cohort"])
    answers = {masters.pk: True, workplace.pk: "none"}

    assert check(catalogue["cohort"], [("uzl-radiology", 30)], answers=answers) == []


def test_refuses_masters_question_answered_no(catalogue):
    masters, workplace = leuven_questions(catalogue["cohort"])
    answers = {masters.pk: False, workplace.pk: "none"}

    assert check(catalogue["cohort"], [("uzl-radiology", 30)], answers=answers) == [
        (f"answer:{masters.pk}", MASTERS_REFUSAL),
    ]


def test_refuses_unanswered_questions(catalogue):
    masters, workplace = leuven_questions(catalogue["cohort"])

    assert check(catalogue["cohort"], [("uzl-radiology", 30)], answers={workplace.pk: ""}) == [
        (f"answer:{masters.pk}", "Please answer this question."),
        (f"answer:{workplace.pk}", "Please answer this question."),
    ]


def test_accepts_no_to_a_question_that_does_not_require_yes(catalogue):
    (clinical_phase,) = catalogue["rotation"].questions.all()

    assert check(catalogue["rotation"], [(SECTIONS[0], 4)], answers={clinical_phase.pk: False}) == []


def test_skips_questions_when_answers_are_not_given(catalogue):
    assert check(catalogue["cohort"], [("uzl-radiology", 30)], answers=None) == []


# --- application window -------------------------------------------------------------------------


@pytest.fixture
def windowed_cohort(catalogue):
    programme = catalogue["cohort"]
    programme.applications_open = date(2027, 1, 1)
    programme.applications_close = date(2027, 3, 31)
    programme.save(update_fields=["applications_open", "applications_close"])
    return programme


def test_refuses_application_before_window_opens(windowed_cohort):
    applied_on = date(2026, 12, 31)
    start = date(2027, 9, 6)

    assert check(windowed_cohort, [("uzl-radiology", 30)], start=start, applied_on=applied_on) == [
        ("programme", "Applications open on 1 January 2027."),
    ]


def test_refuses_application_after_window_closes(windowed_cohort):
    assert check(windowed_cohort, [("uzl-radiology", 30)], applied_on=date(2027, 4, 1)) == [
        ("programme", "Applications closed on 31 March 2027."),
    ]


@pytest.mark.parametrize("applied_on", [date(2027, 1, 1), date(2027, 3, 31)])
def test_accepts_application_on_first_and_last_day_of_window(windowed_cohort, applied_on):
    assert check(windowed_cohort, [("uzl-radiology", 30)], applied_on=applied_on) == []


# --- cohort intakes ------------------------------------------------------------------------------

INTAKE_START, INTAKE_END = date(2027, 9, 13), date(2028, 6, 16)


def test_accepts_the_period_of_the_open_intake(intakes):
    assert check(intakes, [("uzl-radiology", 40)], start=INTAKE_START, end=INTAKE_END) == []


def test_refuses_dates_other_than_the_intakes_period(intakes):
    assert check(intakes, [("uzl-radiology", 40)], start=date(2027, 9, 6), weeks=40) == [
        (
            "start_date",
            "This programme runs in intakes: ask for the 2027–2028 internship, 13 September 2027 to 16 June 2028.",
        ),
    ]


@pytest.mark.parametrize("applied_on", [date(2027, 1, 4), date(2027, 5, 31)])
def test_accepts_an_application_up_to_the_intakes_deadline(intakes, applied_on):
    picks = [("uzl-radiology", 40)]

    assert check(intakes, picks, start=INTAKE_START, end=INTAKE_END, applied_on=applied_on) == []


def test_refuses_an_application_after_the_intakes_deadline(intakes):
    picks = [("uzl-radiology", 40)]

    assert check(intakes, picks, start=INTAKE_START, end=INTAKE_END, applied_on=date(2027, 6, 1)) == [
        ("programme", "Applications for the 2027–2028 intake closed on 31 May 2027."),
        (
            "start_date",
            "This programme runs in intakes: ask for the 2028–2029 internship, 11 September 2028 to 15 June 2029.",
        ),
    ]


def test_the_open_intake_is_the_first_whose_deadline_has_not_passed(intakes):
    assert intake_open_on(intakes, date(2027, 5, 31)).academic_year == "2027–2028"
    assert intake_open_on(intakes, date(2027, 6, 1)).academic_year == "2028–2029"
    assert intake_open_on(intakes, date(2029, 6, 1)) is None


def test_refuses_an_application_once_every_intake_has_closed(intakes):
    assert check(intakes, [("uzl-radiology", 40)], start=None, end=None, applied_on=date(2029, 6, 1)) == [
        ("programme", "Applications for the 2029–2030 intake closed on 31 May 2029; the next intake is not open yet."),
        ("start_date", "Give the date you want to start."),
        ("end_date", "Give the date you want to finish."),
    ]


# --- another recognized hospital, proposed by the applicant ----------------------------------------


def proposed(programme, weeks: int) -> ProposedChoice:
    return ProposedChoice(group=programme.offering_groups.get(), weeks=weeks, label="Radiotherapy physics, AZ Delta")


def check_proposal(programme, picks, proposals, **kwargs):
    components = [ComponentChoice(offering(slug), chosen) for slug, chosen in picks]
    weeks = sum(chosen for _, chosen in picks) + sum(p.weeks for p in proposals)
    violations = validate_choice(
        programme=programme,
        components=components,
        proposals=proposals,
        start=START,
        end=friday_after(START, weeks),
        applied_on=APPLIED_ON,
        **kwargs,
    )
    return [(violation.field, violation.message) for violation in violations]


def test_accepts_a_proposed_hospital_as_the_one_specialization(catalogue):
    assert check_proposal(catalogue["cohort"], [], [proposed(catalogue["cohort"], 30)]) == []


def test_refuses_a_proposed_hospital_together_with_a_listed_department(catalogue):
    cohort = catalogue["cohort"]

    assert check_proposal(cohort, [("uzl-radiology", 20)], [proposed(cohort, 20)]) == [
        ("components", "Internship specialization: choose exactly one."),
    ]


def test_refuses_a_proposed_hospital_for_too_few_weeks(catalogue):
    cohort = catalogue["cohort"]

    assert check_proposal(cohort, [], [proposed(cohort, 12)]) == [
        ("components", "Radiotherapy physics, AZ Delta: 12 weeks is not possible; choose 20–40 weeks."),
        ("end_date", "The requested period is 12 weeks; this programme lasts 20–40 weeks."),
    ]


def test_refuses_a_proposal_where_the_group_takes_none(catalogue):
    cohort = catalogue["cohort"]
    cohort.offering_groups.update(accepts_proposals=False)

    assert check_proposal(cohort, [], [proposed(cohort, 30)]) == [
        ("components", "Internship specialization: no hospital outside the list can be proposed here."),
    ]


# --- UMCG observership: radiology sections ------------------------------------------------------


def test_accepts_all_eight_sections_one_week_each(catalogue):
    assert check(catalogue["rotation"], [(slug, 1) for slug in SECTIONS]) == []


def test_accepts_one_section_for_a_longer_stay(catalogue):
    assert check(catalogue["rotation"], [("umcg-thoracic", 6)]) == []


def test_accepts_two_sections_for_a_longer_stay(catalogue):
    assert check(catalogue["rotation"], [("umcg-thoracic", 3), ("umcg-breast", 5)]) == []


def test_refuses_three_sections(catalogue):
    picks = [(slug, 2) for slug in SECTIONS[:3]]

    assert check(catalogue["rotation"], picks) == [("components", PATTERN_MESSAGE)]


def test_refuses_eight_sections_of_two_weeks(catalogue):
    picks = [(slug, 2) for slug in SECTIONS]

    assert check(catalogue["rotation"], picks) == [("components", PATTERN_MESSAGE)]


def test_refuses_one_section_for_a_single_week(catalogue):
    picks = [(SECTIONS[0], 1), (NM, 1)]

    assert check(catalogue["rotation"], picks) == [("components", PATTERN_MESSAGE)]


def test_accepts_longest_rotation(catalogue):
    picks = [("umcg-abdominal", 8), ("umcg-musculoskeletal", 8), (NM, 2)]

    assert check(catalogue["rotation"], picks) == []


# --- UMCG observership: nuclear medicine --------------------------------------------------------


def test_refuses_nuclear_medicine_alone(catalogue):
    assert check(catalogue["rotation"], [(NM, 2)]) == [
        (
            "components",
            "Nuclear medicine and molecular imaging cannot be chosen on its own. Combine it with Radiology sections.",
        ),
    ]


@pytest.mark.parametrize("nm_weeks", [1, 2])
def test_accepts_nuclear_medicine_with_radiology(catalogue, nm_weeks):
    assert check(catalogue["rotation"], [("umcg-cardiovascular", 4), (NM, nm_weeks)]) == []


def test_accepts_nuclear_medicine_after_all_eight_sections(catalogue):
    assert check(catalogue["rotation"], [*[(slug, 1) for slug in SECTIONS], (NM, 1)]) == []


def test_refuses_three_weeks_of_nuclear_medicine(catalogue):
    assert check(catalogue["rotation"], [("umcg-cardiovascular", 4), (NM, 3)]) == [
        (field_of(NM), "Nuclear medicine and molecular imaging: 3 weeks is not possible; choose 1–2 weeks."),
    ]


# --- UMCG observership: dates and choices that do not belong ------------------------------------


def test_refuses_end_before_start(catalogue):
    end = START - timedelta(days=1)

    assert check(catalogue["rotation"], [(SECTIONS[0], 4)], end=end) == [
        ("end_date", "The end date must be after the start date."),
    ]


def test_refuses_missing_dates(catalogue):
    assert check(catalogue["rotation"], [(SECTIONS[0], 4)], start=None, end=None) == [
        ("start_date", "Give the date you want to start."),
        ("end_date", "Give the date you want to finish."),
    ]


def test_refuses_missing_end_date(catalogue):
    assert check(catalogue["rotation"], [(SECTIONS[0], 4)], end=None) == [
        ("end_date", "Give the date you want to finish."),
    ]


def test_refuses_offering_of_another_programme(catalogue):
    picks = [(SECTIONS[0], 4), ("uzl-radiology", 4)]

    assert check(catalogue["rotation"], picks) == [
        (field_of("uzl-radiology"), "Radiology physics is not offered by this programme."),
    ]


def test_refuses_same_section_chosen_twice(catalogue):
    picks = [("umcg-thoracic", 3), ("umcg-thoracic", 3)]

    assert check(catalogue["rotation"], picks) == [
        (field_of("umcg-thoracic"), "Thoracic radiology is chosen more than once."),
    ]
