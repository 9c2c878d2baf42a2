"""The medication service: add, change, stop, log doses; every bad input gets one clear sentence."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from companion.core.errors import ValidationError
from companion.core.medications import adherence as adh
from companion.core.medications.adherence import DoseStatus, ScheduleKind
from companion.core.medications.models import DoseLog
from companion.core.medications.preferences import ReminderPreferences
from companion.core.medications.types import (
    DoseInput,
    MedicationInput,
    ScheduleInput,
    TreatmentInput,
)
from companion.core.medications.validate import parse_time
from companion.core.medications.vocabulary import describe_schedule, format_amount, outcome_label
from tests.core.medication_helpers import NOW, PLUS2, add_daily, service


def d(day: int) -> date:
    return date(2026, 6, day)


def at(day: int, hh: int, mm: int = 0) -> datetime:
    return datetime(2026, 6, day, hh, mm, tzinfo=PLUS2)


# -- medicines -------------------------------------------------------------------------------


def test_add_and_read_back_a_medicine() -> None:
    svc, _clock, _db = service()
    med = add_daily(svc, times=("20:00", "08:00"))
    assert med.label == "Sertraline 50 mg tablet"
    assert med.category_label == "SSRI"
    assert med.latest_schedule.version.times == ("08:00", "20:00")  # sorted
    assert med.latest_schedule.text == "Every day at 08:00 and 20:00"
    assert med.latest_dose.text == "50 mg"
    assert svc.get(med.id) == med
    assert [m.id for m in svc.medications()] == [med.id]


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        (ScheduleInput(times=()), "at least one time of day"),
        (ScheduleInput(times=("25:00",)), "not a time of day"),
        (ScheduleInput(times=("08:00", "8:00")), "same time appears twice"),
        (ScheduleInput(kind="weekdays", times=("08:00",)), "at least one day of the week"),
        (ScheduleInput(kind="weekdays", times=("08:00",), weekdays=(7,)), "Monday to Sunday"),
        (ScheduleInput(kind="interval", times=("08:00",), interval_days=1), "from 2 to 366"),
        (ScheduleInput(kind="hourly", times=("08:00",)), "how often"),
        (ScheduleInput(times=tuple(f"{h:02d}:00" for h in range(13))), "up to 12 times"),
    ],
)
def test_a_bad_schedule_is_refused_with_a_sentence(schedule: ScheduleInput, message: str) -> None:
    svc, _clock, _db = service()
    with pytest.raises(ValidationError, match=message):
        svc.add(
            MedicationInput(name="X", category="ssri", started_on=d(1)),
            schedule,
            DoseInput(10, "mg"),
        )
    assert svc.medications() == []  # nothing reached the database


@pytest.mark.parametrize(
    ("amount", "unit", "message"),
    [
        (-5, "mg", "more than zero"),
        (0, "mg", "more than zero"),
        (float("nan"), "mg", "more than zero"),
        (75_000, "mg", "more than any single dose"),
        (60, "g", "more than any single dose"),
        (50, "spoons", "unit from the list"),
        ("fifty", "mg", "must be a number"),
        (True, "mg", "must be a number"),
    ],
)
def test_a_negative_or_absurd_dose_is_refused(amount: object, unit: str, message: str) -> None:
    svc, _clock, _db = service()
    with pytest.raises(ValidationError, match=message):
        svc.add(
            MedicationInput(name="X", category="ssri", started_on=d(1)),
            ScheduleInput(times=("08:00",)),
            DoseInput(amount, unit),  # type: ignore[arg-type]
        )
    med = add_daily(svc)
    with pytest.raises(ValidationError, match=message):
        svc.change_dose(med.id, DoseInput(amount, unit), d(5))  # type: ignore[arg-type]


def test_a_dose_of_many_tablets_at_once_is_questioned() -> None:
    svc, _clock, _db = service()
    with pytest.raises(ValidationError, match="40 tablets at once"):
        add_daily(svc, amount=2000, strength=50)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "   "}, "give the medicine a name"),
        ({"name": "x" * 81}, "too long"),
        ({"category": "vitamin"}, "kind of medicine from the list"),
        ({"form": "gummy"}, "form from the list"),
        ({"started_on": date(1900, 1, 1)}, "before 1950"),
        ({"started_on": date(2028, 1, 1)}, "more than a year ahead"),
        ({"window_minutes": 1}, "5 minutes to 12 hours"),
        ({"purpose": "p" * 201}, "too long"),
    ],
)
def test_bad_details_are_refused(changes: dict[str, object], message: str) -> None:
    svc, _clock, _db = service()
    fields: dict[str, object] = {"name": "X", "category": "ssri", "started_on": d(1), **changes}
    with pytest.raises(ValidationError, match=message):
        svc.add(
            MedicationInput(**fields),  # type: ignore[arg-type]
            ScheduleInput(times=("08:00",)),
            DoseInput(10, "mg"),
        )


def test_dated_dose_and_schedule_changes_keep_the_past() -> None:
    svc, _clock, _db = service()
    med = add_daily(svc, amount=50)
    med = svc.change_dose(med.id, DoseInput(100, "mg", note="agreed"), d(8))
    med = svc.set_schedule(med.id, ScheduleInput(times=("09:00",)), d(10))
    assert [(e.version.effective_from, e.version.amount) for e in med.doses] == [
        (d(1), 50.0),
        (d(8), 100.0),
    ]
    assert med.dose_on(d(7)).text == "50 mg"  # type: ignore[union-attr]
    assert med.dose_on(d(8)).text == "100 mg"  # type: ignore[union-attr]
    assert med.schedule_on(d(9)).version.times == ("08:00",)  # type: ignore[union-attr]
    # a second change on the same day replaces it
    med = svc.change_dose(med.id, DoseInput(75, "mg"), d(8))
    assert [e.version.amount for e in med.doses] == [50.0, 75.0]
    # a change before the start is refused
    with pytest.raises(ValidationError, match="before the medicine was started"):
        svc.change_dose(med.id, DoseInput(75, "mg"), date(2026, 5, 1))
    # and a mistaken change can be removed, the first one cannot
    med = svc.remove_change(med.id, med.doses[1].id)
    assert [e.version.amount for e in med.doses] == [50.0]
    with pytest.raises(ValidationError, match="first schedule and dose"):
        svc.remove_change(med.id, med.doses[0].id)


def test_stop_needs_a_reason_and_a_last_day_after_the_start() -> None:
    svc, _clock, _db = service()
    med = add_daily(svc)
    with pytest.raises(ValidationError, match="before the day it was started"):
        svc.stop(med.id, date(2026, 5, 20), "side_effects")
    with pytest.raises(ValidationError, match="reason from the list"):
        svc.stop(med.id, d(10), "bored")
    svc.mark_taken(med.id, d(12), "08:00", taken_at=at(12, 8))
    with pytest.raises(ValidationError, match="logged as taken on Friday 12 June 2026"):
        svc.stop(med.id, d(10), "side_effects")
    stopped = svc.stop(med.id, d(12), "side_effects", note="Nausea")
    assert (stopped.stopped_on, stopped.stop_reason) == (d(12), "side_effects")
    # past medicines come after current ones
    other = add_daily(svc, "Venlafaxine", category="snri", amount=75, strength=75)
    assert [m.name for m in svc.medications()] == ["Venlafaxine", "Sertraline"]
    assert [m.name for m in svc.medications(include_stopped=False)] == ["Venlafaxine"]
    # changes after the last day are refused
    with pytest.raises(ValidationError, match="stopped on Friday 12 June 2026"):
        svc.change_dose(med.id, DoseInput(25, "mg"), d(13))
    resumed = svc.resume(med.id)
    assert resumed.stopped_on is None and resumed.stop_reason is None
    assert other.id in {m.id for m in svc.medications()}


def test_moving_the_start_date_moves_the_first_versions_and_guards_the_log() -> None:
    svc, _clock, _db = service()
    med = add_daily(svc)
    svc.mark_taken(med.id, d(3), "08:00", taken_at=at(3, 8))
    base = MedicationInput(name="Sertraline", category="ssri", started_on=d(5))
    with pytest.raises(ValidationError, match="logged on Wednesday 3 June 2026"):
        svc.update(med.id, base)
    earlier = svc.update(
        med.id, MedicationInput(name="Sertraline", category="ssri", started_on=d(2))
    )
    assert earlier.started_on == d(2)
    assert earlier.schedules[0].version.effective_from == d(2)
    assert earlier.doses[0].version.effective_from == d(2)


def test_delete_and_restore_bring_everything_back() -> None:
    svc, _clock, _db = service()
    med = add_daily(svc)
    svc.change_dose(med.id, DoseInput(100, "mg"), d(8))
    svc.add_side_effect(med.id, "Nausea", "moderate", d(3))
    svc.mark_taken(med.id, d(2), "08:00", taken_at=at(2, 8, 5))
    before = svc.get(med.id)
    entries = svc.log_entries(med.id)
    snapshot = svc.delete(med.id)
    assert svc.medications() == [] and svc.log_entries() == []
    assert "Nausea" not in repr(snapshot)  # private text stays out of reprs
    restored = svc.restore(snapshot)
    assert restored == before
    assert svc.log_entries(med.id) == entries
    with pytest.raises(ValidationError, match="already in the diary"):
        svc.restore(snapshot)


# -- the dose log ----------------------------------------------------------------------------


def test_today_lists_each_scheduled_dose_in_time_order() -> None:
    svc, _clock, _db = service()
    a = add_daily(svc, "Venlafaxine", times=("08:00",), category="snri", amount=75, strength=75)
    b = add_daily(svc, "Aripiprazole", times=("08:00", "20:00"), amount=5, strength=5)
    slots = svc.doses_for_day()
    assert [(s.time, s.medication_name) for s in slots] == [
        ("08:00", "Aripiprazole"),
        ("08:00", "Venlafaxine"),
        ("20:00", "Aripiprazole"),
    ]
    assert all(s.status is None for s in slots)
    assert outcome_label(None) == "Not logged yet"
    svc.mark_taken(a.id, d(15), "08:00")
    svc.mark_skipped(b.id, d(15), "08:00")
    statuses = {(s.medication_id, s.time): s.status for s in svc.doses_for_day()}
    assert statuses[(a.id, "08:00")] is DoseStatus.TAKEN
    assert statuses[(b.id, "08:00")] is DoseStatus.SKIPPED
    assert statuses[(b.id, "20:00")] is None


def test_a_duplicate_taken_mark_is_idempotent_and_never_double_counted() -> None:
    svc, clock, db = service()
    med = add_daily(svc)
    first = svc.mark_taken(med.id, d(15), "08:00", taken_at=at(15, 8, 5))
    clock.now = NOW + timedelta(minutes=3)
    again = svc.mark_taken(med.id, d(15), "8:00")  # a double click, a second window…
    assert again == first
    assert len(svc.log_entries(med.id)) == 1
    a = svc.adherence(med.id, d(15), d(15))
    assert (a.expected, a.taken) == (1, 1)
    # the database refuses a second row for the same slot even past the service
    with pytest.raises(IntegrityError), db.session() as session:
        session.execute(
            insert(DoseLog),
            {
                "id": "x",
                "medication_id": med.id,
                "slot_date": d(15),
                "slot_time": "08:00",
                "status": "taken",
                "occurred_at": NOW,
                "utc_offset_minutes": 120,
                "time_recorded": True,
                "logged_at": NOW,
                "logged_offset_minutes": 120,
                "created_at": NOW,
                "updated_at": NOW,
            },
        )


def test_skip_then_take_corrects_the_entry_and_clear_undoes_it() -> None:
    svc, _clock, _db = service()
    med = add_daily(svc)
    skipped = svc.mark_skipped(med.id, d(14), "08:00")
    assert skipped.status is DoseStatus.SKIPPED and not skipped.time_recorded
    taken = svc.mark_taken(med.id, d(14), "08:00", time_known=False)
    assert taken.id == skipped.id and taken.status is DoseStatus.TAKEN
    assert not taken.time_recorded
    advised = svc.mark_skipped(med.id, d(13), "08:00", advised=True)
    assert advised.status is DoseStatus.SKIPPED_ADVISED
    removed = svc.clear_slot(med.id, d(14), "08:00")
    assert removed is not None and removed.id == taken.id
    assert svc.clear_slot(med.id, d(14), "08:00") is None
    restored = svc.restore_entry(removed)
    assert restored.id == removed.id


def test_a_time_across_midnight_stays_with_its_dose() -> None:
    svc, clock, _db = service()
    med = add_daily(svc, times=("23:30",))
    # the 23:30 dose of 13 June taken at 00:30 on 14 June belongs to 13 June
    entry = svc.mark_taken(med.id, d(13), "23:30", taken_at=at(14, 0, 30))
    assert entry.slot_date == d(13)
    a = svc.adherence(med.id, d(13), d(14))
    # 13 June: taken (on time, 60 min late); 14 June: not logged; nothing double counted
    assert (a.expected, a.taken, a.on_time, a.not_logged) == (2, 1, 1, 1)
    # a time on the wrong side of the clock change is explained, not stored
    with pytest.raises(ValidationError, match="more than 12 hours from the 23:30 dose"):
        svc.mark_taken(med.id, d(14), "23:30", taken_at=at(14, 8, 0))
    # the same moment seen from a clock eight hours behind still reads as 00:30 local
    west = timezone(timedelta(hours=-6))
    clock.now = datetime(2026, 6, 15, 3, 0, tzinfo=west)
    moved = svc.mark_taken(
        med.id, d(14), "23:30", taken_at=datetime(2026, 6, 15, 0, 10, tzinfo=west)
    )
    assert moved.slot_date == d(14) and moved.utc_offset_minutes == -360


@pytest.mark.parametrize(
    ("slot_day", "slot_time", "message"),
    [
        (d(15), "09:00", "no dose at 09:00"),
        (date(2026, 5, 31), "08:00", "was started on Monday 1 June 2026"),
        (d(16), "08:00", "not due yet"),
    ],
)
def test_a_dose_that_does_not_exist_cannot_be_marked(
    slot_day: date, slot_time: str, message: str
) -> None:
    svc, _clock, _db = service()
    med = add_daily(svc)
    with pytest.raises(ValidationError, match=message):
        svc.mark_taken(med.id, slot_day, slot_time)


def test_a_time_in_the_future_or_after_a_stop_is_refused() -> None:
    svc, _clock, _db = service()
    med = add_daily(svc, times=("08:00", "20:00"))
    with pytest.raises(ValidationError, match="in the future"):
        svc.mark_taken(med.id, d(15), "20:00", taken_at=at(15, 19, 0))
    # marking the evening dose in advance without a time is fine (it is within 12 h)
    svc.mark_skipped(med.id, d(15), "20:00")
    svc.stop(med.id, d(14), "cost")
    with pytest.raises(ValidationError, match="stopped on Sunday 14 June 2026"):
        svc.mark_taken(med.id, d(15), "08:00")


def test_an_actual_amount_is_kept_only_when_it_differs() -> None:
    svc, _clock, _db = service()
    med = add_daily(svc, amount=50)
    same = svc.mark_taken(med.id, d(14), "08:00", taken_at=at(14, 8), amount=50)
    assert same.amount is None
    half = svc.mark_taken(med.id, d(13), "08:00", taken_at=at(13, 8), amount=25)
    assert half.amount == 25
    with pytest.raises(ValidationError, match="more than zero"):
        svc.mark_taken(med.id, d(12), "08:00", taken_at=at(12, 8), amount=-1)
    corrected = svc.update_entry(half.id, taken_at=at(13, 9, 30), amount=50)
    assert corrected.amount is None and corrected.local_time == at(13, 9, 30)
    assert corrected.logged_at == NOW
    a = svc.adherence(med.id, d(13), d(14))
    assert (a.taken, a.different_dose, a.on_time) == (2, 0, 2)


def test_as_needed_doses_are_logged_with_their_time() -> None:
    svc, _clock, _db = service()
    med = svc.add(
        MedicationInput(name="Melatonin", category="other", started_on=d(1)),
        ScheduleInput(kind=ScheduleKind.AS_NEEDED),
        DoseInput(2, "mg"),
    )
    assert med.as_needed and describe_schedule(med.latest_schedule.version) == "As needed"
    assert svc.doses_for_day() == []
    entry = svc.log_dose(med.id, taken_at=at(14, 22, 40))
    assert entry.slot_date is None and entry.time_recorded
    with pytest.raises(ValidationError, match="taken as needed"):
        svc.mark_taken(med.id, d(14), "08:00")
    with pytest.raises(ValidationError, match="was not being taken on Sunday 31 May 2026"):
        svc.log_dose(med.id, taken_at=datetime(2026, 5, 31, 22, tzinfo=PLUS2))
    a = svc.adherence(med.id, d(1), d(15))
    assert (a.expected, a.as_needed) == (0, 1)
    snapshot = svc.delete_entry(entry.id)
    assert svc.log_entries(med.id) == []
    svc.restore_entry(snapshot)
    assert len(svc.log_entries(med.id)) == 1


def test_records_compute_the_same_local_minutes_as_python() -> None:
    """SQLite's julianday arithmetic and adherence.log_record agree on every entry."""
    svc, clock, _db = service()
    med = add_daily(svc, times=("08:00", "23:30"))
    svc.mark_taken(med.id, d(10), "08:00", taken_at=at(10, 8, 7))
    svc.mark_taken(med.id, d(10), "23:30", taken_at=at(11, 0, 45))
    svc.mark_taken(med.id, d(11), "08:00", time_known=False)
    clock.now = NOW + timedelta(days=3)  # written late
    svc.mark_skipped(med.id, d(12), "08:00")
    tokyo = timezone(timedelta(hours=9))
    svc.mark_taken(med.id, d(13), "08:00", taken_at=datetime(2026, 6, 13, 8, 20, tzinfo=tokyo))
    loaded = {(r.slot_date, r.slot_time): r for r in svc.records()[0].log}
    for entry in svc.log_entries(med.id):
        expected = adh.log_record(
            entry.status,
            entry.occurred_at,
            entry.utc_offset_minutes,
            entry.time_recorded,
            entry.logged_at,
            slot_date=entry.slot_date,
            slot_time=entry.slot_time,
            amount=entry.amount,
        )
        got = loaded[(entry.slot_date, entry.slot_time)]
        assert got.local_minute == pytest.approx(expected.local_minute, abs=1e-3)
        assert got._replace(local_minute=0) == expected._replace(local_minute=0)


# -- side effects, stock, treatments, preferences --------------------------------------------


def test_side_effects_are_validated_and_kept_per_medicine() -> None:
    svc, _clock, _db = service()
    med = add_daily(svc)
    effect = svc.add_side_effect(med.id, "Nausea most mornings", "moderate", d(3))
    assert svc.get(med.id).side_effects == (effect,)
    with pytest.raises(ValidationError, match="describe the side effect"):
        svc.add_side_effect(med.id, "  ", "mild", d(3))
    with pytest.raises(ValidationError, match="before the date it was noticed"):
        svc.add_side_effect(med.id, "Headache", "mild", d(5), resolved_on=d(4))
    with pytest.raises(ValidationError, match="in the future"):
        svc.add_side_effect(med.id, "Headache", "mild", d(20))
    with pytest.raises(ValidationError, match="how much it bothers you"):
        svc.add_side_effect(med.id, "Headache", "awful", d(5))
    with pytest.raises(ValidationError, match="too long"):
        svc.add_side_effect(med.id, "x" * 2001, "mild", d(5))
    eased = svc.update_side_effect(effect.id, "Nausea", "mild", d(3), resolved_on=d(10))
    assert eased.resolved_on == d(10)
    snapshot = svc.delete_side_effect(effect.id)
    assert svc.get(med.id).side_effects == ()
    assert svc.restore_side_effect(snapshot).id == effect.id


def test_stock_on_hand_and_run_out_date() -> None:
    svc, _clock, _db = service()
    # 37.5 mg capsules, 75 mg a dose → 2 capsules a dose, once a day
    med = svc.add(
        MedicationInput(
            name="Venlafaxine",
            category="snri",
            form="capsule",
            strength=37.5,
            strength_unit="mg",
            started_on=d(1),
        ),
        ScheduleInput(times=("08:00",)),
        DoseInput(75, "mg"),
    )
    assert svc.stock(med.id) is None
    svc.set_stock(med.id, 30, counted_at=at(12, 20))
    for day in (13, 14, 15):
        svc.mark_taken(med.id, d(day), "08:00", taken_at=at(day, 8))
    svc.mark_taken(med.id, d(12), "08:00", taken_at=at(12, 8))  # before the count: not used
    stock = svc.stock(med.id)
    assert stock is not None
    # 30 − 3 doses × 2 capsules = 24 on hand; 2 a day → 12 days → runs out on 27 June
    assert (stock.on_hand, stock.per_day, stock.days_left) == (24.0, 2.0, 12)
    assert stock.runs_out_on == d(27) and stock.unit == "capsules"
    # the same for a medicine as the list of medicines gave it (no second read)
    (listed,) = [m for m in svc.medications() if m.id == med.id]
    assert svc.stock_of(listed) == stock
    with pytest.raises(ValidationError, match="less than zero"):
        svc.set_stock(med.id, -1)
    with pytest.raises(ValidationError, match="at most 100,000"):
        svc.set_stock(med.id, 1e9)
    assert svc.set_stock(med.id, None).stock_count is None


def test_treatments_are_validated_and_listed_newest_first() -> None:
    svc, _clock, _db = service()
    cbt = svc.add_treatment(
        TreatmentInput(
            kind="psychotherapy",
            therapy_type="cbt",
            started_on=date(2026, 1, 5),
            ended_on=date(2026, 4, 27),
            end_reason="completed",
            sessions=16,
        )
    )
    ect = svc.add_treatment(TreatmentInput(kind="ect", started_on=date(2026, 5, 4)))
    assert [t.id for t in svc.treatments()] == [ect.id, cbt.id]
    assert cbt.title == "CBT (cognitive behavioural therapy)" and cbt.short_title == "CBT"
    for bad, message in (
        (TreatmentInput(kind="ect", therapy_type="cbt", started_on=d(1)), "psychotherapy only"),
        (TreatmentInput(kind="rtms", started_on=d(5), ended_on=d(1)), "before the start"),
        (TreatmentInput(kind="vns", started_on=d(1), end_reason="completed"), "end date"),
        (TreatmentInput(kind="vns", started_on=d(1), sessions=-2), "whole number"),
        (TreatmentInput(kind="magic", started_on=d(1)), "kind of treatment"),
    ):
        with pytest.raises(ValidationError, match=message):
            svc.add_treatment(bad)
    updated = svc.update_treatment(ect.id, TreatmentInput(kind="ect", started_on=d(1), sessions=8))
    assert updated.sessions == 8
    snapshot = svc.delete_treatment(ect.id)
    assert svc.restore_treatment(snapshot) == snapshot


def test_preferences_round_trip_and_are_checked() -> None:
    svc, _clock, _db = service()
    assert svc.preferences() == ReminderPreferences()
    wanted = ReminderPreferences(show_names=True, window_once=90, snooze_minutes=15)
    assert svc.set_preferences(wanted) == wanted
    assert svc.preferences() == wanted
    assert svc.preferences().adherence_config().window_once == 90
    with pytest.raises(ValidationError, match="5 minutes to 12 hours"):
        svc.set_preferences(ReminderPreferences(window_multi=0))
    with pytest.raises(ValidationError, match="Snooze"):
        svc.set_preferences(ReminderPreferences(snooze_minutes=0))


def test_small_helpers() -> None:
    assert format_amount(37.5) == "37.5" and format_amount(75.0) == "75"
    assert parse_time("8:05") == "08:05" and parse_time(time(21, 0)) == "21:00"
    assert (
        describe_schedule(
            adh.ScheduleVersion(d(1), ScheduleKind.WEEKDAYS, ("09:00",), frozenset({0, 2, 4}))
        )
        == "Mon, Wed, Fri at 09:00"
    )
    assert (
        describe_schedule(
            adh.ScheduleVersion(d(1), ScheduleKind.INTERVAL, ("09:00",), interval_days=3)
        )
        == "Every 3 days at 09:00"
    )
