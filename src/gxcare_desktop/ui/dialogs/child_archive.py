"""Archive a child file with an exit reason (动态管理): the file is kept, never deleted."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ...domain.enums import ExitReason
from ...domain.errors import ValidationError
from ...domain.labels import field_label
from ...ledger import Ledger
from ..widgets.forms import INVALID_STYLE, FormFields, current_language
from .visit_form import date_edit, to_date


class ArchiveChildDialog(QDialog):
    """Choose the exit reason and date, then archive through the ledger."""

    child_archived = Signal(str)

    def __init__(self, ledger: Ledger, child_id: str, parent: QWidget | None = None, *, language: str | None = None) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.child_id = child_id
        self.language = language or current_language()
        self.fields = FormFields()
        self.setStyleSheet(INVALID_STYLE)
        child = ledger.get_child(child_id)
        self.setWindowTitle(self.tr("Archive the file of %1").replace("%1", child.name))
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
        layout.addWidget(buttons)

    def choose(self, reason: ExitReason, on: date | None = None) -> None:
        self.reason.setCurrentIndex(self.reason.findData(reason.value))
        if on is not None:
            self.exit_date.setDate(QDate(on.year, on.month, on.day))

    def archive(self) -> None:
        self.fields.clear()
        try:
            self.ledger.archive_child(self.child_id, reason=self.reason.currentData(), on=to_date(self.exit_date.date()))
        except ValidationError as exc:
            self.fields.show_validation(exc, self.language)
            return
        self.child_archived.emit(self.child_id)
        self.accept()
