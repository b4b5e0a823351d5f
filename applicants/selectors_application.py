"""Reads for the staff overview of one application.

What the page takes from the catalogue (the programme, its eligibility questions, the department and
hospital of each offering, the names of the document types, whether applicants may propose a
hospital) is the same for every application of the programme: it is kept in the cache, per language,
until a catalogue record changes, and the page reads it in one round trip instead of joining it into
its queries. The rest is the application's own, read in a fixed number of queries.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, prefetch_related_objects

from applicants.access import staff_application_for_user
from applicants.models import Application, Document, HospitalProposal
from placements.catalogue.models import DocumentType, EligibilityQuestion, Offering, OfferingGroup, Programme
from placements.catalogue.public_cache import VERSION_KEY as CATALOGUE_VERSION
from portal import page_cache

FACTS_TIMEOUT = 3600  # at most; a catalogue change replaces them at once
FACTS_FORMAT = 1  # part of the cache key: raised when ProgrammeFacts changes, so no old copy is read

# The application with its applicant and profile, its documents with their checks.
OVERVIEW_QUERYSET = Application.objects.select_related("applicant__profile").prefetch_related(
    Prefetch("documents", queryset=Document.objects.prefetch_related("checks")),
)


@dataclass(frozen=True)
class ProgrammeFacts:
    programme: Programme
    questions: tuple[tuple[int, str], ...] = ()  # (pk, text) in the programme's order
    offerings: dict[int, tuple[str, str]] = field(default_factory=dict)  # pk -> (department, hospital)
    document_types: dict[int, DocumentType] = field(default_factory=dict)
    # Whether an application of the programme can have a proposed hospital: a group accepts them, or
    # one was made while a group did (a proposal is only made to a group that accepts them).
    takes_proposals: bool = False


@dataclass(frozen=True)
class StayRow:
    rank: int
    department: str
    hospital: str
    weeks: int


def programme_facts(programme_id: int) -> ProgrammeFacts:
    return page_cache.cached_value(
        f"staff:programme-facts:{FACTS_FORMAT}:{programme_id}",
        [CATALOGUE_VERSION],
        FACTS_TIMEOUT,
        lambda: _facts_of(programme_id),
    )


def _facts_of(programme_id: int) -> ProgrammeFacts:
    questions = EligibilityQuestion.objects.filter(programme_id=programme_id).order_by("order", "id")
    offerings = Offering.objects.filter(programme_id=programme_id).select_related("department__institution")
    accepting = OfferingGroup.objects.filter(programme_id=programme_id, accepts_proposals=True)
    proposed = HospitalProposal.objects.filter(group__programme_id=programme_id)
    return ProgrammeFacts(
        programme=Programme.objects.get(pk=programme_id),
        questions=tuple((question.pk, question.text) for question in questions),
        offerings={o.pk: (o.department.name, str(o.department.institution)) for o in offerings},
        document_types={document_type.pk: document_type for document_type in DocumentType.objects.all()},
        takes_proposals=accepting.exists() or proposed.exists(),
    )


def overview_application(user, uuid, scope: list[int] | None) -> tuple[Application, ProgrammeFacts]:
    """The application `uuid` as its staff see it (Http404 for anyone else), its programme and its
    documents' types taken from the programme's facts."""
    application = staff_application_for_user(user, uuid, queryset=OVERVIEW_QUERYSET, scope=scope)
    facts = programme_facts(application.programme_id)
    documents = application.documents.all()
    if any(document.document_type_id not in facts.document_types for document in documents):
        facts = _facts_of(application.programme_id)  # a document type newer than the cached facts
    application.programme = facts.programme
    for document in documents:
        document.document_type = facts.document_types[document.document_type_id]
    return application, facts


def stay_rows(application: Application, facts: ProgrammeFacts) -> list[StayRow]:
    """The requested departments in order of preference, named from the programme's facts."""
    rows = application.components.order_by("rank", "id").values_list("rank", "offering_id", "weeks")
    if any(offering_id not in facts.offerings for _rank, offering_id, _weeks in rows):
        facts = _facts_of(application.programme_id)  # an offering newer than the cached facts
    unknown = ("—", "—")
    return [StayRow(rank, *facts.offerings.get(offering_id, unknown), weeks) for rank, offering_id, weeks in rows]


def hospital_proposals(application: Application, facts: ProgrammeFacts) -> list[HospitalProposal]:
    """The hospitals the applicant proposed (no query where the programme takes no proposals)."""
    if not facts.takes_proposals:
        return []
    proposals = list(application.hospital_proposals.all())
    if proposals:
        prefetch_related_objects(proposals, "group", "specialization", "decided_by")
    return proposals
