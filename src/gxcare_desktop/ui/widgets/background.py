"""Ledger reads and writes of a page or dialog on the app's worker pools, delivered to the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject

from ..workers import CancelToken, Job, Workers


class BackgroundReads(QObject):
    """Runs ledger reads with `Workers.run(write=False)`; a newer read of the same key makes older ones stale."""

    def __init__(self, parent: QObject | None = None, *, workers: Workers | None = None) -> None:
        super().__init__(parent)
        # Unparented: a read still running when the page closes must not outlive its pool's C++ object.
        self.workers = workers or Workers()
        self._generation: dict[str, int] = {}
        self._pending: dict[str, Job] = {}

    def run(
        self,
        key: str,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_failed: Callable[[Exception], None] | None = None,
    ) -> Job:
        generation = self._generation.get(key, 0) + 1
        self._generation[key] = generation
        stale = self._pending.get(key)
        if stale is not None:
            stale.cancel()

        def work(*, progress: Any, cancel: CancelToken) -> Any:
            return fn()

        job = self.workers.run(work, write=False, name=f"read:{key}")
        self._pending[key] = job

        # A page closed while its read ran must not be touched when the result arrives.
        def done(result: Any) -> None:
            if shiboken6.isValid(self) and self._generation.get(key) == generation:
                self._pending.pop(key, None)
                on_done(result)

        def failed(exc: Any) -> None:
            if shiboken6.isValid(self) and self._generation.get(key) == generation:
                self._pending.pop(key, None)
                if on_failed is not None:
                    on_failed(exc)

        job.signals.succeeded.connect(done)
        job.signals.failed.connect(failed)
        return job

    @property
    def busy(self) -> bool:
        return bool(self._pending)


def write_in_background(
    owner: QObject,
    workers: Workers,
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_failed: Callable[[Exception], None],
) -> Job:
    """Run a ledger write on the app's single write thread; the slots run only while `owner` lives.

    A write waits its turn behind any other (a sync batch, an import) without freezing the window.
    """

    def work(*, progress: Any, cancel: CancelToken) -> Any:
        return fn()

    job = workers.run(work, write=True, name="write")

    def done(result: Any) -> None:
        if shiboken6.isValid(owner):
            on_done(result)

    def failed(exc: Any) -> None:
        if shiboken6.isValid(owner):
            on_failed(exc)

    job.signals.succeeded.connect(done)
    job.signals.failed.connect(failed)
    return job
