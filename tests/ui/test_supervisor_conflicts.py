"""Conflict review against a real server: two devices of one village edit the same field offline;
the supervisor sees both values side by side, keeps the other one, and every ledger gets it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt

from gxcare_desktop.ledger import Ledger
from gxcare_desktop.sync.engine import sync_ledger
from gxcare_desktop.ui.pages.review_page import ReviewPage
from tests.integration.sync_support import school_conflict
from tests.server_fixtures import PASSWORD, TOWNSHIP, VILLAGE, ServerHandle, live_server  # noqa: F401


def test_supervisor_keeps_the_other_value_and_it_reaches_every_ledger(
    qtbot, tmp_path: Path, live_server: ServerHandle, make_context: Callable[[Ledger], object]  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    office, laptop, supervisor, child_id = school_conflict(tmp_path, live_server)
    try:
        sync_ledger(office)
        sync_ledger(supervisor)
        now = supervisor.get_child(child_id).school_name
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
        assert {supervisor.get_child(child_id).school_name} == other

        sync_ledger(office)
        sync_ledger(laptop)
        assert {office.get_child(child_id).school_name, laptop.get_child(child_id).school_name} == other
    finally:
        for ledger in (office, laptop, supervisor):
            ledger.close()
