from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    ReadOnlyPasswordHashWidget,
    SetUnusablePasswordMixin,
    UserChangeForm,
)
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.admin_widgets import KeyCheckingHistoryAdmin
from portal.mail.models import EmailLog, EmailStatus, EmailTemplate
from portal.mail.services import email_retry
from portal.models import User
from portal.text import PlainTextAdmin


class PasswordHashWidget(ReadOnlyPasswordHashWidget):
    """Django's summary of the password, without the `disabled` its field adds: a <div> takes none."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("disabled", None)
        return context


class UserForm(UserChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password" in self.fields:
            self.fields["password"].widget = PasswordHashWidget(attrs=self.fields["password"].widget.attrs)


class PasswordChangeForm(AdminPasswordChangeForm):
    """Django's form, its warning written as a phrase: the admin prints the help text inside a <p>."""

    usable_password_help_text = format_lazy(
        '{} <strong id="id_unusable_warning">{}</strong>',
        SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )


@admin.register(User)
class UserAdmin(PlainTextAdmin, BaseUserAdmin):
    form = UserForm
    change_password_form = PasswordChangeForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal"), {"fields": ("first_name", "last_name", "language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


# --- e-mail ----------------------------------------------------------------------------------


@admin.register(EmailTemplate)
class EmailTemplateAdmin(PlainTextAdmin, KeyCheckingHistoryAdmin):
    """Coordinators edit the texts here; saving checks that the template renders."""

    list_display = ["code", "language", "subject", "active", "updated_at"]
    list_filter = ["code", "language", "active"]
    search_fields = ["subject", "body"]
    fields = ["code", "language", "subject", "body", "active"]


@admin.register(EmailLog)
class EmailLogAdmin(admin.ModelAdmin):
    """What was sent to whom, and how each attempt went; read-only, except for sending a failed one again."""

    list_display = ["created_at", "to", "subject", "template_code", "status", "attempts", "sent_at"]
    list_filter = ["status", "template_code", "language"]
    search_fields = ["to", "subject", "application__reference"]
    date_hierarchy = "created_at"
    list_select_related = ["application"]
    readonly_fields = [
        "to", "subject", "body", "template_code", "language", "application", "event", "occasion",
        "status", "attempts", "last_error", "created_at", "claimed_at", "sent_at",
    ]  # fmt: skip
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_resend_permission(self, request):
        return request.user.has_perm("portal.change_emaillog")

    @admin.action(description=_("Send the selected failed e-mails again"), permissions=["resend"])
    def send_again(self, request, queryset):
        queued = sum(email_retry(log=log) for log in queryset.filter(status=EmailStatus.FAILED))
        message = ngettext("%(count)d e-mail queued again.", "%(count)d e-mails queued again.", queued)
        self.message_user(request, message % {"count": queued}, messages.SUCCESS)
