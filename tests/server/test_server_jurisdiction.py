"""Jurisdiction comes from the device's user and the server's rows, never from the client."""

from __future__ import annotations

from tests.server.support import ServerApp, current_values, new_id
from tests.server_fixtures import FAR_VILLAGE, OTHER_VILLAGE, VILLAGE


def _seed(server: ServerApp) -> tuple[str, str]:
    """A child in VILLAGE and one in OTHER_VILLAGE, each with a visit."""
    a = server.enrol("director", "seed-a")
    b = server.enrol("director2", "seed-b")
    child_a, child_b = new_id(), new_id()
    a.push(a.record("child", child_a, {"name": "甲村儿童"}, division=VILLAGE))
    a.push(a.record("visit", new_id(), {"child_id": child_a, "findings": "ok"}, division=VILLAGE))
    b.push(b.record("child", child_b, {"name": "乙村儿童"}, division=OTHER_VILLAGE))
    b.push(b.record("visit", new_id(), {"child_id": child_b, "findings": "ok"}, division=OTHER_VILLAGE))
    return child_a, child_b


def test_director_cannot_create_rows_in_another_village(server: ServerApp) -> None:
    director = server.enrol("director")
    row = new_id()
    assert director.statuses(
        [
            director.change("child", row, "name", "x", division=OTHER_VILLAGE),
            director.change("child", row, "division_code", OTHER_VILLAGE, division=VILLAGE),
            director.change("child", new_id(), "name", "x", division=FAR_VILLAGE),
        ]
    ) == [("rejected", "out_of_jurisdiction")] * 3
    assert server.log_count() == 0


def test_forged_division_code_on_another_villages_row_is_refused(server: ServerApp) -> None:
    _, child_b = _seed(server)
    director = server.enrol("director")
    before = server.field_value("child", child_b, "name")
    # The change claims VILLAGE, but the server knows the row lives in OTHER_VILLAGE.
    assert director.statuses(
        [
            director.change("child", child_b, "name", "篡改", division=VILLAGE),
            director.change("child", child_b, "division_code", VILLAGE, division=VILLAGE),
            director.change("child", child_b, "deleted", True, division=VILLAGE),
        ]
    ) == [("rejected", "out_of_jurisdiction")] * 3
    after = server.field_value("child", child_b, "name")
    assert after is not None and before is not None and after.value_json == before.value_json


def test_child_id_must_name_a_child_in_scope(server: ServerApp) -> None:
    child_a, child_b = _seed(server)
    director = server.enrol("director")
    visit = new_id()
    assert director.statuses(
        [
            director.change("visit", visit, "division_code", VILLAGE, division=VILLAGE),
            director.change("visit", visit, "child_id", child_b, division=VILLAGE),
            director.change("visit", visit, "child_id", "no-such-child", division=VILLAGE),
            director.change("visit", visit, "child_id", None, division=VILLAGE),
            director.change("visit", visit, "child_id", child_a, division=VILLAGE),
        ]
    ) == [
        ("accepted", None),
        ("rejected", "out_of_jurisdiction"),
        ("rejected", "unknown_child"),
        ("rejected", "invalid_value"),
        ("accepted", None),
    ]


def test_pull_and_snapshot_return_only_the_callers_jurisdiction(server: ServerApp) -> None:
    child_a, child_b = _seed(server)
    director = server.enrol("director")
    director2 = server.enrol("director2")
    supervisor = server.enrol("supervisor")
    far = server.enrol("far_director")
    pages, _ = director.pull_all()
    rows = current_values(pages)
    assert ("child", child_a) in rows and ("child", child_b) not in rows
    assert {c.division_code for p in pages for c in p.changes} == {VILLAGE}
    assert ("child", child_b) in current_values(director2.pull_all()[0])
    both = current_values(supervisor.pull_all()[0])
    assert {("child", child_a), ("child", child_b)} <= set(both)
    assert current_values(far.pull_all()[0]) == {}
    assert {r.row_id for r in director.snapshot().rows if r.entity == "child"} == {child_a}
    assert far.snapshot().rows == []
    # The cursor still advances past rows of other villages, so the next pull is cheap.
    assert far.pull().next_cursor == server.log_count()


def test_supervisor_may_write_anywhere_in_the_township_but_not_outside(server: ServerApp) -> None:
    child_a, child_b = _seed(server)
    supervisor = server.enrol("supervisor")
    assert supervisor.statuses(
        [
            supervisor.change("child", child_a, "notes", "督导意见", division=VILLAGE),
            supervisor.change("child", child_b, "notes", "督导意见", division=OTHER_VILLAGE),
            supervisor.change("child", new_id(), "name", "x", division=FAR_VILLAGE),
        ]
    ) == [("accepted", None), ("accepted", None), ("rejected", "out_of_jurisdiction")]
