"""The summary pages at the front of an application's dossier: one builder per section."""

from django.db.models import Prefetch
from django.utils import timezone
from reportlab.platypus import Flowable, Table

from applicants.enums import DocumentState
from applicants.models import Application, ApplicationComponent, Document, Dossier, Event, Review
from applicants.presenters import answer_rows, event_title
from portal import pdf

SUMMARY_QUERYSET = Application.objects.select_related("programme", "applicant__profile").prefetch_related(
    Prefetch(
        "components",
        queryset=ApplicationComponent.objects.select_related("offering__department__institution"),
    ),
    Prefetch("documents", queryset=Document.objects.select_related("document_type").prefetch_related("checks")),
    "programme__questions",
    "programme__rubric",
    Prefetch("reviews", queryset=Review.objects.select_related("reviewer").prefetch_related("scores")),
    Prefetch("events", queryset=Event.objects.select_related("actor")),
)


def _reference(application: Application) -> str:
    return application.reference or "Draft"


def _name(application: Application) -> str:
    return application.applicant.get_full_name() or application.applicant.email


def _facts(application: Application) -> Table:
    score = (
        "No reviews yet"
        if application.review_score is None
        else f"{application.review_score} of 5 ({application.review_count} review(s))"
    )
    rows = [
        ["Reference", _reference(application)],
        ["Applicant", _name(application)],
        ["E-mail", application.applicant.email],
        ["Programme", application.programme.title],
        ["Status", application.get_status_display()],
        ["Submitted", pdf.moment(application.submitted_at)],
        ["Requested stay", f"{pdf.day(application.start_date)} to {pdf.day(application.end_date)}"],
        ["Mean score", score],
    ]
    return pdf.key_value_table(rows, cell_style=pdf.STYLES.body)


def _profile_rows(profile) -> list[list[str]]:
    return [
        ["Nationality", profile.nationality],
        ["Home institution", profile.home_institution],
        ["Study phase", profile.get_study_phase_display()],
        ["Degree", profile.degree or "—"],
        ["English", profile.get_english_level_display()],
        ["Phone", profile.phone or "—"],
    ]


def _profile(application: Application) -> list[Flowable]:
    profile = getattr(application.applicant, "profile", None)
    content = None if profile is None else pdf.key_value_table(_profile_rows(profile), cell_style=pdf.STYLES.body)
    return pdf.section("Applicant profile", content, empty="No profile filled in.")


def _grid(header: list[str], rows: list[list[str]], widths: tuple[float, ...]) -> Table | None:
    """The rows under their header in small print, or None when there are no rows."""
    return pdf.table([header, *rows], widths, cell_style=pdf.STYLES.small) if rows else None


def _components(application: Application) -> list[Flowable]:
    components = list(application.components.all())
    rows = [[str(c.rank), str(c.offering.department), str(c.weeks)] for c in components]
    if rows:
        rows.append(["", "Total", str(sum(c.weeks for c in components))])
    content = _grid(["Preference", "Department or section", "Weeks"], rows, (25, 125, 20))
    return pdf.section("Requested components", content, empty="None chosen.")


def _answers(application: Application) -> list[Flowable]:
    rows = [list(row) for row in answer_rows(application)]
    return pdf.section("Eligibility answers", _grid(["Question", "Answer"], rows, (130, 40)), empty="No answers.")


def _document_state(document: Document) -> str:
    if document.state == DocumentState.READY:
        return "Included below"
    if document.state == DocumentState.REJECTED:
        return f"Refused, not included: {document.reason}" if document.reason else "Refused, not included"
    return "Still being checked, not included"


def _documents(application: Application) -> list[Flowable]:
    rows = []
    for document in application.documents.all():
        checks = "\n".join(f"{c.get_status_display()}: {c.message}" for c in document.checks.all()) or "—"
        pages = f" ({document.pages} page(s))" if document.pages else ""
        name = f"{document.original_name}{pages}"
        rows.append([document.document_type.name, name, _document_state(document), checks])
    content = _grid(["Document", "File", "State", "Automatic checks"], rows, (35, 45, 40, 50))
    return pdf.section("Documents", content, empty="No documents uploaded.")


def _reviews(application: Application) -> list[Flowable]:
    criteria = list(application.programme.rubric.all())
    rows = []
    for review in application.reviews.all():
        given = {s.criterion_id: s.score for s in review.scores.all()}
        scores = "\n".join(f"{c.name}: {given.get(c.pk, '—')}" for c in criteria) or "—"
        mean = "—" if review.mean_score is None else str(review.mean_score)
        rows.append([str(review.reviewer), review.get_recommendation_display(), mean, scores, review.comment or "—"])
    header = ["Reviewer", "Recommendation", "Mean", "Scores", "Comment"]
    return pdf.section("Reviews", _grid(header, rows, (30, 25, 12, 45, 58)), empty="No reviews yet.")


def _timeline(application: Application) -> list[Flowable]:
    rows = [
        [
            pdf.moment(event.created_at),
            event_title(event) + (" (internal)" if event.internal else ""),
            str(event.actor) if event.actor_id else "System",
            event.message or "",
        ]
        for event in application.events.all()
    ]
    content = _grid(["When", "What", "By", "Message"], rows, (30, 40, 35, 65))
    return pdf.section("Timeline", content, empty="Nothing happened yet.")


SECTIONS = (_profile, _components, _answers, _documents, _reviews, _timeline)


def summary_pdf(application: Application, *, dossier: Dossier | None = None) -> bytes:
    """The summary pages of `application`'s dossier, as PDF bytes."""
    reference, name = _reference(application), _name(application)
    made_at = pdf.moment(timezone.now())
    requested = f" for {dossier.requested_by}" if dossier and dossier.requested_by_id else ""
    story = [pdf.title(f"Application dossier {reference}"), _facts(application)]
    for section in SECTIONS:
        story += section(application)
    story += [pdf.space(6), pdf.paragraph(f"Made {made_at}{requested}.", pdf.STYLES.small)]
    return pdf.document_pdf(
        story,
        title=f"Application dossier {reference}",
        author=str(application.programme.provider),
        subject=application.programme.title,
        margin_y=18,
        footer=lambda page: (
            f"{reference} · {name} · confidential, for the programme's staff",
            f"Summary page {page} · made {made_at}",
        ),
    )
