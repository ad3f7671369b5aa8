"""Password / recovery-code form shared by the unlock dialog and the idle-lock overlay."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ...ledger import LedgerError, LedgerLockedOut, WrongPassword
from ..i18n import current_language
from ..workers import Workers

# attempt(password, recovery_code) -> whatever `unlocked` should carry (a Ledger); may raise.
Attempt = Callable[[str | None, str | None], object]


class UnlockForm(QWidget):
    """Asks for the password (or the recovery code), tries it in a worker, counts down lockouts."""

    unlocked = Signal(object)
    failed = Signal(object)  # the exception of a refused attempt

    def __init__(self, workers: Workers, attempt: Attempt, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workers = workers
        self.attempt = attempt
        self._retry_at = 0.0
        self._busy = False

        self.prompt = QLabel(self)
        self.prompt.setWordWrap(True)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.recovery_check = QCheckBox(self)
        self.recovery_edit = QLineEdit(self)
        self.recovery_edit.hide()
        self.unlock_button = QPushButton(self)
        self.unlock_button.setDefault(True)
        self.message = QLabel(self)
        self.message.setObjectName("errorMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.countdown = QLabel(self)

        layout = QVBoxLayout(self)
        for widget in (self.prompt, self.password_edit, self.recovery_check, self.recovery_edit,
                       self.unlock_button, self.message, self.countdown):
            layout.addWidget(widget)

        self.timer = QTimer(self)
        self.timer.setInterval(200)
        self.timer.timeout.connect(self.on_timer_tick)
        self.recovery_check.toggled.connect(self.on_recovery_toggled)
        self.unlock_button.clicked.connect(self.submit)
        self.password_edit.returnPressed.connect(self.submit)
        self.recovery_edit.returnPressed.connect(self.submit)
        self.retranslate()

    # ---- behaviour --------------------------------------------------------------------------

    def reset(self) -> None:
        """Empty the fields (the overlay calls this each time it covers the window)."""
        self.password_edit.clear()
        self.recovery_edit.clear()
        self.message.clear()
        self.password_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def seconds_left(self) -> int:
        return max(0, math.ceil(self._retry_at - time.monotonic()))

    def submit(self) -> None:
        if self._busy or self.seconds_left > 0:
            return
        use_code = self.recovery_check.isChecked()
        password = None if use_code else self.password_edit.text()
        code = self.recovery_edit.text().strip() if use_code else None
        if not (password or code):
            self.message.setText(self.tr("Enter the password first."))
            return
        self._set_busy(True)
        self.message.setText(self.tr("Checking…"))
        attempt = self.attempt
        job = self.workers.run(lambda *, progress, cancel: attempt(password, code), name="unlock")
        job.signals.succeeded.connect(self.on_attempt_succeeded)
        job.signals.failed.connect(self.on_attempt_failed)

    def on_attempt_succeeded(self, result: object) -> None:
        self._set_busy(False)
        self.password_edit.clear()
        self.recovery_edit.clear()
        self.message.clear()
        self.unlocked.emit(result)

    def on_attempt_failed(self, error: object) -> None:
        self._set_busy(False)
        language = current_language()
        if isinstance(error, (WrongPassword, LedgerLockedOut)):
            self.message.setText(error.message.get(language))
            self._start_countdown(error.retry_after_seconds)
        elif isinstance(error, LedgerError):
            self.message.setText(error.message.get(language))
        else:
            self.message.setText(str(error))
        self.password_edit.selectAll()
        self.password_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.failed.emit(error)

    def _start_countdown(self, seconds: float) -> None:
        if seconds <= 0:
            return
        self._retry_at = time.monotonic() + seconds
        self.on_timer_tick()
        self.timer.start()

    def on_timer_tick(self) -> None:
        left = self.seconds_left
        if left <= 0:
            self.timer.stop()
            self.countdown.clear()
        else:
            self.countdown.setText(self.tr("Too many wrong tries. You can try again in %n second(s).", "", left))
        self._update_enabled()

    def on_recovery_toggled(self, checked: bool) -> None:
        self.recovery_edit.setVisible(checked)
        self.password_edit.setVisible(not checked)
        (self.recovery_edit if checked else self.password_edit).setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_enabled()

    def _update_enabled(self) -> None:
        ready = not self._busy and self.seconds_left <= 0
        self.unlock_button.setEnabled(ready)
        self.password_edit.setEnabled(not self._busy)
        self.recovery_edit.setEnabled(not self._busy)

    # ---- texts ------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.prompt.setText(self.tr("Enter your password to open the ledger."))
        self.password_edit.setPlaceholderText(self.tr("Password"))
        self.recovery_check.setText(self.tr("I forgot the password: use the recovery code"))
        self.recovery_edit.setPlaceholderText(self.tr("Recovery code"))
        self.unlock_button.setText(self.tr("Unlock"))
        if self.seconds_left > 0:
            self.on_timer_tick()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
