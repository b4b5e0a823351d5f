"""The catalogue's texts that applicants and staff read, in English and Dutch (found by
django-modeltranslation, which imports each app's `translation` module when Django starts)."""

from placements.catalogue.models import (
    Department,
    DocumentType,
    EligibilityQuestion,
    OfferingGroup,
    Programme,
    ProgrammeDocument,
    RotationPattern,
    Specialization,
)
from placements.catalogue.translated import translate

translate(Programme, "title", "summary", "description", "audience", "language")
translate(Specialization, "name", empty_as_null=("name",))
translate(Department, "name", "address", "working_hours", "first_day_notes", empty_as_null=("name",))
translate(DocumentType, "name", "description")
translate(ProgrammeDocument, "instructions")
translate(EligibilityQuestion, "text", "help_text", "refusal_message")
translate(OfferingGroup, "title", "description")
translate(RotationPattern, "label")
