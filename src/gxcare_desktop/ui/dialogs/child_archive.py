"""Archive a child file with an exit reason (动态管理): the file is kept, never deleted."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ...domain.enums import ExitReason
from ...domain.labels import field_label
from ...ledger import Ledger
from ..workers import Workers
from .visit_form import LedgerFormDialog, date_edit, to_date


class ArchiveChildDialog(LedgerFormDialog):
    """Choose the exit reason and date, then archive through the ledger."""

    child_archived = Signal(str)

    def __init__(
        self,
        ledger: Ledger,
        child_id: str,
        parent: QWidget | None = None,
        *,
        language: str | None = None,
        workers: Workers | None = None,
    ) -> None:
        super().__init__(ledger, child_id, parent, language=language, workers=workers)
        self.setWindowTitle(self.tr("Archive the file of %1").replace("%1", self.child.name))
        explanation = QLabel(
            self.tr("The file is kept and can be restored; it leaves the working lists. Choose why the child exits.")
        )
        explanation.setWordWrap(True)
        self.reason = QComboBox()
        self.reason.addItem(self.tr("(choose a reason)"), "")
        for member in ExitReason:
            self.reason.addItem(member.label.get(self.language), member.value)
        self.exit_date = date_edit()
        form = QFormLayout()
        form.addRow(field_label("exit_reason").get(self.language), self.fields.add("exit_reason", self.reason))
        form.addRow(field_label("exit_date").get(self.language), self.fields.add("exit_date", self.exit_date))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Archive"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.archive)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.form_error)
        layout.addWidget(buttons)

    def choose(self, reason: ExitReason, on: date | None = None) -> None:
        self.reason.setCurrentIndex(self.reason.findData(reason.value))
        if on is not None:
            self.exit_date.setDate(QDate(on.year, on.month, on.day))

    def archive(self) -> None:
        ledger, child_id = self.ledger, self.child_id
        reason, on = self.reason.currentData(), to_date(self.exit_date.date())
        self.submit(
            lambda: ledger.archive_child(child_id, reason=reason, on=on), lambda: self.child_archived.emit(child_id)
        )
