"""Table models of the reports windows: monthly report preview, import preview, comparison groups."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ...domain.text import Text
from ...reports.common import mask_id_number
from ...reports.import_apply import ImportReport, RowResult
from ...reports.monthly import MonthlyReport
from ...reports.monthly_excel import FORM_COLUMNS

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
_REFUSED = QBrush(QColor("#fdecea"))
_SKIPPED = QBrush(QColor("#f2f2f2"))
_UPDATED = QBrush(QColor("#eef5fc"))
_REFUSED_TEXT = QBrush(QColor("#b3261e"))


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class MonthlyReportModel(QAbstractTableModel):
    """One row per village or township of the report, then the totals row; the two-level form
    headers are flattened to "group · heading" (the workbook keeps them two-level)."""

    UNIT_COLUMN = 0

    def __init__(self, parent: QObject | None = None, *, language: str = "zh_CN") -> None:
        super().__init__(parent)
        self.language = language
        self.report: MonthlyReport | None = None
        self._totals: dict[str, float] = {}
        self.keys: list[str] = [key for _, _, key in FORM_COLUMNS]

    def set_report(self, report: MonthlyReport | None) -> None:
        self.beginResetModel()
        self.report = report
        self._totals = report.totals if report is not None else {}
        self.endResetModel()

    @property
    def totals(self) -> dict[str, float]:
        return dict(self._totals)

    @property
    def totals_row(self) -> int:
        """Index of the totals row (the last one), -1 when there is no report."""
        return len(self.report.rows) if self.report is not None else -1

    def column_of(self, key: str) -> int:
        return 1 + self.keys.index(key)

    def rowCount(self, parent: Index = _ROOT) -> int:
        if parent.isValid() or self.report is None:
            return 0
        return len(self.report.rows) + 1

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else 1 + len(FORM_COLUMNS)

    def value(self, row: int, column: int) -> Any:
        assert self.report is not None
        totals = row == len(self.report.rows)
        if column == self.UNIT_COLUMN:
            return Text("合计", "Total").get(self.language) if totals else self.report.rows[row].name
        key = self.keys[column - 1]
        return self._totals[key] if totals else self.report.rows[row].counts[key]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.report is None:
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            value = self.value(row, column)
            if column == self.UNIT_COLUMN:
                return value
            if self.keys[column - 1] == "subsidy_amount":
                return f"{float(value):,.2f}"
            return f"{int(value):,}"
        if role == Qt.ItemDataRole.UserRole:
            return self.value(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column != self.UNIT_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and row == self.totals_row:
            return _bold()
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if section == self.UNIT_COLUMN:
            return Text("单位", "Unit").get(self.language)
        group, heading, _ = FORM_COLUMNS[section - 1]
        if group is None:
            return heading.get(self.language)
        # Two lines in the header: the group above its column's own heading, as on the form.
        return f"{group.get(self.language)}\n{heading.get(self.language)}"


class ImportColumn(IntEnum):
    ROW = 0
    NAME = 1
    ID_NUMBER = 2
    ACTION = 3
    REASON = 4


_IMPORT_HEADERS = (
    Text("行号", "Row"), Text("姓名", "Name"), Text("身份证号", "ID number"), Text("处理", "Action"), Text("原因", "Reason"),
)
# A dry run says what would happen, the real run what did: the same four words fit both.
OUTCOME_LABELS: dict[str, Text] = {
    "created": Text("新建", "New"),
    "updated": Text("更新", "Update"),
    "refused": Text("拒绝", "Refused"),
    "skipped": Text("跳过", "Skipped"),
}


class ImportPreviewModel(QAbstractTableModel):
    """Every row of the import report: sheet row number, name, masked ID number, outcome, reason."""

    def __init__(self, parent: QObject | None = None, *, language: str = "zh_CN") -> None:
        super().__init__(parent)
        self.language = language
        self.rows: list[RowResult] = []

    def set_report(self, report: ImportReport | None) -> None:
        self.beginResetModel()
        self.rows = list(report.rows) if report is not None else []
        self.endResetModel()

    def row_at(self, row: int) -> RowResult:
        return self.rows[row]

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(ImportColumn)

    def text(self, row: int, column: int) -> str:
        result = self.rows[row]
        if column == ImportColumn.ROW:
            return str(result.row_number)
        if column == ImportColumn.NAME:
            return result.name
        if column == ImportColumn.ID_NUMBER:
            return mask_id_number(result.id_number)
        if column == ImportColumn.ACTION:
            return OUTCOME_LABELS[result.outcome].get(self.language)
        return result.reason.get(self.language) if result.reason is not None else ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(row, column)
        outcome = self.rows[row].outcome
        if role == Qt.ItemDataRole.BackgroundRole:
            return {"refused": _REFUSED, "skipped": _SKIPPED, "updated": _UPDATED}.get(outcome)
        if role == Qt.ItemDataRole.ForegroundRole and outcome == "refused" and column == ImportColumn.ACTION:
            return _REFUSED_TEXT
        if role == Qt.ItemDataRole.UserRole:
            return self.rows[row]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _IMPORT_HEADERS[section].get(self.language)
        return None


@dataclass(frozen=True)
class TextTable:
    """Headers and rows of plain text, for the comparison's result groups."""

    headers: tuple[Text, ...]
    rows: tuple[tuple[str, ...], ...]


class TextTableModel(QAbstractTableModel):
    """A read-only table of strings (one comparison group)."""

    def __init__(self, parent: QObject | None = None, *, language: str = "zh_CN") -> None:
        super().__init__(parent)
        self.language = language
        self.table = TextTable((), ())

    def set_table(self, table: TextTable) -> None:
        self.beginResetModel()
        self.table = table
        self.endResetModel()

    @property
    def rows(self) -> Sequence[tuple[str, ...]]:
        return self.table.rows

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.table.rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.table.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.table.rows[index.row()][index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.table.headers[section].get(self.language)
        return None
