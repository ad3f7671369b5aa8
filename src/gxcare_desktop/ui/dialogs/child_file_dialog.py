"""A child's file in its own window, for places that have no children page to switch to."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from ...ledger import Ledger
from ..pages.child_file_page import ChildFilePage


class ChildFileDialog(QDialog):
    """Wraps ChildFilePage; "back" closes the window."""

    def __init__(self, ledger: Ledger, child_id: str, parent: QWidget | None = None, *, language: str | None = None) -> None:
        super().__init__(parent)
        self.file_page = ChildFilePage(ledger, self, language=language)
        self.file_page.load(child_id)
        self.file_page.closed.connect(self.accept)
        self.setWindowTitle(self.file_page.title.text())
        layout = QVBoxLayout(self)
        layout.addWidget(self.file_page)
        self.resize(1000, 680)
