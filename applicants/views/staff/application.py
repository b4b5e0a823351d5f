"""One application as its coordinators see it, and what they do with it (every change goes through a
service, and so through the workflow for status changes)."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applicants import presenters, workflow
from applicants.access import staff_application_for_user
from applicants.enums import CheckStatus
from applicants.errors import DomainError
from applicants.forms.proposals import ProposalApproveForm, ProposalRefuseForm
from applicants.forms.staff import DecisionEmailForm, InternalNoteForm, RequestInfoForm, ReviewForm
from applicants.models import (
    Application,
    ApplicationComponent,
    Document,
    Event,
    HospitalProposal,
    InternalNote,
    Review,
)
from applicants.services.decisions import (
    DECISIONS,
    application_decide,
    application_request_info,
    application_start_review,
    decision_email_draft,
    internal_note_add,
)
from applicants.services.reviews import REVIEWABLE_STATES, review_save
from applicants.views.staff.mixins import staff_required, staff_scope_required
from portal.mail.selectors import email_logs_for

BUTTON_CLASSES = {"accept": "btn-success", "waitlist": "btn-warning", "reject": "btn-outline-danger"}
DECISION_DONE = {
    "accept": gettext_lazy("The application is accepted; the e-mail is on its way."),
    "waitlist": gettext_lazy("The application is on the waiting list; the e-mail is on its way."),
    "reject": gettext_lazy("The application is rejected; the e-mail is on its way."),
}
# The decision's button, the title of its page and the button that sends it, as whole phrases.
DECISION_TEXTS = {
    "accept": {"title": gettext_lazy("Accept"), "submit": gettext_lazy("Accept and send the e-mail")},
    "waitlist": {"title": gettext_lazy("Waitlist"), "submit": gettext_lazy("Waitlist and send the e-mail")},
    "reject": {"title": gettext_lazy("Reject"), "submit": gettext_lazy("Reject and send the e-mail")},
}

# Everything the page shows, in a fixed number of queries whatever the number of rows.
PAGE_QUERYSET = Application.objects.select_related("programme", "applicant__profile").prefetch_related(
    Prefetch(
        "components",
        queryset=ApplicationComponent.objects.select_related("offering__department__institution"),
    ),
    Prefetch("documents", queryset=Document.objects.select_related("document_type").prefetch_related("checks")),
    "programme__questions",
    "programme__rubric",
    Prefetch("reviews", queryset=Review.objects.select_related("reviewer").prefetch_related("scores")),
    Prefetch("notes", queryset=InternalNote.objects.select_related("author")),
    Prefetch("events", queryset=Event.objects.select_related("actor")),
    Prefetch("hospital_proposals", queryset=HospitalProposal.objects.select_related("specialization", "decided_by")),
)


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    title: str
    message: str
    actor: str
    internal: bool


@dataclass(frozen=True)
class ReviewCard:
    review: Review
    scores: list[tuple[str, int | None]]  # (criterion, score) in the rubric's order
    is_mine: bool


def page_url(application: Application) -> str:
    return reverse("staff:application", kwargs={"uuid": application.uuid})


def _timeline(application: Application) -> list[TimelineEntry]:
    """Every event, internal ones included, with the name of whoever caused it."""
    return [
        TimelineEntry(
            at=event.created_at,
            title=presenters.event_title(event),
            message=event.message,
            actor=str(event.actor) if event.actor_id else _("System"),
            internal=event.internal,
        )
        for event in application.events.all()
    ]


def _review_cards(application: Application, criteria, user) -> list[ReviewCard]:
    cards = []
    for review in application.reviews.all():
        given = {score.criterion_id: score.score for score in review.scores.all()}
        cards.append(
            ReviewCard(
                review=review,
                scores=[(criterion.name, given.get(criterion.pk)) for criterion in criteria],
                is_mine=review.reviewer_id == user.pk,
            )
        )
    return cards


def _checks(documents) -> list[tuple[str, object]]:
    """The automatic checks of all documents, warnings first."""
    found = [(document.document_type.name, check) for document in documents for check in document.checks.all()]
    return sorted(found, key=lambda item: item[1].status != CheckStatus.WARN)


def _render_page(request, application: Application, *, scope: list[int] | None = None, **forms):
    """The page; `forms` replaces a blank form by a bound one that has errors; `scope`: the
    programmes the user coordinates, when the staff check has read them."""
    role = workflow.role_of(request.user, application, coordinated=scope)
    actions = {t.name: t for t in workflow.available(application, role)}
    criteria = list(application.programme.rubric.all())
    documents = list(application.documents.all())
    components = list(application.components.all())
    reviews = _review_cards(application, criteria, request.user)
    my_review = next((card.review for card in reviews if card.is_mine), None)
    can_review = bool(criteria) and application.status in REVIEWABLE_STATES and role in workflow.STAFF
    if can_review and "review_form" not in forms:
        forms["review_form"] = ReviewForm(criteria=criteria, review=my_review)
    forms.setdefault("request_info_form", RequestInfoForm())
    forms.setdefault("note_form", InternalNoteForm())
    forms.setdefault("approve_form", ProposalApproveForm())
    forms.setdefault("refuse_form", ProposalRefuseForm())
    context = {
        "application": application,
        "applicant": application.applicant,
        "profile": getattr(application.applicant, "profile", None),
        "badge": presenters.status_badge(application.status),
        "components": components,
        "total_weeks": sum(c.weeks for c in components),
        "answers": presenters.answer_rows(application),
        "documents": documents,
        "checks": _checks(documents),
        "criteria": criteria,
        "reviews": reviews,
        "can_review": can_review,
        "my_review": my_review,
        "notes": application.notes.all(),
        "proposals": application.hospital_proposals.all(),
        "can_decide_proposals": role in workflow.STAFF,
        "timeline": _timeline(application),
        "email_logs": list(email_logs_for(application)),
        "can_start_review": "start_review" in actions,
        "can_request_info": "request_info" in actions,
        "decisions": [
            {
                "name": name,
                "label": DECISION_TEXTS.get(name, {}).get("title", actions[name].label),
                "css": BUTTON_CLASSES.get(name, "btn-outline-secondary"),
            }
            for name in DECISIONS
            if name in actions
        ],
        **forms,
    }
    return render(request, "staff/application.html", context)


def _page_application(request, uuid) -> Application:
    return staff_application_for_user(request.user, uuid, queryset=PAGE_QUERYSET)


@staff_scope_required
@require_GET
def application_page(request, uuid, scope):
    return _render_page(request, _page_application(request, uuid), scope=scope)


@staff_required
@require_POST
def application_start_review_view(request, uuid):
    application = staff_application_for_user(request.user, uuid)
    try:
        with transaction.atomic():
            application_start_review(application=application, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The application is now in review."))
    return redirect(page_url(application))


@staff_required
@require_POST
def application_request_info_view(request, uuid):
    application = staff_application_for_user(request.user, uuid)
    form = RequestInfoForm(request.POST)
    if not form.is_valid():
        return _render_page(request, _page_application(request, uuid), request_info_form=form)
    try:
        with transaction.atomic():
            application_request_info(application=application, by=request.user, message=form.cleaned_data["message"])
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The applicant has been asked for more information and will get an e-mail."))
    return redirect(page_url(application))


@staff_required
@require_http_methods(["GET", "POST"])
def application_decide_view(request, uuid, decision):
    """The decision e-mail prefilled from its template, edited by the coordinator, sent with the decision."""
    if decision not in DECISIONS:
        raise Http404("No such page.")
    application = staff_application_for_user(
        request.user, uuid, queryset=Application.objects.select_related("programme", "applicant")
    )
    spec = workflow.TRANSITIONS[decision]
    if request.method == "POST":
        form = DecisionEmailForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    application_decide(
                        application=application,
                        by=request.user,
                        name=decision,
                        subject=form.cleaned_data["subject"],
                        body=form.cleaned_data["body"],
                    )
            except DomainError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, DECISION_DONE.get(decision) or _("Done."))
            return redirect(page_url(application))
    else:
        role = workflow.role_of(request.user, application)
        if spec not in workflow.available(application, role):
            status = application.get_status_display().lower()
            messages.error(
                request,
                _("“%(action)s” is not possible while the application is %(status)s.")
                % {"action": DECISION_TEXTS[decision]["title"], "status": status},
            )
            return redirect(page_url(application))
        subject, body = decision_email_draft(application=application, name=decision)
        form = DecisionEmailForm(initial={"subject": subject, "body": body})
    return render(
        request,
        "staff/application_decide.html",
        {"application": application, "decision": decision, "texts": DECISION_TEXTS[decision], "form": form},
    )


@staff_required
@require_POST
def application_review_view(request, uuid):
    application = _page_application(request, uuid)
    criteria = list(application.programme.rubric.all())
    mine = next((r for r in application.reviews.all() if r.reviewer_id == request.user.pk), None)
    form = ReviewForm(request.POST, criteria=criteria, review=mine)
    if not form.is_valid():
        messages.error(request, _("The review was not saved; see the marked fields."))
        return _render_page(request, application, review_form=form)
    try:
        review_save(
            application=application,
            reviewer=request.user,
            scores=form.scores(),
            comment=form.cleaned_data["comment"],
            recommendation=form.cleaned_data["recommendation"],
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your review is saved."))
    return redirect(page_url(application) + "#reviews")


@staff_required
@require_POST
def application_note_view(request, uuid):
    application = staff_application_for_user(request.user, uuid)
    form = InternalNoteForm(request.POST)
    if not form.is_valid():
        return _render_page(request, _page_application(request, uuid), note_form=form)
    try:
        internal_note_add(application=application, author=request.user, text=form.cleaned_data["text"])
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The note is saved."))
    return redirect(page_url(application) + "#notes")
