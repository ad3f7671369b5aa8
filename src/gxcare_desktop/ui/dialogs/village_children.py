"""The children of one village (or township) in a window of their own, opened from the township
overview; the same list, filters and search as the children page, narrowed to that place."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from ...ledger import ChildQuery, Ledger
from ..pages.children_page import ChildrenListPage
from ..workers import Workers


class VillageChildrenList(ChildrenListPage):
    """ChildrenListPage whose every query keeps to one division code prefix."""

    def __init__(self, ledger: Ledger, division_code: str, parent: QWidget | None = None, *,
                 language: str | None = None, workers: Workers | None = None) -> None:
        self.division_code = division_code
        super().__init__(ledger, parent, language=language, workers=workers)
        self.new_button.setVisible(False)  # new files are made in the village, not from here

    def query(self) -> ChildQuery:
        return replace(super().query(), village=self.division_code)


class VillageChildrenDialog(QDialog):
    """Double-clicking a child emits `child_opened` (the township page opens the file)."""

    child_opened = Signal(str)

    def __init__(self, ledger: Ledger, division_code: str, title: str, parent: QWidget | None = None, *,
                 language: str | None = None, workers: Workers | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.list_page = VillageChildrenList(ledger, division_code, self, language=language, workers=workers)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list_page)
        self.list_page.child_opened.connect(self.child_opened)
        self.resize(1000, 640)

    def load(self) -> None:
        self.list_page.reload()
