"""Load the training part of the demo catalogue (placements/training/fixtures/demo_training.json):
which programmes keep a logbook, the competencies per specialization, the evaluation forms.
Matched on natural keys, so loading twice changes nothing."""

import json
from pathlib import Path

from django.db import transaction

from placements.catalogue.models import Programme, Specialization
from placements.training.models import Competency, CompetencyGroup, EvaluationForm, EvaluationItem, ProgrammeTraining

DEMO_FILE = Path(__file__).resolve().parent / "fixtures" / "demo_training.json"


def _competencies(slug: str, groups: list[dict]) -> None:
    specialization = Specialization.objects.filter(slug=slug).first()
    if specialization is None:
        return
    for order, row in enumerate(groups):
        group, _ = CompetencyGroup.objects.update_or_create(
            specialization=specialization, title=row["group"], defaults={"order": order}
        )
        for item_order, (title, description, level) in enumerate(row["items"]):
            Competency.objects.update_or_create(
                group=group,
                title=title,
                defaults={"description": description, "expected_level": level, "order": item_order},
            )


def _form(row: dict) -> None:
    programme = Programme.objects.filter(slug=row["programme"]).first()
    if programme is None:
        return
    form, _ = EvaluationForm.objects.update_or_create(
        programme=programme,
        kind=row["kind"],
        defaults={"title": row["title"], "introduction": row.get("introduction", ""), "scale_labels": row["scale"]},
    )
    for order, (kind, text, help_text) in enumerate(row["items"]):
        EvaluationItem.objects.update_or_create(
            form=form, order=order, defaults={"kind": kind, "text": text, "help_text": help_text}
        )


@transaction.atomic
def training_load(*, path: Path = DEMO_FILE) -> int:
    """Create or update the demo's training data; returns how many competencies it describes."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for row in data.get("programmes", []):
        programme = Programme.objects.filter(slug=row["slug"]).first()
        if programme is not None:
            ProgrammeTraining.objects.update_or_create(
                programme=programme, defaults={"keeps_logbook": row["keeps_logbook"]}
            )
    for slug, groups in data.get("competencies", {}).items():
        _competencies(slug, groups)
    for row in data.get("evaluation_forms", []):
        _form(row)
    return sum(len(g["items"]) for groups in data.get("competencies", {}).values() for g in groups)
