"""Evaluations: due dates at the middle and on the last day; the supervisor saves a draft and submits
(then locked); the trainee reads a submitted evaluation and comments once; the trainee evaluates the
placement, which the department sees only as averages of at least three answers."""

from datetime import timedelta

import pytest
from django.urls import reverse

from applicants.errors import DomainError
from placements.training.enums import EvaluationStatus
from placements.training.models import Evaluation, EvaluationForm, PlacementFeedback
from placements.training.queries import due_on
from placements.training.services.evaluations import evaluation_save, feedback_submit
from tests.factories import make_staff
from tests.training.builders import load_training, make_supervisor, make_trainee

pytestmark = pytest.mark.django_db


@pytest.fixture
def placement(cohort):
    load_training()
    return make_trainee(cohort)


@pytest.fixture
def sam(placement):
    return make_supervisor("sam", "uzl-radiotherapy")


def fill_url(placement, kind="midterm"):
    return reverse("training:evaluation_fill", kwargs={"uuid": placement.uuid, "kind": kind})


def answers_for(form: EvaluationForm, score="4", text="Careful and curious.") -> dict:
    return {f"item_{item.pk}": score if item.kind == "scale" else text for item in form.items.all()}


def test_mid_term_is_due_at_the_middle_and_final_on_the_last_day(placement):
    assert due_on(placement, "midterm") == placement.start_week + timedelta(
        days=(placement.end_date - placement.start_week).days // 2
    )
    assert due_on(placement, "final") == placement.end_date
    assert placement.end_date.weekday() == 4  # a Friday


def test_supervisor_saves_a_draft_then_submits_and_it_is_locked(client, placement, sam):
    form = EvaluationForm.objects.get(programme=placement.application.programme, kind="midterm")
    client.force_login(sam)

    client.post(fill_url(placement), {**answers_for(form), "action": "save"})
    draft = Evaluation.objects.get()
    response = client.post(fill_url(placement), {**answers_for(form, score="5"), "action": "submit"})

    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.status == EvaluationStatus.SUBMITTED
    assert set(draft.answers.values()) == {5, "Careful and curious."}
    page = client.get(fill_url(placement)).content.decode()
    assert "it can no longer be changed" in page
    with pytest.raises(DomainError):
        evaluation_save(placement=placement, form=form, by=sam, answers={}, submit=True)


def test_submitting_without_every_answer_says_what_is_missing(client, placement, sam):
    client.force_login(sam)

    response = client.post(fill_url(placement), {"action": "submit"})

    assert response.status_code == 200
    assert "Choose a score." in response.content.decode()
    assert "Error:" in response.content.decode()
    assert not Evaluation.objects.exists()


def test_the_trainee_reads_a_submitted_evaluation_and_comments_once(client, placement, sam):
    form = EvaluationForm.objects.get(programme=placement.application.programme, kind="midterm")
    answers = {str(item.pk): 4 if item.kind == "scale" else "Keep going." for item in form.items.all()}
    evaluation = evaluation_save(placement=placement, form=form, by=sam, answers=answers, submit=True)
    trainee = placement.application.applicant
    client.force_login(trainee)
    url = reverse("training:evaluation", kwargs={"uuid": evaluation.uuid})

    assert "4 – Good" in client.get(url).content.decode()
    client.post(url, {"comment": "Thank you, I will."})
    client.post(url, {"comment": "Changed my mind."})

    evaluation.refresh_from_db()
    assert evaluation.trainee_comment == "Thank you, I will."
    client.force_login(sam)
    assert "Thank you, I will." in client.get(fill_url(placement)).content.decode()


def test_a_draft_is_not_shown_to_the_trainee(client, placement, sam):
    form = EvaluationForm.objects.get(programme=placement.application.programme, kind="midterm")
    draft = evaluation_save(placement=placement, form=form, by=sam, answers={}, submit=False)
    client.force_login(placement.application.applicant)

    assert client.get(reverse("training:evaluation", kwargs={"uuid": draft.uuid})).status_code == 404


def test_the_department_sees_averages_only_from_three_answers(client, cohort, placement, sam):
    client.force_login(placement.application.applicant)
    client.post(
        reverse("training:feedback", kwargs={"uuid": placement.uuid}),
        {"overall": "5", "supervision": "4", "learning": "3", "comment": "Great team."},
    )
    assert PlacementFeedback.objects.get().comment == "Great team."
    client.force_login(sam)
    supervise = reverse("training:supervise", kwargs={"uuid": placement.uuid})
    assert "Shown once at least three trainees have answered" in client.get(supervise).content.decode()

    for name in ("uma", "vic"):
        other = make_trainee(cohort, name)
        feedback_submit(
            placement=other, by=other.application.applicant, overall=3, supervision=4, learning=5, comment=""
        )

    shown = client.get(supervise).content.decode()
    assert "Averages of 3 answers." in shown
    assert "4.0 / 5" in shown
    assert "Great team." not in shown


def test_the_coordinator_sees_each_answer(client, placement):
    trainee = placement.application.applicant
    feedback_submit(placement=placement, by=trainee, overall=2, supervision=3, learning=4, comment="Too few cases.")
    client.force_login(make_staff("dave", placement.application.programme))

    shown = client.get(reverse("staff:application", kwargs={"uuid": placement.application.uuid})).content.decode()

    assert "Overall 2/5, supervision 3/5, learning 4/5" in shown
    assert "Too few cases." in shown


def test_the_trainee_evaluates_the_placement_once_and_only_after_it_began(cohort, placement):
    trainee = placement.application.applicant
    feedback_submit(placement=placement, by=trainee, overall=4, supervision=4, learning=4, comment="")
    with pytest.raises(DomainError):
        feedback_submit(placement=placement, by=trainee, overall=1, supervision=1, learning=1, comment="")
    later = make_trainee(cohort, "ned", status="confirmed")
    with pytest.raises(DomainError):
        feedback_submit(
            placement=later, by=later.application.applicant, overall=4, supervision=4, learning=4, comment=""
        )
