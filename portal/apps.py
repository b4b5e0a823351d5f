from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from portal import language, outbox
        from portal.mail.services import SEND_TASK, emails_waiting

        language.connect_signals()

        # E-mails no worker ever claimed; the claimed and lost ones are portal.send_stuck_emails'.
        outbox.register(outbox.Source("emails", emails_waiting, SEND_TASK, "log_id"))


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the portal's site (portal/admin_site.py); named in INSTALLED_APPS."""

    default = False  # the "portal" entry stays PortalConfig
    default_site = "portal.admin_site.PortalAdminSite"
