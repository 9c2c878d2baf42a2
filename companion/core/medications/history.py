"""Treatment history: every antidepressant or augmentation course as a trial, plus non-drug
treatments, told as plain facts a clinician can read in two minutes.

For each course: its dates, each dose with the weeks at it, the doses logged as taken during
it (from the dose log, self-reported), mood across it (from the mood diary), questionnaire
scores across it (from any feature that registers a :func:`score_source`), and why it ended.

What this module never does (clinical-reference §0 and §3.2): label a trial "adequate" or
"failed", count "failed trials", or compute a stage (ATHF, Maudsley, Thase–Rush). Those are a
clinician's judgements. It compares nothing with a threshold either: the weeks at the highest
dose are stated as a fact, because the published criterion (4–6 weeks at an *adequate* dose;
Rybak 2021 [S10], Sforzini 2022 [S11], ATHF [S14]) depends on which dose a clinician judges
adequate, not on the highest one. The criterion is given once, as context, beside the history
(:data:`DURATION_SOURCE`), never attached to a course.

The builder is pure (:func:`build_history`); :class:`TreatmentHistoryService` loads what it
needs from the diary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final, Protocol

from sqlalchemy import func, or_, select

from companion.core.extension_points import ScorePoint, ScoreSource
from companion.core.medications import adherence as adh
from companion.core.medications.adherence import AdherenceConfig, MedicationRecord, ScheduleKind
from companion.core.medications.service import MedicationService
from companion.core.medications.types import TreatmentInfo
from companion.core.medications.vocabulary import (
    ANTIDEPRESSANTS,
    AUGMENTATION,
    STOP_REASON_LABELS,
    TREATMENT_END_LABELS,
    TRIAL_CATEGORIES,
    amount_text,
    category_label,
    describe_schedule,
    label_for,
)
from companion.core.mood.models import MoodEntry
from companion.i18n import _, format_date, ngettext
from companion.storage.database import Database


def duration_source() -> str:
    """clinical-reference §3.1: Canadian expert consensus (Rybak 2021) [S10], shown as context."""
    return _(
        "For context: a fair test of an antidepressant usually means at least 4–6 weeks at a "
        "dose that works (a Canadian expert consensus, Rybak and colleagues, 2021). Which dose "
        "counts is for your clinician to judge."
    )


#: How long before a course starts, and before it ends, mood is averaged.
MOOD_WINDOW_DAYS: Final = 14
#: Fewer logged days than this in a window: too few to put a number on.
MIN_MOOD_DAYS: Final = 3


class MoodDay(Protocol):
    """One local day of mood (``companion.core.mood.service.DailyPoint`` fits)."""

    @property
    def day(self) -> date: ...

    @property
    def mean(self) -> float: ...


# -- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MoodWindow:
    start: date
    end: date
    mean: float | None  # None: fewer than MIN_MOOD_DAYS logged days
    days_logged: int


@dataclass(frozen=True)
class MoodChange:
    before: MoodWindow  # the two weeks before the start
    last: MoodWindow  # the last two weeks of the course (so far)

    @property
    def difference(self) -> float | None:
        if self.before.mean is None or self.last.mean is None:
            return None
        return self.last.mean - self.before.mean


@dataclass(frozen=True)
class ScoreChange:
    instrument: str
    first: ScorePoint
    last: ScorePoint

    @property
    def difference(self) -> float:
        return self.last.score - self.first.score


@dataclass(frozen=True)
class DoseStep:
    """One dose (and schedule) held from ``start`` to ``end`` (inclusive)."""

    start: date
    end: date
    amount: float
    unit: str
    doses_per_day: int | None  # None: not every day, or as needed
    schedule_text: str
    adherence: adh.Adherence

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def dose_text(self) -> str:
        """ "150 mg a day (75 mg twice a day)", "50 mg a day", "5 mg a dose"."""
        one = amount_text(self.amount, self.unit)
        if self.doses_per_day is None:
            return _("{amount} a dose").format(amount=one)
        if self.doses_per_day == 1:
            return _("{amount} a day").format(amount=one)
        total = amount_text(self.amount * self.doses_per_day, self.unit)
        n = self.doses_per_day
        if n == 2:
            return _("{total} a day ({amount} twice a day)").format(total=total, amount=one)
        if n == 3:
            return _("{total} a day ({amount} three times a day)").format(total=total, amount=one)
        if n == 4:
            return _("{total} a day ({amount} four times a day)").format(total=total, amount=one)
        return ngettext(
            "{total} a day ({amount} {count} time a day)",
            "{total} a day ({amount} {count} times a day)",
            n,
        ).format(total=total, amount=one, count=n)


@dataclass(frozen=True)
class Trial:
    """One course of an antidepressant, an augmenting medicine or esketamine."""

    medication_id: str
    name: str
    category: str
    started_on: date
    stopped_on: date | None
    end: date  # stopped_on, or today while ongoing
    stop_reason: str | None
    steps: tuple[DoseStep, ...]
    adherence: adh.Adherence
    mood: MoodChange
    scores: tuple[ScoreChange, ...]
    facts: tuple[str, ...]

    @property
    def ongoing(self) -> bool:
        return self.stopped_on is None

    @property
    def days(self) -> int:
        return (self.end - self.started_on).days + 1

    @property
    def category_label(self) -> str:
        return category_label(self.category)

    @property
    def role(self) -> str:
        if self.category in ANTIDEPRESSANTS:
            return _("Antidepressant")
        if self.category in AUGMENTATION:
            return _("Augmentation")
        return category_label(self.category)


@dataclass(frozen=True)
class Course:
    """A non-drug treatment course with its dates and mood across it."""

    treatment: TreatmentInfo
    end: date
    mood: MoodChange
    facts: tuple[str, ...]

    @property
    def ongoing(self) -> bool:
        return self.treatment.ended_on is None


@dataclass(frozen=True)
class TreatmentHistory:
    trials: tuple[Trial, ...]  # newest first
    courses: tuple[Course, ...]  # newest first
    as_of: date


# -- wording ---------------------------------------------------------------------------------


def duration_text(days: int) -> str:
    """ "5 days", "3 weeks", "5 weeks and 2 days"."""
    if days < 14:
        return ngettext("{count} day", "{count} days", days).format(count=days)
    weeks, rest = divmod(days, 7)
    if not rest:
        return ngettext("{count} week", "{count} weeks", weeks).format(count=weeks)
    return ngettext("{weeks} weeks and {count} day", "{weeks} weeks and {count} days", rest).format(
        weeks=weeks, count=rest
    )


def _share(a: adh.Adherence) -> str:
    return _("{share} ({taken} of {expected} doses) logged as taken, self-reported").format(
        share=adh.format_share(a.taking), taken=a.taken, expected=a.expected
    )


def _mood_window(days: Sequence[MoodDay], start: date, end: date) -> MoodWindow:
    values = [p.mean for p in days if start <= p.day <= end]
    mean = sum(values) / len(values) if len(values) >= MIN_MOOD_DAYS else None
    return MoodWindow(start, end, mean, len(values))


def mood_change(days: Sequence[MoodDay], start: date, end: date) -> MoodChange:
    before = _mood_window(days, start - timedelta(days=MOOD_WINDOW_DAYS), start - timedelta(days=1))
    last_start = max(start, end - timedelta(days=MOOD_WINDOW_DAYS - 1))
    return MoodChange(before, _mood_window(days, last_start, end))


def _mood_fact(change: MoodChange, ongoing: bool) -> str:
    before, last = change.before, change.last
    if before.mean is None or last.mean is None:
        return _("Not enough mood check-ins around this course to compare mood.")
    if ongoing:
        text = _(
            "Average mood (0–10): {before} in the 2 weeks before ({before_days} days logged), "
            "{last} in the last 2 weeks so far ({last_days} days logged)."
        )
    else:
        text = _(
            "Average mood (0–10): {before} in the 2 weeks before ({before_days} days logged), "
            "{last} in its last 2 weeks ({last_days} days logged)."
        )
    return text.format(
        before=f"{before.mean:.1f}",
        before_days=before.days_logged,
        last=f"{last.mean:.1f}",
        last_days=last.days_logged,
    )


def score_changes(scores: Sequence[ScorePoint], start: date, end: date) -> tuple[ScoreChange, ...]:
    """Per instrument: the latest score from 4 weeks before to 1 week after the start, and the
    latest one after it up to the end."""
    out = []
    for instrument in sorted({s.instrument for s in scores}):
        own = sorted((s for s in scores if s.instrument == instrument), key=lambda s: s.day)
        baseline = [s for s in own if start - timedelta(days=28) <= s.day <= start + timedelta(7)]
        if not baseline:
            continue
        first = baseline[-1]
        later = [s for s in own if first.day < s.day <= end]
        if later:
            out.append(ScoreChange(instrument, first, later[-1]))
    return tuple(out)


# -- building --------------------------------------------------------------------------------


def _steps(record: MedicationRecord, end: date, evaluation: adh.Evaluation) -> tuple[DoseStep, ...]:
    # a new step at each dose or schedule change up to the end (one before the start: the start)
    changes = [v.effective_from for v in record.doses] + [
        v.effective_from for v in record.schedules
    ]
    bounds = sorted({record.started_on} | {max(record.started_on, d) for d in changes if d <= end})
    steps: list[DoseStep] = []
    for index, first in enumerate(bounds):
        last = bounds[index + 1] - timedelta(days=1) if index + 1 < len(bounds) else end
        dose = record.dose_on(first)
        schedule = record.schedule_on(first)
        if dose is None or schedule is None:
            continue
        per_day = len(schedule.times) if schedule.kind is ScheduleKind.DAILY else None
        step = DoseStep(
            start=first,
            end=last,
            amount=dose.amount,
            unit=dose.unit,
            doses_per_day=per_day,
            schedule_text=describe_schedule(schedule),
            adherence=adh.summarise(evaluation, first, last),
        )
        if steps and (steps[-1].amount, steps[-1].doses_per_day) == (step.amount, per_day):
            prev = steps.pop()  # a schedule change at the same dose: one step
            step = DoseStep(
                start=prev.start,
                end=last,
                amount=step.amount,
                unit=step.unit,
                doses_per_day=per_day,
                schedule_text=step.schedule_text,
                adherence=adh.summarise(evaluation, prev.start, last),
            )
        steps.append(step)
    return tuple(steps)


def _daily_amount(step: DoseStep) -> float:
    return step.amount * (step.doses_per_day or 1)


def _trial_facts(
    record: MedicationRecord,
    steps: Sequence[DoseStep],
    overall: adh.Adherence,
    mood: MoodChange,
    scores: Sequence[ScoreChange],
    end: date,
) -> tuple[str, ...]:
    ongoing = record.stopped_on is None
    days = (end - record.started_on).days + 1
    facts = []
    if ongoing:
        facts.append(
            _("Taken since {date}: {duration} so far.").format(
                date=format_date(record.started_on, "full"), duration=duration_text(days)
            )
        )
    else:
        facts.append(
            _("Taken from {start} to {end}: {duration}.").format(
                start=format_date(record.started_on, "full"),
                end=format_date(end, "full"),
                duration=duration_text(days),
            )
        )
    for step in steps:
        facts.append(
            _("{duration} at {dose}.").format(
                duration=duration_text(step.days), dose=step.dose_text
            )
        )
    if record.category in ANTIDEPRESSANTS and steps:
        top = max(steps, key=lambda s: (_daily_amount(s), s.start))
        held = (
            _("{duration} so far at the highest dose, {dose}.")
            if ongoing and top is steps[-1]
            else _("{duration} at the highest dose, {dose}.")
        )
        facts.append(held.format(duration=duration_text(top.days), dose=top.dose_text))
    if overall.expected:
        facts.append(_("Doses: {share}.").format(share=_share(overall)))
        if overall.not_logged:
            facts.append(
                ngettext(
                    "{count} scheduled dose not logged (not known whether taken).",
                    "{count} scheduled doses not logged (not known whether taken).",
                    overall.not_logged,
                ).format(count=overall.not_logged)
            )
        if overall.longest_gap_days >= adh.GAP_LIST_MIN_DAYS:
            facts.append(
                _("Longest stretch without a dose logged as taken: {duration}.").format(
                    duration=duration_text(overall.longest_gap_days)
                )
            )
    elif overall.as_needed:
        facts.append(
            ngettext(
                "Taken as needed: {count} dose logged.",
                "Taken as needed: {count} doses logged.",
                overall.as_needed,
            ).format(count=overall.as_needed)
        )
    facts.append(_mood_fact(mood, ongoing))
    for change in scores:
        facts.append(
            _("{instrument}: {first} on {first_date}, {last} on {last_date}.").format(
                instrument=change.instrument,
                first=f"{change.first.score:g}",
                first_date=format_date(change.first.day, "full"),
                last=f"{change.last.score:g}",
                last_date=format_date(change.last.day, "full"),
            )
        )
    if not ongoing:
        reason = label_for(STOP_REASON_LABELS, record.stop_reason, _("no reason given"))
        facts.append(_("Stopped: {reason}.").format(reason=reason.lower()))
    return tuple(facts)


def build_trial(
    record: MedicationRecord,
    today: date,
    now: datetime,
    *,
    mood_days: Sequence[MoodDay] = (),
    scores: Sequence[ScorePoint] = (),
    config: AdherenceConfig | None = None,
    evaluation: adh.Evaluation | None = None,
) -> Trial:
    """One course as a trial; ``evaluation`` (of its whole course) is reused when given."""
    end = course_end(record, today)
    if evaluation is None:
        evaluation = adh.evaluate(record, record.started_on, end, now, config)
    overall = adh.summarise(evaluation)
    steps = _steps(record, end, evaluation)
    mood = mood_change(mood_days, record.started_on, end)
    changes = score_changes(scores, record.started_on, end)
    return Trial(
        medication_id=record.id,
        name=record.name,
        category=record.category,
        started_on=record.started_on,
        stopped_on=record.stopped_on,
        end=end,
        stop_reason=record.stop_reason,
        steps=steps,
        adherence=overall,
        mood=mood,
        scores=changes,
        facts=_trial_facts(record, steps, overall, mood, changes, end),
    )


def course_end(record: MedicationRecord, today: date) -> date:
    """The last day of a course: its stop, or today while it goes on."""
    return max(record.stopped_on or today, record.started_on)


def evaluate_all(
    records: Sequence[MedicationRecord], now: datetime, config: AdherenceConfig | None = None
) -> dict[str, adh.Evaluation]:
    """Every medicine's whole course matched to its log, once (periods are sliced from it)."""
    today = now.replace(tzinfo=None).date()
    return {
        r.id: adh.evaluate(r, r.started_on, course_end(r, today), now, config)
        for r in records
        if r.started_on <= today
    }


def build_course(
    treatment: TreatmentInfo, today: date, mood_days: Sequence[MoodDay] = ()
) -> Course:
    end = max(treatment.ended_on or today, treatment.started_on)
    ongoing = treatment.ended_on is None
    days = (end - treatment.started_on).days + 1
    facts = []
    if ongoing:
        facts.append(
            _("Since {date}: {duration} so far.").format(
                date=format_date(treatment.started_on, "full"), duration=duration_text(days)
            )
        )
    else:
        facts.append(
            _("From {start} to {end}: {duration}.").format(
                start=format_date(treatment.started_on, "full"),
                end=format_date(end, "full"),
                duration=duration_text(days),
            )
        )
    if treatment.sessions is not None:
        facts.append(
            ngettext("{count} session.", "{count} sessions.", treatment.sessions).format(
                count=treatment.sessions
            )
        )
    mood = mood_change(mood_days, treatment.started_on, end)
    facts.append(_mood_fact(mood, ongoing))
    if treatment.end_reason:
        ended = label_for(TREATMENT_END_LABELS, treatment.end_reason)
        facts.append(_("Ended: {reason}.").format(reason=ended.lower()))
    return Course(treatment, end, mood, tuple(facts))


def build_history(
    records: Sequence[MedicationRecord],
    treatments: Sequence[TreatmentInfo],
    now: datetime,
    *,
    mood_days: Sequence[MoodDay] = (),
    scores: Sequence[ScorePoint] = (),
    config: AdherenceConfig | None = None,
    evaluations: Mapping[str, adh.Evaluation] | None = None,
) -> TreatmentHistory:
    """Trials (courses of antidepressants, augmentation, esketamine) and non-drug courses.

    Scheduled medicines only: a medicine taken only as needed is not a trial. ``now`` is aware,
    in the person's local zone. ``evaluations`` (from :func:`evaluate_all`) saves matching
    each log a second time when the caller also shows adherence.
    """
    today = now.replace(tzinfo=None).date()
    known = evaluations or {}
    trials = [
        build_trial(
            r,
            today,
            now,
            mood_days=mood_days,
            scores=scores,
            config=config,
            evaluation=known.get(r.id),
        )
        for r in records
        if r.category in TRIAL_CATEGORIES
        and r.started_on <= today
        and any(s.kind is not ScheduleKind.AS_NEEDED for s in r.schedules)
    ]
    trials.sort(key=lambda t: (t.started_on, t.name), reverse=True)
    courses = [build_course(t, today, mood_days) for t in treatments if t.started_on <= today]
    courses.sort(key=lambda c: c.treatment.started_on, reverse=True)
    return TreatmentHistory(tuple(trials), tuple(courses), today)


@dataclass(frozen=True)
class MoodPoint:
    day: date
    mean: float


def mood_windows(starts_ends: Sequence[tuple[date, date]]) -> list[tuple[date, date]]:
    """The before and last-two-weeks windows of every course, merged where they overlap."""
    windows = []
    for start, end in starts_ends:
        windows.append((start - timedelta(days=MOOD_WINDOW_DAYS), start - timedelta(days=1)))
        windows.append((max(start, end - timedelta(days=MOOD_WINDOW_DAYS - 1)), end))
    merged: list[tuple[date, date]] = []
    for lo, hi in sorted(windows):
        if merged and lo <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def daily_mood(db: Database, windows: Sequence[tuple[date, date]]) -> list[MoodPoint]:
    """Mean mood per local day inside ``windows`` only.

    A read of the mood diary's table narrowed by its time index (the diary's own daily
    aggregation scans every check-in, which for ten years costs more than this whole page).
    """
    if not windows:
        return []
    table = MoodEntry.__table__
    occurred = table.c.occurred_at
    # From the start of the first day to the end of the last, widened by more than any UTC
    # offset (±18 h). The read is a superset, filtered to the windows below, so widening it
    # changes nothing (both excluded from mutation testing).
    margin = timedelta(days=1)  # pragma: no mutate
    whole_day = timedelta(days=1)  # pragma: no mutate
    ranges = [
        occurred.between(
            datetime.combine(lo, time(), tzinfo=UTC) - margin,
            datetime.combine(hi, time(), tzinfo=UTC) + whole_day + margin,
        )
        for lo, hi in windows
    ]
    shift = func.printf("%+d minutes", table.c.utc_offset_minutes)
    day = func.date(occurred, shift)
    query = select(day, func.avg(table.c.mood)).where(or_(*ranges)).group_by(day)
    query = query.order_by(day)  # pragma: no mutate (SQLite returns the groups in order anyway)
    with db.connect() as conn:
        rows = conn.execute(query).all()
    points = [MoodPoint(date.fromisoformat(d), float(mean)) for d, mean in rows]
    return [p for p in points if any(lo <= p.day <= hi for lo, hi in windows)]


class TreatmentHistoryService:
    """Reads the medicines, treatments, mood and scores from the diary and builds the history."""

    def __init__(
        self,
        medications: MedicationService,
        db: Database,
        *,
        score_sources: Sequence[ScoreSource] | None = None,
    ) -> None:
        self._medications = medications
        self._db = db
        if score_sources is None:
            from companion import features

            score_sources = features.load().score_sources()
        self._score_sources = list(score_sources)

    def history(self) -> TreatmentHistory:
        return self.overview().history

    def overview(self) -> Overview:
        """Everything the medications page shows, from one read and one match of each log."""
        now = self._medications.now()
        today = now.date()
        records = self._medications.records()
        treatments = self._medications.treatments()
        spans = [(r.started_on, r.stopped_on or today) for r in records] + [
            (t.started_on, t.ended_on or today) for t in treatments
        ]
        mood_days = daily_mood(self._db, mood_windows(spans))
        scores = [point for source in self._score_sources for point in source.scores(self._db)]
        config = self._medications.preferences().adherence_config()
        evaluations = evaluate_all(records, now, config)
        history = build_history(
            records,
            treatments,
            now,
            mood_days=mood_days,
            scores=scores,
            evaluations=evaluations,  # every trial's, with the saved window: no config needed
        )
        return Overview(now, tuple(records), evaluations, history)


@dataclass(frozen=True)
class Overview:
    """The medications page's data: each medicine's record and whole-course evaluation (any
    period's adherence is ``adherence.summarise(evaluations[id], start, end)``) and the
    treatment history."""

    now: datetime
    records: tuple[MedicationRecord, ...]
    evaluations: Mapping[str, adh.Evaluation]
    history: TreatmentHistory

    def adherence(self, medication_id: str, start: date, end: date) -> adh.Adherence | None:
        evaluation = self.evaluations.get(medication_id)
        return None if evaluation is None else adh.summarise(evaluation, start, end)
