"""Concurrent edits kept by the sync server, side by side: the supervisor keeps the value that won
or the other one; the choice is written on the server and comes back here (and to every device
of the jurisdiction) with the sync that follows."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...ledger import Ledger
from ...ledger.workflows import ConflictRow, conflict_rows, value_text
from ...sync.engine import client_for, sync_ledger
from ..pages._workflow_common import RowTable, error_text, fmt_time
from ..workers import CancelToken, Workers


class ConflictsDialog(QDialog):
    """Load with `load()`; `resolved(conflict_id, keep)` fires after the choice is on the server and synced."""

    loaded = Signal()
    resolved = Signal(int, str)
    failed = Signal(str)

    def __init__(self, ledger: Ledger, parent: QWidget | None = None, *, language: str, workers: Workers) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.language = language
        self.workers = workers
        self.rows: list[ConflictRow] = []
        self.setWindowTitle(self.tr("Conflicting edits"))
        self.explanation = QLabel(self.tr(
            "Two devices changed the same field before they had seen each other's change. "
            "The newer change was kept; choose which value should stay."
        ))
        self.explanation.setWordWrap(True)
        self.table = RowTable([self.tr("Child"), self.tr("Field"), self.tr("Value now"), self.tr("Other value"),
                               self.tr("Recorded")])
        self.table.setObjectName("conflicts_table")
        self.keep_current = QPushButton(self.tr("Keep the value now"))
        self.keep_current.setObjectName("keep_winner")
        self.keep_other = QPushButton(self.tr("Use the other value"))
        self.keep_other.setObjectName("keep_loser")
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_current)
        buttons.addWidget(self.keep_other)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.keep_current.clicked.connect(lambda: self.resolve("winner"))
        self.keep_other.clicked.connect(lambda: self.resolve("loser"))
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.resize(900, 480)
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.table.current_key() is not None
        self.keep_current.setEnabled(chosen)
        self.keep_other.setEnabled(chosen)

    def load(self) -> None:
        ledger = self.ledger
        self.status.setText(self.tr("Asking the server…"))

        def work(*, progress: Any, cancel: CancelToken) -> list[ConflictRow]:
            client = client_for(ledger)
            try:
                return conflict_rows(ledger, client.conflicts())
            finally:
                client.close()

        job = self.workers.run(work, write=False, name="conflicts")
        job.signals.succeeded.connect(self._show)
        job.signals.failed.connect(self._failed)

    def _show(self, rows: list[ConflictRow]) -> None:
        self.rows = rows
        lang = self.language
        self.table.set_rows(
            [[r.child_name or r.entity, r.field_label.get(lang), value_text(r.winner_value), value_text(r.loser_value),
              fmt_time(r.recorded_at)] for r in rows],
            [str(r.conflict_id) for r in rows],
        )
        self.status.setText(self.tr("%1 conflicts to review").replace("%1", str(len(rows))) if rows
                            else self.tr("No conflicts to review."))
        if rows:
            self.table.selectRow(0)
        self._update_buttons()
        self.loaded.emit()

    def _failed(self, exc: Exception) -> None:
        message = getattr(exc, "message", None)
        text = message.get(self.language) if message is not None and hasattr(message, "get") else error_text(exc, self.language)
        self.status.setText(text)
        self._update_buttons()
        self.failed.emit(text)

    def resolve(self, keep: str) -> None:
        key = self.table.current_key()
        if key is None:
            return
        conflict_id = int(key)
        ledger = self.ledger
        self.keep_current.setEnabled(False)
        self.keep_other.setEnabled(False)
        self.status.setText(self.tr("Saving the choice and syncing…"))

        # On the write pool: the sync that follows writes the ledger.
        def work(*, progress: Any, cancel: CancelToken) -> None:
            client = client_for(ledger)
            try:
                client.resolve_conflict(conflict_id, keep)
            finally:
                client.close()
            sync_ledger(ledger, progress=progress, cancel=cancel)

        def done(_result: Any) -> None:
            self.resolved.emit(conflict_id, keep)
            self.load()

        job = self.workers.run(work, write=True, name="resolve_conflict")
        job.signals.succeeded.connect(done)
        job.signals.failed.connect(self._failed)
