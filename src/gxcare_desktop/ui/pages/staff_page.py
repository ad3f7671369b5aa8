"""人员与培训: the real-name registry of directors and supervisors, their training, and the trained
rate per township. Supervisors and the county keep it; a village director reads it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.enums import Role
from ...ledger import workflows as wf
from ...ledger.workflows import StaffRow, TrainedRate
from ..context import AppContext
from ..dialogs.case_forms import CaseFormDialog
from ..dialogs.staff_forms import StaffDialog, TrainingDialog
from ..i18n import QT_TRANSLATE_NOOP
from ._workflow_common import RowTable, WorkflowPage, fmt_date, stacked_tables
from .review_page import label


@dataclass(frozen=True)
class StaffData:
    staff: list[StaffRow]
    rates: list[TrainedRate]


class StaffPage(WorkflowPage):
    """人员与培训 in the navigation."""

    key = "staff"
    title = QT_TRANSLATE_NOOP("Navigation", "Staff and training")  # 人员与培训

    @staticmethod
    def shown_for(ledger: Any) -> bool:
        return True

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.editable = wf.is_supervisor(context.ledger)
        self.staff: list[StaffRow] = []
        self.rates: list[TrainedRate] = []
        self.dialog: CaseFormDialog | None = None
        self.heading = QLabel()
        self.heading.setObjectName("staff_heading")
        self.inactive = QCheckBox()
        self.register_button = QPushButton()
        self.register_button.setObjectName("register_staff")
        self.training_button = QPushButton()
        self.training_button.setObjectName("record_training")
        self.leave_button = QPushButton()
        self.leave_button.setObjectName("left_post")
        self.table = RowTable(self._headers())
        self.table.setObjectName("staff_table")
        self.rates_title = QLabel()
        self.rates_table = RowTable(self._rate_headers())
        self.rates_table.setObjectName("rates_table")
        self.error = QLabel()
        self.error.setProperty("role", "error")

        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.inactive)
        for button in (self.register_button, self.training_button, self.leave_button):
            top.addWidget(button)
            button.setVisible(self.editable)
        splitter = stacked_tables(self.table, self.rates_title, self.rates_table)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.error)

        self.inactive.toggled.connect(self.reload)
        self.register_button.clicked.connect(self.open_register)
        self.training_button.clicked.connect(self.open_training)
        self.leave_button.clicked.connect(self.mark_left)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.activated.connect(lambda _key: self.open_training() if self.editable else None)
        self.retranslate()
        self._update_buttons()

    def _headers(self) -> list[str]:
        return [self.tr("Name"), self.tr("Post"), self.tr("Unit"), self.tr("Phone"), self.tr("Appointed"),
                self.tr("Initial training"), self.tr("Last periodic training"), self.tr("Status")]

    def _rate_headers(self) -> list[str]:
        return [self.tr("Township"), self.tr("Staff"), self.tr("Trained"), self.tr("Trained rate")]

    def retranslate(self) -> None:
        self.table.set_headers(self._headers())
        self.rates_table.set_headers(self._rate_headers())
        self.inactive.setText(self.tr("Include those who left"))
        self.register_button.setText(self.tr("Register…"))
        self.training_button.setText(self.tr("Record training…"))
        self.leave_button.setText(self.tr("Left the post"))
        self.rates_title.setText(self.tr("Initial training per township (target 100%)"))
        if not self._stale:
            self.show_data(StaffData(self.staff, self.rates))

    def load(self) -> StaffData:
        ledger = self.ledger
        return StaffData(wf.staff_rows(ledger, include_inactive=self.inactive.isChecked()), wf.trained_rates(ledger))

    def show_data(self, data: StaffData) -> None:
        self.staff, self.rates = data.staff, data.rates
        lang = self.language
        self.table.set_rows(
            [[s.name, label(Role, s.role, lang), s.unit_name or s.unit_code, s.phone, fmt_date(s.appointed_on),
              fmt_date(s.initial_on) or self.tr("not yet"), fmt_date(s.last_periodic_on),
              self.tr("In post") if s.active else self.tr("Left")] for s in data.staff],
            [s.staff_id for s in data.staff],
            [s.active and not s.trained for s in data.staff],
        )
        self.rates_table.set_rows(
            [[r.township_name, str(r.staff), str(r.trained), f"{r.rate:.0%}"] for r in data.rates],
            [r.township_code for r in data.rates],
            [r.rate < 1 for r in data.rates],
        )
        untrained = sum(s.active and not s.trained for s in data.staff)
        self.heading.setText(
            self.tr("%1 staff registered, %2 without initial training")
            .replace("%1", str(len(data.staff))).replace("%2", str(untrained))
        )
        self._update_buttons()

    def current(self) -> StaffRow | None:
        key = self.table.current_key()
        return next((s for s in self.staff if s.staff_id == key), None)

    def _update_buttons(self) -> None:
        person = self.current()
        self.training_button.setEnabled(person is not None)
        self.leave_button.setEnabled(person is not None and person.active)

    def show_error(self, message: str) -> None:
        self.error.setText(message)

    def _open(self, dialog: CaseFormDialog, key: str) -> CaseFormDialog:
        def saved(_result: Any) -> None:
            self._writing = True
            try:
                self.context.notify_ledger_changed()
            finally:
                self._writing = False
            self.reload()
            self.written.emit(key)

        dialog.saved.connect(saved)
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_register(self) -> CaseFormDialog:
        ledger = self.ledger
        roles = [Role.VILLAGE_DIRECTOR, Role.TOWNSHIP_SUPERVISOR]
        if ledger.role is Role.COUNTY_ADMIN:
            roles.append(Role.COUNTY_ADMIN)
        return self._open(
            StaffDialog(lambda v: wf.register_staff(ledger, **v), self.context.workers, self.language,
                        self.context.divisions(), ledger.village_code, roles, self),
            "registered",
        )

    def open_training(self) -> CaseFormDialog | None:
        person = self.current()
        if person is None:
            return None
        ledger, staff_id = self.ledger, person.staff_id
        return self._open(
            TrainingDialog(lambda v: wf.add_training(ledger, staff_id=staff_id, **v), self.context.workers,
                           self.language, person.name, self),
            "trained",
        )

    def mark_left(self) -> None:
        person = self.current()
        if person is None:
            return
        ledger, staff_id = self.ledger, person.staff_id
        self.write(lambda: wf.update_staff(ledger, staff_id, active=False), "left")

