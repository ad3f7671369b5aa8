"""A progress bar, a message and a Cancel button that follow one background Job."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from ..workers import Job


class ProgressPanel(QWidget):
    """Call `watch(job)`; the panel shows the job's progress and hides itself when it ends.

    A total of 0 shows a busy bar (work of unknown length, such as a key derivation).
    """

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, cancellable: bool = True) -> None:
        super().__init__(parent)
        self._job: Job | None = None
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setVisible(cancellable)
        self.cancel_button.clicked.connect(self.on_cancel_clicked)
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self.retranslate()
        self.hide()

    @property
    def job(self) -> Job | None:
        return self._job

    def watch(self, job: Job, message: str = "") -> None:
        self._job = job
        self.message.setText(message)
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        job.signals.progress.connect(self.on_job_progress)
        job.signals.finished.connect(self.on_job_finished)
        self.show()

    def on_job_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        else:
            self.bar.setRange(0, 0)
        if message:
            self.message.setText(message)

    def on_job_finished(self) -> None:
        self._job = None
        self.hide()

    def on_cancel_clicked(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self.cancel_button.setEnabled(False)
            self.message.setText(self.tr("Cancelling…"))
        self.cancel_requested.emit()

    def retranslate(self) -> None:
        self.cancel_button.setText(self.tr("Cancel"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
