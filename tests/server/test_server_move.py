"""Moving a child to another village: the old scope drops it, the new scope gets the whole record."""

from __future__ import annotations

from sqlmodel import select

from sync_server.models import RecordRow
from tests.server.support import ServerApp, current_values, new_id
from tests.server_fixtures import FAR_VILLAGE, OTHER_VILLAGE, VILLAGE


def _child_with_rows(server: ServerApp) -> tuple[str, str, str]:
    director = server.enrol("director", "seed")
    child, visit, member = new_id(), new_id(), new_id()
    director.push(
        director.record(
            "child", child, {"name": "韦小明", "categories": ["left_behind"], "birth_date": "2015-03-01"},
            division=VILLAGE,
        )
        + director.record("visit", visit, {"child_id": child, "findings": "良好"}, division=VILLAGE)
        + director.record("family_member", member, {"child_id": child, "name": "韦大"}, division=VILLAGE)
    )
    return child, visit, member


def test_move_within_township(server: ServerApp) -> None:
    child, visit, member = _child_with_rows(server)
    old = server.enrol("director", "old-village-pc")
    new = server.enrol("director2", "new-village-pc")
    supervisor = server.enrol("supervisor")
    old_pages, old_cursor = old.pull_all()
    assert ("child", child) in current_values(old_pages)
    new_pages, new_cursor = new.pull_all()
    sup_pages, sup_cursor = supervisor.pull_all()
    assert current_values(new_pages) == {}

    assert old.statuses(
        [old.change("child", child, "division_code", OTHER_VILLAGE, division=VILLAGE)]
    ) == [("accepted", None)]

    # The old village is told to drop the child and every row of it.
    page = old.pull(old_cursor)
    assert set(page.drop) == {("child", child), ("visit", visit), ("family_member", member)}
    # The new village receives whole records: every field, the visit and the family member too.
    got = current_values([*new_pages, *new.pull_all(new_cursor)[0]])
    assert got[("child", child)] == {
        "division_code": OTHER_VILLAGE, "name": "韦小明", "categories": ["left_behind"],
        "birth_date": "2015-03-01",
    }
    assert got[("visit", visit)]["findings"] == "良好"
    assert got[("visit", visit)]["division_code"] == OTHER_VILLAGE
    assert got[("family_member", member)]["name"] == "韦大"
    # The supervisor covers both villages: nothing to drop, everything now in OTHER_VILLAGE.
    sup_next = supervisor.pull(sup_cursor)
    assert sup_next.drop == []
    sup_rows = current_values([*sup_pages, sup_next])
    assert sup_rows[("visit", visit)]["division_code"] == OTHER_VILLAGE
    # Snapshots agree.
    assert {(r.entity, r.row_id) for r in new.snapshot().rows} == {
        ("child", child), ("visit", visit), ("family_member", member)
    }
    assert old.snapshot().rows == []
    # The old village can no longer write to it; the new one can.
    assert old.statuses([old.change("visit", visit, "findings", "x", division=VILLAGE)]) == [
        ("rejected", "out_of_jurisdiction")
    ]
    assert new.statuses([new.change("visit", visit, "findings", "复访", division=OTHER_VILLAGE)]) == [
        ("accepted", None)
    ]
    with server.session() as session:
        rows = session.exec(select(RecordRow)).all()
    assert {r.division_code for r in rows} == {OTHER_VILLAGE}


def test_move_out_of_county_and_back(server: ServerApp) -> None:
    child, visit, _ = _child_with_rows(server)
    county = server.enrol("county")
    far = server.enrol("far_director")
    county_pages, county_cursor = county.pull_all()
    assert county.statuses(
        [county.change("child", child, "division_code", FAR_VILLAGE, division=VILLAGE)]
    ) == [("accepted", None)]
    page = county.pull(county_cursor)
    assert ("child", child) in page.drop and ("visit", visit) in page.drop
    far_rows = current_values(far.pull_all()[0])
    assert far_rows[("child", child)]["name"] == "韦小明"
    # The far village moves it back: county sees it again and gets no drop (moved back in page).
    assert far.statuses(
        [far.change("child", child, "division_code", VILLAGE, division=FAR_VILLAGE)]
    ) == [("accepted", None)]
    whole = county.pull(county_cursor)
    assert ("child", child) not in whole.drop
    assert current_values([*county_pages, whole])[("child", child)]["division_code"] == VILLAGE


def test_move_rules(server: ServerApp) -> None:
    child, _, _ = _child_with_rows(server)
    director2 = server.enrol("director2")
    director = server.enrol("director")
    assert director2.statuses(
        [director2.change("child", child, "division_code", OTHER_VILLAGE, division=OTHER_VILLAGE)]
    ) == [("rejected", "out_of_jurisdiction")]
    assert director.statuses(
        [
            director.change("child", child, "division_code", "450124100", division=VILLAGE),
            director.change("child", child, "division_code", "450124100299", division=VILLAGE),
        ]
    ) == [("rejected", "bad_division"), ("rejected", "bad_division")]


def test_client_echoing_the_move_on_every_row_is_not_refused(server: ServerApp) -> None:
    """A client that writes division_code on the child's rows too (after the child's own move)
    gets `superseded` for those, not `out_of_jurisdiction`; a different village still is refused."""
    child, visit, member = _child_with_rows(server)
    director = server.enrol("director")
    director.pull_all()
    results = director.statuses(
        [
            director.change("child", child, "division_code", FAR_VILLAGE, division=VILLAGE),
            director.change("visit", visit, "division_code", FAR_VILLAGE, division=VILLAGE),
            director.change("family_member", member, "division_code", OTHER_VILLAGE, division=VILLAGE),
            director.change("visit", visit, "findings", "改", division=VILLAGE),
        ]
    )
    assert results == [
        ("accepted", None),
        ("superseded", None),
        ("rejected", "out_of_jurisdiction"),
        ("rejected", "out_of_jurisdiction"),
    ]
    state = server.field_value("visit", visit, "division_code")
    assert state is not None and state.value_json == f'"{FAR_VILLAGE}"' and state.device_id == "server"
