"""The base class of every page in the main window's navigation."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QWidget

from ..context import AppContext
from ..i18n import QT_TRANSLATE_NOOP

# Navigation labels of the product's sections, in their order (English source, translated
# in the "Navigation" context). Pages that are not written yet are simply not in PAGES.
NAV_TITLES: dict[str, str] = {
    "dashboard": QT_TRANSLATE_NOOP("Navigation", "Dashboard"),  # 工作台
    "children": QT_TRANSLATE_NOOP("Navigation", "Children"),  # 儿童档案
    "visits": QT_TRANSLATE_NOOP("Navigation", "Visits"),  # 走访
    "reports": QT_TRANSLATE_NOOP("Navigation", "Reports"),  # 报表
    "sync": QT_TRANSLATE_NOOP("Navigation", "Sync"),  # 同步
    "settings": QT_TRANSLATE_NOOP("Navigation", "Settings"),  # 设置
}


class Page(QWidget):
    """One screen of the main window. Subclasses set `key` and `title` and build their widgets.

    - `key`: a stable ASCII id ("children"); also the screenshot file name.
    - `title`: the English navigation label, marked with
      ``QT_TRANSLATE_NOOP("Navigation", "...")`` so lupdate collects it.
    - `retranslate()`: set every visible text; called once by the subclass at the end of
      __init__ and again whenever the language changes.
    - `page_shown()`: the user navigated here; refresh cheap data (run slow reads in a worker).
    - `ledger_changed()`: something was written; refresh if shown (the default re-runs page_shown).
    """

    key: ClassVar[str]
    title: ClassVar[str]

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName(f"page_{self.key}")

    @classmethod
    def translated_title(cls) -> str:
        return QCoreApplication.translate("Navigation", cls.title)

    def retranslate(self) -> None:
        """Override: re-set all texts from self.tr(...)."""

    def page_shown(self) -> None:
        """Override: called each time the page becomes the current one."""

    def ledger_changed(self) -> None:
        if self.isVisible():
            self.page_shown()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
