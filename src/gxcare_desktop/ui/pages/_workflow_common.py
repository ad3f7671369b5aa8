"""Pieces shared by the supervisor pages (review, cases, staff, township): a row table, error
texts, date formats and a page base that reloads in the background when shown or stale."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.errors import ValidationError
from ...ledger import LedgerError
from ..context import AppContext
from ..widgets.background import BackgroundReads, write_in_background
from ._navigation import on_screen
from .base import Page

FLAG_BRUSH = QBrush(QColor("#fde7e9"))
FLAG_TEXT = QBrush(QColor("#b3261e"))


def error_text(error: BaseException, language: str) -> str:
    """A user-facing message for what the service refused, in the UI language."""
    if isinstance(error, ValidationError):
        return error.text(language)
    if isinstance(error, LedgerError):
        return error.message.get(language)
    return str(error)


def fmt_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def fmt_time(value: datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone() if value.tzinfo else value
    return local.strftime("%Y-%m-%d %H:%M")


def stacked_tables(main: QWidget, title: QLabel, lower: QWidget) -> QSplitter:
    """The main table above a titled secondary one (3 : 1), the user free to move the divide."""
    below = QWidget()
    below_layout = QVBoxLayout(below)
    below_layout.setContentsMargins(0, 0, 0, 0)
    below_layout.addWidget(title)
    below_layout.addWidget(lower)
    splitter = QSplitter(Qt.Orientation.Vertical)
    splitter.addWidget(main)
    splitter.addWidget(below)
    splitter.setStretchFactor(0, 3)
    splitter.setStretchFactor(1, 1)
    return splitter


class RowTable(QTableWidget):
    """A read-only table of text rows, each with a key; Enter or a double-click emits `activated`."""

    activated = Signal(str)

    def __init__(self, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(list(headers))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().setVisible(False)
        self.setAlternatingRowColors(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.keys: list[str] = []
        self.cellDoubleClicked.connect(lambda row, _col: self._activate(row))

    def set_headers(self, headers: Sequence[str]) -> None:
        self.setHorizontalHeaderLabels(list(headers))

    def set_rows(self, rows: Sequence[Sequence[str]], keys: Sequence[str], flagged: Sequence[bool] = ()) -> None:
        """Replace the rows, keeping the selected key selected when it is still there."""
        selected = self.current_key()
        self.setRowCount(len(rows))
        self.keys = list(keys)
        for r, values in enumerate(rows):
            flag = r < len(flagged) and flagged[r]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if flag:
                    item.setBackground(FLAG_BRUSH)
                    item.setForeground(FLAG_TEXT)
                self.setItem(r, c, item)
        if selected in self.keys:
            self.selectRow(self.keys.index(selected))

    def current_key(self) -> str | None:
        row = self.currentRow()
        return self.keys[row] if 0 <= row < len(self.keys) else None

    def select_key(self, key: str) -> bool:
        if key not in self.keys:
            return False
        self.selectRow(self.keys.index(key))
        return True

    def is_flagged(self, row: int) -> bool:
        item = self.item(row, 0)
        return item is not None and item.background() == FLAG_BRUSH

    def _activate(self, row: int) -> None:
        if 0 <= row < len(self.keys):
            self.activated.emit(self.keys[row])

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._activate(self.currentRow())
            return
        super().keyPressEvent(event)


class WorkflowPage(Page):
    """A page whose data is read off the GUI thread when it is shown (and again after writes).

    Subclasses implement `load()` (runs on a worker: ledger reads only, returns plain rows) and
    `show_data(data)` (GUI thread). `loaded` fires after each `show_data`; `written` after a write.
    """

    loaded = Signal()
    written = Signal(str)
    failed = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._reads = BackgroundReads(self, workers=context.workers)
        self._stale = True
        self._writing = False
        context.events.ledger_changed.connect(self._mark_stale)
        context.events.unlocked.connect(self.ledger_changed)

    @property
    def ledger(self) -> Any:
        return self.context.ledger

    @property
    def language(self) -> str:
        return self.context.language

    # ---- loading ----------------------------------------------------------------------------

    def load(self) -> Any:
        raise NotImplementedError

    def show_data(self, data: Any) -> None:
        raise NotImplementedError

    def show_error(self, message: str) -> None:
        """Override to show a refusal near the action; the default only emits `failed`."""

    def reload(self) -> None:
        self._stale = False

        def done(data: Any) -> None:
            self.show_data(data)
            self.loaded.emit()

        def failed(exc: Exception) -> None:
            message = error_text(exc, self.language)
            self.show_error(message)
            self.failed.emit(message)

        self._reads.run("page", self.load, done, failed)

    def page_shown(self) -> None:
        QTimer.singleShot(0, self._load_if_on_screen)

    def _load_if_on_screen(self) -> None:
        if shiboken6.isValid(self) and on_screen(self) and self._stale:
            self.reload()

    def _mark_stale(self) -> None:
        if not self._writing:
            self._stale = True

    def ledger_changed(self) -> None:
        if self._writing:
            return
        self._stale = True
        if self.isVisible():
            self.page_shown()

    # ---- writing ----------------------------------------------------------------------------

    def write(self, fn: Callable[[], Any], key: str, on_error: Callable[[str], None] | None = None) -> None:
        """Run a service call on the write thread; then reload, tell the other pages, emit `written`."""

        def done(_result: Any) -> None:
            self._writing = True
            try:
                self.context.notify_ledger_changed()
            finally:
                self._writing = False
            self.reload()
            self.written.emit(key)

        def failed(exc: Exception) -> None:
            message = error_text(exc, self.language)
            (on_error or self.show_error)(message)
            self.failed.emit(message)

        write_in_background(self, self.context.workers, fn, done, failed)
