"""Publishing a planner run's proposal: every application still accepted is offered its placements,
one offer (one transaction) at a time, and the coordinator gets one sentence about the outcome. A
proposal that differs from the request is held back from that, and published only when a
coordinator confirms it on its own."""

import logging
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applicants.enums import ApplicationStatus
from applicants.errors import DomainError
from applicants.models import Application
from placements.allocation.enums import PlacementStatus, PlanRunStatus
from placements.allocation.models import Placement, PlanRun
from placements.allocation.services.capacity import CapacityError
from placements.allocation.services.offers import NotAsRequested, offer_publish
from placements.catalogue.models import Programme

logger = logging.getLogger(__name__)
S = ApplicationStatus


class PlanError(DomainError):
    """A run's proposal cannot be published now; the message says why."""


def plan_run_latest(programme: Programme) -> PlanRun | None:
    return PlanRun.objects.filter(programme=programme, status=PlanRunStatus.DONE).order_by("-created_at", "-pk").first()


def plan_run_is_current(run: PlanRun) -> bool:
    """Only the programme's latest finished run has a live proposal; a later run replaced the others."""
    latest = plan_run_latest(run.programme)
    return latest is not None and latest.pk == run.pk


def plan_applications(run: PlanRun):
    """The applications the run proposed placements for, best-scored first."""
    return (
        Application.objects.filter(pk__in=Placement.objects.filter(plan_run=run).values("application_id"))
        .select_related("applicant", "programme")
        .order_by(F("review_score").desc(nulls_last=True), F("submitted_at").asc(nulls_last=True), "pk")
    )


def _check_publishable(run: PlanRun) -> None:
    if run.status != PlanRunStatus.DONE:
        raise PlanError(_("The planner has not finished this run yet."))
    if not plan_run_is_current(run):
        raise PlanError(_("A later run of the planner replaced this proposal; publish from the latest run."))


@dataclass
class PublishReport:
    published: list[Application] = field(default_factory=list)
    refused: list[tuple[Application, str]] = field(default_factory=list)
    held: list[Application] = field(default_factory=list)  # differ from the request: confirmed one by one
    skipped: list[Application] = field(default_factory=list)

    @property
    def message(self) -> str:
        count = len(self.published)
        parts = [ngettext("%(count)d offer published", "%(count)d offers published", count) % {"count": count}]
        if self.refused:
            reasons = "; ".join(f"{text.rstrip('.')} ({a.reference})" for a, text in self.refused)
            refused = len(self.refused)
            parts.append(
                ngettext("%(count)d not published: %(reasons)s", "%(count)d not published: %(reasons)s", refused)
                % {"count": refused, "reasons": reasons}
            )
        if self.held:
            parts.append(_held_sentence(self.held))
        if self.skipped:
            skipped = len(self.skipped)
            parts.append(
                ngettext(
                    "%(count)d left alone (no longer accepted, or nothing proposed)",
                    "%(count)d left alone (no longer accepted, or nothing proposed)",
                    skipped,
                )
                % {"count": skipped}
            )
        text = ", ".join(parts)
        return text if text.endswith(".") else text + "."


def _held_sentence(held: list[Application]) -> str:
    references = ", ".join(a.reference for a in held)
    return ngettext(
        "%(count)d held back because its proposal differs from the request (%(references)s): confirm it on its row",
        "%(count)d held back because their proposals differ from the request (%(references)s): confirm each on its row",
        len(held),
    ) % {"count": len(held), "references": references}


def plan_publish(*, run: PlanRun, by) -> PublishReport:
    """Offer each application of the run's proposal that is still accepted its proposed placements.

    Each offer is published in its own transaction (seats counted under locks by `offer_publish`),
    best-scored applications first, so one full week refuses only the offer that does not fit. A
    proposal that differs from the request is held back (`plan_publish_one` publishes it).
    """
    _check_publishable(run)
    proposed = Placement.objects.filter(status=PlacementStatus.PROPOSED).values("application_id")
    report = PublishReport()
    for application in plan_applications(run).annotate(
        has_proposal=Exists(proposed.filter(application_id=OuterRef("pk")))
    ):
        if application.status != S.ACCEPTED or not application.has_proposal:
            report.skipped.append(application)
            continue
        try:
            offer_publish(application=application, by=by, only_as_requested=True)
        except NotAsRequested:
            report.held.append(application)
        except (CapacityError, DomainError) as error:
            report.refused.append((application, str(error)))
        else:
            report.published.append(application)
    logger.info(
        "Plan run %s published by %s: %s offered, %s refused, %s held back, %s left alone",
        run.pk,
        getattr(by, "pk", None),
        len(report.published),
        len(report.refused),
        len(report.held),
        len(report.skipped),
    )
    return report


def plan_publish_one(*, run: PlanRun, application: Application, by) -> list[Placement]:
    """Publish the proposal of one application of the run, as confirmed by coordinator `by` (also one
    that differs from the request); returns the placements offered."""
    _check_publishable(run)
    if not Placement.objects.filter(plan_run=run, application_id=application.pk).exists():
        raise PlanError(_("This application is not part of the run's proposal."))
    return offer_publish(application=application, by=by)
