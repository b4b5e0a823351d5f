"""The host department pages in the accessibility audit, with their own people on the demo catalogue:

- hector: supervisor of UMCG radiology (with an authenticator app, as supervisors need), asked to
  confirm a proposed placement, with a trainee in progress in one of its sections;
- carol (the coordinator of world.py): the host supervisors page and its invitation form;
- an invitee who has not set a password yet, and a link that no longer works.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from applicants.enums import ApplicationStatus
from applicants.models import Application
from placements.allocation.enums import PlacementStatus
from placements.hosting.invitations import invitation_token
from placements.hosting.models import Absence, HostConfirmation
from portal.models import User
from tests.applicants.builders import make_applicant
from tests.browser.a11y.states import Persona, State, fill_and_send, sign_in_states
from tests.browser.a11y.world import World
from tests.hosting.helpers import make_supervisor
from tests.placements.helpers import place, weeks_ahead
from tests.totp import totp_secret

P = PlacementStatus


def _trainee(world: World, number: int, first: str, last: str, start) -> Application:
    """A confirmed application of the observership (its references are apart from the world's)."""
    applicant = make_applicant(f"{first.lower()}@example.org", first_name=first, last_name=last)
    return Application.objects.create(
        applicant=applicant,
        programme=world.rotation,
        status=ApplicationStatus.CONFIRMED,
        reference=f"UMCG-2027-{9000 + number}",
        start_date=start,
        end_date=start + timedelta(weeks=2, days=-3),
        submitted_at=timezone.now(),
    )


def hosting_personas(world: World) -> list[Persona]:
    hector = make_supervisor("hector", "umcg-radiology", first_name="Hector", last_name="Host")
    asked_for = _trainee(world, 1, "Ines", "Asked", weeks_ahead(8))
    proposed = place(asked_for, "umcg-thoracic", weeks_ahead(8), weeks=2, status=P.PROPOSED)
    HostConfirmation.objects.create(placement=proposed, requested_by=world.carol, requested_at=timezone.now())
    running_for = _trainee(world, 2, "Rui", "Running", weeks_ahead(-1))
    running = place(running_for, "umcg-abdominal", weeks_ahead(-1), weeks=3, status=P.IN_PROGRESS)
    Absence.objects.create(
        placement=running, first_day=running.start_week, last_day=running.start_week + timedelta(days=1), reason="Ill"
    )
    invitee = User.objects.create_user("ivo@example.org")
    used = User.objects.create_user("used@example.org")
    used_link = reverse("hosting:invitation", kwargs={"token": invitation_token(used)})
    used.set_password("A passphrase long enough 77")
    used.save()

    to_confirm = reverse("hosting:placement", kwargs={"uuid": proposed.uuid})
    in_progress = reverse("hosting:placement", kwargs={"uuid": running.uuid})
    invitation = reverse("hosting:invitation", kwargs={"token": invitation_token(invitee)})
    supervisors = reverse("staff_hosting:supervisors")
    return [
        Persona(
            "supervisor hector",
            [
                *sign_in_states(hector.email, secret=totp_secret(hector)),
                State("hosting: my placements", reverse("hosting:placements")),
                State("hosting: calendar", reverse("hosting:calendar")),
                State("hosting: a placement to confirm", to_confirm),
                State(
                    "hosting: declined without a reason",
                    lambda page, base: _decline_without_reason(page, base + to_confirm),
                    failed=True,
                ),
                State("hosting: a placement in progress", in_progress),
                State(
                    "hosting: an absence left empty",
                    fill_and_send(in_progress, {}, "Record the absence"),
                    failed=True,
                ),
                State(
                    "hosting: interrupted without a reason",
                    fill_and_send(in_progress, {}, "Interrupt"),
                    failed=True,
                ),
            ],
        ),
        Persona(
            "coordinator carol (host departments)",
            [
                *sign_in_states(world.carol.email, secret=world.secrets["carol"]),
                State("host supervisors", supervisors),
                State(
                    "host supervisors: an invitation with mistakes",
                    fill_and_send(supervisors, {"input[name=email]": "not-an-address"}, "Send the invitation"),
                    failed=True,
                ),
            ],
        ),
        Persona(
            "invitee",
            [
                State("invitation: set a password", invitation),
                State(
                    "invitation: passwords differ",
                    fill_and_send(
                        invitation,
                        {"input[name=password1]": "A passphrase long enough 1", "input[name=password2]": "other"},
                        "Set the password",
                    ),
                    failed=True,
                ),
                State("invitation: a link used already", used_link),
            ],
        ),
    ]


def _decline_without_reason(page, url: str) -> None:
    page.goto(url)
    page.get_by_role("radio", name="Decline the placement").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send the answer").click()
