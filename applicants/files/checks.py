"""Automatic checks on a document's extracted text; they advise the coordinator, they never refuse a file.
A check that finds no text to read says so (unchecked) rather than passing.

Numeric dates are read day first (European), except when only the month-first reading is a real date
("03/28/2027"). Month names are English and Dutch.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.utils.formats import date_format
from django.utils.translation import gettext

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTH_WORDS = {
    1: ("january", "jan", "januari"),
    2: ("february", "feb", "februari"),
    3: ("march", "mar", "maart", "mrt"),
    4: ("april", "apr"),
    5: ("may", "mei"),
    6: ("june", "jun", "juni"),
    7: ("july", "jul", "juli"),
    8: ("august", "aug", "augustus"),
    9: ("september", "sep", "sept"),
    10: ("october", "oct", "oktober", "okt"),
    11: ("november", "nov"),
    12: ("december", "dec"),
}
_MONTHS = {word: number for number, words in _MONTH_WORDS.items() for word in words}


def _month(group: str) -> str:
    names = "|".join(sorted(_MONTHS, key=len, reverse=True))
    return rf"(?P<{group}>{names})\b\.?"


def _day(group: str) -> str:
    return rf"\b(?P<{group}>[0-3]?\d)(?:st|nd|rd|th|ste|de|e)?\b"


_YEAR = r"(?P<y>(?:19|20)\d\d)\b"
_OF = r"(?:\s*of)?"
_GAP = r"[\s,.\-]*"
_TO = r"\s*(?:-|to|until|till|through|and|tot en met|t/m|tot)\s*"
_PATTERNS = [
    # 3 March 2027, 3rd of March 2027, 3 Mar. 2027, 3 maart 2027, 3-Mar-2027
    rf"{_day('d1')}{_OF}{_GAP}{_month('m1')}{_GAP}{_YEAR}",
    # March 3, 2027; March 3rd 2027
    rf"\b{_month('m1')}\s*{_day('d1')}{_GAP}{_YEAR}",
    # 3 to 28 March 2027
    rf"{_day('d1')}{_TO}{_day('d2')}{_OF}{_GAP}{_month('m2')}{_GAP}{_YEAR}",
    # 3 March to 28 April 2027
    rf"{_day('d1')}{_OF}{_GAP}{_month('m1')}{_TO}{_day('d2')}{_OF}{_GAP}{_month('m2')}{_GAP}{_YEAR}",
    # March 3 to April 28, 2027
    rf"\b{_month('m1')}\s*{_day('d1')}{_TO}{_month('m2')}\s*{_day('d2')}{_GAP}{_YEAR}",
    # March 3-28, 2027
    rf"\b{_month('m2')}\s*{_day('d1')}{_TO}{_day('d2')}{_GAP}{_YEAR}",
]
_DATE_PATTERNS = [re.compile(pattern, re.IGNORECASE) for pattern in _PATTERNS]
_NUMERIC_DAY_FIRST = re.compile(r"\b([0-3]?\d)([/.\-])([0-3]?\d)\2((?:19|20)\d\d)\b")
_NUMERIC_YEAR_FIRST = re.compile(r"\b((?:19|20)\d\d)([/.\-])([01]?\d)\2([0-3]?\d)\b")
_DASHES = dict.fromkeys([*range(0x2010, 0x2016), 0x2212], "-") | {0xAD: None}


class CheckStatus(StrEnum):
    PASS = "pass"  # noqa: S105 (a check outcome, not a password)  # nosec B105
    WARN = "warn"
    UNCHECKED = "unchecked"  # there was no text to read: neither passed nor failed


@dataclass(frozen=True)
class CheckResult:
    status: CheckStatus
    message: str


def find_dates(text: str) -> set[date]:
    """Every calendar date written out in `text`, including both ends of ranges like "3-28 March 2027"."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    found: set[date] = set()
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            found |= _dates_of(match)
    for match in _NUMERIC_DAY_FIRST.finditer(text):
        day, separator, month, year = match.groups()
        parsed = _date(int(year), int(month), int(day))
        if parsed is None and separator == "/":
            parsed = _date(int(year), int(day), int(month))
        found.add(parsed)
    for match in _NUMERIC_YEAR_FIRST.finditer(text):
        year, _, month, day = match.groups()
        found.add(_date(int(year), int(month), int(day)))
    found.discard(None)
    return found


def check_states_dates(text: str, start: date, end: date) -> CheckResult:
    """Does the (motivation) letter state the requested start and end dates?"""
    requested = {"requested": f"{_day(start)} – {_day(end)}"}
    if not text.strip():
        message = gettext(
            "The letter has no readable text (it may be a scan), so whether it states the requested dates "
            "(%(requested)s) was not checked; please read it."
        )
        return CheckResult(CheckStatus.UNCHECKED, message % requested)
    found = find_dates(text)
    if start in found and end in found:
        return CheckResult(
            CheckStatus.PASS, gettext("The letter states the requested dates (%(requested)s).") % requested
        )
    if start not in found and end not in found:
        message = gettext("The letter does not mention the requested dates (%(requested)s).") % requested
    elif start not in found:
        message = gettext("The letter does not mention the requested start date %(day)s.") % {"day": _day(start)}
    else:
        message = gettext("The letter does not mention the requested end date %(day)s.") % {"day": _day(end)}
    others = sorted(found - {start, end})
    if others:
        listed = ", ".join(_day(day) for day in others[:5])
        message += " " + gettext("Other dates in the letter: %(dates)s.") % {"dates": listed}
    return CheckResult(CheckStatus.WARN, message)


_ENGLISH_TERMS = re.compile(
    r"\b(IELTS|TOEFL|TOEIC|Cambridge|CEFR|Common European Framework|Duolingo|PTE Academic|English|Engels)\b",
    re.IGNORECASE,
)
_CEFR_LEVEL = re.compile(r"\b([ABC][12])\b")


def check_proof_of_english(present: bool, text: str) -> CheckResult:
    """Is a proof of English there, and does its text (when it has any) look like one?"""
    if not present:
        return CheckResult(CheckStatus.WARN, gettext("No proof of English has been uploaded."))
    if not text.strip():
        return CheckResult(
            CheckStatus.UNCHECKED,
            gettext(
                "A proof of English is present; it has no readable text (an image or a scan), so its content "
                "was not checked; please look at it."
            ),
        )
    if term := _ENGLISH_TERMS.search(text):
        message = gettext("A proof of English is present; it mentions %(term)s.") % {"term": term[1]}
        return CheckResult(CheckStatus.PASS, message)
    if level := _CEFR_LEVEL.search(text):
        message = gettext("A proof of English is present; it mentions level %(level)s.") % {"level": level[1]}
        return CheckResult(CheckStatus.PASS, message)
    return CheckResult(
        CheckStatus.WARN,
        gettext(
            "A proof of English is present, but its text does not mention English, IELTS, TOEFL, Cambridge or a "
            "CEFR level; please look at it."
        ),
    )


def _day(day: date) -> str:
    """A date in a check's message, in the language being written ("3 March 2027", "3 maart 2027")."""
    return date_format(day, "j F Y")


def format_date(day: date) -> str:
    """'3 March 2027', whatever the server's locale."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def _dates_of(match: re.Match) -> set[date]:
    groups = match.groupdict()
    year = int(groups["y"])
    last_month = _MONTHS[(groups.get("m2") or groups["m1"]).lower()]
    first_month = _MONTHS[groups["m1"].lower()] if groups.get("m1") else last_month
    # "15 December to 10 January 2028": the range starts in the year before.
    first_year = year - 1 if first_month > last_month else year
    days = {_date(first_year, first_month, int(groups["d1"]))}
    if groups.get("d2"):
        days.add(_date(year, last_month, int(groups["d2"])))
    return {day for day in days if day is not None}


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
