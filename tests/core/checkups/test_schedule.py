"""When a check-up is due, how often the person wants it, the in-app reminder and the scores
the treatment history reads."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from companion import features
from companion.content.questionnaires import get_questionnaire
from companion.core import settings
from companion.core.checkups import schedule
from companion.core.checkups.reminders import LINK, CheckupReminders
from companion.core.checkups.service import score_points
from companion.core.errors import ValidationError
from companion.core.reminders import ReminderRegistry

from .helpers import NOW, PLUS1, gad7, phq9, service


def _due(statuses: list[object], qid: str) -> schedule.Due:
    return next(s.due for s in statuses if s.questionnaire.id == qid)  # type: ignore[attr-defined]


def test_defaults_come_from_the_questionnaires() -> None:
    svc, _clock, _db = service()
    assert svc.intervals() == {"phq9": 14, "gad7": 14, "pcl5": 30, "ace": 0, "who5": 0}
    assert schedule.allowed(get_questionnaire("phq9")) == (0, 14, 30, 61, 91)
    assert schedule.allowed(get_questionnaire("pcl5")) == (0, 30, 61, 91)
    assert schedule.allowed(get_questionnaire("ace")) == (0,)


def test_nothing_is_due_before_it_was_taken_once() -> None:
    """The first time is the person's choice: nobody is nagged into a questionnaire."""
    svc, _clock, _db = service()
    statuses = svc.statuses()
    assert all(s.due.due_on is None and not s.due.is_due(NOW.date()) for s in statuses)
    assert svc.due_now() == []


def test_due_after_the_interval_on_the_persons_own_day() -> None:
    svc, clock, _db = service()
    svc.complete("phq9", phq9(12))  # Friday 4 December, 20:00 at UTC+1
    svc.complete("pcl5", {str(n): 1 for n in range(1, 21)})
    clock.days(13)
    due = _due(svc.statuses(), "phq9")
    assert (due.last_taken, due.due_on) == (date(2026, 12, 4), date(2026, 12, 18))
    assert svc.due_now() == []
    clock.now = datetime.combine(date(2026, 12, 18), time(0, 5), tzinfo=PLUS1)
    assert [s.questionnaire.id for s in svc.due_now()] == ["phq9"]
    clock.days(15)
    assert [s.questionnaire.id for s in svc.due_now()] == ["phq9"]
    clock.days(1)  # PCL-5: 30 days, on 3 January
    assert [s.questionnaire.id for s in svc.due_now()] == ["phq9", "pcl5"]
    svc.complete("phq9", phq9(9))
    assert [s.questionnaire.id for s in svc.due_now()] == ["pcl5"]


def test_the_ace_is_never_due() -> None:
    svc, clock, _db = service()
    svc.complete("ace", {"1": 1})
    clock.days(3000)
    status = next(s for s in svc.statuses() if s.questionnaire.id == "ace")
    assert status.asked_once and status.due.due_on is None and svc.due_now() == []


def test_the_person_chooses_how_often_or_none() -> None:
    svc, clock, _db = service()
    svc.complete("gad7", gad7(8))
    svc.set_interval("gad7", 30)
    clock.days(20)
    assert svc.due_now() == []
    clock.days(10)
    assert [s.questionnaire.id for s in svc.due_now()] == ["gad7"]
    svc.set_interval("gad7", 0)
    assert svc.due_now() == [] and _due(svc.statuses(), "gad7").due_on is None
    svc.set_interval("who5", 14)
    assert svc.intervals()["who5"] == 14 and svc.intervals()["gad7"] == 0


@pytest.mark.parametrize(
    ("qid", "days", "message"),
    [
        ("phq9", 7, "asks about the last 14 days"),
        ("pcl5", 14, "asks about the last 30 days"),
        ("phq9", 400, "at most once a year"),
        ("phq9", "14", "number of days"),
        ("ace", 30, "asked once"),
    ],
)
def test_intervals_shorter_than_the_questions_time_span_are_refused(
    qid: str, days: object, message: str
) -> None:
    svc, _clock, _db = service()
    with pytest.raises(ValidationError, match=message):
        svc.set_interval(qid, days)  # type: ignore[arg-type]
    assert svc.intervals()[qid] == schedule.default_interval(get_questionnaire(qid))


def test_a_damaged_stored_setting_falls_back_without_losing_the_rest() -> None:
    svc, _clock, db = service()
    with db.session() as session:
        settings.write(session, schedule.INTERVALS, {"gad7": 30})
    with db.session() as session:
        from companion.core.models import Setting

        row = session.get(Setting, schedule.INTERVALS.key)
        assert row is not None
        row.value = '{"gad7": 30, "qids": 7, "phq9": 30}'
    assert svc.intervals()["gad7"] == 30 and svc.intervals()["phq9"] == 30
    with db.session() as session:
        row = session.get(Setting, schedule.INTERVALS.key)
        assert row is not None
        row.value = '{"phq9": 3}'  # shorter than allowed: the defaults, never a nagging 3
    assert svc.intervals()["phq9"] == 14


def test_interval_labels() -> None:
    assert schedule.interval_label(0) == "No reminder"
    assert schedule.interval_label(14) == "Every 2 weeks"
    assert schedule.interval_label(30) == "Every month"
    assert schedule.interval_label(45) == "Every 45 days"


# --- the reminder -----------------------------------------------------------------------------


def test_the_reminder_is_one_generic_line_from_the_morning_of_the_due_day() -> None:
    svc, _clock, db = service()
    svc.complete("phq9", phq9(12))
    svc.complete("gad7", gad7(7))
    source = CheckupReminders(db)
    due_day = date(2026, 12, 18)
    assert source.due(datetime.combine(due_day, time(8, 59), tzinfo=PLUS1)) == []
    (reminder,) = source.due(datetime.combine(due_day, time(9, 0), tzinfo=PLUS1))
    assert reminder.text == "2 check-ups are due, whenever you have a few quiet minutes"
    assert "PHQ" not in reminder.text and "GAD" not in reminder.text  # nothing to overhear
    assert reminder.link == LINK and reminder.action_label is None
    later = source.due(datetime.combine(due_day + timedelta(days=3), time(18), tzinfo=PLUS1))
    assert [r.key for r in later] == [reminder.key]  # the same occurrence: a dismiss holds
    svc.set_reminders(False)
    assert source.due(datetime.combine(due_day, time(10), tzinfo=PLUS1)) == []


def test_every_feature_s_reminder_registry_includes_check_ups() -> None:
    _svc, _clock, db = service()
    registry = ReminderRegistry.for_diary(db, features.load())
    assert "checkups" in registry.source_names


# --- the treatment history's scores -----------------------------------------------------------


def test_score_points_are_the_phq9_and_gad7_totals_with_a_total() -> None:
    svc, clock, db = service()
    svc.complete("phq9", phq9(18))
    svc.complete("gad7", {"1": 3})  # not scored: not offered
    svc.complete("pcl5", {str(n): 2 for n in range(1, 21)})  # not a history score
    clock.days(28)
    svc.complete("gad7", gad7(10))
    points = sorted(score_points(db), key=lambda p: (p.instrument, p.day))
    assert [(p.instrument, p.day.isoformat(), p.score, p.higher_is_worse) for p in points] == [
        ("GAD-7", "2027-01-01", 10.0, True),
        ("PHQ-9", "2026-12-04", 18.0, True),
    ]
    assert any(s.name == "checkups" for s in features.load().score_sources())
