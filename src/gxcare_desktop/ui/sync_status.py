"""The sync controller of one app context: runs syncs (one at a time), watches the server, keeps the status.

The sync page and the status bar share one controller per context (``controller_for(context)``):
the page starts syncs and shows their reports, the status bar shows the state, and when automatic
sync is on a timer (and Qt's network reachability, where the platform offers it) asks the server
for its health in the background and syncs once it answers and there is something to do.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from ..ledger import Ledger, LedgerError
from ..ledger.workflows import ConflictRow, conflict_rows
from ..sync.client import SyncClient, SyncError
from ..sync.engine import CA_FILE, SERVER_URL, TOKEN, SyncReport, client_for, sync_ledger
from .context import AppContext
from .workers import CancelToken, Job

CHECK_INTERVAL_MS = 3 * 60_000  # a health check is one small GET: cheap even on 2G
FIRST_CHECK_MS = 5_000  # after start-up, once the window is drawn
STALE_AFTER = timedelta(hours=1)  # with nothing to send, pull again when the last sync is this old
HEALTH_TIMEOUT_S = 5.0


class SyncState(Enum):
    NOT_ENROLLED = "not_enrolled"
    OFFLINE = "offline"
    SYNCING = "syncing"
    SYNCED = "synced"
    CONFLICTS = "conflicts"
    IDLE = "idle"  # enrolled, reachability not known yet


@dataclass(frozen=True)
class SyncOutcome:
    """What one sync job returns: the engine's report and the open conflicts after it."""

    report: SyncReport
    conflicts: list[ConflictRow] = field(default_factory=list)
    conflicts_error: SyncError | None = None
    finished_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def is_enrolled(ledger: Ledger) -> bool:
    try:
        return bool(ledger.meta(SERVER_URL) and ledger.meta(TOKEN))
    except LedgerError:
        return False


def fetch_conflicts(ledger: Ledger) -> list[ConflictRow]:
    """Open conflicts of the ledger's jurisdiction, described from the ledger (a worker call)."""
    client = client_for(ledger, timeout=20.0, attempts=2)
    try:
        records = client.conflicts()
    finally:
        client.close()
    return [row for row in conflict_rows(ledger, records) if not row.resolved]


def run_sync(ledger: Ledger, *, progress: Any, cancel: CancelToken) -> SyncOutcome:
    """One sync and a look at the conflicts; the conflicts never turn a good sync into a failure."""
    report = sync_ledger(ledger, progress=progress, cancel=cancel)
    try:
        conflicts = fetch_conflicts(ledger)
    except SyncError as exc:
        return SyncOutcome(report, [], exc)
    return SyncOutcome(report, conflicts)


class SyncController(QObject):
    """Runs syncs for one context, never two at once, and knows the current SyncState."""

    state_changed = Signal(object)  # SyncState
    sync_started = Signal(object)  # the Job
    sync_succeeded = Signal(object)  # SyncOutcome
    sync_failed = Signal(object)  # the exception
    sync_finished = Signal()  # after succeeded / failed / cancelled
    conflicts_changed = Signal(object)  # list[ConflictRow]
    health_checked = Signal(bool)  # whether the server answered

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Weak: controller_for's table must not keep the context (and its ledger) alive.
        self._context = weakref.ref(context)
        self.job: Job | None = None
        self.last_outcome: SyncOutcome | None = None
        self.conflicts: list[ConflictRow] = []
        self._reachable: bool | None = None
        self._checking = False
        self._state = SyncState.NOT_ENROLLED
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.check_now)
        self._network_watch: QObject | None = None
        self.refresh_state()

    @property
    def context(self) -> AppContext:
        context = self._context()
        if context is None:
            raise RuntimeError("the app context of this sync controller is gone")
        return context

    # ---- state ----------------------------------------------------------------------------

    @property
    def state(self) -> SyncState:
        return self._state

    @property
    def busy(self) -> bool:
        return self.job is not None

    def _set_state(self, state: SyncState) -> None:
        if state is not self._state:
            self._state = state
            self.state_changed.emit(state)

    def refresh_state(self) -> None:
        """Work the state out again from the ledger and what the last checks found."""
        if self.job is not None:
            self._set_state(SyncState.SYNCING)
        elif not is_enrolled(self.context.ledger):
            self._set_state(SyncState.NOT_ENROLLED)
        elif self._reachable is False:
            self._set_state(SyncState.OFFLINE)
        elif self.conflicts:
            self._set_state(SyncState.CONFLICTS)
        elif self.last_outcome is not None or self._reachable:
            self._set_state(SyncState.SYNCED)
        else:
            self._set_state(SyncState.IDLE)

    # ---- syncing --------------------------------------------------------------------------

    def start_sync(self) -> Job | None:
        """Start a sync on the write pool (it writes the ledger); None if one runs or none can."""
        ledger = self.context.ledger
        if self.job is not None or ledger.is_locked or not is_enrolled(ledger):
            return None

        def work(*, progress: Any, cancel: CancelToken) -> SyncOutcome:
            return run_sync(ledger, progress=progress, cancel=cancel)

        job = self.context.workers.run(work, write=True, name="sync")
        self.job = job
        job.signals.succeeded.connect(self.on_sync_succeeded)
        job.signals.failed.connect(self.on_sync_failed)
        job.signals.finished.connect(self.on_sync_finished)
        self._set_state(SyncState.SYNCING)
        self.sync_started.emit(job)
        return job

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def on_sync_succeeded(self, outcome: SyncOutcome) -> None:
        self.last_outcome = outcome
        self._reachable = True
        if outcome.conflicts_error is None:
            self.set_conflicts(outcome.conflicts)
        self.sync_succeeded.emit(outcome)

    def on_sync_failed(self, error: Exception) -> None:
        from ..sync.client import ServerUnreachable

        if isinstance(error, ServerUnreachable):
            self._reachable = False
        self.sync_failed.emit(error)

    def on_sync_finished(self) -> None:
        self.job = None
        self.refresh_state()
        self.sync_finished.emit()
        # The sync wrote records (or at least the last-sync time): pages and the status bar refresh.
        self.context.notify_ledger_changed()

    def set_conflicts(self, rows: list[ConflictRow]) -> None:
        self.conflicts = list(rows)
        self.conflicts_changed.emit(self.conflicts)
        self.refresh_state()

    # ---- automatic sync -------------------------------------------------------------------

    def set_automatic(self, enabled: bool) -> None:
        """Check the server every few minutes (and on network changes) and sync when it answers."""
        if enabled and not self.timer.isActive():
            self.timer.start()
            QTimer.singleShot(FIRST_CHECK_MS, self, self.check_now)
        elif not enabled:
            self.timer.stop()

    @property
    def automatic(self) -> bool:
        return self.timer.isActive()

    def _watch_network(self) -> None:
        if self._network_watch is not None:
            return
        try:
            from PySide6.QtNetwork import QNetworkInformation
        except ImportError:
            return
        # Not every platform has a backend (offscreen tests, some Linux set-ups): the timer suffices.
        if not QNetworkInformation.loadDefaultBackend():
            return
        info = QNetworkInformation.instance()
        if info is None:
            return
        info.reachabilityChanged.connect(self.on_reachability_changed)
        self._network_watch = info

    def on_reachability_changed(self, _reachability: object) -> None:
        if self.automatic:
            self.check_now()

    def check_now(self) -> Job | None:
        """Ask the server for its health in the background; sync if it answers and work waits."""
        ledger = self.context.ledger
        if self._checking or self.job is not None or ledger.is_locked or not is_enrolled(ledger):
            self.refresh_state()
            return None
        try:
            url, ca_file = ledger.meta(SERVER_URL) or "", ledger.meta(CA_FILE) or None
        except LedgerError:
            return None
        if self.automatic:
            self._watch_network()  # only once there is a server to watch for
        self._checking = True

        def work(*, progress: Any, cancel: CancelToken) -> tuple[bool, bool]:
            client = SyncClient(url, ca_file=ca_file, timeout=HEALTH_TIMEOUT_S, attempts=1)
            try:
                reachable = client.health()
            finally:
                client.close()
            if not reachable:
                return False, False
            try:
                last = ledger.last_sync_at()
                due = ledger.pending_changes() > 0 or last is None or datetime.now(UTC) - _aware(last) > STALE_AFTER
            except LedgerError:
                due = False  # locked meanwhile: the next check will see
            return True, due

        job = self.context.workers.run(work, write=False, name="sync-health")
        job.signals.succeeded.connect(self.on_health_checked)
        job.signals.finished.connect(self._check_finished)
        return job

    def _check_finished(self) -> None:
        self._checking = False

    def on_health_checked(self, result: tuple[bool, bool]) -> None:
        reachable, due = result
        self._reachable = reachable
        self.health_checked.emit(reachable)
        if reachable and due:
            self.start_sync()
        self.refresh_state()

    def shutdown(self) -> None:
        self.timer.stop()
        self.cancel()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


_controllers: weakref.WeakKeyDictionary[AppContext, SyncController] = weakref.WeakKeyDictionary()


def controller_for(context: AppContext) -> SyncController:
    """The one controller of a context (the page and the status bar must agree on what runs)."""
    controller = _controllers.get(context)
    if controller is None:
        controller = SyncController(context, context.events)
        _controllers[context] = controller
    return controller


class SyncIndicator(QLabel):
    """The status bar's word on sync: 未登记 / 离线 / 同步中 / 已同步 HH:MM / 有冲突."""

    COLOURS = {
        SyncState.OFFLINE: "#8a5a00",
        SyncState.SYNCING: "#24476b",
        SyncState.SYNCED: "#1b6e32",
        SyncState.CONFLICTS: "#b3261e",
    }

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync_indicator")
        self.controller = controller
        controller.state_changed.connect(self.refresh)
        controller.sync_finished.connect(self.refresh)
        self.refresh()

    def refresh(self, *_args: object) -> None:
        self.setText(self.state_text())
        colour = self.COLOURS.get(self.controller.state)
        self.setStyleSheet(f"color: {colour}; font-weight: bold; padding: 0 6px;" if colour else "padding: 0 6px;")

    def state_text(self) -> str:
        state = self.controller.state
        if state is SyncState.NOT_ENROLLED:
            return self.tr("Not connected to a server")
        if state is SyncState.OFFLINE:
            return self.tr("Offline")
        if state is SyncState.SYNCING:
            return self.tr("Syncing…")
        if state is SyncState.CONFLICTS:
            return self.tr("Conflicts: %1").replace("%1", str(len(self.controller.conflicts)))
        try:
            last = self.controller.context.ledger.last_sync_at()
        except LedgerError:
            last = None
        if last is None:
            return self.tr("Not synced yet")
        return self.tr("Synced %1").replace("%1", _aware(last).astimezone().strftime("%H:%M"))

    def changeEvent(self, event: Any) -> None:
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.LanguageChange:
            self.refresh()
        super().changeEvent(event)
