"""The review queue: the applications of the coordinator's programmes, filtered, sorted, paged and
acted upon in bulk, and its CSV export.

Paging is by offset (selectors_staff.QueuePaginator): its COUNT runs over the filtered rows of the
user's programmes only (the (programme, status) indexes), and the sort and offset over the
application table alone; every page costs the same five queries of its own: filter choices,
status counts, count, rows, components. A page seen before and unchanged since comes from the
cache instead (applicants.queue_cache).
"""

from dataclasses import dataclass

from django.contrib import messages
from django.db import transaction
from django.http import Http404, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from applicants import presenters, queue_cache, workflow
from applicants import selectors_staff as selectors
from applicants.errors import TransitionNotAllowed
from applicants.forms.staff_queue import SORT_CHOICES, BulkAction, BulkActionForm, QueueFilterForm
from applicants.models import Application
from applicants.services import exports
from applicants.views.staff.mixins import staff_required, staff_scope_required

PAGE_SIZE = 25
SHOWN_COMPONENTS = 3
# What a bulk transition is called once done, and why an application was left out.
DONE_WORDS = {BulkAction.START_REVIEW: "started", BulkAction.REJECT: "rejected"}
SKIP_REASONS = {BulkAction.START_REVIEW: "not submitted", BulkAction.REJECT: "not awaiting a decision"}


@dataclass(frozen=True)
class QueueRow:
    application: Application
    badge: str
    components: str


@dataclass(frozen=True)
class StatusBadge:
    status: str
    label: str
    count: int
    active: bool
    badge: str


def _components_label(application: Application) -> str:
    components = list(application.components.all())
    shown = ", ".join(f"{c.offering.department.label} ({c.weeks} wk)" for c in components[:SHOWN_COMPONENTS])
    hidden = len(components) - SHOWN_COMPONENTS
    return f"{shown} and {hidden} more" if hidden > 0 else shown


def _next_sorts(current: str) -> dict[str, str]:
    """For each sortable column, the sort its header link asks for: its usual direction first, the
    other one when the queue is already sorted that way."""
    usual = {"submitted": "-submitted", "start": "start", "score": "-score"}
    return {
        column: (first.removeprefix("-") if first.startswith("-") else f"-{first}") if current == first else first
        for column, first in usual.items()
    }


def _filters_or_404(request):
    catalogue = selectors.staff_catalogue(request.user)
    form = QueueFilterForm(request.GET, catalogue=catalogue)
    if form.programme_out_of_scope():
        # Another programme's queue does not exist for this user, exactly like an unknown one.
        raise Http404("No such page.")
    return catalogue, form, form.filters()


@staff_scope_required
@require_GET
def queue(request, scope):
    # A page seen before by the same person, with nothing in it changed since, is not built again.
    return queue_cache.cached_page(request, scope, render=lambda: _queue_page(request))


def _queue_page(request):
    catalogue, form, filters = _filters_or_404(request)
    paginator = selectors.QueuePaginator(selectors.queue_rows(request.user, filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [
        QueueRow(application, presenters.status_badge(application.status), _components_label(application))
        for application in page
    ]
    context = {
        "form": form,
        "filters": filters,
        "page_obj": page,
        "rows": rows,
        "sort_label": dict(SORT_CHOICES).get(filters.sort, ""),
        "next_sort": _next_sorts(filters.sort),
        "sort_column": filters.sort.removeprefix("-"),
        "sort_direction": "descending" if filters.sort.startswith("-") else "ascending",
        "back": request.GET.urlencode(),
        "export_query": _without(request.GET, "page"),
    }
    # Paging links fetch only the results with htmx; everything else gets the whole page.
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "queue-results":
        return render(request, "staff/_queue_rows.html", context)
    counts = selectors.status_counts(request.user, filters.programme_id)
    context["status_badges"] = [
        StatusBadge(status, status.label, counts[status], status in filters.statuses, presenters.status_badge(status))
        for status in selectors.QUEUE_STATES
    ]
    context["total_in_scope"] = sum(counts.values())
    context["programme_title"] = catalogue.programmes.get(filters.programme_id)
    return render(request, "staff/queue.html", context)


@staff_required
@require_GET
def queue_export(request):
    catalogue, _form, filters = _filters_or_404(request)
    programme_ids = [filters.programme_id] if filters.programme_id else list(catalogue.programmes)
    lines = exports.queue_export_lines(
        applications=selectors.export_rows(request.user, filters), programme_ids=programme_ids
    )
    return _csv_response(lines)


@staff_required
@require_POST
def queue_bulk(request):
    form = BulkActionForm(request.POST)
    back = _queue_url(request.POST.get("back", ""))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    action, selected = form.cleaned_data["action"], form.cleaned_data["selected"]
    found = selectors.selected_applications(request.user, selected)
    not_found = len(selected) - len(found)
    if action == BulkAction.EXPORT:
        if not found:
            messages.error(request, f"Nothing to export: {not_found} not found.")
            return redirect(back)
        applications = selectors.export_rows(request.user, selectors.QueueFilters()).filter(
            pk__in=[a.pk for a in found]
        )
        return _csv_response(
            exports.queue_export_lines(applications=applications, programme_ids=sorted({a.programme_id for a in found}))
        )
    done, skipped = _transition_each(found, name=action, by=request.user, message=form.cleaned_data["message"])
    parts = [f"{done} {DONE_WORDS[action]}"]
    if skipped:
        parts.append(f"{skipped} skipped ({SKIP_REASONS[action]})")
    if not_found:
        parts.append(f"{not_found} not found")
    (messages.success if done else messages.warning)(request, ", ".join(parts) + ".")
    return redirect(back)


def _transition_each(applications, *, name: str, by, message: str) -> tuple[int, int]:
    """Apply transition `name` to each application in its own transaction, so that one refusal
    (wrong status, changed meanwhile) leaves the others done. Returns (done, skipped)."""
    done = skipped = 0
    for application in applications:
        try:
            with transaction.atomic():
                workflow.transition(application=application, name=name, by=by, message=message.strip())
        except TransitionNotAllowed:
            skipped += 1
        else:
            done += 1
    return done, skipped


def _csv_response(lines) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    filename = f"review-queue-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _without(query: QueryDict, *names: str) -> str:
    query = query.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _queue_url(query_string: str) -> str:
    """The queue page with the filters it was left with (re-encoded: only a query string, never a host)."""
    query = QueryDict(query_string).urlencode()
    return reverse("staff:queue") + (f"?{query}" if query else "")
