"""A questionnaire's result: the total, its band in plain words, and the change since last time.

It is information to take to a clinician, never a diagnosis, and it always shows a way to help.
The result shown is whatever :func:`score_answers` worked out from the answers; the view never
computes anything itself.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from companion.content.questionnaires import Questionnaire
from companion.core.checkups.change import Earlier, compare, describe
from companion.core.checkups.flags import SELF_HARM
from companion.core.checkups.scoring import Score
from companion.i18n import _, format_date, ngettext
from companion.ui.checkups.parts import BandStrip, SafetyNote
from companion.ui.widgets.common import Card, Notice, label, link_button

__all__ = ["CheckupResult", "day_label"]


def day_label(day: dt.date, today: dt.date | None = None) -> str:
    """ "3 Nov", with the year only when it is not this year ("3 Nov 2025")."""
    today = today or dt.date.today()
    return format_date(day, "short" if day.year == today.year else "medium")


class CheckupResult(QWidget):
    """One result. ``previous`` is the last earlier result of the same questionnaire and
    ``baseline`` the one treatment started from (response and remission are judged from it;
    the previous result stands in when there is none)."""

    helpRequested = Signal()
    linkActivated = Signal(str)

    def __init__(
        self,
        questionnaire: Questionnaire,
        score: Score,
        day: dt.date,
        *,
        previous: Earlier | None = None,
        baseline: Earlier | None = None,
        today: dt.date | None = None,
        edited: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        q = questionnaire
        self.q = q
        self.score = score
        self.setAccessibleName(_("{name} result").format(name=q.name))
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addStretch(1)
        card = Card(_("Your {name} result").format(name=q.name))
        card.setMaximumWidth(780)
        outer.addWidget(card, 8)
        outer.addStretch(1)
        body = card.body

        when = label(
            _("{title} · {day}").format(title=q.title, day=day_label(day, today)), name="Muted"
        )
        body.addWidget(when)
        self.edited: QLabel | None = None
        if edited is not None:
            self.edited = label(
                _(
                    "You changed your answers on {day}; this result is worked out from them as "
                    "they are now."
                ).format(day=day_label(edited, today)),
                name="Muted",
            )
            body.addWidget(self.edited)

        flag = score.flag(SELF_HARM)
        self.safety = SafetyNote()
        self.safety.helpRequested.connect(self.helpRequested)
        if flag is not None:
            self.safety.show_for(flag.value)
        body.addWidget(self.safety)

        self.figure = self._figure()
        body.addLayout(self.figure)
        self.strip: BandStrip | None = None
        if q.bands and score.total is not None:
            self.strip = BandStrip(q.bands, q.scoring.multiplier)
            self.strip.set_total(score.total)
            body.addWidget(self.strip)

        meaning = ""
        if score.band is not None:
            meaning = score.band.meaning
        elif q.interpretation and score.total is not None:
            meaning = q.interpretation
        self.meaning = label(meaning)
        self.meaning.setAccessibleName(_("What it means"))
        self.meaning.setVisible(bool(meaning))
        body.addWidget(self.meaning)

        self.note: Notice | None = None
        if score.note:
            self.note = Notice(score.note)
            self.note.setAccessibleName(_("About this result"))
            body.addWidget(self.note)

        self.change_lines: list[str] = []
        if q.change is not None:
            body.addWidget(label(_("Since last time"), name="CardTitle"))
            self.change_lines = self._change_lines(previous, baseline, today)
            self.change = label(" ".join(self.change_lines))
            self.change.setAccessibleName(_("Change since last time"))
            body.addWidget(self.change)

        if q.result_note:
            body.addWidget(label(q.result_note))
        body.addWidget(
            label(
                _(
                    "This is not a diagnosis. It is information to take to your clinician, who "
                    "can go through it with you."
                )
            )
        )

        links = QHBoxLayout()
        self.help = link_button(_("Helplines and your safety plan"))
        self.help.setAccessibleName(_("Get help now: helplines and your safety plan"))
        self.help.clicked.connect(self.helpRequested)
        links.addWidget(self.help)
        if q.related_article:
            read = link_button(_("Read: how childhood experiences can affect depression"))
            read.setAccessibleName(_("Read the article on childhood trauma and depression"))
            read.clicked.connect(
                lambda: self.linkActivated.emit(f"companion:article/{q.related_article}")
            )
            links.addWidget(read)
        links.addStretch(1)
        body.addLayout(links)

        notice = label(q.notice, name="Muted")
        notice.setAccessibleName(_("Notice: {notice}").format(notice=q.notice))
        font = notice.font()
        font.setPointSizeF(font.pointSizeF() * 0.85)
        notice.setFont(font)
        body.addWidget(notice)

    def _figure(self) -> QVBoxLayout:
        q, score = self.q, self.score
        column = QVBoxLayout()
        column.setSpacing(2)
        row = QHBoxLayout()
        row.setSpacing(10)
        percent = q.scoring.multiplier != 1
        if score.shown is None:
            big, small = _("No total"), _("this time")
        elif percent:
            big = f"{score.shown}%"
            small = _("wellbeing ({total} out of {maximum})").format(
                total=score.total, maximum=q.max_total
            )
        elif q.bands:
            big = str(score.shown)
            small = _("out of {maximum}").format(maximum=score.maximum)
        else:
            big = str(score.shown)
            small = ngettext(
                "of {count} kind of experience answered Yes",
                "of {count} kinds of experience answered Yes",
                score.maximum,
            ).format(count=score.maximum)
        self.big = QLabel(big)
        font = self.big.font()
        font.setPointSizeF(font.pointSizeF() * 2.6)
        font.setWeight(font.Weight.DemiBold)
        self.big.setFont(font)
        self.small = label(small, name="Muted", wrap=False)
        row.addWidget(self.big, 0, Qt.AlignmentFlag.AlignBottom)
        row.addWidget(self.small, 0, Qt.AlignmentFlag.AlignBottom)
        row.addStretch(1)
        column.addLayout(row)
        self.band = label(score.band.label if score.band is not None else "", name="CardTitle")
        self.band.setVisible(score.band is not None)
        column.addWidget(self.band)
        summary = _("{big} {small}").format(big=big, small=small)
        if score.band is not None:
            summary = _("{big} {small}. {band}").format(big=big, small=small, band=score.band.label)
        self.big.setAccessibleName(summary)
        return column

    def _change_lines(
        self, previous: Earlier | None, baseline: Earlier | None, today: dt.date | None
    ) -> list[str]:
        q = self.q
        if previous is None:
            return [
                _(
                    "This is your first {name} here, so there is nothing to compare with yet."
                ).format(name=q.name)
            ]
        change = compare(q, self.score, previous.score, baseline.score if baseline else None)
        if change is None:
            if self.score.shown is None:
                return [_("There is no total to compare this time.")]
            return [
                _("Your {name} on {day} had no total, so there is nothing to compare with.").format(
                    name=q.name, day=day_label(previous.day, today)
                )
            ]
        since = day_label(previous.day, today)
        counted = baseline is not None and baseline.score.shown is not None
        start = day_label(baseline.day, today) if counted and baseline else since
        return describe(q, change, since, start)
