"""The insights dashboard: where the coordinator's programmes stand, in charts with their tables, and
each chart's figures as CSV. Only the programmes the user coordinates (all of them for an admin)."""

import csv
from datetime import date, timedelta

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET

from applicants.access import staff_programmes
from applicants.views.staff.mixins import staff_required
from placements.allocation.queries.insights import Period
from placements.staff_views.insights_charts import HEAT_LEVELS, all_charts
from placements.staff_views.insights_data import all_tables, insights_for
from placements.staff_views.insights_report import report_years

# A custom period spans at most this many days (the weekly chart stays readable).
LONGEST_PERIOD = 3 * 366


def intake_start(today: date) -> date:
    """The first day of the academic year `today` falls in (1 September)."""
    return date(today.year if today.month >= 9 else today.year - 1, 9, 1)


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        choices=[
            ("intake", gettext_lazy("This intake")),
            ("year", gettext_lazy("Last 12 months")),
            ("custom", gettext_lazy("Custom")),
        ],
        required=False,
    )
    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    programme = forms.SlugField(required=False)

    def clean(self):
        data = super().clean()
        if data.get("period") == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(gettext("Give both days of a custom period."))
            if end < start:
                raise forms.ValidationError(gettext("The period cannot end before it starts."))
            if (end - start).days > LONGEST_PERIOD:
                raise forms.ValidationError(gettext("Choose a period of three years at most."))
        return data

    def chosen_period(self, today: date) -> Period:
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("period") == "custom":
            start, end = data["start"], data["end"]
            label = gettext("%(start)s to %(end)s") % {
                "start": date_format(start, "j M Y"),
                "end": date_format(end, "j M Y"),
            }
            return Period(start, end, label)
        if data.get("period") == "year":
            return Period(today - timedelta(days=364), today, gettext("The last 12 months"))
        first = intake_start(today)
        return Period(first, today, gettext("This intake (since %(date)s)") % {"date": date_format(first, "j F Y")})


def _scope(request, form: PeriodForm):
    """The user's programmes, the one chosen (404 for one outside them) and the ids to count."""
    programmes = list(staff_programmes(request.user).order_by("title").only("pk", "slug", "title"))
    slug = request.GET.get("programme")
    chosen = None
    if slug:
        chosen = next((p for p in programmes if p.slug == slug), None)
        if chosen is None:
            raise Http404("No such programme.")
    return programmes, chosen, [chosen.pk] if chosen else [p.pk for p in programmes]


def _figures(request):
    form = PeriodForm(request.GET or None)
    programmes, chosen, ids = _scope(request, form)
    today = timezone.localdate()
    data = insights_for(programme_ids=ids, period=form.chosen_period(today), today=today)
    tables = all_tables(data, calendar_url=reverse("staff_placements:calendar"))
    return form, programmes, chosen, data, tables


@staff_required
@require_GET
def insights(request):
    form, programmes, chosen, data, tables = _figures(request)
    charts = all_charts(data)
    query = request.GET.urlencode()
    return render(
        request,
        "staff/placements/insights.html",
        {
            "form": form,
            "programmes": programmes,
            "chosen": chosen,
            "data": data,
            "tables": tables,
            "charts": charts,
            "lists": [
                (tables["waiting"], data.counts.waiting),
                (tables["offers"], data.counts.offers),
                (tables["documents"], data.counts.document_applications),
            ],
            "query": f"?{query}" if query else "",
            "heat_levels": HEAT_LEVELS,
            "report_years": report_years(),
        },
    )


@staff_required
@require_GET
def insights_csv(request, chart: str):
    """One chart's figures as CSV, for the same programmes and period as the page."""
    _form, _programmes, chosen, data, tables = _figures(request)
    table = tables.get(chart)
    if table is None:
        raise Http404("No such chart.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    scope = chosen.slug if chosen else "all-programmes"
    response["Content-Disposition"] = (
        f'attachment; filename="{table.slug}-{scope}-{data.period.first:%Y%m%d}-{data.period.last:%Y%m%d}.csv"'
    )
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow([f"{table.title} · {data.period.label}"])
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow([_csv_safe(cell) for cell in row])
    return response


def _csv_safe(cell) -> str | int:
    """The cell's text, a leading formula character defused so a spreadsheet never runs it."""
    if isinstance(cell, int):
        return cell
    text = str(cell)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
