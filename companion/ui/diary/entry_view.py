"""How one check-in reads in a list (Today's recent entries, the history)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from companion.core.mood import TRAUMA_SIGNS, Entry, TagInfo, TrackerInfo, anchor
from companion.ui import theme
from companion.ui.widgets.common import icon, label

NOTE_PREVIEW_CHARS = 280


def day_heading(day: date, today: date | None = None) -> str:
    today = today or date.today()
    if day == today:
        return f"Today · {day:%A %d %B}"
    if day == today - timedelta(days=1):
        return f"Yesterday · {day:%A %d %B}"
    if day.year == today.year:
        return f"{day:%A %d %B}"
    return f"{day:%A %d %B %Y}"


def details_text(
    entry: Entry, tags: Mapping[str, TagInfo], trackers: Mapping[str, TrackerInfo]
) -> list[str]:
    """The optional parts of a check-in as short phrases (only what was recorded)."""
    parts: list[str] = []
    for name, value in (
        ("Anxiety", entry.anxiety),
        ("Energy", entry.energy),
        ("Irritability", entry.irritability),
    ):
        if value is not None:
            parts.append(f"{name} {value}")
    if entry.elevated is not None:
        parts.append(f"Wired or up: {anchor('elevated', entry.elevated).lower()}")
    if entry.sleep_hours is not None:
        parts.append(f"Slept {entry.sleep_hours:g} h")
    if entry.sleep_quality is not None:
        parts.append(f"Sleep {anchor('sleep_quality', entry.sleep_quality).lower()}")
    if entry.exercise_minutes is not None:
        minutes = entry.exercise_minutes
        parts.append(f"Exercise {minutes} min" if minutes else "No exercise")
    if entry.outdoors_minutes is not None:
        minutes = entry.outdoors_minutes
        parts.append(f"Outdoors {minutes} min" if minutes else "Not outdoors")
    if entry.alcohol_units is not None:
        units = entry.alcohol_units
        drinks = "drink" if units == 1 else "drinks"
        parts.append(f"Alcohol {units:g} {drinks}" if units else "No alcohol")
    if entry.substances_used:
        parts.append("Other substances")
    for key, question in TRAUMA_SIGNS.items():
        if getattr(entry, key):
            parts.append(question)
    for tracker_id, tracked in entry.tracker_values.items():
        info = trackers.get(tracker_id)
        if info is not None:
            parts.append(f"{info.name}: {info.format_value(tracked)}")
    return parts


def tag_names(entry: Entry, tags: Mapping[str, TagInfo]) -> list[str]:
    found = [tags[t] for t in entry.tag_ids if t in tags]
    found.sort(key=lambda t: (t.kind.value, t.position, t.name.casefold()))
    return [t.name for t in found]


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
        self.setObjectName("EntryView")
        c = theme.current()
        self.setStyleSheet(
            f"QFrame#EntryView {{ border-top: 1px solid {c.border}; }}"
            f"QLabel#MoodBadge {{ background: {c.window}; border-radius: 14px;"
            f" min-width: 28px; max-width: 28px; min-height: 28px; max-height: 28px;"
            f" font-weight: 600; }}"
        )
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 8, 0, 8)
        row.setSpacing(12)
        local = entry.local_time
        when = f"{local:%a %d %b, %H:%M}" if show_day else f"{local:%H:%M}"
        time_label = QLabel(when)
        time_label.setObjectName("Muted")
        sample = "Wed 28 Sep, 23:59" if show_day else "23:59"
        time_label.setFixedWidth(time_label.fontMetrics().horizontalAdvance(sample) + 8)
        time_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        row.addWidget(time_label)
        badge = QLabel(str(entry.mood))
        badge.setObjectName("MoodBadge")
        badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)

        body = QVBoxLayout()
        body.setSpacing(2)
        headline = label(f"<b>Mood {entry.mood}</b> · {anchor('mood', entry.mood)}")
        body.addWidget(headline)
        extra = details_text(entry, tags, trackers)
        names = tag_names(entry, tags)
        if names:
            extra.append("Tags: " + ", ".join(names))
        if entry.backfilled:
            extra.append("written later")
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

        spoken = f"{when}: mood {entry.mood}, {anchor('mood', entry.mood)}"
        if extra:
            spoken += ". " + ", ".join(extra)
        self.setAccessibleName(spoken)

        if actions:
            self.edit_button = QPushButton(icon("mdi6.pencil-outline"), "")
            self.edit_button.setToolTip("Edit this check-in")
            self.edit_button.setAccessibleName(f"Edit the check-in at {when}")
            self.edit_button.clicked.connect(lambda: self.edit_requested.emit(self.entry))
            self.delete_button = QPushButton(icon("mdi6.delete-outline"), "")
            self.delete_button.setToolTip("Delete this check-in (you can undo)")
            self.delete_button.setAccessibleName(f"Delete the check-in at {when}")
            self.delete_button.clicked.connect(lambda: self.delete_requested.emit(self.entry))
            buttons = QHBoxLayout()
            buttons.setSpacing(4)
            buttons.addWidget(self.edit_button)
            buttons.addWidget(self.delete_button)
            row.addLayout(buttons)
            row.setAlignment(buttons, Qt.AlignmentFlag.AlignTop)
