"""Importing an existing Excel ledger (台账): choose the file, rehearse (dry run), look at every row, import."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import ValidationError
from ...reports.commands import run_import
from ...reports.import_apply import ImportReport
from ..context import AppContext
from ..models.report_models import ImportColumn, ImportPreviewModel
from ..widgets.progress_panel import ProgressPanel
from ..workers import Job

WRAP_ROWS_LIMIT = 2_000  # measuring every row's height is slow for a 10,000-row ledger: wrap only small ones
ChooseFileFn = Callable[[QWidget], str | None]
ChooseSaveFn = Callable[[QWidget, str], str | None]  # (parent, suggested file name) -> path or None


def choose_workbook(parent: QWidget) -> str | None:
    """The default picker: an Excel workbook anywhere on the computer."""
    path, _ = QFileDialog.getOpenFileName(
        parent,
        QCoreApplication.translate("FileDialogs", "Choose an Excel ledger"),
        str(Path.home()),
        QCoreApplication.translate("FileDialogs", "Excel workbooks (*.xlsx *.xlsm)"),
    )
    return path or None


def choose_save_path(parent: QWidget, suggested: str) -> str | None:
    """The default save dialog, starting in the user's documents with the suggested name."""
    suffix = Path(suggested).suffix.lower()
    if suffix == ".pdf":
        kinds = QCoreApplication.translate("FileDialogs", "PDF files (*.pdf)")
    else:
        kinds = QCoreApplication.translate("FileDialogs", "Excel workbooks (*.xlsx)")
    title = QCoreApplication.translate("FileDialogs", "Save as")
    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / suggested), kinds)
    if not path:
        return None
    return path if path.lower().endswith(suffix) else path + suffix


def error_text(error: BaseException, language: str) -> str:
    """A ValidationError in the UI language; anything else as Python words it."""
    if isinstance(error, ValidationError):
        return f"{error.field_label.get(language)}：{error.message.get(language)}"
    return str(error) or type(error).__name__


def _sheet_names(path: Path) -> list[str]:
    workbook = load_workbook(path, read_only=True)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


class ImportDialog(QDialog):
    """Choose → dry run (preview of every row) → import in one transaction on the write thread."""

    dry_run_finished = Signal(object)  # ImportReport with dry_run=True
    import_finished = Signal(object)  # ImportReport of the real run
    failed = Signal(object)  # the exception
    cancelled = Signal()  # the run stopped at the user's request; nothing was written

    def __init__(self, context: AppContext, parent: QWidget | None = None, *, choose_file: ChooseFileFn | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("import_dialog")
        self.context = context
        self.language = context.language
        self.choose_file = choose_file or choose_workbook
        self.path: Path | None = None
        self.report: ImportReport | None = None
        self.job: Job | None = None
        self._filling_sheets = False

        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # a path all selected on opening looks like a prompt
        self.browse_button = QPushButton()
        self.sheet_label = QLabel()
        self.sheet = QComboBox()
        self.sheet.setMinimumWidth(160)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setProperty("role", "hint")
        self.model = ImportPreviewModel(self, language=self.language)
        self.table = QTableView()
        self.table.setObjectName("import_preview")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)  # a refusal's reason can be long: it wraps instead of ending in "…"
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ImportColumn.REASON, QHeaderView.ResizeMode.Stretch)
        for column, width in ((ImportColumn.ROW, 56), (ImportColumn.NAME, 100), (ImportColumn.ID_NUMBER, 170), (ImportColumn.ACTION, 64)):
            self.table.setColumnWidth(column, width)
        self.summary = QLabel()
        self.summary.setObjectName("import_summary")
        self.summary.setWordWrap(True)
        self.progress = ProgressPanel(self)
        self.dry_run_button = QPushButton()
        self.import_button = QPushButton()
        self.import_button.setObjectName("import_apply")
        self.import_button.setEnabled(False)
        self.close_button = QPushButton()

        choose = QHBoxLayout()
        choose.addWidget(self.file_edit, 1)
        choose.addWidget(self.browse_button)
        choose.addSpacing(12)
        choose.addWidget(self.sheet_label)
        choose.addWidget(self.sheet)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.dry_run_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(choose)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)

        self.browse_button.clicked.connect(self.on_browse_clicked)
        self.sheet.currentIndexChanged.connect(self.on_sheet_changed)
        self.dry_run_button.clicked.connect(self.start_dry_run)
        self.import_button.clicked.connect(self.start_import)
        self.close_button.clicked.connect(self.reject)
        self.resize(900, 560)
        self.retranslate()
        self._update_buttons()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Import an Excel ledger"))
        self.browse_button.setText(self.tr("Choose file…"))
        self.sheet_label.setText(self.tr("Sheet:"))
        if self.sheet.count() == 0:
            self.sheet.addItem(self.tr("(find it)"), None)
        else:
            self.sheet.setItemText(0, self.tr("(find it)"))
        self.hint.setText(self.tr(
            "First a trial run checks every row and writes nothing. Look at the rows refused and why; "
            "fix them in Excel and try again, or import the others. A child whose ID number is already "
            "on file is updated, never added twice."
        ))
        self.dry_run_button.setText(self.tr("Check again"))
        self.import_button.setText(self.tr("Import"))
        self.close_button.setText(self.tr("Close"))
        if self.model.language != self.context.language:
            self.language = self.model.language = self.context.language
            self.model.set_report(self.report)
            if self.report is not None:
                self._show(self.report, [])

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ---- choosing ---------------------------------------------------------------------------

    def on_browse_clicked(self) -> None:
        chosen = self.choose_file(self)
        if chosen:
            self.set_file(chosen)

    def set_file(self, path: str | Path) -> None:
        """Take this workbook and start its dry run at once."""
        self.path = Path(path)
        self.file_edit.setText(str(self.path))
        self._filling_sheets = True
        while self.sheet.count() > 1:
            self.sheet.removeItem(1)
        self.sheet.setCurrentIndex(0)
        self._filling_sheets = False
        self.start_dry_run()

    def on_sheet_changed(self, _index: int) -> None:
        if not self._filling_sheets and self.path is not None:
            self.start_dry_run()

    # ---- dry run and import -----------------------------------------------------------------

    def _run(self, dry_run: bool) -> Job | None:
        if self.path is None or self.job is not None:
            return None
        ledger, path, sheet = self.context.ledger, self.path, self.sheet.currentData()
        list_sheets = self.sheet.count() == 1

        def work(*, progress: Any, cancel: Any) -> tuple[ImportReport, list[str]]:
            report = run_import(ledger, path, sheet, dry_run, progress=progress, cancel=cancel)
            return report, _sheet_names(path) if list_sheets else []

        # Both runs write (a dry run writes and rolls back): the single ledger-write thread.
        job = self.context.workers.run(work, write=True, name="import-dry-run" if dry_run else "import")
        self.job = job
        job.signals.succeeded.connect(self.on_dry_run_succeeded if dry_run else self.on_import_succeeded)
        job.signals.failed.connect(self.on_job_failed)
        job.signals.cancelled.connect(self.on_job_cancelled)
        job.signals.finished.connect(self.on_job_finished)
        self.progress.watch(job, self.tr("Checking every row…") if dry_run else self.tr("Importing…"))
        self.summary.setText("")
        self._update_buttons()
        return job

    def start_dry_run(self) -> Job | None:
        return self._run(True)

    def start_import(self) -> Job | None:
        if self.report is None or not self.report.dry_run:
            return None
        return self._run(False)

    def _show(self, report: ImportReport, sheets: list[str]) -> None:
        self.report = report
        if sheets:
            self._filling_sheets = True
            for name in sheets:
                self.sheet.addItem(name, name)
            self._filling_sheets = False
        self.model.set_report(report)
        if len(report.rows) <= WRAP_ROWS_LIMIT:
            self.table.resizeRowsToContents()
        text = report.summary().get(self.language)
        if report.unmapped_columns:
            text += "\n" + self.tr("Columns not read: %1").replace("%1", "、".join(report.unmapped_columns))
        self.summary.setText(text)

    def on_dry_run_succeeded(self, result: tuple[ImportReport, list[str]]) -> None:
        report, sheets = result
        self._show(report, sheets)
        self.dry_run_finished.emit(report)

    def on_import_succeeded(self, result: tuple[ImportReport, list[str]]) -> None:
        report, _ = result
        self._show(report, [])
        self.summary.setText(self.tr("Import finished. %1").replace("%1", report.summary().get(self.language)))
        self.context.notify_ledger_changed()
        self.import_finished.emit(report)

    def on_job_failed(self, error: Exception) -> None:
        self.report = None
        self.model.set_report(None)
        self.summary.setText(self.tr("Could not import: %1").replace("%1", error_text(error, self.language)))
        self.failed.emit(error)

    def on_job_cancelled(self) -> None:
        self.summary.setText(self.tr("Stopped. The import is one transaction: nothing was written."))
        self.cancelled.emit()

    def on_job_finished(self) -> None:
        self.job = None
        self._update_buttons()

    def _update_buttons(self) -> None:
        idle = self.job is None
        report = self.report
        writable = report is not None and report.dry_run and (report.count("created") + report.count("updated")) > 0
        self.browse_button.setEnabled(idle)
        self.sheet.setEnabled(idle and self.path is not None)
        self.dry_run_button.setEnabled(idle and self.path is not None)
        self.import_button.setEnabled(idle and writable)

    def reject(self) -> None:
        # The import is one transaction: cancelling rolls it back whole, nothing half-written.
        if self.job is not None:
            self.job.cancel()
        super().reject()

    def keyPressEvent(self, event: Any) -> None:
        # Enter must not start an import by accident (the default button of a dialog).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return
        super().keyPressEvent(event)
