"""Plain-words pieces shared by the planners' explanations (week ranges, seat counts, lists).

Counted words go through Django's `ngettext` (a language with other plural forms gets them from
its catalogue); outside a configured Django project, as in the benchmarks, English plurals.
"""

from collections.abc import Callable, Hashable, Iterable, Mapping

from django.conf import settings
from django.utils.translation import gettext as django_gettext
from django.utils.translation import ngettext as django_ngettext

WeekLabel = Callable[[int], str]


def default_week_label(week: int) -> str:
    return str(week)


def week_runs(weeks: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted runs of consecutive week indices: [3, 4, 5, 9] -> [(3, 5), (9, 9)]."""
    runs: list[tuple[int, int]] = []
    for week in sorted(set(weeks)):
        if runs and week == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], week)
        else:
            runs.append((week, week))
    return runs


def join_words(items: list[str], conjunction: str | None = None) -> str:
    """ "a, b and c" (`conjunction` in place of "and")."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if conjunction is None:
        return gettext("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def weeks_phrase(weeks: Iterable[int], label: WeekLabel = default_week_label, *, noun: bool = True) -> str:
    """ "week 12", "weeks 12-13" (with an en dash), "weeks 3, 5-6 and 9"; without the noun: "12-13"."""
    runs = week_runs(weeks)
    parts = [label(a) if a == b else f"{label(a)}–{label(b)}" for a, b in runs]
    if not noun:
        return join_words(parts)
    single = len(runs) == 1 and runs[0][0] == runs[0][1]
    if single:
        return gettext("week %(weeks)s") % {"weeks": join_words(parts)}
    return gettext("weeks %(weeks)s") % {"weeks": join_words(parts)}


def gettext(message: str) -> str:
    """`message` translated when Django is set up (the benchmarks run without it)."""
    if settings.configured:
        return django_gettext(message)
    return message


def gettext_noop(message: str) -> str:
    """`message` marked for the catalogue and translated later, with `gettext`."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form of a message for `count`, translated when Django is set up."""
    if settings.configured:
        return django_ngettext(singular, plural, count)
    return singular if count == 1 else plural


def weeks_count(count: int) -> str:
    """ "1 week", "3 weeks"."""
    return ngettext("%(count)d week", "%(count)d weeks", count) % {"count": count}


def seats_count(count: int) -> str:
    """ "1 seat", "3 seats"."""
    return ngettext("%(count)d seat", "%(count)d seats", count) % {"count": count}


def sections_count(count: int) -> str:
    """ "1 section", "3 sections"."""
    return ngettext("%(count)d section", "%(count)d sections", count) % {"count": count}


def score_phrase(score: float) -> str:
    text = f"{score:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def name_of(key: Hashable, names: Mapping | None) -> str:
    if names and key in names:
        return str(names[key])
    return str(key)
