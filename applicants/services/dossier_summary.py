"""The summary pages at the front of an application's dossier: one builder per section."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
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
    return application.reference or _("Draft")


def _name(application: Application) -> str:
    return application.applicant.get_full_name() or application.applicant.email


def _facts(application: Application) -> Table:
    if application.review_score is None:
        score = _("No reviews yet")
    else:
        score = ngettext(
            "%(score)s of 5 (%(count)d review)", "%(score)s of 5 (%(count)d reviews)", application.review_count
        ) % {"score": application.review_score, "count": application.review_count}
    stay = _("%(start)s to %(end)s") % {"start": pdf.day(application.start_date), "end": pdf.day(application.end_date)}
    rows = [
        [_("Reference"), _reference(application)],
        [_("Applicant"), _name(application)],
        [_("E-mail"), application.applicant.email],
        [_("Programme"), application.programme.title],
        [_("Status"), application.get_status_display()],
        [_("Submitted"), pdf.moment(application.submitted_at)],
        [_("Requested stay"), stay],
        [_("Mean score"), score],
    ]
    return pdf.key_value_table(rows, cell_style=pdf.STYLES.body)


def _profile_rows(profile) -> list[list[str]]:
    return [
        [_("Nationality"), profile.nationality],
        [_("Home institution"), profile.home_institution],
        [_("Study phase"), profile.get_study_phase_display()],
        [_("Degree"), profile.degree or "—"],
        [pgettext("language level", "English"), profile.get_english_level_display()],
        [_("Phone"), profile.phone or "—"],
    ]


def _profile(application: Application) -> list[Flowable]:
    profile = getattr(application.applicant, "profile", None)
    content = None if profile is None else pdf.key_value_table(_profile_rows(profile), cell_style=pdf.STYLES.body)
    return pdf.section(_("Applicant profile"), content, empty=_("No profile filled in."))


def _grid(header: list[str], rows: list[list[str]], widths: tuple[float, ...]) -> Table | None:
    """The rows under their header in small print, or None when there are no rows."""
    return pdf.table([header, *rows], widths, cell_style=pdf.STYLES.small) if rows else None


def _components(application: Application) -> list[Flowable]:
    components = list(application.components.all())
    rows = [[str(c.rank), str(c.offering.department), str(c.weeks)] for c in components]
    if rows:
        rows.append(["", _("Total"), str(sum(c.weeks for c in components))])
    content = _grid([_("Preference"), _("Department or section"), _("Weeks")], rows, (25, 125, 20))
    return pdf.section(_("Requested components"), content, empty=_("None chosen."))


def _answers(application: Application) -> list[Flowable]:
    rows = [list(row) for row in answer_rows(application)]
    content = _grid([_("Question"), _("Answer")], rows, (130, 40))
    return pdf.section(_("Eligibility answers"), content, empty=_("No answers."))


def _document_state(document: Document) -> str:
    if document.state == DocumentState.READY:
        return _("Included below")
    if document.state == DocumentState.REJECTED:
        if document.reason:
            return _("Refused, not included: %(reason)s") % {"reason": document.reason}
        return _("Refused, not included")
    return _("Still being checked, not included")


def _documents(application: Application) -> list[Flowable]:
    rows = []
    for document in application.documents.all():
        checks = "\n".join(f"{c.get_status_display()}: {c.message}" for c in document.checks.all()) or "—"
        if document.pages:
            pages = ngettext("%(count)d page", "%(count)d pages", document.pages) % {"count": document.pages}
            name = f"{document.original_name} ({pages})"
        else:
            name = document.original_name
        rows.append([document.document_type.name, name, _document_state(document), checks])
    content = _grid([_("Document"), _("File"), _("State"), _("Automatic checks")], rows, (35, 45, 40, 50))
    return pdf.section(_("Documents"), content, empty=_("No documents uploaded."))


def _reviews(application: Application) -> list[Flowable]:
    criteria = list(application.programme.rubric.all())
    rows = []
    for review in application.reviews.all():
        given = {s.criterion_id: s.score for s in review.scores.all()}
        scores = "\n".join(f"{c.name}: {given.get(c.pk, '—')}" for c in criteria) or "—"
        mean = "—" if review.mean_score is None else str(review.mean_score)
        rows.append([str(review.reviewer), review.get_recommendation_display(), mean, scores, review.comment or "—"])
    header = [_("Reviewer"), _("Recommendation"), _("Mean"), _("Scores"), _("Comment")]
    return pdf.section(_("Reviews"), _grid(header, rows, (30, 25, 12, 45, 58)), empty=_("No reviews yet."))


def _timeline(application: Application) -> list[Flowable]:
    rows = [
        [
            pdf.moment(event.created_at),
            _("%(title)s (internal)") % {"title": event_title(event)} if event.internal else event_title(event),
            str(event.actor) if event.actor_id else _("System"),
            event.message or "",
        ]
        for event in application.events.all()
    ]
    content = _grid([_("When"), _("What"), _("By"), _("Message")], rows, (30, 40, 35, 65))
    return pdf.section(_("Timeline"), content, empty=_("Nothing happened yet."))


SECTIONS = (_profile, _components, _answers, _documents, _reviews, _timeline)


def summary_pdf(application: Application, *, dossier: Dossier | None = None) -> bytes:
    """The summary pages of `application`'s dossier, as PDF bytes."""
    reference, name = _reference(application), _name(application)
    made_at = pdf.moment(timezone.now())
    if dossier and dossier.requested_by_id:
        made = _("Made %(time)s for %(person)s.") % {"time": made_at, "person": dossier.requested_by}
    else:
        made = _("Made %(time)s.") % {"time": made_at}
    title = _("Application dossier %(reference)s") % {"reference": reference}
    story = [pdf.title(title), _facts(application)]
    for section in SECTIONS:
        story += section(application)
    story += [pdf.space(6), pdf.paragraph(made, pdf.STYLES.small)]
    return pdf.document_pdf(
        story,
        title=title,
        author=str(application.programme.provider),
        subject=application.programme.title,
        margin_y=18,
        footer=lambda page: (
            _("%(reference)s · %(name)s · confidential, for the programme's staff")
            % {"reference": reference, "name": name},
            _("Summary page %(page)s · made %(time)s") % {"page": page, "time": made_at},
        ),
    )
