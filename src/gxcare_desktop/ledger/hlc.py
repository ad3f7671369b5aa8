"""The device's hybrid logical clock: monotonic even when the PC's wall clock jumps back."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ..domain.hlc import Hlc

# A pulled clock further ahead than this is not adopted: one device's wrong date must not drag
# every other device's clock into the future (the server refuses such clocks too).
MAX_ADOPTED_DRIFT_MS = 5 * 60 * 1000


class HlcClock:
    def __init__(self, device_id: str, last: str | None = None, *, wall_ms: Callable[[], int] | None = None) -> None:
        self._device = device_id
        self._wall_ms = wall_ms or (lambda: int(time.time() * 1000))
        self._lock = threading.Lock()
        self._last = Hlc.decode(last) if last else Hlc(0, 0, device_id)

    @property
    def last(self) -> str:
        return self._last.encode()

    def tick(self) -> str:
        with self._lock:
            wall = self._wall_ms()
            if wall > self._last.ms:
                self._last = Hlc(wall, 0, self._device)
            else:
                self._last = Hlc(self._last.ms, self._last.counter + 1, self._device)
            return self._last.encode()

    def observe(self, remote: str) -> None:
        """Move past a clock seen in a pulled change, so our next write orders after it."""
        other = Hlc.decode(remote)
        with self._lock:
            if other.ms > self._wall_ms() + MAX_ADOPTED_DRIFT_MS:
                return
            if (other.ms, other.counter) > (self._last.ms, self._last.counter):
                self._last = Hlc(other.ms, other.counter, self._device)
