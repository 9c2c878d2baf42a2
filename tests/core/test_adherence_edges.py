"""Adherence at its edges: exact limits, several events on one day, which days and which slot.

Written against the survivors of mutation testing (tools/mutation.sh): each test pins a
boundary or a multiplicity that the figures a clinician sees depend on. Every expected value is
worked out by hand in the comment above it, never by calling the code under test.

1 June 2026 is a Monday. "Now" is Monday 15 June 2026, 12:00 at UTC+2 unless a test says
otherwise; every moment below is at UTC+2.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from companion.core.medications.adherence import (
    Adherence,
    AdherenceConfig,
    DoseStatus,
    DoseVersion,
    Gap,
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
    log_record,
    periods,
    summarise,
)

PLUS2 = timezone(timedelta(hours=2))
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=PLUS2)
JUNE = date(2026, 6, 1)
TAKEN, SKIPPED, ADVISED = DoseStatus.TAKEN, DoseStatus.SKIPPED, DoseStatus.SKIPPED_ADVISED
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def d(day: int) -> date:
    return date(2026, 6, day)


def at(day: int, hh: int, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(2026, 6, day, hh, mm, ss, tzinfo=PLUS2)


def entry(
    when: datetime,
    status: DoseStatus = TAKEN,
    *,
    slot: tuple[int, str] | None = None,
    timed: bool = True,
    logged: datetime | None = None,
    amount: float | None = None,
    id: str = "",
) -> LogRecord:
    """A log entry at ``when`` (for a dose without a recorded time: the moment stored)."""
    return log_record(
        status,
        when.astimezone(UTC),
        120,
        timed,
        (logged or when).astimezone(UTC),
        slot_date=d(slot[0]) if slot else None,
        slot_time=slot[1] if slot else None,
        amount=amount,
        id=id,
    )


def daily(*times: str, start: date = JUNE) -> ScheduleVersion:
    return ScheduleVersion(start, ScheduleKind.DAILY, times)


def on_weekdays(days: set[int], *times: str, start: date = JUNE) -> ScheduleVersion:
    return ScheduleVersion(start, ScheduleKind.WEEKDAYS, times, frozenset(days))


def every(n: int | None, *times: str, start: date = JUNE) -> ScheduleVersion:
    return ScheduleVersion(start, ScheduleKind.INTERVAL, times, interval_days=n)


def as_needed(start: date = JUNE, *times: str) -> ScheduleVersion:
    return ScheduleVersion(start, ScheduleKind.AS_NEEDED, times)


def medicine(
    *schedules: ScheduleVersion,
    log: tuple[LogRecord, ...] = (),
    started: date = JUNE,
    stopped: date | None = None,
    doses: tuple[DoseVersion, ...] = (DoseVersion(JUNE, 50.0, "mg"),),
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
    )


def slot_days(med: MedicationRecord, first: int, last: int) -> list[int]:
    return [s.day.day for s in evaluate(med, d(first), d(last), NOW).slots]


def outcomes(med: MedicationRecord, first: int, last: int) -> list[tuple[int, str, Outcome]]:
    return [(s.day.day, s.time, s.outcome) for s in evaluate(med, d(first), d(last), NOW).slots]


# -- which days ------------------------------------------------------------------------------


def test_a_weekday_schedule_expands_to_exactly_its_weekdays() -> None:
    # Mondays, Wednesdays and Fridays in 1–14 June: 1, 3, 5, 8, 10, 12
    assert slot_days(medicine(on_weekdays({MON, WED, FRI}, "09:00")), 1, 14) == [
        1,
        3,
        5,
        8,
        10,
        12,
    ]
    # Tuesdays and Saturdays: 2, 6, 9, 13; Sundays: 7, 14
    assert slot_days(medicine(on_weekdays({TUE, SAT}, "09:00")), 1, 14) == [2, 6, 9, 13]
    assert slot_days(medicine(on_weekdays({SUN}, "09:00")), 1, 14) == [7, 14]


def test_an_interval_schedule_counts_from_its_own_first_day() -> None:
    # every 3 days from Tuesday 2 June: 2, 5, 8, 11, 14
    m = medicine(every(3, "09:00", start=d(2)), started=d(2))
    assert slot_days(m, 1, 14) == [2, 5, 8, 11, 14]
    # a missing number of days is read as every day (never a division by zero)
    assert slot_days(medicine(every(None, "09:00")), 1, 4) == [1, 2, 3, 4]


def test_a_schedule_change_mid_period_expands_each_part_by_its_own_rule() -> None:
    # every day until Sunday 7 June, then Mondays and Thursdays: 1–7, 8 (Mon), 11 (Thu), 15 is
    # past the period
    mon_thu = medicine(daily("08:00"), on_weekdays({MON, THU}, "08:00", start=d(8)))
    assert slot_days(mon_thu, 1, 14) == [1, 2, 3, 4, 5, 6, 7, 8, 11]
    # every day until 7 June, then every 2 days from 8 June: 8, 10, 12, 14
    alternate = medicine(daily("08:00"), every(2, "08:00", start=d(8)))
    assert slot_days(alternate, 1, 14) == [1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14]


def test_doses_on_says_which_days_have_doses() -> None:
    assert daily("08:00").doses_on(d(2)) is True
    mwf = on_weekdays({MON, WED, FRI}, "08:00")
    assert [mwf.doses_on(d(k)) for k in range(1, 8)] == [
        True,  # Mon 1
        False,
        True,  # Wed 3
        False,
        True,  # Fri 5
        False,
        False,
    ]
    every3 = every(3, "08:00")
    # 1 June is day 0 of the interval: 1, 4, 7 have doses
    assert [every3.doses_on(d(k)) for k in range(1, 8)] == [
        True,
        False,
        False,
        True,
        False,
        False,
        True,
    ]
    assert every(None, "08:00").doses_on(d(2)) is True
    assert as_needed().doses_on(d(1)) is False


def test_a_switch_from_as_needed_to_a_schedule_counts_from_the_switch() -> None:
    m = medicine(
        as_needed(),
        daily("08:00", start=d(5)),
        log=(entry(at(2, 22)),),  # an as-needed dose before the switch
    )
    ev = evaluate(m, d(1), d(7), NOW)
    # expected doses 5, 6 and 7 June only; the 2 June dose is as needed
    assert [s.day.day for s in ev.slots] == [5, 6, 7]
    assert len(ev.as_needed) == 1 and ev.extra == ()


def test_an_as_needed_schedule_never_expands_even_if_it_lists_times() -> None:
    m = medicine(as_needed(JUNE, "08:00"), log=(entry(at(3, 8)),))
    a = adherence(m, d(1), d(7), NOW)
    assert (a.scheduled, a.as_needed, a.extra) == (0, 1, 0)


def test_days_before_the_first_schedule_have_no_doses_and_match_within_twelve_hours() -> None:
    # The course starts on 1 June, its schedule only on 3 June; a dose logged without a slot at
    # 21:00 on 2 June (no schedule in force: once-a-day reach, 12 h) is 11 h before the 3 June
    # 08:00 dose, so it is that dose, taken 660 min early.
    m = medicine(daily("08:00", start=d(3)), log=(entry(at(2, 21)),))
    ev = evaluate(m, d(1), d(5), NOW)
    assert [(s.day.day, s.outcome, s.delay_minutes) for s in ev.slots] == [
        (3, Outcome.TAKEN, -660.0),
        (4, Outcome.NOT_LOGGED, None),
        (5, Outcome.NOT_LOGGED, None),
    ]
    assert ev.extra == ()


def test_a_change_on_the_last_day_applies_to_that_day_and_a_future_one_adds_nothing() -> None:
    # 50 mg until 14 June, 100 mg from today (15 June); today's 08:00 dose is due at 12:00
    doses = (DoseVersion(JUNE, 50.0, "mg"), DoseVersion(d(15), 100.0, "mg"))
    ev = evaluate(medicine(daily("08:00"), doses=doses), d(14), d(15), NOW)
    assert [(s.day.day, s.scheduled_amount) for s in ev.slots] == [(14, 50.0), (15, 100.0)]
    # a step planned for 20 June: the period runs to 30 June, but only 1–15 June are due
    planned = (DoseVersion(JUNE, 50.0, "mg"), DoseVersion(d(20), 100.0, "mg"))
    a = adherence(medicine(daily("08:00"), doses=planned), d(1), d(30), NOW)
    assert (a.scheduled, a.pending) == (15, 0)


# -- exact limits ----------------------------------------------------------------------------


def test_a_dose_exactly_at_the_window_edge_is_on_time_and_a_minute_more_is_not() -> None:
    log = (
        entry(at(1, 10, 0), slot=(1, "08:00")),  # +120 min
        entry(at(2, 10, 1), slot=(2, "08:00")),  # +121 min
        entry(at(3, 6, 0), slot=(3, "08:00")),  # −120 min
        entry(at(4, 5, 59), slot=(4, "08:00")),  # −121 min
    )
    m = medicine(daily("08:00"), log=log)
    ev = evaluate(m, d(1), d(4), NOW)
    # once a day: ±120 min
    assert [(s.delay_minutes, s.on_time) for s in ev.slots] == [
        (120.0, True),
        (121.0, False),
        (-120.0, True),
        (-121.0, False),
    ]
    a = summarise(ev)
    assert (a.timed, a.on_time) == (4, 2)
    # twice a day: ±60 min; +60 on time, +61 not
    twice = medicine(
        daily("08:00", "20:00"),
        log=(entry(at(5, 9, 0), slot=(5, "08:00")), entry(at(5, 21, 1), slot=(5, "20:00"))),
    )
    assert [s.on_time for s in evaluate(twice, d(5), d(5), NOW).slots] == [True, False]
    assert adherence(twice, d(5), d(5), NOW).on_time == 1


def test_a_dose_logged_exactly_a_day_later_is_not_late_and_a_minute_more_is() -> None:
    assert entry(at(1, 8), logged=at(2, 8)).late is False
    assert entry(at(1, 8), logged=at(2, 8, 1)).late is True


def test_whether_a_dose_is_due_turns_on_nows_exact_minute() -> None:
    # 10:30 once a day (±120): due from 12:30 on 15 June
    m = medicine(daily("10:30", start=d(15)), started=d(15))
    before = adherence(m, d(15), d(15), datetime(2026, 6, 15, 12, 29, 59, tzinfo=PLUS2))
    assert (before.pending, before.scheduled) == (1, 0)
    due = adherence(m, d(15), d(15), datetime(2026, 6, 15, 12, 30, tzinfo=PLUS2))
    assert (due.pending, due.scheduled, due.not_logged) == (0, 1, 1)


def test_one_expected_dose_gives_whole_shares_not_none() -> None:
    m = medicine(
        daily("08:00", start=d(14)), started=d(14), log=(entry(at(14, 8), slot=(14, "08:00")),)
    )
    a = adherence(m, d(14), d(14), NOW)
    # 1 of 1 in every figure
    assert (a.taking, a.pdc, a.correct_day_share, a.on_time_share, a.timing) == (1, 1, 1, 1, 1)
    assert a.not_logged_share == 0


def test_a_gap_of_exactly_three_dose_days_is_listed_and_two_are_not() -> None:
    taken = (1, 2, 6, 9)  # nothing on 3–5 (3 days) and 7–8 (2 days)
    log = tuple(entry(at(k, 8), slot=(k, "08:00")) for k in taken)
    ev = evaluate(medicine(daily("08:00"), log=log), d(1), d(9), NOW)
    a = summarise(ev)
    assert a.gaps == (Gap(d(3), d(5), 3),)
    assert a.longest_gap == Gap(d(3), d(5), 3)
    # 4–9 June: the first run is cut to 4–5 (2 days); of two 2-day runs the later is "longest"
    part = summarise(ev, d(4), d(9))
    assert part.gaps == ()
    assert part.longest_gap == Gap(d(7), d(8), 2)


# -- matching: reach, ties and order ---------------------------------------------------------


def test_a_loose_dose_exactly_twelve_hours_away_matches_and_a_tie_goes_to_the_earlier_dose() -> (
    None
):
    # 20:00 on 2 June is 720 min from both 2 June 08:00 and 3 June 08:00: the earlier one
    log = (entry(at(1, 8), slot=(1, "08:00")), entry(at(2, 20), id="tie"))
    ev = evaluate(medicine(daily("08:00"), log=log), d(1), d(3), NOW)
    assert [(s.day.day, s.outcome, s.record_id, s.delay_minutes) for s in ev.slots] == [
        (1, Outcome.TAKEN, None, 0.0),
        (2, Outcome.TAKEN, "tie", 720.0),
        (3, Outcome.NOT_LOGGED, None, None),
    ]
    assert ev.extra == ()


def test_the_once_daily_reach_is_twelve_hours_even_between_weekday_doses() -> None:
    log = (
        entry(at(2, 20), id="tue"),  # Tue 20:00: 12 h before Wed 08:00 → that dose
        entry(at(4, 19, 59), id="thu"),  # Thu 19:59: 12 h 1 min before Fri 08:00 → extra
    )
    ev = evaluate(medicine(on_weekdays({MON, WED, FRI}, "08:00"), log=log), d(1), d(5), NOW)
    assert [(s.day.day, s.record_id) for s in ev.slots] == [(1, None), (3, "tue"), (5, None)]
    assert [r.id for r in ev.extra] == ["thu"]


def test_the_twice_daily_reach_is_six_hours() -> None:
    log = (
        entry(at(1, 18, 0), id="six"),  # 6 h after the 12:00 dose: that dose
        entry(at(2, 18, 1), id="more"),  # 6 h 1 min after 2 June 12:00: extra
    )
    ev = evaluate(medicine(daily("08:00", "12:00"), log=log), d(1), d(2), NOW)
    assert [(s.day.day, s.time, s.record_id) for s in ev.slots] == [
        (1, "08:00", None),
        (1, "12:00", "six"),
        (2, "08:00", None),
        (2, "12:00", None),
    ]
    assert [r.id for r in ev.extra] == ["more"]


def test_a_loose_dose_goes_to_the_nearest_open_dose_past_a_logged_one() -> None:
    # 08:00 and 10:00 from today; 10:00 logged at 10:05; a dose without a slot at 11:00 passes
    # the logged 10:00 dose and is the 08:00 one, 180 min late (outside ±60)
    log = (entry(at(15, 10, 5), slot=(15, "10:00"), id="ten"), entry(at(15, 11), id="loose"))
    m = medicine(daily("08:00", "10:00", start=d(15)), started=d(15), log=log)
    ev = evaluate(m, d(15), d(15), NOW)
    assert [(s.time, s.record_id, s.delay_minutes, s.on_time) for s in ev.slots] == [
        ("08:00", "loose", 180.0, False),
        ("10:00", "ten", 5.0, True),
    ]
    assert ev.extra == ()
    # with both open, 11:00 is nearer 12:00 (60 min) than 08:00 (180 min)
    near = medicine(daily("08:00", "12:00"), log=(entry(at(14, 11), id="loose"),))
    assert [(s.time, s.record_id) for s in evaluate(near, d(14), d(14), NOW).slots] == [
        ("08:00", None),
        ("12:00", "loose"),
    ]


def test_an_entry_for_a_moved_slot_matches_by_its_time_or_else_its_slot() -> None:
    # The schedule is now 09:00 and 21:00 (changed back to 1 June); two entries name the old
    # 20:00 slot:
    log = (
        # logged at 08:00 "taken, time not known": its slot time 20:00 counts → 21:00 dose
        entry(at(2, 8), slot=(2, "20:00"), timed=False, id="untimed"),
        # taken at 09:30, 10½ h before its old slot: its time counts → 09:00 dose, +30 min
        entry(at(3, 9, 30), slot=(3, "20:00"), id="timed"),
    )
    ev = evaluate(medicine(daily("09:00", "21:00"), log=log), d(2), d(3), NOW)
    assert [(s.day.day, s.time, s.record_id, s.delay_minutes) for s in ev.slots] == [
        (2, "09:00", None, None),
        (2, "21:00", "untimed", None),
        (3, "09:00", "timed", 30.0),
        (3, "21:00", None, None),
    ]
    assert ev.extra == ()


def test_entries_are_matched_in_the_order_of_their_dose_times() -> None:
    # Two untimed entries for old 20:00 and 20:30 slots compete for the one 21:00 dose: the
    # 20:00 one comes first and gets it, although it was written later (08:00 after 07:00).
    log = (
        entry(at(2, 7), slot=(2, "20:30"), timed=False, id="half-past"),
        entry(at(2, 8), slot=(2, "20:00"), timed=False, id="eight"),
    )
    ev = evaluate(medicine(daily("21:00"), log=log), d(2), d(2), NOW)
    assert [s.record_id for s in ev.slots] == ["eight"]
    assert [r.id for r in ev.extra] == ["half-past"]


# -- what each slot says, and several events on one day --------------------------------------


def test_every_field_of_a_slot_result() -> None:
    log = (
        # taken 30 min late, half the dose, written two days later
        entry(at(1, 8, 30), slot=(1, "08:00"), amount=25.0, logged=at(3, 9), id="a"),
        entry(at(2, 8), SKIPPED, slot=(2, "08:00"), timed=False, id="b"),
        entry(at(3, 8), ADVISED, slot=(3, "08:00"), timed=False, id="c"),
        # 4 June: nothing
        entry(at(5, 8), slot=(5, "08:00"), timed=False),  # taken, no time, no id
        entry(at(6, 8), slot=(6, "08:00"), amount=50.0, id="f"),  # the scheduled amount
        entry(at(7, 8), slot=(7, "08:00"), amount=50.5, id="g"),  # half a mg more
    )
    ev = evaluate(medicine(daily("08:00"), log=log), d(1), d(7), NOW)
    assert ev.medication_id == "m1"
    assert ev.slots == (
        SlotResult(d(1), "08:00", Outcome.TAKEN, 120, 50.0, True, True, True, "a", 30.0),
        SlotResult(d(2), "08:00", Outcome.SKIPPED, 120, 50.0, None, False, False, "b", None),
        SlotResult(
            d(3), "08:00", Outcome.SKIPPED_ADVISED, 120, 50.0, None, False, False, "c", None
        ),
        SlotResult(d(4), "08:00", Outcome.NOT_LOGGED, 120, 50.0, None, False, False, None, None),
        SlotResult(d(5), "08:00", Outcome.TAKEN, 120, 50.0, None, False, False, None, None),
        SlotResult(d(6), "08:00", Outcome.TAKEN, 120, 50.0, True, False, False, "f", 0.0),
        SlotResult(d(7), "08:00", Outcome.TAKEN, 120, 50.0, True, False, True, "g", 0.0),
    )
    a = summarise(ev)
    # 7 scheduled, 1 on advice → 6 expected; taken 1, 5, 6, 7; timed 1, 6, 7, all on time;
    # written late: 1; another amount: 1 and 7
    assert (a.scheduled, a.expected, a.taken, a.skipped, a.not_logged) == (7, 6, 4, 1, 1)
    assert (a.timed, a.on_time, a.late_logged, a.different_dose) == (3, 3, 1, 2)


def test_several_skipped_late_and_different_doses_on_one_day_all_count() -> None:
    # four times a day on 1 June: two skipped, two taken on time but at 25 mg and written on
    # 3 June (more than a day later)
    late = at(3, 9)
    log = (
        entry(at(1, 8), SKIPPED, slot=(1, "08:00"), timed=False),
        entry(at(1, 12), SKIPPED, slot=(1, "12:00"), timed=False),
        entry(at(1, 16), slot=(1, "16:00"), amount=25.0, logged=late),
        entry(at(1, 20), slot=(1, "20:00"), amount=25.0, logged=late),
    )
    m = medicine(daily("08:00", "12:00", "16:00", "20:00"), log=log)
    a = adherence(m, d(1), d(1), NOW)
    assert (a.scheduled, a.skipped, a.taken, a.late_logged, a.different_dose) == (4, 2, 2, 2, 2)
    # one dose day, not covered (2 of 4 taken), so not a correct day either
    assert (a.dose_days, a.covered_days, a.correct_days) == (1, 0, 0)


def test_extra_doses_on_a_day_without_expected_doses() -> None:
    log = (
        entry(at(1, 8), slot=(1, "08:00")),
        entry(at(2, 9), id="x1"),  # Tuesday: no dose due; 25 h and 47 h from Mon and Wed
        entry(at(2, 12), id="x2"),
        entry(at(3, 8), slot=(3, "08:00")),
    )
    ev = evaluate(medicine(on_weekdays({MON, WED, FRI}, "08:00"), log=log), d(1), d(5), NOW)
    a = summarise(ev)
    # Mon, Wed, Fri expected; Mon and Wed taken; two extras on Tuesday, which is no dose day
    assert (a.scheduled, a.taken, a.not_logged, a.extra) == (3, 2, 1, 2)
    assert (a.dose_days, a.covered_days, a.correct_days) == (3, 2, 2)
    assert a.windows == frozenset({120})
    tuesday = summarise(ev, d(2), d(2))
    assert (tuesday.scheduled, tuesday.extra, tuesday.dose_days) == (0, 2, 0)
    assert tuesday.windows == frozenset() and tuesday.taking is None


# -- the ends of the range and of the course -------------------------------------------------


def test_a_period_that_ends_before_the_stop_ends_at_the_period() -> None:
    a = adherence(medicine(daily("08:00"), stopped=d(10)), d(1), d(5), NOW)
    assert (a.scheduled, a.not_logged) == (5, 5)


def test_doses_outside_the_course_are_never_extra() -> None:
    # Course 1–10 June; every dose taken at 08:00. Logged without a slot: 09:00 on 30 and
    # 31 May (before the start), 21:00 on 10 June (the last day, taken a second time), 21:00 on
    # 11 June and 09:00 on 13 June (after the stop).
    log = (
        *(entry(at(k, 8), slot=(k, "08:00")) for k in range(1, 11)),
        entry(datetime(2026, 5, 30, 9, tzinfo=PLUS2), id="may30"),
        entry(datetime(2026, 5, 31, 9, tzinfo=PLUS2), id="may31"),
        entry(at(10, 21), id="last-day"),
        entry(at(11, 21), id="after1"),
        entry(at(13, 9), id="after3"),
    )
    m = medicine(daily("08:00"), log=log, stopped=d(10))
    ev = evaluate(m, date(2026, 5, 25), d(14), NOW)
    # only the second dose on the last day is extra (no 11 June dose exists to match it)
    assert [r.id for r in ev.extra] == ["last-day"]
    a = summarise(ev)
    assert (a.scheduled, a.taken, a.extra) == (10, 10, 1)
    # the same for as-needed doses: counted from the start to the stop only
    prn = medicine(as_needed(), log=(entry(at(5, 9)), entry(at(6, 9))), stopped=d(5))
    assert adherence(prn, d(1), d(14), NOW).as_needed == 1


def test_a_planned_last_day_adds_no_dose_before_it_is_due() -> None:
    # once a day from 1 June, to stop on 20 June; now 15 June 12:00: 1–15 June are due
    a = adherence(medicine(daily("08:00"), stopped=d(20)), d(1), d(30), NOW)
    assert (a.scheduled, a.pending) == (15, 0)


def test_a_second_dose_this_evening_is_extra_not_tomorrows() -> None:
    evening = datetime(2026, 6, 15, 22, 0, tzinfo=PLUS2)
    log = (entry(at(15, 8), slot=(15, "08:00")), entry(at(15, 21), id="second"))
    ev = evaluate(medicine(daily("08:00"), log=log), d(15), d(15), evening)
    # tomorrow's 08:00 dose (11 h away) does not exist yet: the 21:00 dose is extra today
    assert [r.id for r in ev.extra] == ["second"]
    assert (ev.pending, [s.outcome for s in ev.slots]) == (0, [Outcome.TAKEN])


def test_extra_and_as_needed_doses_on_the_first_and_last_days_of_a_period_count() -> None:
    # As needed: doses at 09:00 on 2, 3, 5 and 6 June; the period 3–5 June holds 3 and 5.
    prn = medicine(as_needed(), log=tuple(entry(at(k, 9)) for k in (2, 3, 5, 6)))
    assert adherence(prn, d(3), d(5), NOW).as_needed == 2
    ev = evaluate(prn, d(1), d(7), NOW)
    assert len(ev.as_needed) == 4
    assert summarise(ev, d(3), d(5)).as_needed == 2
    # Once a day, all taken at 08:00, plus a second dose at 09:00 on 2, 3, 5 and 6 June
    log = (
        *(entry(at(k, 8), slot=(k, "08:00")) for k in range(1, 8)),
        *(entry(at(k, 9)) for k in (2, 3, 5, 6)),
    )
    assert adherence(medicine(daily("08:00"), log=log), d(3), d(5), NOW).extra == 2


def test_pending_doses_belong_to_the_last_period_only() -> None:
    # 20:00 every day from 1 June, nothing logged; now 15 June 12:00: 15 June 20:00 is pending
    weeks = by_period(medicine(daily("20:00")), d(8), d(21), "week", NOW)
    assert [(w.start, w.end, w.scheduled, w.pending) for w in weeks] == [
        (d(8), d(14), 7, 0),
        (d(15), d(21), 0, 1),
    ]


def test_several_pending_doses_before_an_early_logged_one() -> None:
    # from today 13:00, 14:00 and 20:00 (±60): at 12:00 none is due; 20:00 was logged at 11:00
    log = (entry(at(15, 11), slot=(15, "20:00")),)
    m = medicine(daily("13:00", "14:00", "20:00", start=d(15)), started=d(15), log=log)
    a = adherence(m, d(15), d(15), NOW)
    assert (a.pending, a.scheduled, a.taken) == (2, 1, 1)


# -- periods and sums ------------------------------------------------------------------------


def test_week_periods_start_on_monday_and_clip_to_the_range() -> None:
    # Wed 3 – Mon 15 June: Wed–Sun, a whole week, and the lone Monday
    assert periods(d(3), d(15), "week") == [(d(3), d(7)), (d(8), d(14)), (d(15), d(15))]
    assert periods(d(7), d(7), "week") == [(d(7), d(7))]
    assert periods(d(5), d(4), "week") == []


def test_month_periods_cross_a_year_and_clip_to_the_range() -> None:
    assert periods(date(2025, 12, 1), date(2026, 2, 1), "month") == [
        (date(2025, 12, 1), date(2025, 12, 31)),
        (date(2026, 1, 1), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 1)),
    ]
    assert periods(date(2028, 2, 10), date(2028, 3, 5), "month") == [
        (date(2028, 2, 10), date(2028, 2, 29)),  # a leap year
        (date(2028, 3, 1), date(2028, 3, 5)),
    ]
    with pytest.raises(ValueError, match="unknown period unit 'year'"):
        periods(d(1), d(2), "year")


def test_by_period_uses_the_windows_it_is_given() -> None:
    log = tuple(entry(at(k, 8, 45), slot=(k, "08:00")) for k in range(1, 8))
    m = medicine(daily("08:00"), log=log)
    # 45 min late every day: on time with ±120, not with ±30
    assert [w.on_time for w in by_period(m, d(1), d(7), "week", NOW)] == [7]
    narrow = AdherenceConfig(window_once=30)
    assert [w.on_time for w in by_period(m, d(1), d(7), "week", NOW, narrow)] == [0]


def test_combine_sums_counts_and_keeps_every_gap_and_window() -> None:
    early, late = Gap(d(2), d(4), 3), Gap(d(5), d(7), 3)
    one = Adherence(
        d(1), d(7), scheduled=7, taken=4, longest_gap=early, gaps=(early,), windows=frozenset({120})
    )
    two = Adherence(
        d(1), d(7), scheduled=14, taken=11, longest_gap=late, gaps=(late,), windows=frozenset({60})
    )
    both = combine([one, two], d(1), d(7))
    assert (both.start, both.end, both.scheduled, both.taken) == (d(1), d(7), 21, 15)
    assert both.gaps == (early, late)
    # two 3-day gaps: the later one is the longest
    assert both.longest_gap == late
    assert both.windows == frozenset({60, 120})
    assert combine([], d(1), d(7)) == Adherence(d(1), d(7))
