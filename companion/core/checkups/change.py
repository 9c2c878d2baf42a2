"""Change since last time, judged by each instrument's own rule (never by every wiggle).

PHQ-9: 5 points is a meaningful change for one person; response is a fall of at least 50% and
remission a score under 5, both from a starting score of 10 or more (HEDIS DRR-E). GAD-7: 4
points. PCL-5: 5 points is reliable change, 10 clinically meaningful. WHO-5: 10 percentage
points. The numbers live in each questionnaire's ``[change]`` table with their sources.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from companion.content.questionnaires import ChangeRule, Questionnaire
from companion.core.checkups.scoring import Score
from companion.i18n import _, ngettext

__all__ = ["Change", "Earlier", "compare", "describe"]


@dataclass(frozen=True, slots=True)
class Earlier:
    """An earlier result to compare with, and the day it was taken."""

    score: Score
    day: dt.date


@dataclass(frozen=True, slots=True)
class Change:
    previous: int  # shown values
    current: int
    delta: int  # current - previous
    meaningful: bool  # at least the instrument's meaningful change
    reliable: bool  # at least its reliable change (where it has one)
    improved: bool | None  # None when nothing changed
    baseline: int | None  # the starting value response and remission are judged from
    response: bool
    remission: bool

    @property
    def points(self) -> int:
        return abs(self.delta)


def compare(
    q: Questionnaire, current: Score, previous: Score | None, baseline: Score | None = None
) -> Change | None:
    """Compare ``current`` with ``previous``; response and remission are judged from ``baseline``
    (the score when treatment started), or from ``previous`` when no baseline is given.

    None when there is nothing fair to compare: no rule, no earlier score, or a result that
    could not be scored.
    """
    rule = q.change
    if rule is None or previous is None or current.shown is None or previous.shown is None:
        return None
    delta = current.shown - previous.shown
    start = baseline if baseline is not None and baseline.shown is not None else previous
    base = start.shown
    assert base is not None
    response = remission = False
    eligible = rule.min_baseline is not None and base >= rule.min_baseline
    if eligible and rule.response_drop_percent is not None:
        keep = 100 - rule.response_drop_percent
        response = current.shown * 100 <= base * keep
    if eligible and rule.remission_below is not None:
        remission = current.shown < rule.remission_below
    improved = None if delta == 0 else (delta < 0) == rule.lower_is_better
    return Change(
        previous=previous.shown,
        current=current.shown,
        delta=delta,
        meaningful=abs(delta) >= rule.meaningful,
        reliable=rule.reliable is not None and abs(delta) >= rule.reliable,
        improved=improved,
        baseline=base if eligible else None,
        response=response,
        remission=remission,
    )


def _moved(change: Change, since: str, shown: str, percent: bool, gloss: str) -> str:
    values = {
        "count": change.points,
        "since": since,
        "previous": f"{change.previous}{shown}",
        "current": f"{change.current}{shown}",
        "gloss": gloss,
    }
    n = change.points
    if change.delta < 0 and percent:
        text = ngettext(
            "{count} percentage point lower than on {since} ({previous} then, {current} now: "
            "{gloss}).",
            "{count} percentage points lower than on {since} ({previous} then, {current} now: "
            "{gloss}).",
            n,
        )
    elif change.delta < 0:
        text = ngettext(
            "{count} point lower than on {since} ({previous} then, {current} now: {gloss}).",
            "{count} points lower than on {since} ({previous} then, {current} now: {gloss}).",
            n,
        )
    elif percent:
        text = ngettext(
            "{count} percentage point higher than on {since} ({previous} then, {current} now: "
            "{gloss}).",
            "{count} percentage points higher than on {since} ({previous} then, {current} now: "
            "{gloss}).",
            n,
        )
    else:
        text = ngettext(
            "{count} point higher than on {since} ({previous} then, {current} now: {gloss}).",
            "{count} points higher than on {since} ({previous} then, {current} now: {gloss}).",
            n,
        )
    return text.format(**values)


def _size(rule: ChangeRule, change: Change, percent: bool) -> str:
    """What the size of the change means by the instrument's rule."""
    size = rule.meaningful
    if change.meaningful:
        if percent:
            text = ngettext(
                "Clinicians generally treat a change of {count} percentage point or more as "
                "meaningful.",
                "Clinicians generally treat a change of {count} percentage points or more as "
                "meaningful.",
                size,
            )
        else:
            text = ngettext(
                "Clinicians generally treat a change of {count} point or more as meaningful.",
                "Clinicians generally treat a change of {count} points or more as meaningful.",
                size,
            )
        return text.format(count=size)
    if rule.reliable is not None and change.reliable:
        return ngettext(
            "That is more than the {reliable} point counted as reliable change, though less "
            "than the {meaningful} points counted as clinically meaningful.",
            "That is more than the {reliable} points counted as reliable change, though less "
            "than the {meaningful} points counted as clinically meaningful.",
            rule.reliable,
        ).format(reliable=rule.reliable, meaningful=size)
    if percent:
        text = ngettext(
            "Changes smaller than {count} percentage point can be part of the usual ups and downs.",
            "Changes smaller than {count} percentage points can be part of the usual ups and "
            "downs.",
            size,
        )
    else:
        text = ngettext(
            "Changes smaller than {count} point can be part of the usual ups and downs.",
            "Changes smaller than {count} points can be part of the usual ups and downs.",
            size,
        )
    return text.format(count=size)


def describe(q: Questionnaire, change: Change, since: str, baseline_since: str = "") -> list[str]:
    """Plain sentences about a change: ``since`` names the earlier result ("3 Mar"),
    ``baseline_since`` the starting one (defaults to ``since``)."""
    rule = q.change
    assert rule is not None
    percent = q.scoring.multiplier != 1
    shown = "%" if percent else ""
    lines: list[str] = []
    if change.delta == 0:
        lines.append(
            _("The same as on {since} ({current}).").format(
                since=since, current=f"{change.current}{shown}"
            )
        )
    else:
        lower = change.delta < 0
        if rule.lower_is_better:
            gloss = _("fewer or milder problems") if lower else _("more or stronger problems")
        else:
            gloss = _("lower wellbeing") if lower else _("better wellbeing")
        lines.append(_moved(change, since, shown, percent, gloss))
        lines.append(_size(rule, change, percent))
    start = baseline_since or since
    if change.response and rule.response_drop_percent is not None:
        lines.append(
            _(
                "Your score is at least {percent}% lower than on {start} ({baseline}); "
                "clinicians call a fall that size a response to treatment."
            ).format(
                percent=rule.response_drop_percent,
                start=start,
                baseline=f"{change.baseline}{shown}",
            )
        )
    if change.remission and rule.remission_below is not None:
        lines.append(
            _(
                "A score under {below}, after starting at {baseline} or more, is what clinicians "
                "call remission."
            ).format(below=rule.remission_below, baseline=rule.min_baseline)
        )
    return lines
