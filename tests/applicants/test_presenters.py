"""How pages and PDFs show an application: status badges, document and check badges, event titles
and eligibility answers, from one module (and its template filters)."""

import pytest
from django.template import Context, Template

from applicants.enums import ApplicationStatus, CheckStatus, DocumentState, EventKind
from applicants.models import Application, Event
from applicants.presenters import (
    STATUS_BADGES,
    answer_rows,
    answer_text,
    check_badge,
    document_badge,
    event_title,
    status_badge,
)

S = ApplicationStatus


def test_every_status_has_a_badge_of_its_own():
    assert set(STATUS_BADGES) == set(ApplicationStatus)


def test_status_badges_show_where_the_applicant_acts_good_news_and_closed_applications():
    shown = {status: status_badge(status) for status in (S.INFO_REQUESTED, S.CONFIRMED, S.REJECTED, S.WITHDRAWN)}

    assert shown == {
        S.INFO_REQUESTED: "text-bg-warning",
        S.CONFIRMED: "text-bg-success",
        S.REJECTED: "text-bg-dark",
        S.WITHDRAWN: "text-bg-light border",
    }


def test_an_unknown_status_gets_the_neutral_badge():
    assert status_badge("archived") == "text-bg-secondary"


def test_document_badges_tell_ready_refused_and_being_checked_apart():
    assert {state: document_badge(state) for state in DocumentState} == {
        DocumentState.PENDING: "text-bg-secondary",
        DocumentState.READY: "text-bg-success",
        DocumentState.REJECTED: "text-bg-danger",
    }


def test_check_badges_tell_passed_needs_a_look_and_not_checked_apart():
    assert {status: check_badge(status) for status in CheckStatus} == {
        CheckStatus.PASS: "text-bg-success",
        CheckStatus.WARN: "text-bg-warning",
        CheckStatus.UNCHECKED: "text-bg-secondary",
    }


def test_a_status_change_is_titled_by_the_new_status():
    event = Event(kind=EventKind.STATUS_CHANGED, from_status=S.ACCEPTED, to_status=S.OFFERED)

    assert event_title(event) == "Placement offered"


def test_a_status_change_to_a_status_no_longer_known_is_titled_by_its_kind():
    assert event_title(Event(kind=EventKind.STATUS_CHANGED, to_status="archived")) == "Status changed"


def test_other_events_are_titled_by_their_kind():
    assert [event_title(Event(kind=kind)) for kind in (EventKind.CREATED, EventKind.NOTE)] == [
        "Application started",
        "Note",
    ]


def test_answers_read_as_words():
    assert [answer_text(value) for value in (True, False, None, "", "St Mary's")] == ["Yes", "No", "", "", "St Mary's"]


@pytest.mark.django_db
def test_answer_rows_follow_the_programme_and_leave_out_unanswered_questions(catalogue):
    cohort = catalogue["cohort"]
    must_hold_degree, works_at = cohort.questions.all()
    application = Application(programme=cohort, answers={str(works_at.pk): "none"})

    assert answer_rows(application) == [(works_at.text, "none")]

    application.answers[str(must_hold_degree.pk)] = True

    assert answer_rows(application) == [(must_hold_degree.text, "Yes"), (works_at.text, "none")]


def test_the_template_filters_are_the_presenters():
    template = Template(
        "{% load presenters %}"
        "{{ state|document_badge }}|{{ check|check_badge }}|"
        "{{ yes|answer_text }}|{{ mark|answer_text }}|{{ none|answer_text|default:'<em>Not answered</em>' }}"
    )

    shown = template.render(
        Context({"state": DocumentState.REJECTED, "check": CheckStatus.WARN, "yes": True, "mark": "<b>", "none": None})
    )

    assert shown == "text-bg-danger|text-bg-warning|Yes|&lt;b&gt;|<em>Not answered</em>"
