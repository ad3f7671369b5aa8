"""督导总览: one row per village of the township (per township for the county) with children on
file, overdue visits, high risk, open cases, pending reviews and when it was last heard from;
places silent for 14 days or more stand out. Double-click opens that place's children."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ...domain.enums import Role
from ...ledger import workflows as wf
from ...ledger.workflows import ApprovalRow, OverviewRow, ReviewStage
from ..context import AppContext
from ..dialogs.village_children import VillageChildrenDialog
from ..i18n import QT_TRANSLATE_NOOP
from ._navigation import open_child
from ._workflow_common import RowTable, WorkflowPage, fmt_date, fmt_time, stacked_tables
from .review_page import label


@dataclass(frozen=True)
class OverviewData:
    rows: list[OverviewRow]
    approvals: list[ApprovalRow]


class TownshipPage(WorkflowPage):
    """督导总览 in the navigation, for township supervisors and county administrators."""

    key = "township"
    title = QT_TRANSLATE_NOOP("Navigation", "Township overview")  # 督导总览
    village_opened = Signal(str)

    @staticmethod
    def shown_for(ledger: Any) -> bool:
        return bool(wf.is_supervisor(ledger))

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.county = context.ledger.role is Role.COUNTY_ADMIN
        self.rows: list[OverviewRow] = []
        self.approvals: list[ApprovalRow] = []
        self.children_dialog: VillageChildrenDialog | None = None
        self.heading = QLabel()
        self.heading.setObjectName("township_heading")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.table = RowTable(self._headers())
        self.table.setObjectName("overview_table")
        self.approvals_title = QLabel()
        self.approvals_table = RowTable(self._approval_headers())
        self.approvals_table.setObjectName("approvals_table")
        splitter = stacked_tables(self.table, self.approvals_title, self.approvals_table)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(splitter, 1)
        self.table.activated.connect(self.open_village)
        self.approvals_table.activated.connect(self.on_approval_activated)
        self.retranslate()

    def _headers(self) -> list[str]:
        return [self.tr("Township") if self.county else self.tr("Village"), self.tr("Children on file"),
                self.tr("Overdue visits"), self.tr("High risk"), self.tr("Open cases"), self.tr("Pending reviews"),
                self.tr("Last heard from")]

    def _approval_headers(self) -> list[str]:
        return [self.tr("Child"), self.tr("Village"), self.tr("Step"), self.tr("Round"), self.tr("Due"),
                self.tr("Working days left")]

    def retranslate(self) -> None:
        self.table.set_headers(self._headers())
        self.approvals_table.set_headers(self._approval_headers())
        self.approvals_title.setText(self.tr("No-carer status applications under way (10 + 5 working days)"))
        if not self._stale:
            self.show_data(OverviewData(self.rows, self.approvals))

    def load(self) -> OverviewData:
        ledger = self.ledger
        return OverviewData(wf.overview_rows(ledger), wf.approval_rows(ledger))

    def show_data(self, data: OverviewData) -> None:
        self.rows, self.approvals = data.rows, data.approvals
        now = datetime.now(UTC)
        table = []
        for r in data.rows:
            if r.last_heard is None:
                heard = self.tr("never")
            else:
                days = (now - r.last_heard).days
                heard = fmt_time(r.last_heard) + (self.tr(" (%1 days ago)").replace("%1", str(days)) if days else "")
            table.append([r.name, str(r.children), str(r.overdue_visits), str(r.high_risk), str(r.open_cases),
                          str(r.pending_reviews), heard])
        self.table.set_rows(table, [r.division_code for r in data.rows], [r.silent for r in data.rows])
        divisions = self.context.divisions()
        lang = self.language
        approval_rows = []
        for a in data.approvals:
            village = divisions.get(a.division_code)
            left = "" if a.working_days_left is None else str(a.working_days_left)
            approval_rows.append([a.child_name, village.name if village else a.division_code,
                                  label(ReviewStage, a.stage, lang), str(a.round), fmt_date(a.due_on),
                                  self.tr("overdue") if a.overdue else left])
        self.approvals_table.set_rows(approval_rows, [a.review_id for a in data.approvals],
                                      [a.overdue for a in data.approvals])
        silent = sum(r.silent for r in data.rows)
        places = self.tr("townships") if self.county else self.tr("villages")
        self.heading.setText(
            self.tr("%1 %2, %3 children on file; %4 not heard from for %5 days or more")
            .replace("%1", str(len(data.rows))).replace("%2", places)
            .replace("%3", str(sum(r.children for r in data.rows))).replace("%4", str(silent))
            .replace("%5", str(wf.SILENT_DAYS))
        )

    def open_village(self, code: str) -> VillageChildrenDialog:
        """That village's (or township's) children, in a window; a double-click opens a file."""
        row = next((r for r in self.rows if r.division_code == code), None)
        title = self.tr("Children of %1").replace("%1", row.name if row else code)
        dialog = VillageChildrenDialog(self.ledger, code, title, self, language=self.language,
                                       workers=self.context.workers)
        dialog.child_opened.connect(self.on_child_opened)
        self.children_dialog = dialog
        dialog.open()
        dialog.load()
        self.village_opened.emit(code)
        return dialog

    def on_child_opened(self, child_id: str) -> None:
        if self.children_dialog is not None:
            self.children_dialog.accept()
        open_child(self, child_id)

    def on_approval_activated(self, review_id: str) -> None:
        approval = next((a for a in self.approvals if a.review_id == review_id), None)
        if approval is not None:
            open_child(self, approval.child_id)
