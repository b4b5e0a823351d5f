"""What the review queue shows, prepared once per page as plain strings: the rows, the status badges,
the sort and page links and the filter form's choices. The templates only print them: no URL
reversed, date formatted or query string built per row or per link in the template.
"""

import functools
from dataclasses import dataclass

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applicants import presenters
from applicants.enums import ApplicationStatus
from applicants.forms.staff_queue import SORT_CHOICES, QueueFilterForm
from applicants.selectors_queue import QueuePage
from applicants.selectors_staff import QUEUE_STATES, QueueFilters, StaffCatalogue

SHOWN_COMPONENTS = 3
STATUS_LABELS = dict(ApplicationStatus.choices)
# Each sortable column's usual direction: the first click on its header sorts that way.
USUAL_SORTS = {"submitted": "-submitted", "start": "start", "score": "-score"}
_UUID_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


@dataclass(frozen=True, slots=True)
class QueueRow:
    uuid: str
    reference: str
    url: str
    name: str
    email: str
    programme: str
    status: str
    badge: str
    start: str
    end: str
    submitted: str
    submitted_iso: str
    score: str  # "" when nobody has reviewed it yet
    reviews: int
    components: str
    warned: bool


@dataclass(frozen=True, slots=True)
class StatusBadge:
    status: str
    label: str
    count: int
    active: bool
    badge: str
    url: str


@dataclass(frozen=True, slots=True)
class SortHeader:
    url: str
    arrow: str  # "↓", "↑" or "" when the queue is not sorted by this column
    aria_sort: str  # "descending", "ascending" or ""


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str
    selected: bool


@dataclass(frozen=True, slots=True)
class OptionGroup:
    label: str  # "" for options outside any group
    options: list[Option]


@functools.cache
def _month_abbreviations(language: str) -> dict[int, str]:
    with translation.override(language):
        return {month: str(name).title() for month, name in MONTHS_3.items()}


def short_date(day) -> str:
    """A date as the template filter `date:"j M Y"` writes it (3 Mar 2027), local time for a moment."""
    if day is None:
        return ""
    if hasattr(day, "tzinfo"):
        day = timezone.localtime(day)
    return f"{day.day} {_month_abbreviations(translation.get_language())[day.month]} {day.year}"


def query_link(query: QueryDict, **changes) -> str:
    """The queue's query string with `changes` (None removes a parameter), as {% querystring %} makes it."""
    params = query.copy()
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
    if not params and not query:
        return ""
    return f"?{params.urlencode()}"


def components_label(components: list[tuple[int, int]], names: dict[int, str]) -> str:
    each = _("%(department)s (%(weeks)d wk)")
    shown = ", ".join(
        each % {"department": names.get(department, ""), "weeks": weeks}
        for department, weeks in components[:SHOWN_COMPONENTS]
    )
    hidden = len(components) - SHOWN_COMPONENTS
    if hidden <= 0:
        return shown
    return ngettext("%(shown)s and %(count)d more", "%(shown)s and %(count)d more", hidden) % {
        "shown": shown,
        "count": hidden,
    }


def queue_rows(page: QueuePage, catalogue: StaffCatalogue) -> list[QueueRow]:
    """The page's rows as the table shows them (the application page's URL reversed once)."""
    before, after = reverse("staff:application", kwargs={"uuid": _UUID_PLACEHOLDER}).split(_UUID_PLACEHOLDER)
    labels = {status: str(label) for status, label in STATUS_LABELS.items()}
    rows = []
    for row in page.rows:
        uuid = str(row["uuid"])
        score = row["review_score"]
        rows.append(
            QueueRow(
                uuid=uuid,
                reference=row["reference"] or "",
                url=f"{before}{uuid}{after}",
                name=f"{row['first_name']} {row['last_name']}".strip() or "—",
                email=row["email"],
                programme=catalogue.programmes.get(row["programme_id"], ""),
                status=labels.get(row["status"], row["status"]),
                badge=presenters.status_badge(row["status"]),
                start=short_date(row["start_date"]),
                end=short_date(row["end_date"]),
                submitted=short_date(row["submitted_at"]),
                submitted_iso=timezone.localtime(row["submitted_at"]).isoformat(timespec="seconds")
                if row["submitted_at"]
                else "",
                score="" if score is None else f"{score:.2f}",
                reviews=row["review_count"],
                components=components_label(page.components.get(row["pk"], []), catalogue.department_names),
                warned=row["has_warnings"],
            )
        )
    return rows


def status_badges(query: QueryDict, counts: dict[str, int], filters: QueueFilters) -> list[StatusBadge]:
    return [
        StatusBadge(
            status=status,
            label=status.label,
            count=counts[status],
            active=status in filters.statuses,
            badge=presenters.status_badge(status),
            url=query_link(query, status=status.value, page=None),
        )
        for status in QUEUE_STATES
    ]


def sort_headers(query: QueryDict, current: str) -> dict[str, SortHeader]:
    """Each sortable column's header link: its usual direction first, the other one when the queue is
    already sorted that way."""
    headers = {}
    for column, usual in USUAL_SORTS.items():
        other = usual.removeprefix("-") if usual.startswith("-") else f"-{usual}"
        sorted_here = current.removeprefix("-") == column
        descending = current.startswith("-")
        headers[column] = SortHeader(
            url=query_link(query, sort=other if current == usual else usual, page=None),
            arrow=("↓" if descending else "↑") if sorted_here else "",
            aria_sort=("descending" if descending else "ascending") if sorted_here else "",
        )
    return headers


def _options(choices, chosen) -> list[OptionGroup]:
    """Choices (flat or grouped) as option groups, the chosen values selected."""
    chosen = {str(value) for value in chosen}
    groups: list[OptionGroup] = []
    loose: list[Option] = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            groups.append(OptionGroup(str(value), [Option(str(v), str(lb), str(v) in chosen) for v, lb in label]))
        else:
            loose.append(Option(str(value), str(label), str(value) in chosen))
    return [OptionGroup("", loose), *groups] if loose else groups


def _chosen(form: QueueFilterForm, name: str) -> list:
    value = form[name].value()
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def filter_choices(form: QueueFilterForm) -> dict:
    """What the filter form shows: the values asked for and the choices with those selected."""
    return {
        "q": form["q"].value() or "",
        "start_month": form["start_month"].value() or "",
        "warnings": bool(form["warnings"].value()),
        "programmes": _options(form.fields["programme"].choices, _chosen(form, "programme")),
        "departments": _options(form.fields["department"].choices, _chosen(form, "department")),
        "sorts": _options(SORT_CHOICES, _chosen(form, "sort")),
        "statuses": [
            option
            for group in _options(form.fields["status"].choices, _chosen(form, "status"))
            for option in group.options
        ],
    }
