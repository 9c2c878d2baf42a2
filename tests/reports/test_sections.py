"""Sections from plain records: the figures a clinician reads, checked against hand counts."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from companion.core.reports.model import Chart, Facts, Period, Table
from companion.core.reports.records import (
    AdherenceFigures,
    CheckupRecord,
    DoseChange,
    MedicineRecord,
    MoodCheckin,
    PracticeRecord,
)
from companion.core.reports.sections.checkups import checkups_section
from companion.core.reports.sections.exercises import exercises_section
from companion.core.reports.sections.homework import homework_section, task_value
from companion.core.reports.sections.medicines import dose_text, medicines_section
from companion.core.reports.sections.mood import mood_section
from tests.reports.synthetic import local, make_diary

P = Period(date(2026, 10, 1), date(2026, 10, 31))


def _facts(section_blocks: tuple[object, ...]) -> dict[str, tuple[str, str]]:
    out = {}
    for block in section_blocks:
        if isinstance(block, Facts):
            for fact in block.items:
                out[fact.label] = (fact.value, fact.detail)
    return out


def _table(blocks: tuple[object, ...], table_id: str) -> Table:
    return next(b for b in blocks if isinstance(b, Table) and b.id == table_id)


def test_mood_figures_match_a_hand_count() -> None:
    diary = make_diary()
    section = mood_section(diary.checkins, diary.period)
    by_day: dict[date, list[int]] = defaultdict(list)
    for c in diary.checkins:
        if c.day in diary.period:
            by_day[c.day].append(c.mood)
    means = [sum(v) / len(v) for v in by_day.values()]
    facts = _facts(section.glance)
    assert facts["Days with a check-in"][0] == f"{len(by_day)} of 90"
    assert facts["Mood, mean (0 worst – 10 best)"][0] == f"{statistics.fmean(means):.1f}"
    assert f"SD {statistics.stdev(means):.1f}" in facts["Mood, mean (0 worst – 10 best)"][1]
    chart = next(b for b in section.glance if isinstance(b, Chart))
    daily = chart.series[0]
    assert len(daily.points) == len(by_day)  # gaps stay gaps
    assert chart.timeline


def test_mood_gaps_are_never_zeros_and_the_rolling_mean_uses_days_before_the_period() -> None:
    days = [P.start - timedelta(days=3), P.start, P.start + timedelta(days=10)]
    checkins = [MoodCheckin(local(d, 20), 6) for d in days]
    section = mood_section(checkins, P)
    chart = next(b for b in section.glance if isinstance(b, Chart))
    daily, rolling = chart.series
    assert [p.day for p in daily.points] == [P.start, P.start + timedelta(days=10)]
    assert rolling.points[0].day == P.start and rolling.points[0].value == 6
    months = _table(section.detail, "mood_by_month")
    assert months.rows[0][:3] == (date(2026, 10, 1), 2, 31)


def test_latest_checkups_show_band_change_and_the_question_9_flag() -> None:
    def phq(day: date, values: list[int]) -> CheckupRecord:
        return CheckupRecord(
            "phq9", 1, local(day, 10), {str(i + 1): v for i, v in enumerate(values)}
        )

    records = [
        phq(P.start - timedelta(days=14), [3, 3, 2, 2, 2, 2, 2, 1, 1]),  # 18, before the period
        phq(P.start + timedelta(days=1), [2, 2, 2, 2, 1, 2, 1, 1, 0]),  # 13
        phq(P.start + timedelta(days=15), [1, 1, 1, 1, 1, 1, 1, 0, 2]),  # 9, item 9 = 2
    ]
    section = checkups_section(records, P)
    latest = _table(section.glance, "checkups_latest")
    (row,) = latest.rows
    cells = dict(zip([c.key for c in latest.columns], row, strict=True))
    assert cells["score"] == 9 and cells["out_of"] == 27 and cells["band"] == "Mild"
    assert cells["previous"] == 13 and cells["change"] == -4
    assert cells["change_words"] == "-4 since 2 Oct: better, within usual ups and downs"
    facts = _facts(section.glance)
    value, detail = facts["PHQ-9 question 9 (thoughts of death or self-harm)"]
    assert value == "Above zero on 1 of 2 occasions"
    assert detail == "16 Oct 2026: “More than half the days”"
    assert any(f.flag for b in section.glance if isinstance(b, Facts) for f in b.items)
    assert any("Pfizer" in n for n in section.notices)
    answers = _table(section.detail, "checkup_answers")
    assert len(answers.rows) == 18  # two results inside the period, nine answers each
    assert {r[7] for r in answers.rows if r[3] == "9"} == {"44260-8"}


def test_a_meaningful_fall_and_response_are_named() -> None:
    records = [
        CheckupRecord("phq9", 1, local(P.start, 10), {**{str(i): 2 for i in range(1, 9)}, "9": 0}),
        CheckupRecord("phq9", 1, local(P.end, 10), {str(i): 0 for i in range(1, 10)}),  # 0
    ]
    latest = _table(checkups_section(records, P).glance, "checkups_latest")
    words = latest.rows[0][-1]
    assert words == "-16 since 1 Oct: better, meaningful change; remission range (from 1 Oct)"
    zero = _facts(checkups_section(records, P).glance)
    assert zero["PHQ-9 question 9 (thoughts of death or self-harm)"][0] == (
        "Zero on all 2 occasions"
    )


def test_medicine_changes_become_markers_and_adherence_is_per_medicine() -> None:
    med = MedicineRecord(
        id="m",
        name="Sertraline",
        category="SSRI",
        started_on=P.start + timedelta(days=2),
        stopped_on=P.end - timedelta(days=1),
        stop_reason="Side effects",
        doses=(
            DoseChange(P.start + timedelta(days=2), 50, "mg", "Every day at 08:00", 1),
            DoseChange(P.start + timedelta(days=12), 75, "mg", "Every day at 08:00 and 20:00", 2),
        ),
        adherence=AdherenceFigures(expected=40, taken=37, not_logged=2, on_time=30, timed=36),
    )
    old = MedicineRecord("o", "Old", "SSRI", date(2020, 1, 1), date(2020, 6, 1), "Cost")
    section = medicines_section([med, old], P)
    assert [(m.day.day, m.kind, m.label) for m in section.markers] == [
        (3, "start", "Sertraline started (50 mg)"),
        (13, "change", "Sertraline 50 → 75 mg"),
        (30, "stop", "Sertraline stopped"),
    ]
    table = _table(section.glance, "medicines")
    (row,) = table.rows  # the course that ended in 2020 is not in this period
    cells = dict(zip([c.key for c in table.columns], row, strict=True))
    assert cells["dose"] == "150 mg a day (75 mg twice a day)"
    assert cells["taken_share"] == 37 / 40 and cells["taken"] == 37
    assert cells["changes"] == (
        "started 3 Oct; 50 → 75 mg on 13 Oct; stopped 30 Oct (side effects)"
    )
    assert dose_text(DoseChange(P.start, 5, "mg", "As needed")) == "5 mg a dose"


def test_exercise_means_use_only_sessions_rated_twice() -> None:
    at = datetime(2026, 10, 5, 18, tzinfo=UTC)
    sessions = [
        PracticeRecord("five-senses", "Five senses", at, True, 8, 4),
        PracticeRecord("five-senses", "Five senses", at, True, 6, 5),
        PracticeRecord("five-senses", "Five senses", at, False, 7, None),
    ]
    table = _table(exercises_section(sessions, P).detail, "exercise_practice")
    assert table.rows == (("Five senses", 3, 2, 2, 7.0, 4.5, -2.5),)


def test_homework_section_reports_each_task_as_counted() -> None:
    diary = make_diary()
    section = homework_section(diary.plans, diary.period)
    (facts,) = section.glance
    assert isinstance(facts, Facts)
    assert facts.title.startswith("“Between our sessions” from Sam Rivera (your therapist)")
    progress = diary.plans[0]
    for fact, task in zip(facts.items, progress.tasks, strict=True):
        assert fact.value == task_value(task)
    check_in = progress.tasks[0]
    assert facts.items[0].value == (
        f"{check_in.done} of {check_in.due} so far ({round(100 * check_in.done / check_in.due)}%)"
    )
    assert "ticked off by the person" in facts.items[4].detail
    weeks = _table(section.detail, "homework_progress")
    assert {r[-1] for r in weeks.rows} == {"app", "person"}
