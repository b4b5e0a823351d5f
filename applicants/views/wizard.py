"""The application wizard: one page per step, each saved on POST so that a draft can be left and resumed.

Views stay thin: fetch the owner's application through the selectors (404 for anyone else), bind a
form, call the service in a transaction, and show a refused action or a broken rule next to the
field it concerns. A draft is saved even when it breaks a catalogue rule; the review step lists what
still blocks submitting.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applicants import selectors
from applicants.enums import WizardStepState
from applicants.errors import DomainError
from applicants.forms.profile import ApplicantProfileForm
from applicants.forms.wizard import (
    ComponentsForm,
    ConsentForm,
    DatesForm,
    DocumentUploadForm,
    EligibilityForm,
    IntakeForm,
)
from applicants.models import Application
from applicants.services import applications as services
from applicants.services.document_checks import document_check_confirm
from applicants.services.documents import document_checks_rerun, document_delete, document_upload
from applicants.services.notices import privacy_notice_current
from applicants.services.proposals import hospital_proposal_save, hospital_proposal_withdraw
from placements.catalogue.validation import earliest_start, intake_open_on, intakes_closed, period_weeks

CONTINUE, LEAVE = "continue", "leave"
DATES_DO_NOT_FIT = gettext_lazy("Your dates are saved, but they do not fit the programme’s rules yet.")
SAVED_FOR_LATER = gettext_lazy("Your draft is saved. You can come back to it at any time from “My applications”.")


def _step_url(application: Application, step: str) -> str:
    return reverse("applicants:wizard_step", kwargs={"uuid": application.uuid, "step": step})


def _next_step(step: str) -> str:
    index = selectors.STEP_NAMES.index(step)
    return selectors.STEP_NAMES[min(index + 1, len(selectors.STEP_NAMES) - 1)]


def _after_save(request, application: Application, step: str):
    """Where "Save and continue" and "Save and leave" go once the step is saved."""
    if request.POST.get("action") == LEAVE:
        messages.success(request, SAVED_FOR_LATER)
        return redirect("applicants:dashboard")
    return redirect(_step_url(application, _next_step(step)))


def _render(request, application: Application, step: str, context: dict) -> HttpResponse:
    states = selectors.step_states(application)
    index = selectors.STEP_NAMES.index(step)
    steps = [
        {
            "name": name,
            "label": label,
            "state": states[name],
            "current": name == step,
            "url": _step_url(application, name),
        }
        for name, label in selectors.STEPS
    ]
    previous = selectors.STEP_NAMES[index - 1] if index else None
    return render(
        request,
        f"applicants/wizard/{step}.html",
        {
            "application": application,
            "programme": application.programme,
            "step": step,
            "steps": steps,
            "step_number": index + 1,
            "step_count": len(steps),
            "done_count": sum(1 for s in steps if s["state"] == WizardStepState.DONE),
            "previous_url": _step_url(application, previous) if previous else None,
            **context,
        },
    )


# --- starting -------------------------------------------------------------------------------------


@login_required
@require_POST
def application_apply(request, programme_slug):
    """Start a draft for the programme, or resume the open draft, at its first unfinished step."""
    programme = selectors.programme_to_apply(slug=programme_slug)
    try:
        application = services.application_start(applicant=request.user, programme=programme)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect(programme.get_absolute_url())
    application = selectors.wizard_application(request.user, application.uuid)
    return redirect(_step_url(application, selectors.first_unfinished_step(application)))


# --- the steps ------------------------------------------------------------------------------------


def _profile_step(request, application: Application):
    user = request.user
    profile = getattr(user, "profile", None)
    form = ApplicantProfileForm(request.POST or None, instance=profile, user=user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        return _after_save(request, application, "profile")
    return _render(request, application, "profile", {"form": form})


def _eligibility_step(request, application: Application):
    form = EligibilityForm(request.POST or None, programme=application.programme, application=application)
    if request.method == "POST" and form.is_valid():
        answers = form.answers()
        with transaction.atomic():
            services.application_save_answers(application=application, answers=answers)
        violations = selectors.answer_violations(application, answers)
        if not violations or request.POST.get("action") == LEAVE:
            return _after_save(request, application, "eligibility")
        form.add_violations(violations)
        messages.warning(request, _("Your answers are saved, but please look at the questions marked below."))
    return _render(request, application, "eligibility", {"form": form})


def _save_proposals(application: Application, proposals) -> None:
    for group, proposal in proposals:
        if proposal is None:
            hospital_proposal_withdraw(application=application, group=group)
        else:
            hospital_proposal_save(application=application, group=group, proposal=proposal)


def _components_step(request, application: Application):
    form = ComponentsForm(request.POST or None, programme=application.programme, application=application)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.application_save_components(application=application, components=form.components())
                _save_proposals(application, form.proposals())
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            application = selectors.wizard_application(request.user, application.uuid)
            violations = selectors.component_violations(application)
            if not violations or request.POST.get("action") == LEAVE:
                return _after_save(request, application, "components")
            form.add_violations(violations)
            messages.warning(request, _("Your choice is saved, but it does not fit the programme’s rules yet."))
    return _render(request, application, "components", {"form": form})


def _save_dates(request, application: Application, start, end) -> list:
    """Save the requested period (a letter is checked against it again); the date rules it breaks."""
    with transaction.atomic():
        services.application_save_dates(application=application, start=start, end=end)
        document_checks_rerun(application=application)
    application = selectors.wizard_application(request.user, application.uuid)
    return selectors.date_violations(application)


def _intake_dates_step(request, application: Application):
    """A programme with intakes: the open intake's period is offered, or why none is open."""
    programme = application.programme
    intake = intake_open_on(programme, timezone.localdate())
    form = IntakeForm(request.POST or None, intake=intake) if intake else None
    if form is not None and request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["intake"]
        violations = _save_dates(request, application, chosen.starts_on, chosen.ends_on)
        if not violations or request.POST.get("action") == LEAVE:
            return _after_save(request, application, "dates")
        form.add_violations(violations)
        messages.warning(request, DATES_DO_NOT_FIT)
    context = {"form": form, "intake": intake, "closed": intakes_closed(programme, timezone.localdate())}
    return _render(request, application, "dates", context)


def _dates_step(request, application: Application):
    if application.programme.intakes.all():
        return _intake_dates_step(request, application)
    earliest = earliest_start(application.programme, timezone.localdate())
    initial = {"start_date": application.start_date, "end_date": application.end_date}
    form = DatesForm(request.POST or None, initial=initial, earliest=earliest)
    if request.method == "POST" and form.is_valid():
        start, end = form.cleaned_data["start_date"], form.cleaned_data["end_date"]
        violations = _save_dates(request, application, start, end)
        if not violations or request.POST.get("action") == LEAVE:
            return _after_save(request, application, "dates")
        form.add_violations(violations)
        messages.warning(request, DATES_DO_NOT_FIT)
    chosen_weeks = sum(c.weeks for c in application.components.all())
    return _render(request, application, "dates", {"form": form, "earliest": earliest, "chosen_weeks": chosen_weeks})


def _upload_forms(application: Application, data=None, files=None) -> list[tuple]:
    return [
        (slot, DocumentUploadForm(data, files, item=slot.item, has_file=slot.document is not None))
        for slot in selectors.document_slots(application)
    ]


def _documents_context(application: Application, slots_and_forms: list[tuple]) -> dict:
    return {
        "slots": slots_and_forms,
        "any_pending": any(slot.pending for slot, _form in slots_and_forms),
        "editable": application.is_draft,
    }


def _delete_document(request, application: Application, document_uuid: str):
    document = next((d for d in application.documents.all() if str(d.uuid) == document_uuid), None)
    if document is None:
        raise Http404("No such document.")
    try:
        with transaction.atomic():
            document_delete(document=document, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        message = _("%(document)s: %(file)s is deleted.") % {
            "document": document.document_type.name,
            "file": document.original_name,
        }
        messages.success(request, message)
    return redirect(_step_url(application, "documents"))


def _documents_step(request, application: Application):
    if request.method == "POST" and request.POST.get("delete"):
        return _delete_document(request, application, request.POST["delete"])
    if request.method != "POST":
        return _render(request, application, "documents", _documents_context(application, _upload_forms(application)))

    refused: dict[int, DocumentUploadForm] = {}  # programme document id -> its form with the reason
    for slot, form in _upload_forms(application, request.POST, request.FILES):
        if not form.is_valid():
            refused[slot.item.pk] = form
            continue
        upload = form.cleaned_data["file"]
        if not upload:
            continue
        try:
            with transaction.atomic():
                document = document_upload(
                    application=application, document_type=slot.item.document_type, upload=upload, by=request.user
                )
        except DomainError as error:
            form.add_error("file", str(error))
            refused[slot.item.pk] = form
        else:
            name = slot.item.document_type.name
            message = _("%(document)s: %(file)s is uploaded and being checked.") % {
                "document": name,
                "file": document.original_name,
            }
            messages.success(request, message)
    if refused:
        # Show the list as it is now (other files may have gone through) with each refusal at its field.
        application = selectors.wizard_application(request.user, application.uuid)
        forms = [(slot, refused.get(slot.item.pk, form)) for slot, form in _upload_forms(application)]
        return _render(request, application, "documents", _documents_context(application, forms))
    if request.POST.get("action") in (CONTINUE, LEAVE):
        return _after_save(request, application, "documents")
    return redirect(_step_url(application, "documents"))


def _confirm_check(request, application: Application, check_id: str):
    """The applicant's word that a blocking finding on one of their documents is mistaken."""
    checks = [c for slot in selectors.document_slots(application) for c, _claim in slot.blocking]
    check = next((c for c in checks if str(c.pk) == check_id), None)
    if check is None:
        raise Http404("No such check.")
    try:
        with transaction.atomic():
            document_check_confirm(check=check, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        message = _("%(document)s: your confirmation is saved.") % {"document": check.document.document_type.name}
        messages.success(request, message)
    return redirect(_step_url(application, "review") + "#review-documents")


def _review_step(request, application: Application):
    if request.method == "POST" and request.POST.get("confirm_check"):
        return _confirm_check(request, application, request.POST["confirm_check"])
    notice = privacy_notice_current()
    form = ConsentForm(request.POST or None, application=application, notice=notice)
    if request.method == "POST" and form.is_valid():
        consent = form.cleaned_data["consent"]
        action = request.POST.get("action")
        if action == "submit" and not consent:
            form.add_error("consent", _("Tick this box to give your consent; without it we cannot process your data."))
        else:
            with transaction.atomic():
                services.application_give_consent(application=application, consent=consent)
            if action != "submit":
                return _after_save(request, application, "review")
            try:
                with transaction.atomic():
                    services.application_submit(application=application, by=request.user)
            except DomainError as error:  # TransitionNotAllowed included
                messages.error(request, _("Your application is not submitted yet. %(reason)s") % {"reason": error})
                return redirect(_step_url(application, "review"))
            reference = application.reference
            message = _("Your application is submitted as %(reference)s; a confirmation is on its way.")
            messages.success(request, message % {"reference": reference})
            return redirect(application.get_absolute_url())
    components = list(application.components.select_related("offering__department__institution"))
    context = {
        "form": form,
        "problems": selectors.submission_problems(application),
        "slots": selectors.document_slots(application),
        "components": components,
        "total_weeks": sum(c.weeks for c in [*components, *application.hospital_proposals.all()]),
        "answers": [
            (question, (application.answers or {}).get(str(question.pk)))
            for question in application.programme.questions.all()
        ],
        "notice": notice,
        "profile": getattr(request.user, "profile", None),
        "period_weeks": (
            period_weeks(application.start_date, application.end_date)
            if application.start_date and application.end_date and application.start_date <= application.end_date
            else None
        ),
    }
    return _render(request, application, "review", context)


STEP_VIEWS = {
    "profile": _profile_step,
    "eligibility": _eligibility_step,
    "components": _components_step,
    "dates": _dates_step,
    "documents": _documents_step,
    "review": _review_step,
}


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def wizard_step(request, uuid, step):
    """One step of the owner's draft; a submitted application shows its own page instead."""
    if step not in STEP_VIEWS:
        raise Http404("No such step.")
    application = selectors.wizard_application(request.user, uuid)
    if not application.is_draft:
        return redirect(application.get_absolute_url())
    return STEP_VIEWS[step](request, application)


@never_cache
@login_required
@require_GET
def wizard_documents_status(request, uuid):
    """The documents list alone, polled by the documents step while a file is being checked."""
    application = selectors.documents_application(request.user, uuid)
    forms = _upload_forms(application)
    context = {"application": application, **_documents_context(application, forms)}
    return render(request, "applicants/wizard/_documents.html", context)
