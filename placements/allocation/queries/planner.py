"""Reads for the planner pages: recent runs, and a run's proposal as it stands now (with the
coordinator's edits and the offers published since), in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch

from applicants.enums import ApplicationStatus
from applicants.models import Application, ApplicationComponent
from placements.allocation.enums import ACTIVE_STATES, PlacementStatus
from placements.allocation.models import Placement, PlanRun
from placements.allocation.rules import proposal_departure, publishes_with_all

RECENT_RUNS = 20


def recent_runs(programmes):
    return (
        PlanRun.objects.filter(programme__in=programmes)
        .select_related("programme", "created_by")
        .order_by("-created_at", "-pk")[:RECENT_RUNS]
    )


@dataclass(frozen=True)
class ProposalRow:
    application: Application
    placements: list[Placement]  # proposed, offered or confirmed now, in week order
    edited: bool  # changed by hand since the run
    requested: list[ApplicationComponent]  # by rank
    departure: str  # how the placements differ from the request, in a word or two ("" when they do not)

    @property
    def first_week(self) -> date | None:
        return self.placements[0].start_week if self.placements else None

    @property
    def has_proposal(self) -> bool:
        """Still accepted, with a proposal that is not offered yet: it can be published."""
        return self.application.status == ApplicationStatus.ACCEPTED and any(
            p.status == PlacementStatus.PROPOSED for p in self.placements
        )

    @property
    def awaits_confirmation(self) -> bool:
        """A proposal that differs from the request: published only when a coordinator confirms it."""
        return self.has_proposal and not publishes_with_all(self.departure)

    @property
    def bulk_publishable(self) -> bool:
        return self.has_proposal and publishes_with_all(self.departure)


def plan_proposal(run: PlanRun) -> list[ProposalRow]:
    """One row per application the run proposed placements for, by reference, with its request."""
    applications = (
        Application.objects.filter(pk__in=Placement.objects.filter(plan_run=run).values("application_id"))
        .select_related("applicant", "programme")
        .prefetch_related(
            Prefetch(
                "components", queryset=ApplicationComponent.objects.select_related("offering__department__institution")
            ),
            Prefetch(
                "placements",
                queryset=Placement.objects.filter(status__in=ACTIVE_STATES)
                .select_related("department__institution")
                .order_by("start_week", "pk"),
                to_attr="active_placements",
            ),
        )
        .order_by("reference", "pk")
    )
    rows = []
    for application in applications:
        requested = list(application.components.all())
        placements = application.active_placements
        rows.append(
            ProposalRow(
                application=application,
                placements=placements,
                edited=any(p.plan_run_id != run.pk for p in placements),
                requested=requested,
                departure=proposal_departure(application, placements, requested),
            )
        )
    return rows
