"""审核: a supervisor's queue of village requests (approve, or return with a comment) with every
round of the child's history; a village director sees the outcome of their own requests and
resubmits a returned one after correcting the file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...domain.enums import LabeledEnum, ReviewStatus
from ...ledger import workflows as wf
from ...ledger.workflows import ReviewKind, ReviewRow, ReviewStage
from ...sync.engine import SERVER_URL
from ..context import AppContext
from ..dialogs.conflicts_dialog import ConflictsDialog
from ..i18n import QT_TRANSLATE_NOOP
from ._navigation import open_child
from ._workflow_common import RowTable, WorkflowPage, fmt_date, fmt_time


def label(enum: type[LabeledEnum], code: str, language: str) -> str:
    member = enum._value2member_map_.get(code)
    return member.label.get(language) if isinstance(member, LabeledEnum) else code


@dataclass(frozen=True)
class ReviewData:
    rows: list[ReviewRow]
    supervisor: bool
    unsubmitted: list[tuple[str, str]] = field(default_factory=list)  # (child id, name), director only


class ReviewPage(WorkflowPage):
    """审核 in the navigation: the queue for supervisors, "my requests" for a village director."""

    key = "review"
    title = QT_TRANSLATE_NOOP("Navigation", "Reviews")  # 审核
    history_loaded = Signal()

    @staticmethod
    def shown_for(ledger: Any) -> bool:
        return True  # directors need to see returned requests and resubmit them

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.supervisor = wf.is_supervisor(context.ledger)
        self.rows: list[ReviewRow] = []
        self.history: list[ReviewRow] = []
        self.heading = QLabel()
        self.heading.setObjectName("review_heading")
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        self.table = RowTable(self._headers())
        self.table.setObjectName("review_queue")
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.open_file = QPushButton()
        self.history_title = QLabel()
        self.history_table = RowTable(self._history_headers())
        self.history_table.setObjectName("review_history")
        self.comment = QPlainTextEdit()
        self.comment.setObjectName("review_comment")
        self.comment.setMaximumHeight(90)
        self.approve_button = QPushButton()
        self.approve_button.setObjectName("approve")
        self.return_button = QPushButton()
        self.return_button.setObjectName("return")
        self.resubmit_button = QPushButton()
        self.resubmit_button.setObjectName("resubmit")
        self.error = QLabel()
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.conflicts_button = QPushButton()
        self.conflicts_button.setObjectName("open_conflicts")
        self.conflicts_dialog: ConflictsDialog | None = None
        self.unsubmitted: list[tuple[str, str]] = []
        self.unsubmitted_title = QLabel()
        self.unsubmitted_table = RowTable([self.tr("Child")])
        self.unsubmitted_table.setObjectName("unsubmitted")
        self.unsubmitted_table.setMaximumHeight(160)
        self.submit_button = QPushButton()
        self.submit_button.setObjectName("submit_file")

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.detail)
        side_layout.addWidget(self.open_file, 0, Qt.AlignmentFlag.AlignLeft)
        side_layout.addWidget(self.history_title)
        side_layout.addWidget(self.history_table, 1)
        side_layout.addWidget(self.comment)
        buttons = QHBoxLayout()
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.return_button)
        buttons.addWidget(self.resubmit_button)
        buttons.addStretch(1)
        side_layout.addLayout(buttons)
        side_layout.addWidget(self.error)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.unsubmitted_title)
        left_layout.addWidget(self.unsubmitted_table)
        left_layout.addWidget(self.submit_button, 0, Qt.AlignmentFlag.AlignLeft)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.conflicts_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self.approve_button.setVisible(self.supervisor)
        self.return_button.setVisible(self.supervisor)
        self.resubmit_button.setVisible(not self.supervisor)
        # Conflicting edits are the supervisor's to settle, through the server they were kept on.
        self.conflicts_button.setVisible(self.supervisor)
        # A director also sends files that were saved without a review request.
        for widget in (self.unsubmitted_title, self.unsubmitted_table, self.submit_button):
            widget.setVisible(not self.supervisor)
        self.submit_button.clicked.connect(self.submit_file)
        self.unsubmitted_table.itemSelectionChanged.connect(self._update_buttons)
        self.conflicts_button.clicked.connect(self.open_conflicts)
        self.table.itemSelectionChanged.connect(self.on_selection_changed)
        self.table.activated.connect(self.on_request_activated)
        self.open_file.clicked.connect(self.on_open_file_clicked)
        self.approve_button.clicked.connect(lambda: self.decide(approve=True))
        self.return_button.clicked.connect(lambda: self.decide(approve=False))
        self.resubmit_button.clicked.connect(self.resubmit)
        self.retranslate()
        self._update_buttons()

    # ---- texts ------------------------------------------------------------------------------

    def _headers(self) -> list[str]:
        return [self.tr("Child"), self.tr("Village"), self.tr("Request"), self.tr("Round"), self.tr("Status"),
                self.tr("Submitted by"), self.tr("Submitted"), self.tr("Due"), self.tr("Comment")]

    def _history_headers(self) -> list[str]:
        return [self.tr("Round"), self.tr("Request"), self.tr("Step"), self.tr("Status"), self.tr("Submitted"),
                self.tr("Note"), self.tr("Decided by"), self.tr("Comment")]

    def retranslate(self) -> None:
        self.table.set_headers(self._headers())
        self.history_table.set_headers(self._history_headers())
        self.open_file.setText(self.tr("Open the child's file"))
        self.conflicts_button.setText(self.tr("Conflicting edits…"))
        self.unsubmitted_title.setText(self.tr("Files not yet sent for review"))
        self.unsubmitted_table.set_headers([self.tr("Child")])
        self.submit_button.setText(self.tr("Send for review"))
        self.history_title.setText(self.tr("All rounds for this child"))
        self.approve_button.setText(self.tr("Approve"))
        self.return_button.setText(self.tr("Return with comment"))
        self.resubmit_button.setText(self.tr("Resubmit after correcting"))
        self.comment.setPlaceholderText(
            self.tr("Comment (required when returning: say what to correct)") if self.supervisor
            else self.tr("Note to the supervisor (what was corrected)")
        )
        if self.rows or not self._stale:
            self.show_data(ReviewData(self.rows, self.supervisor, self.unsubmitted))

    # ---- data -------------------------------------------------------------------------------

    def load(self) -> ReviewData:
        ledger = self.ledger
        if self.supervisor:
            return ReviewData(wf.review_queue(ledger), True)
        return ReviewData(wf.submissions(ledger), False, wf.unsubmitted_files(ledger))

    def show_data(self, data: ReviewData) -> None:
        self.rows = data.rows
        self.unsubmitted = data.unsubmitted
        self.unsubmitted_table.set_rows([[name] for _, name in data.unsubmitted], [cid for cid, _ in data.unsubmitted])
        lang = self.language
        divisions = self.context.divisions()
        table_rows = []
        for r in data.rows:
            village = divisions.get(r.division_code)
            table_rows.append([
                r.child_name,
                village.name if village else r.division_code,
                self._kind_text(r),
                str(r.round),
                label(ReviewStatus, r.status, lang) + (self.tr(" (overdue)") if r.overdue else ""),
                r.submitted_by,
                fmt_time(r.submitted_at),
                fmt_date(r.due_on),
                r.comment or r.submit_note,
            ])
        self.table.set_rows(table_rows, [r.review_id for r in data.rows],
                            [r.overdue or r.status == ReviewStatus.RETURNED for r in data.rows])
        overdue = sum(r.overdue for r in data.rows)
        if self.supervisor:
            text = self.tr("%1 requests waiting for your decision").replace("%1", str(len(data.rows)))
            if overdue:
                text += self.tr(", %1 overdue").replace("%1", str(overdue))
        else:
            returned = sum(r.status == ReviewStatus.RETURNED for r in data.rows)
            text = self.tr("My requests: %1 returned for correction").replace("%1", str(returned))
        self.heading.setText(text)
        if self.table.currentRow() < 0 and data.rows:
            self.table.selectRow(0)
        self.on_selection_changed()

    def _kind_text(self, row: ReviewRow) -> str:
        kind = label(ReviewKind, row.kind, self.language)
        if row.kind == ReviewKind.NO_CARER:
            kind += " · " + label(ReviewStage, row.stage, self.language)
        return kind

    def current(self) -> ReviewRow | None:
        key = self.table.current_key()
        return next((r for r in self.rows if r.review_id == key), None)

    def select(self, review_id: str) -> bool:
        return self.table.select_key(review_id)

    def on_selection_changed(self) -> None:
        row = self.current()
        self.error.clear()
        self._update_buttons()
        if row is None:
            self.detail.setText(self.tr("Nothing selected."))
            self.history_table.set_rows([], [])
            return
        village = self.context.divisions().get(row.division_code)
        lines = [
            f"<b>{row.child_name}</b> · {village.name if village else row.division_code}",
            self.tr("Request: %1, round %2").replace("%1", self._kind_text(row)).replace("%2", str(row.round)),
            self.tr("Submitted by %1 on %2").replace("%1", row.submitted_by).replace("%2", fmt_time(row.submitted_at)),
        ]
        if row.due_on:
            lines.append(self.tr("Due by %1").replace("%1", fmt_date(row.due_on))
                         + (" — " + self.tr("overdue") if row.overdue else ""))
        if row.submit_note:
            lines.append(self.tr("Note: %1").replace("%1", row.submit_note))
        if row.status == ReviewStatus.RETURNED:
            lines.append(self.tr("Returned by %1: %2").replace("%1", row.decided_by).replace("%2", row.comment))
        self.detail.setText("<br>".join(lines))
        child_id = row.child_id
        ledger = self.ledger
        self._reads.run("history", lambda: wf.history_rows(ledger, child_id), self._show_history)

    def _show_history(self, rows: list[ReviewRow]) -> None:
        self.history = rows
        lang = self.language
        self.history_table.set_rows(
            [[str(r.round), label(ReviewKind, r.kind, lang), label(ReviewStage, r.stage, lang),
              label(ReviewStatus, r.status, lang), fmt_time(r.submitted_at), r.submit_note, r.decided_by, r.comment]
             for r in rows],
            [r.review_id for r in rows],
            [r.status == ReviewStatus.RETURNED for r in rows],
        )
        self.history_loaded.emit()

    def _update_buttons(self) -> None:
        row = self.current()
        pending = row is not None and row.status == ReviewStatus.SUBMITTED
        self.approve_button.setEnabled(pending)
        self.return_button.setEnabled(pending)
        self.resubmit_button.setEnabled(row is not None and row.status == ReviewStatus.RETURNED)
        self.open_file.setEnabled(row is not None)
        self.submit_button.setEnabled(self.unsubmitted_table.current_key() is not None)

    # ---- actions ----------------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        self.error.setText(message)

    def decide(self, *, approve: bool) -> None:
        row = self.current()
        if row is None:
            return
        comment = self.comment.toPlainText().strip()
        if not approve and not comment:
            self.error.setText(self.tr("Write what needs correcting before returning the file."))
            self.comment.setFocus()
            return
        ledger = self.ledger
        review_id = row.review_id
        self.comment.clear()
        self.write(lambda: wf.decide_review(ledger, review_id, approve=approve, comment=comment),
                   "approved" if approve else "returned")

    def submit_file(self) -> None:
        child_id = self.unsubmitted_table.current_key()
        if child_id is None:
            return
        ledger = self.ledger
        comment = self.comment.toPlainText().strip()
        self.comment.clear()
        self.write(lambda: wf.submit_for_review(ledger, child_id=child_id, kind=wf.ReviewKind.NEW_FILE, comment=comment),
                   "submitted")

    def resubmit(self) -> None:
        row = self.current()
        if row is None:
            return
        ledger = self.ledger
        review_id = row.review_id
        comment = self.comment.toPlainText().strip()
        self.comment.clear()
        self.write(lambda: wf.resubmit(ledger, review_id, comment=comment), "resubmitted")

    def open_conflicts(self) -> ConflictsDialog | None:
        if not self.ledger.meta(SERVER_URL):
            self.error.setText(self.tr("This ledger is not enrolled with a sync server."))
            return None
        dialog = ConflictsDialog(self.ledger, self, language=self.language, workers=self.context.workers)
        dialog.resolved.connect(lambda *_: self._after_sync())
        self.conflicts_dialog = dialog
        dialog.open()
        dialog.load()
        return dialog

    def _after_sync(self) -> None:
        self.context.notify_ledger_changed()
        self.reload()

    def on_request_activated(self, _review_id: str) -> None:
        self.on_open_file_clicked()

    def on_open_file_clicked(self) -> None:
        row = self.current()
        if row is not None:
            open_child(self, row.child_id)
