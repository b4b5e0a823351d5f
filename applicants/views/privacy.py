"""The privacy pages: the notice, the applicant's data export, deleting one's account."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applicants.enums import WITHDRAWABLE_STATES
from applicants.errors import DomainError
from applicants.forms.privacy import AccountDeleteForm
from applicants.models import DataExport
from applicants.privacy.data_export import EXPORT_LIFETIME, data_export_request
from applicants.privacy.erasure import account_erasable, applicant_erase
from applicants.services.notices import privacy_notice_current
from portal.downloads import private_download
from portal.security.audit import log_event


@require_GET
def privacy_notice(request):
    return render(request, "applicants/privacy/notice.html", {"notice": privacy_notice_current()})


# --- data export ---------------------------------------------------------------------------------


def _export_for_user(user, uuid) -> DataExport:
    """Only its owner ever sees an export, administrators included; anyone else gets a 404."""
    try:
        return DataExport.objects.get(uuid=uuid, applicant=user)
    except DataExport.DoesNotExist:
        raise Http404("No such page.") from None


@login_required
@require_POST
def data_export_start(request):
    export = data_export_request(user=request.user)
    return redirect(export.get_absolute_url())


@login_required
@require_GET
@never_cache
def data_export_page(request, uuid):
    export = _export_for_user(request.user, uuid)
    return render(
        request,
        "applicants/privacy/export.html",
        {"export": export, "lifetime_days": EXPORT_LIFETIME.days},
    )


@login_required
@require_GET
@never_cache
def data_export_status(request, uuid):
    """The progress fragment the export page polls (htmx) until the archive is ready or failed."""
    export = _export_for_user(request.user, uuid)
    return render(request, "applicants/privacy/_export_status.html", {"export": export})


@login_required
@require_GET
def data_export_download(request, uuid):
    export = _export_for_user(request.user, uuid)
    filename = f"my-data-{export.created_at:%Y-%m-%d}.zip"
    return private_download(export.file, filename=filename, content_type="application/zip")


# --- deleting the account ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def account_delete(request):
    """Always the signed-in account: the page takes no id, so nobody can aim it at someone else."""
    user = request.user
    if not account_erasable(user):
        messages.error(request, _("Staff accounts are closed by an administrator, not from this page."))
        return redirect("applicants:dashboard")
    form = AccountDeleteForm(request.POST or None, user=user)
    if request.method == "POST":
        if not form.is_valid():
            if "password" in form.errors:
                log_event("account_delete_refused", request, user=user, reason="password")
        else:
            try:
                summary = applicant_erase(user=user)
            except DomainError as error:
                messages.error(request, str(error))
                return redirect("applicants:dashboard")
            log_event("account_erased", request, user=user, applications=summary.applications)
            logout(request)
            messages.success(request, _("Your account is deleted, and your personal data with it. Goodbye."))
            return redirect("home")
    return render(
        request,
        "applicants/privacy/delete_account.html",
        {
            "form": form,
            "open_applications": user.applications.filter(status__in=WITHDRAWABLE_STATES)
            .select_related("programme")
            .order_by("-created_at"),
        },
    )
