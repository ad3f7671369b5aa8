"""Conflict review against a real server: two devices of one village edit the same field offline;
the supervisor sees both values side by side, keeps the other one, and every ledger gets it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt

from gxcare_desktop.domain.enums import Role
from gxcare_desktop.ledger import Ledger
from gxcare_desktop.sync.engine import enrol, sync_ledger
from gxcare_desktop.ui.pages.review_page import ReviewPage
from tests.conftest import PASSWORD as LEDGER_PASSWORD
from tests.helpers import child_fields
from tests.server_fixtures import PASSWORD, TOWNSHIP, VILLAGE, ServerHandle, live_server  # noqa: F401


def _ledger(tmp_path: Path, name: str, code: str, role: Role) -> Ledger:
    ledger, _ = Ledger.create(tmp_path / f"{name}.gxc", password=LEDGER_PASSWORD, village_code=code, role=role)
    return ledger


def test_supervisor_keeps_the_other_value_and_it_reaches_every_ledger(
    qtbot, tmp_path: Path, live_server: ServerHandle, make_context: Callable[[Ledger], object]  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    office = _ledger(tmp_path, "office", VILLAGE, Role.VILLAGE_DIRECTOR)
    laptop = _ledger(tmp_path, "laptop", VILLAGE, Role.VILLAGE_DIRECTOR)
    supervisor = _ledger(tmp_path, "supervisor", TOWNSHIP, Role.TOWNSHIP_SUPERVISOR)
    try:
        for ledger, user in ((office, "director"), (laptop, "director"), (supervisor, "supervisor")):
            enrol(ledger, live_server.base_url, username=user, password=PASSWORD)
        child = office.create_child(**child_fields())
        sync_ledger(office)
        sync_ledger(laptop)
        # Both offline: the office PC and the laptop correct the school differently.
        office.update_child(child.id, school_name="白山镇中心小学")
        laptop.update_child(child.id, school_name="白山村小学")
        sync_ledger(office)
        sync_ledger(laptop)
        sync_ledger(office)
        sync_ledger(supervisor)
        now = supervisor.get_child(child.id).school_name
        other = {"白山镇中心小学", "白山村小学"} - {now}

        page = ReviewPage(make_context(supervisor))
        qtbot.addWidget(page)
        page.show()
        assert page.conflicts_button.isVisible()
        dialog = page.open_conflicts()
        assert dialog is not None
        qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=20_000)
        row = dialog.rows[0]
        assert row.child_name == "韦小明" and row.field == "school_name"
        assert {dialog.table.item(0, 2).text(), dialog.table.item(0, 3).text()} == {"白山镇中心小学", "白山村小学"}
        assert dialog.table.item(0, 2).text() == now

        with qtbot.waitSignal(dialog.resolved, timeout=30_000) as resolved:
            qtbot.mouseClick(dialog.keep_other, Qt.MouseButton.LeftButton)
        assert resolved.args == [row.conflict_id, "loser"]
        qtbot.waitUntil(lambda: dialog.table.rowCount() == 0, timeout=20_000)
        assert {supervisor.get_child(child.id).school_name} == other

        sync_ledger(office)
        sync_ledger(laptop)
        assert {office.get_child(child.id).school_name, laptop.get_child(child.id).school_name} == other
    finally:
        for ledger in (office, laptop, supervisor):
            ledger.close()
