"""Scores over time: response and remission from each stretch's baseline, unscored results
counted, and medicine starts, dose changes and stops from the medication feature's overlay."""

from __future__ import annotations

from datetime import date, timedelta

from companion import features
from companion.content.questionnaires import get_questionnaire
from companion.core.checkups.scoring import score_answers
from companion.core.checkups.trends import Scored, baselines, build_trend, describe_trend
from companion.core.extension_points import ChartEvent, ChartOverlay
from companion.core.medications.service import MedicationService
from companion.core.medications.types import DoseInput
from tests.core.medication_helpers import add_daily

from .helpers import gad7, phq9, service

START = date(2026, 1, 5)


def _series(qid: str, totals: list[int | None]) -> list[Scored]:
    q = get_questionnaire(qid)
    out = []
    for n, total in enumerate(totals):
        if total is None:
            answers: dict[str, int | None] = {"1": 1}  # too many left out: no total
        else:
            answers = phq9(total) if qid == "phq9" else gad7(total)
        out.append(Scored(f"r{n}", START + timedelta(days=14 * n), score_answers(q, answers)))
    return out


def _marks(qid: str, totals: list[int | None]) -> list[str]:
    results = _series(qid, totals)
    trend = build_trend(get_questionnaire(qid), results, [], START, START + timedelta(days=999))
    return [
        f"{p.value}{'R' if p.response else ''}{'*' if p.remission else ''}" for p in trend.points
    ]


def test_response_and_remission_are_judged_from_the_first_elevated_score() -> None:
    # baseline 18: a response is 9 or less (at least 50% lower); remission is under 5
    assert _marks("phq9", [18, 14, 10, 9, 6, 4, 5]) == ["18", "14", "10", "9R", "6R", "4R*", "5R"]


def test_no_baseline_until_a_score_of_10_or_more() -> None:
    assert _marks("phq9", [8, 4, 12, 6, 3]) == ["8", "4", "12", "6R", "3R*"]


def test_after_a_remission_the_next_elevated_score_starts_a_new_stretch() -> None:
    marks = _marks("phq9", [16, 4, 7, 14, 9, 7])
    # 4: remission from 16; 7 is still a response to 16; 14 starts again: 9 is no response
    # to 14 (it needs 7), 7 is
    assert marks == ["16", "4R*", "7R", "14", "9", "7R"]


def test_results_without_a_total_are_counted_not_drawn_and_do_not_break_the_baseline() -> None:
    results = _series("phq9", [20, None, 9])
    trend = build_trend(get_questionnaire("phq9"), results, [], START, START + timedelta(days=99))
    assert [p.value for p in trend.points] == [20, 9] and trend.unscored == 1
    assert trend.points[1].response and trend.points[1].baseline_day == START
    assert baselines(get_questionnaire("phq9"), results)["r2"] == results[0]


def test_questionnaires_without_a_response_rule_have_no_marks() -> None:
    assert _marks("gad7", [18, 8, 2]) == ["18", "8", "2"]


def test_a_baseline_before_the_period_still_counts() -> None:
    results = _series("phq9", [20, 15, 8])
    q = get_questionnaire("phq9")
    trend = build_trend(q, results, [], START + timedelta(days=20), START + timedelta(days=99))
    assert [(p.value, p.response) for p in trend.points] == [(8, True)]


def test_the_trend_carries_the_events_the_overlays_give() -> None:
    seen: list[tuple[date, date]] = []

    def events(_db: object, start: date, end: date) -> list[ChartEvent]:
        seen.append((start, end))
        return [ChartEvent(date(2026, 11, 1), "Something", "medication")]

    svc, _clock, _db = service([ChartOverlay("test", "Test", events)])
    svc.complete("phq9", phq9(12))
    trend = svc.trend("phq9", start=date(2026, 6, 1), end=date(2026, 12, 4))
    assert seen == [(date(2026, 6, 1), date(2026, 12, 4))]
    assert [e.label for e in trend.events] == ["Something"]
    assert [p.value for p in trend.points] == [12]


def test_medicine_starts_dose_changes_and_stops_come_through_the_extension_point() -> None:
    """The check-up trend draws the medication feature's own overlay, found through the
    registry (no medication code in the check-ups feature)."""
    svc, clock, db = service(overlays=features.load().chart_overlays())
    meds = MedicationService(db, clock=clock)
    first = add_daily(meds, "Sertraline", started=date(2026, 9, 1))
    meds.change_dose(first.id, DoseInput(100, "mg"), date(2026, 9, 29))
    meds.stop(first.id, date(2026, 10, 20), "side_effects")
    add_daily(meds, "Venlafaxine XR", started=date(2026, 10, 27), strength=75, category="snri",
              amount=75)  # fmt: skip
    svc.complete("phq9", phq9(17), now=clock.now - timedelta(days=90))
    svc.complete("phq9", phq9(8))  # at least 50% lower than 17
    trend = svc.trend("phq9", start=date(2026, 8, 1), end=date(2026, 12, 4))
    events = [(e.day.isoformat(), e.kind, e.label, e.until) for e in trend.events]
    assert ("2026-09-01", "medication", "Sertraline", date(2026, 10, 20)) in events
    assert ("2026-09-29", "dose", "100 mg", None) in events
    assert ("2026-10-27", "medication", "Venlafaxine XR", None) in events
    text = " ".join(describe_trend(trend))
    assert "Sertraline from 1 Sep 2026 to 20 Oct 2026" in text
    assert "Venlafaxine XR from 27 Oct 2026" in text
    assert "Dose changes: 100 mg on 29 Sep 2026." in text
    assert "1 result counts as a response to treatment (the first on 4 Dec 2026)." in text


def test_the_trend_in_words() -> None:
    results = _series("phq9", [18, 12, 4])
    trend = build_trend(get_questionnaire("phq9"), results, [], START, date(2026, 3, 1))
    assert describe_trend(trend) == [
        "PHQ-9, 5 Jan 2026 to 1 Mar 2026: 3 results, from 4 to 18; the latest 4 on "
        "2 Feb 2026 (Minimal).",
        "1 result counts as a response to treatment (the first on 2 Feb 2026).",
        "1 result is in the remission range (on 2 Feb 2026).",
    ]
    empty = build_trend(get_questionnaire("gad7"), [], [], START, date(2026, 3, 1))
    assert describe_trend(empty) == [
        "GAD-7, 5 Jan 2026 to 1 Mar 2026: no results with a total in this period."
    ]
