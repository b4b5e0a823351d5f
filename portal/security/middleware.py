"""Middleware of the security rules; see MIDDLEWARE in portal/settings.py for where each one sits."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _

from portal.security.audit import log_refused
from portal.security.mfa import has_totp, mfa_required_for_request
from portal.security.roles import is_privileged_request
from portal.security.sessions import keep_staff_session_alive

SENSITIVE_PREFIXES = ("/me/", "/staff/", "/accounts/", "/admin/")

# What a staff member without an authenticator app may still open: setting one up (which may
# ask for the password again or for a confirmed e-mail address first) and signing out.
MFA_SETUP_URL_NAMES = {
    "account_logout",
    "account_reauthenticate",
    "account_email",
    "account_confirm_email",
    "account_email_verification_sent",
    "healthz",
    "set_language",
}
MFA_REQUIRED_MESSAGE = _(
    "Your account can see applicants' personal data, so it needs two-factor authentication. "
    "Set up an authenticator app on your phone to continue."
)


class SensitivePagesNotStoredMiddleware:
    """`Cache-Control: no-store, private` on every page for a signed-in person and on account,
    applicant, staff and admin pages, unless the view already said no-store."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        sensitive = request.path_info.startswith(SENSITIVE_PREFIXES) or request.user.is_authenticated
        if sensitive and "no-store" not in response.get("Cache-Control", ""):
            patch_cache_control(response, no_store=True, private=True)
        return response


class StaffSessionTimeoutMiddleware:
    """Staff and coordinators are signed out after STAFF_SESSION_IDLE_SECONDS without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_privileged_request(request):
            keep_staff_session_alive(request)
        return self.get_response(request)


class StaffTwoFactorRequiredMiddleware:
    """Sends staff and coordinators without an authenticator app to its set-up page, whatever they
    ask for (when MFA_REQUIRED_FOR_STAFF is on)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and mfa_required_for_request(request)
            and not has_totp(request, request.user)  # kept in the session: asked before resolving the path
            and not self._is_setup_page(request.path_info)
        ):
            return self._to_setup(request)
        return self.get_response(request)

    @staticmethod
    def _is_setup_page(path: str) -> bool:
        if path.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(path)
        except Resolver404:
            return False
        return match.url_name in MFA_SETUP_URL_NAMES or (match.url_name or "").startswith("mfa_")

    @staticmethod
    def _to_setup(request):
        url = reverse("mfa_activate_totp")
        if request.headers.get("HX-Request"):
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        if request.method == "GET":
            messages.warning(request, MFA_REQUIRED_MESSAGE)
        return redirect(url)


class RefusalLogMiddleware:
    """A PermissionDenied raised by a view goes to the security log (scoped 404s call log_refused)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            log_refused(
                request, f"permission denied in {request.resolver_match.view_name if request.resolver_match else '-'}"
            )
        return None
