"""强制报告: mandatory-report cases of the jurisdiction — open one, record the police report, the
response steps and the closing feedback; cases stuck at a step stand out; the reporter is shown
only where the service allows."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from ...domain.enums import CaseStep, ReportSituation
from ...ledger import ChildQuery, ChildSummary
from ...ledger import workflows as wf
from ...ledger.workflows import CaseView
from ..context import AppContext
from ..dialogs.case_forms import (
    CaseFormDialog,
    CaseStepDialog,
    CloseCaseDialog,
    NewCaseDialog,
    PoliceReportDialog,
)
from ..i18n import QT_TRANSLATE_NOOP
from ._workflow_common import RowTable, WorkflowPage, fmt_date, fmt_time
from .review_page import label


@dataclass(frozen=True)
class CasesData:
    cases: list[CaseView]
    children: list[ChildSummary]
    limit: int


class CasesPage(WorkflowPage):
    """强制报告 in the navigation. Everyone may open a case and record the police report; the
    response steps and closing are the supervisor's (the service enforces it too)."""

    key = "cases"
    title = QT_TRANSLATE_NOOP("Navigation", "Mandatory reports")  # 强制报告
    dialog_opened = Signal(object)

    @staticmethod
    def shown_for(ledger: Any) -> bool:
        return True

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.supervisor = wf.is_supervisor(context.ledger)
        self.cases: list[CaseView] = []
        self.child_list: list[ChildSummary] = []
        self.limit = wf.DEFAULT_STEP_MAX_DAYS
        self.dialog: CaseFormDialog | None = None
        self._select_after: str | None = None  # the case just written, selected after the reload
        self.heading = QLabel()
        self.heading.setObjectName("cases_heading")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.new_button = QPushButton()
        self.new_button.setObjectName("new_case")
        self.table = RowTable(self._headers())
        self.table.setObjectName("cases_table")
        self.detail = QLabel()
        self.detail.setObjectName("case_detail")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.police_button = QPushButton()
        self.police_button.setObjectName("police_report")
        self.step_button = QPushButton()
        self.step_button.setObjectName("record_step")
        self.close_button = QPushButton()
        self.close_button.setObjectName("close_case")
        self.error = QLabel()
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.new_button)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.detail, 1)
        buttons = QHBoxLayout()
        for button in (self.police_button, self.step_button, self.close_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        side_layout.addLayout(buttons)
        side_layout.addWidget(self.error)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self.step_button.setVisible(self.supervisor)
        self.close_button.setVisible(self.supervisor)
        self.new_button.clicked.connect(self.open_new_case)
        self.police_button.clicked.connect(self.open_police_report)
        self.step_button.clicked.connect(self.open_step)
        self.close_button.clicked.connect(self.open_close)
        self.table.itemSelectionChanged.connect(self.on_selection_changed)
        self.retranslate()
        self._update_buttons()

    def _headers(self) -> list[str]:
        return [self.tr("Child"), self.tr("Village"), self.tr("Situation"), self.tr("Found on"),
                self.tr("Current step"), self.tr("Days at step"), self.tr("Status")]

    def retranslate(self) -> None:
        self.table.set_headers(self._headers())
        self.new_button.setText(self.tr("New report…"))
        self.police_button.setText(self.tr("Police report…"))
        self.step_button.setText(self.tr("Record step…"))
        self.close_button.setText(self.tr("Close with feedback…"))
        if not self._stale:
            self.show_data(CasesData(self.cases, self.child_list, self.limit))

    # ---- data -------------------------------------------------------------------------------

    def load(self) -> CasesData:
        ledger = self.ledger
        return CasesData(wf.list_cases(ledger), ledger.list_children(ChildQuery()), wf.step_limit(ledger))

    def show_data(self, data: CasesData) -> None:
        self.cases, self.child_list, self.limit = data.cases, data.children, data.limit
        lang = self.language
        divisions = self.context.divisions()
        rows = []
        for c in data.cases:
            village = divisions.get(c.division_code)
            status = self.tr("Closed %1").replace("%1", fmt_date(c.closed_on)) if c.closed else self.tr("Open")
            if c.flagged:
                status = self.tr("Waiting too long at this step")
            rows.append([c.child_name, village.name if village else c.division_code, label(ReportSituation, c.situation, lang),
                         fmt_date(c.opened_on), label(CaseStep, c.current_step, lang),
                         "" if c.closed or c.days_at_step is None else str(c.days_at_step), status])
        self.table.set_rows(rows, [c.case_id for c in data.cases], [c.flagged for c in data.cases])
        if self._select_after and self.table.select_key(self._select_after):
            self._select_after = None
        elif self.table.currentRow() < 0 and data.cases:
            self.table.selectRow(0)
        open_count = sum(not c.closed for c in data.cases)
        flagged = sum(c.flagged for c in data.cases)
        self.heading.setText(
            self.tr("%1 open cases, %2 waiting more than %3 days at a step")
            .replace("%1", str(open_count)).replace("%2", str(flagged)).replace("%3", str(data.limit))
        )
        self.on_selection_changed()

    def current(self) -> CaseView | None:
        key = self.table.current_key()
        return next((c for c in self.cases if c.case_id == key), None)

    def select(self, case_id: str) -> bool:
        return self.table.select_key(case_id)

    def on_selection_changed(self) -> None:
        self.error.clear()
        self._update_buttons()
        case = self.current()
        if case is None:
            self.detail.setText(self.tr("Select a case to see its steps."))
            return
        lang = self.language
        e = html.escape
        reporter = (
            e(f"{case.reporter_name} {case.reporter_phone or ''}".strip()) if case.reporter_visible
            else self.tr("Confidential (shown to supervisors only)")
        )
        lines = [
            f"<b>{e(case.child_name)}</b> · {e(label(ReportSituation, case.situation, lang))}",
            self.tr("Found on %1 at %2").replace("%1", fmt_date(case.opened_on)).replace("%2", e(case.place)),
            self.tr("Seen: %1").replace("%1", e(case.observed)),
            self.tr("Reporter: %1").replace("%1", reporter),
        ]
        if case.police_reported_at:
            lines.append(self.tr("Reported to %1 at %2, receipt %3").replace("%1", e(case.police_unit))
                         .replace("%2", fmt_time(case.police_reported_at)).replace("%3", e(case.police_receipt)))
        else:
            lines.append("<span style='color:#b3261e'>" + self.tr("Not yet reported to the police.") + "</span>")
        lines.append("<hr>")
        for step in case.steps:
            lines.append(
                f"<b>{e(label(CaseStep, step.step, lang))}</b> {fmt_date(step.step_date)} · {e(step.actor)}<br>"
                f"{e(step.actions)}" + (f"<br><i>{e(step.outcome)}</i>" if step.outcome else "")
            )
        if case.closed:
            lines.append("<hr>" + self.tr("Closed on %1. Feedback: %2").replace("%1", fmt_date(case.closed_on))
                         .replace("%2", e(case.feedback)))
        self.detail.setText("<br>".join(lines))

    def _update_buttons(self) -> None:
        case = self.current()
        live = case is not None and not case.closed
        self.police_button.setEnabled(live)
        reported = live and case is not None and case.police_reported_at is not None
        self.step_button.setEnabled(reported and bool(self.next_steps()))
        self.close_button.setEnabled(reported)

    def next_steps(self) -> list[CaseStep]:
        case = self.current()
        if case is None:
            return []
        current = CaseStep.of(case.current_step) if case.current_step else CaseStep.MONITORING
        at = wf.STEP_ORDER.index(current)
        return [s for s in wf.RESPONSE_STEPS if wf.STEP_ORDER.index(s) >= at]

    # ---- actions ----------------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        self.error.setText(message)

    def _open(self, dialog: CaseFormDialog, key: str) -> CaseFormDialog:
        def saved(result: Any) -> None:
            self._writing = True
            try:
                self.context.notify_ledger_changed()
            finally:
                self._writing = False
            current = self.current()
            self._select_after = getattr(result, "id", None) if key == "opened" else (current.case_id if current else None)
            self.reload()
            self.written.emit(key)

        dialog.saved.connect(saved)
        self.dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog

    def open_new_case(self) -> CaseFormDialog:
        ledger = self.ledger

        def save(values: dict[str, Any]) -> Any:
            return wf.open_case(ledger, **values)

        return self._open(NewCaseDialog(save, self.context.workers, self.language, self.child_list, self), "opened")

    def open_police_report(self) -> CaseFormDialog | None:
        case = self.current()
        if case is None:
            return None
        ledger, case_id = self.ledger, case.case_id
        return self._open(
            PoliceReportDialog(lambda v: wf.record_police_report(ledger, case_id, **v), self.context.workers,
                               self.language, self),
            "reported",
        )

    def open_step(self) -> CaseFormDialog | None:
        case = self.current()
        if case is None:
            return None
        ledger, case_id = self.ledger, case.case_id
        actor = ledger.user_name
        return self._open(
            CaseStepDialog(lambda v: wf.record_step(ledger, case_id, **v), self.context.workers, self.language,
                           self.next_steps(), actor, self),
            "step",
        )

    def open_close(self) -> CaseFormDialog | None:
        case = self.current()
        if case is None:
            return None
        ledger, case_id = self.ledger, case.case_id
        return self._open(
            CloseCaseDialog(lambda v: wf.close_case(ledger, case_id, **v), self.context.workers, self.language, self),
            "closed",
        )
