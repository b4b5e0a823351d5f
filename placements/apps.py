from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = "Catalogue and placements"

    def ready(self):
        from placements.catalogue import models
        from placements.catalogue.public_cache import connect_signals

        connect_signals(
            [
                models.Institution,
                models.Specialization,
                models.Department,
                models.DocumentType,
                models.Programme,
                models.ProgrammeDocument,
                models.EligibilityQuestion,
                models.OfferingGroup,
                models.RotationPattern,
                models.Offering,
            ]
        )
