from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "placements.training"
    label = "training"
    verbose_name = _("Training: logbook, evaluations and certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from placements.training.models import Certificate
        from portal import outbox
        from portal.jobs.services import job_source

        # Certificates whose task never reached a worker are sent again by the outbox sweeper.
        outbox.register(job_source("certificates", Certificate))
