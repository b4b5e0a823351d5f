"""Load a catalogue description (JSON) into the database, idempotently.

Every record is matched on a natural key (slug, code, name) and updated in place, so loading the
same file twice changes nothing and a corrected file updates the catalogue. Texts are English under
their plain key (`title`) and Dutch under `<key>_nl` (`title_nl`); a Dutch text left out shows the
English one.
"""

from django.db import transaction
from django.utils import translation

from placements.catalogue.enums import CheckFailure
from placements.catalogue.models import (
    Department,
    DocumentType,
    EligibilityQuestion,
    Institution,
    Intake,
    Offering,
    OfferingGroup,
    Programme,
    ProgrammeDocument,
    RotationPattern,
    Specialization,
)
from placements.catalogue.translated import DEFAULT_LANGUAGE, import_values

PROGRAMME_FIELDS = [
    "title", "reference_prefix", "summary", "description", "audience", "language", "intake_mode",
    "lead_time_months", "min_total_weeks", "max_total_weeks", "published",
    "applications_open", "applications_close",
]  # fmt: skip


DEPARTMENT_FIELDS = [
    "name", "weekly_capacity", "contact_name", "contact_email", "contact_phone",
    "address", "reporting_time", "working_hours", "first_day_notes",
]  # fmt: skip


def _pick(row: dict, fields: list[str]) -> dict:
    return {field: row[field] for field in fields if field in row}


def _load_departments(rows):
    for row in sorted(rows, key=lambda r: "parent" in r):  # parents before their sections
        defaults = import_values(Department, row, DEPARTMENT_FIELDS)
        defaults["institution"] = Institution.objects.get(name=row["institution"])
        defaults["specialization"] = Specialization.objects.get(slug=row["specialization"])
        defaults["parent"] = Department.objects.get(slug=row["parent"]) if row.get("parent") else None
        Department.objects.update_or_create(slug=row["slug"], defaults=defaults)


def _load_programme(row):
    defaults = import_values(Programme, row, PROGRAMME_FIELDS)
    defaults["provider"] = Institution.objects.get(name=row["provider"])
    programme, _ = Programme.objects.update_or_create(slug=row["slug"], defaults=defaults)
    for order, doc in enumerate(row.get("documents", [])):
        ProgrammeDocument.objects.update_or_create(
            programme=programme,
            document_type=DocumentType.objects.get(code=doc["type"]),
            defaults={
                "required": doc.get("required", True),
                "instructions_en": doc.get("instructions", ""),
                **import_values(ProgrammeDocument, doc, ["instructions"]),
                "when_check_fails": doc.get("when_check_fails", CheckFailure.WARN),
                "shared_with_hosts": doc.get("shared_with_hosts", False),
                "order": order,
            },
        )
    for intake in row.get("intakes", []):
        Intake.objects.update_or_create(
            programme=programme,
            academic_year=intake["academic_year"],
            defaults=_pick(intake, ["applications_deadline", "starts_on", "ends_on"]),
        )
    for order, question in enumerate(row.get("questions", [])):
        EligibilityQuestion.objects.update_or_create(
            programme=programme,
            order=order,
            defaults=import_values(
                EligibilityQuestion, question, ["text", "help_text", "kind", "must_answer_yes", "refusal_message"]
            ),
        )
    _load_groups(programme, row.get("groups", []))
    return programme


def _load_groups(programme, rows):
    for order, group_row in enumerate(rows):
        group, _ = OfferingGroup.objects.update_or_create(
            programme=programme,
            title_en=group_row["title"],
            defaults={
                **import_values(
                    OfferingGroup,
                    group_row,
                    ["title", "description", "min_choices", "max_choices", "accepts_proposals"],
                ),
                "order": order,
            },
        )
        for pattern in group_row.get("patterns", []):
            RotationPattern.objects.update_or_create(
                group=group,
                label_en=pattern["label"],
                defaults=import_values(
                    RotationPattern,
                    pattern,
                    ["label", "min_offerings", "max_offerings", "min_weeks_each", "max_weeks_each"],
                ),
            )
        for offering_order, offering in enumerate(group_row.get("offerings", [])):
            Offering.objects.update_or_create(
                programme=programme,
                department=Department.objects.get(slug=offering["department"]),
                defaults={
                    **_pick(offering, ["weeks_min", "weeks_max", "may_stand_alone"]),
                    "group": group,
                    "order": offering_order,
                },
            )


@transaction.atomic
def catalogue_load(*, data: dict) -> list[Programme]:
    """Create or update the catalogue described by `data`; return its programmes."""
    # Plain lookups on a translated field (a group's title) are the English ones, whoever loads.
    with translation.override(DEFAULT_LANGUAGE):
        return _load(data)


def _load(data: dict) -> list[Programme]:
    for row in data.get("specializations", []):
        Specialization.objects.update_or_create(slug=row["slug"], defaults=import_values(Specialization, row, ["name"]))
    for row in data.get("institutions", []):
        Institution.objects.update_or_create(
            name=row["name"], defaults=_pick(row, ["short_name", "city", "country", "recognized", "website"])
        )
    _load_departments(data.get("departments", []))
    for row in data.get("document_types", []):
        DocumentType.objects.update_or_create(
            code=row["code"],
            defaults=import_values(DocumentType, row, ["name", "description", "allowed_kinds", "automatic_check"]),
        )
    return [_load_programme(row) for row in data.get("programmes", [])]
