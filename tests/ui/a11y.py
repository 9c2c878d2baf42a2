"""What a keyboard or screen-reader user meets: the tab-order walker (WCAG 2.2 AA).

:func:`tab_stops` presses Tab (``focusNextPrevChild``, what the Tab key does) from a window's
first control until focus comes round again. :func:`problems` then lists, for each stop:

- **unnamed**: Qt's accessibility interface reports no name (a screen reader says nothing);
- **role**: an input reports a role that is not a control (*Border*, the ``QFrame`` default,
  or *Grouping*, *Pane*, *Client*…): a screen reader cannot tell what it is or its value;
- **label in name** (WCAG 2.5.3): the words on a button, check box or a field's label are not
  part of its accessible name, so "click Save" in voice control finds nothing;
- **order** (WCAG 2.4.3): Tab goes to a control that is above the previous one in the same
  column, or to its left on the same line, i.e. against the visual reading order.

A feature's tests can point it at one window::

    from tests.ui.a11y import problems, tab_stops
    assert problems(dialog, tab_stops(dialog)) == []
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QTabBar,
    QWidget,
)

Role = QAccessible.Role

#: roles a Tab stop may have: each tells a screen reader what the control is and does
CONTROL_ROLES = frozenset(
    {
        Role.Button,
        Role.CheckBox,
        Role.RadioButton,
        Role.ComboBox,
        Role.EditableText,
        Role.SpinBox,
        Role.Slider,
        Role.Dial,
        Role.PageTab,
        Role.PageTabList,
        Role.List,
        Role.ListItem,
        Role.Table,
        Role.Tree,
        Role.Link,
        Role.Document,
        Role.ScrollBar,
        Role.ProgressBar,
        Role.ButtonMenu,
        Role.ButtonDropDown,
        Role.Graphic,
        Role.Chart,
        Role.StaticText,
        Role.Client,  # a named scroll area: the page's region, scrolled with the arrow keys
    }
)
#: never right for something that takes focus
BAD_ROLES = frozenset({Role.Border, Role.Grouping, Role.NoRole, Role.Separator, Role.Pane})

#: a Tab stop this much (px) above the previous one, in the same column, is out of order
SLACK = 4


def tab_stops(window: QWidget, limit: int = 400) -> list[QWidget]:
    """The widgets Tab visits, in order, starting from the first one after ``window`` itself."""
    window.activateWindow()
    QApplication.processEvents()
    first = _first_focusable(window)
    assert first is not None, f"nothing in {type(window).__name__} takes the keyboard"
    first.setFocus()
    QApplication.processEvents()
    stops: list[QWidget] = []
    current = window.focusWidget()
    while current is not None and current not in stops and len(stops) < limit:
        stops.append(current)
        window.focusNextPrevChild(True)
        QApplication.processEvents()
        current = window.focusWidget()
    return stops


def _first_focusable(window: QWidget) -> QWidget | None:
    widget = window.nextInFocusChain()
    seen: set[int] = set()
    while widget is not None and id(widget) not in seen and widget is not window:
        seen.add(id(widget))
        if _takes_tab(widget, window):
            return widget
        widget = widget.nextInFocusChain()
    return None


def _takes_tab(widget: QWidget, window: QWidget) -> bool:
    from PySide6.QtCore import Qt

    return (
        bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        and widget.isVisibleTo(window)
        and widget.isEnabled()
        and widget.window() is window
    )


def accessible_name(widget: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(widget)
    return iface.text(QAccessible.Text.Name).strip() if iface is not None else ""


def accessible_role(widget: QWidget) -> Role:
    iface = QAccessible.queryAccessibleInterface(widget)
    return iface.role() if iface is not None else Role.NoRole


def visible_words(widget: QWidget) -> str:
    """What a sighted person reads on or beside the control (and would say to voice control)."""
    if isinstance(widget, QAbstractButton):
        return widget.text()
    label = _buddy_label(widget)
    return label.text() if label is not None else ""


def spoken_name(widget: QWidget) -> str:
    """The name a screen reader announces. A combo box on Linux reports its current choice
    as its name and its label through a "labelled by" relation (the buddy label); its own
    accessible name, when set, is what other platforms read."""
    if accessible_role(widget) == Role.ComboBox:
        label = _buddy_label(widget)
        return widget.accessibleName() or (label.text() if label is not None else "")
    return accessible_name(widget)


def _buddy_label(widget: QWidget) -> QLabel | None:
    top = widget.window()
    for label in top.findChildren(QLabel):
        if label.buddy() is widget and label.isVisibleTo(top) and label.text().strip():
            return label
    return None


def normalise(text: str) -> str:
    """Lower case, no accelerator "&", markup, ellipsis, punctuation or icon glyphs."""
    text = re.sub(r"<[^<>]*>", " ", text).replace("&&", "\0").replace("&", "").replace("\0", "&")
    kept = [
        ch if unicodedata.category(ch)[0] in "LN" else " "
        for ch in unicodedata.normalize("NFKC", text.lower())
    ]
    return " ".join("".join(kept).split())


def rect_in(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def _place(widget: QWidget, other: QWidget, window: QWidget) -> QRect:
    """Where ``widget`` is, to compare with ``other``: inside a scroll area that does not
    hold ``other``, the place of that scroll area (its content scrolls past on its own)."""
    outer: QWidget | None = None
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea) and not parent.isAncestorOf(other):
            outer = parent
        parent = parent.parentWidget()
    return rect_in(outer if outer is not None else widget, window)


def _side_by_side(before: QWidget, after: QWidget, window: QWidget) -> bool:
    """Tab went up and to the right: a new column only if the two controls sit in two parts
    of one container that stand side by side (a page in two columns), not in one card."""
    chain: list[QWidget] = []
    parent = before.parentWidget()
    while parent is not None:
        chain.append(parent)
        parent = parent.parentWidget()
    common = next((w for w in chain if w.isAncestorOf(after)), window)

    def part(widget: QWidget) -> QWidget:
        while widget.parentWidget() is not None and widget.parentWidget() is not common:
            widget = widget.parentWidget()
        return widget

    left, right = rect_in(part(before), window), rect_in(part(after), window)
    return left.right() <= right.left() + SLACK


def problems(
    window: QWidget,
    stops: Iterable[QWidget],
    *,
    region: Callable[[QWidget], object] | None = None,
) -> list[str]:
    """Everything wrong with ``stops`` (see the module's text), one sentence each.

    ``region`` names the part of the window a widget is in (e.g. the sidebar or the page);
    order is only compared between neighbours in the same region, and each region's stops
    must come together (Tab does not leave a region and come back to it)."""
    stops = list(stops)
    found: list[str] = []
    # Tab reaches one button of an exclusive group (arrows move between them): check them all
    grouped = [
        button
        for stop in stops
        if isinstance(stop, QAbstractButton) and stop.group() is not None
        for button in stop.group().buttons()
        if button is not stop and button.isVisibleTo(window)
    ]
    for widget in [*stops, *grouped]:
        what = f"{type(widget).__name__} {widget.objectName() or ''}".strip()
        name = accessible_name(widget)
        role = accessible_role(widget)
        if not name:
            found.append(f"unnamed: {what} ({role.name})")
        if role in BAD_ROLES or role not in CONTROL_ROLES:
            found.append(f"role {role.name} on an input: {what} “{name}”")
        if role is Role.Client and not name:
            found.append(f"a silent scroll area: {what}")
        words = normalise(visible_words(widget))
        name = spoken_name(widget)
        if words and words not in normalise(name):
            found.append(f"label not in name: “{visible_words(widget)}” is read as “{name}”")
    where = region or (lambda _w: None)
    seen_regions: list[object] = []
    for before, after in itertools.pairwise(stops):
        if where(before) != where(after):
            if where(after) in seen_regions:
                found.append(f"Tab comes back to a region at “{accessible_name(after)}”")
            seen_regions.append(where(before))
            continue
        a, b = _place(before, after, window), _place(after, before, window)
        same_line = b.top() < a.bottom() - SLACK and a.top() < b.bottom() - SLACK
        above = b.bottom() <= a.top() + SLACK
        inside = a.contains(b) or b.contains(a)
        if inside or isinstance(before, QTabBar) or isinstance(after, QTabBar):
            continue
        # up and to the left, or up into the same part of the page (it was skipped)
        skipped_back = above and (b.left() < a.right() or not _side_by_side(before, after, window))
        if (same_line and b.right() <= a.left() + SLACK) or skipped_back:
            found.append(
                f"order: “{accessible_name(after)}” comes after “{accessible_name(before)}” "
                "but is above or to its left"
            )
    return found
