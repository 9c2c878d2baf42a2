"""Check-ups: validated questionnaires (PHQ-9, GAD-7, PCL-5, ACE, WHO-5), taken in the app,
scored from the raw answers every time, charted over time, and due on a schedule.

:mod:`.scoring` works a result out from answers; :mod:`.change` compares it with an earlier
one by each questionnaire's own rule; :mod:`.flags` holds the words for an answer that needs a
safety response; :mod:`.service` keeps answers, drafts and due dates in the diary;
:mod:`.trends` builds the scores over time; :mod:`.schedule` decides what is due;
:mod:`.reminders` and :mod:`.demo` are what the feature offers the app.
"""

from __future__ import annotations

from companion.core.extension_points import (
    DemoData,
    LinkKind,
    PageDecl,
    Registry,
    ReminderSourceDecl,
    ScoreSource,
)
from companion.i18n import N_


def register(points: Registry) -> None:
    from companion.core.checkups.demo import checkup_history
    from companion.core.checkups.reminders import CheckupReminders
    from companion.core.checkups.schedule import INTERVALS, REMINDERS
    from companion.core.checkups.service import score_points

    points.register_page(
        PageDecl(
            id="checkups", title=N_("Check-ups"), icon="mdi6.clipboard-check-outline", order=35
        )
    )
    # companion:checkup/phq9 starts (or continues) that questionnaire
    points.register_link_kind(LinkKind("checkup", "checkups"))
    # after the medication history it responds to (20) and the other generators
    points.register_demo_data(DemoData("checkups", checkup_history, order=60))
    points.register_reminder_source(ReminderSourceDecl("checkups", CheckupReminders))
    points.register_score_source(ScoreSource("checkups", score_points))
    for option in (INTERVALS, REMINDERS):
        points.register_setting(option)
    from companion.core.checkups import report

    points.register_export_section(report.CHECKUPS_SECTION)
    points.register_export_section(report.ACE_SECTION)
