"""The demo ledger: created with realistic data in a worker (with progress), or opened if it exists."""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ...ledger import Ledger, LedgerError
from ...ledger.demo import create_demo_ledger
from ...paths import user_data_dir
from ...progress import CancelToken, Progress, ProgressFn
from ..i18n import current_language
from ..widgets.progress_panel import ProgressPanel
from ..workers import Workers

# Shown to the user on screen: the demo holds only invented people.
DEMO_PASSWORD = "Demo-2026"
DEMO_CHILDREN = 200
DEMO_SEED = 1


def demo_ledger_path() -> Path:
    """Kept apart from the real ledger, so trying the demo never blocks creating one's own."""
    return user_data_dir() / "demo" / "demo.gxc"


def open_or_create_demo(path: Path, *, children: int = DEMO_CHILDREN, progress: ProgressFn,
                        cancel: CancelToken) -> Ledger:
    if Ledger.exists(path):
        progress(Progress(0, 0, ""))
        return Ledger.open(path, password=DEMO_PASSWORD)
    try:
        return create_demo_ledger(path, password=DEMO_PASSWORD, children=children, seed=DEMO_SEED,
                                  progress=progress, cancel=cancel)
    except BaseException:
        # A half-filled demo would open as a misleading small ledger next time: start over then.
        for leftover in path.parent.glob(path.name + "*"):
            with contextlib.suppress(OSError):  # Windows keeps files of open engines
                leftover.unlink(missing_ok=True)
        raise


class DemoLedgerPanel(QWidget):
    """Opens (creating if needed) the demo ledger; `ready` carries the Ledger."""

    ready = Signal(object)
    failed = Signal(object)

    def __init__(self, workers: Workers, path: Path | None = None, parent: QWidget | None = None,
                 *, children: int = DEMO_CHILDREN) -> None:
        super().__init__(parent)
        self.workers = workers
        self.path = path or demo_ledger_path()
        self.child_count = children  # not `children`: that is QObject.children()
        self.ledger: Ledger | None = None
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.password_label = QLabel(self)
        self.password_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = ProgressPanel(self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.password_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.retranslate()

    def start(self) -> None:
        if self.ledger is not None or self.progress.job is not None:
            return
        path, children = self.path, self.child_count
        job = self.workers.run(
            lambda *, progress, cancel: open_or_create_demo(path, children=children, progress=progress, cancel=cancel),
            name="demo",
        )
        job.signals.succeeded.connect(self.on_job_succeeded)
        job.signals.failed.connect(self.on_job_failed)
        job.signals.cancelled.connect(self.on_job_cancelled)
        creating = not Ledger.exists(path)
        self.progress.watch(job, self.tr("Creating the demo ledger with invented children…") if creating
                            else self.tr("Opening the demo ledger…"))

    def on_job_succeeded(self, ledger: object) -> None:
        assert isinstance(ledger, Ledger)
        self.ledger = ledger
        self.message.setText(self.tr("The demo ledger is ready."))
        self.ready.emit(ledger)

    def on_job_failed(self, error: object) -> None:
        text = error.message.get(current_language()) if isinstance(error, LedgerError) else str(error)
        self.message.setText(self.tr("The demo ledger could not be opened: %1").replace("%1", text))
        self.failed.emit(error)

    def on_job_cancelled(self) -> None:
        self.message.setText(self.tr("Cancelled."))

    def retranslate(self) -> None:
        self.intro.setText(self.tr(
            "The demo ledger is filled with invented children, families and visits, so you can try every screen. It is kept apart from your own ledger."))
        self.password_label.setText(self.tr("Demo password: %1").replace("%1", DEMO_PASSWORD))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class DemoDialog(QDialog):
    """`gxcare demo`: the demo panel in a dialog, accepted when the ledger is open."""

    def __init__(self, workers: Workers, path: Path | None = None, parent: QWidget | None = None,
                 *, children: int = DEMO_CHILDREN) -> None:
        super().__init__(parent)
        self.panel = DemoLedgerPanel(workers, path, self, children=children)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.panel.ready.connect(self.on_panel_ready)
        self.panel.progress.cancel_requested.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.setWindowTitle(self.tr("Demo ledger"))

    @property
    def ledger(self) -> Ledger | None:
        return self.panel.ledger

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self.panel.start()

    def on_panel_ready(self, _ledger: object) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)

    def reject(self) -> None:
        job = self.panel.progress.job
        if job is not None:
            job.cancel()
        super().reject()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.setWindowTitle(self.tr("Demo ledger"))
        super().changeEvent(event)
