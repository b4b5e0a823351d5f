"""Rendering of the editable e-mail templates with the Django template engine, kept on a short leash.

The engine has no loaders and no tag libraries beyond the built-in tags and filters (so no
`{% include %}`, `{% extends %}` or `{% load %}`), and templates only ever see the placeholders
below, filled with plain strings and dates. Texts are plain-text e-mails: nothing is HTML-escaped.
"""

from datetime import date

from django.template import Context, Engine, TemplateSyntaxError
from django.template.defaulttags import DebugNode
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# The placeholders a template may use, with what they hold (shown in the admin, in its language).
PLACEHOLDERS: dict[str, str] = {
    "applicant_name": gettext_lazy("the applicant's full name (or e-mail address)"),
    "reference": gettext_lazy("the application's reference, e.g. UMCG-2027-0042"),
    "programme": gettext_lazy("the programme's title"),
    "start_date": gettext_lazy("the requested first day, written out (1 March 2027, 1 maart 2027)"),
    "end_date": gettext_lazy("the requested last day, written out"),
    "message": gettext_lazy("the coordinator's message that came with the event (may be empty)"),
    "dashboard_url": gettext_lazy("the link to the application on the portal"),
    "deadline": gettext_lazy(
        "the day a reminder is about, written out: the last day to submit a draft, the day an "
        "application started waiting for review, the last day to answer an offer (empty when there is none)"
    ),
}

# Values used to check that a template renders before it is saved.
SAMPLE_CONTEXT: dict[str, object] = {
    "applicant_name": "Ana Pereira",
    "reference": "UMCG-2027-0042",
    "programme": "Observership in medical physics",
    "start_date": date(2027, 3, 1),
    "end_date": date(2027, 3, 26),
    "message": "Please upload a letter that states your dates.",
    "dashboard_url": "https://placements.example.org/me/applications/0/",
    "deadline": date(2027, 1, 15),
}

# An unknown name renders as this marker during validation, so the admin can be told which one.
_UNKNOWN = "\x00UNKNOWN:%s\x00"


class MailEngine(Engine):
    default_builtins = ["django.template.defaulttags", "django.template.defaultfilters"]


ENGINE = MailEngine(dirs=[], app_dirs=False, loaders=[], libraries={}, autoescape=False)
CHECKING_ENGINE = MailEngine(
    dirs=[], app_dirs=False, loaders=[], libraries={}, autoescape=False, string_if_invalid=_UNKNOWN
)


def _value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        # Written out in the active language; the same for every template, so editors need no filter.
        return date_format(value, "j F Y")
    return str(value)


def restricted(context: dict) -> dict:
    """Only the known placeholders, as text (dates written out in the active language)."""
    return {name: _value(context.get(name)) for name in PLACEHOLDERS}


def render_text(source: str, context: dict, *, language: str) -> str:
    """Render `source` with the placeholders in `context`, in `language`."""
    with translation.override(language):
        return ENGINE.from_string(source).render(Context(restricted(context), autoescape=False))


def one_line(text: str) -> str:
    """A subject is one line: newlines would be refused as a header injection."""
    return " ".join(text.split())


def template_problems(source: str, *, language: str) -> list[str]:
    """What stops `source` from rendering, in plain words (empty when it renders)."""
    try:
        template = CHECKING_ENGINE.from_string(source)
    except TemplateSyntaxError as error:
        return [_("The template cannot be read: %(error)s.") % {"error": error}]
    if template.nodelist.get_nodes_by_type(DebugNode):
        return [_("%(tag)s is not allowed in an e-mail.") % {"tag": "{% debug %}"}]
    try:
        with translation.override(language):
            output = template.render(Context(restricted(SAMPLE_CONTEXT), autoescape=False))
    except Exception as error:  # any failure while rendering is the template's problem, shown to its editor
        return [_("The template does not render: %(error)s.") % {"error": error}]
    unknown = sorted({part.split("\x00", 1)[0] for part in output.split("\x00UNKNOWN:")[1:]})
    if unknown:
        allowed = ", ".join("{{ %s }}" % name for name in PLACEHOLDERS)  # noqa: UP031
        names = ", ".join(unknown)
        message = ngettext(
            "Unknown placeholder: %(names)s. Use only %(allowed)s.",
            "Unknown placeholders: %(names)s. Use only %(allowed)s.",
            len(unknown),
        )
        return [message % {"names": names, "allowed": allowed}]
    return []
