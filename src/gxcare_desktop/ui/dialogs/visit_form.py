"""Visit form (走访记录) and parent-contact form: quick keyboard entry, next due date shown live."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...domain.enums import GuardianshipLevel, VisitCheck, VisitMode
from ...domain.errors import ValidationError
from ...domain.labels import field_label
from ...ledger import Ledger
from ...ledger.errors import LedgerError
from ..widgets.background import write_in_background
from ..widgets.forms import INVALID_STYLE, FormFields, current_language
from ..workers import Workers


def to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_edit(initial: date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    day = initial or date.today()
    edit.setDate(QDate(day.year, day.month, day.day))
    return edit


class _PlainText(QPlainTextEdit):
    """Multi-line text where Tab moves to the next field instead of typing a tab."""

    def __init__(self, rows: int = 3) -> None:
        super().__init__()
        self.setTabChangesFocus(True)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * rows + 14)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if _is_ctrl_enter(event):
            event.ignore()  # let the dialog save
            return
        super().keyPressEvent(event)


def _is_ctrl_enter(event: QKeyEvent) -> bool:
    return event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and bool(
        event.modifiers() & Qt.KeyboardModifier.ControlModifier
    )


class LedgerFormDialog(QDialog):
    """A small form whose Save writes to the ledger on the write thread; errors show at the field."""

    save_failed = Signal(object)  # the exception; the dialog stays open with everything typed

    def __init__(
        self,
        ledger: Ledger,
        child_id: str,
        parent: QWidget | None = None,
        *,
        language: str | None = None,
        workers: Workers | None = None,
    ) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.child_id = child_id
        self.child = ledger.get_child(child_id)  # every form names the child it is about
        self.language = language or current_language()
        self.workers = workers or Workers()
        self.fields = FormFields()
        self.saving = False
        self.setStyleSheet(INVALID_STYLE)
        self.form_error = QLabel()
        self.form_error.setProperty("role", "error")
        self.form_error.setWordWrap(True)
        self.form_error.setVisible(False)

    def submit(self, write: Callable[[], Any], done: Callable[[], None]) -> None:
        """Run `write` on the write thread; `done` after success, errors marked at their field."""
        if self.saving:
            return  # a second Enter while the first save runs
        self.saving = True
        self.fields.clear()
        self.form_error.setVisible(False)
        self.setEnabled(False)

        def succeeded(_result: Any) -> None:
            self.saving = False
            self.setEnabled(True)
            done()
            self.accept()

        def failed(error: Exception) -> None:
            self.saving = False
            self.setEnabled(True)
            shown = isinstance(error, ValidationError) and self.fields.show_validation(error, self.language)
            if not shown:
                text = error.text(self.language) if isinstance(error, ValidationError) else str(error)
                self.form_error.setText(text)
                self.form_error.setVisible(True)
            self.save_failed.emit(error)

        write_in_background(self, self.workers, write, succeeded, failed)


class VisitForm(LedgerFormDialog):
    """Record one home visit or phone contact of a child. Ctrl+Enter saves."""

    visit_saved = Signal(str)  # child id

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
        self.setWindowTitle(self.tr("Record a visit: %1").replace("%1", self.child.name))
        self.setMinimumWidth(560)
        # Who this is about, in the form itself: the title bar is easy to overlook.
        self.heading = QLabel(self.windowTitle())
        heading_font = self.heading.font()
        heading_font.setBold(True)
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.2)
        self.heading.setFont(heading_font)
        last = self.child.last_visit_date.isoformat() if self.child.last_visit_date else self.tr("none yet")
        self.context_line = QLabel(self.tr("Last visit: %1").replace("%1", last))
        self.context_line.setProperty("role", "hint")

        lang = self.language
        self.visit_date = date_edit()
        self.mode = QComboBox()
        for member in VisitMode:
            self.mode.addItem(member.label.get(lang), member.value)
        self.seen = QLineEdit()
        self.seen.setPlaceholderText(self.tr("e.g. the child and the grandmother"))
        self.checks: dict[str, QCheckBox] = {}
        checks_box = QGroupBox()
        grid = QGridLayout(checks_box)
        for position, check in enumerate(VisitCheck):
            box = QCheckBox(check.label.get(lang))
            box.setObjectName(f"check_{check.value}")
            self.checks[check.value] = box
            grid.addWidget(box, position // 3, position % 3)
        self.findings = _PlainText()
        self.help_given = _PlainText(2)
        self.referred_to = QLineEdit()
        self.level = QComboBox()
        self.level.addItem(self.tr("(not assessed this time)"), "")
        for level in GuardianshipLevel:
            self.level.addItem(level.label.get(lang), level.value)
        self.next_due = QLabel()
        self.next_due.setObjectName("next_due")
        font = self.next_due.font()
        font.setBold(True)
        self.next_due.setFont(font)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        rows: list[tuple[str, QWidget]] = [
            ("visit_date", self.visit_date),
            ("visit.mode", self.mode),
            ("seen", self.seen),
            ("checks", checks_box),
            ("findings", self.findings),
            ("help_given", self.help_given),
            ("referred_to", self.referred_to),
            ("guardianship_level", self.level),
        ]
        for name, editor in rows:
            entity, _, field = name.rpartition(".")
            label = field_label(field, entity or "visit").get(lang)
            form.addRow(label, self.fields.add(field, editor))
        form.addRow(field_label("next_due").get(lang), self.next_due)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.context_line)
        layout.addLayout(form)
        layout.addWidget(self.form_error)
        layout.addWidget(buttons)

        self.visit_date.dateChanged.connect(self.update_next_due)
        self.level.currentIndexChanged.connect(self.update_next_due)
        self.update_next_due()
        self.visit_date.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Ctrl+Enter saves from any field, including the multi-line ones.
        if _is_ctrl_enter(event):
            self.save()
            return
        super().keyPressEvent(event)

    def update_next_due(self) -> None:
        self.fields.clear("visit_date")
        try:
            due = self.ledger.preview_next_due(
                self.child_id, visit_date=to_date(self.visit_date.date()), guardianship_level=self.level.currentData() or None
            )
        except (ValidationError, LedgerError) as exc:
            self.next_due.setText("—")
            if isinstance(exc, ValidationError):
                self.fields.show_validation(exc, self.language)
            return
        days = (due - date.today()).days
        if days >= 0:
            text = self.tr("%1 (in %2 days)").replace("%2", str(days))
        else:
            text = self.tr("%1 (already %2 days overdue)").replace("%2", str(-days))
        self.next_due.setText(text.replace("%1", due.isoformat()))

    def save(self) -> None:
        ledger, child_id = self.ledger, self.child_id
        values: dict[str, Any] = {
            "visit_date": to_date(self.visit_date.date()),
            "mode": self.mode.currentData(),
            "seen": self.seen.text(),
            "checks": [code for code, box in self.checks.items() if box.isChecked()],
            "findings": self.findings.toPlainText(),
            "help_given": self.help_given.toPlainText(),
            "referred_to": self.referred_to.text(),
            "guardianship_level": self.level.currentData() or None,
        }
        self.submit(lambda: ledger.record_visit(child_id, **values), lambda: self.visit_saved.emit(child_id))


class ParentContactForm(LedgerFormDialog):
    """Record a contact between a parent working away and the child (at least weekly, Art. 23)."""

    contact_saved = Signal(str)  # child id

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
        self.setWindowTitle(self.tr("Parent contact: %1").replace("%1", self.child.name))
        lang = self.language
        self.contact_date = date_edit()
        self.parent_choice = QComboBox()
        self.parent_choice.addItem(field_label("father").get(lang), "father")
        self.parent_choice.addItem(field_label("mother").get(lang), "mother")
        self.mode = QComboBox()
        for member in (VisitMode.PHONE, VisitMode.VIDEO, VisitMode.HOME):
            self.mode.addItem(member.label.get(lang), member.value)
        self.notes = _PlainText(2)
        form = QFormLayout()
        form.addRow(field_label("contact_date").get(lang), self.fields.add("contact_date", self.contact_date))
        form.addRow(field_label("parent").get(lang), self.fields.add("parent", self.parent_choice))
        form.addRow(field_label("mode", "parent_contact").get(lang), self.fields.add("mode", self.mode))
        form.addRow(field_label("notes").get(lang), self.fields.add("notes", self.notes))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.form_error)
        layout.addWidget(buttons)

    def save(self) -> None:
        ledger, child_id = self.ledger, self.child_id
        values: dict[str, Any] = {
            "contact_date": to_date(self.contact_date.date()),
            "parent": self.parent_choice.currentData(),
            "mode": self.mode.currentData(),
            "notes": self.notes.toPlainText(),
        }
        self.submit(lambda: ledger.record_parent_contact(child_id, **values), lambda: self.contact_saved.emit(child_id))
