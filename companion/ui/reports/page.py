"""The Reports page: a summary for a clinician and the exports, homework plans, what was
shared, and (for therapists) writing a plan."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from companion.i18n import _
from companion.ui.homework.plans_view import PlansView
from companion.ui.pages import AppContext, Page
from companion.ui.reports.composer import Composer
from companion.ui.reports.export_view import ExportView
from companion.ui.reports.shared_view import SharedView
from companion.ui.widgets.common import icon, label, title

if TYPE_CHECKING:
    from companion.core.session import OpenDiary

#: features whose data a summary shows: a change there makes the preview stale
SUMMARISED = ("mood", "medications", "exercises", "learn", "safety", "checkups", "homework")


class ReportsPage(Page):
    page_id = "reports"

    def __init__(self, diary: OpenDiary, context: AppContext, parent: QWidget | None = None):
        super().__init__(diary, context, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 20)
        layout.setSpacing(8)
        layout.addWidget(title(_("Reports")))
        layout.addWidget(
            label(
                _(
                    "Make a summary for your clinician, or take your data with you. You choose "
                    "what goes in, and nothing leaves this computer unless you save it."
                ),
                name="Muted",
            )
        )
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName(_("Reports sections"))
        self._export = ExportView(diary, context)  # its form is made over a few turns
        self.tabs.addTab(self._export, icon("mdi6.file-document-outline"), _("Summary and exports"))
        # the other tabs are made when first shown (a click, a link): the page opens at once
        self._holders: list[QWidget] = []
        self._built: dict[int, QWidget] = {0: self._export}
        for icon_name, text in (
            ("mdi6.clipboard-text-outline", _("Homework plans")),
            ("mdi6.history", _("What was shared")),
            ("mdi6.pencil-outline", _("Write a plan")),
        ):
            holder = QWidget()
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            self._holders.append(holder)
            self.tabs.addTab(holder, icon(icon_name), text)
        layout.addWidget(self.tabs, 1)
        self.tabs.currentChanged.connect(self.tab)
        self._export.exported.connect(self._exported)
        context.changes.listen(SUMMARISED, lambda _c: self._export.mark_stale(), receiver=self)

    def tab(self, index: int) -> QWidget:
        """The content of a tab, made now if it has not been shown yet."""
        built = self._built.get(index)
        if built is None:
            holder = self._holders[index - 1]
            if index == 1:
                built = PlansView(self.diary, self.context, holder)
            elif index == 2:
                built = SharedView(self.diary, self.context, holder)
            else:
                built = Composer(self.diary, self.context, holder)
            layout = holder.layout()
            assert layout is not None
            layout.addWidget(built)
            built.show()  # now, not a turn later (a link may go on to use it)
            self._built[index] = built
        return built

    @property
    def building(self) -> bool:
        return super().building or self._export.building

    def finish_building(self) -> None:
        super().finish_building()
        self._export.finish_now()

    @property
    def export(self) -> ExportView:
        """The summary and export tab, whole (finished now if it was still being made)."""
        self._export.finish_now()
        return self._export

    @property
    def plans(self) -> PlansView:
        view = self.tab(1)
        assert isinstance(view, PlansView)
        return view

    @property
    def shared(self) -> SharedView:
        view = self.tab(2)
        assert isinstance(view, SharedView)
        return view

    @property
    def composer(self) -> Composer:
        view = self.tab(3)
        assert isinstance(view, Composer)
        return view

    def _exported(self) -> None:
        if 2 in self._built:  # (made later, it reads the list then)
            self.shared.refresh()

    def reads_now(self) -> object:
        """Shown again, refreshed only after a change to what it shows: the diary (what a summary
        holds), the day (the period ends today), the theme."""
        return self.diary_day_theme()

    def refresh(self) -> None:
        self._export.preview_after_paint()

    def before_lock(self) -> None:
        self._export.before_lock()

    def open_item(self, item_id: str) -> bool:
        tabs = {"summary": 0, "homework": 1, "shared": 2, "write": 3}
        if item_id in tabs:
            self.tabs.setCurrentIndex(tabs[item_id])
            self._export.finish_now()  # (a link: the page whole at once)
            return True
        return False
