"""The main window: navigation on the left, the registered pages in a stack, a status bar, idle lock."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from ..ledger import LedgerError
from ..settings import Settings
from .context import AppContext
from .idle_lock import IdleLock
from .pages import PAGES, Page
from .sync_status import SyncIndicator, controller_for

STATUS_REFRESH_MS = 60_000
NAV_STYLE = """
QListWidget#navigation { background: #24476b; color: white; border: none; outline: 0; font-size: 12pt; }
QListWidget#navigation::item { padding: 12px 16px; }
QListWidget#navigation::item:selected { background: #f0f4f8; color: #24476b; font-weight: bold; }
"""


class MainWindow(QMainWindow):
    """Build with the app context; `pages` defaults to the registry in ui/pages/__init__.py."""

    page_changed = Signal(str)  # the key of the page now shown

    def __init__(self, context: AppContext, pages: Sequence[type[Page]] = PAGES,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.navigation = QListWidget(self)
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(180)
        self.navigation.setIconSize(QSize(24, 24))
        self.navigation.setStyleSheet(NAV_STYLE)
        self.stack = QStackedWidget(self)
        self.pages: dict[str, Page] = {}
        for page_class in pages:
            # Pages for some roles only (the township overview) say so with shown_for(ledger).
            shown_for = getattr(page_class, "shown_for", None)
            if shown_for is None or shown_for(context.ledger):
                self.add_page(page_class(context, self.stack))

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.village_status = QLabel(self)
        self.pending_status = QLabel(self)
        self.sync_status = QLabel(self)
        self.statusBar().addWidget(self.village_status, 1)
        self.statusBar().addPermanentWidget(self.pending_status)
        self.statusBar().addPermanentWidget(self.sync_status)
        # 离线 / 同步中 / 已同步 HH:MM / 有冲突; the controller also runs the automatic sync.
        self.sync_controller = controller_for(context)
        self.sync_indicator = SyncIndicator(self.sync_controller, self)
        self.statusBar().addPermanentWidget(self.sync_indicator)
        self.sync_controller.set_automatic(context.settings.auto_sync)

        self.idle_lock = IdleLock(self, context, context.settings.idle_lock_minutes * 60_000)
        self.status_timer = QTimer(self)
        self.status_timer.setInterval(STATUS_REFRESH_MS)
        self.status_timer.timeout.connect(self.refresh_status)
        self.status_timer.start()

        self.navigation.currentRowChanged.connect(self.on_navigation_row_changed)
        context.events.ledger_changed.connect(self.on_ledger_changed)
        context.events.settings_changed.connect(self.on_settings_changed)
        context.events.unlocked.connect(self.refresh_status)
        self.resize(1280, 800)
        self.retranslate()
        if self.pages:
            self.navigation.setCurrentRow(0)

    # ---- pages ------------------------------------------------------------------------------

    def add_page(self, page: Page) -> None:
        self.pages[page.key] = page
        self.stack.addWidget(page)
        item = QListWidgetItem(page.translated_title())
        item.setData(Qt.ItemDataRole.UserRole, page.key)
        self.navigation.addItem(item)

    def show_page(self, key: str) -> Page:
        page = self.pages[key]
        self.navigation.setCurrentRow(list(self.pages).index(key))
        return page

    def current_page(self) -> Page | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Page) else None

    def on_navigation_row_changed(self, row: int) -> None:
        if row < 0:
            return
        page = self.stack.widget(row)
        self.stack.setCurrentIndex(row)
        if isinstance(page, Page):
            page.page_shown()
            self.page_changed.emit(page.key)

    # ---- events -----------------------------------------------------------------------------

    def on_ledger_changed(self) -> None:
        self.refresh_status()
        page = self.current_page()
        if page is not None:
            page.ledger_changed()

    def on_settings_changed(self, settings: Settings) -> None:
        self.idle_lock.set_timeout_ms(settings.idle_lock_minutes * 60_000)
        self.sync_controller.set_automatic(settings.auto_sync)
        self.refresh_status()

    # ---- status bar -------------------------------------------------------------------------

    def refresh_status(self) -> None:
        ledger = self.context.ledger
        code = ledger.village_code
        self.village_status.setText(f"{self.context.divisions().full_name(code) or code}")
        if ledger.is_locked:
            return
        try:
            pending = ledger.pending_changes()
            last_sync = ledger.last_sync_at()
        except LedgerError:
            return
        self.pending_status.setText(self.tr("Unsynced changes: %n", "", pending))
        self.sync_status.setText(self.tr("Last sync: %1").replace("%1", self.format_time(last_sync)))

    def format_time(self, moment: datetime | None) -> str:
        if moment is None:
            return self.tr("never")
        local = moment.astimezone() if moment.tzinfo else moment
        return local.strftime("%Y-%m-%d %H:%M")

    # ---- texts ------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Children's Care Ledger"))
        for row in range(self.navigation.count()):
            item = self.navigation.item(row)
            item.setText(self.pages[item.data(Qt.ItemDataRole.UserRole)].translated_title())
        self.refresh_status()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def closeEvent(self, event: object) -> None:
        self.idle_lock.shutdown()
        self.sync_controller.shutdown()
        super().closeEvent(event)  # type: ignore[arg-type]
