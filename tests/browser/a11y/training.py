"""The training pages in the accessibility audit, with their own people on the demo catalogue:

- tess: a Leuven trainee halfway through her placement, with entries waiting, signed and sent back, a
  submitted mid-term evaluation to read and comment on, and the placement to evaluate;
- ulla: a Leuven trainee whose placement is completed, with her certificate ready;
- sam: supervisor of tess's department (with an authenticator app, as supervisors need);
- carol, the coordinator, who follows tess's progress on the application page;
- a visitor who checks ulla's certificate.
"""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils.formats import date_format

from placements.training.enums import EntryStatus
from placements.training.models import EvaluationForm, LogbookEntry
from placements.training.services.certificates import certificate_build, certificate_request
from placements.training.services.evaluations import evaluation_save
from placements.training.services.logbook import Activity, entry_add, entry_return, entry_sign
from tests.browser.a11y.states import Persona, State, fill_and_send, sign_in_states
from tests.browser.a11y.world import World
from tests.totp import totp_secret
from tests.training.builders import competency_of, make_supervisor, make_trainee, this_monday


def _submit_evaluation(placement, supervisor, kind: str):
    form = EvaluationForm.objects.get(programme=placement.application.programme, kind=kind)
    answers = {str(item.pk): 4 if item.kind == "scale" else "Thorough and curious." for item in form.items.all()}
    return evaluation_save(placement=placement, form=form, by=supervisor, answers=answers, submit=True)


def _logbook(placement, supervisor) -> LogbookEntry:
    """Three entries: one waiting, one signed off, one sent back (returned)."""
    trainee = placement.application.applicant
    entries = [
        entry_add(
            placement=placement,
            by=trainee,
            activity=Activity(competency_of(placement, n), placement.start_week + timedelta(days=n), text, Decimal(h)),
        )
        for n, (text, h) in enumerate([("Output check.", "2"), ("Water phantom scans.", "3.5"), ("Plan check.", "1")])
    ]
    entry_sign(entry=entries[1], by=supervisor)
    entry_return(entry=entries[2], by=supervisor, comment="Which plans did you check?")
    return entries[2]


def _certificate(ulla, supervisor):
    _submit_evaluation(ulla, supervisor, "final")
    certificate = certificate_request(application=ulla.application)
    certificate_build(certificate_id=certificate.pk, verify_url_for=lambda code: f"https://portal.example/{code}")
    certificate.refresh_from_db()
    return certificate


def training_personas(world: World) -> list[Persona]:
    tess = make_trainee(world.cohort, "tess", start=this_monday() - timedelta(weeks=3), weeks=8, first_name="Tess")
    sam = make_supervisor("sam", "uzl-radiotherapy")
    returned = _logbook(tess, sam)
    midterm = _submit_evaluation(tess, sam, "midterm")
    ulla = make_trainee(
        world.cohort, "ulla", start=this_monday() - timedelta(weeks=10), weeks=4, status="completed", first_name="Ulla"
    )
    certificate = _certificate(ulla, sam)
    assert returned.status == EntryStatus.RETURNED and certificate.status == "ready"

    training = reverse("training:placement", kwargs={"uuid": tess.uuid})
    edit = reverse("training:entry_edit", kwargs={"uuid": returned.uuid})
    evaluation = reverse("training:evaluation", kwargs={"uuid": midterm.uuid})
    feedback = reverse("training:feedback", kwargs={"uuid": tess.uuid})
    supervise = reverse("training:supervise", kwargs={"uuid": tess.uuid})
    final = reverse("training:evaluation_fill", kwargs={"uuid": tess.uuid, "kind": "final"})
    return [
        Persona(
            "trainee tess",
            [
                *sign_in_states(tess.application.applicant.email),
                State("application: in training", tess.application.get_absolute_url()),
                State("training: logbook and progress", training),
                State(
                    "training: an activity left empty",
                    fill_and_send(training, {}, "Log the activity"),
                    failed=True,
                ),
                State("training: correct an entry sent back", edit),
                State(
                    "training: a correction without hours",
                    fill_and_send(edit, {"input[name=hours]": ""}, "Send for sign-off again"),
                    failed=True,
                ),
                State("training: a submitted evaluation", evaluation),
                State("training: an empty comment", fill_and_send(evaluation, {}, "Add my comment"), failed=True),
                State("training: evaluate the placement", feedback),
                State("training: no scores given", fill_and_send(feedback, {}, "Send my evaluation"), failed=True),
                State(
                    "training: certificate not due yet",
                    reverse("training:certificate", kwargs={"uuid": tess.application.uuid}),
                ),
            ],
        ),
        Persona(
            "trainee ulla",
            [
                *sign_in_states(ulla.application.applicant.email),
                State("certificate ready", reverse("training:certificate", kwargs={"uuid": ulla.application.uuid})),
            ],
        ),
        Persona(
            "coordinator carol (training)",
            [
                *sign_in_states(world.carol.email, secret=world.secrets["carol"]),
                State(
                    "application: a trainee's progress",
                    reverse("staff:application", kwargs={"uuid": tess.application.uuid}),
                ),
            ],
        ),
        Persona(
            "visitor",
            [State("a certificate checked", reverse("training:certificate_verify", kwargs={"code": certificate.code}))],
        ),
        Persona(
            "supervisor sam",
            [
                *sign_in_states(sam.email, secret=totp_secret(sam)),
                State("supervise: a trainee's logbook", supervise),
                State(
                    "supervise: sent back without a comment",
                    fill_and_send(supervise, {}, "Send the entry of " + _day(tess) + " back"),
                    failed=True,
                ),
                State("supervise: the final evaluation", final),
                State(
                    "supervise: submitted unanswered", fill_and_send(final, {}, "Submit the evaluation"), failed=True
                ),
            ],
        ),
    ]


def _day(placement) -> str:
    """How the supervisor's page names the day of the waiting entry (its first day)."""
    return date_format(placement.start_week, "j F")
