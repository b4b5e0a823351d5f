"""Reviews: one score from 1 to 5 per rubric criterion, a comment and a recommendation per reviewer;
the application keeps the mean of the reviewers' means for the queue.

Personas: alice applies to the rotation programme; carol and chris coordinate it and review;
dave coordinates the cohort programme only; root is a superuser.
"""

import io
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from applicants.enums import ApplicationStatus, EventKind
from applicants.errors import DomainError
from applicants.models import Event, Review, ReviewScore
from applicants.services.reviews import review_save
from placements.catalogue.models import Programme
from tests.applicants.staff_builders import give_rubric, make_application, staff_url
from tests.factories import make_staff

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture
def rotation(catalogue):
    give_rubric(catalogue["rotation"])
    return catalogue["rotation"]


@pytest.fixture
def criteria(rotation):
    return list(rotation.rubric.all())


@pytest.fixture
def carol(rotation):
    """Named: a review is shown with its reviewer's name."""
    return make_staff("carol", rotation, first_name="Carol", last_name="Tester")


@pytest.fixture
def chris(rotation):
    return make_staff("chris", rotation)


@pytest.fixture
def application(rotation, alice):
    return make_application(rotation, alice, status=S.IN_REVIEW)


def form_data(criteria, scores, **extra) -> dict:
    return {**{f"score_{c.pk}": score for c, score in zip(criteria, scores, strict=True)}, **extra}


# --- the service -------------------------------------------------------------------------------


def test_two_reviewers_give_the_mean_of_their_means(application, criteria, carol, chris):
    review_save(
        application=application, reviewer=carol, scores=dict(zip([c.pk for c in criteria], [5, 4, 4, 4], strict=True))
    )
    review_save(
        application=application, reviewer=chris, scores=dict(zip([c.pk for c in criteria], [3, 3, 2, 3], strict=True))
    )

    application.refresh_from_db()
    means = dict(Review.objects.values_list("reviewer__email", "mean_score"))
    assert means == {"carol@example.org": Decimal("4.25"), "chris@example.org": Decimal("2.75")}
    assert (application.review_score, application.review_count) == (Decimal("3.50"), 2)


def test_a_reviewer_updating_their_review_replaces_it(application, criteria, carol, chris):
    review_save(application=application, reviewer=carol, scores={c.pk: 1 for c in criteria}, comment="First look")
    review_save(application=application, reviewer=chris, scores={c.pk: 4 for c in criteria})

    review = review_save(
        application=application,
        reviewer=carol,
        scores={c.pk: 2 for c in criteria},
        comment="After the interview",
        recommendation="waitlist",
    )

    application.refresh_from_db()
    assert Review.objects.filter(application=application).count() == 2
    assert (review.comment, review.recommendation, review.mean_score) == ("After the interview", "waitlist", 2)
    assert sorted(ReviewScore.objects.filter(review=review).values_list("score", flat=True)) == [2, 2, 2, 2]
    assert (application.review_score, application.review_count) == (Decimal("3.00"), 2)


def test_each_review_records_an_internal_event(application, criteria, carol):
    review_save(
        application=application,
        reviewer=carol,
        scores=dict(zip([c.pk for c in criteria], [5, 4, 4, 4], strict=True)),
        recommendation="accept",
    )

    event = Event.objects.filter(application=application).latest("id")
    assert (event.kind, event.actor, event.internal, event.message) == (
        EventKind.NOTE,
        carol,
        True,
        "Review by Carol Tester: mean 4.25 of 5, recommends: accept",
    )


@pytest.mark.parametrize("score", [0, 6, -1])
def test_a_score_outside_1_to_5_is_refused(application, criteria, carol, score):
    scores = {c.pk: 3 for c in criteria} | {criteria[0].pk: score}

    with pytest.raises(DomainError, match="must be from 1 to 5"):
        review_save(application=application, reviewer=carol, scores=scores)

    assert not Review.objects.exists()


def test_every_criterion_needs_a_score(application, criteria, carol):
    with pytest.raises(DomainError, match=r"Give a score for Fit with the programme\."):
        review_save(application=application, reviewer=carol, scores={c.pk: 3 for c in criteria[:-1]})


@pytest.mark.parametrize("persona", ["alice", "dave"])
def test_only_the_programmes_staff_can_review(request, application, criteria, persona):
    with pytest.raises(DomainError, match="Only the coordinators of this programme"):
        review_save(
            application=application, reviewer=request.getfixturevalue(persona), scores={c.pk: 3 for c in criteria}
        )

    application.refresh_from_db()
    assert (application.review_score, application.review_count) == (None, 0)


def test_a_superuser_can_review(application, criteria, root):
    review_save(application=application, reviewer=root, scores={c.pk: 5 for c in criteria})

    application.refresh_from_db()
    assert (application.review_score, application.review_count) == (Decimal("5.00"), 1)


@pytest.mark.parametrize("status", [S.DRAFT, S.ACCEPTED, S.REJECTED, S.WITHDRAWN])
def test_applications_outside_review_cannot_be_reviewed(rotation, alice, criteria, carol, status):
    application = make_application(rotation, alice, status=status)

    with pytest.raises(DomainError, match="cannot be reviewed"):
        review_save(application=application, reviewer=carol, scores={c.pk: 3 for c in criteria})


# --- the form on the staff page ------------------------------------------------------------------


def test_review_form_shows_radio_buttons_per_criterion(client, application, criteria, carol):
    client.force_login(carol)

    response = client.get(staff_url("application_reviews", application))

    for criterion in criteria:
        for score in range(1, 6):
            assertContains(response, f'type="radio" name="score_{criterion.pk}" value="{score}"', count=1)


def test_review_through_the_page(client, application, criteria, carol):
    client.force_login(carol)

    response = client.post(
        staff_url("application_review", application),
        form_data(criteria, [4, 4, 5, 5], comment="Strong letter", recommendation="accept"),
    )

    reviews = staff_url("application_reviews", application)
    assertRedirects(response, reviews + "#reviews", fetch_redirect_response=False)
    review = Review.objects.get(application=application, reviewer=carol)
    assert (review.mean_score, review.comment, review.recommendation) == (Decimal("4.50"), "Strong letter", "accept")
    page = client.get(reviews)
    assertContains(page, "Update your review")
    pk = criteria[2].pk
    chosen = f'name="score_{pk}" value="5" class="btn-check" id="id_score_{pk}_4" required checked>'
    assertContains(page, chosen, count=1)


@pytest.mark.parametrize("bad", ["6", "0", "three", ""])
def test_review_with_a_score_outside_1_to_5_is_a_form_error(client, application, criteria, carol, bad):
    client.force_login(carol)
    data = form_data(criteria, [3, 3, 3, 3]) | {f"score_{criteria[1].pk}": bad}

    response = client.post(staff_url("application_review", application), data)

    assert response.status_code == 200
    expected = "Give a score from 1 to 5." if bad == "" else "Choose a score from 1 to 5."
    # Once in the error summary at the top (a link to the criterion's buttons), once next to them.
    assertContains(response, expected, count=2)
    assertContains(response, f'<a class="alert-link" href="#id_score_{criteria[1].pk}_0">', count=1)
    assertContains(response, "<title>Error: ", count=1)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["The review was not saved; see the marked fields."]
    assert not Review.objects.exists()


def test_review_of_a_decided_application_is_a_message(client, rotation, alice, criteria, carol):
    application = make_application(rotation, alice, status=S.REJECTED)
    client.force_login(carol)

    response = client.post(staff_url("application_review", application), form_data(criteria, [3, 3, 3, 3]))

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "An application that is rejected cannot be reviewed."
    ]
    assert not Review.objects.exists()


def test_reviews_and_mean_are_shown_on_the_page(client, application, criteria, carol, chris):
    review_save(application=application, reviewer=carol, scores={c.pk: 5 for c in criteria}, comment="Excellent")
    review_save(application=application, reviewer=chris, scores={c.pk: 2 for c in criteria}, comment="Too early")
    client.force_login(carol)

    response = client.get(staff_url("application_reviews", application))

    assertContains(response, "Mean of the reviewers' means: <strong>3.50</strong> of 5, from 2 reviews.", html=False)
    assertContains(response, "Excellent")
    assertContains(response, "Too early")
    assertContains(response, "Mean 5.00")
    assertContains(response, "Mean 2.00")


# --- rubric data and its admin -------------------------------------------------------------------


def test_demo_loader_gives_each_programme_its_rubric_once(db):
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())

    rubrics = {
        programme.slug: list(programme.rubric.values_list("name", flat=True)) for programme in Programme.objects.all()
    }
    expected = ["Motivation", "Academic background", "Relevant experience", "Fit with the programme"]
    assert rubrics == {
        "postgraduate-certificate-medical-physics": expected,
        "clinical-observership-radiology-nuclear-medicine": expected,
    }


def test_admin_edits_rubric_criteria(client, rotation, root):
    client.force_login(root)

    response = client.post(
        reverse("admin:applicants_rubriccriterion_add"),
        {
            "programme": rotation.pk,
            "name_en": "Communication",
            "name_nl": "Communicatie",
            "description_en": "Clear writing",
            "description_nl": "Helder schrijven",
            "order": 9,
        },
    )

    assert response.status_code == 302
    assert list(rotation.rubric.values_list("name_en", "name_nl"))[-1] == ("Communication", "Communicatie")
