"""Where the programmes stand today: the applications waiting longest, offers waiting for an answer,
documents needing a look, and how full the departments are over the coming weeks.

Each list is one query, limited to the first few rows; its total comes from `current_counts`.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, Min, OuterRef, Q

from applicants.enums import ApplicationStatus, CheckStatus
from applicants.models import Application, DocumentCheck
from placements.allocation.enums import PlacementStatus
from placements.allocation.queries.calendar import capacity_calendar
from placements.allocation.queries.insights import WAITING_STATES
from placements.catalogue.models import Department

S = ApplicationStatus
LISTED = 10
FILL_WEEKS = 26
_ROW_FIELDS = ("uuid", "reference", "status", "submitted_at", "applicant__first_name", "applicant__last_name")


@dataclass(frozen=True)
class CurrentCounts:
    waiting: int  # for a decision
    offers: int  # applications with an offer not yet answered
    documents: int  # documents with a check needing a look, of applications waiting for a decision
    document_applications: int


def current_counts(*, programme_ids) -> CurrentCounts:
    ids = list(programme_ids)
    counts = Application.objects.filter(programme_id__in=ids, status__in=(*WAITING_STATES, S.OFFERED)).aggregate(
        waiting=Count("pk", filter=Q(status__in=WAITING_STATES)),
        offers=Count("pk", filter=Q(status=S.OFFERED)),
    )
    documents = _warned_checks(ids).aggregate(
        documents=Count("document_id", distinct=True), applications=Count("document__application_id", distinct=True)
    )
    return CurrentCounts(
        waiting=counts["waiting"],
        offers=counts["offers"],
        documents=documents["documents"],
        document_applications=documents["applications"],
    )


def _warned_checks(ids):
    return DocumentCheck.objects.filter(
        status=CheckStatus.WARN,
        document__application__programme_id__in=ids,
        document__application__status__in=WAITING_STATES,
    )


def _first(candidates, *, limit: int):
    """The first `limit` of `candidates` (ordered) with their applicants. The rows are picked on the
    applications alone, so PostgreSQL joins the users of those few rows only, never of all of them."""
    chosen = candidates.values("pk")[:limit]
    return Application.objects.filter(pk__in=chosen).select_related("applicant").only(*_ROW_FIELDS)


def oldest_waiting(*, programme_ids, limit: int = LISTED) -> list[Application]:
    """The applications waiting longest for a decision, oldest submission first."""
    waiting = Application.objects.filter(programme_id__in=list(programme_ids), status__in=WAITING_STATES)
    return list(_first(waiting.order_by("submitted_at", "pk"), limit=limit).order_by("submitted_at", "pk"))


def _deadline():
    return Min("placements__offer_deadline", filter=Q(placements__status=PlacementStatus.OFFERED))


def offers_waiting(*, programme_ids, limit: int = LISTED) -> list[Application]:
    """Offered applications with the first deadline of their offered placements (`deadline`), soonest first."""
    offered = Application.objects.filter(programme_id__in=list(programme_ids), status=S.OFFERED)
    soonest = offered.annotate(deadline=_deadline()).order_by("deadline", "pk")
    return list(_first(soonest, limit=limit).annotate(deadline=_deadline()).order_by("deadline", "pk"))


def documents_to_look_at(*, programme_ids, limit: int = LISTED) -> list[Application]:
    """Applications waiting for a decision with documents whose checks need a look (`flagged`: how
    many documents), oldest submission first."""
    warned = DocumentCheck.objects.filter(status=CheckStatus.WARN, document__application=OuterRef("pk"))
    flagged = Application.objects.filter(
        Exists(warned), programme_id__in=list(programme_ids), status__in=WAITING_STATES
    ).order_by("submitted_at", "pk")
    count = Count("documents", filter=Q(documents__checks__status=CheckStatus.WARN), distinct=True)
    return list(_first(flagged, limit=limit).annotate(flagged=count).order_by("submitted_at", "pk"))


@dataclass(frozen=True)
class FillWeek:
    week: date
    used: int
    capacity: int

    @property
    def rate(self) -> int | None:
        """Seats used of those available, in per cent (None when the department is closed that week)."""
        return round(100 * self.used / self.capacity) if self.capacity else None


@dataclass(frozen=True)
class FillRow:
    department: Department
    weeks: list[FillWeek]

    @property
    def label(self) -> str:
        return self.department.label

    @property
    def used(self) -> int:
        return sum(week.used for week in self.weeks)

    @property
    def capacity(self) -> int:
        return sum(week.capacity for week in self.weeks)

    @property
    def rate(self) -> int | None:
        return round(100 * self.used / self.capacity) if self.capacity else None


def fill_rates(*, programme_ids, start: date, count: int = FILL_WEEKS) -> tuple[list[date], list[FillRow]]:
    """Seats used and available per department of the programmes and week, from the capacity calendar's
    queries (offered and confirmed placements of any programme use a department's seats)."""
    calendar = capacity_calendar(programme_ids=programme_ids, start=start, count=count)
    rows = [
        FillRow(
            department=row.department,
            weeks=[FillWeek(week=cell.week, used=cell.used, capacity=cell.capacity) for cell in row.cells],
        )
        for group in calendar.groups
        for row in group.rows
    ]
    rows.sort(key=lambda row: row.label)
    return calendar.weeks, rows
