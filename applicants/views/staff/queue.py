"""The review queue: the applications of the coordinator's programmes, filtered, sorted, paged and
acted upon in bulk, and its CSV export.

A page costs the same queries whatever its number, filter or sort (applicants.selectors_queue): the
page's rows, their components, and a COUNT for a search or the filters other than programme and
status. The status counts (which also count the rows when only the programme and the status are
filtered) come from the cache until an application of the programme changes, the programmes and
departments of the filters until the catalogue changes. Rows, badges and links are prepared as plain
strings (queue_display) and the table's rows written once in Python (queue_table).
"""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from applicants import selectors_staff as selectors
from applicants import workflow
from applicants.errors import TransitionNotAllowed
from applicants.forms.staff_queue import SORT_CHOICES, BulkAction, BulkActionForm, QueueFilterForm
from applicants.selectors_queue import page_number, queue_page, status_counts
from applicants.services import exports
from applicants.views.staff import queue_display as display
from applicants.views.staff import queue_table
from applicants.views.staff.mixins import staff_required, staff_scope_required

PAGE_SIZE = 25


def _bulk_summary(action: str, *, done: int, skipped: int, not_found: int) -> str:
    """ "3 started, 1 skipped (not submitted), 1 not found.": what a bulk transition did, and why an
    application was left out."""
    if action == BulkAction.START_REVIEW:
        parts = [ngettext("%(count)d started", "%(count)d started", done) % {"count": done}]
        if skipped:
            parts.append(
                ngettext("%(count)d skipped (not submitted)", "%(count)d skipped (not submitted)", skipped)
                % {"count": skipped}
            )
    else:
        parts = [ngettext("%(count)d rejected", "%(count)d rejected", done) % {"count": done}]
        if skipped:
            parts.append(
                ngettext(
                    "%(count)d skipped (not awaiting a decision)",
                    "%(count)d skipped (not awaiting a decision)",
                    skipped,
                )
                % {"count": skipped}
            )
    if not_found:
        parts.append(ngettext("%(count)d not found", "%(count)d not found", not_found) % {"count": not_found})
    return ", ".join(parts) + "."


def _filters_or_404(request, catalogue):
    form = QueueFilterForm(request.GET, catalogue=catalogue)
    if form.programme_out_of_scope():
        # Another programme's queue does not exist for this user, exactly like an unknown one.
        raise Http404("No such page.")
    return form, form.filters()


@staff_scope_required
@require_GET
def queue(request, scope):
    catalogue = selectors.cached_staff_catalogue(scope)
    form, filters = _filters_or_404(request, catalogue)
    counts = status_counts(scope, filters.programme_id)
    page = queue_page(scope, filters, page_number(request.GET.get("page")), PAGE_SIZE, counts=counts)
    query = request.GET
    rows = display.queue_rows(page, catalogue)
    context = {
        "filters": filters,
        "page": page,
        "rows": rows,
        "table_rows": queue_table.rows_html(rows, show_programme=not filters.programme_id),
        "sort_label": dict(SORT_CHOICES).get(filters.sort, ""),
        "sort_headers": display.sort_headers(query, filters.sort),
        "previous_url": display.query_link(query, page=page.number - 1) if page.has_previous else "",
        "next_url": display.query_link(query, page=page.number + 1) if page.has_next else "",
        "back": query.urlencode(),
    }
    # Paging links fetch only the results with htmx; everything else gets the whole page.
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "queue-results":
        return render(request, "staff/_queue_rows.html", context)
    choices = display.filter_choices(form)
    context |= {
        "form": form,
        "choices": choices,
        "options": {name: queue_table.options_html(choices[name]) for name in ("programmes", "departments", "sorts")},
        "status_badges": display.status_badges(query, counts, filters),
        "all_statuses_url": display.query_link(query, status=None, page=None),
        "total_in_scope": sum(counts.values()),
        "programme_title": catalogue.programmes.get(filters.programme_id),
        "export_query": _without(query, "page"),
    }
    return render(request, "staff/queue.html", context)


@staff_required
@require_GET
def queue_export(request):
    catalogue = selectors.staff_catalogue(request.user)
    _form, filters = _filters_or_404(request, catalogue)
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
            messages.error(request, _("Nothing to export: %(count)d not found.") % {"count": not_found})
            return redirect(back)
        applications = selectors.export_rows(request.user, selectors.QueueFilters()).filter(
            pk__in=[a.pk for a in found]
        )
        return _csv_response(
            exports.queue_export_lines(applications=applications, programme_ids=sorted({a.programme_id for a in found}))
        )
    done, skipped = _transition_each(found, name=action, by=request.user, message=form.cleaned_data["message"])
    summary = _bulk_summary(action, done=done, skipped=skipped, not_found=not_found)
    (messages.success if done else messages.warning)(request, summary)
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
