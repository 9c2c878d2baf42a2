"""Treatment history: plain facts per trial, sourced duration wording, never a verdict."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from companion.core.medications import history as th
from companion.core.medications.adherence import (
    DoseStatus,
    DoseVersion,
    MedicationRecord,
    ScheduleKind,
    ScheduleVersion,
    log_record,
)
from companion.core.medications.history import (
    MoodPoint,
    ScorePoint,
    TreatmentHistoryService,
    build_history,
    duration_text,
)
from companion.core.medications.types import (
    DoseInput,
    MedicationInput,
    ScheduleInput,
    TreatmentInfo,
    TreatmentInput,
)
from companion.core.mood.service import CheckIn, MoodService
from tests.core.medication_helpers import NOW, PLUS2, add_daily, service

FORBIDDEN = ("adequate", "inadequate", "failed", "failure", "stage", "resistant", "missed")


def d(month: int, day: int) -> date:
    return date(2026, month, day)


def record(
    name: str,
    category: str,
    start: date,
    stop: date | None,
    doses: tuple[tuple[date, float], ...],
    *,
    taken_days: set[date] | None = None,
    reason: str | None = None,
) -> MedicationRecord:
    end = stop or NOW.date()
    log = []
    day = start
    while day <= end:
        if taken_days is None or day in taken_days:
            moment = datetime(day.year, day.month, day.day, 8, 5, tzinfo=PLUS2)
            if moment <= NOW:
                log.append(
                    log_record(
                        DoseStatus.TAKEN,
                        moment.astimezone(UTC),
                        120,
                        True,
                        moment,
                        slot_date=day,
                        slot_time="08:00",
                    )
                )
        day += timedelta(days=1)
    return MedicationRecord(
        id=name,
        name=name,
        category=category,
        started_on=start,
        stopped_on=stop,
        schedules=(ScheduleVersion(start, ScheduleKind.DAILY, ("08:00",)),),
        doses=tuple(DoseVersion(day, amount, "mg") for day, amount in doses),
        log=tuple(log),
        stop_reason=reason,
    )


def mood(start: date, end: date, value: float) -> list[MoodPoint]:
    return [MoodPoint(start + timedelta(days=k), value) for k in range((end - start).days + 1)]


def test_a_short_antidepressant_course_is_described_plainly_with_its_source() -> None:
    # 3 weeks at 50 mg (21 days), stopped for side effects; mood 3.0 before, 4.0 in the last 2 weeks
    sertraline = record(
        "Sertraline", "ssri", d(3, 2), d(3, 22), ((d(3, 2), 50.0),), reason="side_effects"
    )
    days = mood(d(2, 16), d(3, 1), 3.0) + mood(d(3, 9), d(3, 22), 4.0)
    history = build_history([sertraline], [], NOW, mood_days=days)
    (trial,) = history.trials
    assert trial.days == 21 and not trial.ongoing
    assert trial.facts == (
        "Taken from Monday 2 March 2026 to Sunday 22 March 2026: 3 weeks.",
        "3 weeks at 50 mg a day.",
        "3 weeks at the highest dose, 50 mg a day.",  # a fact; no judgement of the trial
        "Doses: 100% (21 of 21 doses) logged as taken, self-reported.",
        "Average mood (0–10): 3.0 in the 2 weeks before (14 days logged), 4.0 in its last "
        "2 weeks (14 days logged).",
        "Stopped: side effects.",
    )
    assert trial.mood.difference == 1.0
    assert "Rybak" in th.duration_source() and "clinician" in th.duration_source()
    assert not any("shorter" in fact or "needed" in fact for fact in trial.facts)


def test_a_titrated_course_lists_each_step_with_weeks_and_adherence() -> None:
    # 37.5 mg for 7 days, 75 mg for 21 days, then 150 mg from 30 March to 15 June (78 days)
    steps = ((d(3, 2), 37.5), (d(3, 9), 75.0), (d(3, 30), 150.0))
    taken = {
        d(3, 2) + timedelta(days=k)
        for k in range(200)
        if (d(3, 2) + timedelta(days=k)).weekday() < 5
    }
    venlafaxine = record("Venlafaxine", "snri", d(3, 2), None, steps, taken_days=taken)
    (trial,) = build_history([venlafaxine], [], NOW).trials
    assert [(s.start, s.end, s.days, s.amount) for s in trial.steps] == [
        (d(3, 2), d(3, 8), 7, 37.5),
        (d(3, 9), d(3, 29), 21, 75.0),
        (d(3, 30), d(6, 15), 78, 150.0),
    ]
    # weekdays only: 2 Mar–15 Jun is 106 days, 76 weekdays; today's 08:00 dose is due (12:00)
    assert (trial.adherence.expected, trial.adherence.taken) == (106, 76)
    # step 1 (2–8 March): Mon–Sun → 5 of 7
    assert (trial.steps[0].adherence.taken, trial.steps[0].adherence.expected) == (5, 7)
    assert "11 weeks and 1 day at 150 mg a day." in trial.facts
    assert "11 weeks and 1 day so far at the highest dose, 150 mg a day." in trial.facts
    assert "Taken since Monday 2 March 2026: 15 weeks and 1 day so far." in trial.facts
    assert "Not enough mood check-ins around this course to compare mood." in trial.facts
    assert not any(word in fact.lower() for fact in trial.facts for word in FORBIDDEN)


def test_augmentation_has_no_duration_sentence_and_other_medicines_are_not_trials() -> None:
    aripiprazole = record(
        "Aripiprazole", "antipsychotic_augmentation", d(6, 1), None, ((d(6, 1), 2.0),)
    )
    ibuprofen = record("Ibuprofen", "other", d(6, 1), None, ((d(6, 1), 200.0),))
    history = build_history([aripiprazole, ibuprofen], [], NOW)
    assert [t.name for t in history.trials] == ["Aripiprazole"]
    (trial,) = history.trials
    assert trial.role == "Augmentation"
    assert not any("4–6 weeks" in fact for fact in trial.facts)


def test_questionnaire_scores_across_a_trial_come_through_the_hook() -> None:
    trial_record = record("Sertraline", "ssri", d(3, 2), d(5, 31), ((d(3, 2), 50.0),))
    scores = [
        ScorePoint("PHQ-9", d(2, 20), 19),
        ScorePoint("PHQ-9", d(3, 1), 18),
        ScorePoint("PHQ-9", d(4, 15), 14),
        ScorePoint("PHQ-9", d(5, 28), 11),
        ScorePoint("PHQ-9", d(6, 10), 9),  # after the course: not used
        ScorePoint("GAD-7", d(5, 1), 8),  # no baseline near the start: not used
    ]
    (trial,) = build_history([trial_record], [], NOW, scores=scores).trials
    (change,) = trial.scores
    assert (change.first.score, change.last.score, change.difference) == (18, 11, -7)
    assert "PHQ-9: 18 on Sunday 1 March 2026, 11 on Thursday 28 May 2026." in trial.facts


def test_non_drug_courses_have_dates_sessions_and_mood() -> None:
    cbt = TreatmentInfo(
        id="t",
        kind="psychotherapy",
        therapy_type="cbt",
        label=None,
        started_on=d(1, 5),
        ended_on=d(4, 26),
        end_reason="completed",
        sessions=16,
        note=None,
        created_at=NOW,
        updated_at=NOW,
    )
    days = mood(d(12, 22).replace(year=2025), d(1, 4), 3.0) + mood(d(4, 13), d(4, 26), 5.5)
    (course,) = build_history([], [cbt], NOW, mood_days=days).courses
    assert course.facts == (
        "From Monday 5 January 2026 to Sunday 26 April 2026: 16 weeks.",
        "16 sessions.",
        "Average mood (0–10): 3.0 in the 2 weeks before (14 days logged), 5.5 in its last "
        "2 weeks (14 days logged).",
        "Ended: course completed.",
    )


def test_duration_words() -> None:
    assert duration_text(1) == "1 day"
    assert duration_text(13) == "13 days"
    assert duration_text(14) == "2 weeks"
    assert duration_text(36) == "5 weeks and 1 day"


def test_the_service_reads_the_diary_and_the_mood_windows() -> None:
    svc, _clock, db = service()
    med = svc.add(
        MedicationInput(name="Sertraline", category="ssri", started_on=d(5, 4)),
        ScheduleInput(times=("08:00",)),
        DoseInput(50, "mg"),
    )
    svc.stop(med.id, d(6, 7), "side_effects")
    svc.add_treatment(TreatmentInput(kind="psychotherapy", therapy_type="cbt", started_on=d(5, 1)))
    moods = MoodService(db, clock=lambda: NOW)
    for k in range(14):
        moods.create_entry(
            CheckIn(mood=3, at=datetime(2026, 4, 20, 20, tzinfo=PLUS2) + timedelta(days=k))
        )
        moods.create_entry(
            CheckIn(mood=6, at=datetime(2026, 5, 25, 20, tzinfo=PLUS2) + timedelta(days=k))
        )
    moods.create_entry(
        CheckIn(mood=10, at=datetime(2026, 5, 15, 20, tzinfo=PLUS2))
    )  # outside both windows
    overview = TreatmentHistoryService(svc, db).overview()
    (trial,) = overview.history.trials
    assert trial.mood.before.mean == 3.0 and trial.mood.before.days_logged == 14
    assert trial.mood.last.mean == 6.0 and trial.mood.last.days_logged == 14
    a = overview.adherence(med.id, d(5, 4), d(6, 7))
    assert a is not None and (a.expected, a.taken, a.not_logged) == (35, 0, 35)
    assert overview.adherence("missing", d(5, 4), d(6, 7)) is None
    assert [c.treatment.kind for c in overview.history.courses] == ["psychotherapy"]
    # a plain add_daily medicine of the "other" kind appears in evaluations but not as a trial
    other = add_daily(svc, "Vitamin D", category="other", amount=20, strength=None)
    overview = TreatmentHistoryService(svc, db).overview()
    assert other.id in overview.evaluations
    assert [t.name for t in overview.history.trials] == ["Sertraline"]
