"""First end-to-end check: enrol, push a child, pull it back."""

from __future__ import annotations

from tests.server.support import ServerApp, new_id
from tests.server_fixtures import VILLAGE


def test_push_then_pull_roundtrip(server: ServerApp) -> None:
    device = server.enrol("director")
    child = new_id()
    changes = device.record("child", child, {"name": "韦小明", "sex": "1"}, division=VILLAGE)
    assert [s for s, _ in device.statuses(changes)] == ["accepted"] * 3
    page = device.pull()
    assert {(c.field, c.value) for c in page.changes} == {
        ("division_code", VILLAGE), ("name", "韦小明"), ("sex", "1")
    }
    assert page.next_cursor == 3 and not page.has_more
