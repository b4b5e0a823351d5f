"""The planner against the database: a run for one programme, from its accepted applications to a
proposal of placements (publishing it is in `plan_offers`).

A run reads the programme's accepted applications that hold no seat yet, the seats left per
department and week (weekly capacity and overrides, minus the seats of offered and confirmed
placements) and the programme's component rules, and hands them to the pure planner chosen by the
programme's intake mode: stable matching for a cohort, week-by-week rotations for rolling intake. Its
proposal replaces the programme's earlier proposals; it holds no seat until it is published.
"""

import logging
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants.enums import ApplicationStatus
from applicants.models import Application, ApplicationComponent
from placements.allocation import workflow as placement_workflow
from placements.allocation.enums import SEAT_HOLDING_STATES, PlacementStatus, PlanRunStatus
from placements.allocation.models import Placement, PlanRun, monday_of
from placements.allocation.planner import (
    CohortApplicant,
    GroupRule,
    Pattern,
    RequestedComponent,
    RotationRequest,
    RotationRules,
    SectionRule,
    blocking_pairs,
    match_cohort,
    plan_rotations,
)
from placements.allocation.services.capacity import held, seats, week_range
from placements.allocation.services.progress import ProgressTicker, Report
from placements.catalogue.enums import IntakeMode
from placements.catalogue.models import Department, Offering, OfferingGroup, Programme
from portal.jobs.services import job_claim, job_fail, job_finish, job_progress, job_request, jobs_under_way

logger = logging.getLogger(__name__)
S = ApplicationStatus

# Weeks around the requested ones in which an unplaced applicant's reason looks for free seats.
ALTERNATIVE_WEEKS = 8
FAILED_MESSAGE = gettext_lazy(
    "The planner stopped because of an unexpected error; nothing was changed. Please run it again."
)
CHANGED_MESSAGE = gettext_lazy("The application changed while the planner ran; it no longer waits for a proposal.")
SUPERSEDED_MESSAGE = gettext_lazy(
    "A later run of the planner finished first; its proposal stands and this one was set aside."
)
TIMEOUT_MESSAGE = gettext_lazy("The planner took longer than a worker may take and was stopped; nothing was changed.")


def planner_time_limit() -> float:
    """Seconds the solver may take: PLANNER_TIME_LIMIT, kept well inside the worker's time limit."""
    wanted = float(getattr(settings, "PLANNER_TIME_LIMIT", 30))
    return max(1.0, min(wanted, settings.CELERY_TASK_SOFT_TIME_LIMIT - 20))


# --- starting a run ------------------------------------------------------------------------------


def plan_run_active(programme: Programme) -> PlanRun | None:
    """The run of `programme` that is waiting or running now, if any (lost runs do not count)."""
    return jobs_under_way(PlanRun.objects.filter(programme=programme)).first()


@transaction.atomic
def plan_run_start(*, programme: Programme, by) -> tuple[PlanRun, bool]:
    """Queue a planner run for `programme` (after commit); returns (run, True), or (the run already
    waiting or running, False). With the broker away the run stays queued (and shows so) until the
    outbox sweeper sends it."""
    Programme.objects.select_for_update().filter(pk=programme.pk).first()  # one start at a time
    return job_request(
        jobs_under_way(PlanRun.objects.filter(programme=programme)),
        create=lambda: PlanRun.objects.create(programme=programme, created_by=by, stage=_("Waiting for a worker")),
    )


# --- running it ----------------------------------------------------------------------------------


def _report(run_id: int) -> Report:
    def report(progress: int, stage: str) -> None:
        job_progress(PlanRun, pk=run_id, done=progress, stage=stage)

    return report


def plan_run_execute(*, run_id: int, time_limit: float | None = None) -> str:
    """Run the planner for run `run_id`: "done", "failed", or "skipped" when it is not waiting (or gone).

    Safe to deliver twice: the run is claimed with a conditional update, and a finished run is left alone.
    A run lost with its worker is taken on again, its earlier results cleared. Its stages, errors and
    reasons are written in the language of the coordinator who started it.
    """
    language = PlanRun.objects.filter(pk=run_id).values_list("created_by__language", flat=True).first()
    with translation.override(language or settings.LANGUAGE_CODE):
        return _execute(run_id, time_limit)


def _execute(run_id: int, time_limit: float | None) -> str:
    run = job_claim(
        PlanRun.objects.select_related("programme"), pk=run_id, stage=_("Starting"), summary={}, unplaced=[]
    )
    if run is None:
        logger.info("Plan run %s is not waiting; nothing to do", run_id)
        return "skipped"
    try:
        plan_programme(run=run, report=_report(run_id), time_limit=time_limit)
    except Exception as error:
        logger.exception("Plan run %s failed", run_id)
        job_fail(
            PlanRun,
            pk=run_id,
            error=str(TIMEOUT_MESSAGE if isinstance(error, SoftTimeLimitExceeded) else FAILED_MESSAGE),
        )
        return "failed"
    return PlanRun.objects.filter(pk=run_id).values_list("status", flat=True).first() or "skipped"


@dataclass
class Request:
    """One application as the planner sees it."""

    application: Application
    weeks: list[date]
    components: list[ApplicationComponent]

    @property
    def score(self) -> float:
        return float(self.application.review_score or 0)


@dataclass
class Proposal:
    """What a run proposes: placements per application id, reasons for the others, figures."""

    placements: dict[int, list[tuple[int, date, int]]] = field(default_factory=dict)  # (department, monday, weeks)
    reasons: dict[int, str] = field(default_factory=dict)
    figures: dict[str, object] = field(default_factory=dict)


def plannable_applications(programme: Programme):
    """The programme's accepted applications that hold no seat yet, with their components."""
    return (
        Application.objects.filter(programme=programme, status=S.ACCEPTED)
        .exclude(placements__status__in=SEAT_HOLDING_STATES)
        .select_related("applicant")
        .prefetch_related(
            Prefetch("components", queryset=ApplicationComponent.objects.select_related("offering__department"))
        )
        .order_by("reference", "pk")
    )


def _requests(programme: Programme, today: date) -> tuple[list[Request], dict[int, str], dict[int, Application]]:
    """The applications to plan, and a reason for each one that cannot be planned at all."""
    this_monday = monday_of(today)
    requests, reasons, by_id = [], {}, {}
    for application in plannable_applications(programme):
        by_id[application.pk] = application
        components = list(application.components.all())
        if not application.start_date or not application.end_date or application.end_date < application.start_date:
            reasons[application.pk] = _("The application has no valid requested period.")
        elif monday_of(application.start_date) < this_monday:
            reasons[application.pk] = _(
                "The requested period has already begun; assign it by hand if it still applies."
            )
        elif not components:
            reasons[application.pk] = _("The application names no department or section.")
        else:
            weeks = week_range(application.start_date, application.end_date)
            requests.append(Request(application, weeks, components))
    return requests, reasons, by_id


def _free_seats(department_ids, weeks: list[date]) -> dict[tuple[int, date], int]:
    capacity = seats(department_ids, weeks)
    taken = held(department_ids, weeks)
    return {key: max(0, count - taken.get(key, 0)) for key, count in capacity.items()}


def _plan_cohort(programme: Programme, requests: list[Request]) -> Proposal:
    """One department per applicant, for the whole requested period (stable matching)."""
    departments = {
        d.pk: d for d in Department.objects.filter(offerings__programme=programme).select_related("institution")
    }
    people, weeks_wanted = [], {}
    for request in requests:
        preferences = [c.offering.department_id for c in sorted(request.components, key=lambda c: (c.rank, c.pk))]
        people.append(
            CohortApplicant(request.application.pk, preferences, request.score, request.application.submitted_at)
        )
        for department_id in preferences:
            weeks_wanted.setdefault(department_id, set()).update(request.weeks)
    all_weeks = sorted({w for weeks in weeks_wanted.values() for w in weeks})
    free = _free_seats(list(departments), all_weeks)
    # One seat must be free in every week a placement could cover: the tightest week of the
    # department across the periods of those who want it bounds how many it can take.
    capacities = {
        department_id: min((free.get((department_id, w), 0) for w in weeks), default=0)
        for department_id, weeks in weeks_wanted.items()
    }
    names = {pk: str(department) for pk, department in departments.items()}
    result = match_cohort(people, capacities, names=names)
    pairs = blocking_pairs(people, capacities, result.assignment)
    by_id = {r.application.pk: r for r in requests}
    proposal = Proposal(reasons=dict(result.unplaced_reasons))
    for application_id, department_id in result.assignment.items():
        if department_id is not None:
            request = by_id[application_id]
            proposal.placements[application_id] = [(department_id, request.weeks[0], len(request.weeks))]
    proposal.figures = {
        "blocking_pairs": len(pairs),
        "proposals_made": result.proposals,
        "ties_decided": len({(tie.department, tie.kept) for tie in result.ties}),
    }
    return proposal


def rotation_rules(programme: Programme) -> tuple[RotationRules, dict[int, str]]:
    """The programme's component rules as the rotation planner's data, and the section names."""
    offerings = list(Offering.objects.filter(programme=programme).select_related("department"))
    groups = OfferingGroup.objects.filter(programme=programme).prefetch_related("patterns")
    sections = {
        o.department_id: SectionRule(o.weeks_min, o.weeks_max, o.may_stand_alone, o.group_id) for o in offerings
    }
    group_rules = {
        g.pk: GroupRule(
            g.min_choices,
            g.max_choices,
            tuple(
                Pattern(p.min_offerings, p.max_offerings, p.min_weeks_each, p.max_weeks_each) for p in g.patterns.all()
            ),
            g.title,
        )
        for g in groups
    }
    return RotationRules(sections, group_rules), {o.department_id: o.department.name for o in offerings}


def _plan_rotation(programme: Programme, requests: list[Request], time_limit: float, today: date) -> Proposal:
    """Week-by-week rotations across the programme's sections (CP-SAT)."""
    rules, names = rotation_rules(programme)
    wanted = sorted({w for r in requests for w in r.weeks})
    first = max(monday_of(today), wanted[0] - timedelta(weeks=ALTERNATIVE_WEEKS))
    horizon = week_range(first, wanted[-1] + timedelta(weeks=ALTERNATIVE_WEEKS))
    index = {week: i for i, week in enumerate(horizon)}
    free = _free_seats(list(rules.sections), horizon)
    capacity = {(department_id, index[week]): count for (department_id, week), count in free.items()}
    rotation_requests = [
        RotationRequest(
            id=r.application.pk,
            weeks=[index[w] for w in r.weeks],
            components=[RequestedComponent(c.offering.department_id, c.weeks, c.rank) for c in r.components],
            score=r.score,
        )
        for r in requests
    ]
    result = plan_rotations(
        rotation_requests,
        capacity,
        rules,
        names=names,
        week_label=lambda i: str(horizon[i].isocalendar().week),
        time_limit=time_limit,
        workers=int(getattr(settings, "PLANNER_WORKERS", 1)),
    )
    proposal = Proposal(reasons=dict(result.unplaced_reasons))
    for application_id, plan in result.plans.items():
        if plan.placed:
            proposal.placements[application_id] = [
                (block.section_id, horizon[block.first_week], block.weeks) for block in plan.blocks
            ]
    proposal.figures = {
        "weeks_requested": result.weeks_requested,
        "weeks_uncovered": result.weeks_uncovered,
        "components_requested": result.components_requested,
        "components_honoured": result.components_honoured,
        "solver_status": result.status,
        "proven_optimal": result.proven_optimal,
        "placed_upper_bound": result.placed_upper_bound,
        "gap_percent": round(100 * result.gap, 2),  # placed against the best upper bound known
    }
    return proposal


def plan_programme(*, run: PlanRun, report: Report | None = None, time_limit: float | None = None) -> PlanRun:
    """Plan `run`'s programme and save the proposal, the reasons and the figures on the run."""
    report = report or (lambda progress, stage: None)
    started = time.perf_counter()
    today = timezone.localdate()
    programme = run.programme
    report(10, _("Loading the accepted applications and the free seats"))
    requests, reasons, applications = _requests(programme, today)
    time_limit = planner_time_limit() if time_limit is None else time_limit
    report(30, _("Solving"))
    if not requests:
        proposal = Proposal()
    elif programme.intake_mode == IntakeMode.COHORT:
        proposal = _plan_cohort(programme, requests)
    else:
        with ProgressTicker(report, 30, 90, time_limit):
            proposal = _plan_rotation(programme, requests, time_limit, today)
    report(90, _("Solved"))
    proposal.reasons = {**reasons, **proposal.reasons}
    report(95, _("Saving the proposal"))
    _save(run, proposal, applications, by=run.created_by, started=started)
    run.refresh_from_db()
    logger.info(
        "Plan run %s for %s: %s placed, %s unplaced in %s s",
        run.pk,
        programme.slug,
        run.summary.get("placed"),
        run.summary.get("unplaced"),
        run.summary.get("seconds"),
    )
    return run


@transaction.atomic
def _save(run: PlanRun, proposal: Proposal, applications: dict[int, Application], *, by, started: float) -> None:
    """Replace the programme's proposals with this run's, for the applications still waiting for one."""
    Programme.objects.select_for_update().filter(pk=run.programme_id).first()  # one save per programme at a time
    later = PlanRun.objects.filter(programme_id=run.programme_id, status=PlanRunStatus.DONE).filter(
        Q(created_at__gt=run.created_at) | Q(created_at=run.created_at, pk__gt=run.pk)
    )
    if later.exists():  # a run started after this one has finished already: its proposal stands
        job_fail(PlanRun, pk=run.pk, error=str(SUPERSEDED_MESSAGE))
        return
    # Still accepted and holding no seat: an offer published while the planner ran is left alone.
    still = set(plannable_applications(run.programme).filter(pk__in=list(applications)).values_list("pk", flat=True))
    reasons = dict(proposal.reasons)
    for application_id in set(applications) - still:
        reasons[application_id] = _(
            "The application changed while the planner ran (it is no longer waiting for a proposal)."
        )
    placed = {a: segments for a, segments in proposal.placements.items() if a in still}
    stale = Placement.objects.filter(application__programme=run.programme, status=PlacementStatus.PROPOSED)
    stale = stale.filter(Q(plan_run__isnull=False) | Q(application_id__in=list(still)))
    placement_workflow.transition_many(
        placements=stale, name="discard", by=None, message=_("The planner proposed anew.")
    )
    rows = []
    for application_id, segments in placed.items():
        for department_id, monday, weeks in segments:
            rows.append(
                Placement(
                    application_id=application_id,
                    department_id=department_id,
                    start_week=monday,
                    weeks=weeks,
                    plan_run=run,
                    created_by=by,
                )
            )
    placement_workflow.create(placements=rows, name="propose", by=None, message=_("Proposed by the planner."))
    unplaced = [
        {
            "application": str(applications[a].uuid),
            "reference": applications[a].reference or "",
            "name": applications[a].applicant.get_full_name() or applications[a].applicant.email,
            "reason": reasons.get(a) or _("No rotation could be found in the time allowed."),
        }
        for a in sorted(applications, key=lambda a: (applications[a].reference or "", a))
        if a not in placed
    ]
    summary = {
        "mode": run.programme.intake_mode,
        "applications": len(applications),
        "placed": len(placed),
        "unplaced": len(unplaced),
        "placements": len(rows),
        **proposal.figures,
        "seconds": round(time.perf_counter() - started, 2),
    }
    if not job_finish(PlanRun, pk=run.pk, stage=_("Done"), summary=summary, unplaced=unplaced):
        transaction.set_rollback(True)  # the run no longer runs here (taken over or withdrawn): keep nothing
