"""The Dutch catalogue is complete: every string marked in the code and templates has a Dutch
translation in locale/nl/LC_MESSAGES/django.po, and none is fuzzy (`scripts/translations.py check`,
which extracts the strings afresh with makemessages in a temporary copy of the project).

It fails while strings are being marked and translated in parts (locale/parts/*.po) and passes once
`scripts/translations.py build` has folded every part into the catalogue; its output names the
strings still missing.
"""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def test_every_string_of_the_portal_has_its_dutch_translation():
    result = subprocess.run(
        [sys.executable, "scripts/translations.py", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    if result.returncode != 0:
        pytest.fail(result.stdout + result.stderr, pytrace=False)
