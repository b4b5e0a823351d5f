"""Reads for the staff pages, scoped to the programmes the user coordinates (a superuser: all).

Each function returns exactly the joins and annotations its page needs, so that a page costs the
same number of queries whatever the number of rows. Drafts are the applicant's own business and
never appear here.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet

from applicants.access import staff_programmes
from applicants.enums import ApplicationStatus, CheckStatus
from applicants.models import Application, ApplicationComponent, DocumentCheck
from placements.catalogue.models import department_label

# Every status but draft, in the order of the workflow (the queue's status filter and badges).
QUEUE_STATES = tuple(status for status in ApplicationStatus if status != ApplicationStatus.DRAFT)

# Sort keys of the queue; the primary key breaks ties so that pages never overlap.
SORTS = {
    "-submitted": (F("submitted_at").desc(nulls_last=True), F("pk").desc()),
    "submitted": (F("submitted_at").asc(nulls_last=True), F("pk").asc()),
    "-start": (F("start_date").desc(nulls_last=True), F("pk").desc()),
    "start": (F("start_date").asc(nulls_last=True), F("pk").asc()),
    # Unreviewed applications (no score yet) come last in both directions.
    "-score": (F("review_score").desc(nulls_last=True), F("pk").desc()),
    "score": (F("review_score").asc(nulls_last=True), F("pk").asc()),
}
DEFAULT_SORT = "-submitted"
MAX_SEARCH_TERMS = 5


@dataclass(frozen=True)
class DepartmentChoice:
    id: int
    label: str
    programme_id: int


@dataclass(frozen=True)
class StaffCatalogue:
    """The programmes a staff user works on and the departments they offer (for filters and scope)."""

    programmes: dict[int, str]
    departments: list[DepartmentChoice] = field(default_factory=list)

    def departments_of(self, programme_id: int | None) -> list[DepartmentChoice]:
        if programme_id is None:
            return self.departments
        return [d for d in self.departments if d.programme_id == programme_id]


@dataclass(frozen=True)
class QueueFilters:
    """What the coordinator asked for; `programme_id` and `department_id` are already checked
    against their StaffCatalogue by the filter form."""

    programme_id: int | None = None
    statuses: tuple[str, ...] = ()
    department_id: int | None = None
    start_month: date | None = None
    warnings_only: bool = False
    q: str = ""
    sort: str = DEFAULT_SORT


def staff_catalogue(user) -> StaffCatalogue:
    """The user's programmes with their offered departments, in one query (a LEFT JOIN from the
    programme, so that a programme without offerings is listed too)."""
    rows = (
        staff_programmes(user)
        .order_by("title", "pk", "offerings__group__order", "offerings__order", "offerings__pk")
        .values_list(
            "pk",
            "title",
            "offerings__department_id",
            "offerings__department__name",
            "offerings__department__institution__short_name",
            "offerings__department__institution__name",
        )
    )
    programmes: dict[int, str] = {}
    departments = []
    for programme_id, title, department_id, name, short_name, institution in rows:
        programmes[programme_id] = title
        if department_id is not None:
            label = department_label(name, short_name or institution)
            departments.append(DepartmentChoice(department_id, label, programme_id))
    return StaffCatalogue(programmes=programmes, departments=departments)


def _in_scope(user) -> QuerySet[Application]:
    """Submitted (non-draft) applications of the user's programmes."""
    queryset = Application.objects.filter(status__in=QUEUE_STATES)
    if not (user.is_active and user.is_superuser):
        # A subquery on the coordinators, not a join: no row is repeated and no DISTINCT is needed.
        queryset = queryset.filter(programme__in=staff_programmes(user).values("pk"))
    return queryset


def _search(terms: str) -> Q:
    """Each word must match the first name, last name, e-mail or reference ("ana silva" finds Ana Silva)."""
    condition = Q()
    for term in terms.split()[:MAX_SEARCH_TERMS]:
        condition &= (
            Q(applicant__first_name__icontains=term)
            | Q(applicant__last_name__icontains=term)
            | Q(applicant__email__icontains=term)
            | Q(reference__icontains=term)
        )
    return condition


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _warned():
    return Exists(DocumentCheck.objects.filter(document__application_id=OuterRef("pk"), status=CheckStatus.WARN))


def filtered_applications(user, filters: QueueFilters) -> QuerySet[Application]:
    """The applications in the user's scope that pass `filters`, unordered and without joins."""
    queryset = _in_scope(user)
    if filters.programme_id is not None:
        queryset = queryset.filter(programme_id=filters.programme_id)
    if filters.statuses:
        queryset = queryset.filter(status__in=filters.statuses)
    if filters.department_id is not None:
        chose_department = ApplicationComponent.objects.filter(
            application_id=OuterRef("pk"), offering__department_id=filters.department_id
        )
        queryset = queryset.filter(Exists(chose_department))
    if filters.start_month is not None:
        queryset = queryset.filter(start_date__gte=filters.start_month, start_date__lt=_next_month(filters.start_month))
    if filters.warnings_only:
        queryset = queryset.filter(_warned())
    if filters.q.strip():
        queryset = queryset.filter(_search(filters.q))
    return queryset


def _components() -> Prefetch:
    return Prefetch(
        "components",
        queryset=ApplicationComponent.objects.select_related("offering__department__institution").order_by(
            "rank", "pk"
        ),
    )


def queue_rows(user, filters: QueueFilters) -> QuerySet[Application]:
    """The queue's rows in the asked order: applicant, programme, whether an automatic check warned,
    and the components (one prefetch query for the whole page)."""
    return (
        filtered_applications(user, filters)
        .select_related("applicant", "programme")
        .annotate(has_warnings=_warned())
        .prefetch_related(_components())
        .order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT]))
    )


class QueuePaginator(Paginator):
    """Offset paging that sorts and skips over the application table alone (the page's keys in a
    subquery), so that the joins, the warnings subquery and the components touch only the page's rows.

    Same queries as Django's Paginator (a COUNT, then the page), but a deep page no longer sorts and
    carries every joined column of every earlier row. A page nearer the end than the start is taken
    from the end, in the exactly reversed order (the primary key makes it total): PostgreSQL walks the
    sort's index backwards and skips fewer rows, so the last pages cost what the first ones do.
    """

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if self.count - bottom < top:
            keys = self.object_list.reverse().values("pk")[max(self.count - top, 0) : self.count - bottom]
        else:
            keys = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=keys), number, self)


def export_rows(user, filters: QueueFilters) -> QuerySet[Application]:
    """The queue's rows with what the CSV export adds: the applicant's profile."""
    return (
        filtered_applications(user, filters)
        .select_related("applicant__profile", "programme")
        .prefetch_related(_components())
        .order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT]))
    )


def status_counts(user, programme_id: int | None = None) -> dict[str, int]:
    """How many applications of the user's programmes (or of one of them) are in each status,
    drafts aside: one GROUP BY over the (programme, status) index."""
    queryset = _in_scope(user)
    if programme_id is not None:
        queryset = queryset.filter(programme_id=programme_id)
    # COUNT(*), not COUNT(id): the id is not in that index, so counting it would read every row.
    counts = dict(queryset.order_by().values_list("status").annotate(n=Count("*")))
    return {status: counts.get(status, 0) for status in QUEUE_STATES}


def selected_applications(user, uuids) -> list[Application]:
    """The applications among `uuids` that are in the user's scope (the others are simply absent)."""
    return list(_in_scope(user).filter(uuid__in=uuids).select_related("programme").order_by("pk"))
