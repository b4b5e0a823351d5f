from allauth.mfa.admin import AuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.contrib import admin

from portal.security.audit import log_event

admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class PortalAuthenticatorAdmin(AuthenticatorAdmin):
    """Admins may remove the authenticator of someone who lost their phone (who then sets up a new
    one at the next sign-in), but never read its secret or change it."""

    exclude = ("data",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        log_event("mfa_removed_by_admin", request, user=obj.user, type=obj.type, by_user_id=request.user.pk)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for authenticator in queryset:
            self.delete_model(request, authenticator)
