"""Every name and one-line text field of the portal refuses control characters and text-direction
overrides with a clear message (portal/text.py), form by form; text areas keep line breaks and tabs
but refuse the rest.

Personas: ada (an applicant with a profile and a draft), root (superuser), carol (coordinator).
"""

import pytest
from django.contrib import admin
from django.forms import CharField, JSONField, PasswordInput
from django.test import RequestFactory
from django.urls import resolve, reverse

from applicants.forms.profile import ApplicantProfileForm
from applicants.forms.staff import DecisionEmailForm, InternalNoteForm, RequestInfoForm, ReviewForm
from applicants.forms.staff_queue import BulkActionForm, QueueFilterForm
from applicants.forms.wizard import EligibilityForm
from applicants.selectors_staff import staff_catalogue
from applicants.views.dashboard import WithdrawForm
from applicants.views.info_reply import InfoAnswerForm
from placements.applicant_views import DeclineForm
from placements.catalogue.models import Programme
from portal.models import User
from tests.applicants.builders import complete_draft, make_applicant
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

OVERRIDE = "Ada\u202eOttoline"  # shows as "Adaenilottø"-style reversed text
ONE_LINE = "one line of plain text"
TEXT_AREA = "text-direction marks"


def errors_of(form) -> dict[str, list[str]]:
    form.is_valid()
    return {name: " ".join(messages) for name, messages in form.errors.items()}


@pytest.mark.parametrize("field", ["first_name", "last_name", "nationality", "home_institution", "degree", "phone"])
@pytest.mark.parametrize("value", ["Ada\u202ePeeters", "Ada\nPeeters", "Ada\x00Peeters", "Ada\tPeeters", "Ada\x1bP"])
def test_profile_refuses_control_characters_in_each_line(alice, field, value):
    data = {
        "first_name": "Ada", "last_name": "Peeters", "language": "en", "nationality": "Belgian",
        "home_institution": "KU Leuven", "study_phase": "master", "degree": "Medical physics",
        "english_level": "C1", "phone": "",
    }  # fmt: skip

    form = ApplicantProfileForm({**data, field: value}, user=alice)

    assert list(errors_of(form)) == [field]
    assert ONE_LINE in errors_of(form)[field]


def test_profile_page_shows_the_message_and_saves_nothing(client, alice):
    client.force_login(alice)

    response = client.post(reverse("applicants:profile"), {"first_name": OVERRIDE, "last_name": "P"})

    alice.refresh_from_db()
    assert ONE_LINE in response.content.decode()
    assert alice.first_name != OVERRIDE


def test_sign_up_refuses_an_address_with_a_direction_override(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "ada\u202e@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert not User.objects.filter(email__startswith="ada").exists()


def test_eligibility_text_answers_refuse_direction_overrides(rotation):
    application = complete_draft(rotation, make_applicant("ada@example.org"))
    question = rotation.questions.exclude(kind="yes_no").first() or rotation.questions.first()
    question.kind = "text"
    question.save()

    form = EligibilityForm({f"answer_{question.pk}": OVERRIDE}, programme=rotation, application=application)

    assert TEXT_AREA in errors_of(form)[f"answer_{question.pk}"]


@pytest.mark.parametrize(
    ("form_class", "field", "kwargs"),
    [
        (InfoAnswerForm, "answer", {"programme_documents": []}),
        (WithdrawForm, "reason", {}),
        (DeclineForm, "reason", {}),
        (RequestInfoForm, "message", {}),
        (InternalNoteForm, "text", {}),
        (DecisionEmailForm, "body", {}),
        (DecisionEmailForm, "subject", {}),
    ],
    ids=lambda value: getattr(value, "__name__", str(value)),
)
@pytest.mark.parametrize("value", [OVERRIDE, "Ada\x00x", "Ada\x1bx", "Ada\u2066x"])
def test_applicant_and_staff_text_refuses_control_characters(form_class, field, kwargs, value):
    form = form_class(
        {"answer": "ok", "reason": "ok", "message": "ok", "text": "ok", "subject": "ok", "body": "ok", field: value},
        **kwargs,
    )

    assert list(errors_of(form)) == [field]


def test_staff_text_areas_keep_line_breaks():
    form = InternalNoteForm({"text": "First line\nsecond line\twith a tab"})

    assert errors_of(form) == {}


def test_review_comment_refuses_direction_overrides(rotation):
    form = ReviewForm({"comment": OVERRIDE}, criteria=[])

    assert TEXT_AREA in errors_of(form)["comment"]


def test_queue_search_refuses_control_characters(carol):
    form = QueueFilterForm({"q": "ada\u202e"}, catalogue=staff_catalogue(carol))

    assert ONE_LINE in errors_of(form)["q"]


def test_bulk_action_refuses_a_message_with_direction_overrides():
    form = BulkActionForm(
        {"action": "reject", "selected": ["6d3a0d1e-8e0b-4a53-9a4c-8bb2d8a0b7a1"], "message": OVERRIDE}
    )

    assert list(errors_of(form)) == ["message"]


# --- the admin: every text field of every form it edits -----------------------------------------

CATALOGUE_APPS = ("placements", "applicants", "portal")
ADMIN_MODELS = [model for model in admin.site._registry if model._meta.app_label in CATALOGUE_APPS]


def editable_forms(model, root):
    """The forms the admin edits `model` with (its change form and its inlines'), none if read-only."""
    model_admin = admin.site._registry[model]
    instance = model._default_manager.first()
    meta = model._meta
    path = (
        reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[instance.pk])
        if instance
        else reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
    )
    request = RequestFactory().get(path)
    request.user = root
    request.resolver_match = resolve(path)
    if model_admin.has_change_permission(request, instance) or model_admin.has_add_permission(request):
        yield model_admin.get_form(request, instance)
    for inline in model_admin.get_inline_instances(request, instance):
        if inline.has_change_permission(request, instance) or inline.has_add_permission(request, instance):
            yield inline.get_formset(request, instance).form


def text_fields(form) -> list[str]:
    return [
        name
        for name, field in form.fields.items()
        if isinstance(field, CharField)
        and not isinstance(field, JSONField)
        and not isinstance(field.widget, PasswordInput)
    ]


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda model: model.__name__)
def test_every_admin_text_field_refuses_direction_overrides(root, catalogue, model):
    accepted = []
    for form_class in editable_forms(model, root):
        for name in text_fields(form_class()):
            bound = form_class(data={name: "x\u202ey"})
            bound.is_valid()
            if not any("text-direction marks" in message for message in bound.errors.get(name, [])):
                accepted.append(f"{form_class.__name__}.{name}")

    assert accepted == []


def test_the_admin_refuses_an_institution_name_with_a_line_break(client, root):
    client.force_login(root)

    response = client.post(
        reverse("admin:placements_institution_add"),
        {"name": "UZ Leuven\r\nEvil", "short_name": "UZL", "city": "Leuven", "country": "BE"},
    )

    assert response.status_code == 200
    assert ONE_LINE in response.content.decode()
    assert not Programme.objects.filter(title__contains="Evil").exists()
