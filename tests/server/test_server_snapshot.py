"""Snapshot: the current state of every row in scope, paged, with the cursor to pull from."""

from __future__ import annotations

from gxcare_desktop.sync.protocol import ErrorBody, JsonValue, SnapshotResponse
from tests.server.support import ServerApp, new_id
from tests.server_fixtures import OTHER_VILLAGE, VILLAGE


def test_snapshot_pages_cover_every_row_once_with_values_and_clocks(server: ServerApp) -> None:
    director = server.enrol("director")
    children = {new_id() for _ in range(12)}
    for child in children:
        director.push(director.record("child", child, {"name": "x", "sex": "2"}, division=VILLAGE))
    visits = {new_id() for _ in range(3)}
    some_child = next(iter(children))
    for visit in visits:
        director.push(director.record("visit", visit, {"child_id": some_child}, division=VILLAGE))
    other = server.enrol("director2")
    other.push(other.record("child", new_id(), {"name": "y"}, division=OTHER_VILLAGE))
    top = server.log_count()
    # A later edit of one name: the snapshot shows only the winning value.
    director.push([director.change("child", some_child, "name", "新名字", division=VILLAGE)])

    supervisor = server.enrol("supervisor")
    seen: list[tuple[str, str]] = []
    after: str | None = None
    first_cursor: int | None = None
    pages = 0
    while True:
        page = director.snapshot(after=after, limit=5)
        pages += 1
        first_cursor = page.cursor if first_cursor is None else first_cursor
        seen += [(r.entity, r.row_id) for r in page.rows]
        for row in page.rows:
            assert row.division_code == VILLAGE
            assert set(row.values) == set(row.clocks)
            if row.row_id == some_child:
                assert row.values["name"] == "新名字"
        if page.next_after is None:
            break
        after = page.next_after
    assert pages == 3
    assert len(seen) == len(set(seen)) == 15
    assert set(seen) == {("child", c) for c in children} | {("visit", v) for v in visits}
    assert seen == sorted(seen)
    assert first_cursor == top + 1
    # Pulling from the snapshot cursor brings only what came after.
    director.push([director.change("child", some_child, "notes", "后来的", division=VILLAGE)])
    later = director.pull(first_cursor)
    assert [(c.field, c.value) for c in later.changes] == [("notes", "后来的")]
    assert len(supervisor.snapshot().rows) == 16


def test_bad_after_is_422(server: ServerApp) -> None:
    director = server.enrol("director")
    response = server.client.get(
        "/v1/sync/snapshot", params={"after": "no-colon"}, headers=director.headers
    )
    assert response.status_code == 422
    assert ErrorBody.model_validate(response.json()).code == "bad_after"


def test_snapshot_values_arrive_exactly_as_a_pull_gives_them(server: ServerApp) -> None:
    """The page is written as JSON text from the stored values: quotes, backslashes, line
    breaks, non-Latin text, lists, numbers, booleans and nulls come out as they went in."""
    director = server.enrol("director")
    child = new_id()
    values: dict[str, JsonValue] = {
        "name": "韦\"小\\宝\"",
        "notes": "第一行\n第二行\t\u0001 end" + "，很长的备注" * 200,  # long enough to be compressed
        "categories": ["left_behind", "orphan"],
        "disability_grade": 2,
        "boarding": False,
        "hukou_registered": None,
        "birth_date": "2015-03-01",
    }
    director.push(director.record("child", child, values, division=VILLAGE))
    director.push([director.change("benefit", new_id(), "amount_monthly", 312.5, division=VILLAGE)])
    pulled: dict[tuple[str, str], dict[str, JsonValue]] = {}
    clocks: dict[tuple[str, str], dict[str, str]] = {}
    for page in director.pull_all()[0]:
        for change in page.changes:
            pulled.setdefault((change.entity, change.row_id), {})[change.field] = change.value
            clocks.setdefault((change.entity, change.row_id), {})[change.field] = change.hlc
    for gzip_ok in (True, False):
        headers = {**director.headers, "Accept-Encoding": "gzip" if gzip_ok else "identity"}
        response = server.client.get("/v1/sync/snapshot", headers=headers)
        assert response.status_code == 200
        assert (response.headers.get("content-encoding") == "gzip") is gzip_ok
        page = SnapshotResponse.model_validate(response.json())
        assert {(r.entity, r.row_id): r.values for r in page.rows} == pulled
        assert {(r.entity, r.row_id): r.clocks for r in page.rows} == clocks
    assert pulled[("child", child)] == {"division_code": VILLAGE, **values}
