"""The small forms of a mandatory-report case: open it, record the police report, a response
step, closing with feedback. Each writes through the workflows service on the write thread and
marks a refused field in place."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...domain.enums import CaseStep, ReportSituation
from ...domain.errors import ValidationError
from ...ledger import ChildSummary
from ..widgets.background import write_in_background
from ..widgets.forms import FormFields
from ..workers import Workers

SaveFn = Callable[[dict[str, Any]], Any]


def _date_edit(value: date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMaximumDate(QDate.currentDate())
    day = value or date.today()
    edit.setDate(QDate(day.year, day.month, day.day))
    return edit


def _text(height: int = 80) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setMaximumHeight(height)
    return edit


class CaseFormDialog(QDialog):
    """Base of the case forms: editors by field, OK runs `save(values)` on the write thread."""

    saved = Signal(object)

    def __init__(self, save: SaveFn, workers: Workers, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self.workers = workers
        self.language = language
        self.fields = FormFields()
        self.form = QFormLayout()
        self.message = QLabel()
        self.message.setProperty("role", "error")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.setMinimumWidth(520)

    def add(self, field: str, label: str, editor: QWidget) -> Any:
        editor.setObjectName(field)
        self.form.addRow(label, self.fields.add(field, editor))
        return editor

    def values(self) -> dict[str, Any]:
        raise NotImplementedError

    def submit(self) -> None:
        self.fields.clear()
        self.message.clear()
        values = self.values()
        self.buttons.setEnabled(False)

        def done(result: Any) -> None:
            self.buttons.setEnabled(True)
            self.saved.emit(result)
            self.accept()

        def failed(exc: Exception) -> None:
            self.buttons.setEnabled(True)
            if isinstance(exc, ValidationError):
                if not self.fields.show_validation(exc, self.language):
                    self.message.setText(exc.text(self.language))
                return
            message = getattr(exc, "message", None)
            self.message.setText(message.get(self.language) if message is not None else str(exc))

        save = self._save
        write_in_background(self, self.workers, lambda: save(values), done, failed)


class NewCaseDialog(CaseFormDialog):
    """强制报告: the child, one of the nine situations, date, place, what was seen, the reporter."""

    def __init__(self, save: SaveFn, workers: Workers, language: str, children: Sequence[ChildSummary],
                 parent: QWidget | None = None) -> None:
        super().__init__(save, workers, language, parent)
        self.setWindowTitle(self.tr("New mandatory report"))
        self.child = self.add("child_id", self.tr("Child"), QComboBox())
        self.child.setEditable(True)
        self.child.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for child in children:
            self.child.addItem(f"{child.name}  {child.birth_date or ''}", child.id)
        self.situation = self.add("situation", self.tr("Situation"), QComboBox())
        for member in ReportSituation:
            self.situation.addItem(member.label.get(language), member.value)
        self.opened_on = self.add("opened_on", self.tr("Found on"), _date_edit())
        self.place = self.add("place", self.tr("Place"), QLineEdit())
        self.observed = self.add("observed", self.tr("What was seen"), _text())
        self.reporter_name = self.add("reporter_name", self.tr("Reporter"), QLineEdit())
        self.reporter_phone = self.add("reporter_phone", self.tr("Reporter's phone"), QLineEdit())
        hint = QLabel(self.tr("The reporter's identity is kept confidential: only supervisors see it."))
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        self.form.addRow(hint)

    def values(self) -> dict[str, Any]:
        return {
            "child_id": self.child.currentData() or "",
            "situation": self.situation.currentData(),
            "opened_on": self.opened_on.date().toPython(),
            "place": self.place.text(),
            "observed": self.observed.toPlainText(),
            "reporter_name": self.reporter_name.text(),
            "reporter_phone": self.reporter_phone.text(),
        }


class PoliceReportDialog(CaseFormDialog):
    """发现报告: when it was reported to the police, to which unit, the receipt number."""

    def __init__(self, save: SaveFn, workers: Workers, language: str, parent: QWidget | None = None) -> None:
        super().__init__(save, workers, language, parent)
        self.setWindowTitle(self.tr("Report to the police"))
        when = QDateTimeEdit(QDateTime.currentDateTime())
        when.setCalendarPopup(True)
        when.setDisplayFormat("yyyy-MM-dd HH:mm")
        when.setMaximumDateTime(QDateTime.currentDateTime().addSecs(60))
        self.reported_at = self.add("reported_at", self.tr("Reported at"), when)
        self.unit = self.add("police_unit", self.tr("Receiving unit"), QLineEdit())
        self.receipt = self.add("police_receipt", self.tr("Receipt number"), QLineEdit())
        self.outcome = self.add("outcome", self.tr("Police response"), _text(60))

    def values(self) -> dict[str, Any]:
        local: datetime = self.reported_at.dateTime().toPython()
        return {
            "reported_at": local.astimezone(UTC),
            "unit": self.unit.text(),
            "receipt": self.receipt.text(),
            "outcome": self.outcome.toPlainText(),
        }


class CaseStepDialog(CaseFormDialog):
    """应急处置 / 评估帮扶 / 监护干预: date, who acted, what was done, the outcome."""

    def __init__(self, save: SaveFn, workers: Workers, language: str, steps: Sequence[CaseStep], actor: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(save, workers, language, parent)
        self.setWindowTitle(self.tr("Record a response step"))
        self.step = self.add("step", self.tr("Step"), QComboBox())
        for step in steps:
            self.step.addItem(step.label.get(language), step.value)
        self.step_date = self.add("step_date", self.tr("Date"), _date_edit())
        self.actor = self.add("actor", self.tr("Who acted"), QLineEdit(actor))
        self.actions_edit = self.add("actions", self.tr("Actions taken"), _text())
        self.outcome = self.add("outcome", self.tr("Outcome"), _text(60))

    def values(self) -> dict[str, Any]:
        return {
            "step": self.step.currentData(),
            "step_date": self.step_date.date().toPython(),
            "actor_name": self.actor.text(),
            "actions": self.actions_edit.toPlainText(),
            "outcome": self.outcome.toPlainText(),
        }


class CloseCaseDialog(CaseFormDialog):
    """结案 with feedback to the reporter and the units involved."""

    def __init__(self, save: SaveFn, workers: Workers, language: str, parent: QWidget | None = None) -> None:
        super().__init__(save, workers, language, parent)
        self.setWindowTitle(self.tr("Close the case"))
        self.closed_on = self.add("closed_on", self.tr("Closed on"), _date_edit())
        self.feedback = self.add("feedback", self.tr("Feedback"), _text())

    def values(self) -> dict[str, Any]:
        return {"closed_on": self.closed_on.date().toPython(), "feedback": self.feedback.toPlainText()}
