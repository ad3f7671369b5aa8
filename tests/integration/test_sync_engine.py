"""The sync engine against a real server on loopback (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gxcare_desktop.ledger import Ledger
from gxcare_desktop.sync import bundles
from gxcare_desktop.sync.client import SyncClient
from gxcare_desktop.sync.engine import TOKEN, SyncEngine, client_for, sync_ledger
from tests.helpers import child_fields, name_for
from tests.integration.faulty_proxy import FaultyProxy
from tests.integration.sync_support import assert_same, enrolled, ledger_state, point_at
from tests.server_fixtures import OTHER_VILLAGE, VILLAGE, ServerHandle


def test_director_and_supervisor_meet_through_the_server(live_server_any: ServerHandle, tmp_path: Path) -> None:
    server = live_server_any
    director = enrolled(tmp_path, server, "director")
    child = director.create_child(**child_fields())
    director.set_parent(child.id, "father", name="韦大山", condition="working_away", work_province="广东省")
    director.record_visit(child.id, visit_date=date.today(), mode="home", checks=["safety"])
    report = sync_ledger(director)
    assert report.accepted == report.pushed > 10 and not report.rejected
    assert director.pending_changes() == 0

    supervisor = enrolled(tmp_path, server, "supervisor")
    first = sync_ledger(supervisor)
    assert first.downloaded_rows >= 3  # child, father, visit: a snapshot, not a replay
    seen = supervisor.get_child(child.id)
    assert seen.name == "韦小明" and seen.last_visit_date == date.today()  # derived fields rebuilt
    supervisor.update_child(child.id, schooling="junior", notes="已核实")
    sync_ledger(supervisor)
    sync_ledger(director)
    assert director.get_child(child.id).schooling == "junior"
    for ledger in (director, supervisor):
        assert_same(ledger, server)


def test_concurrent_offline_edits_converge_and_the_loser_is_kept(live_server_any: ServerHandle, tmp_path: Path) -> None:
    server = live_server_any
    director = enrolled(tmp_path, server, "director")
    supervisor = enrolled(tmp_path, server, "supervisor")
    child = director.create_child(**child_fields())
    sync_ledger(director)
    sync_ledger(supervisor)
    # Both edit the same field while offline; the supervisor's edit is later.
    director.update_child(child.id, school_name="白山镇中心小学")
    supervisor.update_child(child.id, school_name="马山县第二小学")
    sync_ledger(supervisor)
    report = sync_ledger(director)
    assert report.superseded == 1
    sync_ledger(supervisor)
    assert director.get_child(child.id).school_name == supervisor.get_child(child.id).school_name == "马山县第二小学"
    client = client_for(supervisor)
    try:
        conflicts = client.conflicts()
    finally:
        client.close()
    records = conflicts.get("conflicts", conflicts) if isinstance(conflicts, dict) else conflicts
    losers = [c for c in records if c["field"] == "school_name"]
    assert losers and losers[0]["loser_value"] == "白山镇中心小学"
    assert_same(director, server)
    assert_same(supervisor, server)


def test_a_village_never_receives_another_village(live_server_any: ServerHandle, tmp_path: Path) -> None:
    server = live_server_any
    director = enrolled(tmp_path, server, "director")
    neighbour = enrolled(tmp_path, server, "director2")
    far = enrolled(tmp_path, server, "far_director")
    child = director.create_child(**child_fields())
    sync_ledger(director)
    for other in (neighbour, far):
        sync_ledger(other)
        assert other.count_children() == 0
        rows, _ = ledger_state(other)
        assert not any(row_id == child.id for _, row_id in rows)


def test_a_child_moved_by_the_township_leaves_the_old_village_and_arrives_whole(live_server_any: ServerHandle, tmp_path: Path) -> None:
    server = live_server_any
    director = enrolled(tmp_path, server, "director")
    neighbour = enrolled(tmp_path, server, "director2")
    supervisor = enrolled(tmp_path, server, "supervisor")
    child = director.create_child(**child_fields())
    director.record_visit(child.id, visit_date=date.today(), mode="home")
    sync_ledger(director)
    sync_ledger(supervisor)
    supervisor.update_child(child.id, division_code=OTHER_VILLAGE)
    sync_ledger(supervisor)
    gone = sync_ledger(director)
    assert gone.dropped >= 2
    assert director.count_children(None) == 0
    sync_ledger(neighbour)
    arrived = neighbour.child_file(child.id)
    assert arrived.child.division_code == OTHER_VILLAGE and len(arrived.visits) == 1
    for ledger in (director, neighbour, supervisor):
        assert_same(ledger, server)


def test_a_pc_clock_far_ahead_is_refused_without_blocking_the_queue(live_server_any: ServerHandle, tmp_path: Path) -> None:
    server = live_server_any
    director = enrolled(tmp_path, server, "director")
    good = director.create_child(**child_fields(name="黄正常", seq=1))
    # The PC's clock jumps a day ahead (a flat CMOS battery), then is corrected.
    real_wall = director._clock._wall_ms
    director._clock._wall_ms = lambda: real_wall() + 86_400_000
    ahead = director.create_child(**child_fields(name="黄超前", seq=2))
    director._clock._wall_ms = real_wall
    report = sync_ledger(director)
    assert report.clock_warning
    assert {reason for _, reason in report.rejected} == {"clock_ahead"}
    assert report.accepted >= 5  # the good child's changes went through
    assert director.pending_changes() == 0
    supervisor = enrolled(tmp_path, server, "supervisor")
    sync_ledger(supervisor)
    assert supervisor.get_child(good.id).name == "黄正常"
    assert supervisor.count_children() == 1
    assert ahead.id not in {c.id for c in supervisor.list_children()}


def test_lost_responses_mid_push_and_mid_pull_neither_lose_nor_double(live_server_any: ServerHandle, tmp_path: Path) -> None:
    server = live_server_any
    proxy = FaultyProxy(server.base_url)
    try:
        director = enrolled(tmp_path, server, "director")
        point_at(director, proxy.url)
        for i in range(30):
            director.create_child(**child_fields(name=name_for(i), seq=i))
        proxy.cut("/v1/sync/push", times=2)
        report = sync_ledger(director)
        assert proxy.cut_count == 2
        assert director.pending_changes() == 0 and not report.rejected

        supervisor = enrolled(tmp_path, server, "supervisor")
        point_at(supervisor, proxy.url)
        sync_ledger(supervisor)
        director.update_child(director.list_children()[0].id, notes="第二轮")
        sync_ledger(director)
        proxy.cut("/v1/sync/pull", times=2)
        sync_ledger(supervisor)
        assert proxy.cut_count == 4
        assert supervisor.count_children() == 30
        for ledger in (director, supervisor):
            assert_same(ledger, server)
    finally:
        proxy.close()


def test_an_interrupted_sync_resumes_without_loss(live_server_any: ServerHandle, tmp_path: Path) -> None:
    server = live_server_any
    director = enrolled(tmp_path, server, "director")
    for i in range(40):
        director.create_child(**child_fields(name=name_for(i, "覃"), seq=i))
    client = client_for(director)
    engine = SyncEngine(director, client)
    calls = {"n": 0}

    def stop_after_first_batch(_: object) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise KeyboardInterrupt  # the app is closed half-way

    from gxcare_desktop.sync import engine as engine_module

    original = engine_module.PUSH_BATCH
    engine_module.PUSH_BATCH = 100
    try:
        with pytest.raises(KeyboardInterrupt):
            engine.sync(progress=stop_after_first_batch)
        left = director.pending_changes()
        assert 0 < left < 40 * 8
        engine.sync()
    finally:
        engine_module.PUSH_BATCH = original
        client.close()
    assert director.pending_changes() == 0
    assert_same(director, server)


def test_attachments_follow_the_records(live_server_any: ServerHandle, tmp_path: Path) -> None:
    server = live_server_any
    director = enrolled(tmp_path, server, "director")
    child = director.create_child(**child_fields())
    photo = bytes(range(256)) * 2000  # 512 KB: several chunks
    attachment = director.attach_file(child.id, data=photo, filename="协议.jpg", mime="image/jpeg", kind="agreement")
    up = sync_ledger(director)
    assert up.files_up == 1
    supervisor = enrolled(tmp_path, server, "supervisor")
    down = sync_ledger(supervisor)
    assert down.files_down == 1
    assert supervisor.attachment_data(attachment.id) == photo


def test_unenrolled_ledgers_and_unknown_tokens_are_refused(live_server_any: ServerHandle, tmp_path: Path, ledger: Ledger) -> None:
    from gxcare_desktop.sync.client import ServerRefused, SyncError

    with pytest.raises(SyncError):
        sync_ledger(ledger)
    director = enrolled(tmp_path, live_server_any, "director")
    token = director.meta(TOKEN)
    bogus = SyncClient(live_server_any.base_url, token=(token or "") + "x")
    try:
        with pytest.raises(ServerRefused) as err:
            bogus.pull(0, 10)
        assert err.value.status == 401
    finally:
        bogus.close()
    assert VILLAGE == director.village_code


def test_changes_forwarded_from_a_bundle_keep_what_they_overwrite_in_the_conflict_log(
    live_server_any: ServerHandle, tmp_path: Path
) -> None:
    """The office PC edits offline and sends its changes by USB stick; the township forwards
    them. The office never saw the laptop's edit that its newer one overwrites, though the
    township did: the laptop's value must still reach the conflict log."""
    server = live_server_any
    office = enrolled(tmp_path, server, "director", name="office")
    child = office.create_child(**child_fields())
    sync_ledger(office)
    laptop = enrolled(tmp_path, server, "director", name="laptop")
    supervisor = enrolled(tmp_path, server, "supervisor")
    sync_ledger(laptop)
    laptop.update_child(child.id, notes="笔记本记录")
    sync_ledger(laptop)
    sync_ledger(supervisor)  # the township has now seen the laptop's note
    office.update_child(child.id, notes="办公室记录")  # later, offline: never saw the laptop's
    bundle = bundles.export_changes(office, tmp_path / "usb.b", passphrase="usb-stick-2026")
    bundles.import_bundle(supervisor, bundle.path, passphrase="usb-stick-2026")
    report = sync_ledger(supervisor)
    assert report.accepted >= 1 and not report.rejected
    assert supervisor.get_child(child.id).notes == "办公室记录"
    logged = [(c["field"], c["winner_value"], c["loser_value"]) for c in client_for(supervisor).conflicts()]
    assert ("notes", "办公室记录", "笔记本记录") in logged
    for ledger in (office, laptop, supervisor):
        ledger.close()
