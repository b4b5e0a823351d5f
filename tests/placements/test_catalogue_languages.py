"""The catalogue's own texts in English and Dutch: the public pages show the reader's language and
the English text where a Dutch one is missing, the admin edits both side by side, the catalogue file
gives both, and queries on a translated field follow the language.

Personas:
- a visitor: anyone; reads the public catalogue in English or, with the language cookie, in Dutch.
- root (tests/conftest.py): a superuser who keeps the catalogue in the admin.
"""

import copy

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from applicants.selectors_staff import cached_staff_catalogue
from applicants.services.reviews import rubric_load
from placements.catalogue.catalogue_import import catalogue_load
from placements.catalogue.models import Department, OfferingGroup, Programme, Specialization
from placements.catalogue.translated import localized
from tests.security.forms import form_data

OBSERVERSHIP_NL = "Klinische observatiestage Radiologie en Nucleaire Geneeskunde"
OBSERVERSHIP_EN = "Clinical observership in Radiology and Nuclear Medicine"
CERTIFICATE_NL = "Postgraduaat Medische Fysica"
CERTIFICATE_EN = "Postgraduate Certificate in Medical Physics"


def detail_url(programme) -> str:
    return reverse("placements:programme_detail", kwargs={"slug": programme.slug})


def in_dutch(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    return client


# --- the public pages ------------------------------------------------------------------------------


def test_programme_page_in_dutch_shows_the_dutch_texts(client, rotation):
    response = in_dutch(client).get(detail_url(rotation))

    assertContains(response, f'<h1 class="h2">{OBSERVERSHIP_NL}</h1>', html=True)
    assertContains(response, "<p>U loopt mee met artsen in opleiding en leert de indicaties")
    assertContains(response, "Geneeskundestudenten uit het buitenland, bij voorkeur in de klinische fase")
    assertContains(response, f'<h3 class="h5" id="group-{rotation.offering_groups.first().pk}">Secties radiologie</h3>')
    assertContains(response, "<td>Thoraxradiologie</td>", html=True)
    assertContains(response, "Een langer verblijf in één of twee secties")
    assertContains(response, "Motivatiebrief")
    assertContains(response, "Vermeld de precieze begin- en einddatum die u aanvraagt.")
    assertNotContains(response, OBSERVERSHIP_EN)
    assertNotContains(response, "Thoracic radiology")


def test_programme_page_in_english_shows_the_english_texts(client, rotation):
    response = client.get(detail_url(rotation))

    assertContains(response, f'<h1 class="h2">{OBSERVERSHIP_EN}</h1>', html=True)
    assertContains(response, "<td>Thoracic radiology</td>", html=True)
    assertContains(response, "State the exact start and end dates you ask for.")
    assertNotContains(response, OBSERVERSHIP_NL)
    assertNotContains(response, "Thoraxradiologie")


def test_certificate_requirement_reads_in_the_readers_language(client, cohort):
    dutch = in_dutch(client).get(detail_url(cohort))

    assertContains(dutch, "Dit postgraduaat staat alleen open voor houders van een masterdiploma")
    assertContains(dutch, "<td>Fysica radiotherapie</td>", html=True, count=2)


def test_programme_list_in_dutch_shows_the_dutch_titles_and_summaries(client, catalogue):
    response = in_dutch(client).get(reverse("placements:programme_list"))

    assertContains(response, OBSERVERSHIP_NL)
    assertContains(response, CERTIFICATE_NL)
    assertContains(response, "Een jaar specialisatie na een master in de medische (stralings)fysica")
    assertNotContains(response, CERTIFICATE_EN)


def test_an_empty_dutch_text_shows_the_english_one(client, rotation):
    rotation.description_nl = ""
    rotation.save()
    thoracic = Department.objects.get(slug="umcg-thoracic")
    thoracic.name_nl = None
    thoracic.save()

    response = in_dutch(client).get(detail_url(rotation))

    assertContains(response, f'<h1 class="h2">{OBSERVERSHIP_NL}</h1>', html=True)
    assertContains(response, "<p>You join residents at work and learn the indications")
    assertContains(response, "<td>Thoracic radiology</td>", html=True)
    assertContains(response, "<td>Abdominale radiologie</td>", html=True)


# --- the catalogue file ----------------------------------------------------------------------------


def test_the_import_takes_plain_keys_as_english_and_nl_keys_as_dutch(cohort, rotation):
    thoracic = Department.objects.get(slug="umcg-thoracic")
    letter = rotation.programme_documents.get(document_type__code="motivation-letter")
    question = cohort.questions.get(order=0)

    assert (cohort.title_en, cohort.title_nl) == (CERTIFICATE_EN, CERTIFICATE_NL)
    assert (rotation.language_en, rotation.language_nl) == ("English", "Engels")
    assert (thoracic.name_en, thoracic.name_nl) == ("Thoracic radiology", "Thoraxradiologie")
    assert (letter.document_type.name_en, letter.document_type.name_nl) == ("Motivation letter", "Motivatiebrief")
    assert letter.instructions_nl == "Vermeld de precieze begin- en einddatum die u aanvraagt."
    assert question.refusal_message_nl.startswith("Dit postgraduaat staat alleen open")
    assert Specialization.objects.get(slug="nuclear-medicine").name_nl == "Nucleaire geneeskunde"
    assert OfferingGroup.objects.get(programme=rotation, order=1).title_nl == "Nucleaire geneeskunde"


def test_a_dutch_text_left_out_of_the_file_shows_the_english_one(db, demo_data):
    del demo_data["programmes"][1]["summary_nl"]
    del demo_data["departments"][7]["name_nl"]  # umcg-thoracic

    catalogue_load(data=demo_data)

    rotation = Programme.objects.get(slug=demo_data["programmes"][1]["slug"])
    with translation.override("nl"):
        assert rotation.summary == demo_data["programmes"][1]["summary"]
        assert Department.objects.get(slug="umcg-thoracic").name == "Thoracic radiology"
        assert rotation.title == OBSERVERSHIP_NL


def test_loading_a_corrected_file_updates_the_dutch_text_in_place(db, demo_data):
    catalogue_load(data=demo_data)
    corrected = copy.deepcopy(demo_data)
    corrected["programmes"][1]["title_nl"] = "Observatiestage Radiologie"
    corrected["programmes"][1]["groups"][0]["patterns"][0]["label_nl"] = "Elke sectie een week"

    catalogue_load(data=corrected)

    rotation = Programme.objects.get(slug=demo_data["programmes"][1]["slug"])
    assert (rotation.title_en, rotation.title_nl) == (OBSERVERSHIP_EN, "Observatiestage Radiologie")
    assert list(rotation.offering_groups.get(order=0).patterns.values_list("label_en", "label_nl")) == [
        ("A week in each of the eight sections", "Elke sectie een week"),
        ("A longer stay in one or two sections", "Een langer verblijf in één of twee secties"),
    ]
    assert Programme.objects.count() == 2


def test_loading_with_dutch_active_still_fills_the_english_texts(db, demo_data):
    with translation.override("nl"):
        catalogue_load(data=demo_data)

    rotation = Programme.objects.get(slug=demo_data["programmes"][1]["slug"])
    assert (rotation.title_en, rotation.title_nl) == (OBSERVERSHIP_EN, OBSERVERSHIP_NL)
    # The column of the original field keeps the English text (a default ordering reads it).
    assert Programme.objects.filter(pk=rotation.pk).raw_values("title")[0] == {"title": OBSERVERSHIP_EN}


def test_the_rubric_is_loaded_in_both_languages(cohort, demo_data):
    criteria = rubric_load(programme=cohort, criteria=demo_data["programmes"][0]["rubric"])

    assert [(c.name_en, c.name_nl) for c in criteria] == [
        ("Motivation", "Motivatie"),
        ("Academic background", "Academische achtergrond"),
        ("Relevant experience", "Relevante ervaring"),
        ("Fit with the programme", "Aansluiting bij het programma"),
    ]
    with translation.override("nl"):
        assert criteria[0].description == "Waarom deze specialisatie, en wat de kandidaat ermee wil doen."


# --- the admin -------------------------------------------------------------------------------------


def test_the_admin_shows_both_languages_and_saves_them(client, root, rotation):
    client.force_login(root)
    url = reverse("admin:placements_programme_change", args=[rotation.pk])
    page = client.get(url)
    assertContains(page, 'name="title_en"')
    assertContains(page, 'name="title_nl"')
    assertContains(page, "Title [nl]")
    # Each Dutch field says what an empty one shows.
    note = "Left empty, readers of this language see the English text."
    assertContains(page, f'<div class="help" id="id_title_nl_helptext"><div>{note}</div></div>', html=True)
    assertNotContains(page, f'<div class="help" id="id_title_en_helptext"><div>{note}</div></div>', html=True)
    data = dict(form_data(page.content.decode()))

    response = client.post(url, {**data, "title_nl": "Observatiestage Radiologie", "summary_en": "A week or more."})

    assert response.status_code == 302
    rotation.refresh_from_db()
    assert (rotation.title_en, rotation.title_nl) == (OBSERVERSHIP_EN, "Observatiestage Radiologie")
    assert rotation.summary_en == "A week or more."
    latest = rotation.history.first()
    assert (latest.title_en, latest.title_nl, latest.history_user) == (
        OBSERVERSHIP_EN,
        "Observatiestage Radiologie",
        root,
    )


def test_the_admin_refuses_a_direction_mark_in_a_dutch_text(client, root, rotation):
    client.force_login(root)
    url = reverse("admin:placements_programme_change", args=[rotation.pk])
    data = dict(form_data(client.get(url).content.decode()))

    response = client.post(url, {**data, "title_nl": "Observatie\u202estage"})

    assert response.status_code == 200
    assert "title_nl" in response.context["adminform"].form.errors
    rotation.refresh_from_db()
    assert rotation.title_nl == OBSERVERSHIP_NL


def test_the_admin_needs_the_english_name_but_not_the_dutch_one(client, root, db):
    client.force_login(root)
    add = reverse("admin:placements_specialization_add")

    missing = client.post(add, {"name_en": "", "name_nl": "Stralingsbescherming", "slug": "radiation-protection"})
    created = client.post(add, {"name_en": "Radiation protection", "name_nl": "", "slug": "radiation-protection"})
    second = client.post(add, {"name_en": "Dosimetry", "name_nl": "", "slug": "dosimetry"})

    assert "name_en" in missing.context["adminform"].form.errors
    assert (created.status_code, second.status_code) == (302, 302)
    # Two specializations without a Dutch name do not clash on its unique column.
    assert list(
        Specialization.objects.filter(slug__in=["radiation-protection", "dosimetry"]).values_list("name_nl", flat=True)
    ) == [None, None]
    with translation.override("nl"):
        assert Specialization.objects.get(slug="dosimetry").name == "Dosimetry"


# --- queries ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "expected"), [("en", "Thoracic radiology"), ("nl", "Thoraxradiologie")])
def test_localized_reads_a_text_through_a_relation_in_the_active_language(rotation, language, expected):
    offerings = rotation.offerings.filter(department__slug="umcg-thoracic")

    with translation.override(language):
        assert list(offerings.values_list(localized("department__name"), flat=True)) == [expected]


def test_localized_falls_back_to_english_for_an_empty_dutch_text(rotation):
    Department.objects.filter(slug="umcg-thoracic").update(name_nl="")
    offerings = rotation.offerings.filter(department__slug="umcg-thoracic")

    with translation.override("nl"):
        assert list(offerings.values_list(localized("department__name"), flat=True)) == ["Thoracic radiology"]


def test_ordering_and_filtering_on_a_translated_field_follow_the_language(catalogue):
    with translation.override("nl"):
        titles = list(Programme.objects.order_by("title").values_list("title", flat=True))
        found = Programme.objects.filter(title__icontains="observatiestage").count()

    assert titles == [OBSERVERSHIP_NL, CERTIFICATE_NL]
    assert found == 1


def test_the_queues_filters_name_programmes_and_departments_in_the_coordinators_language(rotation):
    with translation.override("nl"):
        dutch = cached_staff_catalogue([rotation.pk])
    english = cached_staff_catalogue([rotation.pk])

    thoracic = Department.objects.get(slug="umcg-thoracic").pk
    assert (dutch.programmes[rotation.pk], dutch.department_names[thoracic]) == (
        OBSERVERSHIP_NL,
        "Thoraxradiologie, UMCG",
    )
    assert (english.programmes[rotation.pk], english.department_names[thoracic]) == (
        OBSERVERSHIP_EN,
        "Thoracic radiology, UMCG",
    )
