"""The review queue's page, read in three or four queries whatever the page, filter, sort or number
of rows, scoped to the programmes the coordinator works on (their ids, from the staff check):

- the status counts of the badges, one GROUP BY over the (programme, status) index, kept in the
  cache until an application of the programme is saved or deleted; when nothing but the programme
  and the status is filtered they also give the number of rows;
- for the other filters, a COUNT (a search's from the trigram index alone), then the page's rows;
- the page's components.

The rows are plain values, only the columns the queue shows. A page is sorted and skipped over the
application table alone (its keys in a subquery), and a page nearer the end than the start is read
from the end in the exactly reversed order (the primary key makes the order total): PostgreSQL walks
the sort's index backwards and skips fewer rows, so the last pages cost what the first ones do.
"""

from dataclasses import dataclass
from math import ceil

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, QuerySet

from applicants.enums import ApplicationStatus, CheckStatus
from applicants.models import Application, ApplicationComponent, DocumentCheck
from applicants.search import search_terms
from applicants.selectors_staff import DEFAULT_SORT, QUEUE_STATES, SORTS, QueueFilters, apply_filters
from placements.catalogue.models import Offering
from portal import page_cache

COUNTS_TIMEOUT = 3600  # bounds how long counts could outlive a change whose bump was lost (Redis away)

# The columns a row of the queue shows (the programme's title comes from the staff catalogue).
ROW_FIELDS = (
    "pk",
    "uuid",
    "reference",
    "status",
    "start_date",
    "end_date",
    "submitted_at",
    "review_score",
    "review_count",
    "programme_id",
)


@dataclass(frozen=True)
class QueuePage:
    rows: list[dict]  # ROW_FIELDS, first_name, last_name, email, has_warnings
    components: dict[int, list[tuple[int, int]]]  # application id -> [(department id, weeks)], by rank
    number: int
    count: int
    per_page: int

    @property
    def num_pages(self) -> int:
        return max(1, ceil(self.count / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.count else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.rows)


def in_scope(programme_ids) -> QuerySet[Application]:
    """Submitted (non-draft) applications of the programmes `programme_ids`."""
    return Application.objects.filter(status__in=QUEUE_STATES, programme_id__in=list(programme_ids))


def counts_version(programme_id: int) -> str:
    return f"queue:counts:{programme_id}"


def application_changed(sender, instance: Application, **kwargs) -> None:
    """post_save and post_delete of an application: its programme's status counts are counted afresh
    (a draft is in no count, and no application goes back to being one)."""
    if instance.status != ApplicationStatus.DRAFT:
        page_cache.bump(counts_version(instance.programme_id))


def status_counts(programme_ids, programme_id: int | None = None) -> dict[str, int]:
    """How many applications of `programme_ids` (or of one of them) are in each status, drafts aside:
    one GROUP BY over the (programme, status) index, or the counts kept since it last ran."""
    ids = [programme_id] if programme_id is not None else sorted(programme_ids)
    return page_cache.cached_value(
        "queue:counts:of:" + ",".join(map(str, ids)),
        [counts_version(pk) for pk in ids],
        COUNTS_TIMEOUT,
        lambda: _counted(ids),
    )


def _counted(programme_ids: list[int]) -> dict[str, int]:
    # COUNT(*), not COUNT(id): the id is not in that index, so counting it would read every row.
    counts = dict(in_scope(programme_ids).order_by().values_list("status").annotate(n=Count("*")))
    return {status: counts.get(status, 0) for status in QUEUE_STATES}


def page_number(value) -> int:
    """The page asked for; anything that is not a positive number is the first."""
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def queue_page(programme_ids, filters: QueueFilters, number: int, per_page: int, *, counts: dict) -> QueuePage:
    """Page `number` (the last one when past it) of the applications of `programme_ids` that pass
    `filters`, in their order; `counts` are the status counts of the filtered programme."""
    filtered = apply_filters(in_scope(programme_ids), filters)
    sort = SORTS.get(filters.sort, SORTS[DEFAULT_SORT])
    if _only_programme_and_status(filters):
        count = sum(counts[status] for status in filters.statuses or QUEUE_STATES)
    else:
        count = filtered.count()
    rows, number = _rows_by_keys(filtered, sort, number, per_page, count)
    return QueuePage(rows=rows, components=_components(rows), number=number, count=count, per_page=per_page)


def _only_programme_and_status(filters: QueueFilters) -> bool:
    return not (filters.department_id or filters.start_month or filters.warnings_only or search_terms(filters.q))


def _last(count: int, per_page: int) -> int:
    return max(1, ceil(count / per_page))


def _values(queryset: QuerySet[Application], **more) -> QuerySet:
    warned = DocumentCheck.objects.filter(document__application_id=OuterRef("pk"), status=CheckStatus.WARN)
    return queryset.values(
        *ROW_FIELDS,
        first_name=F("applicant__first_name"),
        last_name=F("applicant__last_name"),
        email=F("applicant__email"),
        has_warnings=Exists(warned),
        **more,
    )


def _rows_by_keys(filtered, sort, number: int, per_page: int, count: int) -> tuple[list[dict], int]:
    """The page's keys sorted and skipped over the application table alone, then their rows."""
    number = min(number, _last(count, per_page))
    if not count:
        return [], number
    bottom = (number - 1) * per_page
    top = bottom + per_page
    if count - bottom < top:
        keys = filtered.order_by(*sort).reverse().values("pk")[max(count - top, 0) : count - bottom]
    else:
        keys = filtered.order_by(*sort).values("pk")[bottom:top]
    return list(_values(Application.objects.filter(pk__in=keys)).order_by(*sort)), number


def _components(rows: list[dict]) -> dict[int, list[tuple[int, int]]]:
    """The components of the page's applications: department and weeks, by rank. One query, written
    out: the ORM's compiling of it cost seven times what PostgreSQL takes to answer it."""
    found: dict[int, list[tuple[int, int]]] = {row["pk"]: [] for row in rows}
    if not found:
        return found
    components = ApplicationComponent._meta.db_table
    offerings = Offering._meta.db_table
    marks = ", ".join(["%s"] * len(found))
    # Table names from the models; every value is a parameter.
    sql = (
        f"SELECT c.application_id, o.department_id, c.weeks FROM {components} c "  # noqa: S608  # nosec B608
        f"JOIN {offerings} o ON o.id = c.offering_id WHERE c.application_id IN ({marks}) ORDER BY c.rank, c.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(found))
        for application_id, department_id, weeks in cursor.fetchall():
            found[application_id].append((department_id, weeks))
    return found
