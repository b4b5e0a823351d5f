"""CSV export of the review queue: exact content, scope, filters, spreadsheet formula injection.

Personas: carol coordinates the rotation programme, dave the cohort programme, root is a superuser.
"""

import csv
from datetime import UTC, date, datetime

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from applicants.enums import ApplicationStatus
from applicants.services.exports import safe_cell
from tests.applicants.staff_builders import make_row, many_rows
from tests.web import body_of

pytestmark = pytest.mark.django_db
S = ApplicationStatus
QUEUE_URL = reverse("staff:queue")
EXPORT_URL = reverse("staff:queue_export")
HEADER = (
    "reference,status,programme,applicant name,e-mail,nationality,home institution,study phase,English level,"
    "start,end,components,mean score,reviews"
)


def csv_lines(response) -> list[str]:
    content = body_of(response).decode("utf-8")
    assert content.startswith("\ufeff")  # Excel reads the file as UTF-8 only with a byte-order mark
    return content.removeprefix("\ufeff").split("\r\n")[:-1]


def ana(rotation, **fields):
    question = rotation.questions.get()
    return make_row(
        rotation,
        first="Ana",
        last="Costa",
        email="ana@lisboa.example",
        start=date(2027, 3, 1),
        weeks=4,
        score="4.25",
        reviews=2,
        components=(("umcg-thoracic", 3), ("umcg-nuclear-medicine", 1)),
        answers={str(question.pk): True},
        submitted=datetime(2026, 11, 20, 9, 30, tzinfo=UTC),
        **fields,
    )


def test_export_has_one_column_per_question_of_the_programme(client, rotation, carol):
    application = ana(rotation)
    client.force_login(carol)

    response = client.get(EXPORT_URL)

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="review-queue-')
    assert response["Cache-Control"] == "no-store"
    assert csv_lines(response) == [
        f"{HEADER},Are you in the clinical phase of your medical studies?,submitted at",
        f"{application.reference},Submitted,Clinical observership in Radiology and Nuclear Medicine,Ana Costa,"
        'ana@lisboa.example,Portuguese,University of Porto,"Medical student, clinical phase",C1 (advanced),'
        '2027-03-01,2027-03-26,"Thoracic radiology, UMCG (3 weeks); '
        'Nuclear medicine and molecular imaging, UMCG (1 week)",'
        "4.25,2,yes,2026-11-20 10:30",
    ]


def test_export_of_several_programmes_combines_the_answers(client, rotation, cohort, root):
    hold, hospital = cohort.questions.order_by("order", "pk")
    make_row(
        cohort,
        first="Bram",
        last="Peeters",
        email="bram@gent.example",
        components=(("uzl-radiology", 20),),
        weeks=20,
        answers={str(hold.pk): True, str(hospital.pk): "AZ Sint-Jan"},
        submitted=datetime(2026, 11, 21, 8, 0, tzinfo=UTC),
    )
    ana(rotation)
    client.force_login(root)

    lines = csv_lines(client.get(EXPORT_URL))

    assert lines[0] == f"{HEADER},answers,submitted at"
    bram, ana_row = (row[-5:] for row in csv.reader(lines[1:]))
    assert bram == [
        "Radiology physics, UZ Leuven (20 weeks)",
        "",
        "0",
        "Do you hold (or will you hold before the start) a master's degree in medical (radiation) physics? yes; "
        "In which hospital, if any, do you already work? AZ Sint-Jan",
        "2026-11-21 09:00",
    ]
    assert ana_row[1:] == [
        "4.25",
        "2",
        "Are you in the clinical phase of your medical studies? yes",
        "2026-11-20 10:30",
    ]


def test_export_neutralises_spreadsheet_formulas(client, cohort, dave):
    hold, hospital = cohort.questions.order_by("order", "pk")
    make_row(
        cohort,
        first='=HYPERLINK("http://evil.example","Open")',
        last="Costa",
        answers={str(hold.pk): False, str(hospital.pk): "@SUM(A1:A9)"},
    )
    client.force_login(dave)

    _header, row = csv_lines(client.get(EXPORT_URL))

    assert ',"\'=HYPERLINK(""http://evil.example"",""Open"") Costa",' in row
    assert ",no,'@SUM(A1:A9)," in row


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_cells_starting_like_a_formula_get_a_quote(start):
    assert safe_cell(f"{start}1+1") == f"'{start}1+1"


def test_ordinary_cells_are_left_alone():
    assert [safe_cell(v) for v in ["Ana", "", None, 3, "4.25", "a=b"]] == ["Ana", "", "", "3", "4.25", "a=b"]


def test_export_follows_the_queue_filters(client, rotation, carol):
    make_row(rotation, status=S.SUBMITTED)
    rejected = make_row(rotation, status=S.REJECTED)
    client.force_login(carol)

    lines = csv_lines(client.get(EXPORT_URL, {"status": S.REJECTED}))

    assert [line.split(",")[0] for line in lines[1:]] == [rejected.reference]


def test_export_contains_only_the_coordinators_programme(client, rotation, cohort, dave):
    make_row(rotation)
    theirs = make_row(cohort)
    client.force_login(dave)

    lines = csv_lines(client.get(EXPORT_URL))

    assert [line.split(",")[0] for line in lines[1:]] == [theirs.reference]


def test_export_of_another_programme_is_a_404(client, rotation, cohort, dave):
    make_row(rotation)
    client.force_login(dave)

    assert client.get(EXPORT_URL, {"programme": rotation.pk}).status_code == 404


def test_queue_offers_the_export_with_its_filters(client, rotation, carol):
    make_row(rotation)
    client.force_login(carol)

    response = client.get(QUEUE_URL, {"status": S.SUBMITTED, "page": 1})

    assert f'href="{EXPORT_URL}?status=submitted"' in response.content.decode()


@pytest.mark.parametrize("count", [1, 50])
def test_export_query_count_does_not_grow_with_rows(client, rotation, carol, count, django_assert_num_queries):
    many_rows(rotation, count)
    client.force_login(carol)
    client.get(QUEUE_URL)  # the security middleware remembers the role and the authenticator in the session

    # user, staff check (the session comes from the cache); filter choices, questions, rows (a cursor),
    # components of each chunk of 500
    with django_assert_num_queries(6):
        response = client.get(EXPORT_URL)
        lines = csv_lines(response)

    assert len(lines) == count + 1
