"""Merging pulled changes and downloaded rows into a real encrypted ledger: per-field
last-writer-wins in page order, unsent local fields kept, whole new rows from field changes,
drops, derived columns of children, clocks, a page and its cursor in one transaction; and the
engine's growing, prefetched pages cut off and resumed against a real server."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text

from gxcare_desktop.domain.enums import Role
from gxcare_desktop.domain.hlc import Hlc
from gxcare_desktop.ledger import Ledger
from gxcare_desktop.ledger import workflows as wf
from gxcare_desktop.ledger.tables import CaseStep, ChangeLogEntry, Child, Visit
from gxcare_desktop.progress import Cancelled, CancelToken
from gxcare_desktop.sync import engine as engine_module
from gxcare_desktop.sync.engine import CURSOR, SNAPSHOT_AFTER, client_for, sync_ledger
from tests.conftest import PASSWORD, TOWNSHIP, VILLAGE
from tests.helpers import child_fields, name_for
from tests.integration.sync_support import assert_same, enrolled, ledger_state
from tests.server_fixtures import ServerHandle

DERIVED = ("name_initials", "name_pinyin", "care_type", "guardianship_level", "risk_level", "last_visit_date",
           "next_visit_due", "last_contact_date", "age_out_on")


@pytest.fixture
def township(tmp_path: Path) -> Iterator[Ledger]:
    ledger, _ = Ledger.create(tmp_path / "township.gxc", password=PASSWORD, village_code=TOWNSHIP,
                              role=Role.TOWNSHIP_SUPERVISOR, user_name="黄督导")
    yield ledger
    ledger.close()


def changes_of(ledger: Ledger) -> list[dict[str, Any]]:
    """Every change the ledger logged, oldest first, as a pull would deliver it."""
    with ledger.reading() as session:
        entries = list(session.scalars(select(ChangeLogEntry).order_by(ChangeLogEntry.seq)))  # type: ignore[arg-type]
    return [
        {"change_id": e.change_id, "entity": e.entity, "row_id": e.row_id, "division_code": e.division_code,
         "field": e.field, "value": e.value, "hlc": e.hlc, "device_id": e.device_id}
        for e in entries
    ]


def derived(ledger: Ledger) -> dict[str, tuple[Any, ...]]:
    with ledger.reading() as session:
        return {c.id: tuple(getattr(c, f) for f in DERIVED) for c in session.scalars(select(Child))}


def remote_log_count(ledger: Ledger) -> int:
    with ledger.reading() as session:
        return int(session.scalar(select(func.count()).select_from(ChangeLogEntry).where(ChangeLogEntry.origin == "remote")) or 0)  # type: ignore[arg-type]


def clock(offset_ms: int = 0, counter: int = 0, device: str = "otherpc") -> str:
    return Hlc(int(time.time() * 1000) + offset_ms, counter, device).encode()


def change(row: str, field: str, value: Any, hlc: str, *, entity: str = "child", n: int = 0) -> dict[str, Any]:
    return {"change_id": f"t{n}-{field}-{hlc}", "entity": entity, "row_id": row, "division_code": VILLAGE,
            "field": field, "value": value, "hlc": hlc, "device_id": "otherpc"}


def a_village(ledger: Ledger) -> list[str]:
    """Children with every kind of record that feeds derived columns, and a case with a step."""
    ids = []
    for i in range(3):
        child = ledger.create_child(**child_fields(seq=30 + i, name=name_for(i, "覃"), birth_date=date(2012 + i, 3, 1)))
        ledger.record_visit(child.id, visit_date=date.today() - timedelta(days=40 + i), mode="home", checks=["safety"])
        ledger.record_visit(child.id, visit_date=date.today() - timedelta(days=3 + i), mode="phone")
        ledger.assess(child.id, level="missing" if i else "normal", assessed_on=date.today() - timedelta(days=10))
        ledger.set_care(child.id, care_type="grandparents", caregiver_name="覃老伯", caregiver_phone="0771-1234567")
        ledger.record_parent_contact(child.id, contact_date=date.today() - timedelta(days=i + 1), parent="mother", mode="video")
        ids.append(child.id)
    wf.open_case(ledger, child_id=ids[0], situation="abandonment", opened_on=date(2026, 11, 2), place="白山村三组",
                 observed="孩子独自在家三天", reporter_name="韦老师", reporter_phone="13877112233")
    return ids


def test_one_page_builds_whole_rows_with_their_clocks_and_derives_the_children(ledger: Ledger, township: Ledger) -> None:
    a_village(ledger)
    page = changes_of(ledger)
    applied = township.apply_remote(page, meta={CURSOR: "17"})
    assert applied == len(page)
    mine, my_clocks = ledger_state(township)
    theirs, their_clocks = ledger_state(ledger)
    assert mine == theirs
    # Every field a change came for carries that change's clock (a row written whole at the
    # source also has a clock for the fields it never set; those never travel).
    assert set(my_clocks) == {(c["entity"], c["row_id"], c["field"]) for c in page}
    assert my_clocks.items() <= their_clocks.items()
    assert derived(township) == derived(ledger)  # as the director's per-child refresh made them
    with township.reading() as session:  # a row with two links, built from single-field changes
        step = session.scalars(select(CaseStep)).one()
        assert step.case_id and step.child_id
    assert township.meta(CURSOR) == "17"
    assert remote_log_count(township) == len(page)
    assert township.pending_changes() == 0
    # The same page again (a replay after a lost answer) changes nothing and logs nothing.
    assert township.apply_remote(page) == 0
    assert remote_log_count(township) == len(page)


def test_higher_clock_wins_per_field_in_page_order_and_unsent_local_fields_stay(ledger: Ledger, township: Ledger) -> None:
    child = ledger.create_child(**child_fields())
    assert ledger.apply_remote([]) == 0  # nothing to do, nothing breaks
    row = child.id
    older, newer, newest = clock(1000), clock(2000), clock(3000)
    ledger.mark_pushed([(e.change_id, "accepted", "") for e in ledger.outbox(1000)])
    ledger.update_child(row, address="村里老屋")  # an unsent local change of one field
    before = ledger.field_clocks("child", row)
    page = [
        change(row, "notes", "先到的新值", newer, n=1),
        change(row, "notes", "后到的旧值", older, n=2),  # arrives later, but its clock is older
        change(row, "school_name", "白山镇中心小学", older, n=3),
        change(row, "school_name", "白山镇民族中学", newest, n=4),
        change(row, "address", "远方的新地址", newest, n=5),  # the push decides this field
        change(row, "name", "韦大明", before["name"], n=6),  # an equal clock is not newer
        change(row, "no_such_field", "x", newest, n=7),
    ]
    assert ledger.apply_remote(page) == 3
    got = ledger.get_child(row)
    assert (got.notes, got.school_name, got.address, got.name) == ("先到的新值", "白山镇民族中学", "村里老屋", "韦小明")
    after = ledger.field_clocks("child", row)
    assert after["notes"] == newer and after["school_name"] == newest
    assert after["address"] == before["address"] and after["name"] == before["name"]
    assert ledger.pending_changes() == 1
    # A pulled name change renews the derived name keys.
    ledger.apply_remote([change(row, "name", "蓝小花", clock(4000), n=8)])
    assert ledger.get_child(row).name_pinyin.startswith("lan")


def test_drops_remove_rows_and_the_child_is_derived_again(ledger: Ledger, township: Ledger) -> None:
    first, second, _ = a_village(ledger)
    township.apply_remote(changes_of(ledger))
    with township.reading() as session:
        visits = sorted((v.visit_date, v.id) for v in session.scalars(select(Visit).where(Visit.child_id == first)))
    (earlier, _), (latest, latest_id) = visits
    assert township.get_child(first).last_visit_date == latest
    township.apply_remote([], drop=[("visit", latest_id)], meta={CURSOR: "9"})
    assert township.get_child(first).last_visit_date == earlier
    assert township.meta(CURSOR) == "9"
    township.apply_remote([], drop=[("child", second)])
    assert second not in derived(township)
    assert township.count_children() == 2


def test_a_page_that_fails_leaves_rows_and_cursor_as_they_were(ledger: Ledger, township: Ledger) -> None:
    a_village(ledger)
    township.apply_remote([], meta={CURSOR: "5"})
    page = changes_of(ledger)
    with pytest.raises(ValueError):
        township.apply_remote([*page, change("x", "name", "y", clock(), entity="no_such_entity")], meta={CURSOR: "99"})
    assert township.meta(CURSOR) == "5"
    assert ledger_state(township)[0] == {}
    assert remote_log_count(township) == 0


def test_pulled_clocks_move_ours_forward_but_not_into_the_far_future(ledger: Ledger) -> None:
    child = ledger.create_child(**child_fields())
    ahead, near = clock(3 * 24 * 3600 * 1000), clock(60 * 1000, 7)
    ledger.apply_remote([change(child.id, "notes", "远", ahead, n=1), change(child.id, "illness", "近", near, n=2)])
    ledger.update_child(child.id, school_name="白山镇中心小学")
    mine = ledger.field_clocks("child", child.id)["school_name"]
    assert near[:20] < mine[:20] < ahead[:20]


def test_snapshot_rows_on_file_merge_by_field_and_new_ones_load_whole(ledger: Ledger, township: Ledger) -> None:
    ids = a_village(ledger)
    state, hlcs = ledger_state(ledger)
    rows = [
        {"entity": entity, "row_id": row_id, "division_code": values["division_code"], "values": values,
         "clocks": {f: hlcs[(entity, row_id, f)] for f in values if (entity, row_id, f) in hlcs}}
        for (entity, row_id), values in state.items()
    ]
    township.apply_snapshot(rows[:5], derive="later")
    township.update_child(ids[0], notes="本地未上传")
    assert township.apply_snapshot(rows) == len(rows)
    mine, my_clocks = ledger_state(township)
    assert mine[("child", ids[0])]["notes"] == "本地未上传"
    mine[("child", ids[0])]["notes"] = state[("child", ids[0])]["notes"]
    assert mine == state
    assert derived(township) == derived(ledger)
    assert remote_log_count(township) == 0  # the server's state, not edits


# ---- the engine against a real server ------------------------------------------------------------


@pytest.fixture
def small_pages() -> Iterator[None]:
    saved = {name: getattr(engine_module, name) for name in ("SNAPSHOT_PAGE", "SNAPSHOT_PAGE_MAX", "PULL_PAGE", "PULL_PAGE_MAX")}
    engine_module.SNAPSHOT_PAGE, engine_module.SNAPSHOT_PAGE_MAX = 4, 16
    engine_module.PULL_PAGE, engine_module.PULL_PAGE_MAX = 5, 20
    yield
    for name, value in saved.items():
        setattr(engine_module, name, value)


def _fill(ledger: Ledger, count: int, surname: str) -> None:
    for i in range(count):
        child = ledger.create_child(**child_fields(name=name_for(i, surname), seq=i, birth_date=date(2014, 1 + i % 12, 1 + i % 28)))
        ledger.record_visit(child.id, visit_date=date.today() - timedelta(days=i), mode="home", checks=["safety"])
        if i % 3 == 0:
            ledger.assess(child.id, level="insufficient", assessed_on=date.today() - timedelta(days=2))


def _stop_at(limit: int, stage: str) -> Any:
    seen = {"n": 0}

    def progress(p: Any) -> None:
        if p.message == stage:
            seen["n"] += 1
            if seen["n"] == limit:
                raise KeyboardInterrupt  # the app closed half-way

    return progress


def test_a_download_in_growing_pages_cut_off_resumes_whole_with_every_child_derived(
    live_server: ServerHandle, tmp_path: Path, small_pages: None
) -> None:
    server = live_server
    director = enrolled(tmp_path, server, "director")
    _fill(director, 25, "黄")
    sync_ledger(director)
    supervisor = enrolled(tmp_path, server, "supervisor")
    client = client_for(supervisor)
    try:
        with pytest.raises(KeyboardInterrupt):
            engine_module.SyncEngine(supervisor, client).sync(progress=_stop_at(3, "download"))
    finally:
        client.close()
    assert supervisor.meta(CURSOR) in (None, "") and supervisor.meta(SNAPSHOT_AFTER)
    report = sync_ledger(supervisor)
    assert 0 < report.downloaded_rows < 25 * 2
    assert supervisor.count_children() == 25
    assert_same(supervisor, server)
    assert derived(supervisor) == derived(director)
    assert remote_log_count(supervisor) == 0


def test_pulls_in_growing_prefetched_pages_cut_off_resume_without_loss_or_double(
    live_server: ServerHandle, tmp_path: Path, small_pages: None
) -> None:
    server = live_server
    director = enrolled(tmp_path, server, "director")
    supervisor = enrolled(tmp_path, server, "supervisor")
    sync_ledger(supervisor)  # empty download: from now on it pulls
    _fill(director, 12, "蒙")
    sync_ledger(director)
    client = client_for(supervisor)
    try:
        with pytest.raises(KeyboardInterrupt):
            engine_module.SyncEngine(supervisor, client).sync(progress=_stop_at(2, "pull"))
    finally:
        client.close()
    cursor = int(supervisor.meta(CURSOR) or 0)
    assert cursor > 0
    logged = remote_log_count(supervisor)
    report = sync_ledger(supervisor)
    assert logged + report.pulled == len(changes_of(director))  # each change once: none lost, none twice
    assert remote_log_count(supervisor) == logged + report.applied
    assert supervisor.count_children() == 12
    assert_same(supervisor, server)
    assert derived(supervisor) == derived(director)
    director.update_child(director.list_children()[0].id, notes="后来的备注")
    sync_ledger(director)
    sync_ledger(supervisor)
    assert_same(supervisor, server)


def test_a_cancelled_pull_applies_every_page_the_server_served(
    live_server: ServerHandle, tmp_path: Path, small_pages: None
) -> None:
    """The server counts a served pull page as seen by the device (that is how it tells a
    concurrent edit from an informed one), so a cancel must not leave a fetched page unapplied."""
    server = live_server
    director = enrolled(tmp_path, server, "director")
    supervisor = enrolled(tmp_path, server, "supervisor")
    sync_ledger(supervisor)
    _fill(director, 12, "莫")
    sync_ledger(director)
    cancel = CancelToken()
    pages = {"n": 0}

    def cancel_during_the_second_page(p: Any) -> None:
        if p.message == "pull":
            pages["n"] += 1
            if pages["n"] == 2:
                cancel.cancel()

    client = client_for(supervisor)
    try:
        with pytest.raises(Cancelled):
            engine_module.SyncEngine(supervisor, client).sync(progress=cancel_during_the_second_page, cancel=cancel)
    finally:
        client.close()
    assert pages["n"] == 3  # the page already on its way was applied, then it stopped
    engine = create_engine(server.database_url)
    try:
        with engine.connect() as conn:
            seen = conn.execute(text(
                "SELECT d.last_pull_cursor FROM devices d JOIN users u ON u.id = d.user_id WHERE u.username = 'supervisor'"
            )).scalar_one()
    finally:
        engine.dispose()
    assert seen == int(supervisor.meta(CURSOR) or 0) > 0
    sync_ledger(supervisor)
    assert_same(supervisor, server)
