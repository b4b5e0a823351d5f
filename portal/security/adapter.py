"""allauth's account adapter: password guesses left to django-axes, and where signing in lands."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.encoding import force_str
from django.utils.translation import gettext, gettext_noop

from portal.security.roles import landing_of

# ACCOUNT_EMAIL_SUBJECT_PREFIX, in the catalogue so that an account e-mail says it in its own language.
gettext_noop("[Placement portal] ")


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request, **credentials):
        """Skip allauth's count of failed passwords per address across all IPs: axes counts them
        per address and IP (settings "Login throttling"), so that a stranger elsewhere cannot lock
        an address out. allauth's same count still limits wrong two-factor codes per person, and
        its "login" limit still caps sign-in attempts per IP."""
        self._login_failed_rl_usage = None

    def get_client_ip(self, request) -> str:
        """The client's address; a request with fewer X-Forwarded-For entries than TRUSTED_PROXY_COUNT
        did not come through our proxies, so it has none we trust (refused, not a server error)."""
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            raise PermissionDenied("Unable to determine client IP address") from None

    def format_email_subject(self, subject: str) -> str:
        """The subject of an account e-mail after the portal's prefix, both in the e-mail's language."""
        prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
        if prefix is None:
            return super().format_email_subject(subject)
        return (gettext(prefix) if prefix else "") + force_str(subject)

    def send_account_already_exists_mail(self, email: str) -> None:
        """Tell the owner of `email` that someone tried to register it. A new account's password is
        hashed, which takes a noticeable time: hash one here too, so the answer comes as late."""
        make_password(get_random_string(20))
        super().send_account_already_exists_mail(email)

    def get_login_redirect_url(self, request) -> str:
        """Where signing in lands when no safe `next` says otherwise (allauth looks at that first):
        coordinators and admins in the staff area, a staff member who coordinates nothing in the
        admin, a registered role where it lands (a supervisor: their placements), applicants on their dashboard."""
        user = request.user
        if user.is_superuser or user.coordinated_programmes.exists():
            return reverse("staff:home")
        if user.is_staff:
            return reverse("admin:index")
        landing = landing_of(user)
        return reverse(landing or "applicants:dashboard")
