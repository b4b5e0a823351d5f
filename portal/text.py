"""Text people type is plain text: no control characters, no bidirectional overrides.

A control character in a name breaks e-mail headers, CSV exports and log lines; a direction
override (U+202A–U+202E, U+2066–U+2069) makes a name or a file name read differently from what it
is. One-line fields (names, titles, search terms) refuse line breaks and tabs too; text areas keep
those. `refuse_control_characters` gives each text field of a form the validator its widget calls
for, and `PlainTextAdmin` does the same for every form the admin builds.
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DIRECTION_OVERRIDES = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
LINE_BREAKS_AND_TABS = frozenset("\n\r\t")
NAMES = {"\n": "LINE FEED", "\r": "CARRIAGE RETURN", "\t": "TAB", "\x00": "NUL", "\x1b": "ESCAPE", "\x7f": "DELETE"}
SINGLE_LINE_MESSAGE = _(
    "This must be one line of plain text, without line breaks, tabs, other control characters or "
    "text-direction marks (found %(found)s)."
)
PLAIN_TEXT_MESSAGE = _("Use plain text, without control characters or text-direction marks (found %(found)s).")


def _describe(character: str) -> str:
    name = NAMES.get(character) or unicodedata.name(character, "")
    return f"U+{ord(character):04X} {name}".strip()


def _first_refused(value: str, allowed: frozenset[str]) -> str | None:
    for character in value:
        if character in allowed:
            continue
        if character in DIRECTION_OVERRIDES or unicodedata.category(character) == "Cc":
            return character
    return None


def single_line(value) -> None:
    """Refuse control characters (line breaks and tabs included) and direction overrides in `value`."""
    if isinstance(value, str) and (found := _first_refused(value, frozenset())) is not None:
        raise ValidationError(SINGLE_LINE_MESSAGE, code="control_characters", params={"found": _describe(found)})


def plain_text(value) -> None:
    """Refuse control characters other than line breaks and tabs, and direction overrides, in `value`."""
    if isinstance(value, str) and (found := _first_refused(value, LINE_BREAKS_AND_TABS)) is not None:
        raise ValidationError(PLAIN_TEXT_MESSAGE, code="control_characters", params={"found": _describe(found)})


def refuse_control_characters(fields: dict[str, forms.Field]) -> None:
    """Give every text field among `fields` `plain_text` (a text area) or `single_line` (any other
    widget); passwords are left as they are typed."""
    for field in fields.values():
        if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput):
            continue
        validator = plain_text if isinstance(field.widget, forms.Textarea) else single_line
        if validator not in field.validators:
            field.validators.append(validator)


class PlainTextAdmin:
    """Mixin of a ModelAdmin or an inline: every text field of the forms it builds refuses control
    characters and direction overrides (`refuse_control_characters`)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            refuse_control_characters({db_field.name: formfield})
        return formfield
