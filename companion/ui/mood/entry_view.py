"""How one check-in reads in a list (Today's recent entries, the history)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from companion.core.mood.service import Entry, TagInfo, TrackerInfo
from companion.core.mood.vocabulary import TRAUMA_SIGNS, anchor, trauma_question
from companion.i18n import _, format_date, format_datetime, format_time, ngettext
from companion.ui.widgets.common import icon, label

NOTE_PREVIEW_CHARS = 280


def day_heading(day: date, today: date | None = None) -> str:
    today = today or date.today()
    if day == today:
        return _("Today · {day}").format(day=format_date(day, "day"))
    if day == today - timedelta(days=1):
        return _("Yesterday · {day}").format(day=format_date(day, "day"))
    if day.year == today.year:
        return format_date(day, "day")
    return format_date(day, "full")


def details_text(
    entry: Entry, tags: Mapping[str, TagInfo], trackers: Mapping[str, TrackerInfo]
) -> list[str]:
    """The optional parts of a check-in as short phrases (only what was recorded)."""
    parts: list[str] = []
    if entry.anxiety is not None:
        parts.append(_("Anxiety {value}").format(value=entry.anxiety))
    if entry.energy is not None:
        parts.append(_("Energy {value}").format(value=entry.energy))
    if entry.irritability is not None:
        parts.append(_("Irritability {value}").format(value=entry.irritability))
    if entry.elevated is not None:
        words = anchor("elevated", entry.elevated).lower()
        parts.append(_("Wired or up: {words}").format(words=words))
    if entry.sleep_hours is not None:
        parts.append(_("Slept {hours} h").format(hours=f"{entry.sleep_hours:g}"))
    if entry.sleep_quality is not None:
        words = anchor("sleep_quality", entry.sleep_quality).lower()
        parts.append(_("Sleep {quality}").format(quality=words))
    if entry.exercise_minutes is not None:
        minutes = entry.exercise_minutes
        parts.append(
            _("Exercise {minutes} min").format(minutes=minutes) if minutes else _("No exercise")
        )
    if entry.outdoors_minutes is not None:
        minutes = entry.outdoors_minutes
        parts.append(
            _("Outdoors {minutes} min").format(minutes=minutes) if minutes else _("Not outdoors")
        )
    if entry.alcohol_units is not None:
        units = entry.alcohol_units
        if units:
            # a whole number of drinks takes its plural form; a fraction reads as many
            n = int(units) if float(units).is_integer() else 2
            drinks = ngettext("Alcohol {units} drink", "Alcohol {units} drinks", n)
            parts.append(drinks.format(units=f"{units:g}"))
        else:
            parts.append(_("No alcohol"))
    if entry.substances_used:
        parts.append(_("Other substances"))
    for key in TRAUMA_SIGNS:
        if getattr(entry, key):
            parts.append(trauma_question(key))
    for tracker_id, tracked in entry.tracker_values.items():
        info = trackers.get(tracker_id)
        if info is not None:
            value = info.format_value(tracked)
            parts.append(_("{name}: {value}").format(name=info.name, value=value))
    return parts


def tag_names(entry: Entry, tags: Mapping[str, TagInfo]) -> list[str]:
    found = [tags[t] for t in entry.tag_ids if t in tags]
    found.sort(key=lambda t: (t.kind.value, t.position, t.name.casefold()))
    return [t.name for t in found]


def summary_parts(
    entry: Entry, tags: Mapping[str, TagInfo], trackers: Mapping[str, TrackerInfo]
) -> list[str]:
    """What one check-in shows after its mood, in order (joined with " · " wherever it is
    shown: the Today card, the Diary's list): recorded values, tags, "written later"."""
    parts = details_text(entry, tags, trackers)
    names = tag_names(entry, tags)
    if names:
        parts.append(_("Tags: {names}").format(names=", ".join(names)))
    if entry.backfilled:
        parts.append(_("written later"))
    return parts


class EntryView(QFrame):
    """One check-in: time, mood with its name, what else was recorded, tags and note."""

    edit_requested = Signal(object)
    delete_requested = Signal(object)

    def __init__(
        self,
        entry: Entry,
        tags: Mapping[str, TagInfo],
        trackers: Mapping[str, TrackerInfo],
        *,
        actions: bool = True,
        show_day: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.entry = entry
        # (its rule line and the mood's badge are styled by the application's style sheet:
        # a sheet of its own was parsed and applied for each row, 0.5-2 ms of each one made)
        self.setObjectName("EntryView")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 8, 0, 8)
        row.setSpacing(12)
        local = entry.local_time
        when = format_datetime(local) if show_day else format_time(local)
        time_label = QLabel(when)
        time_label.setObjectName("Muted")
        widest = datetime(2022, 9, 28, 23, 59)  # a Wednesday in September: long names
        sample = format_datetime(widest) if show_day else format_time(widest)
        time_label.setFixedWidth(time_label.fontMetrics().horizontalAdvance(sample) + 8)
        time_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        row.addWidget(time_label)
        badge = QLabel(str(entry.mood))
        badge.setObjectName("MoodBadge")
        badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)

        body = QVBoxLayout()
        body.setSpacing(2)
        mood_words = anchor("mood", entry.mood)
        headline = label(
            _("<b>Mood {value}</b> · {words}").format(value=entry.mood, words=mood_words)
        )
        body.addWidget(headline)
        extra = summary_parts(entry, tags, trackers)
        if extra:
            body.addWidget(label(" · ".join(extra), name="Muted"))
        if entry.note:
            note = entry.note.strip()
            if len(note) > NOTE_PREVIEW_CHARS:
                note = note[:NOTE_PREVIEW_CHARS].rstrip() + "…"
            note_label = label("")
            note_label.setTextFormat(Qt.TextFormat.PlainText)
            note_label.setText(note)
            body.addWidget(note_label)
        row.addLayout(body, 1)

        spoken = _("{when}: mood {value}, {words}").format(
            when=when, value=entry.mood, words=mood_words
        )
        if extra:
            spoken = _("{summary}. {details}").format(summary=spoken, details=", ".join(extra))
        self.setAccessibleName(spoken)

        if actions:
            self.edit_button = QPushButton(icon("mdi6.pencil-outline"), "")
            self.edit_button.setToolTip(_("Edit this check-in"))
            self.edit_button.setAccessibleName(_("Edit the check-in at {when}").format(when=when))
            self.edit_button.clicked.connect(lambda: self.edit_requested.emit(self.entry))
            self.delete_button = QPushButton(icon("mdi6.delete-outline"), "")
            self.delete_button.setToolTip(_("Delete this check-in (you can undo)"))
            self.delete_button.setAccessibleName(
                _("Delete the check-in at {when}").format(when=when)
            )
            self.delete_button.clicked.connect(lambda: self.delete_requested.emit(self.entry))
            buttons = QHBoxLayout()
            buttons.setSpacing(4)
            buttons.addWidget(self.edit_button)
            buttons.addWidget(self.delete_button)
            row.addLayout(buttons)
            row.setAlignment(buttons, Qt.AlignmentFlag.AlignTop)
