"""The URLs of the authorization matrix while the owner's application is still a draft (the world
of tests/security/matrix.py with the application not submitted)."""

import pytest
from django.urls import reverse

from tests.security.matrix import (
    ACCESS,
    NOT_FOUND,
    OWNER_ONLY,
    PUBLIC,
    SIGNED_IN,
    named_patterns,
    outcome_of,
    request_as,
    url_for,
    world_for_a_module,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def draft_world(django_db_setup, django_db_blocker):
    with world_for_a_module(django_db_blocker, submitted=False) as built:
        yield built


# --- The same URLs while the owner's application is still a draft --------------------------------
# A draft is the applicant's own until it is submitted: on the staff side nobody sees it, neither
# the coordinators of its programme nor an admin. Outcomes for coordinator, outsider and admin.
STAFF_PERSONAS = ("coordinator", "outsider", "admin")
HIDDEN = (NOT_FOUND,) * 3
DRAFT_GET = {
    # Pages of the draft itself, of its documents, of its dossier: 404 for all of staff.
    "applicants:application_detail": HIDDEN,
    "applicants:application_withdraw": HIDDEN,
    "applicants:placement_confirmation": HIDDEN,
    "applicants:document_download": HIDDEN,
    "applicants:document_preview": HIDDEN,
    "staff:application": HIDDEN,
    "staff:application_reviews": HIDDEN,
    "staff:application_history": HIDDEN,
    "staff:application_decide": HIDDEN,
    "staff:dossier": HIDDEN,
    "staff:dossier_status": HIDDEN,
    "staff:dossier_download": HIDDEN,
    "staff_placements:assign": HIDDEN,
    # Actions on the draft only take POST (a GET says 405 whoever asks); the POST is checked below.
    "staff:application_start_review": (405,) * 3,
    "staff:application_request_info": (405,) * 3,
    "staff:application_review": (405,) * 3,
    "staff:application_note": (405,) * 3,
    "staff:proposal_approve": (405,) * 3,
    "staff:proposal_refuse": (405,) * 3,
    "staff:dossier_start": (405,) * 3,
    "staff_placements:publish_proposal": (405,) * 3,
    "staff_placements:dismiss_seat_proposal": (405,) * 3,
    # Lists, counts, exports and the calendar open as usual, without the draft.
    "staff:home": (302,) * 3,
    "staff:queue": (200,) * 3,
    "staff:queue_bulk": (405,) * 3,
    "staff:queue_export": (200,) * 3,
    "staff_placements:calendar": (200,) * 3,
    "staff_placements:calendar_week": (200, NOT_FOUND, 200),
    "staff_placements:planner": (200,) * 3,
    "staff_placements:insights": (200,) * 3,
    "staff_placements:insights_csv": (200,) * 3,
    "staff_placements:report_start": (405,) * 3,
    "staff_placements:report": (200, NOT_FOUND, NOT_FOUND),
    "staff_placements:report_status": (200, NOT_FOUND, NOT_FOUND),
    "staff_placements:report_download": (200, NOT_FOUND, NOT_FOUND),
    "staff_placements:plan_run": (200, NOT_FOUND, 200),
    "staff_placements:plan_run_progress": (200, NOT_FOUND, 200),
    "staff_placements:plan_publish": (405,) * 3,
    "staff_placements:plan_publish_one": (405,) * 3,
    "staff_hosting:supervisors": (200,) * 3,
    "staff_hosting:request_confirmation": (405,) * 3,
    "staff_hosting:interrupt": (405,) * 3,
    # A supervisor's own pages: nothing of them for any of staff, whatever the application's state.
    **dict.fromkeys(
        [f"hosting:{page}" for page in ("placements", "calendar", "placement", "document")]
        + [f"hosting:{action}" for action in ("answer", "absence", "complete", "interrupt")],
        HIDDEN,
    ),
    "training:supervise": HIDDEN,
    "training:evaluation_fill": HIDDEN,
    "training:entry_review": (405,) * 3,
    "feeds:renew": (405,) * 3,
}
# The POST-only actions on the draft (the queue's bulk action, the planner's publish and the yearly report are not
# about one application).
DRAFT_POST_HIDDEN = [
    name
    for name, outcomes in DRAFT_GET.items()
    if outcomes == (405,) * 3
    and name not in ("staff:queue_bulk", "staff_placements:plan_publish", "staff_placements:report_start")
]
DRAFT_CASES = [(name, route) for name, route in sorted(named_patterns()) if name in DRAFT_GET]


def test_every_staff_url_has_a_draft_expectation():
    staff_urls = {
        name
        for name, outcomes in ACCESS.items()
        if outcomes not in (PUBLIC, SIGNED_IN, OWNER_ONLY) and not name.startswith("placements:")
    }

    assert sorted(staff_urls - DRAFT_GET.keys()) == []


def traces_of(world) -> list[str]:
    """What would give the draft away on a page: its address, its applicant's e-mail and name."""
    application = world["application"]
    return [str(application.uuid), application.applicant.email, application.applicant.get_full_name()]


@pytest.mark.parametrize(("name", "route"), DRAFT_CASES, ids=[name for name, _ in DRAFT_CASES])
def test_get_of_a_draft_as_staff(client, draft_world, name, route):
    outcomes, shown = {}, {}
    for persona in STAFF_PERSONAS:
        request_as(client, draft_world, persona)
        response = client.get(url_for(draft_world, name, route))
        outcomes[persona] = outcome_of(response)
        if response.status_code == 200:
            body = b"".join(response) if response.streaming else response.content
            shown[persona] = [trace for trace in traces_of(draft_world) if trace in body.decode(errors="replace")]

    assert outcomes == dict(zip(STAFF_PERSONAS, DRAFT_GET[name], strict=True))
    assert shown == {persona: [] for persona in shown}


@pytest.mark.parametrize("name", DRAFT_POST_HIDDEN)
def test_post_on_a_draft_as_staff_is_a_404_and_changes_nothing(client, draft_world, name):
    application = draft_world["application"]
    route = dict(named_patterns())[name]
    before = (application.status, application.events.count(), application.placements.count())
    outcomes = {}
    for persona in STAFF_PERSONAS:
        request_as(client, draft_world, persona)
        data = {"message": "x", "text": "x", "subject": "x", "body": "x", "action": "publish"}
        outcomes[persona] = outcome_of(client.post(url_for(draft_world, name, route), data))

    application.refresh_from_db()
    assert outcomes == dict.fromkeys(STAFF_PERSONAS, NOT_FOUND)
    assert (application.status, application.events.count(), application.placements.count()) == before


def test_bulk_action_on_a_draft_as_staff_leaves_it_alone(client, draft_world):
    application = draft_world["application"]
    for persona in STAFF_PERSONAS:
        request_as(client, draft_world, persona)
        client.post(reverse("staff:queue_bulk"), {"action": "start_review", "selected": [str(application.uuid)]})

    application.refresh_from_db()
    assert (application.status, application.events.filter(kind="status_changed").count()) == ("draft", 0)
