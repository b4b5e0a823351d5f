"""The yearly report of the insights page: asked for on the page, followed while a worker writes it,
then downloaded. Only the person who asked sees it, and only while they still work on every programme
it covers; anyone else gets a 404."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from applicants.access import staff_programme_ids, staff_programmes
from applicants.views.staff.mixins import staff_required
from placements.allocation.models import InsightsReport
from placements.allocation.services.reports import report_request
from portal.downloads import private_download

# The years offered: this one and the four before it.
YEARS_OFFERED = 5


def report_years() -> list[int]:
    this_year = timezone.localdate().year
    return list(range(this_year, this_year - YEARS_OFFERED, -1))


class ReportForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int, choices=())
    programme = forms.SlugField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in report_years()]


def _report_for(user, uuid) -> InsightsReport:
    """Report `uuid` if `user` asked for it and still works on all its programmes; Http404 otherwise."""
    report = InsightsReport.objects.filter(uuid=uuid, requested_by_id=user.pk).select_related("requested_by").first()
    if report is None or not set(report.programme_ids) <= set(staff_programme_ids(user)):
        raise Http404("No such page.")
    return report


@staff_required
@require_POST
def report_start(request):
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the years offered for the yearly report."))
        return redirect("staff_placements:insights")
    programmes = list(staff_programmes(request.user).only("pk", "slug"))
    slug = form.cleaned_data["programme"]
    chosen = [p.pk for p in programmes if p.slug == slug] if slug else [p.pk for p in programmes]
    if not chosen:
        raise Http404("No such programme.")
    report = report_request(by=request.user, programme_ids=chosen, year=form.cleaned_data["year"])
    return redirect(report.get_absolute_url())


@staff_required
@require_GET
@never_cache
def report_page(request, uuid):
    report = _report_for(request.user, uuid)
    return render(request, "staff/placements/report.html", {"report": report})


@staff_required
@require_GET
@never_cache
def report_status(request, uuid):
    """The progress fragment the report page polls (htmx) until the file is ready or failed."""
    report = _report_for(request.user, uuid)
    return render(request, "staff/placements/_report_status.html", {"report": report})


@staff_required
@require_GET
def report_download(request, uuid):
    report = _report_for(request.user, uuid)
    return private_download(report.file, filename=f"yearly-report-{report.year}.pdf", content_type="application/pdf")
