"""allauth's account adapter, with password guesses left to django-axes."""

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request, **credentials):
        """Skip allauth's count of failed passwords per address across all IPs: axes counts them
        per address and IP (settings "Login throttling"), so that a stranger elsewhere cannot lock
        an address out. allauth's same count still limits wrong two-factor codes per person, and
        its "login" limit still caps sign-in attempts per IP."""
        self._login_failed_rl_usage = None
