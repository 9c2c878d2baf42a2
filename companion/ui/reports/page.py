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
        self.export = ExportView(diary, context)
        self.plans = PlansView(diary, context)
        self.shared = SharedView(diary, context)
        self.composer = Composer(diary, context)
        self.tabs.addTab(self.export, icon("mdi6.file-document-outline"), _("Summary and exports"))
        self.tabs.addTab(self.plans, icon("mdi6.clipboard-text-outline"), _("Homework plans"))
        self.tabs.addTab(self.shared, icon("mdi6.history"), _("What was shared"))
        self.tabs.addTab(self.composer, icon("mdi6.pencil-outline"), _("Write a plan"))
        layout.addWidget(self.tabs, 1)
        self.export.exported.connect(self.shared.refresh)
        context.changes.listen(SUMMARISED, lambda _c: self.export.mark_stale(), receiver=self)

    def refresh(self) -> None:
        self.export.mark_stale()
        self.export.update_preview()

    def before_lock(self) -> None:
        self.export.before_lock()

    def open_item(self, item_id: str) -> bool:
        tabs = {"summary": 0, "homework": 1, "shared": 2, "write": 3}
        if item_id in tabs:
            self.tabs.setCurrentIndex(tabs[item_id])
            return True
        return False
