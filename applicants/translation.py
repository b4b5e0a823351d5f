"""The programmes' rubric criteria in English and Dutch (found by django-modeltranslation)."""

from applicants.models import RubricCriterion
from placements.catalogue.translated import translate

translate(RubricCriterion, "name", "description", empty_as_null=("name",))
