"""Where the programmes stand over a period: applications per week by outcome, the funnel, the time
to a decision and where applicants come from, each from one aggregate query.

Drafts are their applicants' own: the funnel counts them, nothing here lists one.
"""

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Count, DateField, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from applicants.enums import ApplicationStatus
from applicants.models import ApplicantProfile, Application, Event
from placements.allocation.enums import PlacementStatus
from placements.allocation.models import Placement, monday_of

S = ApplicationStatus

# The outcome an application has reached so far, in the order the weekly chart stacks them.
OUTCOMES = (
    ("waiting", gettext_lazy("Waiting for a decision"), (S.SUBMITTED, S.IN_REVIEW, S.INFO_REQUESTED)),
    ("accepted", gettext_lazy("Accepted or waitlisted"), (S.ACCEPTED, S.WAITLISTED)),
    ("placed", gettext_lazy("Offered or confirmed"), (S.OFFERED, S.CONFIRMED)),
    ("rejected", pgettext_lazy("outcome", "Rejected"), (S.REJECTED,)),
    ("closed", gettext_lazy("Withdrawn, declined or expired"), (S.WITHDRAWN, S.DECLINED, S.EXPIRED)),
)
OUTCOME_OF = {status: key for key, _, statuses in OUTCOMES for status in statuses}
WAITING_STATES = OUTCOMES[0][2]
# Past the review: the application was looked at, whatever happened next.
REVIEWED_STATES = (S.IN_REVIEW, S.INFO_REQUESTED, S.ACCEPTED, S.WAITLISTED, S.REJECTED, S.OFFERED, S.CONFIRMED)
OFFER_MADE_STATES = (
    PlacementStatus.OFFERED,
    PlacementStatus.CONFIRMED,
    PlacementStatus.DECLINED,
    PlacementStatus.EXPIRED,
)


@dataclass(frozen=True)
class Period:
    """Days `first` to `last`, both included, in the portal's time zone."""

    first: date
    last: date
    label: str

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.first, time.min))

    @property
    def end(self) -> datetime:
        """The first moment after the period."""
        return timezone.make_aware(datetime.combine(self.last + timedelta(days=1), time.min))

    def weeks(self) -> list[date]:
        first, last = monday_of(self.first), monday_of(self.last)
        return [first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]

    def months(self) -> list[date]:
        months, month = [], self.first.replace(day=1)
        while month <= self.last:
            months.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return months


@dataclass(frozen=True)
class WeekCount:
    week: date
    counts: dict[str, int]  # outcome key -> applications submitted that week

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def weekly_outcomes(*, programme_ids, period: Period) -> list[WeekCount]:
    """Applications submitted per week of the period, by the outcome they have reached so far."""
    rows = (
        Application.objects.filter(
            programme_id__in=list(programme_ids), submitted_at__gte=period.start, submitted_at__lt=period.end
        )
        .exclude(status=S.DRAFT)
        .annotate(week=TruncWeek("submitted_at"))
        .order_by()
        .values_list("week", "status")
        .annotate(n=Count("*"))
    )
    counts: dict[date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(OUTCOME_OF.values(), 0))
    for week, status, n in rows:
        day = timezone.localtime(week).date() if isinstance(week, datetime) else week
        counts[day][OUTCOME_OF[status]] += n
    empty = dict.fromkeys(key for key, _, _ in OUTCOMES)
    return [WeekCount(week=week, counts={**dict.fromkeys(empty, 0), **counts.get(week, {})}) for week in period.weeks()]


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    count: int
    previous: int | None  # the count of the stage before, None for the first

    @property
    def conversion(self) -> float | None:
        """Share of the stage before that reached this one, in per cent."""
        if self.previous is None:
            return None
        return round(100 * self.count / self.previous, 1) if self.previous else 0.0


FUNNEL = (
    ("started", gettext_lazy("Started (drafts included)")),
    ("submitted", pgettext_lazy("stage", "Submitted")),
    ("reviewed", pgettext_lazy("stage", "In review")),
    ("decided", pgettext_lazy("stage", "Decided")),
    ("offered", gettext_lazy("Offered a placement")),
    ("confirmed", pgettext_lazy("stage", "Confirmed")),
)


def funnel(*, programme_ids, period: Period) -> list[Stage]:
    """Applications started in the period and how far each got: one aggregate over them, drafts counted."""
    went_to_review = Event.objects.filter(application=OuterRef("pk"), to_status__in=(S.IN_REVIEW, S.INFO_REQUESTED))
    offer_made = Placement.objects.filter(application=OuterRef("pk"), status__in=OFFER_MADE_STATES)
    # The history is looked up only where the status cannot tell: no transition leads back to a
    # draft or to "submitted", nor from an offer back to waiting for a decision.
    reached = {
        "submitted": Q(submitted_at__isnull=False) & ~Q(status=S.DRAFT),
        "reviewed": Q(status__in=REVIEWED_STATES)
        | Q(decided_at__isnull=False)
        | (~Q(status__in=(S.DRAFT, S.SUBMITTED)) & Q(Exists(went_to_review))),
        "decided": Q(decided_at__isnull=False),
        "offered": Q(status__in=(S.OFFERED, S.CONFIRMED, S.DECLINED))
        | (~Q(status__in=(S.DRAFT, *WAITING_STATES)) & Q(Exists(offer_made))),
        "confirmed": Q(status=S.CONFIRMED),
    }
    totals = Application.objects.filter(
        programme_id__in=list(programme_ids), created_at__gte=period.start, created_at__lt=period.end
    ).aggregate(started=Count("pk"), **{key: Count("pk", filter=condition) for key, condition in reached.items()})
    stages, previous = [], None
    for key, label in FUNNEL:
        stages.append(Stage(key=key, label=label, count=totals[key], previous=previous))
        previous = totals[key]
    return stages


@dataclass(frozen=True)
class Durations:
    """Days from submission to decision: how many decisions, their median and 90th percentile."""

    count: int
    median: float | None
    p90: float | None


def durations_of(days: list[float]) -> Durations:
    """The median and the 90th percentile (nearest rank: the smallest value with 90% at or below it)."""
    if not days:
        return Durations(count=0, median=None, p90=None)
    ordered = sorted(days)
    p90 = ordered[math.ceil(0.9 * len(ordered)) - 1]
    return Durations(count=len(ordered), median=round(statistics.median(ordered), 1), p90=round(p90, 1))


@dataclass(frozen=True)
class DecisionTimes:
    overall: Durations
    by_month: list[tuple[date, Durations]]


def decision_times(*, programme_ids, period: Period) -> DecisionTimes:
    """Time to decision of the applications decided in the period, overall and per month of the decision.

    The month (in the portal's time zone) and the time taken come from the database, so that each row
    reaches Python as a date and a duration, with no time-zone conversion per row."""
    rows = (
        Application.objects.filter(
            programme_id__in=list(programme_ids),
            decided_at__gte=period.start,
            decided_at__lt=period.end,
            submitted_at__isnull=False,
        )
        .order_by()
        .annotate(
            month=TruncMonth("decided_at", output_field=DateField()),
            taken=ExpressionWrapper(F("decided_at") - F("submitted_at"), output_field=DurationField()),
        )
        .values_list("month", "taken")
    )
    everything, per_month = [], defaultdict(list)
    for month, taken in rows:
        days = max(taken.total_seconds(), 0) / 86400
        everything.append(days)
        per_month[month].append(days)
    return DecisionTimes(
        overall=durations_of(everything),
        by_month=[(month, durations_of(per_month.get(month, []))) for month in period.months()],
    )


@dataclass(frozen=True)
class Origins:
    total: int
    nationalities: list[tuple[str, int]]
    institutions: list[tuple[str, int]]


TOP = 10


def _top(counts: dict[str | None, int]) -> list[tuple[str, int]]:
    """The TOP most frequent, ties by name (no name, an applicant without a profile, last)."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0] is None, item[0] or ""))
    return [(name or gettext("Not given"), n) for name, n in ranked[:TOP]]


def origins(*, programme_ids, period: Period, total: int) -> Origins:
    """The ten most frequent nationalities and home institutions of the applications submitted in the
    period (`total`: how many were submitted, from the weekly counts), both from one pass over them."""
    applications = (
        Application.objects.filter(
            programme_id__in=list(programme_ids), submitted_at__gte=period.start, submitted_at__lt=period.end
        )
        .exclude(status=S.DRAFT)
        .order_by()
        .values("applicant_id")
    )
    nationalities: dict[str | None, int] = defaultdict(int)
    institutions: dict[str | None, int] = defaultdict(int)
    for nationality, institution, n in _origin_counts(applications):
        nationalities[nationality] += n
        institutions[institution] += n
    return Origins(total=total, nationalities=_top(nationalities), institutions=_top(institutions))


def _origin_counts(applications) -> list[tuple[str | None, str | None, int]]:
    """(nationality, home institution, applications) of `applications` (a `values("applicant_id")`).

    The profile is joined on the applicant's id directly: the ORM's `applicant__profile__…` would join
    every user on the way, which costs more than the rest of the query together."""
    inner, params = applications.query.sql_with_params()
    profiles = ApplicantProfile._meta.db_table
    # The table name comes from the model and the inner query from the ORM; every value is a parameter.
    select = f"SELECT p.nationality, p.home_institution, COUNT(*) FROM ({inner}) a "  # noqa: S608  # nosec B608
    join = f"LEFT JOIN {profiles} p ON p.user_id = a.applicant_id GROUP BY p.nationality, p.home_institution"
    with connection.cursor() as cursor:
        cursor.execute(select + join, params)
        return cursor.fetchall()
