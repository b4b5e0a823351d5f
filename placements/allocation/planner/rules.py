"""A programme's component rules as plain data, and a checker for a rotation against them.

Built by the caller from the catalogue (offerings, offering groups, rotation patterns), so that the
planner needs no database:

- `SectionRule` per offered section: weeks_min/weeks_max, may_stand_alone, and its group;
- `GroupRule` per offering group: how many of its sections may be chosen (min/max_choices) and,
  when it has patterns, the accepted shapes (`Pattern`: how many sections, weeks per section).

The semantics are those of `placements.catalogue.validation`: every group's choice count within bounds; a
group with patterns and at least one chosen section must match at least one pattern; at least one
chosen section may stand alone; each section at most once.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from placements.allocation.planner.explain import (
    gettext,
    join_words,
    name_of,
    ngettext,
    sections_count,
    weeks_count,
    weeks_phrase,
)

SectionId = Hashable
GroupId = Hashable


@dataclass(frozen=True)
class Pattern:
    min_offerings: int
    max_offerings: int
    min_weeks_each: int = 1
    max_weeks_each: int = 52

    def matches(self, weeks: Sequence[int]) -> bool:
        return self.min_offerings <= len(weeks) <= self.max_offerings and all(
            self.min_weeks_each <= w <= self.max_weeks_each for w in weeks
        )


@dataclass(frozen=True)
class GroupRule:
    min_choices: int = 0
    max_choices: int = 1_000
    patterns: tuple[Pattern, ...] = ()
    title: str = ""


@dataclass(frozen=True)
class SectionRule:
    weeks_min: int = 1
    weeks_max: int = 52
    may_stand_alone: bool = True
    group: GroupId | None = None


@dataclass(frozen=True)
class RotationRules:
    sections: Mapping[SectionId, SectionRule]
    groups: Mapping[GroupId, GroupRule] = field(default_factory=dict)

    def allowed_lengths(self, section: SectionId, total_weeks: int) -> list[int]:
        """Block lengths a section can have in a stay of `total_weeks`, by its own and its group's rules."""
        rule = self.sections[section]
        low, high = max(1, rule.weeks_min), min(rule.weeks_max, total_weeks)
        group = self.groups.get(rule.group) if rule.group is not None else None
        if group is None or not group.patterns:
            return list(range(low, high + 1))
        return [
            length
            for length in range(low, high + 1)
            if any(p.min_weeks_each <= length <= p.max_weeks_each and p.max_offerings >= 1 for p in group.patterns)
        ]


def _group_title(group_id, group: GroupRule) -> str:
    return group.title or str(group_id)


def composition_problems(
    lengths: Mapping[SectionId, int], rules: RotationRules, names: Mapping[SectionId, str] | None = None
) -> list[str]:
    """What is wrong, in plain words, with spending `lengths[section]` weeks in each section."""
    problems = []
    if not lengths:
        return [gettext("No section is chosen.")]
    chosen_by_group: dict[GroupId, list[int]] = {}
    for section, weeks in lengths.items():
        rule = rules.sections.get(section)
        if rule is None:
            problems.append(
                gettext("%(section)s is not offered by this programme.") % {"section": name_of(section, names)}
            )
            continue
        if not rule.weeks_min <= weeks <= rule.weeks_max:
            takes = (
                f"{rule.weeks_min}–{weeks_count(rule.weeks_max)}"
                if rule.weeks_min != rule.weeks_max
                else weeks_count(rule.weeks_min)
            )
            problems.append(
                gettext("%(section)s takes %(takes)s, not %(weeks)s.")
                % {"section": name_of(section, names), "takes": takes, "weeks": weeks}
            )
        if rule.group is not None:
            chosen_by_group.setdefault(rule.group, []).append(weeks)
    for group_id, group in rules.groups.items():
        chosen = chosen_by_group.get(group_id, [])
        title = _group_title(group_id, group)
        if len(chosen) < group.min_choices:
            problems.append(
                gettext("%(group)s: at least %(sections)s must be chosen.")
                % {"group": title, "sections": sections_count(group.min_choices)}
            )
        elif len(chosen) > group.max_choices:
            problems.append(
                gettext("%(group)s: at most %(sections)s may be chosen.")
                % {"group": title, "sections": sections_count(group.max_choices)}
            )
        elif chosen and group.patterns and not any(p.matches(chosen) for p in group.patterns):
            shape = ngettext(
                "%(sections)s with this many weeks matches none of the allowed shapes.",
                "%(sections)s with these weeks match none of the allowed shapes.",
                len(chosen),
            )
            shape %= {"sections": sections_count(len(chosen))}
            problems.append(gettext("%(group)s: %(problem)s") % {"group": title, "problem": shape})
    known = [s for s in lengths if s in rules.sections]
    if known and not any(rules.sections[s].may_stand_alone for s in known):
        listed = join_words([name_of(s, names) for s in known])
        problems.append(gettext("%(sections)s cannot be done without another section.") % {"sections": listed})
    return problems


def schedule_problems(
    schedule: Mapping[int, SectionId],
    weeks: Sequence[int],
    rules: RotationRules,
    names: Mapping[SectionId, str] | None = None,
) -> list[str]:
    """What is wrong with a week-by-week schedule for a stay over `weeks` (empty: it is valid)."""
    problems = []
    wanted, given = set(weeks), set(schedule)
    if given - wanted:
        problems.append(
            gettext("The schedule uses %(weeks)s, outside the requested period.")
            % {"weeks": weeks_phrase(given - wanted)}
        )
    if wanted - given:
        problems.append(gettext("The schedule leaves %(weeks)s uncovered.") % {"weeks": weeks_phrase(wanted - given)})
    by_section: dict[SectionId, list[int]] = {}
    for week in sorted(schedule):
        by_section.setdefault(schedule[week], []).append(week)
    for section, section_weeks in by_section.items():
        if section_weeks[-1] - section_weeks[0] + 1 != len(section_weeks):
            problems.append(
                gettext("%(section)s is split over %(weeks)s.")
                % {"section": name_of(section, names), "weeks": weeks_phrase(section_weeks)}
            )
    problems += composition_problems({s: len(w) for s, w in by_section.items()}, rules, names)
    return problems
