"""The sync page's table of open conflicts: record, field, the value kept, the other value, devices, time."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from ...ledger.workflows import ConflictRow, value_text
from ..i18n import QT_TRANSLATE_NOOP

Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole


class Column(IntEnum):
    RECORD = 0
    FIELD = 1
    KEPT = 2
    OTHER = 3
    DEVICES = 4
    TIME = 5


HEADERS: dict[Column, str] = {
    Column.RECORD: QT_TRANSLATE_NOOP("ConflictsModel", "Record"),
    Column.FIELD: QT_TRANSLATE_NOOP("ConflictsModel", "Field"),
    Column.KEPT: QT_TRANSLATE_NOOP("ConflictsModel", "Value kept"),
    Column.OTHER: QT_TRANSLATE_NOOP("ConflictsModel", "Other value"),
    Column.DEVICES: QT_TRANSLATE_NOOP("ConflictsModel", "Devices (kept / other)"),
    Column.TIME: QT_TRANSLATE_NOOP("ConflictsModel", "Recorded"),
}

# Records that are not a child's own row are named by what they are, after the child.
ENTITY_NAMES: dict[str, str] = {
    "child": QT_TRANSLATE_NOOP("ConflictsModel", "child file"),
    "family_member": QT_TRANSLATE_NOOP("ConflictsModel", "family member"),
    "care_arrangement": QT_TRANSLATE_NOOP("ConflictsModel", "care arrangement"),
    "visit": QT_TRANSLATE_NOOP("ConflictsModel", "visit"),
    "parent_contact": QT_TRANSLATE_NOOP("ConflictsModel", "parent contact"),
    "assessment": QT_TRANSLATE_NOOP("ConflictsModel", "assessment"),
    "case": QT_TRANSLATE_NOOP("ConflictsModel", "case"),
    "case_step": QT_TRANSLATE_NOOP("ConflictsModel", "case step"),
    "benefit": QT_TRANSLATE_NOOP("ConflictsModel", "benefit"),
    "review": QT_TRANSLATE_NOOP("ConflictsModel", "review"),
    "attachment": QT_TRANSLATE_NOOP("ConflictsModel", "attachment"),
    "staff": QT_TRANSLATE_NOOP("ConflictsModel", "staff member"),
    "training": QT_TRANSLATE_NOOP("ConflictsModel", "training"),
}


def short_device(device_id: str) -> str:
    """Device ids are long random strings; six characters tell the PCs of one village apart."""
    return device_id[:6] if device_id else "—"


class ConflictsModel(QAbstractTableModel):
    """Holds frozen ConflictRow values; `set_rows` replaces them (a reset, as the list is small)."""

    def __init__(self, language: str = "zh_CN", parent: Any = None) -> None:
        super().__init__(parent)
        self.language = language
        self.rows: list[ConflictRow] = []

    def set_rows(self, rows: list[ConflictRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def set_language(self, language: str) -> None:
        self.language = language
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(Column) - 1))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)

    def row_at(self, row: int) -> ConflictRow | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(Column):
            return QCoreApplication.translate("ConflictsModel", HEADERS[Column(section)])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        if role == ROW_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(row, Column(index.column()))
        return None

    def text(self, row: ConflictRow, column: Column) -> str:
        if column is Column.RECORD:
            name = row.child_name or row.row_id[:8]
            if row.entity != "child":
                kind = ENTITY_NAMES.get(row.entity)
                return f"{name} · {QCoreApplication.translate('ConflictsModel', kind) if kind else row.entity}"
            return name
        if column is Column.FIELD:
            return row.field_label.get(self.language)
        if column is Column.KEPT:
            return value_text(row.winner_value)
        if column is Column.OTHER:
            return value_text(row.loser_value)
        if column is Column.DEVICES:
            return f"{short_device(row.winner_device)} / {short_device(row.loser_device)}"
        local = row.recorded_at.astimezone()
        return local.strftime("%m-%d %H:%M")
