from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "portal.security"
    label = "portal_security"
    verbose_name = "Security"

    def ready(self):
        from portal.security import signals  # noqa: F401  (connects the receivers)
