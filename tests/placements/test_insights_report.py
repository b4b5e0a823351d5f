"""The yearly report of the insights page: asked for on the page, written by a worker as a PDF whose
figures are counted by hand from the insights world (tests/placements/test_insights.py), followed and
downloaded by the person who asked, and by nobody else.

The rotation programme's 2026 (carol's), from that world:
  submitted 6 (A, B, C, D in January; E, F in February; I was submitted in 2025, G is a draft);
  decided 4: B rejected, C accepted, D offered, E confirmed -> 3 accepted of 4 decided, 75.0%;
  time to decision 2, 4, 10, 20 days -> median 7.0, 90th percentile 20.0;
  nationalities: Portuguese 3, Dutch 2, Belgian 1.
"""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from placements.allocation.models import InsightsReport, ReportStatus
from placements.allocation.services.reports import report_build, report_request
from placements.allocation.tasks import build_insights_report
from tests.placements import test_insights
from tests.waiting import wait_for
from tests.web import body_of

pytestmark = pytest.mark.django_db
world = test_insights.world  # the hand-counted world, a fixture


def urls(report) -> dict[str, str]:
    return {
        name: reverse(f"staff_placements:{name}", kwargs={"uuid": report.uuid})
        for name in ("report", "report_status", "report_download")
    }


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


@pytest.fixture
def report_2026(request, rotation, carol):
    request.getfixturevalue("world")
    return report_request(by=carol, programme_ids=[rotation.pk], year=2026)


def test_the_report_counts_the_year_of_the_programme(client, report_2026, carol):
    assert report_build(report_id=report_2026.pk) == "ready"

    report = InsightsReport.objects.get(pk=report_2026.pk)
    assert (report.status, report.progress, report.error) == (ReportStatus.READY, 100, "")
    client.force_login(carol)
    download = client.get(urls(report)["report_download"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith('attachment; filename="yearly-report-2026.pdf"')
    assert "no-store" in download["Cache-Control"]
    text = pdf_text(body_of(download))
    assert "Yearly report 2026" in text
    assert "Applications submitted 6" in text
    assert "Decided 4" in text
    assert "Accepted 3" in text
    assert "Rejected 1" in text
    assert "Acceptance rate (accepted of decided) 75.0%" in text
    assert "Time to decision, median 7.0 days" in text
    assert "Time to decision, 90th percentile 20.0 days" in text
    #                  waiting accepted placed rejected closed total
    assert "January 1 1 1 1 0 4" in text
    assert "February 0 0 1 0 1 2" in text
    assert "Portuguese 3" in text and "Dutch 2" in text and "Belgian 1" in text
    assert "Italian" not in text  # the cohort programme's applicant is not carol's
    assert len(PdfReader(io.BytesIO(body_of(client.get(urls(report)["report_download"])))).pages) == report.pages


def test_asking_twice_while_one_is_under_way_gives_the_same_report(report_2026, rotation, carol):
    again = report_request(by=carol, programme_ids=[rotation.pk], year=2026)

    assert again.pk == report_2026.pk
    assert InsightsReport.objects.count() == 1


def test_running_the_task_twice_writes_once(report_2026):
    assert build_insights_report.apply(kwargs={"report_id": report_2026.pk}).get() == "ready"
    written = InsightsReport.objects.get(pk=report_2026.pk)

    assert build_insights_report.apply(kwargs={"report_id": report_2026.pk}).get() == "skipped"
    again = InsightsReport.objects.get(pk=report_2026.pk)
    assert (again.file.name, again.finished_at) == (written.file.name, written.finished_at)


@pytest.mark.usefixtures("world")
def test_the_insights_page_offers_the_report_and_starts_it(client, carol, rotation):
    client.force_login(carol)
    page = client.get(reverse("staff_placements:insights")).content.decode()
    this_year = timezone.localdate().year
    assert reverse("staff_placements:report_start") in page
    assert f'<option value="{this_year}">{this_year}</option>' in page

    response = client.post(reverse("staff_placements:report_start"), {"year": this_year})

    report = InsightsReport.objects.get()
    assert response.status_code == 302 and response["Location"] == urls(report)["report"]
    assert (report.requested_by, report.programme_ids, report.year) == (carol, [rotation.pk], this_year)
    waiting = client.get(urls(report)["report"]).content.decode()
    assert "Waiting for its turn" in waiting and 'data-hx-trigger="every 2s"' in waiting


@pytest.mark.usefixtures("world")
def test_a_year_not_offered_is_refused_with_a_message(client, carol):
    client.force_login(carol)

    response = client.post(reverse("staff_placements:report_start"), {"year": "1999"}, follow=True)

    assert "Choose one of the years offered" in response.content.decode()
    assert not InsightsReport.objects.exists()


@pytest.mark.usefixtures("world")
def test_a_programme_outside_the_coordinators_is_a_404(client, carol, cohort):
    client.force_login(carol)

    response = client.post(
        reverse("staff_placements:report_start"), {"year": timezone.localdate().year, "programme": cohort.slug}
    )

    assert response.status_code == 404
    assert not InsightsReport.objects.exists()


@pytest.mark.parametrize("persona", ["dave", "root", "alice"])
def test_only_the_person_who_asked_sees_the_report(client, report_2026, persona, request):
    report_build(report_id=report_2026.pk)
    client.force_login(request.getfixturevalue(persona))

    for url in urls(report_2026).values():
        assert client.get(url).status_code == 404, url


def test_a_coordinator_who_left_the_programme_no_longer_sees_the_report(client, report_2026, rotation, carol):
    report_build(report_id=report_2026.pk)
    rotation.coordinators.remove(carol)
    client.force_login(carol)

    for url in urls(report_2026).values():
        assert client.get(url).status_code == 404, url


def test_anonymous_visitors_are_sent_to_sign_in(client, report_2026):
    response = client.get(urls(report_2026)["report"])

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_writes_the_report_while_the_page_shows_progress(celery_worker, client, catalogue, carol):
    client.force_login(carol)
    year = timezone.localdate().year

    client.post(reverse("staff_placements:report_start"), {"year": year})

    settled = InsightsReport.objects.exclude(status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING])
    report = wait_for(settled.first, timeout=60, what="the yearly report")
    assert report.status == ReportStatus.READY
    status = client.get(urls(report)["report_status"]).content.decode()
    assert urls(report)["report_download"] in status and "hx-trigger" not in status
    assert f"Yearly report {year}" in pdf_text(body_of(client.get(urls(report)["report_download"])))
