"""Workers: results, failures and cancellation arrive as signals on the GUI thread; progress is throttled."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from gxcare_desktop.progress import CancelToken, Progress
from gxcare_desktop.ui.widgets.progress_panel import ProgressPanel
from gxcare_desktop.ui.workers import Workers


def test_result_and_throttled_progress_on_the_gui_thread(qtbot, workers: Workers) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[int, int, str]] = []
    threads: list[bool] = []

    def count(*, progress, cancel: CancelToken) -> int:  # type: ignore[no-untyped-def]
        for i in range(1, 20_001):
            progress(Progress(i, 20_000, f"row {i}"))
        return 42

    job = workers.run(count, write=False)
    job.signals.progress.connect(lambda d, t, m: (seen.append((d, t, m)), threads.append(QThread.currentThread() is QApplication.instance().thread())))
    with qtbot.waitSignal(job.signals.succeeded, timeout=10_000) as result:
        pass
    assert result.args == [42]
    assert seen[-1] == (20_000, 20_000, "row 20000")  # the last report always passes
    assert 1 <= len(seen) < 2_000  # 20,000 reports do not become 20,000 signals
    assert all(threads)


def test_failure_carries_the_exception(qtbot, workers: Workers) -> None:  # type: ignore[no-untyped-def]
    def broken(*, progress, cancel):  # type: ignore[no-untyped-def]
        raise ValueError("bad row 7")

    job = workers.run(broken)
    with qtbot.waitSignal(job.signals.failed, timeout=10_000) as failed, qtbot.waitSignal(job.signals.finished, timeout=10_000):
        pass
    assert isinstance(failed.args[0], ValueError) and "bad row 7" in str(failed.args[0])


def test_cancel_stops_the_work(qtbot, workers: Workers) -> None:  # type: ignore[no-untyped-def]
    started = threading.Event()
    steps: list[int] = []

    def endless(*, progress, cancel: CancelToken) -> None:  # type: ignore[no-untyped-def]
        started.set()
        while True:
            cancel.raise_if_cancelled()
            steps.append(1)
            progress(Progress(len(steps), 0, ""))
            threading.Event().wait(0.001)

    job = workers.run(endless, write=False)
    assert started.wait(10)
    with qtbot.waitSignal(job.signals.cancelled, timeout=10_000):
        job.cancel()
    qtbot.waitUntil(lambda: not workers.busy, timeout=5_000)
    assert steps  # it did run before it was stopped


def test_ledger_writes_run_one_at_a_time(qtbot, workers: Workers) -> None:  # type: ignore[no-untyped-def]
    running = 0
    most = 0
    lock = threading.Lock()

    def write(*, progress, cancel):  # type: ignore[no-untyped-def]
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        threading.Event().wait(0.02)
        with lock:
            running -= 1

    jobs = [workers.run(write, write=True) for _ in range(5)]
    qtbot.waitUntil(lambda: all(j.done.is_set() for j in jobs), timeout=10_000)
    assert most == 1


def test_progress_panel_follows_and_cancels_a_job(qtbot, workers: Workers) -> None:  # type: ignore[no-untyped-def]
    panel = ProgressPanel()
    qtbot.addWidget(panel)
    reached = threading.Event()

    def work(*, progress, cancel: CancelToken) -> None:  # type: ignore[no-untyped-def]
        progress(Progress(3, 10, "三/十"))
        reached.set()
        while not cancel.cancelled:
            threading.Event().wait(0.005)
        cancel.raise_if_cancelled()

    job = workers.run(work, write=False)
    panel.watch(job, "开始")
    assert panel.isVisible()
    qtbot.waitUntil(lambda: panel.bar.maximum() == 10 and panel.bar.value() == 3, timeout=10_000)
    assert panel.message.text() == "三/十"
    with qtbot.waitSignal(job.signals.cancelled, timeout=10_000):
        panel.cancel_button.click()
    assert not panel.isVisible()
