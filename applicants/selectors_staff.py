"""Reads for the staff pages, scoped to the programmes the user coordinates (a superuser: all).

Each function returns exactly the joins and annotations its page needs, so that a page costs the
same number of queries whatever the number of rows. Drafts are the applicant's own business and
never appear here.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from applicants.access import staff_programmes
from applicants.enums import ApplicationStatus, CheckStatus
from applicants.models import Application, ApplicationComponent, DocumentCheck
from applicants.search import search_terms
from placements.catalogue.models import Programme, department_label
from placements.catalogue.public_cache import VERSION_KEY as CATALOGUE_VERSION
from placements.catalogue.translated import localized
from portal import page_cache

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
# How long a staff catalogue is kept at most (a catalogue change replaces it at once).
CATALOGUE_TIMEOUT = 3600


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
    # What the queue shows for a component in each department.
    department_names: dict[int, str] = field(default_factory=dict)

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
    return _catalogue_of(staff_programmes(user))


def cached_staff_catalogue(programme_ids) -> StaffCatalogue:
    """The catalogue of the programmes `programme_ids` (a staff user's scope, from the staff check),
    kept in the cache until a catalogue record changes (placements.catalogue.public_cache)."""
    programme_ids = sorted(programme_ids)
    key = "staff:catalogue:" + ",".join(map(str, programme_ids))
    return page_cache.cached_value(
        key,
        [CATALOGUE_VERSION],
        CATALOGUE_TIMEOUT,
        lambda: _catalogue_of(Programme.objects.filter(pk__in=programme_ids)),
    )


def _catalogue_of(programmes) -> StaffCatalogue:
    rows = programmes.order_by(
        localized("title"), "pk", "offerings__group__order", "offerings__order", "offerings__pk"
    ).values_list(
        "pk",
        "title",
        "offerings__department_id",
        localized("offerings__department__name"),
        "offerings__department__institution__short_name",
        "offerings__department__institution__name",
    )
    programmes: dict[int, str] = {}
    departments = []
    names: dict[int, str] = {}
    for programme_id, title, department_id, name, short_name, institution in rows:
        programmes[programme_id] = title
        if department_id is not None:
            label = department_label(name, short_name or institution)
            departments.append(DepartmentChoice(department_id, label, programme_id))
            names[department_id] = label
    return StaffCatalogue(programmes=programmes, departments=departments, department_names=names)


def _in_scope(user) -> QuerySet[Application]:
    """Submitted (non-draft) applications of the user's programmes."""
    queryset = Application.objects.filter(status__in=QUEUE_STATES)
    if not (user.is_active and user.is_superuser):
        # A subquery on the coordinators, not a join: no row is repeated and no DISTINCT is needed.
        queryset = queryset.filter(programme__in=staff_programmes(user).values("pk"))
    return queryset


def _search(query: str) -> Q:
    """Each word must be in the name, e-mail address or reference, whatever its case and accents
    ("ana silva" finds Ana Silva, "joao" João): one trigram index on PostgreSQL, no join."""
    condition = Q()
    for term in search_terms(query):
        condition &= Q(search_text__contains=term)
    return condition


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _warned():
    return Exists(DocumentCheck.objects.filter(document__application_id=OuterRef("pk"), status=CheckStatus.WARN))


def filtered_applications(user, filters: QueueFilters) -> QuerySet[Application]:
    """The applications in the user's scope that pass `filters`, unordered and without joins."""
    return apply_filters(_in_scope(user), filters)


def apply_filters(queryset: QuerySet[Application], filters: QueueFilters) -> QuerySet[Application]:
    """`queryset` narrowed to the applications that pass `filters`, without joins."""
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
    if search_terms(filters.q):
        queryset = queryset.filter(_search(filters.q))
    return queryset


def _components() -> Prefetch:
    return Prefetch(
        "components",
        queryset=ApplicationComponent.objects.select_related("offering__department__institution").order_by(
            "rank", "pk"
        ),
    )


def export_rows(user, filters: QueueFilters) -> QuerySet[Application]:
    """The queue's rows with what the CSV export adds: the applicant's profile."""
    return (
        filtered_applications(user, filters)
        .select_related("applicant__profile", "programme")
        .prefetch_related(_components())
        .order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT]))
    )


def selected_applications(user, uuids) -> list[Application]:
    """The applications among `uuids` that are in the user's scope (the others are simply absent)."""
    return list(_in_scope(user).filter(uuid__in=uuids).select_related("programme").order_by("pk"))
