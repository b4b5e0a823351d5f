"""The e-mail texts the portal starts with, in English and Dutch; coordinators edit them in the admin.

They live in templates/emails/<code>.<language>.txt: the first line is the subject, then an empty
line, then the body. `email_templates_install` adds whichever template is missing and never
overwrites one edited in the admin. The data migration portal/0004 calls it, and so can a loader
or a test after a flush emptied the table; until then, an e-mail code without any template row
is rendered from these files directly (services.email_template_for).
"""

from functools import cache
from pathlib import Path

DEFAULTS_DIR = Path(__file__).resolve().parent.parent.parent / "templates" / "emails"


@cache
def default_templates() -> dict[tuple[str, str], tuple[str, str]]:
    """(code, language) -> (subject, body) for every file in DEFAULTS_DIR (read once per process)."""
    found = {}
    for path in sorted(DEFAULTS_DIR.glob("*.*.txt")):
        code, language, _suffix = path.name.split(".")
        subject, _blank, body = path.read_text(encoding="utf-8").partition("\n\n")
        found[(code, language)] = (subject.strip(), body)
    return found


def email_templates_install(*, model=None) -> int:
    """Create the default templates that do not exist yet; returns how many were created.

    `model` is the EmailTemplate class to use (a migration passes its historical model).
    """
    if model is None:
        from portal.mail.models import EmailTemplate as model
    created = 0
    for (code, language), (subject, body) in default_templates().items():
        _template, was_created = model.objects.get_or_create(
            code=code, language=language, defaults={"subject": subject, "body": body, "active": True}
        )
        created += was_created
    return created
