"""Treatment history at its edges: which dose is the highest, how steps are cut and merged,
the mood and score windows to the day, plurals, order, and the settings that reach the figures.

Written against the survivors of mutation testing (tools/mutation.sh). Every expected value is
worked out by hand in the comment above it. The sentence about the time at the highest dose is
being reworded (issue 19): only the start it keeps ("N days [so far] at the highest dose") and
the form both wordings give for a whole number of weeks over four are asserted here.

"Now" is Monday 15 June 2026, 12:00 at UTC+2; every moment below is at UTC+2.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import pytest

from companion.core.extension_points import ScoreSource
from companion.core.medications.adherence import (
    AdherenceConfig,
    DoseStatus,
    DoseVersion,
    LogRecord,
    MedicationRecord,
    ScheduleKind,
    ScheduleVersion,
    log_record,
    summarise,
)
from companion.core.medications.history import (
    MoodPoint,
    MoodWindow,
    ScoreChange,
    ScorePoint,
    TreatmentHistoryService,
    build_course,
    build_history,
    build_trial,
    daily_mood,
    duration_text,
    evaluate_all,
    mood_change,
    mood_windows,
    score_changes,
)
from companion.core.medications.preferences import ReminderPreferences
from companion.core.medications.types import TreatmentInfo
from companion.core.mood.service import CheckIn, MoodService
from tests.core.medication_helpers import NOW, PLUS2, add_daily, service
from tests.core.mood_helpers import fresh_db

TODAY = date(2026, 6, 15)
MON, WED, FRI = 0, 2, 4


def d(day: int, month: int = 6) -> date:
    return date(2026, month, day)


def moment(day: date, hhmm: str, late: int = 0) -> datetime:
    hh, mm = (int(x) for x in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=PLUS2) + timedelta(minutes=late)


def taken(*slots: tuple[date, str], late: int = 0) -> tuple[LogRecord, ...]:
    """Each slot logged as taken ``late`` minutes after its time, with its time recorded."""
    out = []
    for day, hhmm in slots:
        when = moment(day, hhmm, late).astimezone(UTC)
        out.append(
            log_record(DoseStatus.TAKEN, when, 120, True, when, slot_date=day, slot_time=hhmm)
        )
    return tuple(out)


def each_day(first: date, last: date, hhmm: str = "08:00", skip: Sequence[int] = ()) -> list:
    days = [first + timedelta(days=k) for k in range((last - first).days + 1)]
    return [(day, hhmm) for day in days if day.day not in skip]


def daily(start: date, *times: str) -> ScheduleVersion:
    return ScheduleVersion(start, ScheduleKind.DAILY, times)


def mwf(start: date, *times: str) -> ScheduleVersion:
    return ScheduleVersion(start, ScheduleKind.WEEKDAYS, times, frozenset({MON, WED, FRI}))


def record(
    name: str,
    start: date,
    stop: date | None,
    schedules: tuple[ScheduleVersion, ...],
    doses: tuple[tuple[date, float], ...],
    log: tuple[LogRecord, ...] = (),
    *,
    reason: str | None = None,
) -> MedicationRecord:
    return MedicationRecord(
        id=name.lower(),
        name=name,
        category="ssri",
        started_on=start,
        stopped_on=stop,
        schedules=schedules,
        doses=tuple(DoseVersion(day, amount, "mg") for day, amount in doses),
        log=log,
        stop_reason=reason,
    )


def trial_facts(rec: MedicationRecord, mood: Sequence[MoodPoint] = ()) -> tuple[str, ...]:
    return build_trial(rec, TODAY, NOW, mood_days=mood).facts


def therapy(start: date, end: date | None = None, sessions: int | None = None) -> TreatmentInfo:
    return TreatmentInfo(
        id=f"t{start}",
        kind="psychotherapy",
        therapy_type="cbt",
        label=None,
        started_on=start,
        ended_on=end,
        end_reason=None,
        sessions=sessions,
        note=None,
        created_at=NOW,
        updated_at=NOW,
    )


# -- the highest dose and the steps ----------------------------------------------------------


def test_the_highest_dose_is_the_highest_amount_a_day_and_the_later_of_two_equal() -> None:
    # 100 mg once a day 1 March–4 April (35 days), then 75 mg twice a day to 9 May (35 days)
    schedules = (daily(d(1, 3), "08:00"), daily(d(5, 4), "08:00", "20:00"))
    twice = record("A", d(1, 3), d(9, 5), schedules, ((d(1, 3), 100.0), (d(5, 4), 75.0)))
    facts = trial_facts(twice)
    assert "5 weeks at 100 mg a day." in facts
    assert "5 weeks at 150 mg a day (75 mg twice a day)." in facts
    # 2 × 75 mg = 150 mg a day, more than 100 mg
    assert "5 weeks at the highest dose, 150 mg a day (75 mg twice a day)." in facts

    # 30 mg on Mondays, Wednesdays and Fridays ("a dose"), then 40 mg every day: 40 is higher
    weekly = record(
        "B",
        d(1, 3),
        d(9, 5),
        (mwf(d(1, 3), "08:00"), daily(d(5, 4), "08:00")),
        ((d(1, 3), 30.0), (d(5, 4), 40.0)),
    )
    facts = trial_facts(weekly)
    assert "5 weeks at 30 mg a dose." in facts
    assert "5 weeks at the highest dose, 40 mg a day." in facts

    # 150 mg once a day, then 75 mg twice a day: 150 mg a day both, the later step counts
    equal = record("C", d(1, 3), d(9, 5), schedules, ((d(1, 3), 150.0), (d(5, 4), 75.0)))
    assert "5 weeks at the highest dose, 150 mg a day (75 mg twice a day)." in trial_facts(equal)


def test_steps_merge_a_schedule_change_at_the_same_dose_and_split_on_the_last_day() -> None:
    # Course 1–10 June: 50 mg from 1 June, 75 mg from 4 June at 08:00, the same 75 mg at 09:00
    # from 7 June (one step), 100 mg on 10 June, its last day. Nothing logged on 2 and 6 June.
    schedules = (daily(d(1), "08:00"), daily(d(7), "09:00"))
    doses = ((d(1), 50.0), (d(4), 75.0), (d(10), 100.0))
    log = taken(*each_day(d(1), d(6), skip=(2, 6)), *each_day(d(7), d(10), "09:00"))
    trial = build_trial(record("D", d(1), d(10), schedules, doses, log), TODAY, NOW)
    # 1–3 June: 3 expected, 2 taken; 4–9 June: 6 expected, 5 taken; 10 June: 1 of 1
    assert [
        (
            s.start,
            s.end,
            s.amount,
            s.unit,
            s.doses_per_day,
            s.schedule_text,
            s.adherence.expected,
            s.adherence.taken,
        )
        for s in trial.steps
    ] == [
        (d(1), d(3), 50.0, "mg", 1, "Every day at 08:00", 3, 2),
        (d(4), d(9), 75.0, "mg", 1, "Every day at 09:00", 6, 5),
        (d(10), d(10), 100.0, "mg", 1, "Every day at 09:00", 1, 1),
    ]
    for fact in ("3 days at 50 mg a day.", "6 days at 75 mg a day.", "1 day at 100 mg a day."):
        assert fact in trial.facts


def test_a_schedule_change_on_the_last_day_is_a_step_of_its_own() -> None:
    # 50 mg once a day 1–9 June; on 10 June, the last day, 50 mg twice a day
    schedules = (daily(d(1), "08:00"), daily(d(10), "08:00", "20:00"))
    trial = build_trial(record("D2", d(1), d(10), schedules, ((d(1), 50.0),)), TODAY, NOW)
    assert [(s.start, s.end, s.doses_per_day) for s in trial.steps] == [
        (d(1), d(9), 1),
        (d(10), d(10), 2),
    ]
    assert "1 day at 100 mg a day (50 mg twice a day)." in trial.facts


def test_a_step_that_is_not_every_day_is_a_dose_not_a_day() -> None:
    (step,) = build_trial(
        record("E", d(1), d(12), (mwf(d(1), "08:00"),), ((d(1), 60.0),)), TODAY, NOW
    ).steps
    assert (step.doses_per_day, step.dose_text, step.schedule_text) == (
        None,
        "60 mg a dose",
        "Mon, Wed, Fri at 08:00",
    )


def test_steps_begin_when_the_dose_history_does() -> None:
    # the course starts on 1 June but its first dose is recorded from 3 June
    rec = record("F", d(1), d(10), (daily(d(1), "08:00"),), ((d(3), 50.0),))
    assert [(s.start, s.end) for s in build_trial(rec, TODAY, NOW).steps] == [(d(3), d(10))]


def test_so_far_is_said_of_the_highest_dose_only_while_it_is_the_current_one() -> None:
    one_time = (daily(d(1), "08:00"),)
    # ongoing: 50 mg 1–7 June, 100 mg from 8 June to today (8 days)
    rising = record("G", d(1), None, one_time, ((d(1), 50.0), (d(8), 100.0)))
    assert any(f.startswith("8 days so far at the highest dose") for f in trial_facts(rising))
    # ongoing: 100 mg 5–9 June (5 days) lies between 50 mg and 75 mg: it is over
    peaked = record("H", d(1), None, one_time, ((d(1), 50.0), (d(5), 100.0), (d(10), 75.0)))
    facts = trial_facts(peaked)
    assert any(f.startswith("5 days at the highest dose") for f in facts)
    assert not any("so far at the highest" in f for f in facts)
    # stopped on its highest dose (8–12 June, 5 days): no "so far"
    stopped = record("I", d(1), d(12), one_time, ((d(1), 50.0), (d(8), 100.0)))
    assert any(f.startswith("5 days at the highest dose") for f in trial_facts(stopped))


# -- sentences -------------------------------------------------------------------------------


def test_not_logged_doses_and_a_three_day_gap_are_stated_with_the_right_plural() -> None:
    # 1–10 June once a day, nothing logged on 4, 5 and 6 June, stopped with no reason given
    schedule, dose = (daily(d(1), "08:00"),), ((d(1), 50.0),)
    three = record("J", d(1), d(10), schedule, dose, taken(*each_day(d(1), d(10), skip=(4, 5, 6))))
    facts = trial_facts(three)
    assert "3 scheduled doses not logged (not known whether taken)." in facts
    assert "Longest stretch without a dose logged as taken: 3 days." in facts
    assert facts[-1] == "Stopped: no reason given."
    # only 4 June missing: one dose, a one-day gap (not stated)
    one = record("K", d(1), d(10), schedule, dose, taken(*each_day(d(1), d(10), skip=(4,))))
    facts = trial_facts(one)
    assert "1 scheduled dose not logged (not known whether taken)." in facts
    assert not any(f.startswith("Longest stretch") for f in facts)


def test_an_as_needed_course_states_how_many_doses_were_logged() -> None:
    prn = ScheduleVersion(d(1), ScheduleKind.AS_NEEDED)
    log = tuple(
        log_record(DoseStatus.TAKEN, moment(d(k), "21:00").astimezone(UTC), 120, True, NOW)
        for k in (2, 5, 9)
    )
    facts = trial_facts(record("L", d(1), None, (prn,), ((d(1), 5.0),), log))
    assert "Taken as needed: 3 doses logged." in facts


def test_durations_past_two_weeks_say_the_days_left_over() -> None:
    assert duration_text(15) == "2 weeks and 1 day"
    assert duration_text(16) == "2 weeks and 2 days"


# -- mood and scores -------------------------------------------------------------------------

# A course 1–20 May: the two weeks before are 17–30 April, its last two weeks 7–20 May.
MAY_MOOD = [
    MoodPoint(d(16, 4), 10.0),  # a day too early
    MoodPoint(d(17, 4), 2.0),
    MoodPoint(d(18, 4), 2.0),
    MoodPoint(d(30, 4), 2.0),
    MoodPoint(d(1, 5), 10.0),  # the first day of the course: in neither window
    MoodPoint(d(6, 5), 10.0),  # a day before the last two weeks
    MoodPoint(d(7, 5), 4.0),
    MoodPoint(d(10, 5), 7.0),
    MoodPoint(d(20, 5), 4.0),
    MoodPoint(d(21, 5), 10.0),  # after the course
]


def test_mood_windows_are_the_two_weeks_before_and_the_last_two_weeks_to_the_day() -> None:
    change = mood_change(MAY_MOOD, d(1, 5), d(20, 5))
    # before: 2, 2, 2 → 2.0 over 3 days; last: 4, 7, 4 → 5.0 over 3 days
    assert change.before == MoodWindow(d(17, 4), d(30, 4), 2.0, 3)
    assert change.last == MoodWindow(d(7, 5), d(20, 5), 5.0, 3)
    assert change.difference == 3.0
    course = record("M", d(1, 5), d(20, 5), (daily(d(1, 5), "08:00"),), ((d(1, 5), 50.0),))
    assert (
        "Average mood (0–10): 2.0 in the 2 weeks before (3 days logged), 5.0 in its last "
        "2 weeks (3 days logged)."
    ) in trial_facts(course, MAY_MOOD)
    # two days before the start are too few for a number, however many come later
    thin = [p for p in MAY_MOOD if p.day != d(30, 4)]
    change = mood_change(thin, d(1, 5), d(20, 5))
    assert change.before == MoodWindow(d(17, 4), d(30, 4), None, 2)
    assert change.difference is None
    assert "Not enough mood check-ins around this course to compare mood." in trial_facts(
        course, thin
    )


# An ongoing course from 1 June: before = 18–31 May, the last two weeks so far = 2–15 June.
JUNE_MOOD = [
    MoodPoint(d(20, 5), 3.0),
    MoodPoint(d(25, 5), 3.0),
    MoodPoint(d(31, 5), 3.0),
    MoodPoint(d(1), 9.0),  # the first day: 14 days before today, in neither window
    MoodPoint(d(2), 6.0),
    MoodPoint(d(8), 6.0),
    MoodPoint(d(15), 6.0),
]
ONGOING_MOOD = (
    "Average mood (0–10): 3.0 in the 2 weeks before (3 days logged), 6.0 in the last 2 weeks "
    "so far (3 days logged)."
)


def test_an_ongoing_course_says_so_far_of_its_mood_and_duration() -> None:
    rec = record("N", d(1), None, (daily(d(1), "08:00"),), ((d(1), 50.0),))
    assert ONGOING_MOOD in trial_facts(rec, JUNE_MOOD)
    course = build_course(therapy(d(1), sessions=1), TODAY, JUNE_MOOD)
    # 1–15 June is 15 days
    assert course.facts == (
        "Since Monday 1 June 2026: 2 weeks and 1 day so far.",
        "1 session.",
        ONGOING_MOOD,
    )
    assert course.ongoing and course.end == TODAY
    assert course.mood.before == MoodWindow(d(18, 5), d(31, 5), 3.0, 3)
    assert course.mood.last == MoodWindow(d(2), d(15), 6.0, 3)


def test_scores_across_a_course_use_the_right_baseline_and_the_last_score() -> None:
    # a course 1–30 June: a baseline is 4 May (28 days before) to 8 June (7 days after)
    scores = [
        # PHQ-9: baseline 4 May, 20 May, 8 June → the latest, 8 June (16); after it: 9, 20 and
        # 30 June → the latest, 30 June (10); 1 July is after the course
        ScorePoint("PHQ-9", d(4, 5), 19),
        ScorePoint("PHQ-9", d(20, 5), 17),
        ScorePoint("PHQ-9", d(8), 16),
        ScorePoint("PHQ-9", d(9), 14),
        ScorePoint("PHQ-9", d(20), 12),
        ScorePoint("PHQ-9", d(30), 10),
        ScorePoint("PHQ-9", d(1, 7), 8),
        # PCL-5: a baseline exactly 28 days before the start
        ScorePoint("PCL-5", d(4, 5), 40),
        ScorePoint("PCL-5", d(15), 30),
        # WSAS: 29 days before is no baseline
        ScorePoint("WSAS", d(3, 5), 20),
        ScorePoint("WSAS", d(15), 10),
        # GAD-7: a baseline and nothing after it
        ScorePoint("GAD-7", d(1), 9),
    ]
    assert score_changes(scores, d(1), d(30)) == (
        ScoreChange("PCL-5", ScorePoint("PCL-5", d(4, 5), 40), ScorePoint("PCL-5", d(15), 30)),
        ScoreChange("PHQ-9", ScorePoint("PHQ-9", d(8), 16), ScorePoint("PHQ-9", d(30), 10)),
    )


def test_mood_windows_merge_when_they_touch_and_not_across_a_gap_day() -> None:
    # 1–30 June: 18–31 May and 17–30 June; 15–20 July: 1–14 July and 15–20 July. 17 June to
    # 20 July touch end to start and make one window.
    assert mood_windows([(d(1), d(30)), (d(15, 7), d(20, 7))]) == [
        (d(18, 5), d(31, 5)),
        (d(17), d(20, 7)),
    ]
    # 1 June alone: 18 May–1 June; 17 June alone: 3–17 June. 2 June lies between: two windows.
    assert mood_windows([(d(1), d(1)), (d(17), d(17))]) == [(d(18, 5), d(1)), (d(3), d(17))]


def test_daily_mood_groups_check_ins_by_the_local_day() -> None:
    db = fresh_db()
    moods = MoodService(db, clock=lambda: NOW)
    for mood, when in (
        (1, datetime(2026, 6, 2, 23, 59, tzinfo=PLUS2)),  # 2 June
        (4, datetime(2026, 6, 3, 0, 30, tzinfo=PLUS2)),  # 3 June (22:30 UTC on 2 June)
        (7, datetime(2026, 6, 3, 23, 30, tzinfo=PLUS2)),  # 3 June
    ):
        moods.create_entry(CheckIn(mood=mood, at=when))
    # 3 June: (4 + 7) / 2
    assert daily_mood(db, [(d(3), d(3))]) == [MoodPoint(d(3), 5.5)]
    assert daily_mood(db, []) == []


# -- the whole history and the settings that reach it ----------------------------------------


def test_trials_and_courses_come_newest_first_including_todays() -> None:
    one_time = (daily(d(1), "08:00"),)
    records = [
        record("Sertraline", d(1, 3), d(9, 5), (daily(d(1, 3), "08:00"),), ((d(1, 3), 50.0),)),
        record("Agomelatine", d(1), None, one_time, ((d(1), 25.0),)),
        record("Bupropion", d(1), None, one_time, ((d(1), 150.0),)),
        record("Mirtazapine", TODAY, None, (daily(TODAY, "08:00"),), ((TODAY, 15.0),)),
        record("Vortioxetine", d(16), None, (daily(d(16), "08:00"),), ((d(16), 10.0),)),
    ]
    treatments = [therapy(d(1, 5)), therapy(TODAY), therapy(d(1)), therapy(d(16))]
    history = build_history(records, treatments, NOW)
    # by start, newest first; the same start by name, from Z to A; tomorrow's is not there
    assert [t.name for t in history.trials] == [
        "Mirtazapine",
        "Bupropion",
        "Agomelatine",
        "Sertraline",
    ]
    assert [c.treatment.started_on for c in history.courses] == [TODAY, d(1), d(1, 5)]
    assert history.as_of == TODAY


def test_the_on_time_window_given_reaches_every_trial() -> None:
    # taken at 08:45 every day 1–15 June: on time with ±120, not with ±30
    late = record(
        "Sertraline",
        d(1),
        None,
        (daily(d(1), "08:00"),),
        ((d(1), 50.0),),
        taken(*each_day(d(1), TODAY), late=45),
        reason=None,
    )
    narrow = AdherenceConfig(window_once=30)
    (trial,) = build_history([late], [], NOW, config=narrow).trials
    assert (trial.adherence.timed, trial.adherence.on_time) == (15, 0)
    assert build_trial(late, TODAY, NOW, config=narrow).adherence.on_time == 0
    assert build_trial(late, TODAY, NOW).adherence.on_time == 15
    # evaluations made earlier (here with ±30) are used as given, not matched again
    given = build_history([late], [], NOW, evaluations=evaluate_all([late], NOW, narrow))
    assert given.trials[0].adherence.on_time == 0
    today = record("Today", TODAY, None, (daily(TODAY, "08:00"),), ((TODAY, 5.0),))
    evaluations = evaluate_all([late, today], NOW, narrow)
    assert set(evaluations) == {"sertraline", "today"}
    assert summarise(evaluations["sertraline"]).on_time == 0


def test_a_trial_keeps_its_medicine_and_its_stop_reason() -> None:
    rec = record("Sertraline", d(1), d(10), (daily(d(1), "08:00"),), ((d(1), 50.0),), reason="cost")
    trial = build_trial(rec, TODAY, NOW)
    assert (trial.medication_id, trial.stop_reason, trial.facts[-1]) == (
        "sertraline",
        "cost",
        "Stopped: cost.",
    )


def test_the_service_uses_the_saved_window_the_score_sources_and_any_period(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    svc, _clock, db = service()
    med = add_daily(svc, "Sertraline", started=d(1))
    for k in range(1, 16):  # 1–15 June, each at 08:45
        svc.mark_taken(med.id, d(k), "08:00", taken_at=moment(d(k), "08:45"))
    svc.set_preferences(ReminderPreferences(window_once=30))
    seen = []

    def phq9(source_db: object) -> list[ScorePoint]:
        seen.append(source_db)
        return [ScorePoint("PHQ-9", d(30, 5), 18), ScorePoint("PHQ-9", d(12), 12)]

    sources = [ScoreSource("phq9", phq9)]
    overview = TreatmentHistoryService(svc, db, score_sources=sources).overview()
    assert seen == [db]
    assert overview.now == NOW
    assert [r.id for r in overview.records] == [med.id]
    (trial,) = overview.history.trials
    # the trial's figures come from the evaluations made with the saved window
    assert (trial.adherence.timed, trial.adherence.on_time) == (15, 0)
    assert trial.scores == (
        ScoreChange("PHQ-9", ScorePoint("PHQ-9", d(30, 5), 18), ScorePoint("PHQ-9", d(12), 12)),
    )
    # 2–3 June: 2 expected, 2 taken, none within ±30 min
    part = overview.adherence(med.id, d(2), d(3))
    assert part is not None
    assert (part.start, part.end, part.expected, part.taken, part.on_time) == (
        d(2),
        d(3),
        2,
        2,
        0,
    )


def test_score_sources_come_from_the_features_registry() -> None:
    from companion import features

    points = features.build()
    points.register_score_source(ScoreSource("none-yet", lambda _db: []))
    names = [s.name for s in points.score_sources()]
    assert names[-1] == "none-yet"  # after the features' own (check-ups)
    assert "checkups" in names
