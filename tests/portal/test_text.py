"""Names and other text people type are plain text: no control characters and no bidirectional
overrides (portal/text.py); one-line fields refuse line breaks and tabs too."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from portal.text import plain_text, refuse_control_characters, single_line

HOSTILE = {
    "carriage return": "Ada\rPeeters",
    "line feed": "Ada\nPeeters",
    "tab": "Ada\tPeeters",
    "NUL": "Ada\x00Peeters",
    "escape": "Ada\x1b[31mPeeters",
    "delete": "Ada\x7fPeeters",
    "C1 control": "Ada\x85Peeters",
    "left-to-right embedding": "Ada\u202aPeeters",
    "right-to-left override": "Ada\u202ePeeters",
    "left-to-right isolate": "Ada\u2066Peeters",
    "pop directional isolate": "Ada\u2069Peeters",
}
PLAIN = ["Ada Peeters", "Zoë O'Brien-Łukasiewicz", "محمد بن سلمان", "יעל כהן", "김민준", "Ada 😀"]


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_single_line_refuses_control_characters_and_direction_overrides(value):
    with pytest.raises(ValidationError) as refused:
        single_line(value)

    assert refused.value.code == "control_characters"
    assert "one line of plain text" in refused.value.messages[0]


@pytest.mark.parametrize("value", PLAIN)
def test_a_single_line_takes_names_in_any_script(value):
    assert single_line(value) is None


def test_the_message_names_the_character_refused():
    with pytest.raises(ValidationError) as refused:
        single_line("Ada\u202ePeeters")

    assert refused.value.messages == [
        "This must be one line of plain text, without line breaks, tabs, other control characters or "
        "text-direction marks (found U+202E RIGHT-TO-LEFT OVERRIDE)."
    ]


@pytest.mark.parametrize("value", ["First line\nsecond line", "Tab\tseparated", "Windows\r\nline"])
def test_plain_text_keeps_line_breaks_and_tabs(value):
    assert plain_text(value) is None


@pytest.mark.parametrize(
    "value", [v for k, v in HOSTILE.items() if k not in ("carriage return", "line feed", "tab")], ids=str
)
def test_plain_text_refuses_other_control_characters_and_direction_overrides(value):
    with pytest.raises(ValidationError):
        plain_text(value)


def test_values_that_are_not_text_are_left_to_their_field():
    assert (single_line(["pdf"]), plain_text(12)) == (None, None)


class Sample(forms.Form):
    name = forms.CharField()
    note = forms.CharField(widget=forms.Textarea)
    password = forms.CharField(widget=forms.PasswordInput)
    count = forms.IntegerField()


def test_refuse_control_characters_gives_each_text_field_the_validator_its_widget_calls_for():
    form = Sample({"name": "A\tB", "note": "A\tB\u202e", "password": "p\tw", "count": "1"})
    refuse_control_characters(form.fields)

    assert sorted(form.errors) == ["name", "note"]
