"""Supervisors' reminders: an evaluation due (two weeks ahead and on the day) and logbook entries
waiting over a week for sign-off; each run twice acts once, in the supervisors' language."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from placements.training.models import EvaluationForm, LogbookEntry
from placements.training.queries import due_on
from placements.training.services.evaluations import evaluation_save
from placements.training.services.logbook import Activity, entry_add
from placements.training.services.reminders import remind_evaluations, remind_logbooks
from portal.mail.models import EmailLog
from tests.training.builders import competency_of, load_training, make_supervisor, make_trainee, this_monday

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("email_templates")]


@pytest.fixture
def placement(cohort):
    load_training()
    return make_trainee(cohort, start=this_monday() - timedelta(weeks=2), weeks=8)


@pytest.fixture
def sam(placement):
    return make_supervisor("sam", "uzl-radiotherapy")


def test_final_evaluation_reminded_two_weeks_ahead_and_on_the_day_once_each(placement, sam):
    final = due_on(placement, "final")
    ahead = final - timedelta(days=14)

    assert remind_evaluations(today=ahead) == 1
    assert remind_evaluations(today=ahead) == 0
    assert remind_evaluations(today=ahead + timedelta(days=3)) == 0
    assert remind_evaluations(today=final) == 1
    assert remind_evaluations(today=final) == 0

    logs = EmailLog.objects.filter(template_code="training_evaluation_due").order_by("pk")
    assert [log.to for log in logs] == ["sam@example.org", "sam@example.org"]
    assert logs[0].subject == f"Evaluation of Tess Trainee due on {final.day} {final:%B %Y}"
    assert "Final evaluation – Radiotherapy" in logs[0].body


def test_a_submitted_evaluation_is_not_reminded(placement, sam):
    form = EvaluationForm.objects.get(programme=placement.application.programme, kind="midterm")
    answers = {str(item.pk): 4 if item.kind == "scale" else "Fine." for item in form.items.all()}
    evaluation_save(placement=placement, form=form, by=sam, answers=answers, submit=True)

    assert remind_evaluations(today=due_on(placement, "midterm")) == 0


def test_dutch_supervisors_are_reminded_in_dutch(placement, sam):
    sam.language = "nl"
    sam.save(update_fields=["language"])

    remind_evaluations(today=due_on(placement, "final"))

    assert EmailLog.objects.get().subject.startswith("Evaluatie van Tess Trainee uiterlijk op")


def test_entries_waiting_over_a_week_are_reminded_once(placement, sam):
    trainee = placement.application.applicant
    for hours in ("1", "2"):
        entry_add(
            placement=placement,
            by=trainee,
            activity=Activity(competency_of(placement), placement.start_week, "QA.", Decimal(hours)),
        )
    LogbookEntry.objects.update(submitted_at=timezone.now() - timedelta(days=8))

    assert remind_logbooks() == 1
    assert remind_logbooks() == 0
    log = EmailLog.objects.get(template_code="training_logbook_waiting")
    assert "2 logbook entries in Radiotherapy" in log.body
    assert f"/training/supervise/{placement.uuid}/" in log.body


def test_entries_waiting_less_than_a_week_are_not_reminded(placement, sam):
    entry_add(
        placement=placement,
        by=placement.application.applicant,
        activity=Activity(competency_of(placement), placement.start_week, "QA.", Decimal(1)),
    )

    assert remind_logbooks() == 0
