"""Change since last time, judged by each instrument's own rule (never by every wiggle).

PHQ-9: 5 points is a meaningful change for one person; response is a fall of at least 50% and
remission a score under 5, both from a starting score of 10 or more (HEDIS DRR-E). GAD-7: 4
points. PCL-5: 5 points is reliable change, 10 clinically meaningful. WHO-5: 10 percentage
points. The numbers live in each questionnaire's ``[change]`` table with their sources.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from companion.content.questionnaires import Questionnaire
from companion.core.checkups.scoring import Score

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


def _points(n: int, percent: bool) -> str:
    unit = "percentage point" if percent else "point"
    return f"{n} {unit}{'' if n == 1 else 's'}"


def describe(q: Questionnaire, change: Change, since: str, baseline_since: str = "") -> list[str]:
    """Plain sentences about a change: ``since`` names the earlier result ("3 March"),
    ``baseline_since`` the starting one (defaults to ``since``)."""
    rule = q.change
    assert rule is not None
    percent = q.scoring.multiplier != 1
    shown = "%" if percent else ""
    lines: list[str] = []
    if change.delta == 0:
        lines.append(f"The same as on {since} ({change.current}{shown}).")
    else:
        lower = change.delta < 0
        word = "lower" if lower else "higher"
        if rule.lower_is_better:
            gloss = "fewer or milder problems" if lower else "more or stronger problems"
        else:
            gloss = "lower wellbeing" if lower else "better wellbeing"
        lines.append(
            f"{_points(change.points, percent).capitalize()} {word} than on {since} "
            f"({change.previous}{shown} then, {change.current}{shown} now: {gloss})."
        )
        size = _points(rule.meaningful, percent)
        if change.meaningful:
            lines.append(f"Clinicians generally treat a change of {size} or more as meaningful.")
        elif rule.reliable is not None and change.reliable:
            lines.append(
                f"That is more than the {_points(rule.reliable, percent)} counted as reliable "
                f"change, though less than the {size} counted as clinically meaningful."
            )
        else:
            lines.append(f"Changes smaller than {size} can be part of the usual ups and downs.")
    start = baseline_since or since
    if change.response and rule.response_drop_percent is not None:
        lines.append(
            f"Your score is at least {rule.response_drop_percent}% lower than on {start} "
            f"({change.baseline}{shown}); clinicians call a fall that size a response to "
            "treatment."
        )
    if change.remission and rule.remission_below is not None:
        lines.append(
            f"A score under {rule.remission_below}, after starting at {rule.min_baseline} or "
            "more, is what clinicians call remission."
        )
    return lines
