"""The unlock dialog shown at start-up when a ledger exists: password or recovery code."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from ...ledger import Ledger
from ..widgets.unlock_form import UnlockForm
from ..workers import Workers


class UnlockDialog(QDialog):
    """Accepted once the ledger at `path` is open; `ledger` then holds it (the caller closes it)."""

    def __init__(self, path: Path, workers: Workers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.ledger: Ledger | None = None
        self.heading = QLabel(self)
        self.heading.setObjectName("dialogHeading")
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.file_label = QLabel(str(self.path), self)
        self.file_label.setStyleSheet("color: #666;")
        self.form = UnlockForm(workers, self._open, self)
        self.form.unlocked.connect(self.on_form_unlocked)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.file_label)
        layout.addWidget(self.form)
        self.setMinimumWidth(420)
        self.retranslate()

    def _open(self, password: str | None, recovery_code: str | None) -> Ledger:
        return Ledger.open(self.path, password=password, recovery_code=recovery_code)

    def on_form_unlocked(self, ledger: object) -> None:
        assert isinstance(ledger, Ledger)
        self.ledger = ledger
        self.accept()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Open the ledger"))
        self.heading.setText(self.tr("Children's Care Ledger"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
