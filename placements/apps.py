from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    # The config of "placements" in INSTALLED_APPS: this module has another one (HostingConfig).
    default = True
    name = "placements"
    verbose_name = "Catalogue and placements"

    def ready(self):
        from placements.allocation.models import InsightsReport, PlanRun
        from placements.catalogue import models
        from placements.catalogue.public_cache import connect_signals
        from portal import outbox
        from portal.jobs.services import job_source

        connect_signals(
            [
                models.Institution,
                models.Specialization,
                models.Department,
                models.DocumentType,
                models.Programme,
                models.Intake,
                models.ProgrammeDocument,
                models.EligibilityQuestion,
                models.OfferingGroup,
                models.RotationPattern,
                models.Offering,
            ]
        )
        # Planner runs whose task never reached a worker are sent again by the outbox sweeper.
        outbox.register(job_source("plan_runs", PlanRun))
        outbox.register(job_source("insights_reports", InsightsReport))


class HostingConfig(AppConfig):
    """Host departments (placements/hosting): its config sits here, in the wiring layer, so that the
    whole `placements.hosting` package is one layer of the import contracts."""

    name = "placements.hosting"
    label = "hosting"
    verbose_name = "Host departments"

    def ready(self):
        from placements.hosting import wiring

        wiring.connect()
