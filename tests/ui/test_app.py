"""Starting the app as the `gxcare` command does: unlock an existing ledger, or the demo, then the window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from gxcare_desktop.settings import Settings
from gxcare_desktop.ui import app as gui_app
from gxcare_desktop.ui.dialogs.demo import DemoDialog
from gxcare_desktop.ui.dialogs.unlock import UnlockDialog
from gxcare_desktop.ui.main_window import MainWindow
from tests.conftest import PASSWORD


def _when(condition: Callable[[], QWidget | None], action: Callable[[QWidget], None], *, tries: int = 2000) -> None:
    """Poll the event loop (which a modal exec() runs) until condition() gives a widget, then act."""

    def check(left: int) -> None:
        try:
            widget = condition()
        except RuntimeError:  # a widget of an earlier test was deleted under us: look again
            widget = None
        if widget is not None:
            action(widget)
        elif left > 0:
            QTimer.singleShot(20, lambda: check(left - 1))
        else:  # never hang the suite in a modal loop: give up, the test's asserts will fail
            modal = QApplication.activeModalWidget()
            if modal is not None:
                modal.close()

    QTimer.singleShot(0, lambda: check(tries))


def _visible(kind: type) -> Callable[[], QWidget | None]:
    def find() -> QWidget | None:
        return next((w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)

    return find


def test_main_unlocks_the_ledger_and_opens_the_window(qapp, closed_ledger: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings_path = tmp_path / "settings.json"
    seen: dict[str, object] = {}

    def unlock(dialog: QWidget) -> None:
        assert isinstance(dialog, UnlockDialog)
        seen["dialog_path"] = dialog.path
        dialog.form.password_edit.setText(PASSWORD)
        dialog.form.submit()
        _when(_visible(MainWindow), close_window)

    def close_window(window: QWidget) -> None:
        assert isinstance(window, MainWindow)
        seen["village"] = window.village_status.text()
        seen["nav"] = window.navigation.item(0).text()
        window.close()

    _when(_visible(UnlockDialog), unlock)
    code = gui_app.main(["gxcare", "--ledger", str(closed_ledger), "--settings", str(settings_path)])
    assert code == 0
    assert seen["dialog_path"] == closed_ledger
    assert seen["village"] == "南宁市 马山县 白山镇 新汉村委会"
    assert seen["nav"] == "工作台"  # the default language is Chinese
    assert Settings.load(settings_path).last_ledger_path == closed_ledger  # opened next time without --ledger


def test_main_without_a_ledger_gives_up_quietly_when_the_wizard_is_cancelled(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from gxcare_desktop.ui.dialogs.first_run import FirstRunWizard

    _when(_visible(FirstRunWizard), lambda wizard: wizard.reject())
    code = gui_app.main(["gxcare", "--ledger", str(tmp_path / "none.gxc"), "--settings", str(tmp_path / "s.json")])
    assert code == 0
    assert not (tmp_path / "none.gxc").exists()


def test_demo_dialog_creates_the_demo_with_progress(qtbot, workers, languages, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = DemoDialog(workers, tmp_path / "demo.gxc", children=25)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled()
    with qtbot.waitSignal(dialog.panel.ready, timeout=60_000):
        dialog.show()
        assert dialog.panel.progress.isVisible()
    assert ok.isEnabled() and "Demo-2026" in dialog.panel.password_label.text()
    ledger = dialog.ledger
    assert ledger is not None and ledger.count_children() > 0
    ledger.close()
    # The second time the same demo is opened, not made again.
    again = DemoDialog(workers, tmp_path / "demo.gxc")
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.panel.ready, timeout=60_000):
        again.show()
    assert again.ledger is not None and again.ledger.device_id == ledger.device_id
    again.ledger.close()


def test_cancelling_the_demo_leaves_no_half_ledger(qtbot, workers, languages, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from gxcare_desktop.ledger import Ledger

    path = tmp_path / "demo.gxc"
    dialog = DemoDialog(workers, path, children=3000)
    qtbot.addWidget(dialog)
    dialog.show()
    job = dialog.panel.progress.job
    assert job is not None
    qtbot.waitUntil(lambda: dialog.panel.progress.bar.value() >= 500, timeout=60_000)  # the first batch is in
    with qtbot.waitSignal(job.signals.cancelled, timeout=60_000):
        qtbot.mouseClick(dialog.panel.progress.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert dialog.ledger is None
    assert not Ledger.exists(path) and not path.exists()


def test_main_demo_opens_the_demo_ledger(qapp, user_home: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`gxcare demo`: the demo is made in the user folder with progress, then the window opens on it."""
    from gxcare_desktop.ui.dialogs.demo import demo_ledger_path

    seen: dict[str, object] = {}

    def ready() -> QWidget | None:
        dialog = _visible(DemoDialog)()
        if isinstance(dialog, DemoDialog) and dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled():
            return dialog
        return None

    def accept(dialog: QWidget) -> None:
        assert isinstance(dialog, DemoDialog)
        dialog.accept()
        _when(_visible(MainWindow), close_window)

    def close_window(window: QWidget) -> None:
        assert isinstance(window, MainWindow)
        seen["pending"] = window.pending_status.text()
        seen["pages"] = list(window.pages)
        window.close()

    _when(ready, accept, tries=3000)
    assert gui_app.main(["gxcare", "--demo", "--settings", str(tmp_path / "s.json")]) == 0
    assert demo_ledger_path().is_relative_to(user_home) and demo_ledger_path().exists()
    assert "dashboard" in seen["pages"] and "settings" in seen["pages"]
    assert str(seen["pending"]).startswith("未同步修改")
    assert Settings.load(tmp_path / "s.json").last_ledger_path is None  # the demo is not "my ledger"
