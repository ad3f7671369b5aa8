"""报表: the monthly report for a month and an area, its preview and totals, the Excel export, the ledger import."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import QDate, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.divisions import load_divisions
from ...domain.text import Text
from ...ledger import Ledger
from ...progress import Progress
from ...reports.common import translator
from ...reports.monthly import MonthlyReport, compute_monthly
from ...reports.monthly_excel import write_monthly_workbook
from ..context import AppContext
from ..dialogs.import_dialog import (
    ChooseFileFn,
    ChooseSaveFn,
    ImportDialog,
    choose_save_path,
    error_text,
)
from ..models.report_models import MonthlyReportModel
from ..widgets.progress_panel import ProgressPanel
from ..workers import Job
from .base import NAV_TITLES, Page

OpenUrlFn = Callable[[QUrl], bool]


def last_month(today: date | None = None) -> date:
    first = (today or date.today()).replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def scope_choices(ledger: Ledger, language: str) -> list[tuple[str, str]]:
    """(code, label) of the areas this ledger may report on: its own area first, then the units under it.

    A village ledger has only its village; a township ledger adds each village; a county ledger
    each township (a township report then has a row per village).
    """
    divisions = load_divisions()
    own = ledger.village_code
    division = divisions.get(own)
    whole = division.name if division is not None else own
    if len(own) < 12:
        whole = Text(f"{whole}（全部）", f"{whole} (all)").get(language)
    choices = [(own, whole)]
    if len(own) == 9:
        choices += [(d.code, d.name) for d in divisions.under(own, level=5) if d.code != own]
    elif len(own) < 9:
        choices += [(d.code, d.name) for d in divisions.under(own, level=4) if d.code != own]
    return choices


class ReportsPage(Page):
    """Month and area → "Make report" (worker, progress) → preview with totals → export to Excel."""

    key: ClassVar[str] = "reports"
    title: ClassVar[str] = NAV_TITLES["reports"]

    report_ready = Signal(object)  # MonthlyReport
    report_failed = Signal(object)  # the exception
    exported = Signal(str)  # the workbook's path
    export_failed = Signal(object)

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        choose_save: ChooseSaveFn | None = None,
        choose_file: ChooseFileFn | None = None,
        open_url: OpenUrlFn | None = None,
    ) -> None:
        super().__init__(context, parent)
        self.choose_save = choose_save or choose_save_path
        self.choose_file = choose_file
        self.open_url = open_url or QDesktopServices.openUrl
        self.report: MonthlyReport | None = None
        self.exported_path: Path | None = None
        self.job: Job | None = None
        self.import_dialog: ImportDialog | None = None
        language = context.language

        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.month_label = QLabel()
        self.month = QDateEdit()
        self.month.setObjectName("report_month")
        self.month.setCalendarPopup(True)
        default = last_month()
        self.month.setDate(QDate(default.year, default.month, 1))
        self.month.setMaximumDate(QDate.currentDate())
        self.scope_label = QLabel()
        self.scope = QComboBox()
        self.scope.setObjectName("report_scope")
        self.scope.setMinimumWidth(200)
        for code, label in scope_choices(context.ledger, language):
            self.scope.addItem(label, code)
        self.scope.setEnabled(self.scope.count() > 1)
        self.generate_button = QPushButton()
        self.generate_button.setObjectName("generate_report")
        self.generate_button.setDefault(True)
        self.import_button = QPushButton()
        self.import_button.setObjectName("open_import")

        self.caption = QLabel()
        self.caption.setObjectName("report_caption")
        self.caption.setWordWrap(True)
        self.model = MonthlyReportModel(self, language=language)
        self.table = QTableView()
        self.table.setObjectName("report_preview")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(92)
        header.setMinimumHeight(self.fontMetrics().height() * 2 + 12)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(MonthlyReportModel.UNIT_COLUMN, 160)
        self.progress = ProgressPanel(self)

        self.full_ids = QCheckBox()
        self.full_ids.setObjectName("export_full_ids")
        self.full_ids_warning = QLabel()
        self.full_ids_warning.setObjectName("full_ids_warning")
        self.full_ids_warning.setStyleSheet("color: #b3261e;")
        self.full_ids_warning.setVisible(False)
        self.export_button = QPushButton()
        self.export_button.setObjectName("export_report")
        self.export_button.setEnabled(False)
        self.open_folder_button = QPushButton()
        self.open_folder_button.setObjectName("open_report_folder")
        self.open_folder_button.setEnabled(False)
        self.status = QLabel()
        self.status.setObjectName("report_status")
        self.status.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.month_label)
        top.addWidget(self.month)
        top.addSpacing(16)
        top.addWidget(self.scope_label)
        top.addWidget(self.scope)
        top.addSpacing(16)
        top.addWidget(self.generate_button)
        top.addStretch(1)
        top.addWidget(self.import_button)
        export = QHBoxLayout()
        export.addWidget(self.full_ids)
        export.addWidget(self.full_ids_warning)
        export.addStretch(1)
        export.addWidget(self.export_button)
        export.addWidget(self.open_folder_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(self.caption)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progress)
        layout.addLayout(export)
        layout.addWidget(self.status)

        self.generate_button.clicked.connect(self.generate)
        self.export_button.clicked.connect(self.on_export_clicked)
        self.open_folder_button.clicked.connect(self.open_folder)
        self.import_button.clicked.connect(self.open_import_dialog)
        self.full_ids.toggled.connect(self.full_ids_warning.setVisible)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Monthly report"))
        self.month_label.setText(self.tr("Month:"))
        self.scope_label.setText(self.tr("Area:"))
        self.generate_button.setText(self.tr("Make report"))
        self.import_button.setText(self.tr("Import Excel ledger…"))
        self.full_ids.setText(self.tr("Export full ID numbers"))
        self.full_ids_warning.setText(self.tr("Full ID numbers are personal data: this export is recorded in the audit log."))
        self.export_button.setText(self.tr("Export Excel…"))
        self.open_folder_button.setText(self.tr("Open folder"))
        self._apply_language()

    def _apply_language(self) -> None:
        """Code-list labels, area names and the preview follow the chosen language (the app switches live)."""
        language = self.context.language
        self.month.setDisplayFormat("yyyy-MM" if language.startswith("en") else "yyyy年M月")
        for index, (code, label) in enumerate(scope_choices(self.context.ledger, language)):
            if self.scope.itemData(index) == code:
                self.scope.setItemText(index, label)
        if self.model.language != language:
            self.model.language = language
            self.model.set_report(self.report)
        self._show_caption()

    def _show_caption(self) -> None:
        report = self.report
        if report is None:
            self.caption.setText(self.tr("Choose the month and the area, then press “Make report”."))
            return
        totals = report.totals
        self.caption.setText(
            self.tr("%1, %2: %3 children on file, %4 new files, %5 visits done, %6 overdue.")
            .replace("%1", report.month_label.get(self.context.language))
            .replace("%2", report.scope_name)
            .replace("%3", f"{int(totals['on_file']):,}")
            .replace("%4", f"{int(totals['new_files']):,}")
            .replace("%5", f"{int(totals['visits_done']):,}")
            .replace("%6", f"{int(totals['visits_overdue']):,}")
        )

    def page_shown(self) -> None:
        """Nothing to read up front: the report is made when asked for."""

    def ledger_changed(self) -> None:
        # A report on screen may now be out of date; say so rather than recount unasked.
        if self.report is not None:
            self.status.setText(self.tr("The ledger has changed since this report was made; make it again to update it."))

    # ---- making the report ------------------------------------------------------------------

    def chosen_month(self) -> date:
        qdate = self.month.date()
        return date(qdate.year(), qdate.month(), 1)

    def generate(self) -> Job | None:
        if self.job is not None:
            return None
        ledger, month, scope = self.context.ledger, self.chosen_month(), self.scope.currentData()
        message = self.tr("Counting…")

        def work(*, progress: Any, cancel: Any) -> MonthlyReport:
            progress(Progress(0, 0, message))  # a handful of GROUP BY queries: no steps to count
            report = compute_monthly(ledger, month=month, scope=scope)
            cancel.raise_if_cancelled()
            return report

        job = self._start(work, write=False, message=message)
        job.signals.succeeded.connect(self.on_report_succeeded)
        job.signals.failed.connect(self.on_report_failed)
        return job

    def _start(self, work: Any, *, write: bool, message: str) -> Job:
        job = self.context.workers.run(work, write=write, name=f"reports:{message}")
        self.job = job
        job.signals.finished.connect(self.on_job_finished)
        self.progress.watch(job, message)
        self._update_buttons()
        return job

    def on_report_succeeded(self, report: MonthlyReport) -> None:
        self.report = report
        self.exported_path = None
        self.model.set_report(report)
        # Category names are long ("困境儿童（监护缺失或不当）"): fit each column to its header and figures.
        self.table.resizeColumnsToContents()
        self._show_caption()
        self.status.setText("")
        self.report_ready.emit(report)

    def on_report_failed(self, error: Exception) -> None:
        self.status.setText(self.tr("Could not make the report: %1").replace("%1", error_text(error, self.context.language)))
        self.report_failed.emit(error)

    def on_job_finished(self) -> None:
        self.job = None
        self._update_buttons()

    def _update_buttons(self) -> None:
        idle = self.job is None
        self.generate_button.setEnabled(idle)
        self.export_button.setEnabled(idle and self.report is not None)
        self.open_folder_button.setEnabled(self.exported_path is not None)

    # ---- export -----------------------------------------------------------------------------

    def suggested_name(self) -> str:
        assert self.report is not None
        if self.context.language.startswith("en"):
            return f"monthly-report-{self.report.month:%Y-%m}.xlsx"
        return f"{self.report.scope_name.split()[-1] if self.report.scope_name else ''}月报{self.report.month:%Y-%m}.xlsx"

    def on_export_clicked(self) -> Job | None:
        if self.report is None or self.job is not None:
            return None
        chosen = self.choose_save(self, self.suggested_name())
        if not chosen:
            return None
        return self.export_to(Path(chosen))

    def export_to(self, path: Path) -> Job | None:
        """Write the form and roster to `path` on the ledger-write thread (the export is audited)."""
        if self.report is None or self.job is not None:
            return None
        report, ledger, full_ids = self.report, self.context.ledger, self.full_ids.isChecked()
        translate = translator(self.context.language)

        def work(*, progress: Any, cancel: Any) -> Path:
            # Stopped while still queued behind another write: the writer itself only looks every 2,000 rows.
            cancel.raise_if_cancelled()
            return write_monthly_workbook(
                report, path, unit_name=report.scope_name, filled_by=ledger.user_name, filled_on=date.today(),
                translate=translate, ledger=ledger, full_ids=full_ids, progress=progress, cancel=cancel,
            )

        job = self._start(work, write=True, message=self.tr("Writing the workbook…"))
        job.signals.succeeded.connect(self.on_export_succeeded)
        job.signals.failed.connect(self.on_export_failed)
        job.signals.cancelled.connect(self.on_export_cancelled)
        return job

    def on_export_succeeded(self, path: Path) -> None:
        self.exported_path = Path(path)
        self.status.setText(self.tr("Saved: %1").replace("%1", str(path)))
        self._update_buttons()
        self.exported.emit(str(path))

    def on_export_failed(self, error: Exception) -> None:
        self.status.setText(self.tr("Could not save the workbook: %1").replace("%1", error_text(error, self.context.language)))
        self.export_failed.emit(error)

    def on_export_cancelled(self) -> None:
        # The writer saves beside the target and moves it over at the end: a stop leaves no file.
        self.status.setText(self.tr("Export stopped; no file was written."))

    def open_folder(self) -> bool:
        if self.exported_path is None:
            return False
        return bool(self.open_url(QUrl.fromLocalFile(str(self.exported_path.parent))))

    # ---- import -----------------------------------------------------------------------------

    def open_import_dialog(self) -> ImportDialog:
        if self.import_dialog is None:
            self.import_dialog = ImportDialog(self.context, self, choose_file=self.choose_file)
        self.import_dialog.show()
        self.import_dialog.raise_()
        return self.import_dialog
