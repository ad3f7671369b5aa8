"""部门信息比对: another department's list against the file — on their list only, on file only, status differs."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.enums import LabeledEnum
from ...domain.text import Text
from ...progress import Progress
from ...reports.common import mask_id_number, translator
from ...reports.compare import (
    DEPARTMENTS,
    ComparisonResult,
    _status_enum,
    compare_with_list,
    write_comparison_workbook,
)
from ..context import AppContext
from ..dialogs.import_dialog import (
    ChooseFileFn,
    ChooseSaveFn,
    choose_save_path,
    choose_workbook,
    error_text,
)
from ..i18n import QT_TRANSLATE_NOOP
from ..models.report_models import TextTable, TextTableModel
from ..widgets.progress_panel import ProgressPanel
from ..workers import Job
from .base import Page

_T = Text
GROUP_HEADERS: dict[str, tuple[Text, ...]] = {
    "only_on_list": (_T("名单行号", "List row"), _T("身份证号", "ID number"), _T("姓名", "Name"), _T("名单状态", "Status on list")),
    "only_on_file": (_T("身份证号", "ID number"), _T("姓名", "Name"), _T("档案状态", "Status on file")),
    "status_differs": (_T("名单行号", "List row"), _T("身份证号", "ID number"), _T("姓名（档案）", "Name (file)"),
                       _T("姓名（名单）", "Name (list)"), _T("档案状态", "Status on file"), _T("名单状态", "Status on list")),
    "unreadable": (_T("名单行号", "List row"), _T("原因", "Reason")),
}


def comparison_tables(result: ComparisonResult, language: str) -> dict[str, TextTable]:
    """The four groups as text tables, ID numbers masked, our status codes in words."""
    enum_cls = _status_enum(result.department)

    def ours(code: str) -> str:
        member = enum_cls._value2member_map_.get(code)
        if isinstance(member, LabeledEnum):
            return member.label.get(language)
        return code or Text("在档", "On file").get(language)

    rows: dict[str, list[tuple[str, ...]]] = {
        "only_on_list": [(str(e.row_number), mask_id_number(e.id_number), e.name, e.status) for e in result.only_on_list],
        "only_on_file": [(mask_id_number(i), n, ours(s)) for i, n, s in result.only_on_file],
        "status_differs": [(str(d.row_number), mask_id_number(d.id_number), d.name_on_file, d.name_on_list, ours(d.ours), d.theirs)
                           for d in result.status_differs],
        "unreadable": [(str(n), reason.get(language)) for n, reason in result.unreadable],
    }
    return {key: TextTable(GROUP_HEADERS[key], tuple(value)) for key, value in rows.items()}


class ComparePage(Page):
    """Choose the department and its list → compare (audited) → three result tables → export the workbook."""

    key: ClassVar[str] = "compare"
    title: ClassVar[str] = QT_TRANSLATE_NOOP("Navigation", "Compare lists")  # 部门信息比对

    compared = Signal(object)  # ComparisonResult
    exported = Signal(str)  # the workbook's path
    failed = Signal(object)  # the exception

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        choose_file: ChooseFileFn | None = None,
        choose_save: ChooseSaveFn | None = None,
    ) -> None:
        super().__init__(context, parent)
        self.choose_file = choose_file or choose_workbook
        self.choose_save = choose_save or choose_save_path
        self.result: ComparisonResult | None = None
        self.list_path: Path | None = None
        self.job: Job | None = None
        language = context.language

        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.explain.setProperty("role", "hint")
        self.department_label = QLabel()
        self.department = QComboBox()
        self.department.setObjectName("compare_department")
        for code, label in DEPARTMENTS.items():
            self.department.addItem(label.get(language), code)
        self.choose_button = QPushButton()
        self.choose_button.setObjectName("compare_choose")
        self.file_label = QLabel()
        self.file_label.setObjectName("compare_file")
        self.summary = QLabel()
        self.summary.setObjectName("compare_summary")
        self.summary.setWordWrap(True)
        self.tabs = QTabWidget()
        self.models: dict[str, TextTableModel] = {}
        self.views: dict[str, QTableView] = {}
        for key in GROUP_HEADERS:
            model = TextTableModel(self, language=language)
            model.set_table(TextTable(GROUP_HEADERS[key], ()))  # the columns show before a list is loaded
            view = QTableView()
            view.setObjectName(f"compare_{key}")
            view.setModel(model)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.setAlternatingRowColors(True)
            view.verticalHeader().setVisible(False)
            view.horizontalHeader().setStretchLastSection(True)
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            view.horizontalHeader().setDefaultSectionSize(150)
            self.models[key] = model
            self.views[key] = view
            self.tabs.addTab(view, "")
        self.progress = ProgressPanel(self)
        self.export_button = QPushButton()
        self.export_button.setObjectName("compare_export")
        self.export_button.setEnabled(False)
        self.status = QLabel()
        self.status.setObjectName("compare_status")
        self.status.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.department_label)
        top.addWidget(self.department)
        top.addWidget(self.choose_button)
        top.addWidget(self.file_label, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.explain)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.progress)
        layout.addLayout(bottom)

        self.choose_button.clicked.connect(self.on_choose_clicked)
        self.department.currentIndexChanged.connect(self.on_department_changed)
        self.export_button.clicked.connect(self.on_export_clicked)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Compare with another department's list"))
        self.explain.setText(self.tr(
            "Load a list from education, public security or the disabled persons' federation (an Excel file "
            "with ID numbers and a status column) to see who is on their list but not on file, who is on file "
            "but not on their list, and whose status differs."
        ))
        self.department_label.setText(self.tr("Department:"))
        self.choose_button.setText(self.tr("Load list…"))
        self.export_button.setText(self.tr("Export comparison…"))
        if self.list_path is None:
            self.file_label.setText(self.tr("No list loaded"))
        language = self.context.language
        for index, label in enumerate(DEPARTMENTS.values()):
            self.department.setItemText(index, label.get(language))
        for key, model in self.models.items():
            model.language = language
            if self.result is not None:
                model.set_table(comparison_tables(self.result, language)[key])
        self._retitle_tabs()
        self._show_summary()

    def _show_summary(self) -> None:
        result = self.result
        if result is None:
            self.summary.setText("")
            return
        self.summary.setText(
            self.tr("%1 on the list matched the file; %2 only on their list, %3 only on file, %4 with a different status.")
            .replace("%1", str(result.matched))
            .replace("%2", str(len(result.only_on_list)))
            .replace("%3", str(len(result.only_on_file)))
            .replace("%4", str(len(result.status_differs)))
        )

    def _retitle_tabs(self) -> None:
        titles = {
            "only_on_list": self.tr("On their list only (%1)"),
            "only_on_file": self.tr("On file only (%1)"),
            "status_differs": self.tr("Status differs (%1)"),
            "unreadable": self.tr("Unreadable rows (%1)"),
        }
        for index, key in enumerate(GROUP_HEADERS):
            self.tabs.setTabText(index, titles[key].replace("%1", str(self.models[key].rowCount())))

    # ---- comparing --------------------------------------------------------------------------

    def on_choose_clicked(self) -> Job | None:
        chosen = self.choose_file(self)
        if not chosen:
            return None
        return self.compare(Path(chosen))

    def on_department_changed(self, _index: int) -> None:
        if self.list_path is not None:
            self.compare(self.list_path)

    def compare(self, path: Path) -> Job | None:
        """Compare the list at `path` for the chosen department; the comparison is recorded in the audit log."""
        if self.job is not None:
            return None
        self.list_path = Path(path)
        self.file_label.setText(self.list_path.name)
        ledger, department = self.context.ledger, str(self.department.currentData())
        message = self.tr("Comparing…")

        def work(*, progress: Any, cancel: Any) -> ComparisonResult:
            progress(Progress(0, 0, message))
            result = compare_with_list(ledger, path, department=department)
            cancel.raise_if_cancelled()
            ledger.record_audit("compare", detail=f"{department} {Path(path).name}")
            return result

        job = self._start(work, message)
        job.signals.succeeded.connect(self.on_compare_succeeded)
        job.signals.failed.connect(self.on_failed)
        return job

    def _start(self, work: Any, message: str, *, write: bool = True) -> Job:
        job = self.context.workers.run(work, write=write, name="compare")
        self.job = job
        job.signals.finished.connect(self.on_job_finished)
        self.progress.watch(job, message)
        self._update_buttons()
        return job

    def on_compare_succeeded(self, result: ComparisonResult) -> None:
        self.result = result
        for key, table in comparison_tables(result, self.context.language).items():
            self.models[key].set_table(table)
        self._retitle_tabs()
        self._show_summary()
        # Open the group that needs attention first.
        if result.status_differs:
            self.tabs.setCurrentIndex(list(GROUP_HEADERS).index("status_differs"))
        self.status.setText("")
        self.compared.emit(result)

    def on_failed(self, error: Exception) -> None:
        self.status.setText(self.tr("Could not compare: %1").replace("%1", error_text(error, self.context.language)))
        self.failed.emit(error)

    def on_job_finished(self) -> None:
        self.job = None
        self._update_buttons()

    def _update_buttons(self) -> None:
        idle = self.job is None
        self.choose_button.setEnabled(idle)
        self.department.setEnabled(idle)
        self.export_button.setEnabled(idle and self.result is not None)

    # ---- export -----------------------------------------------------------------------------

    def on_export_clicked(self) -> Job | None:
        if self.result is None:
            return None
        department = DEPARTMENTS[self.result.department].get(self.context.language)
        suggested = f"{department}名单比对.xlsx" if not self.context.language.startswith("en") else "comparison.xlsx"
        chosen = self.choose_save(self, suggested)
        return self.export_to(Path(chosen)) if chosen else None

    def export_to(self, path: Path) -> Job | None:
        if self.result is None or self.job is not None:
            return None
        result, translate = self.result, translator(self.context.language)

        def work(*, progress: Any, cancel: Any) -> Path:
            return write_comparison_workbook(result, path, translate=translate)

        job = self._start(work, self.tr("Writing the workbook…"), write=False)
        job.signals.succeeded.connect(self.on_export_succeeded)
        job.signals.failed.connect(self.on_failed)
        return job

    def on_export_succeeded(self, path: Path) -> None:
        self.status.setText(self.tr("Saved: %1").replace("%1", str(path)))
        self.exported.emit(str(path))
