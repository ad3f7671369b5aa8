"""Idle auto-lock: no input for N minutes drops the ledger key and covers the window until unlocked."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QMainWindow, QVBoxLayout, QWidget

from ..ledger import Ledger
from .context import AppContext
from .widgets.unlock_form import UnlockForm

INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
    QEvent.Type.TabletPress,
})


CARD_WIDTH = 420
COVERED_WINDOW_TYPES = (Qt.WindowType.Window, Qt.WindowType.Dialog, Qt.WindowType.Tool)


class IdleWatcher(QObject):
    """An application-wide event filter: any user input restarts the idle timer."""

    idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(timeout_ms)
        self.timer.timeout.connect(self.idle)
        app = QCoreApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def set_timeout_ms(self, timeout_ms: int) -> None:
        self.timer.setInterval(timeout_ms)
        if self.timer.isActive():
            self.timer.start()

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def uninstall(self) -> None:
        self.timer.stop()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and self.timer.isActive():
            self.timer.start()
        return False


class LockOverlay(QFrame):
    """An opaque cover over the whole window with the unlock form; what it covers stays as it was."""

    unlocked = Signal()

    def __init__(self, window: QWidget, context: AppContext) -> None:
        super().__init__(window)
        self.context = context
        self.setObjectName("lockOverlay")
        self.setAutoFillBackground(True)
        self.setStyleSheet("#lockOverlay { background: #e9eef3; } #lockCard { background: white; border-radius: 8px; }")
        self.card = QFrame(self)
        self.card.setObjectName("lockCard")
        self.heading = QLabel(self.card)
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.explanation = QLabel(self.card)
        self.explanation.setWordWrap(True)
        self.form = UnlockForm(context.workers, self._unlock, self.card)
        self.form.prompt.hide()
        form_layout = self.form.layout()
        if form_layout is not None:
            form_layout.setContentsMargins(0, 0, 0, 0)
        self.form.unlocked.connect(self.on_form_unlocked)
        card_layout = QVBoxLayout(self.card)
        card_layout.addWidget(self.heading)
        card_layout.addWidget(self.explanation)
        card_layout.addWidget(self.form)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.card, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        window.installEventFilter(self)
        self.hide()
        self.retranslate()

    def _unlock(self, password: str | None, recovery_code: str | None) -> Ledger:
        ledger = self.context.ledger
        ledger.unlock(password, recovery_code=recovery_code)
        return ledger

    def cover(self) -> None:
        parent = self.parentWidget()
        assert parent is not None
        self.setGeometry(parent.rect())
        self.card.setFixedWidth(max(200, min(CARD_WIDTH, parent.width() - 32)))
        self.form.reset()
        self.show()
        self.raise_()
        self.form.password_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def on_form_unlocked(self, _ledger: object) -> None:
        self.unlocked.emit()  # IdleLock uncovers every window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        parent = self.parentWidget()
        if parent is not None and watched is parent and event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(parent.rect())
        return False

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Locked"))
        self.explanation.setText(self.tr("The ledger was locked because the computer was not used for a while. Enter your password to continue; nothing you typed is lost."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class IdleLock(QObject):
    """Locks `window`'s ledger after `timeout_ms` without input; the overlay unlocks it.

    Every other open window of the app (a child's file or a visit form in a dialog) is covered
    too, each with its own unlock form: a modal dialog blocks input to the main window, so the
    user must be able to unlock from the window in front. Nothing is closed, so what was typed
    stays. The lock waits while background jobs run (a sync or an export needs the key), and
    starts counting again when they end.
    """

    locked = Signal()
    unlocked = Signal()

    def __init__(self, window: QMainWindow, context: AppContext, timeout_ms: int) -> None:
        super().__init__(window)
        self.window = window
        self.context = context
        self.watcher = IdleWatcher(timeout_ms, self)
        self.overlay = LockOverlay(window, context)
        self._extra_overlays: list[LockOverlay] = []
        self._locked = False
        self.watcher.idle.connect(self.on_idle)
        self.overlay.unlocked.connect(self.on_overlay_unlocked)
        context.workers.busy_changed.connect(self.on_workers_busy_changed)
        self.watcher.start()

    @property
    def is_locked(self) -> bool:
        return self._locked

    def overlays(self) -> list[LockOverlay]:
        """The covers now shown: the main window's first, then one per other open window."""
        return ([self.overlay] if self._locked else []) + list(self._extra_overlays)

    def set_timeout_ms(self, timeout_ms: int) -> None:
        self.watcher.set_timeout_ms(timeout_ms)

    def on_idle(self) -> None:
        if self.context.workers.busy:
            return  # on_workers_busy_changed restarts the count when the work is done
        self.lock_now()

    def on_workers_busy_changed(self, busy: bool) -> None:
        if not busy and not self.is_locked:
            self.watcher.start()

    def lock_now(self) -> None:
        if self.is_locked:
            return
        self._locked = True
        self.watcher.stop()
        self.context.ledger.lock()
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()  # an open menu or completer list would float above the covers
        central = self.window.centralWidget()
        if central is not None:
            central.setEnabled(False)  # keeps typed text; only blocks focus and input beneath
        self.overlay.cover()
        for top in QApplication.topLevelWidgets():
            if top is self.window or not top.isVisible() or top.windowType() not in COVERED_WINDOW_TYPES:
                continue
            extra = LockOverlay(top, self.context)
            extra.unlocked.connect(self.on_overlay_unlocked)
            extra.cover()
            self._extra_overlays.append(extra)
        modal = QApplication.activeModalWidget()
        front = next((o for o in self._extra_overlays if o.parentWidget() is modal), None)
        if front is not None:
            front.form.password_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.context.events.locked.emit()
        self.locked.emit()

    def on_overlay_unlocked(self) -> None:
        self._locked = False
        self.overlay.hide()
        for extra in self._extra_overlays:
            extra.hide()
            extra.deleteLater()
        self._extra_overlays.clear()
        central = self.window.centralWidget()
        if central is not None:
            central.setEnabled(True)
        self.watcher.start()
        self.context.events.unlocked.emit()
        self.unlocked.emit()

    def shutdown(self) -> None:
        self.watcher.uninstall()
