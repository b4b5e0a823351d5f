"""The trainee's certificate (its progress while a worker writes it, the download) and the public page
where anyone holding one checks it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from placements.training import access
from placements.training.enums import CertificateStatus
from placements.training.models import Certificate
from placements.training.services.certificates import (
    certificate_problems,
    certificate_request,
    certificate_verification,
)
from portal.downloads import private_download
from portal.security.unlisted import unlisted


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def certificate_page(request, uuid):
    """The certificate of the trainee's application: why not yet, its progress, or the download. A POST
    asks for it (again, after a failure)."""
    application = access.trainee_application(request.user, uuid)
    certificate = Certificate.objects.filter(application=application).first()
    problems = certificate_problems(application)
    if request.method == "POST":
        if problems:
            messages.error(request, " ".join(problems))
        elif certificate is None or certificate.status == CertificateStatus.FAILED:
            certificate_request(application=application)
        return redirect(request.path)
    context = {"application": application, "certificate": certificate, "problems": problems}
    return render(request, "training/certificate.html", context)


@login_required
@require_GET
@never_cache
def certificate_status(request, uuid):
    """The progress fragment the certificate page polls (htmx) until the PDF is ready or failed."""
    application = access.trainee_application(request.user, uuid)
    certificate = Certificate.objects.filter(application=application).first()
    if certificate is None:
        raise Http404("No such page.")
    return render(
        request, "training/_certificate_status.html", {"application": application, "certificate": certificate}
    )


@login_required
@require_GET
def certificate_download(request, uuid):
    application = access.trainee_application(request.user, uuid)
    certificate = Certificate.objects.filter(application=application, status=CertificateStatus.READY).first()
    if certificate is None:
        raise Http404("No such file.")
    filename = f"certificate-{application.reference or application.uuid}.pdf"
    return private_download(certificate.file, filename=filename, content_type="application/pdf")


@unlisted
@require_GET
@never_cache
def certificate_verify(request, code):
    """Public: whether the certificate with `code` is genuine and valid, with the name, programme and
    dates (nothing else); a 404 for any other code."""
    verification = certificate_verification(code)
    if verification is None:
        raise Http404("No such certificate.")
    return render(request, "training/certificate_verify.html", {"verification": verification})
