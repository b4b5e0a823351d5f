"""No input gives a 500: generated hostile values posted to every form of the portal, and put in every
number, date and query parameter of its URLs, as the persona who may use each; any answer but a
server error passes (a message, a 400, a 404, a redirect).

The forms are read from their pages as a browser would submit them (tests/security/forms.py); each
example then changes some fields: out-of-range dates, huge and negative numbers, NUL and other
control characters, direction overrides, very long strings, values of the wrong type, a field sent
twice or left out, a field nobody asked for. Each example runs in a savepoint that is rolled back,
so every one starts from the same world. Known cases found this way are kept as plain tests in
tests/security/test_hostile_inputs.py.

Personas (see tests/conftest.py): alice (applicant with a draft), bob (applicant asked for more
information), otto (applicant offered a placement), carol (coordinates the rotation programme: a
submitted application, one in review, an accepted one), root (admin), and anonymous visitors.
"""

import re
from collections import defaultdict
from datetime import date
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applicants.models import ReferenceCounter
from applicants.services.applications import application_submit
from applicants.services.decisions import application_request_info
from placements.allocation.enums import PlacementStatus
from placements.allocation.models import PlanRun
from placements.allocation.models.proposals import SeatProposal
from placements.catalogue.models import Department
from tests.applicants.builders import complete_draft, make_applicant
from tests.applicants.staff_builders import give_rubric
from tests.placements.helpers import S, make_application, place, weeks_ahead
from tests.security.forms import Form, forms_of
from tests.web import random_ip

pytestmark = pytest.mark.django_db

# Moderate: every form and URL gets this many generated submissions, the admin's heavier pages fewer
# (the whole module runs in well under a minute); derandomized, so a failure is the same on every
# run. To search further, raise them and turn derandomize off for a run.
EXAMPLES = 8
HOSTILE = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- hostile values -------------------------------------------------------------------------------

DATES = st.one_of(
    st.dates().map(date.isoformat),
    st.sampled_from(
        ["0001-01-01", "9999-12-31", "0000-00-00", "10000-01-01", "2027-02-30", "2027-13-01", "-2027-01-01",
         "2027-1-1", "2027-03", "2027-W10", "31/12/2027", "99999999"]
    ),
)  # fmt: skip
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(
        ["-1", "0", "9" * 29, "-" + "9" * 29, str(2**63), str(2**31), "1e309", "NaN", "inf", "-0", "0x10",
         "1_000", "3.5", "١٢", "１２"]
    ),
)  # fmt: skip
TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["\x00", "a\x00b", "\r\n", "\t", "\x1b[2J", "\u202eevil", "\u2066x\u2069", "x" * 20_000, "%00",
         "../../etc/passwd", "<script>alert(1)</script>", "' OR 1=1 --", "{{ 7|add:7 }}", "%(x)s", "\ufeff", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"]
    ),
)  # fmt: skip
WRONG_TYPE = st.sampled_from(["[]", "{}", "null", "true", "on", "", " ", '["pdf"]', '{"a": 1}', "[[[]]]"])
VALUES = st.one_of(DATES, NUMBERS, TEXT, WRONG_TYPE)


@st.composite
def submissions(draw, form: Form) -> dict[str, list[str]]:
    """`form`'s fields as a browser would send them, some changed: a hostile value, left out, sent
    twice; sometimes a field the form does not have, and one of its buttons."""
    given_values = defaultdict(list)
    for name, value in form.fields:
        given_values[name].append(value)
    data = {}
    for name in form.names or list(given_values):
        kept = given_values.get(name, [""])
        change = draw(st.sampled_from(["keep", "keep", "replace", "replace", "drop", "twice"]))
        if change == "keep":
            data[name] = kept
        elif change == "replace":
            data[name] = [draw(VALUES)]
        elif change == "twice":
            data[name] = [draw(VALUES), *kept]
    if draw(st.booleans()):
        data[draw(st.sampled_from(["x", "id", "pk", "status", "applicant", "programme", "__all__"]))] = [draw(VALUES)]
    if form.buttons and draw(st.booleans()):
        name, value = draw(st.sampled_from(form.buttons))
        data.setdefault(name, [value])
    return data


def assert_no_server_error(response, what: str) -> None:
    # The test client raises what a view raises; this catches a 500 answered without an exception.
    assert response.status_code != 500, what


# --- the world ------------------------------------------------------------------------------------


@pytest.fixture
def world(rotation, carol, root):
    give_rubric(rotation)
    in_review = make_application(rotation, status=S.IN_REVIEW, start=weeks_ahead(12))
    accepted = make_application(rotation, status=S.ACCEPTED, start=weeks_ahead(12))
    offered = make_application(rotation, status=S.OFFERED, start=weeks_ahead(14))
    alice = make_applicant("alice@example.org", first_name="Alice")
    draft = complete_draft(rotation, alice)
    bob = make_applicant("bob@example.org", first_name="Bob")
    asked = complete_draft(rotation, bob)
    # Submitted ones are numbered past the arranged ones' references.
    ReferenceCounter.objects.create(programme=rotation, year=asked.start_date.year, last_number=900)
    application_submit(application=asked, by=bob)
    application_request_info(application=asked, by=carol, message="Please send your transcript.")
    sam = make_applicant("sam@example.org", first_name="Sam")
    submitted = complete_draft(rotation, sam)
    application_submit(application=submitted, by=sam)
    placed = place(offered, "umcg-thoracic", weeks_ahead(14), weeks=4, status=PlacementStatus.OFFERED)
    declined = place(accepted, "umcg-abdominal", weeks_ahead(20), status=PlacementStatus.DECLINED)
    proposal = SeatProposal.objects.create(
        programme=rotation, department=declined.department, start_week=declined.start_week, weeks=1,
        freed_by=declined, application=accepted,
    )  # fmt: skip
    run = PlanRun.objects.create(programme=rotation)
    clients = {}
    people = {"alice": alice, "bob": bob, "otto": offered.applicant, "carol": carol, "root": root}
    for name, user in people.items():
        clients[name] = Client(REMOTE_ADDR=random_ip())
        clients[name].force_login(user)
    clients["anonymous"] = Client(REMOTE_ADDR=random_ip())
    return {
        "clients": clients,
        "draft": draft,
        "asked": asked,
        "submitted": submitted,
        "in_review": in_review,
        "accepted": accepted,
        "offered": offered,
        "placement": placed,
        "proposal": proposal,
        "run": run,
        "rotation": rotation,
        "department": Department.objects.get(slug="umcg-thoracic"),
    }


def in_savepoint(check):
    """Run `check` and undo whatever it changed, so that the next example starts from the same world."""
    with transaction.atomic():
        check()
        transaction.set_rollback(True)


# --- every form of the portal, as the persona who fills it in ----------------------------------------


def applicant_forms(world) -> list[tuple[str, str, str | None]]:
    """(persona, page with the form, part of the form's action that picks it out)."""
    draft, asked, offered = world["draft"], world["asked"], world["offered"]
    steps = [
        ("alice", reverse("applicants:wizard_step", kwargs={"uuid": draft.uuid, "step": step}), None)
        for step in ("profile", "eligibility", "components", "dates", "documents", "review")
    ]
    return [
        *steps,
        ("alice", reverse("applicants:profile"), None),
        ("alice", reverse("placements:programme_detail", kwargs={"slug": draft.programme.slug}), "/apply/"),
        ("alice", None, reverse("applicants:data_export_start")),
        ("otto", None, reverse("applicants:offer_accept", kwargs={"uuid": offered.uuid})),
        ("alice", reverse("applicants:application_withdraw", kwargs={"uuid": draft.uuid}), None),
        ("otto", reverse("applicants:offer_decline", kwargs={"uuid": offered.uuid}), None),
        ("alice", reverse("applicants:account_delete"), None),
        ("bob", reverse("applicants:application_answer", kwargs={"uuid": asked.uuid}), None),
    ]


def staff_forms(world) -> list[tuple[str, str, str | None]]:
    submitted, in_review, accepted = world["submitted"], world["in_review"], world["accepted"]
    page = reverse("staff:application", kwargs={"uuid": in_review.uuid})
    reviews = reverse("staff:application_reviews", kwargs={"uuid": in_review.uuid})
    return [
        ("carol", reverse("staff:application", kwargs={"uuid": submitted.uuid}), "/start-review/"),
        *[("carol", page, action) for action in ("/request-info/", "/dossier/")],
        *[("carol", reviews, action) for action in ("/review/", "/notes/")],
        *[
            ("carol", reverse("staff:application_decide", kwargs={"uuid": in_review.uuid, "decision": name}), None)
            for name in ("accept", "waitlist", "reject")
        ],
        ("carol", reverse("staff:queue"), "bulk"),
        ("carol", reverse("staff:queue"), "GET"),
        ("carol", reverse("staff_placements:calendar"), "GET"),
        ("carol", None, reverse("staff_placements:publish_proposal", kwargs={"uuid": accepted.uuid})),
        ("carol", None, reverse("staff_placements:plan_publish", kwargs={"uuid": world["run"].uuid})),
        ("carol", reverse("staff_placements:assign", kwargs={"uuid": accepted.uuid}), None),
        ("carol", reverse("staff_placements:planner"), None),
        ("carol", reverse("staff_placements:calendar"), "dismiss"),
    ]


CATALOGUE_MODELS = ["institution", "specialization", "department", "documenttype", "programme", "offeringgroup"]
OTHER_ADMIN_MODELS = [
    ("placements", "capacityoverride"),
    ("applicants", "rubriccriterion"),
    ("portal", "emailtemplate"),
]


def admin_forms(world) -> list[tuple[str, str, str | None]]:
    rotation = world["rotation"]
    group = rotation.offering_groups.filter(patterns__isnull=False).first()
    pages = [reverse(f"admin:placements_{model}_add") for model in CATALOGUE_MODELS]
    pages += [reverse(f"admin:{app}_{model}_add") for app, model in OTHER_ADMIN_MODELS]
    pages += [
        reverse("admin:placements_programme_change", args=[rotation.pk]),
        reverse("admin:placements_offeringgroup_change", args=[group.pk]),
        reverse("admin:placements_department_change", args=[world["department"].pk]),
        reverse("admin:placements_documenttype_change", args=[rotation.document_types.first().pk]),
    ]
    return [("root", page, None) for page in pages]


def account_forms(world) -> list[tuple[str, str, str | None]]:
    return [
        ("anonymous", reverse(name), None) for name in ("account_signup", "account_login", "account_reset_password")
    ]


def the_form(client, page: str | None, picked: str | None) -> tuple[str, Form]:
    """Where the form on `page` is sent to, and the form itself: the one whose action contains
    `picked`, the GET form for "GET", else the largest. Without a page, `picked` is an address that
    only takes a POST (a button elsewhere), sent fields nobody asked for."""
    if page is None:
        return picked, Form(action=picked, method="post")
    response = client.get(page)
    assert response.status_code == 200, page
    candidates = [
        form
        for form in forms_of(response.content.decode())
        if not form.action.endswith("/logout/")
        and (picked is None or (form.method == "get" if picked == "GET" else picked in form.action))
    ]
    assert candidates, f"no form{f' for {picked}' if picked else ''} on {page}"
    form = max(candidates, key=lambda f: len(f.names))
    return form.action or page, form


def hammer(world, data, targets) -> None:
    # Read once per test: every example starts from the same pages.
    if "forms" not in world:
        world["forms"] = [
            (persona, *the_form(world["clients"][persona], page, pick)) for persona, page, pick in targets
        ]
    forms = world["forms"]

    def check():
        for persona, action, form in forms:
            client = world["clients"][persona]
            if persona == "anonymous":
                client.defaults["REMOTE_ADDR"] = random_ip()
            submission = data.draw(submissions(form), label=action)
            send = client.post if form.method == "post" else client.get
            assert_no_server_error(send(action, submission), f"{form.method.upper()} {action}")

    in_savepoint(check)


@HOSTILE
@given(data=st.data())
def test_applicant_forms_survive_hostile_input(world, data):
    hammer(world, data, applicant_forms(world))


@HOSTILE
@given(data=st.data())
def test_staff_forms_survive_hostile_input(world, data):
    hammer(world, data, staff_forms(world))


@settings(HOSTILE, max_examples=EXAMPLES // 2)
@given(data=st.data())
def test_admin_catalogue_forms_survive_hostile_input(world, data):
    hammer(world, data, admin_forms(world))


@HOSTILE
@given(data=st.data())
def test_account_forms_survive_hostile_input(world, data):
    hammer(world, data, account_forms(world))


# --- every number, date and query parameter in a URL ---------------------------------------------

# Query parameters the pages read, by URL name (a page may get others too; they are drawn as well).
QUERY = {
    "staff:queue": ["q", "programme", "status", "department", "start_month", "warnings", "sort", "page"],
    "staff:queue_export": ["q", "programme", "status", "department", "start_month", "warnings", "sort"],
    "staff_placements:calendar": ["start", "programme"],
    "staff_placements:planner": ["programme"],
    "placements:programme_list": ["page"],
    "applicants:dashboard": ["page"],
}
ADMIN_QUERY = [
    "q", "p", "o", "e", "all", "_popup", "_to_field", "status__exact", "programme__id__exact",
    *[f"{field}__{part}" for field in ("created_at", "week", "start_week") for part in ("year", "month", "day")],
]  # fmt: skip


def named_routes(patterns=None, prefix="", namespace=""):
    """(name, route, converters) of every URL pattern, the admin's included."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace and (f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace)
            yield from named_routes(pattern.url_patterns, prefix + str(pattern.pattern), inner or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            converters = {**getattr(pattern.pattern, "converters", {})}
            yield (
                (f"{namespace}:{pattern.name}" if namespace else pattern.name),
                prefix + str(pattern.pattern),
                converters,
            )


def persona_for(name: str, route: str) -> str:
    """Who may open the URL, so that the values reach the view instead of stopping at a 404."""
    if route.startswith("admin/"):
        return "root"
    if name.startswith(("staff:", "staff_placements:")):
        return "carol"
    if name.startswith("applicants:"):
        return "alice"
    return "anonymous"


def known_kwargs(world, persona: str) -> dict[str, object]:
    """Values for URL parts that are not drawn: objects of the world the persona may see."""
    return {
        "uuid": (world["draft"] if persona == "alice" else world["in_review"]).uuid,
        "slug": world["rotation"].slug,
        "programme_slug": world["rotation"].slug,
        "step": "dates",
        "decision": "accept",
        "department_id": world["department"].pk,
        "week": weeks_ahead(2).isoformat(),
        "app_label": "placements",
    }


def drawable(converter) -> bool:
    return type(converter).__name__ in ("IntConverter", "StringConverter", "PathConverter", "SlugConverter")


ROUTES = [
    (name, route, converters)
    for name, route, converters in named_routes()
    if any(drawable(c) for c in converters.values()) or name in QUERY
]
ADMIN_LISTS = [f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist" for m in admin.site._registry]


def url_value(converter) -> st.SearchStrategy[str]:
    kind = type(converter).__name__
    if kind == "IntConverter":
        return st.one_of(st.integers(min_value=0, max_value=10**30), st.sampled_from([2**63, 2**63 - 1, 2**31])).map(
            str
        )
    if kind == "SlugConverter":
        return st.from_regex(r"\A[-a-zA-Z0-9_]{1,60}\Z")
    text = st.one_of(DATES, NUMBERS, TEXT).filter(lambda value: value and "/" not in value and "\x00" not in value)
    return text if kind == "StringConverter" else st.one_of(text, st.just("1/change"))


def fill(route: str, values: dict[str, str]) -> str:
    """`route` with each <converter:name> (or <name>) replaced by its value, quoted for a URL."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda part: quote(str(values[part[1]]), safe=""), route)


@HOSTILE
@given(data=st.data())
def test_numbers_dates_and_query_strings_in_urls_survive_hostile_values(world, data):
    def check():
        for name, route, converters in ROUTES:
            persona = persona_for(name, route)
            defaults = known_kwargs(world, persona)
            values = {
                part: data.draw(url_value(converter), label=f"{name}:{part}")
                if drawable(converter) and data.draw(st.booleans())
                else defaults.get(part, "1")
                for part, converter in converters.items()
            }
            query = {key: data.draw(VALUES) for key in QUERY.get(name, []) if data.draw(st.booleans())}
            client = world["clients"][persona]
            url = fill(route, values)
            assert_no_server_error(client.get(url, query), f"GET {url} {query}")
        for name in ADMIN_LISTS:
            query = {key: data.draw(VALUES) for key in ADMIN_QUERY if data.draw(st.booleans())}
            url = reverse(name)
            assert_no_server_error(world["clients"]["root"].get(url, query), f"GET {url} {query}")

    in_savepoint(check)


def test_the_walk_covers_the_urls_that_take_numbers_dates_or_query_parameters():
    # The URLconf grows: a page named in QUERY that no longer exists would silently go untested.
    names = {name for name, _, _ in named_routes()}
    walked = {name for name, _, _ in ROUTES}

    assert sorted(set(QUERY) - names) == []
    assert {"staff_placements:calendar_week", "placements:programme_detail", "staff:application_decide"} <= walked
