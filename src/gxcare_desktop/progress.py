"""Progress reporting and cancellation shared by every long task; Qt-free."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Progress:
    done: int
    total: int
    message: str = ""


ProgressFn = Callable[[Progress], None]


def no_progress(_: Progress) -> None:
    """A ProgressFn for callers that do not show progress (CLI scripting, tests)."""


class Cancelled(Exception):
    """Raised inside a long task when the user asked it to stop."""


class CancelToken:
    """Carries "the user wants to abort" from the GUI thread to a worker."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()
