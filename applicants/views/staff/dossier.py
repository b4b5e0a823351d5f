"""The PDF dossier of an application: started from the application page, followed while a worker
builds it, then downloaded. Every step checks that the user works on the application's programme."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from applicants.access import staff_application_for_user
from applicants.models import Dossier
from applicants.services.dossier import dossier_download_record, dossier_request
from applicants.views.staff.mixins import staff_required
from portal.downloads import private_download


def _dossier_for_staff(user, uuid) -> Dossier:
    """Dossier `uuid` if `user` may see its application as staff; Http404 otherwise (whether or not it exists)."""
    dossier = Dossier.objects.filter(uuid=uuid).select_related("requested_by").first()
    if dossier is None:
        raise Http404("No such page.")
    dossier.application = staff_application_for_user(user, dossier.application.uuid)
    return dossier


@staff_required
@require_POST
def dossier_start(request, uuid):
    application = staff_application_for_user(request.user, uuid)
    dossier = dossier_request(application=application, by=request.user)
    return redirect(dossier.get_absolute_url())


@staff_required
@require_GET
@never_cache
def dossier_page(request, uuid):
    dossier = _dossier_for_staff(request.user, uuid)
    return render(request, "staff/dossier.html", {"dossier": dossier, "application": dossier.application})


@staff_required
@require_GET
@never_cache
def dossier_status(request, uuid):
    """The progress fragment the dossier page polls (htmx) until the file is ready or failed."""
    dossier = _dossier_for_staff(request.user, uuid)
    return render(request, "staff/_dossier_status.html", {"dossier": dossier, "application": dossier.application})


@staff_required
@require_GET
def dossier_download(request, uuid):
    dossier = _dossier_for_staff(request.user, uuid)
    response = private_download(dossier.file, filename=_dossier_filename(dossier), content_type="application/pdf")
    dossier_download_record(dossier=dossier, by=request.user)
    return response


def _dossier_filename(dossier: Dossier) -> str:
    reference = dossier.application.reference or "draft"
    return f"dossier-{reference}-{dossier.finished_at or dossier.created_at:%Y-%m-%d}.pdf"
