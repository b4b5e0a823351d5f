"""The models of training: competencies per specialization, the logbook, evaluations, certificates."""

from placements.training.models.certificates import Certificate
from placements.training.models.competencies import Competency, CompetencyGroup, ProgrammeTraining
from placements.training.models.evaluations import Evaluation, EvaluationForm, EvaluationItem, PlacementFeedback
from placements.training.models.logbook import LogbookEntry

__all__ = [
    "Certificate",
    "Competency",
    "CompetencyGroup",
    "Evaluation",
    "EvaluationForm",
    "EvaluationItem",
    "LogbookEntry",
    "PlacementFeedback",
    "ProgrammeTraining",
]
