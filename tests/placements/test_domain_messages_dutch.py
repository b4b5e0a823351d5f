"""The domain's own words in Dutch: the rule checks an applicant reads, the states and the names of
records, as a reader of the portal in Dutch sees them (the compiled catalogue, locale/nl)."""

from datetime import date, timedelta

from django.utils import translation

from applicants.enums import ApplicationStatus, DocumentState
from placements.allocation.models import Placement
from placements.catalogue.models import Offering
from placements.catalogue.validation import ComponentChoice, validate_choice

APPLIED_ON = date(2027, 1, 4)
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


def messages_in_dutch(programme, *, start: date, end: date) -> list[str]:
    components = [ComponentChoice(Offering.objects.get(department__slug=slug), 1) for slug in SECTIONS]
    with translation.override("nl"):
        violations = validate_choice(
            programme=programme, components=components, start=start, end=end, applied_on=APPLIED_ON
        )
        return [violation.message for violation in violations]


def test_a_period_too_short_for_the_choices_is_explained_in_dutch_with_singular_and_plural(catalogue):
    monday = date(2027, 9, 6)

    messages = messages_in_dutch(catalogue["rotation"], start=monday, end=monday + timedelta(days=4))

    assert messages == [
        "De gevraagde periode is 1 week; dit programma duurt 2–18 weken.",
        "Uw keuzes komen samen op 8 weken, maar de gevraagde periode is 1 week.",
    ]


def test_a_start_on_a_saturday_is_named_in_dutch(catalogue):
    saturday = date(2027, 9, 4)

    messages = messages_in_dutch(catalogue["rotation"], start=saturday, end=date(2027, 10, 29))

    assert messages == [
        "4 september 2027 is een zaterdag; de stage loopt op werkdagen, dus begin op een maandag tot en met vrijdag."
    ]


def test_states_and_record_names_read_in_dutch():
    with translation.override("nl"):
        assert str(ApplicationStatus.OFFERED.label) == "Stageplaats aangeboden"
        assert str(DocumentState.PENDING.label) == "Wordt gecontroleerd"
        assert str(Placement._meta.verbose_name_plural) == "stageplaatsen"
        assert str(Placement._meta.get_field("start_week").verbose_name) == "beginweek"
