"""The unlock dialog on a real encrypted ledger: wrong password, lockout countdown, right password, recovery code."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from gxcare_desktop.ledger import Ledger
from gxcare_desktop.ui.dialogs.unlock import UnlockDialog
from gxcare_desktop.ui.workers import Workers
from tests.conftest import PASSWORD, VILLAGE


def _dialog(qtbot, path: Path, workers: Workers) -> UnlockDialog:  # type: ignore[no-untyped-def]
    dialog = UnlockDialog(path, workers)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _try(qtbot, dialog: UnlockDialog, password: str) -> None:  # type: ignore[no-untyped-def]
    form = dialog.form
    form.password_edit.clear()
    qtbot.keyClicks(form.password_edit, password)
    with qtbot.waitSignal(form.failed, timeout=20_000):
        qtbot.keyClick(form.password_edit, Qt.Key.Key_Return)


def test_wrong_then_right_password(qtbot, closed_ledger: Path, workers: Workers, languages) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, closed_ledger, workers)
    form = dialog.form
    _try(qtbot, dialog, "Wrong-password-1")
    assert "密码或恢复码不正确" in form.message.text()
    assert dialog.ledger is None and dialog.isVisible()

    form.password_edit.clear()
    qtbot.keyClicks(form.password_edit, PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        qtbot.mouseClick(form.unlock_button, Qt.MouseButton.LeftButton)
    assert dialog.ledger is not None and not dialog.ledger.is_locked
    assert dialog.ledger.village_code == VILLAGE
    assert form.password_edit.text() == ""  # the password does not linger in the widget
    dialog.ledger.close()


def test_repeated_wrong_passwords_count_down(qtbot, closed_ledger: Path, workers: Workers, languages) -> None:  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, closed_ledger, workers)
    form = dialog.form
    for attempt in range(3):  # two free tries, then the ledger asks to wait
        _try(qtbot, dialog, f"Wrong-password-{attempt}")
    assert form.seconds_left >= 1
    assert not form.unlock_button.isEnabled()
    assert "秒后可以再试" in form.countdown.text()
    qtbot.waitUntil(lambda: form.unlock_button.isEnabled(), timeout=10_000)
    assert form.countdown.text() == ""
    form.password_edit.clear()
    qtbot.keyClicks(form.password_edit, PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        qtbot.mouseClick(form.unlock_button, Qt.MouseButton.LeftButton)
    dialog.ledger.close()


def test_recovery_code_opens_the_ledger(qtbot, ledger_path: Path, workers: Workers, languages) -> None:  # type: ignore[no-untyped-def]
    ledger, code = Ledger.create(ledger_path, password=PASSWORD, village_code=VILLAGE)
    ledger.close()
    dialog = _dialog(qtbot, ledger_path, workers)
    form = dialog.form
    form.recovery_check.setChecked(True)
    assert form.recovery_edit.isVisible() and not form.password_edit.isVisible()
    qtbot.keyClicks(form.recovery_edit, code)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        qtbot.keyClick(form.recovery_edit, Qt.Key.Key_Return)
    assert dialog.ledger is not None
    dialog.ledger.close()
