"""Admins keep the catalogue in the Django admin, every change is kept in its history, and the
demo loader can be run again without duplicating anything."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.http import HttpRequest
from django.urls import reverse

from placements.catalogue.models import RotationPattern
from portal.models import User
from tests.factories import DepartmentFactory, ProgrammeFactory, make_user
from tests.totp import give_totp


@pytest.fixture
def ada(db) -> User:
    """Ada keeps the catalogue: a superuser who may change anything in the admin."""
    user = User.objects.create_superuser(email="ada@portal.example", password="catalogue-keeper-2027")
    give_totp(user)  # staff need an authenticator app before any admin page opens
    return user


def department_form(department, **changes) -> dict:
    data = {
        "institution": department.institution_id,
        "specialization": department.specialization_id,
        "parent": department.parent_id or "",
        "name_en": department.name_en,
        "name_nl": department.name_nl or "",
        "slug": department.slug,
        "weekly_capacity": department.weekly_capacity,
        "contact_name": department.contact_name,
        "contact_email": department.contact_email,
        "_save": "Save",
    }
    return {**data, **changes}


def test_admin_edits_weekly_capacity_and_history_records_who_did_it(client, ada):
    department = DepartmentFactory(weekly_capacity=2)
    client.force_login(ada)
    url = reverse("admin:placements_department_change", args=[department.pk])
    assert client.get(url).status_code == 200
    history_before = department.history.count()

    response = client.post(url, department_form(department, weekly_capacity=5))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:placements_department_changelist")
    department.refresh_from_db()
    assert department.weekly_capacity == 5
    assert department.history.count() == history_before + 1
    latest = department.history.first()
    assert latest.history_type == "~"
    assert latest.weekly_capacity == 5
    assert latest.prev_record.weekly_capacity == 2
    assert latest.history_user == ada


def test_admin_refuses_a_negative_capacity_and_keeps_the_old_one(client, ada):
    department = DepartmentFactory(weekly_capacity=2)
    client.force_login(ada)
    url = reverse("admin:placements_department_change", args=[department.pk])
    history_before = department.history.count()

    response = client.post(url, department_form(department, weekly_capacity=-1))

    assert response.status_code == 200
    assert "weekly_capacity" in response.context["adminform"].form.errors
    department.refresh_from_db()
    assert department.weekly_capacity == 2
    assert department.history.count() == history_before


def test_admin_history_page_shows_the_change(client, ada):
    department = DepartmentFactory(weekly_capacity=2)
    client.force_login(ada)
    client.post(
        reverse("admin:placements_department_change", args=[department.pk]),
        department_form(department, weekly_capacity=4),
    )

    response = client.get(reverse("admin:placements_department_history", args=[department.pk]))

    assert response.status_code == 200
    records = list(response.context["page_obj"].object_list)
    assert [(record.weekly_capacity, record.history_user) for record in records] == [(4, ada), (2, None)]


# --- programmes: coordinators, patterns --------------------------------------------------------


def test_coordinator_picker_offers_staff_and_coordinators_but_no_applicant(client, ada, rotation):
    applicant = make_user("amira")
    staff_member = make_user("stella", is_staff=True)
    coordinator = make_user("carol")
    rotation.coordinators.add(coordinator)
    other_programme = make_user("dave")
    ProgrammeFactory().coordinators.add(other_programme)
    client.force_login(ada)

    response = client.get(reverse("admin:placements_programme_change", args=[rotation.pk]))

    offered = response.context["adminform"].form.fields["coordinators"].queryset
    assert list(offered) == sorted([ada, staff_member, coordinator, other_programme], key=lambda u: u.email)
    assert applicant.email not in response.content.decode()


def test_rotation_patterns_have_a_page_of_their_own(client, ada, rotation):
    pattern = RotationPattern.objects.get(group__programme=rotation, label="A longer stay in one or two sections")
    client.force_login(ada)

    listing = client.get(reverse("admin:placements_rotationpattern_changelist"))
    assert {str(p) for p in listing.context["cl"].result_list} == {
        "A week in each of the eight sections",
        "A longer stay in one or two sections",
    }
    url = reverse("admin:placements_rotationpattern_change", args=[pattern.pk])
    fields = {"group": pattern.group_id, "label_en": pattern.label, "min_offerings": 1, "max_offerings": 2}
    response = client.post(url, {**fields, "min_weeks_each": 2, "max_weeks_each": 6, "_save": "Save"})

    assert response.status_code == 302
    pattern.refresh_from_db()
    assert pattern.max_weeks_each == 6
    assert pattern.history.first().history_user == ada


# --- the demo loader --------------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    """Rows per model of the apps the loader writes to (the history tables are an audit trail)."""
    app_labels = {"placements", "portal", "account"}
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in app_labels and not model._meta.model_name.startswith("historical")
    }


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_twice_creates_no_duplicates(db):
    load_demo()
    counts_after_first = row_counts()

    load_demo()

    assert row_counts() == counts_after_first
    assert counts_after_first["placements.Programme"] == 2
    assert counts_after_first["placements.Offering"] == 14
    # admin, two coordinators, two host supervisors and an applicant
    assert counts_after_first["portal.User"] == 6
    assert counts_after_first["account.EmailAddress"] == 6


def test_load_demo_prints_each_account_with_its_password(db, demo_data):
    output = load_demo()

    lines = output.splitlines()
    assert lines[0] == "Catalogue: 2 programmes loaded from demo_catalogue.json."
    for account in demo_data["accounts"]:
        (line,) = [line for line in lines if account["email"] in line]
        assert line.split() == [account["email"], account["password"], account["role"]]


def test_load_demo_accounts_can_sign_in(client, db, demo_data):
    load_demo()

    for account in demo_data["accounts"]:
        # The throttling backend (axes) checks every sign-in, so it needs a request.
        credentials = {"email": account["email"], "password": account["password"]}
        assert client.login(request=HttpRequest(), **credentials), account["email"]
        client.logout()


def test_load_demo_makes_the_admin_a_superuser_and_coordinators_coordinate(db):
    load_demo()

    assert User.objects.get(email="admin@portal.example").is_superuser
    leuven = User.objects.get(email="coordinator.leuven@portal.example")
    assert [p.slug for p in leuven.coordinated_programmes.all()] == ["postgraduate-certificate-medical-physics"]
