"""The applicant's side of an offer: accepting, declining, the placement confirmation PDF, and the
public page where anyone holding a confirmation checks it."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applicants import access
from applicants.errors import DomainError
from applicants.models import Application
from placements.allocation import rules
from placements.allocation.pdf import confirmation_filename, confirmation_pdf
from placements.allocation.queries.confirmations import confirmation_verification
from placements.allocation.queries.schedule import applicant_schedule
from placements.allocation.services.confirmations import confirmation_issue
from placements.allocation.services.lifecycle import offer_accept, offer_decline
from portal.security.unlisted import unlisted
from portal.text import plain_text


def _own_application(request, uuid) -> Application:
    """The signed-in applicant's own application; anyone else (staff included) gets a 404."""
    application = access.application_for_user(request.user, uuid)
    if application.applicant_id != request.user.pk:
        raise Http404("No such page.")
    return application


@login_required
@require_POST
def offer_accept_view(request, uuid):
    application = _own_application(request, uuid)
    try:
        offer_accept(application=application, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You accepted the placement. Your confirmation is ready to download."))
    return redirect(application.get_absolute_url())


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why are you declining? (optional)"),
        help_text=gettext_lazy("The coordinators will read this."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[plain_text],
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_decline_view(request, uuid):
    """A confirmation page first: declining cannot be undone and the seats go to someone else."""
    application = _own_application(request, uuid)
    if not rules.can_decline_offer(request.user, application):
        messages.info(request, _("There is no open offer to decline."))
        return redirect(application.get_absolute_url())
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            offer_decline(application=application, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("You declined the placement offer."))
        return redirect(application.get_absolute_url())
    return render(
        request,
        "placements/applicant/decline_confirm.html",
        {"application": application, "form": form, "schedule": applicant_schedule(application)},
    )


@login_required
@require_http_methods(["GET"])
def confirmation_download(request, uuid):
    """The placement confirmation, for the applicant and the programme's staff, once accepted."""
    application = access.application_for_user(
        request.user, uuid, queryset=Application.objects.select_related("programme__provider", "applicant")
    )
    if not rules.can_download_confirmation(request.user, application):
        raise Http404("No confirmation yet.")
    confirmation = confirmation_issue(application=application)
    verify_url = settings.SITE_URL + reverse("confirmation_verify", kwargs={"token": confirmation.token})
    response = HttpResponse(confirmation_pdf(application, verify_url=verify_url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{confirmation_filename(application)}"'
    return response


@unlisted
@require_GET
@never_cache
def confirmation_verify(request, token):
    """Public: whether the confirmation with `token` is genuine, with its reference, name and dates
    (nothing else about the person); a 404 for any other token."""
    verification = confirmation_verification(token)
    if verification is None:
        raise Http404("No such confirmation.")
    return render(request, "placements/confirmation_verify.html", {"verification": verification})
