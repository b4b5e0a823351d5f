"""The PDF dossier of one application: a summary, then every accepted document, in one file for staff.

Built by a worker (applicants.build_dossier) so that the coordinator's page stays quick and can show
the progress. Refused documents are listed on the summary but not merged.
"""

import io
import logging
import tempfile
from datetime import timedelta
from html import escape as _html_escape

from django.core.files import File
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from applicants.enums import ApplicationStatus, DocumentState, EventKind
from applicants.models import Application, ApplicationComponent, Document, Dossier, DossierStatus, Event, Review
from applicants.storage import private_storage

logger = logging.getLogger(__name__)

# A running dossier without a sign of life for this long lost its worker and may be taken on again.
STALE_AFTER = timedelta(minutes=10)
ACTIVE = (DossierStatus.QUEUED, DossierStatus.RUNNING)
# Images larger than this (in pixels) are not drawn: a decompression bomb must not stop the worker.
MAX_IMAGE_PIXELS = 60_000_000


class DossierError(Exception):
    """Something a coordinator can read: why the dossier could not be made."""


def _queue(dossier_id: int) -> None:
    from applicants.tasks import build_dossier

    build_dossier.delay(dossier_id=dossier_id)


def dossier_request(*, application: Application, by) -> Dossier:
    """Start a dossier of `application`, or return the one already under way (queued again if it seems lost)."""
    with transaction.atomic():
        Application.objects.select_for_update().filter(pk=application.pk).first()  # one request at a time
        dossier = Dossier.objects.filter(application=application, status__in=ACTIVE).first()
        if dossier is not None:
            if dossier.updated_at < timezone.now() - STALE_AFTER:
                transaction.on_commit(lambda: _queue(dossier.pk), robust=True)
            return dossier
        dossier = Dossier.objects.create(application=application, requested_by=by, stage="Waiting for its turn")
        # robust: with the broker away the request still succeeds; asking again later queues it again.
        transaction.on_commit(lambda: _queue(dossier.pk), robust=True)
    return dossier


# --- the summary ---------------------------------------------------------------------------------


def escape(text) -> str:
    """Text safe inside a reportlab Paragraph (which reads a little XML-like markup)."""
    return _html_escape("" if text is None else str(text), quote=False).replace("\n", "<br/>")


def _day(value) -> str:
    return date_format(value, "j F Y") if value else "—"


def _moment(value) -> str:
    return date_format(timezone.localtime(value), "j M Y, H:i") if value else "—"


def _answer_text(value) -> str:
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    return "" if value is None else str(value)


def _event_title(event: Event) -> str:
    if event.kind == EventKind.STATUS_CHANGED and event.to_status in ApplicationStatus.values:
        return ApplicationStatus(event.to_status).label
    return event.get_kind_display()


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

GRID = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
    ]
)
FACTS = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (0, -1), "Helvetica-Bold")])


def _table(rows, widths, style=GRID, small=None) -> Table:
    cells = [[cell if not isinstance(cell, str) else Paragraph(escape(cell), small) for cell in row] for row in rows]
    table = Table(cells, colWidths=[w * mm for w in widths], repeatRows=1 if style is GRID else 0)
    table.setStyle(style)
    return table


def summary_pdf(application: Application, *, dossier: Dossier | None = None) -> bytes:
    """The summary pages of `application`'s dossier, as PDF bytes."""
    styles = getSampleStyleSheet()
    body, heading, title = styles["BodyText"], styles["Heading2"], styles["Title"]
    small = styles["BodyText"].clone("small", fontSize=8.5, leading=10.5)
    applicant = application.applicant
    profile = getattr(applicant, "profile", None)
    reference = application.reference or "Draft"
    name = applicant.get_full_name() or applicant.email
    buffer = io.BytesIO()
    made_at = _moment(timezone.now())

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(20 * mm, 10 * mm, f"{reference} · {name} · confidential, for the programme's staff")
        canvas.drawRightString(190 * mm, 10 * mm, f"Summary page {doc.page} · made {made_at}")
        canvas.restoreState()

    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"Application dossier {reference}",
        author=str(application.programme.provider),
        subject=application.programme.title,
    )
    story = [Paragraph(escape(f"Application dossier {reference}"), title)]
    components = list(application.components.all())
    facts = [
        ["Reference", reference],
        ["Applicant", name],
        ["E-mail", applicant.email],
        ["Programme", application.programme.title],
        ["Status", application.get_status_display()],
        ["Submitted", _moment(application.submitted_at)],
        ["Requested stay", f"{_day(application.start_date)} to {_day(application.end_date)}"],
        [
            "Mean score",
            "No reviews yet"
            if application.review_score is None
            else f"{application.review_score} of 5 ({application.review_count} review(s))",
        ],
    ]
    story.append(_table(facts, (40, 130), FACTS, body))

    story.append(Paragraph("Applicant profile", heading))
    if profile is None:
        story.append(Paragraph("No profile filled in.", body))
    else:
        story.append(
            _table(
                [
                    ["Nationality", profile.nationality],
                    ["Home institution", profile.home_institution],
                    ["Study phase", profile.get_study_phase_display()],
                    ["Degree", profile.degree or "—"],
                    ["English", profile.get_english_level_display()],
                    ["Phone", profile.phone or "—"],
                ],
                (40, 130),
                FACTS,
                body,
            )
        )

    story.append(Paragraph("Requested components", heading))
    if components:
        rows = [["Preference", "Department or section", "Weeks"]]
        rows += [[str(c.rank), str(c.offering.department), str(c.weeks)] for c in components]
        rows.append(["", "Total", str(sum(c.weeks for c in components))])
        story.append(_table(rows, (25, 125, 20), small=small))
    else:
        story.append(Paragraph("None chosen.", body))

    story.append(Paragraph("Eligibility answers", heading))
    answers = application.answers or {}
    answered = [
        [question.text, _answer_text(answers[str(question.pk)])]
        for question in application.programme.questions.all()
        if str(question.pk) in answers
    ]
    if answered:
        story.append(_table([["Question", "Answer"], *answered], (130, 40), small=small))
    else:
        story.append(Paragraph("No answers.", body))

    story.append(Paragraph("Documents", heading))
    documents = list(application.documents.all())
    if documents:
        rows = [["Document", "File", "State", "Automatic checks"]]
        for doc in documents:
            if doc.state == DocumentState.READY:
                state = "Included below"
            elif doc.state == DocumentState.REJECTED:
                state = f"Refused, not included: {doc.reason}" if doc.reason else "Refused, not included"
            else:
                state = "Still being checked, not included"
            checks = "\n".join(f"{c.get_status_display()}: {c.message}" for c in doc.checks.all()) or "—"
            pages = f" ({doc.pages} page(s))" if doc.pages else ""
            rows.append([doc.document_type.name, f"{doc.original_name}{pages}", state, checks])
        story.append(_table(rows, (35, 45, 40, 50), small=small))
    else:
        story.append(Paragraph("No documents uploaded.", body))

    story.append(Paragraph("Reviews", heading))
    criteria = list(application.programme.rubric.all())
    reviews = list(application.reviews.all())
    if reviews:
        rows = [["Reviewer", "Recommendation", "Mean", "Scores", "Comment"]]
        for review in reviews:
            given = {s.criterion_id: s.score for s in review.scores.all()}
            scores = "\n".join(f"{c.name}: {given.get(c.pk, '—')}" for c in criteria) or "—"
            mean = "—" if review.mean_score is None else str(review.mean_score)
            rows.append(
                [str(review.reviewer), review.get_recommendation_display(), mean, scores, review.comment or "—"]
            )
        story.append(_table(rows, (30, 25, 12, 45, 58), small=small))
    else:
        story.append(Paragraph("No reviews yet.", body))

    story.append(Paragraph("Timeline", heading))
    events = list(application.events.all())
    if events:
        rows = [["When", "What", "By", "Message"]]
        for event in events:
            what = _event_title(event) + (" (internal)" if event.internal else "")
            actor = str(event.actor) if event.actor_id else "System"
            rows.append([_moment(event.created_at), what, actor, event.message or ""])
        story.append(_table(rows, (30, 40, 35, 65), small=small))
    else:
        story.append(Paragraph("Nothing happened yet.", body))
    story.append(Spacer(1, 6 * mm))
    requested = f" for {dossier.requested_by}" if dossier and dossier.requested_by_id else ""
    story.append(Paragraph(escape(f"Made {made_at}{requested}."), small))
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


# --- the documents -------------------------------------------------------------------------------


def image_pdf(handle, *, caption: str) -> bytes:
    """One A4 page with the image fitted inside the margins and a caption, as PDF bytes."""
    with Image.open(handle) as image:
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise DossierError(f"The image “{caption}” is too large to include.")
        picture = ImageOps.exif_transpose(image).convert("RGB")
    buffer = io.BytesIO()
    page_width, page_height = A4
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    margin = 15 * mm
    room_width, room_height = page_width - 2 * margin, page_height - 2 * margin - 8 * mm
    scale = min(room_width / picture.width, room_height / picture.height)
    width, height = picture.width * scale, picture.height * scale
    canvas.setFont("Helvetica", 9)
    canvas.drawString(margin, page_height - margin, caption)
    canvas.drawImage(ImageReader(picture), margin, page_height - margin - 8 * mm - height, width=width, height=height)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _append_document(writer: PdfWriter, document: Document) -> None:
    name = document.document_type.name
    try:
        handle = document.file.storage.open(document.file.name, "rb")
    except (FileNotFoundError, IsADirectoryError, ValueError):
        raise DossierError(f"The file of the {name} is missing from storage.") from None
    with handle:
        data = io.BytesIO(handle.read())
    try:
        if document.content_kind == "pdf":
            reader = PdfReader(data)
            if reader.is_encrypted:
                raise DossierError(f"The {name} is encrypted and cannot be merged.")
            writer.append(reader, outline_item=name, import_outline=False)
        elif document.content_kind in ("jpeg", "png"):
            page = io.BytesIO(image_pdf(data, caption=f"{name}: {document.original_name}"))
            writer.append(PdfReader(page), outline_item=name)
        else:
            raise DossierError(f"The {name} is of a kind that cannot be put in a PDF.")
    except DossierError:
        raise
    except Exception as error:
        logger.warning("Dossier: document %s could not be merged: %r", document.pk, error)
        raise DossierError(f"The {name} could not be read as a {document.content_kind.upper()}.") from error


# --- building ------------------------------------------------------------------------------------


def _claim(dossier_id: int) -> bool:
    now = timezone.now()
    claimable = Q(status=DossierStatus.QUEUED) | Q(status=DossierStatus.RUNNING, updated_at__lt=now - STALE_AFTER)
    return bool(
        Dossier.objects.filter(claimable, pk=dossier_id).update(
            status=DossierStatus.RUNNING, progress=0, stage="Writing the summary", updated_at=now
        )
    )


def _progress(dossier_id: int, done: int, total: int, stage: str) -> None:
    # Never 100 before the file is saved: 100 means "ready".
    Dossier.objects.filter(pk=dossier_id, status=DossierStatus.RUNNING).update(
        progress=min(99, done * 100 // max(total, 1)), stage=stage[:200], updated_at=timezone.now()
    )


def _fail(dossier_id: int, message: str) -> None:
    now = timezone.now()
    Dossier.objects.filter(pk=dossier_id, status=DossierStatus.RUNNING).update(
        status=DossierStatus.FAILED, error=message[:300], stage="", updated_at=now, finished_at=now
    )


def dossier_build(*, dossier_id: int) -> str:
    """Build dossier `dossier_id`: "ready", "failed", or "skipped" when it is not waiting (or gone)."""
    if not _claim(dossier_id):
        logger.info("Dossier %s is not waiting to be built; nothing to do", dossier_id)
        return "skipped"
    dossier = Dossier.objects.select_related("requested_by").get(pk=dossier_id)
    try:
        application = SUMMARY_QUERYSET.get(pk=dossier.application_id)
        merged = [d for d in application.documents.all() if d.state == DocumentState.READY]
        total = len(merged) + 2
        writer = PdfWriter()
        writer.append(PdfReader(io.BytesIO(summary_pdf(application, dossier=dossier))), outline_item="Summary")
        for done, document in enumerate(merged, start=1):
            _progress(dossier_id, done, total, f"Adding the {document.document_type.name}")
            _append_document(writer, document)
        _progress(dossier_id, total - 1, total, "Saving the file")
        writer.add_metadata({"/Title": f"Application dossier {application.reference or 'draft'}"})
        pages = len(writer.pages)
        with tempfile.TemporaryFile(suffix=".pdf") as handle:
            writer.write(handle)
            handle.seek(0)
            name = private_storage.save(dossier.file.field.generate_filename(dossier, "dossier.pdf"), File(handle))
    except DossierError as error:
        logger.info("Dossier %s failed: %s", dossier_id, error)
        _fail(dossier_id, str(error))
        return "failed"
    except Exception:
        logger.exception("Dossier %s failed", dossier_id)
        _fail(dossier_id, "Something went wrong while putting the dossier together. Please try again.")
        return "failed"
    now = timezone.now()
    saved = Dossier.objects.filter(pk=dossier_id, status=DossierStatus.RUNNING).update(
        status=DossierStatus.READY, file=name, pages=pages, progress=100, stage="", updated_at=now, finished_at=now
    )
    if not saved:  # the row went meanwhile: the file must not outlive it
        private_storage.delete(name)
        return "skipped"
    logger.info("Dossier %s ready (%s pages)", dossier_id, pages)
    return "ready"


def dossier_download_record(*, dossier: Dossier, by) -> Event:
    """Note on the application's timeline (staff only) that `by` downloaded its dossier."""
    return Event.objects.create(
        application=dossier.application,
        actor=by,
        kind=EventKind.DOCUMENT_VIEWED,
        message="Downloaded the PDF dossier",
        internal=True,
    )
