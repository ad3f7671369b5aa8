"""The sync page against a real server on loopback: enrol, sync with progress, conflicts, USB bundles, auto sync."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from gxcare_desktop.domain.enums import Role
from gxcare_desktop.ledger import Ledger
from gxcare_desktop.sync.engine import SERVER_URL, enrol, sync_ledger
from gxcare_desktop.ui.models.conflicts_model import Column
from gxcare_desktop.ui.pages.sync_page import SyncPage
from gxcare_desktop.ui.sync_status import SyncIndicator, SyncState, controller_for
from tests.conftest import PASSWORD as LEDGER_PASSWORD
from tests.helpers import child_fields
from tests.integration.sync_support import school_conflict
from tests.server_fixtures import PASSWORD, TOWNSHIP, VILLAGE, ServerHandle, free_port, live_server  # noqa: F401

BUNDLE_PASSPHRASE = "u-disk-2026"


@pytest.fixture(autouse=True)
def collect_qt_cycles_while_guarded(gui_thread_gc: None) -> Iterator[None]:
    """Free this test's pages, controllers and contexts from the top of the stack, while automatic
    collection is still off: freed later, an automatic collection can start inside a QObject
    destructor and deadlock on Qt's signal-slot mutex (seen once in a full tests/ui run)."""
    yield
    gc.collect()


def _ledger(tmp_path: Path, name: str, code: str, role: Role) -> Ledger:
    ledger, _ = Ledger.create(tmp_path / f"{name}.gxc", password=LEDGER_PASSWORD, village_code=code, role=role)
    return ledger


def _page(qtbot, context: object) -> SyncPage:  # type: ignore[no-untyped-def]
    page = SyncPage(context)  # type: ignore[arg-type]
    qtbot.addWidget(page)
    page.resize(1100, 760)
    page.show()
    return page


def _sync(qtbot, page: SyncPage) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(page.controller.sync_finished, timeout=60_000):
        qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)


def test_enrol_through_the_dialog_sync_and_the_supervisor_sees_the_child(
    qtbot, tmp_path: Path, live_server: ServerHandle, make_context: Callable[[Ledger], object]  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    director = _ledger(tmp_path, "director", VILLAGE, Role.VILLAGE_DIRECTOR)
    supervisor = _ledger(tmp_path, "supervisor", TOWNSHIP, Role.TOWNSHIP_SUPERVISOR)
    try:
        context = make_context(director)
        page = _page(qtbot, context)
        indicator = SyncIndicator(page.controller)
        qtbot.addWidget(indicator)
        assert not page.sync_button.isEnabled()  # nothing to sync with yet
        assert indicator.text() == "未连接服务器"

        dialog = page.open_enrol_dialog()
        dialog.form.url_edit.setText(live_server.base_url)
        dialog.form.username_edit.setText("director")
        dialog.form.password_edit.setText("wrong password")
        with qtbot.waitSignal(dialog.form.failed, timeout=30_000):
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and dialog.form.status.text()
        dialog.form.password_edit.setText(PASSWORD)
        with qtbot.waitSignal(page.enrolled, timeout=30_000):
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert director.meta(SERVER_URL) == live_server.base_url
        assert live_server.base_url in page.server_label.text()
        assert context.settings.server_url == live_server.base_url  # type: ignore[attr-defined]
        assert page.sync_button.isEnabled()

        child = director.create_child(**child_fields())
        pending = director.pending_changes()
        assert pending > 0
        page.refresh_server()
        assert str(pending) in page.pending_label.text()

        progressed: list[str] = []
        page.controller.sync_started.connect(lambda job: job.signals.progress.connect(
            lambda _d, _t, message: progressed.append(message)))
        _sync(qtbot, page)
        outcome = page.controller.last_outcome
        assert outcome is not None and outcome.report.pushed == pending
        assert outcome.report.accepted == pending and not outcome.report.rejected
        assert "push" in progressed
        assert f"已上传 {pending} 项修改" in page.report_label.text()
        assert not page.clock_warning.isVisible() and not page.reset_note.isVisible()
        assert director.pending_changes() == 0
        assert page.controller.state is SyncState.SYNCED
        assert indicator.text().startswith("已同步 ")
        assert "0" in page.pending_label.text()

        # The township supervisor, enrolled through its own page, receives the child.
        supervisor_page = _page(qtbot, make_context(supervisor))
        supervisor_dialog = supervisor_page.open_enrol_dialog()
        supervisor_dialog.form.url_edit.setText(live_server.base_url)
        supervisor_dialog.form.username_edit.setText("supervisor")
        supervisor_dialog.form.password_edit.setText(PASSWORD)
        with qtbot.waitSignal(supervisor_page.enrolled, timeout=30_000):
            qtbot.mouseClick(supervisor_dialog.ok_button, Qt.MouseButton.LeftButton)
        _sync(qtbot, supervisor_page)
        assert supervisor.get_child(child.id).name == "韦小明"
        received = supervisor_page.controller.last_outcome
        assert received is not None and received.report.downloaded_rows + received.report.pulled > 0
    finally:
        director.close()
        supervisor.close()


def test_conflicts_listed_for_the_director_and_resolved_by_the_supervisor(
    qtbot, tmp_path: Path, live_server: ServerHandle, make_context: Callable[[Ledger], object]  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    office, laptop, supervisor, child_id = school_conflict(tmp_path, live_server)
    try:
        # The director sees the conflict, read-only.
        director_page = _page(qtbot, make_context(office))
        with qtbot.waitSignal(director_page.conflicts_loaded, timeout=30_000):
            director_page.load_conflicts()
        assert director_page.conflicts_model.rowCount() == 1
        assert not director_page.keep_winner.isVisible() and not director_page.keep_loser.isVisible()
        assert director_page.resolve_selected("loser") is None
        assert not director_page.return_row.isVisible()

        # The supervisor syncs from the page; the sync brings the conflict list along.
        page = _page(qtbot, make_context(supervisor))
        _sync(qtbot, page)
        model = page.conflicts_model
        assert model.rowCount() == 1
        assert page.controller.state is SyncState.CONFLICTS
        indicator = SyncIndicator(page.controller)
        qtbot.addWidget(indicator)
        assert indicator.text() == "有冲突：1"
        assert model.index(0, Column.RECORD).data() == "韦小明"
        assert model.index(0, Column.FIELD).data() == "学校名称"
        now = supervisor.get_child(child_id).school_name
        assert model.index(0, Column.KEPT).data() == now
        other = model.index(0, Column.OTHER).data()
        assert {now, other} == {"白山镇中心小学", "白山村小学"}
        assert page.keep_loser.isVisible() and page.keep_loser.isEnabled()

        with qtbot.waitSignal(page.conflict_resolved, timeout=60_000) as resolved:
            qtbot.mouseClick(page.keep_loser, Qt.MouseButton.LeftButton)
        assert resolved.args[1] == "loser"
        qtbot.waitUntil(lambda: page.conflicts_job is None, timeout=10_000)
        assert model.rowCount() == 0
        assert supervisor.get_child(child_id).school_name == other
        assert page.controller.state is SyncState.SYNCED
        sync_ledger(office)
        assert office.get_child(child_id).school_name == other
    finally:
        for ledger in (office, laptop, supervisor):
            ledger.close()


def test_usb_bundles_both_ways_through_the_page(
    qtbot, tmp_path: Path, make_context: Callable[[Ledger], object]  # type: ignore[no-untyped-def]
) -> None:
    village = _ledger(tmp_path, "village", VILLAGE, Role.VILLAGE_DIRECTOR)
    township = _ledger(tmp_path, "township", TOWNSHIP, Role.TOWNSHIP_SUPERVISOR)
    try:
        child = village.create_child(**child_fields())
        out = tmp_path / "usb" / "changes.gxbundle"
        out.parent.mkdir()
        village_page = _page(qtbot, make_context(village))
        suggested: list[str] = []
        asked: list[bool] = []
        village_page.choose_save_path = lambda _parent, name: suggested.append(name) or out
        village_page.ask_passphrase = lambda _parent, confirm: asked.append(confirm) or BUNDLE_PASSPHRASE
        with qtbot.waitSignal(village_page.bundle_exported, timeout=60_000) as exported:
            qtbot.mouseClick(village_page.export_button, Qt.MouseButton.LeftButton)
        info = exported.args[0]
        assert out.is_file() and info.count == village.pending_changes() > 0
        assert suggested[0].endswith(".gxbundle") and VILLAGE in suggested[0] and asked == [True]
        assert info.fingerprint in village_page.bundle_status.text()

        township_page = _page(qtbot, make_context(township))
        township_page.choose_open_path = lambda _parent: out
        township_page.ask_passphrase = lambda _parent, _confirm: "not-the-passphrase"
        with qtbot.waitSignal(township_page.bundle_failed, timeout=60_000) as failed:
            qtbot.mouseClick(township_page.import_button, Qt.MouseButton.LeftButton)
        assert failed.args[0] == "传递口令不正确。"
        township_page.ask_passphrase = lambda _parent, _confirm: BUNDLE_PASSPHRASE
        with qtbot.waitSignal(township_page.bundle_imported, timeout=60_000) as imported:
            qtbot.mouseClick(township_page.import_button, Qt.MouseButton.LeftButton)
        assert imported.args[0].count == info.count
        assert imported.args[0].fingerprint == info.fingerprint
        assert info.fingerprint in township_page.bundle_status.text()
        assert township.get_child(child.id).name == "韦小明"

        # The township sends the village's rows back; the village's changes count as delivered.
        township.update_child(child.id, school_name="白山镇中心小学")
        assert township_page.return_row.isVisible()
        index = township_page.village_combo.findData(VILLAGE)
        assert index >= 0
        township_page.village_combo.setCurrentIndex(index)
        back = tmp_path / "usb" / "return.gxbundle"
        township_page.choose_save_path = lambda _parent, _name: back
        with qtbot.waitSignal(township_page.bundle_exported, timeout=60_000):
            qtbot.mouseClick(township_page.return_button, Qt.MouseButton.LeftButton)
        village_page.choose_open_path = lambda _parent: back
        village_page.ask_passphrase = lambda _parent, _confirm: BUNDLE_PASSPHRASE
        with qtbot.waitSignal(village_page.bundle_imported, timeout=60_000):
            qtbot.mouseClick(village_page.import_button, Qt.MouseButton.LeftButton)
        assert village.get_child(child.id).school_name == "白山镇中心小学"
        assert village.pending_changes() == 0
    finally:
        village.close()
        township.close()


def test_automatic_sync_when_the_server_answers_and_offline_when_not(
    qtbot, tmp_path: Path, live_server: ServerHandle, make_context: Callable[[Ledger], object]  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    ledger = _ledger(tmp_path, "director", VILLAGE, Role.VILLAGE_DIRECTOR)
    try:
        enrol(ledger, live_server.base_url, username="director", password=PASSWORD)
        context = make_context(ledger)
        controller = controller_for(context)
        assert controller_for(context) is controller  # the page and the status bar share it
        indicator = SyncIndicator(controller)
        qtbot.addWidget(indicator)

        # A closed port: the check says offline and nothing is attempted.
        ledger.set_meta(SERVER_URL, f"http://127.0.0.1:{free_port()}")
        ledger.create_child(**child_fields())
        with qtbot.waitSignal(controller.health_checked, timeout=30_000) as checked:
            controller.check_now()
        assert checked.args == [False]
        assert controller.state is SyncState.OFFLINE and indicator.text() == "离线"
        assert controller.job is None and ledger.pending_changes() > 0

        # The server is back: pending changes go out at once, and one sync at a time.
        ledger.set_meta(SERVER_URL, live_server.base_url)
        with qtbot.waitSignal(controller.sync_started, timeout=30_000):
            controller.check_now()
        assert controller.start_sync() is None  # never two at once
        assert indicator.text() == "同步中…"
        with qtbot.waitSignal(controller.sync_finished, timeout=60_000):
            pass
        assert ledger.pending_changes() == 0
        assert controller.state is SyncState.SYNCED and indicator.text().startswith("已同步 ")

        # Nothing pending and a fresh sync: a check does not sync again.
        with qtbot.waitSignal(controller.health_checked, timeout=30_000) as checked:
            controller.check_now()
        assert checked.args == [True] and controller.job is None
    finally:
        ledger.close()


def test_first_run_wizard_offers_enrolment(
    qtbot, tmp_path: Path, live_server: ServerHandle, workers, languages  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    from gxcare_desktop.ui.dialogs.first_run import FirstRunWizard, PageId

    ledger = _ledger(tmp_path, "new", VILLAGE, Role.VILLAGE_DIRECTOR)
    try:
        wizard = FirstRunWizard(tmp_path / "unused.gxc", workers)
        qtbot.addWidget(wizard)
        wizard.ledger = ledger
        page = wizard.page(PageId.ENROL)
        assert wizard.recovery_page.nextId() == PageId.ENROL
        assert wizard.recovery_page.isFinalPage()  # Finish stays on the recovery page: enrolment is optional
        page.form.url_edit.setText(live_server.base_url)
        page.form.username_edit.setText("director")
        page.form.password_edit.setText(PASSWORD)
        with qtbot.waitSignal(page.form.enrolled, timeout=30_000):
            qtbot.mouseClick(page.connect_button, Qt.MouseButton.LeftButton)
        assert ledger.meta(SERVER_URL) == live_server.base_url
        assert page.isComplete() and not page.form.password_edit.text()
    finally:
        ledger.close()


def test_main_window_syncs_by_itself_and_shows_the_state(
    qtbot, tmp_path: Path, live_server: ServerHandle, make_context: Callable[[Ledger], object]  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    from gxcare_desktop.ui.main_window import MainWindow

    ledger = _ledger(tmp_path, "director", VILLAGE, Role.VILLAGE_DIRECTOR)
    try:
        enrol(ledger, live_server.base_url, username="director", password=PASSWORD)
        ledger.create_child(**child_fields())
        context = make_context(ledger)
        window = MainWindow(context)
        qtbot.addWidget(window)
        controller = window.sync_controller
        assert controller.automatic  # settings.auto_sync defaults to on
        assert isinstance(window.show_page("sync"), SyncPage)
        # The first health check comes on its own, finds the server and the pending child, and syncs.
        with qtbot.waitSignal(controller.sync_finished, timeout=60_000):
            pass
        assert ledger.pending_changes() == 0
        assert window.sync_indicator.text().startswith("已同步 ")
        page = window.pages["sync"]
        assert isinstance(page, SyncPage) and "已上传" in page.report_label.text()

        context.update_settings(auto_sync=False)  # type: ignore[attr-defined]
        assert not controller.automatic and not page.auto_check.isChecked()
        window.close()
    finally:
        ledger.close()


def test_a_clock_far_ahead_is_shown_prominently_with_the_refused_changes(
    qtbot, tmp_path: Path, live_server: ServerHandle, make_context: Callable[[Ledger], object]  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    from gxcare_desktop.sync.engine import CLOCK_WARNING

    ledger = _ledger(tmp_path, "director", VILLAGE, Role.VILLAGE_DIRECTOR)
    try:
        enrol(ledger, live_server.base_url, username="director", password=PASSWORD)
        ledger.create_child(**child_fields(name="黄正常", seq=1))
        # The PC's clock jumps a day ahead (a flat CMOS battery) for one edit, as in the engine tests.
        real_wall = ledger._clock._wall_ms
        ledger._clock._wall_ms = lambda: real_wall() + 86_400_000
        ledger.create_child(**child_fields(name="黄超前", seq=2))
        ledger._clock._wall_ms = real_wall
        page = _page(qtbot, make_context(ledger))
        assert not page.clock_warning.isVisible()
        _sync(qtbot, page)
        outcome = page.controller.last_outcome
        assert outcome is not None and outcome.report.clock_warning
        refused = len(outcome.report.rejected)
        assert refused > 0
        assert page.clock_warning.isVisible() and page.clock_warning.text() == CLOCK_WARNING.zh
        assert page.refused_list.isVisible() and page.refused_list.count() == 1
        assert page.refused_list.item(0).text() == f"{refused} 项：本机时钟超前"
        assert f"拒收 {refused} 项" in page.report_label.text()
    finally:
        ledger.close()


def test_a_server_restored_from_a_backup_is_noted_on_the_page(
    qtbot, tmp_path: Path, live_server: ServerHandle, make_context: Callable[[Ledger], object]  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    import sqlite3

    from tests.integration.test_sync_faults import serve_again

    ledger = _ledger(tmp_path, "director", VILLAGE, Role.VILLAGE_DIRECTOR)
    try:
        enrol(ledger, live_server.base_url, username="director", password=PASSWORD)
        ledger.create_child(**child_fields(name="蓝一", seq=1))
        sync_ledger(ledger)
        db_file = Path(live_server.database_url.removeprefix("sqlite:///"))
        backup_file = tmp_path / "server-backup.db"
        with sqlite3.connect(db_file) as live, sqlite3.connect(backup_file) as copy:
            live.backup(copy)
        ledger.create_child(**child_fields(name="蓝二", seq=2))
        sync_ledger(ledger)
        live_server.process.terminate()
        live_server.process.wait(timeout=20)
        for suffix in ("", "-wal", "-shm"):
            Path(str(db_file) + suffix).unlink(missing_ok=True)
        backup_file.replace(db_file)
        with serve_again(live_server.database_url, tmp_path) as url:
            ledger.set_meta(SERVER_URL, url)
            page = _page(qtbot, make_context(ledger))
            assert not page.reset_note.isVisible()
            _sync(qtbot, page)
            outcome = page.controller.last_outcome
            assert outcome is not None and outcome.report.server_reset
            assert page.reset_note.isVisible() and "备份" in page.reset_note.text()
            assert ledger.pending_changes() == 0
    finally:
        ledger.close()


def test_cancel_from_the_progress_panel_stops_the_sync_and_keeps_the_changes(
    qtbot, tmp_path: Path, live_server: ServerHandle, make_context: Callable[[Ledger], object]  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    import threading

    ledger = _ledger(tmp_path, "director", VILLAGE, Role.VILLAGE_DIRECTOR)
    try:
        enrol(ledger, live_server.base_url, username="director", password=PASSWORD)
        ledger.create_child(**child_fields())
        pending = ledger.pending_changes()
        context = make_context(ledger)
        page = _page(qtbot, context)
        # Hold the one write thread so the sync waits in the queue until the user has pressed Cancel.
        release = threading.Event()
        blocker = context.workers.run(lambda *, progress, cancel: release.wait(30), write=True)  # type: ignore[attr-defined]
        qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
        assert page.controller.busy and not page.sync_button.isEnabled()
        assert page.progress.isVisible() and page.progress.cancel_button.isEnabled()
        qtbot.mouseClick(page.progress.cancel_button, Qt.MouseButton.LeftButton)
        with qtbot.waitSignal(page.controller.sync_finished, timeout=30_000):
            release.set()
        assert blocker.done.is_set()
        assert page.controller.job is None and page.controller.last_outcome is None
        assert page.report_label.text().startswith("同步已停止")
        assert not page.progress.isVisible() and page.sync_button.isEnabled()
        assert ledger.pending_changes() == pending  # nothing was sent, nothing lost
        _sync(qtbot, page)
        assert ledger.pending_changes() == 0
    finally:
        ledger.close()
