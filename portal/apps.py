from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from portal import outbox
        from portal.mail.services import SEND_TASK, emails_waiting

        # E-mails no worker ever claimed; the claimed and lost ones are portal.send_stuck_emails'.
        outbox.register(outbox.Source("emails", emails_waiting, SEND_TASK, "log_id"))
