"""What the training pages read: the competencies of a placement, progress per competency (signed and
waiting hours) with its chart, the evaluations due, and totals of the trainees' evaluations."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Avg, Count, Q, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from placements.allocation.models import Placement
from placements.training.enums import EntryStatus, EvaluationKind
from placements.training.models import Competency, Evaluation, EvaluationForm, LogbookEntry, PlacementFeedback
from portal import charts

# The department sees the trainees' evaluations only as totals of at least this many answers.
FEEDBACK_MINIMUM = 3


def competencies_for(specialization_id: int):
    return Competency.objects.filter(group__specialization_id=specialization_id).select_related("group")


@dataclass(frozen=True)
class CompetencyProgress:
    competency: Competency
    signed: Decimal
    waiting: Decimal

    @property
    def label(self) -> str:
        return self.competency.title


def progress_of(placements: list[Placement]) -> list[CompetencyProgress]:
    """Hours signed off and waiting per competency of the placements' specializations, in catalogue order."""
    if not placements:
        return []
    specializations = {p.department.specialization_id for p in placements}
    sums = (
        LogbookEntry.objects.filter(placement__in=[p.pk for p in placements])
        .values("competency_id")
        .annotate(
            signed=Sum("hours", filter=Q(status=EntryStatus.SIGNED)),
            waiting=Sum("hours", filter=Q(status=EntryStatus.SUBMITTED)),
        )
    )
    hours = {row["competency_id"]: row for row in sums}
    competencies = Competency.objects.filter(group__specialization_id__in=specializations).select_related("group")
    return [
        CompetencyProgress(
            competency=c,
            signed=hours.get(c.pk, {}).get("signed") or Decimal(0),
            waiting=hours.get(c.pk, {}).get("waiting") or Decimal(0),
        )
        for c in competencies
    ]


def hours_text(value: Decimal) -> str:
    amount = number_format(Decimal(f"{value.normalize():f}"))  # 1.5 in English, 1,5 in Dutch
    return ngettext("%(hours)s hour", "%(hours)s hours", 1 if value == 1 else 2) % {"hours": amount}


def progress_chart(rows: list[CompetencyProgress], *, chart_id: str):
    """Horizontal bars of the signed-off hours per competency (the page has the same in a table)."""
    bars = [
        charts.Bar(
            label=row.label,
            value=float(row.signed),
            text=_("%(signed)s signed, %(waiting)s waiting")
            % {"signed": hours_text(row.signed), "waiting": hours_text(row.waiting)},
        )
        for row in rows
    ]
    return charts.bars(
        chart_id=chart_id,
        title=_("Signed-off hours per competency"),
        desc=_("One bar per competency; the table below gives the same numbers."),
        rows=bars,
        label_width=260,
    )


# --- evaluations ---------------------------------------------------------------------------------


def due_on(placement: Placement, kind: str) -> date:
    """Mid-term at the middle of the placement, final on its last day."""
    if kind == EvaluationKind.FINAL:
        return placement.end_date
    return placement.start_week + timedelta(days=(placement.end_date - placement.start_week).days // 2)


@dataclass(frozen=True)
class EvaluationSlot:
    form: EvaluationForm
    kind: str
    due: date
    evaluation: Evaluation | None

    @property
    def submitted(self) -> bool:
        return self.evaluation is not None and self.evaluation.is_submitted


def evaluation_slots(placement: Placement) -> list[EvaluationSlot]:
    """The evaluations the programme asks for this placement, each with its due date and its row if any."""
    forms = EvaluationForm.objects.filter(programme_id=placement.application.programme_id).order_by("kind")
    rows = {e.kind: e for e in Evaluation.objects.filter(placement=placement)}
    order = {EvaluationKind.MIDTERM: 0, EvaluationKind.FINAL: 1}
    slots = [EvaluationSlot(form, form.kind, due_on(placement, form.kind), rows.get(form.kind)) for form in forms]
    return sorted(slots, key=lambda slot: order.get(slot.kind, 9))


def evaluation_answers(evaluation: Evaluation) -> list[tuple[str, str]]:
    """(criterion or question, answer in words) for a submitted evaluation."""
    scale = dict(evaluation.form.scale)
    shown = []
    for item in evaluation.form.items.all():
        value = evaluation.answers.get(str(item.pk), "")
        if item.kind == "scale" and value not in ("", None):
            value = f"{value} – {scale.get(int(value), '')}"
        shown.append((item.text, str(value) if value not in ("", None) else "—"))
    return shown


# --- the trainees' evaluations of their placements -----------------------------------------------


@dataclass(frozen=True)
class FeedbackTotals:
    answers: int
    overall: float | None
    supervision: float | None
    learning: float | None

    @property
    def shown(self) -> bool:
        return self.answers >= FEEDBACK_MINIMUM


def feedback_totals(department_id: int) -> FeedbackTotals:
    """Averages of the trainees' evaluations of a department; the page shows them from FEEDBACK_MINIMUM on."""
    totals = PlacementFeedback.objects.filter(placement__department_id=department_id).aggregate(
        answers=Count("pk"), overall=Avg("overall"), supervision=Avg("supervision"), learning=Avg("learning")
    )
    return FeedbackTotals(**totals)


def entries_waiting_by_placement(placement_ids) -> dict[int, int]:
    counts = (
        LogbookEntry.objects.filter(placement_id__in=placement_ids, status=EntryStatus.SUBMITTED)
        .values("placement_id")
        .annotate(n=Count("pk"))
    )
    found = defaultdict(int)
    for row in counts:
        found[row["placement_id"]] = row["n"]
    return found
