"""Manual assignment: prefilled segments, the check with every kind of conflict, saving a proposal and
publishing an offer under the capacity rule.

Personas:
- carol: coordinates the rotation programme; assigns its applications.
- dave: coordinates the cohort programme only; another programme's application is a 404 for him.
- the applicant of an application: the staff page does not exist for them (404).
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertRedirects

from applicants.enums import ApplicationStatus
from applicants.models import Event
from placements.allocation.enums import PlacementStatus
from placements.allocation.models import Placement
from placements.allocation.services.capacity import format_weeks
from portal.mail.models import EmailLog
from tests.placements.helpers import department, make_application, place, weeks_ahead

pytestmark = pytest.mark.django_db
S = ApplicationStatus
P = PlacementStatus


def assign_url(application) -> str:
    return reverse("staff_placements:assign", kwargs={"uuid": application.uuid})


def formset_data(rows, *, action: str, extra: int = 0, **more) -> dict:
    """POST data of the segment formset: rows of (department slug, first day, weeks)."""
    data = {
        "form-TOTAL_FORMS": str(len(rows) + extra),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "20",
        "action": action,
        **more,
    }
    for i, (slug, day, weeks) in enumerate(rows):
        data[f"form-{i}-department"] = str(department(slug).pk)
        data[f"form-{i}-start_week"] = day.isoformat()
        data[f"form-{i}-weeks"] = str(weeks)
    return data


# --- prefill --------------------------------------------------------------------------------------


def test_one_host_department_is_prefilled_for_the_whole_requested_period(client, cohort, dave):
    start = weeks_ahead(20) + timedelta(days=2)  # a Wednesday
    application = make_application(cohort, start=start, weeks=24, components=(("uzl-radiotherapy", 24),))
    client.force_login(dave)

    response = client.get(assign_url(application))

    assert response.status_code == 200
    assert [f.initial for f in response.context["formset"].initial_forms] == [
        {"department": department("uzl-radiotherapy").pk, "start_week": weeks_ahead(20), "weeks": 24}
    ]


def test_a_rotation_is_prefilled_as_consecutive_blocks_in_order_of_preference(client, rotation, carol):
    start = weeks_ahead(12)
    application = make_application(
        rotation,
        start=start,
        weeks=5,
        components=(("umcg-abdominal", 2), ("umcg-thoracic", 2), ("umcg-nuclear-medicine", 1)),
    )
    client.force_login(carol)

    response = client.get(assign_url(application))

    rows = [
        (f.initial["department"], f.initial["start_week"], f.initial["weeks"])
        for f in response.context["formset"].initial_forms
    ]
    assert rows == [
        (department("umcg-abdominal").pk, start, 2),
        (department("umcg-thoracic").pk, start + timedelta(weeks=2), 2),
        (department("umcg-nuclear-medicine").pk, start + timedelta(weeks=4), 1),
    ]
    assert response.context["conflicts"] == []
    assertContains(response, "No conflicts: every week has a free seat")


def test_existing_placements_are_prefilled_instead_of_the_request(client, rotation, carol):
    start = weeks_ahead(12)
    application = make_application(rotation, start=start, weeks=4, components=(("umcg-thoracic", 4),))
    place(application, "umcg-breast", start, weeks=4, status=P.PROPOSED)
    client.force_login(carol)

    response = client.get(assign_url(application))

    assert [f.initial["department"] for f in response.context["formset"].initial_forms] == [
        department("umcg-breast").pk
    ]


# --- the check ------------------------------------------------------------------------------------


def test_check_shows_every_kind_of_conflict_and_saves_nothing(client, rotation, carol):
    start = weeks_ahead(12)
    application = make_application(rotation, start=start, weeks=2, components=(("umcg-thoracic", 2),))
    for _ in range(2):  # nuclear medicine has 2 seats: both taken in the first week
        place(make_application(rotation, start=start), "umcg-nuclear-medicine", start, status=P.CONFIRMED)
    client.force_login(carol)

    response = client.post(assign_url(application), formset_data([("umcg-nuclear-medicine", start, 3)], action="check"))

    outside = format_weeks([start + timedelta(weeks=2)])
    assert [(c.kind, c.message) for c in response.context["conflicts"]] == [
        ("period", f"Nuclear medicine and molecular imaging: {outside} fall outside the requested period."),
        ("rule", "Nuclear medicine and molecular imaging: 3 weeks is not possible; choose 1–2 weeks."),
        (
            "rule",
            "Nuclear medicine and molecular imaging cannot be chosen on its own. Combine it with Radiology sections.",
        ),
        ("capacity", f"Nuclear medicine and molecular imaging is full in {format_weeks([start])}."),
    ]
    assertContains(response, '<li class="list-group-item list-group-item-danger conflict-capacity">', html=False)
    assert not Placement.objects.filter(application=application).exists()


def test_any_day_stands_for_its_monday(client, rotation, carol):
    start = weeks_ahead(12)
    application = make_application(rotation, start=start, weeks=2, components=(("umcg-thoracic", 2),))
    client.force_login(carol)

    client.post(
        assign_url(application), formset_data([("umcg-thoracic", start + timedelta(days=3), 2)], action="propose")
    )

    assert list(Placement.objects.filter(application=application).values_list("start_week", "weeks", "status")) == [
        (start, 2, P.PROPOSED)
    ]


def test_an_empty_formset_asks_for_a_placement(client, rotation, carol):
    application = make_application(rotation, start=weeks_ahead(12))
    client.force_login(carol)

    response = client.post(assign_url(application), formset_data([], action="check", extra=2))

    assert response.status_code == 400
    assertContains(response, "Add at least one placement.", status_code=400)


def test_add_a_row_keeps_the_rows_and_adds_an_empty_one(client, rotation, carol):
    start = weeks_ahead(12)
    application = make_application(rotation, start=start)
    client.force_login(carol)

    response = client.post(
        assign_url(application), formset_data([("umcg-thoracic", start, 4)], action="add_row", extra=2)
    )

    assert response.context["formset"].total_form_count() == 4
    assert not Placement.objects.filter(application=application).exists()


# --- proposals ------------------------------------------------------------------------------------


def test_a_proposal_is_saved_despite_conflicts_with_a_warning(client, rotation, carol):
    start = weeks_ahead(12)
    application = make_application(
        rotation, status=S.WAITLISTED, start=start, weeks=2, components=(("umcg-thoracic", 2),)
    )
    client.force_login(carol)

    response = client.post(
        assign_url(application), formset_data([("umcg-thoracic", start, 3)], action="propose"), follow=True
    )

    outside = format_weeks([start + timedelta(weeks=2)])
    assertContains(
        response,
        f"The proposal is saved with 1 conflict: Thoracic radiology: {outside} fall outside the requested period.",
    )
    assert list(Placement.objects.filter(application=application).values_list("status", "weeks")) == [(P.PROPOSED, 3)]
    application.refresh_from_db()
    assert application.status == S.WAITLISTED


def test_saving_a_proposal_again_replaces_the_previous_one(client, rotation, carol):
    start = weeks_ahead(12)
    application = make_application(rotation, start=start, weeks=2, components=(("umcg-thoracic", 2),))
    client.force_login(carol)

    client.post(assign_url(application), formset_data([("umcg-thoracic", start, 2)], action="propose"))
    client.post(assign_url(application), formset_data([("umcg-abdominal", start, 2)], action="propose"))

    assert list(
        Placement.objects.filter(application=application).order_by("pk").values_list("department__slug", "status")
    ) == [("umcg-thoracic", P.CANCELLED), ("umcg-abdominal", P.PROPOSED)]


# --- publishing -----------------------------------------------------------------------------------


def test_publishing_within_capacity_offers_the_placements_and_emails_the_applicant(
    client, rotation, carol, email_templates, settings, django_capture_on_commit_callbacks
):
    settings.OFFER_RESPONSE_DAYS = 10
    start = weeks_ahead(12)
    application = make_application(
        rotation, start=start, weeks=3, components=(("umcg-thoracic", 2), ("umcg-nuclear-medicine", 1))
    )
    place(make_application(rotation, start=start), "umcg-thoracic", start, status=P.CONFIRMED)  # 1 of 2 seats left
    client.force_login(carol)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            assign_url(application),
            formset_data(
                [("umcg-thoracic", start, 2), ("umcg-nuclear-medicine", start + timedelta(weeks=2), 1)],
                action="publish",
            ),
        )

    assertRedirects(
        response, reverse("staff:application", kwargs={"uuid": application.uuid}), fetch_redirect_response=False
    )
    application.refresh_from_db()
    assert application.status == S.OFFERED
    placements = list(Placement.objects.filter(application=application).order_by("start_week"))
    deadline_day = timezone.localdate() + timedelta(days=10)
    assert [(p.department.slug, p.status, timezone.localtime(p.offer_deadline).date()) for p in placements] == [
        ("umcg-thoracic", P.OFFERED, deadline_day),
        ("umcg-nuclear-medicine", P.OFFERED, deadline_day),
    ]
    event = Event.objects.get(application=application, to_status=S.OFFERED)
    assert event.actor == carol
    mail = EmailLog.objects.get(application=application, template_code="offered")
    assert mail.to == application.applicant.email
    assert f"Please accept or decline the offer by {deadline_day.day} {deadline_day:%B %Y}." in mail.body


def test_publishing_over_capacity_is_refused_and_saves_nothing(client, rotation, carol):
    start = weeks_ahead(12)
    application = make_application(rotation, start=start, weeks=1, components=(("umcg-breast", 1),))
    place(make_application(rotation, start=start), "umcg-breast", start, status=P.OFFERED)  # its only seat
    place(application, "umcg-breast", start, status=P.PROPOSED)
    client.force_login(carol)

    response = client.post(
        assign_url(application), formset_data([("umcg-breast", start, 1)], action="publish", accept_conflicts="1")
    )

    assert response.status_code == 409
    week = start.isocalendar().week
    assertContains(response, f"The offer was not published: Breast imaging is full in week {week}.", status_code=409)
    application.refresh_from_db()
    assert application.status == S.ACCEPTED
    assert list(Placement.objects.filter(application=application).values_list("status", flat=True)) == [P.PROPOSED]


def test_publishing_with_rule_conflicts_needs_the_coordinators_consent(client, rotation, carol):
    start = weeks_ahead(12)
    application = make_application(rotation, start=start, weeks=1, components=(("umcg-nuclear-medicine", 1),))
    client.force_login(carol)
    rows = [("umcg-nuclear-medicine", start, 1)]

    refused = client.post(assign_url(application), formset_data(rows, action="publish"))
    published = client.post(assign_url(application), formset_data(rows, action="publish", accept_conflicts="1"))

    assertContains(refused, "tick “Publish despite these conflicts”", status_code=400)
    assert published.status_code == 302
    application.refresh_from_db()
    assert application.status == S.OFFERED


def test_a_waitlisted_application_cannot_be_offered_yet(client, rotation, carol):
    start = weeks_ahead(12)
    application = make_application(rotation, status=S.WAITLISTED, start=start)
    client.force_login(carol)

    response = client.post(assign_url(application), formset_data([("umcg-thoracic", start, 4)], action="publish"))

    assertContains(response, "Accept the application before publishing an offer", status_code=400)
    assert not Placement.objects.filter(application=application).exists()


def test_changing_an_offer_keeps_the_application_offered_and_renews_the_deadline(client, rotation, carol):
    start = weeks_ahead(12)
    application = make_application(rotation, status=S.OFFERED, start=start, components=(("umcg-thoracic", 4),))
    old = place(application, "umcg-thoracic", start, weeks=4, status=P.OFFERED, deadline=timezone.now())
    client.force_login(carol)

    client.post(
        assign_url(application), formset_data([("umcg-abdominal", start, 4)], action="publish", accept_conflicts="1")
    )

    old.refresh_from_db()
    assert old.status == P.CANCELLED
    new = Placement.objects.get(application=application, status=P.OFFERED)
    assert (new.department.slug, new.offer_deadline > timezone.now()) == ("umcg-abdominal", True)


def test_an_application_in_review_shows_no_form(client, rotation, carol):
    application = make_application(rotation, status=S.IN_REVIEW, start=weeks_ahead(12))
    client.force_login(carol)

    response = client.get(assign_url(application))

    assertContains(response, "Placements can be assigned once the application is accepted or waitlisted")
    assert b"Publish offer" not in response.content


# --- scope ----------------------------------------------------------------------------------------


def test_assignment_of_another_programmes_application_is_a_404(client, rotation, dave):
    application = make_application(rotation, start=weeks_ahead(12))
    client.force_login(dave)

    assert client.get(assign_url(application)).status_code == 404
    assert client.post(assign_url(application), formset_data([], action="check")).status_code == 404


def test_the_applicant_cannot_open_the_assignment_page(client, rotation):
    application = make_application(rotation, start=weeks_ahead(12))
    client.force_login(application.applicant)

    assert client.get(assign_url(application)).status_code == 404


def test_the_staff_application_page_links_to_the_assignment(client, rotation, carol):
    application = make_application(rotation, start=weeks_ahead(12))
    client.force_login(carol)

    response = client.get(reverse("staff:application", kwargs={"uuid": application.uuid}))

    assertContains(
        response,
        f'<a class="btn btn-outline-primary" href="{assign_url(application)}">Assign placements</a>',
        html=True,
    )
