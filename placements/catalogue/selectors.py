"""Reads of the catalogue, each with the joins its page needs."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from placements.catalogue.models import Offering, OfferingGroup, Programme, ProgrammeDocument


def programme_list() -> QuerySet[Programme]:
    return Programme.objects.published().select_related("provider").order_by("title")


def programme_detail(*, slug: str) -> Programme:
    offerings = Offering.objects.select_related("department__institution", "department__specialization")
    groups = OfferingGroup.objects.prefetch_related("patterns", Prefetch("offerings", queryset=offerings))
    documents = ProgrammeDocument.objects.select_related("document_type")
    queryset = (
        Programme.objects.published()
        .select_related("provider")
        .prefetch_related(
            Prefetch("offering_groups", queryset=groups),
            Prefetch("programme_documents", queryset=documents),
            "questions",
        )
    )
    return get_object_or_404(queryset, slug=slug)
