from django.apps import AppConfig


class ApplicantsConfig(AppConfig):
    name = "applicants"
    verbose_name = "Applicants and applications"

    def ready(self):
        from applicants.queue_cache import connect_signals

        connect_signals()
