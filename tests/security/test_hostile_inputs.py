"""Known inputs that made the portal answer 500, each now a clear message or a 404 (the generated
search for more is tests/security/test_hostile_forms.py).

Personas: carol (coordinator of the rotation programme), root (superuser, keeps the catalogue).
"""

import pytest
from django.urls import reverse
from django.utils.encoding import iri_to_uri

from placements.allocation.models.proposals import SeatProposal
from placements.catalogue.models import DocumentType, OfferingGroup
from tests.placements.helpers import department, make_application, place, weeks_ahead
from tests.security.forms import form_data

pytestmark = pytest.mark.django_db

FAR_WEEKS = ["0001-01-01", "0001-01-08", "1899-12-25", "9999-12-27", "9999-12-31", "2100-01-04"]
WEEK_MESSAGE = "Give a week in the years 2000 to 2099."


@pytest.mark.parametrize("week", FAR_WEEKS)
def test_a_calendar_week_far_in_the_past_or_future_is_not_found(client, carol, week):
    client.force_login(carol)

    response = client.get(reverse("staff_placements:calendar_week", args=[department("umcg-thoracic").pk, week]))

    assert response.status_code == 404


@pytest.mark.parametrize("start", FAR_WEEKS)
def test_the_calendar_from_a_week_far_away_shows_this_week_instead(client, carol, start):
    client.force_login(carol)

    response = client.get(reverse("staff_placements:calendar"), {"start": start})

    assert (response.status_code, response.context["calendar"].weeks[0]) == (200, response.context["this_week"])


@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01", "2100-01-04"])
def test_assignment_check_with_a_week_far_away_says_which_weeks_are_possible(client, rotation, carol, start):
    application = make_application(rotation, start=weeks_ahead(10))
    client.force_login(carol)
    data = {
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "20",
        "form-0-department": str(department("umcg-thoracic").pk), "form-0-start_week": start, "form-0-weeks": "52",
        "action": "check",
    }  # fmt: skip

    response = client.post(reverse("staff_placements:assign", kwargs={"uuid": application.uuid}), data)

    assert response.status_code == 400
    assert response.context["formset"].forms[0].errors == {"start_week": [WEEK_MESSAGE]}


@pytest.mark.parametrize(
    "kinds", ["-1", "12345678901234567890123456789", "true", "null", '"pdf"', '[["pdf"]]', '[{"a": 1}]', "{}"]
)
def test_a_document_type_whose_kinds_are_not_a_list_of_kinds_is_refused(client, root, kinds):
    client.force_login(root)
    data = {"code": "cv", "name_en": "CV", "description_en": "", "allowed_kinds": kinds, "automatic_check": ""}

    response = client.post(reverse("admin:placements_documenttype_add"), data)

    assert response.status_code == 200
    assert "Give a non-empty list of: pdf, jpeg, png." in response.context["adminform"].form.errors["allowed_kinds"]
    assert not DocumentType.objects.filter(code="cv").exists()


@pytest.mark.parametrize("missing", ["min_offerings", "max_offerings"])
def test_a_new_rotation_pattern_without_its_limits_is_refused(client, root, rotation, missing):
    group = OfferingGroup.objects.filter(programme=rotation, patterns__isnull=False).first()
    client.force_login(root)
    url = reverse("admin:placements_offeringgroup_change", args=[group.pk])
    data = admin_form_data(client, url)
    row = int(data["patterns-TOTAL_FORMS"])
    new_row = {"label_en": "Every section", "min_offerings": "8", "max_offerings": "8", "min_weeks_each": "1"}
    data.update({f"patterns-{row}-{name}": value for name, value in new_row.items() if name != missing})
    data.update({f"patterns-{row}-group": str(group.pk), "patterns-TOTAL_FORMS": str(row + 1)})

    response = client.post(url, data)

    assert response.status_code == 200
    assert missing in response.context["inline_admin_formsets"][0].formset.forms[row].errors
    assert not group.patterns.filter(label="Every section").exists()


def admin_form_data(client, url) -> dict:
    """The data the admin's change page at `url` would post as it stands."""
    return dict(form_data(client.get(url).content.decode()))


@pytest.mark.parametrize("programme", ["²", "٣", "9" * 29])
def test_queue_with_a_programme_that_is_no_number_of_ours_is_not_found(client, carol, programme):
    client.force_login(carol)

    assert client.get(reverse("staff:queue"), {"programme": programme}).status_code == 404


@pytest.mark.parametrize("rows", ["0604-01-26", "²", "-1", "9" * 29, ""])
def test_adding_a_row_to_an_assignment_with_a_count_that_is_no_number_starts_from_none(client, rotation, carol, rows):
    application = make_application(rotation, start=weeks_ahead(10))
    client.force_login(carol)

    response = client.post(
        reverse("staff_placements:assign", kwargs={"uuid": application.uuid}),
        {"form-TOTAL_FORMS": rows, "form-INITIAL_FORMS": "0", "action": "add_row"},
    )

    assert response.status_code == 200


@pytest.mark.parametrize("target", ["2000-01-01", "' OR 1=1 --", "calendar"])
def test_dismissing_a_seat_proposal_goes_back_to_a_next_that_is_a_plain_word_as_an_address(
    client, rotation, carol, target
):
    waiting = make_application(rotation, start=weeks_ahead(10))
    freed = place(make_application(rotation, start=weeks_ahead(10)), "umcg-thoracic", weeks_ahead(10))
    proposal = SeatProposal.objects.create(
        programme=rotation, department=freed.department, start_week=freed.start_week, weeks=1, freed_by=freed,
        application=waiting,
    )  # fmt: skip
    client.force_login(carol)

    response = client.post(
        reverse("staff_placements:dismiss_seat_proposal", kwargs={"uuid": proposal.uuid}), {"next": target}
    )

    assert (response.status_code, response["Location"]) == (302, iri_to_uri(target))


@pytest.mark.parametrize("parent", ["2000-01-01", "9" * 29, "true", "-1"])
def test_a_department_whose_parent_is_no_department_is_refused_not_a_server_error(client, root, catalogue, parent):
    client.force_login(root)
    url = reverse("admin:placements_department_change", args=[department("umcg-thoracic").pk])

    response = client.post(url, {**admin_form_data(client, url), "parent": parent})

    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors


@pytest.mark.parametrize("object_id", ["9999-12-31", "1/change", "9" * 29, "-1", "%00"])
@pytest.mark.parametrize("model", ["placements_department", "placements_documenttype", "portal_emailtemplate"])
def test_the_history_of_a_record_that_is_no_key_is_not_found(client, root, model, object_id):
    client.force_login(root)

    response = client.get(f"/admin/{model.replace('_', '/', 1)}/{object_id}/history/")

    assert response.status_code == 404


@pytest.mark.parametrize("version", ["9999-12-31", "9" * 29, "x"])
def test_a_version_of_a_record_that_is_no_key_is_not_found(client, root, catalogue, version):
    client.force_login(root)

    response = client.get(f"/admin/placements/department/{department('umcg-thoracic').pk}/history/{version}/")

    assert response.status_code == 404


@pytest.mark.parametrize(
    "drilldown",
    [
        {"created_at__year": "6402373705728000"},
        {"created_at__year": "9999"},
        {"created_at__year": "9999", "created_at__month": "12"},
        {"created_at__year": "0"},
        {"created_at__year": "2027", "created_at__month": "13"},
        {"created_at__year": "²"},
    ],
)
@pytest.mark.parametrize("changelist", ["applicants_application", "applicants_event", "portal_emaillog"])
def test_a_date_drilldown_to_a_year_that_cannot_be_is_the_invalid_filter_page(client, root, changelist, drilldown):
    client.force_login(root)

    response = client.get(reverse(f"admin:{changelist}_changelist"), drilldown)

    assert (response.status_code, response["Location"]) == (302, reverse(f"admin:{changelist}_changelist") + "?e=1")


@pytest.mark.parametrize("changelist", ["placements_capacityoverride", "placements_placement"])
def test_a_week_drilldown_to_a_year_that_cannot_be_is_the_invalid_filter_page(client, root, changelist):
    client.force_login(root)
    field = "week" if changelist.endswith("override") else "start_week"

    response = client.get(reverse(f"admin:{changelist}_changelist"), {f"{field}__year": "9999"})

    assert (response.status_code, response["Location"]) == (302, reverse(f"admin:{changelist}_changelist") + "?e=1")


@pytest.mark.parametrize(
    ("changelist", "lookup"),
    [
        ("placements_seatproposal", {"start_week__year": "-1455"}),
        ("applicants_application", {"submitted_at__year": "0"}),
    ],
)
def test_a_list_filtered_by_a_date_that_cannot_be_is_the_invalid_filter_page(client, root, changelist, lookup):
    client.force_login(root)

    response = client.get(reverse(f"admin:{changelist}_changelist"), lookup)

    assert (response.status_code, response["Location"]) == (302, reverse(f"admin:{changelist}_changelist") + "?e=1")


def test_a_list_already_flagged_invalid_with_a_date_that_cannot_be_shows_the_invalid_filter_page(client, root):
    client.force_login(root)

    response = client.get(
        reverse("admin:placements_capacityoverride_changelist"), {"e": "1", "week__year": "-114821631659674"}
    )

    assert (response.status_code, [t.name for t in response.templates][:1]) == (200, ["admin/invalid_setup.html"])
