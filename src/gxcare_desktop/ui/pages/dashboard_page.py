"""工作台: today's work at a glance — counts, overdue visits, missing parent contact, high risk, ageing out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.enums import Category, RiskLevel
from ...ledger import ChildQuery, ChildSummary, Ledger
from ..context import AppContext
from ..widgets.background import BackgroundReads
from ..widgets.charts import Bar, HorizontalBarChart
from ..widgets.forms import current_language
from ..workers import Workers
from ._navigation import on_screen, open_child
from .base import NAV_TITLES, Page

AGE_OUT_DAYS = 30
LIST_LIMIT = 200  # rows per dashboard list; the children page shows them all
_CATEGORY_COLORS = ("#2f6fae", "#c0712f", "#8e5cb5", "#b3453b", "#3d8b5f", "#6d6d6d")
_RISK_COLORS = {RiskLevel.HIGH: "#b3261e", RiskLevel.MEDIUM: "#d28a00", RiskLevel.LOW: "#3d8b5f"}


@dataclass
class DashboardData:
    """What the dashboard shows, read in one go off the GUI thread."""

    total: int
    by_category: dict[str, int]
    by_risk: dict[str, int]
    overdue_count: int
    no_contact_count: int
    high_risk_count: int
    age_out_count: int
    overdue: list[ChildSummary] = field(default_factory=list)
    no_contact: list[ChildSummary] = field(default_factory=list)
    high_risk: list[ChildSummary] = field(default_factory=list)
    age_out: list[ChildSummary] = field(default_factory=list)


def load_dashboard(ledger: Ledger, today: date | None = None) -> DashboardData:
    today = today or date.today()

    def count(**filters: object) -> int:
        return ledger.count_children(ChildQuery(today=today, **filters))  # type: ignore[arg-type]

    def rows(**filters: object) -> list[ChildSummary]:
        return ledger.list_children(ChildQuery(today=today, **filters))  # type: ignore[arg-type]

    overdue = sorted(rows(overdue=True), key=lambda r: (r.next_visit_due or today, r.name_pinyin))[:LIST_LIMIT]
    no_contact = sorted(rows(no_contact=True), key=lambda r: (r.last_contact_date or date.min, r.name_pinyin))[:LIST_LIMIT]
    return DashboardData(
        total=count(),
        by_category={c.value: count(category=c.value) for c in Category},
        by_risk={r.value: count(risk=r.value) for r in RiskLevel},
        overdue_count=count(overdue=True),
        no_contact_count=count(no_contact=True),
        high_risk_count=count(risk=RiskLevel.HIGH.value),
        age_out_count=count(age_out_within_days=AGE_OUT_DAYS),
        overdue=overdue,
        no_contact=no_contact,
        high_risk=rows(risk=RiskLevel.HIGH.value, limit=LIST_LIMIT),
        age_out=rows(age_out_within_days=AGE_OUT_DAYS, limit=LIST_LIMIT),
    )


class StatCard(QFrame):
    """A big number with its caption; clicking it emits `clicked`."""

    clicked = Signal()

    def __init__(self, caption: str, color: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("stat_card")
        self.setStyleSheet(
            f"QFrame#stat_card {{ background: white; border: 1px solid #dadce0; border-left: 4px solid {color}; border-radius: 4px; }}"
        )
        self.value = QLabel("—")
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 2.0)
        font.setBold(True)
        self.value.setFont(font)
        self.value.setStyleSheet(f"color: {color}; border: none;")
        self.caption = QLabel(caption)
        self.caption.setStyleSheet("color: #5f6368; border: none;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def set_value(self, value: int) -> None:
        self.value.setText(f"{value:,}")

    def mouseReleaseEvent(self, event: object) -> None:
        self.clicked.emit()


class ChildList(QTableWidget):
    """A short list of children; activating a row emits `child_opened` with the child's id."""

    child_opened = Signal(str)

    def __init__(self, headers: list[str], name: str) -> None:
        super().__init__(0, len(headers))
        self.setObjectName(name)
        self.setHorizontalHeaderLabels(headers)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.ids: list[str] = []
        self.itemActivated.connect(lambda item: self._open(item.row()))
        self.cellDoubleClicked.connect(lambda row, _column: self._open(row))

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.ids):
            self.child_opened.emit(self.ids[row])

    def set_rows(self, rows: list[tuple[str, list[str]]], *, red_column: int | None = None) -> None:
        self.setRowCount(len(rows))
        self.ids = [child_id for child_id, _ in rows]
        for r, (_, values) in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == red_column:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.setItem(r, c, item)


class DashboardView(QWidget):
    """The dashboard's widgets over one ledger (usable without a main window)."""

    child_opened = Signal(str)
    loaded = Signal(object)  # DashboardData

    def __init__(
        self,
        ledger: Ledger,
        parent: QWidget | None = None,
        *,
        language: str | None = None,
        workers: Workers | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.language = language or current_language()
        self._today = today
        self._reads = BackgroundReads(self, workers=workers)
        self.data: DashboardData | None = None

        self.heading = QLabel(self.tr("Today's work"))
        heading_font = self.heading.font()
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.35)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.progress.setVisible(False)

        self.total_card = StatCard(self.tr("Children on file"), "#2f6fae")
        self.overdue_card = StatCard(self.tr("Visits overdue"), "#b3261e")
        self.no_contact_card = StatCard(self.tr("No parent contact 7+ days"), "#d28a00")
        self.high_risk_card = StatCard(self.tr("High risk"), "#8e2a8e")
        self.age_out_card = StatCard(self.tr("Ageing out within 30 days"), "#3d8b5f")
        cards = QHBoxLayout()
        for card in (self.total_card, self.overdue_card, self.no_contact_card, self.high_risk_card, self.age_out_card):
            cards.addWidget(card, 1)

        self.category_chart = HorizontalBarChart(self.tr("Children by category"))
        self.risk_chart = HorizontalBarChart(self.tr("Children by risk level"))
        charts = QHBoxLayout()
        charts.addWidget(self.category_chart, 3)
        charts.addWidget(self.risk_chart, 2)

        name, due, days = self.tr("Name"), self.tr("Due"), self.tr("Days overdue")
        self.overdue_list = ChildList([name, due, days], "overdue_list")
        self.no_contact_list = ChildList([name, self.tr("Last parent contact")], "no_contact_list")
        self.high_risk_list = ChildList([name, self.tr("Age"), self.tr("Next due")], "high_risk_list")
        self.age_out_list = ChildList([name, self.tr("Date of birth"), self.tr("Age")], "age_out_list")
        lists = QGridLayout()
        self.list_titles: list[QLabel] = []
        for position, (title, table) in enumerate(
            (
                (self.tr("Overdue visits"), self.overdue_list),
                (self.tr("No parent contact for 7+ days"), self.no_contact_list),
                (self.tr("High-risk children"), self.high_risk_list),
                (self.tr("Ageing out within 30 days"), self.age_out_list),
            )
        ):
            label = QLabel(title)
            font = label.font()
            font.setBold(True)
            label.setFont(font)
            self.list_titles.append(label)
            lists.addWidget(label, 0, position)
            lists.addWidget(table, 1, position)
            table.child_opened.connect(self.child_opened)

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.progress)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(cards)
        layout.addLayout(charts)
        layout.addLayout(lists, 1)

    def refresh(self) -> None:
        self.progress.setVisible(True)
        ledger, today = self.ledger, self._today()
        self._reads.run("dashboard", lambda: load_dashboard(ledger, today), self._on_loaded, self._on_failed)

    def _on_failed(self, error: Exception) -> None:
        self.progress.setVisible(False)
        self.heading.setText(self.tr("Could not load the dashboard: %1").replace("%1", str(error)))

    def _on_loaded(self, data: DashboardData) -> None:
        self.progress.setVisible(False)
        self.data = data
        lang = self.language
        today = self._today()
        self.total_card.set_value(data.total)
        self.overdue_card.set_value(data.overdue_count)
        self.no_contact_card.set_value(data.no_contact_count)
        self.high_risk_card.set_value(data.high_risk_count)
        self.age_out_card.set_value(data.age_out_count)
        self.category_chart.set_bars(
            [Bar(c.label.get(lang), data.by_category[c.value], color) for c, color in zip(Category, _CATEGORY_COLORS, strict=True)]
        )
        self.risk_chart.set_bars([Bar(r.label.get(lang), data.by_risk[r.value], _RISK_COLORS[r]) for r in (RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW)])
        never = self.tr("never")
        self.overdue_list.set_rows(
            [
                (r.id, [r.name, _iso(r.next_visit_due), str((today - r.next_visit_due).days) if r.next_visit_due else ""])
                for r in data.overdue
            ],
            red_column=2,
        )
        self.no_contact_list.set_rows([(r.id, [r.name, _iso(r.last_contact_date) or never]) for r in data.no_contact])
        self.high_risk_list.set_rows([(r.id, [r.name, _age(r), _iso(r.next_visit_due)]) for r in data.high_risk])
        self.age_out_list.set_rows([(r.id, [r.name, _iso(r.birth_date), _age(r)]) for r in data.age_out])
        self.loaded.emit(data)


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def _age(row: ChildSummary) -> str:
    return "" if row.age is None else str(row.age)


class DashboardPage(Page):
    """工作台 in the main window's navigation; a click on a child opens the child's file."""

    key = "dashboard"
    title = NAV_TITLES["dashboard"]
    child_opened = Signal(str)

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

    def _build(self) -> DashboardView:
        view = DashboardView(self.context.ledger, self, language=self.context.language, workers=self.context.workers)
        view.child_opened.connect(self.on_child_clicked)
        self._layout.addWidget(view)
        return view

    def on_child_clicked(self, child_id: str) -> None:
        self.child_opened.emit(child_id)
        open_child(self, child_id)

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
        if shiboken6.isValid(self) and on_screen(self) and (self._stale or self.view.data is None):
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
