"""儿童档案: the children list with its search and filters, and the child file opened from it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.enums import Category, RiskLevel
from ...ledger import ChildQuery, ChildSummary, Ledger
from ..context import AppContext
from ..models.children_model import ChildrenModel, Column, SearchIndex
from ..widgets.background import BackgroundReads
from ..widgets.forms import current_language
from ..workers import Workers
from .base import NAV_TITLES, Page
from .child_file_page import ChildFilePage, OpenFileFn

AGE_OUT_DAYS = 30
FIRST_PAGE = 300  # rows shown at once while the whole list is still loading


class ChildrenTable(QTableView):
    """The list view: Enter or a double-click opens the current child."""

    child_activated = Signal(str)

    def __init__(self, model: ChildrenModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setSortingEnabled(True)
        self.setWordWrap(False)
        self.horizontalHeader().setSortIndicatorShown(True)
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        vertical = self.verticalHeader()
        vertical.setVisible(False)
        # Fixed row heights let the view skip measuring 100,000 rows.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Categories take the spare width; the other columns keep a width that fits their content.
        header.setSectionResizeMode(Column.CATEGORIES, QHeaderView.ResizeMode.Stretch)
        widths = {Column.NAME: 120, Column.SEX: 56, Column.AGE: 56, Column.RISK: 90, Column.LAST_VISIT: 120, Column.NEXT_DUE: 120}
        for column, width in widths.items():
            self.setColumnWidth(column, width)
        self.doubleClicked.connect(lambda index: self._activate(index.row()))

    def _activate(self, row: int) -> None:
        model = self.model()
        assert isinstance(model, ChildrenModel)
        if 0 <= row < model.rowCount():
            self.child_activated.emit(model.row_at(row).id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._activate(self.currentIndex().row())
            return
        super().keyPressEvent(event)


class ChildrenListPage(QWidget):
    """Search box, filters, count and the table; loads the list from the ledger in the background."""

    child_opened = Signal(str)
    new_child_requested = Signal()
    import_requested = Signal()  # "Import Excel…": the page opens the import dialog
    list_loaded = Signal(int)  # rows loaded from the ledger (before the search text narrows them)

    def __init__(
        self, ledger: Ledger, parent: QWidget | None = None, *, language: str | None = None, workers: Workers | None = None
    ) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.language = language or current_language()
        self._reads = BackgroundReads(self, workers=workers)
        self._full_loaded = False
        self.model = ChildrenModel(self, language=self.language)
        self.model.sort_in_background = self._sort_in_background

        self.search = QLineEdit()
        self.search.setObjectName("children_search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search name, pinyin initials or ID number"))
        self.search.setMinimumWidth(260)
        self.category = QComboBox()
        self.category.addItem(self.tr("All categories"), None)
        for member in Category:
            self.category.addItem(member.label.get(self.language), member.value)
        self.risk = QComboBox()
        self.risk.addItem(self.tr("All risk levels"), None)
        for level in RiskLevel:
            self.risk.addItem(level.label.get(self.language), level.value)
        self.overdue = QCheckBox(self.tr("Visit overdue"))
        self.no_contact = QCheckBox(self.tr("No parent contact 7+ days"))
        self.age_out = QCheckBox(self.tr("Ageing out within 30 days"))
        self.archived = QCheckBox(self.tr("Archived"))
        self.new_button = QPushButton(self.tr("New file"))
        self.new_button.setObjectName("new_child")
        self.import_button = QPushButton(self.tr("Import Excel…"))
        self.import_button.setObjectName("import_children")
        self.count_label = QLabel()
        self.count_label.setObjectName("children_count")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # the ledger query gives no partial progress: show activity
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.progress.setVisible(False)
        self.table = ChildrenTable(self.model, self)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.category)
        top.addWidget(self.risk)
        top.addWidget(self.new_button)
        top.addWidget(self.import_button)
        filters = QHBoxLayout()
        for box in (self.overdue, self.no_contact, self.age_out, self.archived):
            filters.addWidget(box)
        filters.addStretch(1)
        filters.addWidget(self.progress)
        filters.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

        self.search.textChanged.connect(self.on_search_changed)
        self.search.installEventFilter(self)
        for combo in (self.category, self.risk):
            combo.currentIndexChanged.connect(self.reload)
        for box in (self.overdue, self.no_contact, self.age_out, self.archived):
            box.toggled.connect(self.reload)
        self.new_button.clicked.connect(self.new_child_requested)
        self.import_button.clicked.connect(self.import_requested)
        self.table.child_activated.connect(self.child_opened)
        self.model.search_applied.connect(self._update_count)

    # ---- loading ----------------------------------------------------------------------------

    def query(self) -> ChildQuery:
        return ChildQuery(
            category=self.category.currentData(),
            risk=self.risk.currentData(),
            overdue=self.overdue.isChecked(),
            no_contact=self.no_contact.isChecked(),
            age_out_within_days=AGE_OUT_DAYS if self.age_out.isChecked() else None,
            archived=True if self.archived.isChecked() else False,
        )

    def reload(self) -> None:
        """Load the list for the current filters; the first rows appear before the rest arrive."""
        query = self.query()
        self.progress.setVisible(True)
        self._full_loaded = False
        ledger, model = self.ledger, self.model
        if model.total_rows == 0:
            first = replace(query, limit=FIRST_PAGE)
            self._reads.run("first", lambda: ledger.list_children(first), self._on_first_page)

        def load() -> tuple[list[ChildSummary], SearchIndex]:
            rows = ledger.list_children(query)
            return rows, model.prepare(rows)  # the search keys are built here, off the GUI thread

        self._reads.run("list", load, self._on_list_loaded, self._on_failed)

    def _on_first_page(self, rows: list[ChildSummary]) -> None:
        if not self._full_loaded:
            self.model.set_rows(rows)

    def _on_list_loaded(self, loaded: tuple[list[ChildSummary], SearchIndex]) -> None:
        rows, index = loaded
        self._full_loaded = True
        self.progress.setVisible(False)
        self.model.set_rows(rows, index)
        self.list_loaded.emit(len(rows))

    def _sort_in_background(self, rows: list[ChildSummary]) -> None:
        model = self.model
        self.progress.setVisible(True)

        def done(index: SearchIndex) -> None:
            self.progress.setVisible(self._reads.busy)
            model.apply_sort(index)

        self._reads.run("sort", lambda: model.prepare(rows), done, self._on_failed)

    def _on_failed(self, error: Exception) -> None:
        self.progress.setVisible(False)
        self.count_label.setText(self.tr("Could not load the list: %1").replace("%1", str(error)))

    @property
    def loading(self) -> bool:
        return self._reads.busy

    # ---- searching --------------------------------------------------------------------------

    def on_search_changed(self, text: str) -> None:
        self.model.set_search(text)

    def _update_count(self, shown: int) -> None:
        total = self.model.total_rows
        if not self._full_loaded and self._reads.busy:
            self.count_label.setText(self.tr("Loading…"))
        elif shown == total:
            self.count_label.setText(self.tr("%1 children").replace("%1", f"{total:,}"))
        else:
            self.count_label.setText(self.tr("%1 of %2 shown").replace("%1", str(shown)).replace("%2", str(total)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Down or Enter in the search box moves into the list, so the keyboard never has to leave.
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.model.rowCount():
                self.table.setFocus()
                self.table.selectRow(0)
                if event.key() != Qt.Key.Key_Down and self.model.rowCount() == 1:
                    self.child_opened.emit(self.model.row_at(0).id)
                return True
        return super().eventFilter(watched, event)


class ChildrenView(QStackedWidget):
    """The list, and the child file in its place when a child is opened (usable without a main window)."""

    child_saved = Signal(str)
    visit_saved = Signal(str)

    def __init__(
        self,
        ledger: Ledger,
        parent: QWidget | None = None,
        *,
        language: str | None = None,
        open_file: OpenFileFn | None = None,
        workers: Workers | None = None,
    ) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.language = language or current_language()
        self.list_page = ChildrenListPage(ledger, self, language=self.language, workers=workers)
        self._open_file = open_file
        self._workers = workers
        self._file_page: ChildFilePage | None = None
        self.addWidget(self.list_page)
        self.list_page.child_opened.connect(self.open_child)
        self.list_page.new_child_requested.connect(self.new_child)
        self._loaded_once = False

    @property
    def file_page(self) -> ChildFilePage:
        # Built on first use: the form is large, and start-up should only pay for the list.
        if self._file_page is None:
            page = ChildFilePage(self.ledger, self, language=self.language, open_file=self._open_file, workers=self._workers)
            self.addWidget(page)
            page.closed.connect(self.show_list)
            page.saved.connect(self._on_saved)
            page.archived.connect(self._on_saved)
            page.visit_saved.connect(self._on_visit_saved)
            page.changed.connect(self._on_changed)
            self._file_page = page
        return self._file_page

    @property
    def showing_file(self) -> bool:
        return self._file_page is not None and self.currentWidget() is self._file_page

    def showEvent(self, event: Any) -> None:
        # The list is loaded the first time the page is shown, not when the window is built.
        if not self._loaded_once:
            self._loaded_once = True
            self.list_page.reload()
        super().showEvent(event)

    def refresh(self) -> None:
        self._loaded_once = True
        self.list_page.reload()

    def open_child(self, child_id: str) -> None:
        self.file_page.load(child_id)
        self.setCurrentWidget(self.file_page)

    def new_child(self) -> None:
        self.file_page.new()
        self.setCurrentWidget(self.file_page)

    def show_list(self) -> None:
        self.setCurrentWidget(self.list_page)
        self.list_page.search.setFocus()

    def _on_changed(self, child_id: str) -> None:
        self.child_saved.emit(child_id)

    def _on_visit_saved(self, child_id: str) -> None:
        self.visit_saved.emit(child_id)
        self.list_page.reload()

    def _on_saved(self, child_id: str) -> None:
        self.child_saved.emit(child_id)
        self.list_page.reload()


class ChildrenPage(Page):
    """儿童档案 in the main window's navigation."""

    key = "children"
    title = NAV_TITLES["children"]

    def __init__(self, context: AppContext, parent: QWidget | None = None, *, open_file: OpenFileFn | None = None) -> None:
        super().__init__(context, parent)
        self._open_file = open_file
        self._stale = True
        self._writing = False
        # The main window tells only the page on screen; hidden pages note writes here.
        context.events.ledger_changed.connect(self._mark_stale)
        # Reads that ran into the idle lock failed; read again once the ledger is open.
        context.events.unlocked.connect(self.ledger_changed)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.view = self._build()

    def _build(self) -> ChildrenView:
        view = ChildrenView(
            self.context.ledger, self, language=self.context.language, open_file=self._open_file, workers=self.context.workers
        )
        view._loaded_once = True  # this page decides when to load (page_shown), not the first showEvent
        view.child_saved.connect(self._on_written)
        view.visit_saved.connect(self._on_written)
        view.list_page.import_requested.connect(self.open_import_dialog)
        self._layout.addWidget(view)
        return view

    def _on_written(self, _child_id: str) -> None:
        # This page's view reloads itself after its own writes; others hear about them.
        self._writing = True
        try:
            self.context.notify_ledger_changed()
        finally:
            self._writing = False

    def retranslate(self) -> None:
        # Labels come from code lists in the chosen language: rebuild, then reopen what was open.
        if self.view.language == self.context.language:
            return
        open_child = self.view.file_page.child_id if self.view.showing_file else None
        search = self.view.list_page.search.text()
        old = self.view
        self.view = self._build()
        old.deleteLater()
        self.view.list_page.search.setText(search)
        self._stale = True
        if open_child:
            self.view.open_child(open_child)
        if self.isVisible():
            self.page_shown()

    def page_shown(self) -> None:
        if self._stale:
            self._stale = False
            self.view.refresh()

    def _mark_stale(self) -> None:
        if not self._writing:
            self._stale = True

    def ledger_changed(self) -> None:
        if self._writing:
            return
        self._stale = True
        if self.isVisible() and self.view.currentWidget() is self.view.list_page:
            self.page_shown()

    def open_import_dialog(self) -> QWidget:
        from ..dialogs.import_dialog import ImportDialog  # opened rarely: not loaded with the page

        dialog = self.findChild(ImportDialog)
        if dialog is None:
            dialog = ImportDialog(self.context, self)
        dialog.show()
        dialog.raise_()
        return dialog

    def open_child(self, child_id: str) -> None:
        self.view.open_child(child_id)
