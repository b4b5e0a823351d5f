from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from applicants.forms.profile import ApplicantProfileForm
from applicants.models import ApplicantProfile


def _safe_next_url(request) -> str:
    """The `next` page asked for, when it stays on this site; otherwise ""."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile_edit(request):
    """The signed-in person's own applicant profile; the first save creates it."""
    profile = ApplicantProfile.objects.filter(user=request.user).first()
    next_url = _safe_next_url(request)
    if request.method == "POST":
        form = ApplicantProfileForm(request.POST, instance=profile, user=request.user)
        if form.is_valid():
            with transaction.atomic():
                form.save()
            messages.success(request, _("Your profile is saved."))
            return redirect(next_url or "applicants:profile")
        messages.error(request, _("Your profile is not saved yet: please correct the fields marked below."))
    else:
        form = ApplicantProfileForm(instance=profile, user=request.user)
    return render(request, "applicants/profile.html", {"form": form, "profile": profile, "next_url": next_url})
