"""'Get help now': the person's own safety plan first (when the diary is unlocked), then the
emergency number and helplines for their country, and where to look elsewhere.

Works locked or unlocked: the helplines are bundled and never fetched, and the window needs no
vault. When it is opened from an unlocked diary it shows a snapshot of the most useful parts of
the plan (people and services with numbers, things to do on one's own, what matters most); when
that diary locks, the snapshot is dropped and the helplines stay on screen. The window is a
top-level window of its own for that reason: closing or locking the main window must not take
the helplines away from someone who is reading them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QLocale, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.content import ContentError
from companion.content.helplines import (
    ISO_3166_CODES,
    NOT_LISTED,
    Country,
    HelpLine,
    Helplines,
    country_from_locale,
    for_country,
    load_helplines,
)
from companion.i18n import N_, _, format_date, pgettext
from companion.ui.timers import after
from companion.ui.widgets.common import (
    Card,
    bullet,
    icon,
    label,
    link_button,
    scroll_area,
    tab_order_as_laid_out,
    title,
)
from companion.ui.widgets.flow import FlowLayout

if TYPE_CHECKING:
    from companion.core.safety.service import Plan, PlanItem

OPENING = N_(
    "You do not have to go through this alone. Talking to someone can help, right now, "
    "whatever is going on."
)
LOCKED_PLAN_NOTE = N_("Your own safety plan is shown here too while your diary is unlocked.")
NO_PLAN_NOTE = N_(
    "You have not written a safety plan yet. When you feel up to it, one can be ready here "
    "for the next hard moment."
)
#: how many of each kind of plan item the help window shows before "see the whole plan"
SHOWN_PER_PART = 6


def honest_checked_sentence(helplines: Helplines) -> str:
    """When the numbers were last checked (the oldest check), and what to do if one fails."""
    return _(
        "Numbers last checked on {date}. If one does not connect, call your local emergency "
        "number. Companion cannot place calls: use your phone."
    ).format(date=format_date(helplines.last_checked, "long"))


class CopyButton(QPushButton):
    """Copies one value; says "Copied" for a moment so the person knows it worked."""

    def __init__(self, value: str, what: str) -> None:
        super().__init__(icon("mdi6.content-copy"), _("Copy"))
        self.value = value
        self.setAccessibleName(_("Copy {what}").format(what=what))
        self.setToolTip(_("Copy {value}").format(value=value))
        self.clicked.connect(self.copy)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.value)
        self.setText(_("Copied"))
        after(self, 2000, self._reset)

    def _reset(self) -> None:
        if shiboken6.isValid(self):
            self.setText(_("Copy"))


def _copy_button(value: str, what: str) -> QPushButton:
    return CopyButton(value, what)


def _call_text(numbers: tuple[str, ...]) -> str:
    """ "Call 112", "Call 911 or 112"."""
    either = pgettext("between phone numbers", " or ")
    return _("Call {numbers}").format(numbers=either.join(numbers))


def _big(text: str) -> QLabel:
    widget = label(text)
    font = widget.font()
    font.setPointSizeF(font.pointSizeF() * 1.45)
    font.setBold(True)
    widget.setFont(font)
    return widget


def _heading(text: str) -> QLabel:
    widget = label(text)
    font = widget.font()
    font.setBold(True)
    widget.setFont(font)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return widget


class HelpPanel(QWidget):
    """Plan snapshot, emergency number, helplines for one country, and help elsewhere."""

    def __init__(
        self,
        country_code: str = "",
        parent: QWidget | None = None,
        *,
        plan: Plan | None = None,
        unlocked: bool = False,
        on_open_plan: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(_("Get help now"))
        self.on_open_plan = on_open_plan
        outer = QHBoxLayout(self)
        outer.setContentsMargins(28, 24, 28, 24)
        column = QWidget()
        column.setMaximumWidth(760)
        outer.addStretch(1)
        outer.addWidget(column, 100)
        outer.addStretch(1)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        layout.addWidget(title(_("Get help now")))
        layout.addWidget(label(_(OPENING)))

        self.helplines: Helplines | None
        try:
            self.helplines = load_helplines()
        except ContentError:
            self.helplines = None

        if self.helplines is not None:
            row = QHBoxLayout()
            caption = label(_("Numbers for"), wrap=False)
            row.addWidget(caption)
            self.country_box = QComboBox()
            self.country_box.setAccessibleName(
                _("Numbers for: the country of the emergency numbers and helplines")
            )
            self.country_box.setMinimumWidth(200)
            for country in sorted(self.helplines.countries, key=lambda c: c.name):
                self.country_box.addItem(country.name, country.code)
            self.country_box.addItem(_("Another country"), "")
            caption.setBuddy(self.country_box)
            row.addWidget(self.country_box)
            row.addStretch(1)
            layout.addLayout(row)

        self.emergency = QVBoxLayout()
        layout.addLayout(self.emergency)
        self.plan_area = QVBoxLayout()
        self.plan_area.setSpacing(12)
        layout.addLayout(self.plan_area)
        self.set_plan(plan, unlocked=unlocked)

        if self.helplines is None:
            layout.addWidget(
                label(
                    _(
                        "The list of helplines could not be read. If you are in danger, call "
                        "your local emergency number now."
                    )
                )
            )
            layout.addStretch(1)
            return

        layout.addWidget(_heading(_("Helplines")))
        self.cards = QVBoxLayout()
        self.cards.setSpacing(12)
        layout.addLayout(self.cards)
        layout.addWidget(self._elsewhere_card(self.helplines))
        layout.addWidget(label(self.helplines.what_to_expect, name="Muted"))
        self.checked_label = label(honest_checked_sentence(self.helplines), name="Muted")
        layout.addWidget(self.checked_label)
        layout.addStretch(1)

        code = (country_code or country_from_locale(QLocale.system().name()) or "").upper()
        code = for_country(code, self.helplines).code or code
        if code in ISO_3166_CODES and self.country_box.findData(code) < 0:
            # a country we have no helplines for, by name, so the person sees it was understood
            from companion.ui.country import country_name

            self.country_box.insertItem(self.country_box.count() - 1, country_name(code), code)
        index = self.country_box.findData(code)
        self.country_box.setCurrentIndex(index if index >= 0 else self.country_box.count() - 1)
        self.country_box.currentIndexChanged.connect(self._show_current)
        self._show_current()

    @property
    def country_code(self) -> str:
        """The chosen country ("" for "Another country")."""
        if self.helplines is None:
            return ""
        return str(self.country_box.currentData() or "")

    @property
    def country(self) -> Country | None:
        if self.helplines is None:
            return None
        return self.helplines.get(self.country_code or None)

    # -- the person's own plan ------------------------------------------------------------

    def set_plan(self, plan: Plan | None, *, unlocked: bool) -> None:
        """Show (or, with None, drop) the plan snapshot; safe to call any number of times."""
        _clear(self.plan_area)
        self.plan = plan
        if plan is not None and not plan.is_empty:
            self.plan_area.addWidget(self._plan_card(plan))
        elif unlocked:
            self.plan_area.addWidget(self._no_plan_card())
        else:
            self.plan_area.addWidget(label(_(LOCKED_PLAN_NOTE), name="Muted"))

    def forget_plan(self) -> None:
        """The diary locked: nothing from it may stay on screen."""
        if shiboken6.isValid(self):
            self.on_open_plan = None
            self.set_plan(None, unlocked=False)

    def _open_plan(self) -> None:
        if self.on_open_plan is not None:
            self.on_open_plan()

    def _plan_card(self, plan: Plan) -> Card:
        card = Card(_("From your safety plan"))
        contacts = [
            (_("People I can ask for help"), plan.for_step("people")),
            (_("Professionals and services"), plan.for_step("professionals")),
        ]
        first = True
        for heading, items in contacts:
            if items:
                if not first:
                    card.body.addSpacing(6)
                first = False
                card.body.addWidget(_heading(heading))
                card.body.addLayout(_contact_grid(items[:SHOWN_PER_PART]))
        lists = [
            (_("Things I can do on my own"), plan.for_step("coping_alone")),
            (_("What matters most to me"), plan.for_step("reasons")),
        ]
        for heading, items in lists:
            if items:
                if not first:
                    card.body.addSpacing(6)
                first = False
                card.body.addWidget(_heading(heading))
                for item in items[:SHOWN_PER_PART]:
                    card.body.addWidget(bullet(item.text))
        if self.on_open_plan is not None:
            button = link_button(_("See my whole safety plan"))
            button.clicked.connect(self._open_plan)
            card.body.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            self.open_plan_button = button
        return card

    def _no_plan_card(self) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(label(_(NO_PLAN_NOTE), name="Muted"), 1)
        if self.on_open_plan is not None:
            button = link_button(_("Write my safety plan"))
            button.clicked.connect(self._open_plan)
            row.addWidget(button)
            self.open_plan_button = button
        return box

    # -- helplines ------------------------------------------------------------------------

    def _show_current(self) -> None:
        country = self.country
        if country is None:
            return
        _clear(self.emergency)
        self.emergency.addWidget(self._emergency_card(country))
        _clear(self.cards)
        if country.code:
            for line in country.lines:
                self.cards.addWidget(self._line_card(line))
        else:
            if self.country_code:
                words = _(
                    "Companion has no helplines for {country} yet. The directory below lists "
                    "free, confidential helplines in many countries; it needs internet. If your "
                    "country is in the list above, choose it to see its helplines."
                ).format(country=self.country_box.currentText())
            else:
                words = _(
                    "Companion has no helplines for this country yet. The directory below lists "
                    "free, confidential helplines in many countries; it needs internet. If your "
                    "country is in the list above, choose it to see its helplines."
                )
            self.cards.addWidget(label(words, name="Muted"))
        tab_order_as_laid_out(self)

    def _emergency_card(self, country: Country) -> Card:
        card = Card(_("If you are in danger right now"))
        card.setAccessibleName(_("Emergency number"))
        row = QHBoxLayout()
        if country.code:
            row.addWidget(_big(_call_text(country.emergency_numbers)), 1)
            row.addWidget(_copy_button(country.emergency, _("emergency number")))
            card.body.addLayout(row)
            if country.emergency_notes:
                card.body.addWidget(label(country.emergency_notes, name="Muted"))
            return card
        # a country we have no list for: the numbers first, the directory (online) after
        card.body.addWidget(_big(_("Call your local emergency number")))
        row.addWidget(_big(country.emergency))
        row.addWidget(label(country.emergency_notes, name="Muted"), 1)
        row.addWidget(_copy_button(country.emergency, _("emergency number")))
        card.body.addLayout(row)
        return card

    def _line_card(self, line: HelpLine) -> Card:
        card = Card(line.name)
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(14)
        # (what, its name in "Copy <line> <name>", shown, copied, large type)
        entries: list[tuple[str, str, str, str, bool]] = []
        for number in line.phones:
            entries.append((_("Call"), _("phone number"), number, number, True))
        if line.text:
            shown = (
                _("{keyword} to {number}").format(keyword=line.text_keyword, number=line.text)
                if line.text_keyword
                else line.text
            )
            entries.append((_("Text"), _("text number"), shown, line.text, True))
        if line.email:
            entries.append((_("Email"), _("email address"), line.email, line.email, False))
        if line.url:
            entries.append(
                (_("Online, needs internet"), _("web address"), line.url, line.url, False)
            )
        for row, (what, noun, shown, value, big) in enumerate(entries):
            grid.addWidget(label(what, name="Muted", wrap=False), row, 0)
            grid.addWidget(_big(shown) if big else label(shown), row, 1)
            what_copied = _("{helpline} {what}").format(helpline=line.name, what=noun)
            grid.addWidget(_copy_button(value, what_copied), row, 2)
        card.body.addLayout(grid)
        opening = _("Open {hours}.").format(hours=line.hours) if line.hours else ""
        details = " ".join(part for part in (opening, line.notes) if part)
        if details:
            card.body.addWidget(label(details, name="Muted"))
        return card

    def _elsewhere_card(self, helplines: Helplines) -> Card:
        line = helplines.elsewhere.lines[0]
        card = Card(_("Help somewhere else"))
        card.setAccessibleName(_("Find help elsewhere"))
        card.body.addWidget(
            label(_("{helpline}: {notes}").format(helpline=line.name, notes=line.notes))
        )
        buttons = QWidget()
        # the address and its buttons on one line, wrapping when larger text needs the room
        row = FlowLayout(buttons, spacing=8, one_line_hint=True)
        address = label(
            _("Needs internet: {address}").format(address=line.url.removeprefix("https://")),
            wrap=False,
        )
        row.addWidget(address)
        web = _("{helpline} {what}").format(helpline=line.name, what=_("web address"))
        row.addWidget(_copy_button(line.url, web))
        self.browser_button = QPushButton(icon("mdi6.open-in-new"), _("Open in browser"))
        self.browser_button.setAccessibleName(
            _("Open in browser: {helpline}").format(helpline=line.name)
        )
        self.browser_button.setToolTip(_("Leaves Companion and opens your web browser"))
        self.browser_button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl(line.url)))
        row.addWidget(self.browser_button)
        card.body.addWidget(buttons)
        card.body.addWidget(
            label(
                _(
                    "“Open in browser” leaves Companion and uses the internet. Companion itself "
                    "never connects to it."
                ),
                name="Muted",
            )
        )
        return card


def _contact_grid(items: list[PlanItem]) -> QGridLayout:
    grid = QGridLayout()
    grid.setColumnStretch(0, 1)
    grid.setHorizontalSpacing(14)
    for row, item in enumerate(items):
        grid.addWidget(label(item.text), row, 0)
        if item.phone:
            grid.addWidget(_big(item.phone), row, 1)
            what = _("number for {name}").format(name=item.text[:40])
            grid.addWidget(_copy_button(item.phone, what), row, 2)
    return grid


def _clear(layout: QVBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.hide()
            widget.deleteLater()


class HelpDialog(QDialog):
    def __init__(
        self,
        country_code: str = "",
        parent: QWidget | None = None,
        *,
        plan: Plan | None = None,
        unlocked: bool = False,
        on_open_plan: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Companion — get help now"))
        self.setMinimumSize(600, 640)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.panel = HelpPanel(
            country_code, plan=plan, unlocked=unlocked, on_open_plan=on_open_plan
        )
        scroller = scroll_area()
        scroller.setWidgetResizable(True)
        scroller.setAccessibleName(_("Help and crisis lines"))
        scroller.setWidget(self.panel)
        layout.addWidget(scroller, 1)
        close = QPushButton(_("Close"))
        close.setAccessibleName(_("Close help"))
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(12, 6, 12, 12)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        self.close_button = close
        self.scroller = scroller
        self._fitted = False
        close.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        """Wide enough for the help to read without sideways scrolling (large text on a
        small screen), and no taller than the screen, as far as the screen allows."""
        if not self._fitted:
            self._fitted = True
            screen = self.screen()
            if screen is not None:
                room = screen.availableGeometry()
                bar = self.scroller.verticalScrollBar().sizeHint().width()
                wanted = self.panel.minimumSizeHint().width() + bar + 2
                # never taller than the screen (a 640 px one keeps room for the title bar)
                high = min(self.minimumHeight(), room.height() * 9 // 10)
                self.setMinimumHeight(high)
                width = min(max(self.width(), wanted), room.width() * 9 // 10)
                self.resize(width, min(self.height(), max(high, room.height() * 9 // 10)))
        super().showEvent(event)

    def forget_plan(self, *_args: object) -> None:
        """Connected to the main window's lock."""
        if shiboken6.isValid(self):
            self.panel.forget_plan()

    def window_gone(self) -> None:
        """Connected to the main window's destruction (no parameter: see
        ``app_input.AppInput._forget_when_gone``)."""
        self.forget_plan()


_OPEN: list[HelpDialog] = []


def _open_dialogs() -> list[HelpDialog]:
    _OPEN[:] = [d for d in _OPEN if shiboken6.isValid(d) and d.isVisible()]
    return _OPEN


def _diary_window(parent: QWidget | None) -> QWidget | None:
    """The nearest widget (the parent or one of its ancestors) that holds an unlocked diary."""
    widget = parent
    while widget is not None:
        if getattr(getattr(widget, "diary", None), "db", None) is not None:
            return widget
        widget = widget.parentWidget()
    return None


def _plan_source(parent: QWidget | None) -> tuple[Plan | None, bool, Callable[[], None] | None]:
    """The plan snapshot, whether a diary is unlocked, and how to open the plan page."""
    owner = _diary_window(parent)
    if owner is None:
        return None, False, None
    diary: Any = owner.diary  # type: ignore[attr-defined]
    try:
        from companion.core.safety.service import SafetyService

        plan: Plan | None = diary.service(SafetyService).plan()
    except Exception:  # a closed or damaged diary must never keep help away
        return None, False, None
    context = getattr(owner, "context", None)
    signals = getattr(context, "signals", None)
    opener: Callable[[], None] | None = None
    window = owner.window()
    if signals is not None and hasattr(window, "open_link"):

        def opener() -> None:
            signals.open_link.emit("companion:tool/safety")
            with contextlib.suppress(RuntimeError):
                window.raise_()
                window.activateWindow()

    return plan, True, opener


def _watch_lock(dialog: HelpDialog, parent: QWidget | None) -> None:
    owner = _diary_window(parent)
    if owner is None:
        return
    window = owner.window()
    for candidate in (owner, window):
        locked = getattr(candidate, "locked", None)
        if locked is not None and hasattr(locked, "connect"):
            locked.connect(dialog.forget_plan)
    window.destroyed.connect(dialog.window_gone)


def _show_above_any_modal(dialog: HelpDialog) -> None:
    """Show the help window where it can be used, even while a modal dialog is open.

    A modal dialog (a check-in being written, a medicine being added) blocks the other windows;
    the help window then becomes modal itself, so it sits above the dialog and takes input. When
    that dialog closes, help goes back to being an ordinary window.
    """
    blocker = QApplication.activeModalWidget()
    if (
        blocker is not None
        and blocker is not dialog
        and dialog.windowModality() != Qt.WindowModality.ApplicationModal
    ):
        if dialog.isVisible():
            dialog.hide()
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        if isinstance(blocker, QDialog):
            blocker.finished.connect(lambda _r: _release_modality(dialog))
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()


def _release_modality(dialog: HelpDialog) -> None:
    if not shiboken6.isValid(dialog) or dialog.windowModality() == Qt.WindowModality.NonModal:
        return
    if QApplication.activeModalWidget() not in (None, dialog):
        return  # another modal dialog is still open underneath
    visible = dialog.isVisible()
    dialog.hide()
    dialog.setWindowModality(Qt.WindowModality.NonModal)
    if visible:
        dialog.show()


def open_help(
    parent: QWidget | None,
    country_code: str = "",
    on_country: Callable[[str], None] | None = None,
) -> HelpDialog:
    """Show the help window (one at a time), without blocking the rest of the app.

    ``on_country`` is told when the person picks another country, so it can be remembered.
    When ``parent`` belongs to an unlocked diary, the person's own plan is shown first. Opened
    from inside a modal dialog, the window comes up above it (see _show_above_any_modal).
    """
    plan, unlocked, opener = _plan_source(parent)
    for dialog in _open_dialogs():
        dialog.panel.on_open_plan = opener
        dialog.panel.set_plan(plan, unlocked=unlocked)
        if unlocked:
            _watch_lock(dialog, parent)
        _show_above_any_modal(dialog)
        return dialog
    dialog = HelpDialog(country_code, plan=plan, unlocked=unlocked, on_open_plan=opener)
    if on_country is not None and dialog.panel.helplines is not None:
        dialog.panel.country_box.currentIndexChanged.connect(
            lambda _i: on_country(dialog.panel.country_code or NOT_LISTED)
        )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if unlocked:
        _watch_lock(dialog, parent)
    if parent is not None:
        centre = parent.window().frameGeometry().center()
        dialog.adjustSize()
        dialog.move(centre - dialog.rect().center())
    _OPEN.append(dialog)
    _show_above_any_modal(dialog)
    return dialog
