"""The one bridge between long Qt-free work and the GUI: jobs on thread pools that report by signals.

Every long operation below ui/ has the shape ``fn(*, progress, cancel) -> result``. ``Workers.run``
starts it on a pool and returns a ``Job`` whose ``signals`` fire on the GUI thread:

    job = context.workers.run(lambda *, progress, cancel: export(..., progress=progress, cancel=cancel),
                              write=False)
    job.signals.succeeded.connect(self.on_export_succeeded)
    job.signals.failed.connect(self.on_export_failed)
    panel.watch(job)            # widgets.ProgressPanel: bar, message, cancel button

Ledger writes go to a pool of ONE thread (``write=True``, the default) so they never race each
other; reads and network work may run beside them (``write=False``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from ..progress import Cancelled, CancelToken, Progress

__all__ = ["CancelToken", "Job", "JobFn", "JobSignals", "Workers"]

PROGRESS_INTERVAL_S = 0.1  # at most ~10 progress signals a second: a faster bar only costs the GUI


class JobFn(Protocol):
    def __call__(self, *, progress: Callable[[Progress], None], cancel: CancelToken) -> Any: ...


class JobSignals(QObject):
    """Lives on the GUI thread; the worker emits the private signals, which Qt queues to here."""

    progress = Signal(int, int, str)  # done, total (0 = unknown), message
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    cancelled = Signal()
    finished = Signal()  # after exactly one of succeeded / failed / cancelled

    _progress_from_worker = Signal(int, int, str)
    _ended_from_worker = Signal(str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Bound to a method of this GUI-thread object: an emit from the worker thread is queued
        # here, so every public signal fires on the GUI thread whatever its receivers are.
        self._progress_from_worker.connect(self._relay_progress)
        self._ended_from_worker.connect(self._relay_end)

    @Slot(int, int, str)
    def _relay_progress(self, done: int, total: int, message: str) -> None:
        self.progress.emit(done, total, message)

    @Slot(str, object)
    def _relay_end(self, outcome: str, value: object) -> None:
        if outcome == "succeeded":
            self.succeeded.emit(value)
        elif outcome == "failed":
            self.failed.emit(value)
        else:
            self.cancelled.emit()
        self.finished.emit()


class Job(QRunnable):
    """One call of a JobFn on a worker thread. Create on the GUI thread (Workers.run does)."""

    def __init__(self, fn: JobFn, *, name: str = "") -> None:
        super().__init__()
        self.setAutoDelete(False)  # Workers keeps the Python object until `finished`
        self.fn = fn
        self.name = name
        self.signals = JobSignals()
        self.cancel_token = CancelToken()
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = threading.Event()
        self._last_emit = 0.0
        self._last_fraction: tuple[int, int] | None = None

    def cancel(self) -> None:
        """Ask the work to stop; it stops at its next `cancel.raise_if_cancelled()`."""
        self.cancel_token.cancel()

    @property
    def is_cancel_requested(self) -> bool:
        return self.cancel_token.cancelled

    def report(self, progress: Progress) -> None:
        """The ProgressFn handed to the work: throttled, but the first and the last always pass."""
        now = time.monotonic()
        last = progress.total > 0 and progress.done >= progress.total
        if not last and self._last_fraction is not None and now - self._last_emit < PROGRESS_INTERVAL_S:
            return
        self._last_emit = now
        self._last_fraction = (progress.done, progress.total)
        self.signals._progress_from_worker.emit(int(progress.done), int(progress.total), progress.message)

    def run(self) -> None:
        try:
            self.result = self.fn(progress=self.report, cancel=self.cancel_token)
        except Cancelled:
            outcome, value = "cancelled", None
        except Exception as exc:  # noqa: BLE001 - every failure must reach the GUI, never kill the pool
            self.error = exc
            outcome, value = "failed", exc
        else:
            outcome, value = "succeeded", self.result
        self.done.set()
        self.signals._ended_from_worker.emit(outcome, value)


class Workers(QObject):
    """The application's thread pools: one thread for ledger writes, a few for everything else.

    Not a singleton: the app creates one and hands it to windows and dialogs (tests make their own).
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, background_threads: int = 2) -> None:
        super().__init__(parent)
        self.write_pool = QThreadPool(self)
        self.write_pool.setMaxThreadCount(1)
        self.background_pool = QThreadPool(self)
        self.background_pool.setMaxThreadCount(background_threads)
        self._jobs: set[Job] = set()

    def run(self, fn: JobFn, *, write: bool = True, name: str = "") -> Job:
        """Start `fn(progress=..., cancel=...)` on a pool; connect to `job.signals` right away.

        Signals are queued to the GUI thread, so connections made before control returns to
        the event loop never miss an emit.
        """
        job = Job(fn, name=name)
        was_busy = bool(self._jobs)
        self._jobs.add(job)
        job.signals.finished.connect(lambda: self._forget(job))
        (self.write_pool if write else self.background_pool).start(job)
        if not was_busy:
            self.busy_changed.emit(True)
        return job

    def _forget(self, job: Job) -> None:
        self._jobs.discard(job)
        if not self._jobs:
            self.busy_changed.emit(False)

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def active_jobs(self) -> list[Job]:
        return list(self._jobs)

    def cancel_all(self) -> None:
        for job in list(self._jobs):
            job.cancel()

    def wait(self, timeout_ms: int = -1) -> bool:
        """Block until both pools are idle (at shutdown); True if they are."""
        ok_write = self.write_pool.waitForDone(timeout_ms)
        ok_background = self.background_pool.waitForDone(timeout_ms)
        return bool(ok_write and ok_background)
