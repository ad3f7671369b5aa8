"""Conflict review: who sees which conflicts, and resolving to the loser as a new server change."""

from __future__ import annotations

from pydantic import TypeAdapter

from gxcare_desktop.domain.hlc import Hlc
from gxcare_desktop.sync.protocol import ConflictRecord, ResolveResponse
from tests.server.support import DeviceClient, ServerApp, current_values, new_id, now_ms
from tests.server_fixtures import OTHER_VILLAGE, VILLAGE


def _conflict(server: ServerApp, village: str, username: str) -> str:
    device = server.enrol(username)
    child = new_id()
    device.push(device.record("child", child, {"name": "原名"}, division=village))
    t = now_ms()
    device.push([device.change("child", child, "name", "新名", division=village, hlc=Hlc(t, 5, "b").encode())])
    device.push([device.change("child", child, "name", "旧改", division=village, hlc=Hlc(t, 1, "a").encode())])
    return child


def _list(server: ServerApp, headers: dict[str, str], **params: object) -> list[ConflictRecord]:
    response = server.client.get("/v1/sync/conflicts", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return TypeAdapter(list[ConflictRecord]).validate_python(response.json())


def test_each_scope_sees_its_own_conflicts(server: ServerApp) -> None:
    child_a = _conflict(server, VILLAGE, "director")
    child_b = _conflict(server, OTHER_VILLAGE, "director2")
    director = server.enrol("director")
    supervisor = server.enrol("supervisor")
    far = server.enrol("far_director")
    assert [c.row_id for c in _list(server, director.headers)] == [child_a]
    assert {c.row_id for c in _list(server, supervisor.headers)} == {child_a, child_b}
    assert _list(server, far.headers) == []
    conflict = _list(server, director.headers)[0]
    assert (conflict.winner_value, conflict.loser_value) == ("新名", "旧改")
    assert conflict.kind.value == "superseded" and not conflict.resolved


def test_resolve_to_loser_writes_a_server_change_that_syncs(server: ServerApp) -> None:
    child = _conflict(server, VILLAGE, "director")
    director = server.enrol("director")
    supervisor = server.enrol("supervisor")
    pages, cursor = director.pull_all()
    conflict = _list(server, supervisor.headers)[0]
    # A village director may look but not decide.
    assert server.client.post(
        f"/v1/sync/conflicts/{conflict.id}/resolve", json={"keep": "loser"}, headers=director.headers
    ).status_code == 403
    response = server.client.post(
        f"/v1/sync/conflicts/{conflict.id}/resolve", json={"keep": "loser"}, headers=supervisor.headers
    )
    assert response.status_code == 200, response.text
    answer = ResolveResponse.model_validate(response.json())
    assert answer.conflict.resolved and answer.conflict.resolution == "loser"
    assert answer.change is not None and answer.change.device_id == "server"
    assert answer.change.hlc > conflict.winner_hlc and answer.change.hlc.endswith("-server")
    later = director.pull(cursor)
    assert [(c.field, c.value) for c in later.changes] == [("name", "旧改")]
    assert current_values([*pages, later])[("child", child)]["name"] == "旧改"
    # Resolved: gone from the open list, twice is refused.
    assert _list(server, supervisor.headers) == []
    assert len(_list(server, supervisor.headers, include_resolved=True)) == 1
    again = server.client.post(
        f"/v1/sync/conflicts/{conflict.id}/resolve", json={"keep": "winner"}, headers=supervisor.headers
    )
    assert again.status_code == 409


def test_resolve_to_winner_changes_nothing_and_scope_is_enforced(server: ServerApp) -> None:
    _conflict(server, OTHER_VILLAGE, "director2")
    supervisor = server.enrol("supervisor")
    county_elsewhere = server.enrol("far_director")
    conflict = _list(server, supervisor.headers)[0]
    before = server.log_count()
    assert server.client.post(
        f"/v1/sync/conflicts/{conflict.id}/resolve", json={"keep": "winner"},
        headers=county_elsewhere.headers,
    ).status_code == 403
    bad = server.client.post(
        f"/v1/sync/conflicts/{conflict.id}/resolve", json={"keep": "both"}, headers=supervisor.headers
    )
    assert bad.status_code == 422
    ok = server.client.post(
        f"/v1/sync/conflicts/{conflict.id}/resolve", json={"keep": "winner"}, headers=supervisor.headers
    )
    assert ok.status_code == 200 and ok.json()["change"] is None
    assert server.log_count() == before


def _office_and_laptop(server: ServerApp) -> tuple[DeviceClient, DeviceClient, str]:
    """A village's office PC and laptop, and a child the office has registered."""
    office = server.enrol("director", "office")
    laptop = server.enrol("director", "laptop")
    child = new_id()
    office.push(office.record("child", child, {"name": "原名"}, division=VILLAGE))
    return office, laptop, child


def _rename_later(device: DeviceClient, child: str, name: str, *, pulled_to: int | None = None) -> None:
    """A rename with a clock later than anything the office wrote, so it wins."""
    clock = Hlc(now_ms() + 1000, 0, "l").encode()
    device.push([device.change("child", child, "name", name, division=VILLAGE, hlc=clock)], pulled_to=pulled_to)


def test_a_served_page_the_device_never_applied_does_not_count_as_seen(server: ServerApp) -> None:
    """The laptop is served the office's edit but never applies it (the sync broke off); its
    next push overwrites that edit. Told the cursor it really applied (`pulled_to`), the server
    keeps the office's value as a concurrent conflict; judged by what it served, it would not."""
    office, laptop, child = _office_and_laptop(server)
    _, applied = laptop.pull_all()
    office.push([office.change("child", child, "name", "办公室改", division=VILLAGE)])
    served = laptop.pull(applied)
    assert [c.value for c in served.changes] == ["办公室改"]  # served, then lost with the broken sync
    _rename_later(laptop, child, "笔记本改", pulled_to=applied)
    conflicts = _list(server, office.headers)
    assert [(c.kind.value, c.field, c.winner_value, c.loser_value) for c in conflicts] == [
        ("concurrent", "name", "笔记本改", "办公室改")
    ]


def test_without_pulled_to_the_server_goes_by_what_it_served(server: ServerApp) -> None:
    office, laptop, child = _office_and_laptop(server)
    office.push([office.change("child", child, "name", "办公室改", division=VILLAGE)])
    laptop.pull_all()
    _rename_later(laptop, child, "笔记本改")
    assert _list(server, office.headers) == []


def test_a_pulled_to_beyond_the_server_is_not_believed(server: ServerApp) -> None:
    """A cursor this server never handed out (it was restored from a backup) says nothing about
    what the device has seen of it: the server goes by what it served."""
    office, laptop, child = _office_and_laptop(server)
    _, served = laptop.pull_all()
    office.push([office.change("child", child, "name", "办公室改", division=VILLAGE)])
    _rename_later(laptop, child, "笔记本改", pulled_to=served + 100)
    assert [(c.kind.value, c.loser_value) for c in _list(server, office.headers)] == [("concurrent", "办公室改")]
