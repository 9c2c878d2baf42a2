"""Adherence figures against hand-computed values (clinical-reference §3.3–3.4).

Every expected number is worked out by hand in the comment above its assertion. "Now" is
Monday 15 June 2026, 12:00 at UTC+2 unless a test says otherwise.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.core.medications.adherence import (
    AdherenceConfig,
    DoseStatus,
    DoseVersion,
    LogRecord,
    MedicationRecord,
    Outcome,
    ScheduleKind,
    ScheduleVersion,
    SlotResult,
    adherence,
    by_period,
    combine,
    evaluate,
    format_share,
    log_record,
    periods,
    summarise,
)

PLUS2 = timezone(timedelta(hours=2))
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=PLUS2)
JUNE = date(2026, 6, 1)


def d(day: int) -> date:
    return date(2026, 6, day)


def local(day: int, hh: int, mm: int = 0, offset: int = 120) -> datetime:
    return datetime(2026, 6, day, hh, mm, tzinfo=timezone(timedelta(minutes=offset)))


def rec(
    status: DoseStatus,
    slot: tuple[int, str] | None,
    at: datetime | None,
    *,
    logged: datetime | None = None,
    amount: float | None = None,
) -> LogRecord:
    """A log entry; ``at`` None means "taken, time not recorded" (stand-in: the slot time)."""
    if at is None:
        assert slot is not None
        hh, mm = (int(x) for x in slot[1].split(":"))
        stand_in = local(slot[0], hh, mm)
        moment, recorded = stand_in, False
    else:
        moment, recorded = at, True
    offset = moment.utcoffset()
    assert offset is not None
    return log_record(
        status,
        moment.astimezone(UTC),
        int(offset.total_seconds() // 60),
        recorded,
        (logged or moment).astimezone(UTC),
        slot_date=d(slot[0]) if slot else None,
        slot_time=slot[1] if slot else None,
        amount=amount,
    )


def taken(day: int, slot: str, at: datetime | None = None, **kw: object) -> LogRecord:
    return rec(DoseStatus.TAKEN, (day, slot), at, **kw)  # type: ignore[arg-type]


def daily(*times: str, start: date = JUNE) -> ScheduleVersion:
    return ScheduleVersion(start, ScheduleKind.DAILY, tuple(times))


def med(
    schedules: tuple[ScheduleVersion, ...],
    log: tuple[LogRecord, ...] = (),
    *,
    started: date = JUNE,
    stopped: date | None = None,
    doses: tuple[DoseVersion, ...] = (DoseVersion(JUNE, 50.0, "mg"),),
    window: int | None = None,
) -> MedicationRecord:
    return MedicationRecord(
        id="m1",
        name="Test",
        category="ssri",
        started_on=started,
        stopped_on=stopped,
        schedules=schedules,
        doses=doses,
        log=log,
        window_minutes=window,
    )


def test_once_daily_mixed_fortnight() -> None:
    log = (
        *(taken(k, "08:00", local(k, 8, 10)) for k in range(1, 11)),  # days 1–10, 08:10
        taken(11, "08:00", local(11, 11, 0)),  # 3 h late: outside ±2 h
        rec(DoseStatus.SKIPPED, (12, "08:00"), None),
        # day 13: nothing logged
        taken(14, "08:00"),  # taken, time not recorded
    )
    a = adherence(med((daily("08:00"),), log), d(1), d(14), NOW)
    # 14 days × 1 dose = 14 scheduled, none skipped on advice → 14 expected
    assert (a.scheduled, a.expected) == (14, 14)
    # taken: days 1–11 and 14 = 12; skipped: day 12; not logged: day 13
    assert (a.taken, a.skipped, a.not_logged) == (12, 1, 1)
    # with a recorded time: days 1–11 = 11; on time (±120 min): days 1–10 = 10
    assert (a.timed, a.on_time) == (11, 10)
    assert a.taking == pytest.approx(12 / 14)  # 85.7%
    assert a.on_time_share == pytest.approx(10 / 11)  # 90.9%
    assert a.timing == pytest.approx(10 / 14)  # 71.4%
    # every dose day had one dose: covered = taken days = 12 of 14
    assert (a.dose_days, a.covered_days, a.correct_days) == (14, 12, 12)
    assert a.pdc == pytest.approx(12 / 14)
    # days 12 and 13 form one run of 2 days with nothing taken: the longest, but under 3
    assert a.longest_gap is not None
    assert (a.longest_gap.first, a.longest_gap.last, a.longest_gap_days) == (d(12), d(13), 2)
    assert a.gaps == ()
    assert a.windows == frozenset({120})
    assert format_share(a.taking) == "86%"


def test_twice_daily_with_a_dose_change_mid_period() -> None:
    # 08:00 and 20:00; 50 mg until 3 June, 100 mg from 4 June (a titration step).
    doses = (DoseVersion(JUNE, 50.0, "mg"), DoseVersion(d(4), 100.0, "mg"))
    log = (
        taken(1, "08:00", local(1, 8, 0)),
        taken(1, "20:00", local(1, 20, 50)),  # 50 min late: inside ±60
        taken(2, "08:00", local(2, 9, 30)),  # 90 min late: outside ±60
        taken(2, "20:00", local(2, 20, 0)),
        taken(3, "08:00", local(3, 8, 0)),
        # 3 June 20:00 not logged
        taken(4, "08:00", local(4, 8, 0)),
        taken(4, "20:00", local(4, 20, 0), amount=50.0),  # took the old dose
        taken(5, "08:00", local(5, 8, 0), amount=100.0),  # same as scheduled: not "different"
        taken(5, "20:00", local(5, 20, 0)),
    )
    a = adherence(med((daily("08:00", "20:00"),), log, doses=doses), d(1), d(5), NOW)
    # 5 days × 2 = 10 expected; 9 taken, 1 not logged
    assert (a.expected, a.taken, a.not_logged) == (10, 9, 1)
    # all 9 timed; on time (±60 for twice daily): all but 2 June 08:00 → 8
    assert (a.timed, a.on_time) == (9, 8)
    # days fully covered: 1, 2, 4, 5 = 4 of 5 (3 June had 1 of 2)
    assert (a.dose_days, a.covered_days) == (5, 4)
    # one dose differs from the dose in force that day (50 mg on 4 June, when 100 mg was due)
    assert a.different_dose == 1
    assert a.windows == frozenset({60})
    # the scheduled amount follows the dose history day by day
    ev = evaluate(med((daily("08:00", "20:00"),), log, doses=doses), d(1), d(5), NOW)
    amounts = {(s.day, s.time): s.scheduled_amount for s in ev.slots}
    assert amounts[(d(3), "20:00")] == 50.0 and amounts[(d(4), "08:00")] == 100.0


def test_as_needed_doses_are_counted_apart_and_never_enter_adherence() -> None:
    prn = ScheduleVersion(JUNE, ScheduleKind.AS_NEEDED)
    log = (
        rec(DoseStatus.TAKEN, None, local(2, 22, 0)),
        rec(DoseStatus.TAKEN, None, local(6, 23, 0)),
        rec(DoseStatus.TAKEN, None, local(9, 1, 30)),
    )
    a = adherence(med((prn,), log), d(1), d(14), NOW)
    # no expected doses at all; three as-needed doses, no ratios
    assert (a.expected, a.taken, a.as_needed, a.extra) == (0, 0, 3, 0)
    assert a.taking is None and a.pdc is None and a.on_time_share is None
    assert format_share(a.taking) == "–"


def test_a_switch_to_as_needed_ends_the_expected_doses() -> None:
    schedules = (daily("08:00"), ScheduleVersion(d(6), ScheduleKind.AS_NEEDED))
    log = (
        *(taken(k, "08:00", local(k, 8, 0)) for k in range(1, 6)),
        rec(DoseStatus.TAKEN, None, local(8, 9, 0)),
    )
    a = adherence(med(schedules, log), d(1), d(14), NOW)
    # expected only 1–5 June (5 doses), all taken; the 8 June dose is as needed
    assert (a.expected, a.taken, a.as_needed) == (5, 5, 1)


def test_a_stop_ends_the_expected_doses_on_the_last_day() -> None:
    log = tuple(taken(k, "08:00", local(k, 8, 0)) for k in range(1, 5))
    a = adherence(med((daily("08:00"),), log, stopped=d(5)), d(1), d(14), NOW)
    # 1–5 June inclusive = 5 expected; 4 taken; 5 June not logged; nothing after the stop
    assert (a.expected, a.taken, a.not_logged) == (5, 4, 1)


def test_a_start_mid_period_counts_from_the_start() -> None:
    schedules = (daily("08:00", start=d(10)),)
    a = adherence(med(schedules, started=d(10)), d(1), d(14), NOW)
    # 10–14 June = 5 expected, none logged
    assert (a.expected, a.not_logged, a.dose_days) == (5, 5, 5)
    # the five days form a run of five with nothing logged as taken: listed
    assert [(g.first, g.last, g.days) for g in a.gaps] == [(d(10), d(14), 5)]


def test_late_logging_is_counted_and_still_taken() -> None:
    log = (
        taken(1, "08:00", local(1, 8, 0), logged=local(4, 19, 0)),  # 3½ days later
        taken(2, "08:00", local(2, 8, 0), logged=local(3, 7, 0)),  # 23 h later: not late
        taken(3, "08:00", logged=local(6, 9, 0)),  # no time; stand-in 08:00, 3 days later
    )
    a = adherence(med((daily("08:00"),), log), d(1), d(3), NOW)
    # three taken; two written more than 24 h after the dose
    assert (a.taken, a.late_logged) == (3, 2)


def test_time_zone_changes_follow_the_wall_clock() -> None:
    log = (
        # At home (UTC+2): 08:05.
        taken(1, "08:00", local(1, 8, 5)),
        # In Tokyo (UTC+9): 08:15 local = 23:15 UTC on 1 June, still the 2 June 08:00 dose.
        taken(2, "08:00", local(2, 8, 15, offset=540)),
        # In New York (UTC−4): 09:30 local: 90 min after 08:00 local → on time (±120).
        taken(3, "08:00", local(3, 9, 30, offset=-240)),
        # Back home but the clock is still on Tokyo time by mistake: 15:00 at +9 is 08:00 at +2,
        # yet on the wall clock it reads 15:00, 7 h from the slot → not on time.
        taken(4, "08:00", local(4, 15, 0, offset=540)),
    )
    a = adherence(med((daily("08:00"),), log), d(1), d(4), NOW)
    # 4 expected, 4 taken, nothing double counted or lost across the zones
    assert (a.expected, a.taken, a.extra, a.not_logged) == (4, 4, 0, 0)
    # on time on the wall clock: 1, 2 and 3 June → 3 of 4 timed
    assert (a.on_time, a.timed) == (3, 4)


def test_daylight_saving_change_neither_adds_nor_loses_a_dose() -> None:
    # Europe: clocks go forward on Sunday 29 March 2026 (UTC+1 → UTC+2).
    start = date(2026, 3, 27)
    schedules = (ScheduleVersion(start, ScheduleKind.DAILY, ("08:00",)),)
    log = tuple(
        log_record(
            DoseStatus.TAKEN,
            datetime(2026, 3, day, 8, 10, tzinfo=timezone(timedelta(minutes=off))).astimezone(UTC),
            off,
            True,
            datetime(2026, 3, day, 8, 11, tzinfo=UTC),
            slot_date=date(2026, 3, day),
            slot_time="08:00",
        )
        for day, off in ((27, 60), (28, 60), (29, 120), (30, 120), (31, 120))
    )
    m = MedicationRecord("m", "T", "ssri", start, None, schedules, log=log)
    a = adherence(m, start, date(2026, 3, 31), NOW)
    # 5 days, 5 doses, all at 08:10 on the wall clock → all on time
    assert (a.expected, a.taken, a.on_time) == (5, 5, 5)


def test_a_night_dose_belongs_to_its_slot_not_the_calendar_day() -> None:
    log = (
        # the 23:30 dose of 1 June, taken at 00:30 on 2 June and logged against its slot
        taken(1, "23:30", local(2, 0, 30)),
        # a dose logged without a slot at 00:20 on 3 June: matched to the 2 June 23:30 dose
        rec(DoseStatus.TAKEN, None, local(3, 0, 20)),
        # 3 June 23:30 taken on time
        taken(3, "23:30", local(3, 23, 35)),
    )
    a = adherence(med((daily("23:30"),), log), d(1), d(3), NOW)
    # 3 expected (1, 2, 3 June), all taken, none extra
    assert (a.expected, a.taken, a.extra) == (3, 3, 0)
    # delays 60, 50 and 5 minutes: all inside ±120
    assert a.on_time == 3
    ev = evaluate(med((daily("23:30"),), log), d(1), d(3), NOW)
    assert [(s.day, s.delay_minutes) for s in ev.slots] == [
        (d(1), 60.0),
        (d(2), 50.0),
        (d(3), 5.0),
    ]


def test_a_dose_just_outside_the_period_is_not_pulled_into_it() -> None:
    # 31 May 23:30 dose taken at 00:10 on 1 June without a slot: it belongs to 31 May.
    schedules = (daily("23:30", start=date(2026, 5, 25)),)
    log = (rec(DoseStatus.TAKEN, None, local(1, 0, 10)),)
    m = med(schedules, log, started=date(2026, 5, 25))
    a = adherence(m, d(1), d(1), NOW)
    # 1 June's own 23:30 dose: not logged; nothing extra in the period
    assert (a.expected, a.taken, a.extra) == (1, 0, 0)


def test_a_schedule_changed_back_in_time_still_matches_the_logged_doses() -> None:
    # Logged against 08:00 slots; later the 08:00 schedule was replaced from 1 June by 09:00.
    log = tuple(taken(k, "08:00", local(k, 8, 0)) for k in range(1, 4))
    a = adherence(med((daily("09:00"),), log), d(1), d(3), NOW)
    # each orphan entry is matched to the 09:00 dose of its day (1 h away, inside 12 h)
    assert (a.expected, a.taken, a.extra) == (3, 3, 0)
    # taken at 08:00 for a 09:00 dose: 60 min early, inside ±120 → on time
    assert a.on_time == 3


def test_an_extra_dose_is_reported_apart_and_not_counted_as_taken() -> None:
    log = (
        taken(1, "08:00", local(1, 8, 0)),
        rec(DoseStatus.TAKEN, None, local(1, 9, 0)),  # a second dose the same morning
        taken(2, "08:00", local(2, 8, 0)),
    )
    a = adherence(med((daily("08:00"),), log), d(1), d(2), NOW)
    # 2 expected, 2 taken (never 3), 1 extra
    assert (a.expected, a.taken, a.extra) == (2, 2, 1)
    # both days covered, but 1 June is not a "correct-dosing day" (an extra dose)
    assert (a.covered_days, a.correct_days) == (2, 1)


def test_skipped_on_advice_leaves_the_denominators() -> None:
    log = (
        taken(1, "08:00", local(1, 8, 0)),
        taken(1, "20:00", local(1, 20, 0)),
        rec(DoseStatus.SKIPPED_ADVISED, (2, "08:00"), None),
        rec(DoseStatus.SKIPPED_ADVISED, (2, "20:00"), None),
        taken(3, "08:00", local(3, 8, 0)),
        rec(DoseStatus.SKIPPED_ADVISED, (3, "20:00"), None),
        rec(DoseStatus.SKIPPED, (4, "08:00"), None),
        taken(4, "20:00", local(4, 20, 0)),
    )
    a = adherence(med((daily("08:00", "20:00"),), log), d(1), d(4), NOW)
    # scheduled 8; 3 skipped on advice → expected 5; taken 4; skipped by choice 1
    assert (a.scheduled, a.skipped_advised, a.expected, a.taken, a.skipped) == (8, 3, 5, 4, 1)
    assert a.taking == pytest.approx(4 / 5)
    # dose days: 1 June (2 expected), 3 June (1), 4 June (2); 2 June had none → 3
    # covered: 1 June (2/2) and 3 June (1/1) → 2
    assert (a.dose_days, a.covered_days) == (3, 2)


def test_a_dose_still_inside_its_window_is_pending_not_not_logged() -> None:
    log = (taken(15, "08:00", local(15, 8, 0)),)
    m = med((daily("08:00", "11:00", start=d(15)),), log, started=d(15))
    a = adherence(m, d(15), d(15), NOW)
    # now 12:00: the 11:00 dose's ±60 window closes at 12:00 → due; with ±120 it would be pending
    assert (a.expected, a.taken, a.not_logged, a.pending) == (2, 1, 1, 0)
    wide = adherence(m, d(15), d(15), NOW, AdherenceConfig(window_multi=120))
    assert (wide.expected, wide.pending) == (1, 1)
    # the evening dose of a once-daily medicine later today is not due yet
    evening = med((daily("20:00", start=d(15)),), started=d(15))
    assert adherence(evening, d(15), d(15), NOW).pending == 1
    assert adherence(evening, d(15), d(15), NOW).expected == 0


def test_a_dose_logged_early_counts_before_its_time() -> None:
    m = med((daily("20:00", start=d(15)),), (taken(15, "20:00", local(15, 11, 30)),), started=d(15))
    a = adherence(m, d(15), d(15), NOW)
    # logged (taken at 11:30 for 20:00: 8½ h early) → counted, not on time
    assert (a.expected, a.taken, a.on_time, a.pending) == (1, 1, 0, 0)


def test_weekday_and_every_n_days_schedules() -> None:
    mwf = ScheduleVersion(JUNE, ScheduleKind.WEEKDAYS, ("09:00",), frozenset({0, 2, 4}))
    # 1 June 2026 is a Monday; 1–14 June has Mon/Wed/Fri on 1, 3, 5, 8, 10, 12 → 6
    assert adherence(med((mwf,)), d(1), d(14), NOW).expected == 6
    every3 = ScheduleVersion(JUNE, ScheduleKind.INTERVAL, ("09:00",), interval_days=3)
    # every 3 days from 1 June: 1, 4, 7, 10, 13 → 5
    a = adherence(med((every3,)), d(1), d(14), NOW)
    assert a.expected == 5
    # five dose days, none taken: one run of 5 dose days spanning 1–13 June (13 days)
    assert [(g.first, g.last, g.dose_days, g.days) for g in a.gaps] == [(d(1), d(13), 5, 13)]


def test_gaps_of_three_or_more_days_are_listed() -> None:
    taken_days = [1, 2, 7, 8, 9, 12, 13, 14]  # nothing on 3–6 (4 days) and 10–11 (2 days)
    log = tuple(taken(k, "08:00", local(k, 8, 0)) for k in taken_days)
    a = adherence(med((daily("08:00"),), log), d(1), d(14), NOW)
    assert [(g.first, g.last, g.days) for g in a.gaps] == [(d(3), d(6), 4)]
    assert a.longest_gap_days == 4


def test_a_configured_window_and_a_medicines_own_window() -> None:
    log = (taken(1, "08:00", local(1, 8, 45)), taken(2, "08:00", local(2, 9, 30)))
    m = med((daily("08:00"),), log)
    # default ±120: both on time
    assert adherence(m, d(1), d(2), NOW).on_time == 2
    # configured ±60: only 45 min → 1
    assert adherence(m, d(1), d(2), NOW, AdherenceConfig(window_once=60)).on_time == 1
    # the medicine's own ±30 overrides the configuration → 0
    own = med((daily("08:00"),), log, window=30)
    assert adherence(own, d(1), d(2), NOW, AdherenceConfig(window_once=60)).on_time == 0


def test_by_week_and_month_and_combined() -> None:
    log = tuple(taken(k, "08:00", local(k, 8, 0)) for k in range(1, 15) if k not in (6, 7))
    m = med((daily("08:00"),), log)
    weeks = by_period(m, d(1), d(14), "week", NOW)
    # weeks Mon 1–Sun 7 and Mon 8–Sun 14: 5 of 7 (weekend not logged), then 7 of 7
    assert [(w.start, w.end, w.taken, w.expected) for w in weeks] == [
        (d(1), d(7), 5, 7),
        (d(8), d(14), 7, 7),
    ]
    assert periods(date(2026, 1, 30), date(2026, 3, 2), "month") == [
        (date(2026, 1, 30), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 3, 2)),
    ]
    other = med((daily("20:00"),), ())
    both = combine(
        [adherence(m, d(1), d(14), NOW), adherence(other, d(1), d(14), NOW)], d(1), d(14)
    )
    # 12 of 14 plus 0 of 14 → 12 of 28; longest gap: the other medicine's 14 days
    assert (both.taken, both.expected, both.longest_gap_days) == (12, 28, 14)
    with pytest.raises(ValueError):
        periods(d(1), d(2), "fortnight")


def test_slot_outcomes_are_gentle_and_complete() -> None:
    log = (taken(1, "08:00", local(1, 8, 0)), rec(DoseStatus.SKIPPED, (2, "08:00"), None))
    ev = evaluate(med((daily("08:00"),), log), d(1), d(3), NOW)
    assert [s.outcome for s in ev.slots] == [Outcome.TAKEN, Outcome.SKIPPED, Outcome.NOT_LOGGED]


def test_a_medicine_starting_later_or_stopped_earlier_has_nothing_to_count() -> None:
    future = med((daily("08:00", start=d(20)),), started=d(20))
    assert adherence(future, d(1), d(30), NOW).expected == 0
    ended = med((daily("08:00"),), stopped=d(3))
    assert adherence(ended, d(10), d(14), NOW).expected == 0
    # a period that ends before the course starts
    assert adherence(future, d(1), d(5), NOW).scheduled == 0


_statuses = st.sampled_from(
    [None, DoseStatus.TAKEN, DoseStatus.SKIPPED, DoseStatus.SKIPPED_ADVISED]
)


@settings(max_examples=60, deadline=None)
@given(
    marks=st.lists(
        st.tuples(_statuses, st.integers(-200, 200), st.booleans()), min_size=28, max_size=28
    ),
    lo=st.integers(1, 14),
    span=st.integers(0, 13),
)
def test_period_figures_agree_with_the_dose_by_dose_outcomes(
    marks: list[tuple[DoseStatus | None, int, bool]], lo: int, span: int
) -> None:
    """The running totals (DayIndex) give the same figures as counting slot by slot."""
    log = []
    for k, (status, delay, timed) in enumerate(marks):
        day, slot = 1 + k // 2, ("08:00", "20:00")[k % 2]
        if status is None:
            continue
        hh = 8 if slot == "08:00" else 20
        at = local(day, hh) + timedelta(minutes=delay) if timed else None
        if at is not None and at > NOW:
            at = None
        log.append(rec(status, (day, slot), at))
    m = med((daily("08:00", "20:00"),), tuple(log))
    ev = evaluate(m, d(1), d(14), NOW)
    hi = min(14, lo + span)
    a = summarise(ev, d(lo), d(hi))
    chosen = [s for s in ev.slots if d(lo) <= s.day <= d(hi)]
    assert a.scheduled == len(chosen)
    assert a.taken == sum(s.outcome is Outcome.TAKEN for s in chosen)
    assert a.not_logged == sum(s.outcome is Outcome.NOT_LOGGED for s in chosen)
    assert a.skipped_advised == sum(s.outcome is Outcome.SKIPPED_ADVISED for s in chosen)
    assert a.on_time == sum(s.on_time is True for s in chosen)
    assert a.timed == sum(s.on_time is not None for s in chosen)
    by_day: dict[date, list[SlotResult]] = {}
    for s in chosen:
        by_day.setdefault(s.day, []).append(s)
    dose_days = [
        day
        for day, ss in by_day.items()
        if any(s.outcome is not Outcome.SKIPPED_ADVISED for s in ss)
    ]
    covered = [
        day
        for day in dose_days
        if all(s.outcome in (Outcome.TAKEN, Outcome.SKIPPED_ADVISED) for s in by_day[day])
    ]
    assert (a.dose_days, a.covered_days) == (len(dose_days), len(covered))
    assert a.taken <= a.expected
