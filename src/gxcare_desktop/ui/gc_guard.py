"""Python's cycle collector runs on the GUI thread only, so Qt objects are never freed from a worker.

With automatic collection on, a worker thread that allocates a lot (a demo ledger, an import)
triggers the collector there, and any unreachable cycle holding a widget or a QObject is then
destroyed from that thread: a crash. We switch automatic collection off and collect from a timer
on the GUI thread instead, following the same generation thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class GuiThreadGarbageCollector(QObject):
    """Create once, on the GUI thread, after the QApplication; `stop()` gives collection back."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.collect_if_due)
        self.timer.start()

    def collect_if_due(self) -> int:
        """Collect the oldest generation whose allocation count passed its threshold."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if self.thresholds[generation] and counts[generation] > self.thresholds[generation]:
                return gc.collect(generation)
        return 0

    def stop(self) -> None:
        self.timer.stop()
        if self._was_enabled:
            gc.enable()
