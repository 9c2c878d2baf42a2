"""Scores over time: the points of one questionnaire, with response and remission marked, and
the events other features draw over the chart (medicine starts, dose changes and stops).

Response and remission are judged from a baseline, the way the HEDIS depression measure does
(clinical-reference §2.3): a stretch of care starts with the first score at or above the
questionnaire's ``min_baseline`` (PHQ-9: 10), and every later score is compared with that one;
after a remission, the next elevated score starts a new stretch. One rule for the chart and for
each result's "since last time", so the two never disagree. Questionnaires without a response
or remission rule (GAD-7, PCL-5, WHO-5) have no baseline and no such marks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from companion.content.questionnaires import Band, Questionnaire
from companion.core.checkups.change import compare
from companion.core.checkups.scoring import Score
from companion.core.extension_points import ChartEvent
from companion.i18n import _, format_date, ngettext, pgettext

__all__ = [
    "CHANGE_KINDS",
    "Scored",
    "Trend",
    "TrendPoint",
    "baselines",
    "build_trend",
    "describe_trend",
]

#: overlay event kinds that mark a change on one day (the others are courses with a start
#: and, when they ended, a last day): the medication feature's "dose", or a generic "change"
CHANGE_KINDS = frozenset({"dose", "change"})


@dataclass(frozen=True)
class Scored:
    """A result with its day, as the trend sees it."""

    response_id: str
    day: date
    score: Score


@dataclass(frozen=True)
class TrendPoint:
    response_id: str
    day: date
    value: int  # the total as shown (WHO-5: the percentage)
    band: str
    #: a fall of the questionnaire's response share from this stretch's baseline
    response: bool
    #: under the remission score, after a baseline at or above min_baseline
    remission: bool
    #: the baseline this point was judged from (None: none yet, or no rule)
    baseline_day: date | None = None


@dataclass(frozen=True)
class Trend:
    questionnaire: Questionnaire
    points: tuple[TrendPoint, ...]
    #: results in the period that have no total (too many questions left out, an older
    #: version): counted, never drawn as a number
    unscored: int
    events: tuple[ChartEvent, ...]
    start: date
    end: date

    # worked out once: a chart asks for them for every point it places, at every paint
    @cached_property
    def maximum(self) -> int:
        return self.questionnaire.max_total * self.questionnaire.scoring.multiplier

    @cached_property
    def minimum(self) -> int:
        return self.questionnaire.min_total * self.questionnaire.scoring.multiplier

    def bands(self) -> list[tuple[int, int, Band]]:
        """The bands in shown units: (lowest, highest, band)."""
        m = self.questionnaire.scoring.multiplier
        return [(b.min * m, b.max * m, b) for b in self.questionnaire.bands]


def baselines(q: Questionnaire, results: Sequence[Scored]) -> dict[str, Scored | None]:
    """For every result (oldest first), the baseline its response and remission are judged
    from; None when there is none (no rule, or no elevated score before it)."""
    rule = q.change
    out: dict[str, Scored | None] = {}
    if rule is None or rule.min_baseline is None:
        return {r.response_id: None for r in results}
    current: Scored | None = None
    remitted = False
    for result in results:
        shown = result.score.shown
        out[result.response_id] = current
        if shown is None:
            continue
        if current is None or (remitted and shown >= rule.min_baseline):
            if shown >= rule.min_baseline:
                current, remitted = result, False
                out[result.response_id] = None  # the first score of a stretch is its baseline
            continue
        if rule.remission_below is not None and shown < rule.remission_below:
            remitted = True
    return out


def build_trend(
    q: Questionnaire,
    results: Sequence[Scored],
    events: Sequence[ChartEvent],
    start: date,
    end: date,
) -> Trend:
    """The points from ``start`` to ``end`` (inclusive); ``results`` may reach further back,
    so a baseline taken before the period still counts. ``events`` are the overlays' events
    for the same period, as they gave them."""
    ordered = sorted(results, key=lambda r: (r.day, r.response_id))
    base = baselines(q, ordered)
    points: list[TrendPoint] = []
    unscored = 0
    for result in ordered:
        if not start <= result.day <= end:
            continue
        score = result.score
        if score.shown is None:
            unscored += 1
            continue
        baseline = base.get(result.response_id)
        response = remission = False
        if baseline is not None:
            change = compare(q, score, baseline.score, baseline.score)
            if change is not None:
                response, remission = change.response, change.remission
        points.append(
            TrendPoint(
                response_id=result.response_id,
                day=result.day,
                value=score.shown,
                band=score.band.label if score.band is not None else "",
                response=response,
                remission=remission,
                baseline_day=baseline.day if baseline is not None else None,
            )
        )
    return Trend(q, tuple(points), unscored, tuple(events), start, end)


def _span_text(event: ChartEvent) -> str:
    if event.until is None:
        return _("{name} from {start}").format(
            name=event.label, start=format_date(event.day, "medium")
        )
    return _("{name} from {start} to {end}").format(
        name=event.label,
        start=format_date(event.day, "medium"),
        end=format_date(event.until, "medium"),
    )


def describe_trend(trend: Trend) -> list[str]:
    """The chart in sentences, for screen readers and anyone who prefers words."""
    q = trend.questionnaire
    unit = "%" if q.scoring.multiplier != 1 else ""
    head = _("{name}, {start} to {end}").format(
        name=q.name,
        start=format_date(trend.start, "medium"),
        end=format_date(trend.end, "medium"),
    )
    points = trend.points
    lines: list[str] = []
    if not points:
        lines.append(_("{head}: no results with a total in this period.").format(head=head))
    else:
        low = min(points, key=lambda p: (p.value, p.day))
        high = max(points, key=lambda p: (p.value, p.day))
        last = points[-1]
        lines.append(
            ngettext(
                "{head}: {count} result, {latest}{unit} on {day} ({band}).",
                "{head}: {count} results, from {low}{unit} to {high}{unit}; the latest "
                "{latest}{unit} on {day} ({band}).",
                len(points),
            ).format(
                head=head,
                count=len(points),
                low=low.value,
                high=high.value,
                latest=last.value,
                unit=unit,
                day=format_date(last.day, "medium"),
                band=last.band,
            )
        )
        responses = [p for p in points if p.response]
        if responses:
            lines.append(
                ngettext(
                    "{count} result counts as a response to treatment (the first on {day}).",
                    "{count} results count as a response to treatment (the first on {day}).",
                    len(responses),
                ).format(count=len(responses), day=format_date(responses[0].day, "medium"))
            )
        remissions = [p for p in points if p.remission]
        if remissions:
            lines.append(
                ngettext(
                    "{count} result is in the remission range (on {days}).",
                    "{count} results are in the remission range (on {days}).",
                    len(remissions),
                ).format(
                    count=len(remissions),
                    days=pgettext("list separator", ", ").join(
                        format_date(p.day, "medium") for p in remissions
                    ),
                )
            )
    if trend.unscored:
        lines.append(
            ngettext(
                "{count} more result has no total, so it is not drawn.",
                "{count} more results have no total, so they are not drawn.",
                trend.unscored,
            ).format(count=trend.unscored)
        )
    spans = [e for e in trend.events if e.kind not in CHANGE_KINDS]
    changes = [e for e in trend.events if e.kind in CHANGE_KINDS]
    if spans:
        lines.append(
            _("Medicines and treatments: {items}.").format(
                items="; ".join(_span_text(e) for e in spans)
            )
        )
    if changes:
        lines.append(
            _("Dose changes: {items}.").format(
                items="; ".join(
                    _("{dose} on {day}").format(dose=e.label, day=format_date(e.day, "medium"))
                    for e in changes
                )
            )
        )
    return lines
