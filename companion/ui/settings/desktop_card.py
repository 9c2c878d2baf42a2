"""Settings → "On this computer's desktop": keep running in the tray, start at login.

Both are this computer's settings (``CLOSE_TO_TRAY`` and ``START_AT_LOGIN`` in
``core/device_settings.py``). Start at login also writes or removes the login entry
(``core/autostart.py``); the checkbox shows whether that entry is there, whatever the file says.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from companion.core import autostart
from companion.core.device_settings import CLOSE_TO_TRAY, START_AT_LOGIN
from companion.i18n import _
from companion.ui import tray
from companion.ui.pages import AppContext
from companion.ui.widgets.common import Card, StatusLabel, WrappingCheckBox, label


class DesktopCard(Card):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(_("On this computer's desktop"), parent)
        self.context = context
        self.close_to_tray = WrappingCheckBox(_(CLOSE_TO_TRAY.label))
        self.close_to_tray.setAccessibleName(_(CLOSE_TO_TRAY.label))
        self.body.addWidget(self.close_to_tray)
        self.no_tray = label(_(tray.NO_TRAY), name="Muted")
        self.body.addWidget(self.no_tray)
        self.start_at_login = WrappingCheckBox(_(START_AT_LOGIN.label))
        self.start_at_login.setToolTip(
            _(
                "So that reminders can appear without opening Companion first. It still "
                "asks for your passphrase unless this computer may unlock it."
            )
        )
        self.body.addWidget(self.start_at_login)
        self.status = StatusLabel("Error")
        self.body.addWidget(self.status)
        self.refresh()
        self.close_to_tray.toggled.connect(self._close_to_tray_changed)
        self.start_at_login.toggled.connect(self._start_at_login_changed)

    def refresh(self) -> None:
        has_tray = tray.available()
        for box, value in (
            (self.close_to_tray, has_tray and self.context.device.close_to_tray),
            (self.start_at_login, autostart.is_enabled()),
        ):
            box.blockSignals(True)
            box.setChecked(value)
            box.blockSignals(False)
        self.close_to_tray.setEnabled(has_tray)
        self.no_tray.setVisible(not has_tray)
        self.start_at_login.setVisible(autostart.supported())

    def _close_to_tray_changed(self, on: bool) -> None:
        self.context.update_device(close_to_tray=on)

    def _start_at_login_changed(self, on: bool) -> None:
        self.status.setText("")
        try:
            if on:
                autostart.enable(self.context.data_dir)
            else:
                autostart.disable()
        except OSError as exc:
            self.status.setText(
                _("The login entry could not be changed ({reason}).").format(
                    reason=exc.strerror or _("unknown error")
                )
            )
        self.context.update_device(start_at_login=autostart.is_enabled())
        self.refresh()
