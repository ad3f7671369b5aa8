"""走访: who is due or overdue for a visit, recent visits, and the parent-contact log of left-behind children."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...ledger import ChildQuery, ChildSummary, Ledger
from ..context import AppContext
from ..dialogs.visit_form import ParentContactForm, VisitForm
from ..models.children_model import ChildrenModel, Column, SearchIndex
from ..widgets.background import BackgroundReads
from ..widgets.forms import current_language
from ..workers import Workers
from ._navigation import on_screen
from .base import NAV_TITLES, Page
from .children_page import ChildrenTable


class _ListTab(QWidget):
    """A children table with a search box and one action button for the selected child."""

    def __init__(self, model: ChildrenModel, action_text: str, hint: str) -> None:
        super().__init__()
        self.model = model
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(hint)
        self.count = QLabel()
        self.action = QPushButton(action_text)
        self.table = ChildrenTable(model, self)
        self.top = QHBoxLayout()
        self.top.addWidget(self.search, 1)
        self.top.addWidget(self.count)
        self.top.addWidget(self.action)
        layout = QVBoxLayout(self)
        layout.addLayout(self.top)
        layout.addWidget(self.table, 1)
        self.search.textChanged.connect(model.set_search)

    def current_child(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(index.row()).id


class VisitsView(QWidget):
    """Three lists; Enter or a double-click on a child opens the matching quick-entry form."""

    visit_saved = Signal(str)
    contact_saved = Signal(str)
    loaded = Signal()

    def __init__(
        self, ledger: Ledger, parent: QWidget | None = None, *, language: str | None = None, workers: Workers | None = None
    ) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.language = language or current_language()
        self._reads = BackgroundReads(self, workers=workers)
        self.visit_form: VisitForm | None = None
        self.contact_form: ParentContactForm | None = None
        self.rows: list[ChildSummary] = []
        self.overdue_count = 0

        hint = self.tr("Search name, pinyin initials or ID number")
        self.due_model = ChildrenModel(self, language=self.language)
        self.due_model.sort(Column.NEXT_DUE, Qt.SortOrder.AscendingOrder)
        self.recent_model = ChildrenModel(self, language=self.language)
        self.recent_model.sort(Column.LAST_VISIT, Qt.SortOrder.DescendingOrder)
        self.contact_model = ChildrenModel(self, language=self.language)
        self.contact_model.sort(Column.NAME, Qt.SortOrder.AscendingOrder)
        for key, model in (("due", self.due_model), ("recent", self.recent_model), ("contact", self.contact_model)):
            model.sort_in_background = self._sorter(key, model)
        self.due_tab = _ListTab(self.due_model, self.tr("Record visit…"), hint)
        self.due_tab.table.horizontalHeader().setSortIndicator(Column.NEXT_DUE, Qt.SortOrder.AscendingOrder)
        self.overdue_only = QCheckBox(self.tr("Overdue only"))
        self.overdue_only.setObjectName("overdue_only")
        self.due_tab.top.insertWidget(1, self.overdue_only)
        self.recent_tab = _ListTab(self.recent_model, self.tr("Record visit…"), hint)
        self.recent_tab.table.horizontalHeader().setSortIndicator(Column.LAST_VISIT, Qt.SortOrder.DescendingOrder)
        self.contact_tab = _ListTab(self.contact_model, self.tr("Record parent contact…"), hint)
        explanation = QLabel(self.tr("Left-behind children whose parents have not contacted them for more than 7 days."))
        explanation.setProperty("role", "hint")
        explanation.setWordWrap(True)
        self.contact_tab.layout().insertWidget(0, explanation)  # type: ignore[union-attr]

        self.tabs = QTabWidget()
        self.tabs.addTab(self.due_tab, self.tr("Due and overdue"))
        self.tabs.addTab(self.recent_tab, self.tr("Recent visits"))
        self.tabs.addTab(self.contact_tab, self.tr("Parent contact"))
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.progress.setVisible(False)
        self.overdue_label = QLabel()
        self.overdue_label.setObjectName("overdue_count")
        font = self.overdue_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.overdue_label.setFont(font)
        header = QHBoxLayout()
        header.addWidget(self.overdue_label)
        header.addStretch(1)
        header.addWidget(self.progress)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)

        self.overdue_only.toggled.connect(self.refresh)
        for tab in (self.due_tab, self.recent_tab):
            tab.action.clicked.connect(lambda _=False, t=tab: self._visit_from(t))
            tab.table.child_activated.connect(self.open_visit_form)
        self.contact_tab.action.clicked.connect(lambda: self._contact_from(self.contact_tab))
        self.contact_tab.table.child_activated.connect(self.open_contact_form)
        for model, tab in ((self.due_model, self.due_tab), (self.recent_model, self.recent_tab), (self.contact_model, self.contact_tab)):
            model.search_applied.connect(lambda shown, t=tab, m=model: t.count.setText(self._count_text(shown, m)))

    def _sorter(self, key: str, model: ChildrenModel) -> Callable[[list[ChildSummary]], None]:
        def sort(rows: list[ChildSummary]) -> None:
            self._reads.run(f"sort-{key}", lambda: model.prepare(rows), model.apply_sort)

        return sort

    def _count_text(self, shown: int, model: ChildrenModel) -> str:
        if shown == model.total_rows:
            return self.tr("%1 children").replace("%1", f"{shown:,}")
        return self.tr("%1 of %2 shown").replace("%1", f"{shown:,}").replace("%2", f"{model.total_rows:,}")

    # ---- loading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.progress.setVisible(True)
        ledger = self.ledger
        overdue_only = self.overdue_only.isChecked()

        models = (self.due_model, self.recent_model, self.contact_model)
        Loaded = tuple[list[ChildSummary], list[SearchIndex], int]

        def load() -> Loaded:
            everyone = ledger.list_children(ChildQuery())
            due = ledger.list_children(ChildQuery(overdue=True)) if overdue_only else everyone
            visited = [r for r in everyone if r.last_visit_date]
            no_contact = ledger.list_children(ChildQuery(no_contact=True))
            overdue = ledger.count_children(ChildQuery(overdue=True))
            # Sorting and search keys are prepared here, off the GUI thread.
            indexes = [model.prepare(rows) for model, rows in zip(models, (due, visited, no_contact), strict=True)]
            return everyone, indexes, overdue

        def done(result: Loaded) -> None:
            everyone, indexes, overdue = result
            self.rows = everyone
            self.progress.setVisible(False)
            for model, index in zip(models, indexes, strict=True):
                model.set_rows(index.rows, index)
            self.overdue_label.setText(self.tr("%1 children are overdue for a visit").replace("%1", f"{overdue:,}"))
            self.overdue_count = overdue
            self.loaded.emit()

        self._reads.run("visits", load, done, lambda exc: self.overdue_label.setText(str(exc)))

    # ---- forms ------------------------------------------------------------------------------

    def _visit_from(self, tab: _ListTab) -> None:
        child_id = tab.current_child()
        if child_id:
            self.open_visit_form(child_id)

    def _contact_from(self, tab: _ListTab) -> None:
        child_id = tab.current_child()
        if child_id:
            self.open_contact_form(child_id)

    def open_visit_form(self, child_id: str) -> VisitForm:
        self.visit_form = VisitForm(self.ledger, child_id, self, language=self.language, workers=self._reads.workers)
        self.visit_form.visit_saved.connect(self._on_visit_saved)
        self.visit_form.open()
        return self.visit_form

    def open_contact_form(self, child_id: str) -> ParentContactForm:
        self.contact_form = ParentContactForm(self.ledger, child_id, self, language=self.language, workers=self._reads.workers)
        self.contact_form.contact_saved.connect(self._on_contact_saved)
        self.contact_form.open()
        return self.contact_form

    def _on_visit_saved(self, child_id: str) -> None:
        self.visit_saved.emit(child_id)
        self.refresh()

    def _on_contact_saved(self, child_id: str) -> None:
        self.contact_saved.emit(child_id)
        self.refresh()


class VisitsPage(Page):
    """走访 in the main window's navigation."""

    key = "visits"
    title = NAV_TITLES["visits"]

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._stale = True
        self._writing = False
        # The main window tells only the page on screen; hidden pages note writes here.
        context.events.ledger_changed.connect(self._mark_stale)
        # Reads that ran into the idle lock failed; read again once the ledger is open.
        context.events.unlocked.connect(self.ledger_changed)
        self.view = self._build()

    def _build(self) -> VisitsView:
        view = VisitsView(self.context.ledger, self, language=self.context.language, workers=self.context.workers)
        view.visit_saved.connect(self._on_written)
        view.contact_saved.connect(self._on_written)
        self._layout.addWidget(view)
        return view

    def _on_written(self, _child_id: Any) -> None:
        # This page's view reloads itself after its own writes; others hear about them.
        self._writing = True
        try:
            self.context.notify_ledger_changed()
        finally:
            self._writing = False

    def retranslate(self) -> None:
        if self.view.language == self.context.language:
            return
        old = self.view
        self.view = self._build()
        old.deleteLater()
        self._stale = True
        if self.isVisible():
            self.page_shown()

    def page_shown(self) -> None:
        # Deferred: at start-up the window may move on to another page before this one is seen.
        QTimer.singleShot(0, self._load_if_on_screen)

    def _load_if_on_screen(self) -> None:
        if shiboken6.isValid(self) and on_screen(self) and self._stale:
            self._stale = False
            self.view.refresh()

    def _mark_stale(self) -> None:
        if not self._writing:
            self._stale = True

    def ledger_changed(self) -> None:
        if self._writing:
            return
        self._stale = True
        if self.isVisible():
            self.page_shown()
