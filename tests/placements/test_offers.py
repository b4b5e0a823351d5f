"""Offers: publishing a proposal, the applicant's accept and decline, withdrawal, proposals for freed
seats, the applicant's schedule and the confirmation PDF.

Personas:
- carol: coordinates the rotation programme; publishes offers and sees the freed-seat proposals.
- dave: coordinates the cohort programme only; never sees a rotation application or its PDF.
- the applicant of an offered application (amira): answers the offer; nobody else may, not even staff.
- olga: another applicant; every offer URL and the PDF of amira's application are a 404 for her.
"""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from applicants.enums import ApplicationStatus
from applicants.errors import TransitionNotAllowed
from applicants.models import Event
from placements.allocation.enums import PlacementStatus, SeatProposalStatus
from placements.allocation.models import Placement, SeatProposal
from placements.allocation.services.capacity import CapacityError, format_weeks
from placements.allocation.services.lifecycle import application_withdraw, offer_accept, offer_decline
from placements.allocation.services.offers import (
    OfferError,
    offer_publish,
    seat_proposals_create,
    seat_proposals_sweep,
)
from tests.applicants.builders import make_applicant
from tests.placements.helpers import make_application, place, weeks_ahead

pytestmark = pytest.mark.django_db
S = ApplicationStatus
P = PlacementStatus


@pytest.fixture
def start():
    return weeks_ahead(12)


@pytest.fixture
def offered(rotation, start):
    """Amira's application, offered 2 weeks in Thoracic radiology, with a week to answer."""
    application = make_application(
        rotation,
        status=S.OFFERED,
        start=start,
        weeks=2,
        components=(("umcg-thoracic", 2),),
        first="Amira",
        last="Haddad",
    )
    place(application, "umcg-thoracic", start, weeks=2, status=P.OFFERED, deadline=timezone.now() + timedelta(days=7))
    return application


def url(name: str, application) -> str:
    return reverse(f"applicants:{name}", kwargs={"uuid": application.uuid})


# --- publishing a proposal ------------------------------------------------------------------------


def test_publishing_a_proposal_offers_its_placements_in_place(rotation, carol, start):
    application = make_application(rotation, start=start, weeks=2, components=(("umcg-thoracic", 2),))
    proposal = place(application, "umcg-thoracic", start, weeks=2, status=P.PROPOSED)

    offer_publish(application=application, by=carol)

    proposal.refresh_from_db()
    application.refresh_from_db()
    assert (proposal.status, proposal.offer_deadline is not None, application.status) == (P.OFFERED, True, S.OFFERED)


def test_publishing_a_proposal_over_capacity_changes_nothing(rotation, carol, start):
    application = make_application(rotation, start=start, weeks=1, components=(("umcg-breast", 1),))
    proposal = place(application, "umcg-breast", start, status=P.PROPOSED)
    place(make_application(rotation, start=start), "umcg-breast", start, status=P.CONFIRMED)

    with pytest.raises(CapacityError, match=f"Breast imaging is full in week {start.isocalendar().week}."):
        offer_publish(application=application, by=carol)

    proposal.refresh_from_db()
    application.refresh_from_db()
    assert (proposal.status, application.status) == (P.PROPOSED, S.ACCEPTED)


def test_publishing_without_a_proposal_says_so(rotation, carol, start):
    application = make_application(rotation, start=start)

    with pytest.raises(OfferError, match="There is no proposal to publish"):
        offer_publish(application=application, by=carol)


def test_only_staff_of_the_programme_may_publish(rotation, dave, start):
    application = make_application(rotation, start=start)
    place(application, "umcg-thoracic", start, status=P.PROPOSED)

    with pytest.raises(TransitionNotAllowed):
        offer_publish(application=application, by=dave)
    with pytest.raises(TransitionNotAllowed):
        offer_publish(application=application, by=application.applicant)


def test_the_publish_button_on_the_staff_page_publishes_the_proposal(client, rotation, carol, start):
    application = make_application(rotation, start=start, weeks=2, components=(("umcg-thoracic", 2),))
    place(application, "umcg-thoracic", start, weeks=2, status=P.PROPOSED)
    client.force_login(carol)
    page = reverse("staff:application", kwargs={"uuid": application.uuid})
    publish = reverse("staff_placements:publish_proposal", kwargs={"uuid": application.uuid})

    assertContains(client.get(page), f'action="{publish}"')
    response = client.post(publish, follow=True)

    assertContains(response, "The offer is published; the applicant has until")
    assert list(Placement.objects.filter(application=application).values_list("status", flat=True)) == [P.OFFERED]


# --- the applicant answers ------------------------------------------------------------------------


def test_the_applicant_sees_the_schedule_the_deadline_and_the_answer_buttons(client, offered, start):
    place(offered, "umcg-abdominal", start + timedelta(weeks=2), status=P.PROPOSED)  # internal: not shown
    client.force_login(offered.applicant)

    response = client.get(offered.get_absolute_url())

    assert response.status_code == 200
    assertContains(response, "Your placement offer")
    deadline = timezone.localtime(Placement.objects.get(application=offered, status=P.OFFERED).offer_deadline)
    assertContains(
        response, f"Please accept or decline by <strong>{deadline:%A} {deadline.day} {deadline:%B %Y}</strong>"
    )
    friday = start + timedelta(days=4)
    assertContains(
        response,
        f"Week {start.isocalendar().week}: {start:%a} {start.day} {start:%b} – {friday:%a} {friday.day} {friday:%b %Y}"
        " · Thoracic radiology, UMCG",
    )
    assertNotContains(response, "Abdominal radiology")
    assertContains(response, f'action="{url("offer_accept", offered)}"')
    assertContains(response, f'href="{url("offer_decline", offered)}"')


def test_accepting_confirms_the_placements_and_offers_the_confirmation(client, offered):
    client.force_login(offered.applicant)

    response = client.post(url("offer_accept", offered), follow=True)

    offered.refresh_from_db()
    assert offered.status == S.CONFIRMED
    assert list(Placement.objects.filter(application=offered).values_list("status", flat=True)) == [P.CONFIRMED]
    assert Event.objects.filter(application=offered, to_status=S.CONFIRMED, actor=offered.applicant).count() == 1
    assertContains(response, "You accepted the placement.")
    assertContains(response, f'href="{url("placement_confirmation", offered)}"')


def test_an_offer_past_its_deadline_cannot_be_accepted(offered):
    Placement.objects.filter(application=offered).update(offer_deadline=timezone.now() - timedelta(minutes=1))

    with pytest.raises(OfferError, match="The offer lapsed on"):
        offer_accept(application=offered, by=offered.applicant)

    offered.refresh_from_db()
    assert offered.status == S.OFFERED


def test_accepting_twice_is_refused_the_second_time(offered):
    offer_accept(application=offered, by=offered.applicant)

    with pytest.raises(TransitionNotAllowed):
        offer_accept(application=offered, by=offered.applicant)


def test_declining_asks_for_confirmation_first(client, offered):
    client.force_login(offered.applicant)

    response = client.get(url("offer_decline", offered))

    assertContains(response, "Decline the placement offer?")
    assertContains(response, "This cannot be undone")
    offered.refresh_from_db()
    assert offered.status == S.OFFERED


def test_declining_frees_the_seats_and_proposes_them_to_the_best_waiting_application(client, rotation, offered, start):
    waiting = make_application(
        rotation, status=S.WAITLISTED, start=start, weeks=2, components=(("umcg-thoracic", 2),), score="4.50"
    )
    client.force_login(offered.applicant)

    response = client.post(url("offer_decline", offered), {"reason": "I found another place."})

    assertRedirects(response, offered.get_absolute_url(), fetch_redirect_response=False)
    offered.refresh_from_db()
    assert offered.status == S.DECLINED
    assert list(Placement.objects.filter(application=offered).values_list("status", flat=True)) == [P.DECLINED]
    assert Event.objects.get(application=offered, to_status=S.DECLINED).message == "I found another place."
    proposal = SeatProposal.objects.get()
    assert (proposal.department.slug, proposal.start_week, proposal.weeks, proposal.application) == (
        "umcg-thoracic",
        start,
        2,
        waiting,
    )


def test_offer_urls_are_a_404_for_anyone_but_the_applicant(client, offered, carol):
    olga = make_applicant("olga@example.org")
    for user in (olga, carol):
        client.force_login(user)
        assert client.post(url("offer_accept", offered)).status_code == 404
        assert client.get(url("offer_decline", offered)).status_code == 404
        assert client.post(url("offer_decline", offered)).status_code == 404
    offered.refresh_from_db()
    assert offered.status == S.OFFERED


def test_offer_urls_send_strangers_to_sign_in(client, offered):
    response = client.post(url("offer_accept", offered))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- freed seats ----------------------------------------------------------------------------------


def test_the_proposal_goes_to_the_best_scored_application_that_fits(rotation, offered, start):
    thoracic = (("umcg-thoracic", 2),)
    make_application(
        rotation, status=S.WAITLISTED, start=start, weeks=2, components=(("umcg-abdominal", 2),), score="5.00"
    )
    make_application(
        rotation, status=S.WAITLISTED, start=start + timedelta(weeks=1), weeks=2, components=thoracic, score="4.90"
    )
    placed = make_application(rotation, status=S.ACCEPTED, start=start, weeks=2, components=thoracic, score="4.80")
    place(placed, "umcg-abdominal", start, weeks=2, status=P.PROPOSED)
    make_application(rotation, status=S.REJECTED, start=start, weeks=2, components=thoracic, score="4.70")
    later = make_application(
        rotation, status=S.WAITLISTED, start=start, weeks=3, components=thoracic, score="4.50", submitted_days_ago=1
    )
    best = make_application(
        rotation, status=S.ACCEPTED, start=start, weeks=2, components=thoracic, score="4.50", submitted_days_ago=9
    )
    make_application(rotation, status=S.WAITLISTED, start=start, weeks=2, components=thoracic)  # no score yet

    offer_decline(application=offered, by=offered.applicant)

    assert [(p.application, p.status) for p in SeatProposal.objects.all()] == [(best, SeatProposalStatus.OPEN)]
    assert later.seat_proposals.count() == 0


def test_a_freed_seat_gets_one_proposal_however_often_it_is_proposed(rotation, offered, start):
    make_application(
        rotation, status=S.WAITLISTED, start=start, weeks=2, components=(("umcg-thoracic", 2),), score="3.00"
    )
    make_application(
        rotation, status=S.WAITLISTED, start=start, weeks=2, components=(("umcg-thoracic", 2),), score="2.00"
    )

    offer_decline(application=offered, by=offered.applicant)
    freed = list(Placement.objects.filter(application=offered))
    again = seat_proposals_create(freed=freed)
    swept = [seat_proposals_sweep(), seat_proposals_sweep()]

    assert (again, swept) == ([], [0, 0])
    assert SeatProposal.objects.count() == 1


def test_the_sweep_proposes_a_seat_once_someone_fits_later(rotation, offered, start):
    offer_decline(application=offered, by=offered.applicant)
    assert SeatProposal.objects.count() == 0  # nobody was waiting

    fitting = make_application(rotation, status=S.WAITLISTED, start=start, weeks=2, components=(("umcg-thoracic", 2),))

    assert [seat_proposals_sweep(), seat_proposals_sweep()] == [1, 0]
    assert SeatProposal.objects.get().application == fitting


def test_a_seat_taken_again_is_not_proposed(rotation, offered, start):
    offer_decline(application=offered, by=offered.applicant)
    for _ in range(2):
        place(make_application(rotation, start=start), "umcg-thoracic", start, weeks=2, status=P.CONFIRMED)
    make_application(rotation, status=S.WAITLISTED, start=start, weeks=2, components=(("umcg-thoracic", 2),))

    assert seat_proposals_sweep() == 0


def test_only_weeks_still_ahead_are_proposed(rotation, carol):
    begun = weeks_ahead(-1)
    application = make_application(rotation, status=S.OFFERED, start=begun, weeks=3, components=(("umcg-thoracic", 3),))
    place(application, "umcg-thoracic", begun, weeks=3, status=P.OFFERED, deadline=timezone.now() + timedelta(days=1))
    fitting = make_application(
        rotation, status=S.WAITLISTED, start=weeks_ahead(0), weeks=2, components=(("umcg-thoracic", 2),)
    )

    offer_decline(application=application, by=application.applicant)

    proposal = SeatProposal.objects.get()
    assert (proposal.start_week, proposal.weeks, proposal.application) == (weeks_ahead(0), 2, fitting)


def test_withdrawing_cancels_the_placements_and_proposes_the_seats(rotation, offered, start):
    waiting = make_application(rotation, status=S.WAITLISTED, start=start, weeks=2, components=(("umcg-thoracic", 2),))

    application_withdraw(application=offered, by=offered.applicant, reason="Plans changed.")

    offered.refresh_from_db()
    assert offered.status == S.WITHDRAWN
    assert list(Placement.objects.filter(application=offered).values_list("status", flat=True)) == [P.CANCELLED]
    assert SeatProposal.objects.get().application == waiting


def test_withdrawing_a_suggested_application_dismisses_its_proposal(rotation, offered, start):
    waiting = make_application(rotation, status=S.WAITLISTED, start=start, weeks=2, components=(("umcg-thoracic", 2),))
    offer_decline(application=offered, by=offered.applicant)

    application_withdraw(application=waiting, by=waiting.applicant)

    assert SeatProposal.objects.get().status == SeatProposalStatus.DISMISSED


def test_offering_the_suggested_application_uses_the_proposal(rotation, offered, carol, start):
    waiting = make_application(rotation, status=S.ACCEPTED, start=start, weeks=2, components=(("umcg-thoracic", 2),))
    offer_decline(application=offered, by=offered.applicant)
    place(waiting, "umcg-thoracic", start, weeks=2, status=P.PROPOSED)

    offer_publish(application=waiting, by=carol)

    proposal = SeatProposal.objects.get()
    assert (proposal.status, proposal.resolved_by) == (SeatProposalStatus.USED, carol)


def test_coordinators_see_the_proposal_on_the_calendar_and_the_application_page(
    client, rotation, offered, carol, start
):
    waiting = make_application(
        rotation, status=S.WAITLISTED, start=start, weeks=2, components=(("umcg-thoracic", 2),), score="4.50"
    )
    offer_decline(application=offered, by=offered.applicant)
    client.force_login(carol)
    weeks = format_weeks([start, start + timedelta(weeks=1)])

    calendar = client.get(reverse("staff_placements:calendar"))
    page = client.get(reverse("staff:application", kwargs={"uuid": waiting.uuid}))

    assertContains(calendar, f"A seat is free in Thoracic radiology {weeks}: suggested")
    assertContains(calendar, f">{waiting.reference}</a>")
    assertContains(calendar, "(Ana Silva, score 4.5)")
    assertContains(page, f"A seat is free in Thoracic radiology {weeks}: suggested {waiting.reference} (score 4.5).")
    assertContains(page, reverse("staff_placements:assign", kwargs={"uuid": waiting.uuid}))


def test_a_coordinator_dismisses_a_proposal(client, rotation, offered, carol, dave, start):
    make_application(rotation, status=S.WAITLISTED, start=start, weeks=2, components=(("umcg-thoracic", 2),))
    offer_decline(application=offered, by=offered.applicant)
    proposal = SeatProposal.objects.get()
    dismiss = reverse("staff_placements:dismiss_seat_proposal", kwargs={"uuid": proposal.uuid})

    client.force_login(dave)
    assert client.post(dismiss).status_code == 404
    client.force_login(carol)
    response = client.post(dismiss, {"next": reverse("staff_placements:calendar")})

    assertRedirects(response, reverse("staff_placements:calendar"), fetch_redirect_response=False)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.resolved_by) == (SeatProposalStatus.DISMISSED, carol)


# --- the confirmation PDF -------------------------------------------------------------------------


def test_the_confirmation_is_a_pdf_naming_programme_applicant_reference_and_placements(client, offered, start):
    offer_accept(application=offered, by=offered.applicant)
    client.force_login(offered.applicant)

    response = client.get(url("placement_confirmation", offered))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="placement-confirmation-{offered.reference}.pdf"'
    assert response.content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in (
        "Placement confirmation",
        offered.reference,
        "Amira Haddad",
        "Clinical observership in Radiology and Nuclear Medicine",
        "Thoracic radiology",
        f"{start.day} {start:%B %Y}",
    ):
        assert expected in text


def test_staff_of_the_programme_may_download_the_confirmation_others_not(client, offered, carol, dave):
    offer_accept(application=offered, by=offered.applicant)
    pdf = url("placement_confirmation", offered)

    client.force_login(carol)
    assert client.get(pdf).status_code == 200
    client.force_login(dave)
    assert client.get(pdf).status_code == 404
    client.force_login(make_applicant("olga@example.org"))
    assert client.get(pdf).status_code == 404


def test_there_is_no_confirmation_before_the_offer_is_accepted(client, offered):
    client.force_login(offered.applicant)

    assert client.get(url("placement_confirmation", offered)).status_code == 404
