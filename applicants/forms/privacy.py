from django import forms
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

# Wrong passwords allowed on the deletion page per account before it waits (the session may be a
# stolen one: it must not become a password oracle).
MAX_PASSWORD_FAILURES = 5
FAILURE_WINDOW_SECONDS = 15 * 60


def _failures_key(user) -> str:
    return f"privacy:delete-account:failures:{user.pk}"


class AccountDeleteForm(forms.Form):
    """Deleting one's account: the password again (re-authentication) and an explicit confirmation."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To make sure it is you."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account, my documents and my answers are deleted for good."),
        error_messages={"required": _("Tick this box to confirm that you want your account deleted.")},
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        key = _failures_key(self.user)
        if (cache.get(key) or 0) >= MAX_PASSWORD_FAILURES:
            raise forms.ValidationError(_("Too many wrong passwords. Wait a quarter of an hour and try again."))
        if not self.user.check_password(password):
            cache.add(key, 0, FAILURE_WINDOW_SECONDS)
            cache.incr(key)
            raise forms.ValidationError(_("That is not your password."))
        cache.delete(key)
        return password
