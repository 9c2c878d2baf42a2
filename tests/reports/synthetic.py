"""Synthetic, realistic records for the summary tests and the benchmark (no diary needed).

Deterministic for a seed: a person whose mood slowly improves after a dose increase, who
checks in most days (sometimes twice), takes most doses, answers the PHQ-9 and GAD-7 every
two weeks (question 9 above zero twice early on), practises grounding, and works through a
four-week plan from their therapist. Times carry a UTC offset that changes with daylight
saving, as a real diary's do.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone

from companion.core.homework.demo import demo_plan
from companion.core.homework.progress import (
    Logged,
    PlanProgress,
    Practice,
    TakenQuestionnaire,
    progress,
)
from companion.core.reports.assemble import assemble
from companion.core.reports.model import Period, Summary
from companion.core.reports.records import (
    AdherenceFigures,
    CheckupRecord,
    DiaryNote,
    DoseChange,
    HistoryEntry,
    MedicineRecord,
    MoodCheckin,
    PracticeRecord,
    SafetyPlanRecord,
    SafetyStep,
    SideEffectRecord,
)
from companion.core.reports.sections.checkups import checkups_section
from companion.core.reports.sections.exercises import exercises_section
from companion.core.reports.sections.history import history_section
from companion.core.reports.sections.homework import homework_section
from companion.core.reports.sections.medicines import medicines_section
from companion.core.reports.sections.mood import mood_section
from companion.core.reports.sections.personal import notes_section, safety_plan_section

WINTER = timezone(timedelta(hours=1))
SUMMER = timezone(timedelta(hours=2))


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment on the person's clock, with the offset a Central European clock had then."""
    summer = date(day.year, 3, 29) <= day < date(day.year, 10, 25)
    return datetime.combine(day, time(hour, minute), SUMMER if summer else WINTER)


@dataclass
class Diary:
    period: Period
    made_at: datetime
    checkins: list[MoodCheckin] = field(default_factory=list)
    checkups: list[CheckupRecord] = field(default_factory=list)
    medicines: list[MedicineRecord] = field(default_factory=list)
    practice: list[PracticeRecord] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    notes: list[DiaryNote] = field(default_factory=list)
    plans: list[PlanProgress] = field(default_factory=list)
    safety: SafetyPlanRecord | None = None


PHQ9_START = [2, 3, 2, 2, 1, 2, 2, 1, 1]


def make_diary(end: date = date(2026, 11, 29), days: int = 90, seed: int = 7) -> Diary:
    rng = random.Random(seed)
    start = end - timedelta(days=days - 1)
    period = Period(start, end)
    diary = Diary(period, local(end + timedelta(days=1), 9, 15))
    # the dose went up 60 days before the end: mood climbs slowly from there
    raise_day = end - timedelta(days=60)
    first = start - timedelta(days=14)
    day = first
    n = 0
    while day <= end:
        if rng.random() < 0.82:
            lift = max(0, (day - raise_day).days) / 60 * 2.2
            base = 4.0 + lift + 0.6 * rng.gauss(0, 1)
            for slot, hour in enumerate((9, 21) if rng.random() < 0.45 else (20,)):
                mood = int(min(10, max(0, round(base + rng.gauss(0, 0.7)))))
                n += 1
                diary.checkins.append(
                    MoodCheckin(
                        at=local(day, hour, rng.randrange(60)),
                        mood=mood,
                        anxiety=int(min(10, max(0, round(7 - mood * 0.5 + rng.gauss(0, 1))))),
                        energy=int(min(10, max(0, round(mood * 0.8 + rng.gauss(0, 1))))),
                        sleep_hours=round(rng.uniform(5, 8.5) * 2) / 2 if slot == 0 else None,
                        sleep_quality=rng.randint(2, 4) if slot == 0 else None,
                        note="Slept badly; the walk helped a bit." if n % 9 == 0 else None,
                        id=f"checkin-{n}",
                    )
                )
        day += timedelta(days=1)
    # check-ups every 14 days, from before the period (the first is the "previous" one)
    taken = start - timedelta(days=10)
    k = 0
    while taken <= end:
        fall = min(k, 6)
        phq = [max(0, v - (fall * v) // 8) for v in PHQ9_START]
        phq[8] = 1 if k in (1, 2) else 0
        answers: dict[str, int | None] = {str(i + 1): v for i, v in enumerate(phq)}
        answers["difficulty"] = 1
        diary.checkups.append(CheckupRecord("phq9", 1, local(taken, 10, 5), answers, id=f"phq-{k}"))
        gad = [max(0, 2 - fall // 3)] * 7
        diary.checkups.append(
            CheckupRecord(
                "gad7",
                1,
                local(taken, 10, 12),
                {str(i + 1): v for i, v in enumerate(gad)},
                id=f"gad-{k}",
            )
        )
        if k % 2 == 0:
            who = [min(5, 1 + fall // 2)] * 5
            diary.checkups.append(
                CheckupRecord(
                    "who5",
                    1,
                    local(taken, 10, 20),
                    {str(i + 1): v for i, v in enumerate(who)},
                    id=f"who-{k}",
                )
            )
        taken += timedelta(days=14)
        k += 1
    sert_start = end - timedelta(days=120)
    diary.medicines = [
        MedicineRecord(
            id="med-sertraline",
            name="Sertraline",
            category="SSRI",
            started_on=sert_start,
            doses=(
                DoseChange(sert_start, 50, "mg", "Every day at 08:00", 1),
                DoseChange(raise_day, 100, "mg", "Every day at 08:00", 1),
                DoseChange(end - timedelta(days=20), 150, "mg", "Every day at 08:00", 1),
            ),
            adherence=AdherenceFigures(
                expected=days,
                taken=days - 7,
                skipped=3,
                not_logged=4,
                on_time=days - 15,
                timed=days - 9,
            ),
            side_effects=(
                SideEffectRecord(
                    raise_day + timedelta(days=3),
                    "Mild",
                    "Nausea in the mornings",
                    raise_day + timedelta(days=17),
                ),
            ),
            form="tablet",
        ),
        MedicineRecord(
            id="med-mirtazapine",
            name="Mirtazapine",
            category="Atypical antidepressant",
            started_on=start - timedelta(days=150),
            stopped_on=start + timedelta(days=20),
            stop_reason="Side effects",
            doses=(
                DoseChange(start - timedelta(days=150), 15, "mg", "Every day at 22:00", 1),
                DoseChange(start - timedelta(days=100), 30, "mg", "Every day at 22:00", 1),
            ),
            adherence=AdherenceFigures(expected=21, taken=20, not_logged=1, on_time=18, timed=20),
            side_effects=(SideEffectRecord(start - timedelta(days=30), "Moderate", "Weight gain"),),
            form="tablet",
        ),
        MedicineRecord(
            id="med-propranolol",
            name="Propranolol",
            category="Other",
            started_on=start + timedelta(days=40),
            doses=(DoseChange(start + timedelta(days=40), 10, "mg", "As needed", None),),
            adherence=AdherenceFigures(expected=0, taken=0),
            form="tablet",
        ),
    ]
    titles = {
        "five-senses": "Five senses",
        "paced-breathing": "Slow breathing",
        "orienting": "Orienting to the room",
    }
    day = start
    while day <= end:
        if rng.random() < 0.45:
            exercise = rng.choice(sorted(titles))
            before = rng.randint(4, 8)
            diary.practice.append(
                PracticeRecord(
                    exercise,
                    titles[exercise],
                    local(day, 18, 30),
                    rng.random() < 0.85,
                    before,
                    max(0, before - rng.randint(0, 4)),
                )
            )
        day += timedelta(days=1)
    diary.history = [
        HistoryEntry(
            "medicine",
            "Sertraline",
            "Antidepressant (SSRI)",
            sert_start,
            None,
            (
                "Taken for 17 weeks so far, at 50, 100 then 150 mg a day.",
                "93% of doses logged as taken (self-reported).",
            ),
        ),
        HistoryEntry(
            "medicine",
            "Mirtazapine",
            "Antidepressant (atypical)",
            start - timedelta(days=150),
            start + timedelta(days=20),
            ("Taken for 24 weeks, 15 then 30 mg a day.",),
            "Side effects",
        ),
        HistoryEntry(
            "treatment",
            "CBT",
            "Psychotherapy (CBT)",
            start - timedelta(days=40),
            None,
            ("12 sessions so far.",),
        ),
    ]
    diary.notes = [DiaryNote(c.at, c.note) for c in diary.checkins if c.note and c.day in period]
    diary.safety = SafetyPlanRecord(
        steps=(
            SafetyStep(1, "Warning signs", ("Not answering messages", "Staying in bed all day")),
            SafetyStep(2, "Things I can do on my own", ("Five senses exercise", "Walk the dog")),
            SafetyStep(3, "People and places that distract me", ("Café on Market Street",)),
            SafetyStep(4, "People I can ask for help", ("Alex — 07700 900123",)),
            SafetyStep(5, "Professionals I can call", ("Dr Rivera — 020 7946 0000",)),
            SafetyStep(6, "Making my surroundings safer", ()),
        ),
        reviewed_on=end - timedelta(days=33),
    )
    plan = demo_plan(end - timedelta(days=20))
    logged = Logged(
        checkins=[c.at for c in diary.checkins],
        practice=[Practice(p.exercise_id, p.started_at, p.completed) for p in diary.practice],
        reads={
            "what-is-trd": local(end - timedelta(days=18), 21, 0),
            "grounding-and-self-soothing": local(start - timedelta(days=3), 20, 0),
        },
        questionnaires=[
            TakenQuestionnaire(c.questionnaire_id, c.completed_at) for c in diary.checkups
        ],
        ticks={5: [end - timedelta(days=d) for d in (1, 3, 5, 9, 12, 16)]},
    )
    diary.plans = [progress(plan, logged, end)]
    return diary


def summary_of(
    diary: Diary, *, include_private: bool = False, sections: Sequence[str] | None = None
) -> Summary:
    built = [
        mood_section(diary.checkins, diary.period),
        checkups_section(diary.checkups, diary.period),
        medicines_section(diary.medicines, diary.period),
        homework_section(diary.plans, diary.period),
        exercises_section(diary.practice, diary.period),
        history_section(diary.history),
    ]
    if diary.safety is not None:
        built.append(safety_plan_section(diary.safety))
    built.append(notes_section(diary.notes, diary.period))
    if sections is not None:
        built = [s for s in built if s.id in sections]
    return assemble(diary.period, diary.made_at, built, include_private=include_private)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
