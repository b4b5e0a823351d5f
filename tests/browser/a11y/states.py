"""Every page state the audit visits, per persona, in the order one browser session goes through them.

A state is reached by opening a URL or by acting on a page (a form sent with mistakes, a bulk
action). The list names each state; test_accessibility checks that every URL pattern of the
portal that serves a page, and every kind of admin page, has at least one.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.contrib import admin
from django.urls import reverse

from tests.browser.a11y.world import World
from tests.factories import PASSWORD, UserFactory
from tests.totp import totp_code

Action = Callable[[object, str], None]  # (page, base URL)


@dataclass(frozen=True)
class State:
    name: str
    go: str | Action  # a path, or what to do in the page to get there
    failed: bool = False  # a form sent with mistakes: the page must say so to a screen reader first

    def reach(self, page, base_url: str) -> None:
        if isinstance(self.go, str):
            page.goto(base_url + self.go)
        else:
            self.go(page, base_url)


@dataclass
class Persona:
    name: str
    states: list[State] = field(default_factory=list)


def fill_and_send(path: str | None, fields: dict[str, str], button: str, *, checks: tuple[str, ...] = ()) -> Action:
    """Open `path` (unless None: stay), fill the fields (CSS selector -> value), tick `checks`, press `button`."""

    def act(page, base):
        if path:
            page.goto(base + path)
        for selector, value in fields.items():
            page.locator(selector).first.fill(value)
        for selector in checks:
            page.locator(selector).first.check()
        with page.expect_navigation():
            page.get_by_role("button", name=button, exact=True).first.click()

    return act


def sign_in_states(email: str, password: str = PASSWORD, secret: str | None = None) -> list[State]:
    """Signing in as a person does; staff pass the two-factor step, first with a wrong code."""
    login = reverse("account_login")
    states = [
        State(
            "signed in", fill_and_send(login, {"input[name=login]": email, "input[name=password]": password}, "Sign in")
        )
    ]
    if secret:
        states[0] = State("sign in: the two-factor code", states[0].go)
        states += [
            State(
                "sign in: a wrong two-factor code",
                fill_and_send(None, {"input[name=code]": "000000"}, "Sign in"),
                failed=True,
            ),
            State("signed in", lambda page, base: _enter_code(page, secret)),
        ]
    return states


def _enter_code(page, secret: str) -> None:
    """A code is refused when typed at the turn of its 30-second window or when the same person
    used it already (a persona that signs in again within the window): then wait for the next one."""
    for _attempt in range(3):
        page.locator("input[name=code]").fill(totp_code(secret))
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in", exact=True).first.click()
        if "/2fa/authenticate/" not in page.url:
            return
        time.sleep(30.5 - time.time() % 30)
    raise AssertionError("three authenticator codes in a row were refused")


def anonymous(world: World) -> Persona:
    stranger = UserFactory(email="erin@example.org", verified=False)
    confirmation = EmailConfirmationHMAC(EmailAddress.objects.get(user=stranger))
    reset_key = f"{user_pk_to_url_str(world.bob)}-{default_token_generator.make_token(world.bob)}"
    signup, reset = reverse("account_signup"), reverse("account_reset_password")
    login = reverse("account_login")
    return Persona(
        "anonymous",
        [
            State("home: the catalogue", "/"),
            State("programmes", reverse("placements:programme_list")),
            State("programme: rotation", world.rotation.get_absolute_url()),
            State("programme: cohort", world.cohort.get_absolute_url()),
            State("privacy notice", reverse("privacy_notice")),
            State(
                "a placement confirmation checked", reverse("confirmation_verify", kwargs={"token": world.confirmation})
            ),
            State("sign in", login),
            State(
                "sign in: wrong password",
                fill_and_send(
                    login, {"input[name=login]": "bob@example.org", "input[name=password]": "wrong-password"}, "Sign in"
                ),
                failed=True,
            ),
            State("register", signup),
            State(
                "register: mistakes",
                fill_and_send(
                    signup,
                    {
                        "input[name=email]": "not-an-address",
                        "input[name=password1]": "short",
                        "input[name=password2]": "other",
                    },
                    "Create account",
                ),
                failed=True,
            ),
            State(
                "register: confirmation sent",
                fill_and_send(
                    signup,
                    {
                        "input[name=email]": "frank@example.org",
                        "input[name=password1]": PASSWORD,
                        "input[name=password2]": PASSWORD,
                    },
                    "Create account",
                ),
            ),
            State("confirm e-mail address", reverse("account_confirm_email", args=[confirmation.key])),
            State("password reset", reset),
            State("password reset: no address", fill_and_send(reset, {}, "Send the link"), failed=True),
            State(
                "password reset: link sent",
                fill_and_send(reset, {"input[name=email]": "bob@example.org"}, "Send the link"),
            ),
            State(
                "password reset: new password",
                reverse(
                    "account_reset_password_from_key",
                    kwargs={"uidb36": reset_key.split("-", 1)[0], "key": reset_key.split("-", 1)[1]},
                ),
            ),
            State(
                "password reset: new passwords differ",
                fill_and_send(
                    None,
                    {"input[name=password1]": PASSWORD + "x", "input[name=password2]": PASSWORD + "y"},
                    "Save new password",
                ),
                failed=True,
            ),
        ],
    )


def step_of(application, name: str) -> str:
    return reverse("applicants:wizard_step", kwargs={"uuid": application.uuid, "step": name})


def applicant_alice(world: World) -> Persona:
    draft, asked = world.draft, world.asked

    def step(name: str) -> str:
        return reverse("applicants:wizard_step", kwargs={"uuid": draft.uuid, "step": name})

    answer = reverse("applicants:application_answer", kwargs={"uuid": asked.uuid})
    profile, delete = reverse("applicants:profile"), reverse("applicants:account_delete")
    password = reverse("account_change_password")
    return Persona(
        "applicant alice",
        [
            *sign_in_states(world.alice.email),
            State("my applications", reverse("applicants:dashboard")),
            State("application: information requested", asked.get_absolute_url()),
            State("information reply", answer),
            State("information reply: no answer", fill_and_send(answer, {}, "Send the answer"), failed=True),
            State("withdraw: confirm", reverse("applicants:application_withdraw", kwargs={"uuid": asked.uuid})),
            State("my profile", profile),
            State(
                "my profile: a name missing",
                fill_and_send(profile, {"input[name=first_name]": ""}, "Save profile"),
                failed=True,
            ),
            State("my data: export ready", world.export.get_absolute_url()),
            State("delete my account", delete),
            State("delete my account: nothing ticked", fill_and_send(delete, {}, "Delete my account"), failed=True),
            State("e-mail addresses", reverse("account_email")),
            State("change password", password),
            State(
                "change password: mistakes",
                fill_and_send(password, {"input[name=oldpassword]": "wrong-password"}, "Change password"),
                failed=True,
            ),
            State("two-factor authentication", reverse("mfa_index")),
            State("two-factor: set up an app", reverse("mfa_activate_totp")),
            *(
                State(f"wizard: {name}", step(name))
                for name in ("profile", "eligibility", "components", "dates", "documents", "review")
            ),
            State(
                "wizard: profile with a name missing",
                fill_and_send(step("profile"), {"input[name=first_name]": ""}, "Save and continue"),
                failed=True,
            ),
            State(
                "wizard: components breaking a rule",
                fill_and_send(step("components"), {"input[name^=weeks_]": "40"}, "Save and continue"),
                failed=True,
            ),
            State(
                "wizard: dates on a weekend",
                fill_and_send(
                    step("dates"),
                    {"input[name=start_date]": "2030-01-05", "input[name=end_date]": "2030-01-06"},
                    "Save and continue",
                ),
                failed=True,
            ),
            State(
                "wizard: documents with a refused file",
                lambda page, base: _upload_text_file(page, base + step("documents")),
                failed=True,
            ),
            State(
                "wizard: review, submitting refused",
                fill_and_send(step("review"), {}, "Submit application"),
                failed=True,
            ),
            State(
                "wizard: review without consent",
                lambda page, base: _submit_without_consent(page, base + step("review")),
                failed=True,
            ),
            State("sign out: confirm", reverse("account_logout")),
        ],
    )


def _submit_without_consent(page, url: str) -> None:
    page.goto(url)
    page.get_by_role("checkbox").last.uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="Submit application").click()


def _answer_no(page, url: str) -> None:
    page.goto(url)
    page.get_by_role("radio", name="No").first.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue").click()


def _upload_text_file(page, url: str) -> None:
    page.goto(url)
    page.locator("input[type=file]").first.set_input_files(
        {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"Not a PDF."}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue").click()


def applicant_bob(world: World) -> Persona:
    offered = world.offered
    return Persona(
        "applicant bob",
        [
            *sign_in_states(world.bob.email),
            State("my applications: an offer", reverse("applicants:dashboard")),
            State("application: placement offered", offered.get_absolute_url()),
            State("decline the offer: confirm", reverse("applicants:offer_decline", kwargs={"uuid": offered.uuid})),
            State("wizard (cohort): eligibility", step_of(world.cohort_draft, "eligibility")),
            State(
                "wizard (cohort): eligibility answered no",
                lambda page, base: _answer_no(page, base + step_of(world.cohort_draft, "eligibility")),
                failed=True,
            ),
            State("wizard (cohort): dates of an intake", step_of(world.cohort_draft, "dates")),
            State("wizard (cohort): components", step_of(world.cohort_draft, "components")),
        ],
    )


def coordinator(world: World) -> Persona:
    queue = reverse("staff:queue")
    dana, asked, accepted = world.submitted, world.asked, world.accepted

    def page_of(application, name="staff:application") -> str:
        return reverse(name, kwargs={"uuid": application.uuid})

    reviews = page_of(dana, "staff:application_reviews")

    assign = reverse("staff_placements:assign", kwargs={"uuid": accepted.uuid})
    decide = reverse("staff:application_decide", kwargs={"uuid": dana.uuid, "decision": "accept"})
    calendar = reverse("staff_placements:calendar")
    return Persona(
        "coordinator carol",
        [
            *sign_in_states(world.carol.email, secret=world.secrets["carol"]),
            State("staff home: the queue", reverse("staff:home")),
            State(
                "queue: one programme, accepted", f"{queue}?programme={world.rotation.pk}&status=accepted&sort=score"
            ),
            State("queue: a search with no match", f"{queue}?q=nobody-at-all"),
            State("queue: an impossible month", f"{queue}?start_month=2027-13", failed=True),
            State("queue: bulk action with nothing chosen", fill_and_send(queue, {}, "Start review"), failed=True),
            State("queue: bulk action done", lambda page, base: _bulk_start_review(page, base + queue, dana.reference)),
            State("application: in review", page_of(dana)),
            State("application: reviews and notes", reviews),
            State("application: review with mistakes", fill_and_send(reviews, {}, "Save the review"), failed=True),
            State("application: note left empty", fill_and_send(reviews, {}, "Add the note"), failed=True),
            State("application: information requested", page_of(asked)),
            State("application: timeline and e-mails", page_of(asked, "staff:application_history")),
            State("application: accepted", page_of(accepted)),
            State("application: offered", page_of(world.offered)),
            State("decision e-mail", decide),
            State(
                "decision e-mail: no subject",
                fill_and_send(decide, {"input[name=subject]": ""}, "Accept and send the e-mail"),
                failed=True,
            ),
            State("dossier", world.dossier.get_absolute_url()),
            State("calendar", calendar),
            State("calendar: one programme", f"{calendar}?programme={world.cohort.slug}"),
            State("calendar: a week of a department", _week_of(world)),
            State("assignment", assign),
            State("assignment: checked", fill_and_send(assign, {}, "Check")),
            State(
                "assignment: a row without weeks",
                fill_and_send(assign, {"input[name$=-weeks]": ""}, "Check"),
                failed=True,
            ),
            State("planner", reverse("staff_placements:planner")),
            State("insights", reverse("staff_placements:insights")),
            State("insights: a yearly report", world.report.get_absolute_url()),
            State("planner: a run's proposal", reverse("staff_placements:plan_run", kwargs={"uuid": world.run.uuid})),
            State("two-factor authentication", reverse("mfa_index")),
        ],
    )


def _week_of(world: World) -> str:
    placement = world.offered.placements.order_by("start_week").first()
    kwargs = {"department_id": placement.department_id, "week": placement.start_week.isoformat()}
    return reverse("staff_placements:calendar_week", kwargs=kwargs)


def _bulk_start_review(page, url: str, reference: str) -> None:
    page.goto(url)
    page.get_by_role("checkbox", name=f"Select {reference}").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Start review", exact=True).click()


def catalogue_editor(world: World) -> Persona:
    """The admin: its index, each app's page, every model's list, and each kind of form."""
    states = [
        *sign_in_states(world.root.email, secret=world.secrets["root"]),
        State("admin: index", reverse("admin:index")),
    ]
    apps = sorted({model._meta.app_label for model in admin.site._registry})
    states += [State(f"admin: {label}", reverse("admin:app_list", kwargs={"app_label": label})) for label in apps]
    for model in sorted(admin.site._registry, key=lambda m: (m._meta.app_label, m._meta.model_name)):
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        states.append(State(f"admin: {model._meta.verbose_name_plural} list", reverse(f"{prefix}_changelist")))
        first = _example(world, model)
        if first is not None:
            states.append(State(f"admin: a {model._meta.verbose_name}", reverse(f"{prefix}_change", args=[first.pk])))
    programme = reverse("admin:placements_programme_change", args=[world.rotation.pk])
    specialization = world.rotation.offerings.first().department.specialization_id
    states += [
        State("admin: a new programme", reverse("admin:placements_programme_add")),
        State("admin: a programme's history", reverse("admin:placements_programme_history", args=[world.rotation.pk])),
        State("admin: a programme with a mistake", fill_and_send(programme, {"input[name=title_en]": ""}, "Save")),
        State(
            "admin: delete a specialization", reverse("admin:placements_specialization_delete", args=[specialization])
        ),
        State("admin: a user's password", reverse("admin:auth_user_password_change", args=[world.bob.pk])),
    ]
    return Persona("catalogue editor root", states)


def _example(world: World, model):
    """The object whose change form is audited: the richest one at hand."""
    chosen = {"programme": world.rotation, "application": world.submitted, "user": world.carol}
    return chosen.get(model._meta.model_name) or model._default_manager.order_by("pk").first()


def personas(world: World) -> list[Persona]:
    return [
        anonymous(world),
        applicant_alice(world),
        applicant_bob(world),
        coordinator(world),
        catalogue_editor(world),
    ]
