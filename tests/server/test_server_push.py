"""Push: accepted / superseded / rejected with reasons, idempotent replay, LWW and the conflict log."""

from __future__ import annotations

from sqlmodel import select

from gxcare_desktop.domain.hlc import Hlc
from gxcare_desktop.sync.protocol import MAX_CLOCK_DRIFT_MS
from sync_server.models import Conflict, PushReceipt
from tests.server.support import ServerApp, new_id, now_ms
from tests.server_fixtures import VILLAGE


def test_reasons_do_not_stop_the_batch(server: ServerApp) -> None:
    device = server.enrol("director")
    child = new_id()
    batch = [
        device.change("child", child, "division_code", VILLAGE, division=VILLAGE),
        device.change("spaceship", child, "name", "x", division=VILLAGE),
        device.change("child", child, "favourite_colour", "red", division=VILLAGE),
        device.change("child", child, "name", "长" * 4001, division=VILLAGE),
        device.change("child", child, "birth_date", "2015-02-30", division=VILLAGE),
        device.change("child", child, "categories", "orphan", division=VILLAGE),
        device.change("child", child, "disability_grade", True, division=VILLAGE),
        device.change("child", child, "boarding", "yes", division=VILLAGE),
        device.change("child", child, "name", "韦小明", division=VILLAGE, hlc="yesterday"),
        device.change("child", child, "division_code", "450124100999", division=VILLAGE),
        device.change("child", new_id(), "name", "x", division="4501241002"),
        device.change("child", child, "name", "韦小明", division=VILLAGE),
        device.change("child", child, "categories", ["orphan", "left_behind"], division=VILLAGE),
        device.change("child", child, "birth_date", "2015-02-28", division=VILLAGE),
        device.change("child", child, "notes", None, division=VILLAGE),
    ]
    assert device.statuses(batch) == [
        ("accepted", None),
        ("rejected", "unknown_entity"),
        ("rejected", "unknown_field"),
        ("rejected", "invalid_value"),
        ("rejected", "invalid_value"),
        ("rejected", "invalid_value"),
        ("rejected", "invalid_value"),
        ("rejected", "invalid_value"),
        ("rejected", "invalid_hlc"),
        ("rejected", "bad_division"),
        ("rejected", "bad_division"),
        ("accepted", None),
        ("accepted", None),
        ("accepted", None),
        ("accepted", None),
    ]
    state = server.field_value("child", child, "categories")
    assert state is not None and state.value_json == '["orphan","left_behind"]'
    assert server.log_count() == 5


def test_clock_too_far_ahead_is_refused(server: ServerApp) -> None:
    device = server.enrol("director")
    child = new_id()
    ahead = Hlc(now_ms() + MAX_CLOCK_DRIFT_MS + 60_000, 0, "pc").encode()
    slightly = Hlc(now_ms() + 60_000, 0, "pc").encode()
    assert device.statuses(
        [
            device.change("child", child, "division_code", VILLAGE, division=VILLAGE, hlc=ahead),
            device.change("child", child, "division_code", VILLAGE, division=VILLAGE, hlc=slightly),
        ]
    ) == [("rejected", "clock_ahead"), ("accepted", None)]
    assert server.field_value("child", child, "division_code").hlc == slightly  # type: ignore[union-attr]


def test_replay_returns_the_stored_answers_and_changes_nothing(server: ServerApp) -> None:
    device = server.enrol("director")
    child = new_id()
    batch = [
        *device.record("child", child, {"name": "韦小明"}, division=VILLAGE),
        device.change("child", child, "name", 42, division=VILLAGE),
    ]
    first = device.push(batch)
    log_before = server.log_count()
    # Meanwhile a later write makes the first name lose if it were applied again.
    device.push([device.change("child", child, "name", "韦晓明", division=VILLAGE)])
    again = device.push(batch)
    assert [r.model_dump() for r in again.results] == [r.model_dump() for r in first.results]
    assert server.log_count() == log_before + 1
    assert server.field_value("child", child, "name").value_json == '"韦晓明"'  # type: ignore[union-attr]
    # A duplicate inside one batch gets the first answer too.
    dup = device.change("child", child, "sex", "2", division=VILLAGE)
    assert device.statuses([dup, dup]) == [("accepted", None), ("accepted", None)]
    with server.session() as session:
        receipts = session.exec(
            select(PushReceipt).where(PushReceipt.device_id == device.device_id)
        ).all()
    assert len(receipts) == len(batch) + 2


def test_replay_key_is_per_device(server: ServerApp) -> None:
    one = server.enrol("director", "pc1")
    two = server.enrol("director", "pc2")
    child = new_id()
    change = one.change("child", child, "division_code", VILLAGE, division=VILLAGE)
    assert one.statuses([change]) == [("accepted", None)]
    # Same change_id from another device is a different change (it merges as equal: superseded).
    assert two.statuses([change]) == [("superseded", None)]


def test_last_writer_wins_across_two_devices_and_losers_are_kept(server: ServerApp) -> None:
    a = server.enrol("director", "pc-a")
    b = server.enrol("supervisor", "pc-b")
    child = new_id()
    a.push(a.record("child", child, {"name": "韦小明"}, division=VILLAGE))
    b.pull_all()  # b has seen the child
    t = now_ms()
    early = Hlc(t - 10_000, 0, "pc-a").encode()
    late = Hlc(t - 5_000, 0, "pc-b").encode()
    # b edits later (by clock) but pushes first; a's older edit arrives afterwards and loses.
    assert b.statuses([b.change("child", child, "address", "白山镇 3 组", division=VILLAGE, hlc=late)]) == [
        ("accepted", None)
    ]
    assert a.statuses([a.change("child", child, "address", "白山镇 5 组", division=VILLAGE, hlc=early)]) == [
        ("superseded", None)
    ]
    assert server.field_value("child", child, "address").value_json == '"白山镇 3 组"'  # type: ignore[union-attr]
    with server.session() as session:
        conflicts = session.exec(select(Conflict)).all()
    assert len(conflicts) == 1
    conflict = conflicts[0]
    assert conflict.kind == "superseded"
    assert conflict.winner_value_json == '"白山镇 3 组"' and conflict.loser_value_json == '"白山镇 5 组"'
    assert conflict.loser_hlc == early and conflict.village == VILLAGE
    # Equal values are not a conflict.
    a.push([a.change("child", child, "address", "白山镇 3 组", division=VILLAGE, hlc=early)])
    with server.session() as session:
        assert len(session.exec(select(Conflict)).all()) == 1


def test_concurrent_overwrite_of_an_unseen_value_is_a_conflict(server: ServerApp) -> None:
    a = server.enrol("director", "pc-a")
    b = server.enrol("supervisor", "pc-b")
    child = new_id()
    a.push(a.record("child", child, {"name": "韦小明", "notes": "初稿"}, division=VILLAGE))
    b.pull_all()
    a.push([a.change("child", child, "notes", "甲的修改", division=VILLAGE)])
    # b has not pulled a's edit; its later-clocked edit wins but a's value is kept as the loser.
    assert b.statuses([b.change("child", child, "notes", "乙的修改", division=VILLAGE)]) == [
        ("accepted", None)
    ]
    with server.session() as session:
        conflict = session.exec(select(Conflict)).one()
    assert conflict.kind == "concurrent"
    assert conflict.winner_value_json == '"乙的修改"' and conflict.loser_value_json == '"甲的修改"'
    # Edits made after pulling the other's overwrite knowingly: no new conflict.
    a.pull_all()
    a.push([a.change("child", child, "notes", "甲再改", division=VILLAGE)])
    b.pull_all()
    b.push([b.change("child", child, "notes", "乙再改", division=VILLAGE)])
    with server.session() as session:
        assert len(session.exec(select(Conflict)).all()) == 1


def test_same_device_overwriting_itself_is_no_conflict(server: ServerApp) -> None:
    a = server.enrol("director")
    child = new_id()
    a.push(a.record("child", child, {"name": "甲"}, division=VILLAGE))
    a.push([a.change("child", child, "name", "乙", division=VILLAGE)])
    with server.session() as session:
        assert session.exec(select(Conflict)).all() == []


def test_tombstone_is_a_field(server: ServerApp) -> None:
    a = server.enrol("director")
    child = new_id()
    a.push(a.record("child", child, {"name": "甲"}, division=VILLAGE))
    assert a.statuses(
        [
            a.change("child", child, "deleted", None, division=VILLAGE),
            a.change("child", child, "deleted", True, division=VILLAGE),
        ]
    ) == [("rejected", "invalid_value"), ("accepted", None)]
    assert a.snapshot().rows[0].values["deleted"] is True
