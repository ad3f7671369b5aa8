"""打印档案: one child's file written as an A4 PDF on the write thread (audited), then offered to open."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from ...ledger import Ledger
from ...reports.commands import run_print_file
from ..workers import Job, Workers
from .import_dialog import ChooseSaveFn, choose_save_path, error_text

OpenUrlFn = Callable[[QUrl], bool]


class PrintFileAction(QObject):
    """`start(child_id, name)`: ask where, write the PDF in a worker, then offer to open it."""

    printed = Signal(str)  # the PDF's path
    print_failed = Signal(object)  # the exception

    def __init__(
        self,
        ledger: Ledger,
        workers: Workers,
        parent: QWidget,
        *,
        language: str = "zh_CN",
        choose_save: ChooseSaveFn | None = None,
        open_url: OpenUrlFn | None = None,
    ) -> None:
        super().__init__(parent)
        self.ledger = ledger
        self.workers = workers
        self.widget = parent
        self.language = language
        self.choose_save = choose_save or choose_save_path
        self.open_url = open_url or QDesktopServices.openUrl
        self.job: Job | None = None
        self.offer: QMessageBox | None = None

    @property
    def busy(self) -> bool:
        return self.job is not None

    def start(self, child_id: str, name: str) -> Job | None:
        if self.job is not None:
            return None
        suggested = f"{name}-file.pdf" if self.language.startswith("en") else f"{name}档案.pdf"
        chosen = self.choose_save(self.widget, suggested)
        if not chosen:
            return None
        return self.write(child_id, Path(chosen))

    def write(self, child_id: str, path: Path) -> Job:
        ledger, language = self.ledger, self.language

        def work(*, progress: Any, cancel: Any) -> Path:
            return run_print_file(ledger, child_id, path, language=language)

        # Printing records an audit entry (who printed whose file): a ledger write.
        job = self.workers.run(work, write=True, name="print-file")
        self.job = job
        job.signals.succeeded.connect(self.on_succeeded)
        job.signals.failed.connect(self.on_failed)
        job.signals.finished.connect(self.on_finished)
        return job

    def on_finished(self) -> None:
        self.job = None

    def on_succeeded(self, path: Path) -> None:
        self.printed.emit(str(path))
        box = QMessageBox(self.widget)
        box.setObjectName("print_file_done")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("Print file"))
        box.setText(self.tr("The file was saved as a PDF:\n%1").replace("%1", str(path)))
        open_button = box.addButton(self.tr("Open it"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.buttonClicked.connect(lambda button: self.open_url(QUrl.fromLocalFile(str(path))) if button is open_button else None)
        self.offer = box
        box.open()  # not exec(): the window stays usable, and tests are never stuck in a modal loop

    def on_failed(self, error: Exception) -> None:
        self.print_failed.emit(error)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Print file"),
                          self.tr("Could not write the PDF: %1").replace("%1", error_text(error, self.language)),
                          QMessageBox.StandardButton.Close, self.widget)
        self.offer = box
        box.open()
