"""Who may open what: every URL pattern of the portal, requested as each persona (see
tests/security/matrix.py for the personas and the world); the same URLs on a draft are in
test_authorization_drafts.py."""

import pytest

from tests.security.matrix import (
    ACCESS,
    EXPECTED_GET,
    LOGIN,
    NOT_FOUND,
    PERSONAS,
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
def world(django_db_setup, django_db_blocker):
    with world_for_a_module(django_db_blocker, submitted=True) as built:
        yield built


def test_every_url_pattern_is_classified():
    names = {name for name, _ in named_patterns()}

    assert None not in names, "every portal URL pattern needs a name"
    assert sorted(names - ACCESS.keys()) == []
    assert sorted(ACCESS.keys() - names) == []


GET_CASES = [(name, route) for name, route in sorted(named_patterns()) if EXPECTED_GET.get(name) is not None]


@pytest.mark.parametrize(("name", "route"), GET_CASES, ids=[name for name, _ in GET_CASES])
def test_get_as_each_persona(client, world, name, route):
    outcomes = {}
    for persona in PERSONAS:
        request_as(client, world, persona)
        outcomes[persona] = outcome_of(client.get(url_for(world, name, route)))

    assert outcomes == dict(zip(PERSONAS, EXPECTED_GET[name], strict=True))


POST_CASES = sorted(named_patterns())


@pytest.mark.parametrize(("name", "route"), POST_CASES, ids=[name for name, _ in POST_CASES])
def test_post_by_an_outsider_changes_nothing(client, world, name, route):
    application = world["application"]
    before = (application.status, application.events.count(), application.placements.count())
    outsiders = [p for p, outcome in zip(PERSONAS, ACCESS[name], strict=True) if outcome in (LOGIN, NOT_FOUND)]
    wrong = {}
    for persona in outsiders:
        request_as(client, world, persona)
        response = client.post(url_for(world, name, route), {"message": "x", "reason": "x", "action": "submit"})
        expected = ACCESS[name][PERSONAS.index(persona)]
        # A page that only takes GET answers 405 whoever asks: that says nothing about the object.
        only_get = response.status_code == 405 and "POST" not in response["Allow"]
        if not only_get and outcome_of(response) != expected:
            wrong[persona] = outcome_of(response)

    application.refresh_from_db()
    assert wrong == {}
    assert (application.status, application.events.count(), application.placements.count()) == before


# --- Host supervisors ---------------------------------------------------------------------------
# A supervisor is no coordinator and no applicant: every staff page and every page of the owner's
# application is a 404 for both; their own pages open for the supervisor of the owner's placement
# and are a 404 for the supervisor of another department (their lists open, without it).
SUPERVISOR_PERSONAS = ("supervisor", "supervisor_other")
HOST_PAGES = {
    "hosting:placements": (200, 200),
    "hosting:calendar": (200, 200),
    "hosting:placement": (200, NOT_FOUND),
    "hosting:document": (200, NOT_FOUND),
    # POST only: a GET says 405 to any supervisor; the POST of the other one is a 404 (below).
    "hosting:answer": (405, 405),
    "hosting:absence": (405, 405),
    "hosting:complete": (405, 405),
    "hosting:interrupt": (405, 405),
    "training:supervise": (200, NOT_FOUND),
    "training:evaluation_fill": (200, NOT_FOUND),
}


def supervisor_expectation(name: str) -> tuple | None:
    """What a GET returns to the two supervisors: as for any signed-in person on public and account
    pages (the "other" applicant's outcome), a 404 on every staff and applicant page."""
    if name in HOST_PAGES:
        return HOST_PAGES[name]
    if EXPECTED_GET.get(name) is None:
        return None
    if ACCESS[name] in (PUBLIC, SIGNED_IN) or EXPECTED_GET[name][2] == 405:  # 405: only POST, for anyone
        return (EXPECTED_GET[name][2],) * 2
    return (NOT_FOUND,) * 2


SUPERVISOR_GET = {name: supervisor_expectation(name) for name in ACCESS}
SUPERVISOR_CASES = [(name, route) for name, route in sorted(named_patterns()) if SUPERVISOR_GET.get(name)]


@pytest.mark.parametrize(("name", "route"), SUPERVISOR_CASES, ids=[name for name, _ in SUPERVISOR_CASES])
def test_get_as_a_supervisor(client, world, name, route):
    outcomes = {}
    for persona in SUPERVISOR_PERSONAS:
        request_as(client, world, persona)
        outcomes[persona] = outcome_of(client.get(url_for(world, name, route)))

    assert outcomes == dict(zip(SUPERVISOR_PERSONAS, SUPERVISOR_GET[name], strict=True))


SUPERVISOR_POST_CASES = [
    (name, route)
    for name, route in sorted(named_patterns())
    if name.startswith("hosting:") and name not in ("hosting:placements", "hosting:calendar", "hosting:invitation")
] + [(name, route) for name, route in sorted(named_patterns()) if name.startswith("staff")]


@pytest.mark.parametrize(("name", "route"), SUPERVISOR_POST_CASES, ids=[name for name, _ in SUPERVISOR_POST_CASES])
def test_post_by_the_supervisor_of_another_department_is_a_404_and_changes_nothing(client, world, name, route):
    application = world["application"]
    placements_before = list(application.placements.order_by("pk").values_list("status", flat=True))
    request_as(client, world, "supervisor_other")

    response = client.post(url_for(world, name, route), {"reason": "x", "answer": "decline", "note": "x"})

    only_get = response.status_code == 405 and "POST" not in response["Allow"]
    assert only_get or outcome_of(response) == NOT_FOUND
    assert list(application.placements.order_by("pk").values_list("status", flat=True)) == placements_before
    assert not application.placements.filter(absences__isnull=False).exists()
