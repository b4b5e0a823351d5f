"""One application as its coordinators see it, and what they do with it (every change goes through a
service, and so through the workflow for status changes)."""

from django.contrib import messages
from django.db import transaction
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
from applicants.forms.staff import DecisionEmailForm, RequestInfoForm
from applicants.models import (
    Application,
)
from applicants.selectors_application import hospital_proposals, overview_application, stay_rows
from applicants.services.decisions import (
    DECISIONS,
    application_decide,
    application_request_info,
    application_start_review,
    decision_email_draft,
)
from applicants.views.staff.mixins import staff_required, staff_scope_required

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


def page_url(application: Application) -> str:
    return reverse("staff:application", kwargs={"uuid": application.uuid})


def _checks(documents) -> list[tuple[str, object]]:
    """The automatic checks of all documents, warnings first."""
    found = [(document.document_type.name, check) for document in documents for check in document.checks.all()]
    return sorted(found, key=lambda item: item[1].status != CheckStatus.WARN)


# The pages of one application, as tabs under its heading: (URL name, label).
PAGES = (
    ("staff:application", gettext_lazy("Application")),
    ("staff:application_reviews", gettext_lazy("Reviews and notes")),
    ("staff:application_history", gettext_lazy("Timeline and e-mails")),
)


def header_context(application: Application, current: str) -> dict:
    """What the pages of an application share: its heading, its status and the tabs; `current` is
    the URL name of the page shown."""
    kwargs = {"uuid": application.uuid}
    return {
        "application": application,
        "applicant": application.applicant,
        "badge": presenters.status_badge(application.status),
        "tabs": [
            {"url": reverse(name, kwargs=kwargs), "label": label, "current": name == current} for name, label in PAGES
        ],
    }


def _render_page(request, uuid, *, scope: list[int] | None = None, **forms):
    """The overview; `forms` replaces a blank form by a bound one that has errors; `scope`: the
    programmes the user coordinates, when the staff check has read them."""
    application, facts = overview_application(request.user, uuid, scope)
    role = workflow.role_of(request.user, application, coordinated=scope)
    actions = {t.name: t for t in workflow.available(application, role)}
    documents = list(application.documents.all())
    stay = stay_rows(application, facts)
    proposals = hospital_proposals(application, facts)
    if "request_info" in actions:
        forms.setdefault("request_info_form", RequestInfoForm())
    if proposals:
        forms.setdefault("approve_form", ProposalApproveForm())
        forms.setdefault("refuse_form", ProposalRefuseForm())
    context = {
        **header_context(application, "staff:application"),
        "profile": getattr(application.applicant, "profile", None),
        "components": stay,
        "total_weeks": sum(row.weeks for row in stay),
        "answers": presenters.answer_rows(application, facts.questions),
        "documents": documents,
        "checks": _checks(documents),
        "proposals": proposals,
        "can_decide_proposals": role in workflow.STAFF,
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


@staff_scope_required
@require_GET
def application_page(request, uuid, scope):
    return _render_page(request, uuid, scope=scope)


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
        return _render_page(request, uuid, request_info_form=form)
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
