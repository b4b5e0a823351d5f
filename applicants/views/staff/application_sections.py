"""The two further pages of an application for its coordinators, beside the overview: the reviews
with the internal notes (where the staff assess it) and its history (the timeline and every e-mail
sent about it). Each page fetches only what it shows, in a fixed number of queries."""

from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applicants import presenters, workflow
from applicants.access import staff_application_for_user
from applicants.errors import DomainError
from applicants.forms.staff import InternalNoteForm, ReviewForm
from applicants.models import Application, Event, InternalNote, Review
from applicants.services.decisions import internal_note_add
from applicants.services.reviews import REVIEWABLE_STATES, review_save
from applicants.views.staff.application import header_context
from applicants.views.staff.mixins import staff_required, staff_scope_required
from portal.mail.selectors import email_logs_for

REVIEWS_QUERYSET = Application.objects.select_related("programme", "applicant").prefetch_related(
    "programme__rubric",
    Prefetch("reviews", queryset=Review.objects.select_related("reviewer").prefetch_related("scores")),
    Prefetch("notes", queryset=InternalNote.objects.select_related("author")),
)
HISTORY_QUERYSET = Application.objects.select_related("programme", "applicant").prefetch_related(
    Prefetch("events", queryset=Event.objects.select_related("actor")),
)


@dataclass(frozen=True)
class ReviewCard:
    review: Review
    scores: list[tuple[str, int | None]]  # (criterion, score) in the rubric's order
    is_mine: bool


def reviews_url(application: Application) -> str:
    return reverse("staff:application_reviews", kwargs={"uuid": application.uuid})


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


def _timeline(application: Application) -> list[presenters.TimelineEntry]:
    """Every event, internal ones included, with the name of whoever caused it."""
    return [
        presenters.TimelineEntry(
            at=event.created_at,
            title=presenters.event_title(event),
            message=event.message,
            actor=str(event.actor) if event.actor_id else _("System"),
            internal=event.internal,
        )
        for event in application.events.all()
    ]


def _render_reviews(request, application: Application, *, scope: list[int] | None = None, **forms):
    """The reviews page; `forms` replaces a blank form by a bound one that has errors."""
    role = workflow.role_of(request.user, application, coordinated=scope)
    criteria = list(application.programme.rubric.all())
    reviews = _review_cards(application, criteria, request.user)
    my_review = next((card.review for card in reviews if card.is_mine), None)
    can_review = bool(criteria) and application.status in REVIEWABLE_STATES and role in workflow.STAFF
    if can_review and "review_form" not in forms:
        forms["review_form"] = ReviewForm(criteria=criteria, review=my_review)
    forms.setdefault("note_form", InternalNoteForm())
    context = {
        **header_context(application, "staff:application_reviews"),
        "criteria": criteria,
        "reviews": reviews,
        "can_review": can_review,
        "my_review": my_review,
        "notes": application.notes.all(),
        **forms,
    }
    return render(request, "staff/application_reviews.html", context)


@staff_scope_required
@require_GET
def application_reviews_page(request, uuid, scope):
    application = staff_application_for_user(request.user, uuid, queryset=REVIEWS_QUERYSET, scope=scope)
    return _render_reviews(request, application, scope=scope)


@staff_scope_required
@require_GET
def application_history_page(request, uuid, scope):
    application = staff_application_for_user(request.user, uuid, queryset=HISTORY_QUERYSET, scope=scope)
    context = {
        **header_context(application, "staff:application_history"),
        "timeline": _timeline(application),
        "email_logs": list(email_logs_for(application)),
    }
    return render(request, "staff/application_history.html", context)


@staff_required
@require_POST
def application_review_view(request, uuid):
    application = staff_application_for_user(request.user, uuid, queryset=REVIEWS_QUERYSET)
    criteria = list(application.programme.rubric.all())
    mine = next((r for r in application.reviews.all() if r.reviewer_id == request.user.pk), None)
    form = ReviewForm(request.POST, criteria=criteria, review=mine)
    if not form.is_valid():
        messages.error(request, _("The review was not saved; see the marked fields."))
        return _render_reviews(request, application, review_form=form)
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
    return redirect(reviews_url(application) + "#reviews")


@staff_required
@require_POST
def application_note_view(request, uuid):
    application = staff_application_for_user(request.user, uuid)
    form = InternalNoteForm(request.POST)
    if not form.is_valid():
        page = staff_application_for_user(request.user, uuid, queryset=REVIEWS_QUERYSET)
        return _render_reviews(request, page, note_form=form)
    try:
        internal_note_add(application=application, author=request.user, text=form.cleaned_data["text"])
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The note is saved."))
    return redirect(reviews_url(application) + "#notes")
