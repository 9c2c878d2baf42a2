"""Every dialog (through ``HelpfulDialog``) fits its screen with large text: as tall as its
wrapped lines need, or, when that is taller than the screen, its contents in a scroll area;
nothing squeezed over anything else."""

from __future__ import annotations

import itertools

from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QScrollArea, QVBoxLayout
from pytestqt.qtbot import QtBot

from companion.ui.help_access import HelpfulDialog

WORDS = "A sentence long enough to wrap onto a few lines in a dialog of ordinary width. " * 3


def _dialog(paragraphs: int) -> tuple[HelpfulDialog, list[QLabel], QLineEdit]:
    dialog = HelpfulDialog()
    dialog.setWindowTitle("A test dialog")
    layout = QVBoxLayout(dialog)
    labels = []
    for _n in range(paragraphs):
        label = QLabel(WORDS)
        label.setWordWrap(True)
        layout.addWidget(label)
        labels.append(label)
    field = QLineEdit()
    field.setAccessibleName("A field")
    layout.addWidget(field)
    layout.addWidget(QPushButton("Save"))
    return dialog, labels, field


def _no_overlap(labels: list[QLabel]) -> bool:
    return all(
        label.height() >= label.heightForWidth(label.width()) - 2
        and (after.geometry().top() >= label.geometry().bottom())
        for label, after in itertools.pairwise(labels)
    )


def test_a_dialog_that_fits_is_as_tall_as_its_wrapped_lines(qtbot: QtBot) -> None:
    dialog, labels, _field = _dialog(3)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    QApplication.processEvents()
    assert dialog.findChild(QScrollArea, "DialogScroller") is None
    assert dialog.height() >= dialog.layout().totalHeightForWidth(dialog.width()) - 2
    assert _no_overlap(labels)


def test_a_dialog_taller_than_its_screen_scrolls_and_keeps_everything(qtbot: QtBot) -> None:
    dialog, labels, field = _dialog(40)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    QApplication.processEvents()
    screen = dialog.screen().availableGeometry()
    scroller = dialog.findChild(QScrollArea, "DialogScroller")
    assert scroller is not None and scroller.accessibleName() == "A test dialog"
    assert dialog.height() <= screen.height()
    assert scroller.verticalScrollBar().maximum() > 0
    assert scroller.widget().isAncestorOf(field) and scroller.widget().isAncestorOf(labels[0])
    assert dialog.help_button.isVisible() and scroller.widget().isAncestorOf(dialog.help_button)
    qtbot.waitUntil(lambda: _no_overlap(labels))
    field.setFocus()
    scroller.ensureWidgetVisible(field)
    QApplication.processEvents()
    assert scroller.verticalScrollBar().value() > 0  # the field at the bottom can be reached
    dialog.reject()


def test_get_help_now_reads_without_sideways_scrolling_at_200_percent(
    qtbot: QtBot, qapp: QApplication
) -> None:
    """The crisis window, with the largest text: as wide as its words need (as far as the
    screen allows), never taller than the screen, Close on screen."""
    from companion.core.device_settings import DeviceSettings
    from companion.ui import theme
    from companion.ui.help import HelpDialog

    theme.apply(qapp, DeviceSettings(theme="light", text_scale=2.0))
    try:
        dialog = HelpDialog("GB")
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        QApplication.processEvents()
        screen = dialog.screen().availableGeometry()
        assert dialog.height() <= screen.height() and dialog.width() <= screen.width()
        qtbot.waitUntil(lambda: dialog.scroller.horizontalScrollBar().maximum() == 0)
        close = dialog.close_button
        assert close.mapTo(dialog, close.rect().bottomRight()).y() <= dialog.height()
        dialog.close()
    finally:
        theme.apply(qapp, DeviceSettings(theme="light"))
