"""Pull paging, cursors, the device's recorded cursor, and cursor_ahead after a restore."""

from __future__ import annotations

from gxcare_desktop.sync.protocol import ErrorBody
from sync_server.accounts import SEEN_PRECISION_MS, now_ms, record_seen
from sync_server.models import Device
from tests.server.support import ServerApp, new_id
from tests.server_fixtures import OTHER_VILLAGE, VILLAGE


def test_pages_cover_every_change_once_in_order(server: ServerApp) -> None:
    writer = server.enrol("director")
    for _ in range(7):
        writer.push(writer.record("child", new_id(), {"name": "x", "sex": "1"}, division=VILLAGE))
    reader = server.enrol("supervisor")
    pages, cursor = reader.pull_all(limit=4)
    seqs = [c.seq for p in pages for c in p.changes]
    assert seqs == list(range(1, 22))
    assert [p.has_more for p in pages] == [True] * 5 + [False]
    assert cursor == 21
    assert reader.pull(cursor).changes == []
    with server.session() as session:
        device = session.get(Device, reader.device_id)
        assert device is not None and device.last_pull_cursor == 21


def test_empty_pull_advances_to_the_server_position(server: ServerApp) -> None:
    other = server.enrol("director2")
    other.push(other.record("child", new_id(), {"name": "x"}, division=OTHER_VILLAGE))
    director = server.enrol("director")
    page = director.pull(0)
    assert page.changes == [] and not page.has_more and page.next_cursor == 2


def test_cursor_beyond_the_server_is_409_cursor_ahead(server: ServerApp) -> None:
    director = server.enrol("director")
    director.push(director.record("child", new_id(), {"name": "x"}, division=VILLAGE))
    response = server.client.get(
        "/v1/sync/pull", params={"cursor": 50}, headers=director.headers
    )
    assert response.status_code == 409
    body = ErrorBody.model_validate(response.json())
    assert body.code == "cursor_ahead" and body.message_zh and body.message_en
    assert director.pull(2).next_cursor == 2


def test_bad_query_parameters_are_422_error_bodies(server: ServerApp) -> None:
    director = server.enrol("director")
    for params in ({"cursor": -1}, {"cursor": "abc"}, {"limit": 0}):
        response = server.client.get("/v1/sync/pull", params=params, headers=director.headers)
        assert response.status_code == 422
        assert ErrorBody.model_validate(response.json()).code == "invalid_request"


def test_a_push_reports_how_far_the_device_applied_for_the_device_list(server: ServerApp) -> None:
    """Empty pulls do not write the device's cursor; the pushes after them carry it."""
    other = server.enrol("director2")
    for _ in range(3):
        other.push(other.record("child", new_id(), {"name": "x"}, division=OTHER_VILLAGE))
    director = server.enrol("director")
    top = director.pull(0).next_cursor  # empty for this village: not written
    with server.session() as session:
        device = session.get(Device, director.device_id)
        assert device is not None and device.last_pull_cursor == 0
    director.push(director.record("child", new_id(), {"name": "y"}, division=VILLAGE), pulled_to=top)
    with server.session() as session:
        device = session.get(Device, director.device_id)
        assert device is not None and device.last_pull_cursor == top == 6


def test_recording_a_sighting_never_moves_the_cursor_back(server: ServerApp) -> None:
    """Two requests of one device: the one that loaded the device earlier writes last, yet the
    cursor the other one recorded stays."""
    director = server.enrol("director")
    with server.session() as early:
        stale = early.get(Device, director.device_id)
        assert stale is not None and stale.last_pull_cursor == 0
        with server.session() as other:
            fresh = other.get(Device, director.device_id)
            assert fresh is not None
            record_seen(other, fresh, at_ms=now_ms(), pull_cursor=10)
            other.commit()
        record_seen(early, stale, at_ms=now_ms() + 2 * SEEN_PRECISION_MS)
        early.commit()
    with server.session() as session:
        device = session.get(Device, director.device_id)
        assert device is not None and device.last_pull_cursor == 10
