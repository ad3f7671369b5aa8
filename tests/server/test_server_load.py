"""What the 100-device load needs from the server: TCP_NODELAY on keep-alive connections however
the socket was bound, many devices at once through two workers without errors, revocation
seen at once by every worker, and empty pulls tallied into the audit trail."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
import uvicorn
from fastapi.testclient import TestClient
from sqlmodel import col, select

from gxcare_desktop.domain.hlc import Hlc
from gxcare_desktop.sync.protocol import PullResponse, PushResponse
from sync_server.core.config import Settings
from sync_server.core.transport import HTTP_PROTOCOL, NoDelayH11Protocol
from sync_server.main import create_app
from sync_server.models import AuditEvent, Device
from tests.server.support import ServerApp, new_id, now_ms
from tests.server_fixtures import (
    DEFAULT_USERS,
    OTHER_VILLAGE,
    VILLAGE,
    ServerHandle,
    create_users,
    fresh_database_url,
    running_server,
)


def _recorded(protocol: type[asyncio.Protocol], nodelay: list[int]) -> type[asyncio.Protocol]:
    """The protocol, noting the TCP_NODELAY of each accepted socket after its own set-up."""

    class Recorded(protocol):  # type: ignore[misc,valid-type]
        def connection_made(self, transport: asyncio.Transport) -> None:
            super().connection_made(transport)
            sock = transport.get_extra_info("socket")
            nodelay.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

    return Recorded


async def _hello(scope: dict[str, object], receive: object, send: object) -> None:
    assert scope["type"] == "http"
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})  # type: ignore[operator]
    await send({"type": "http.response.body", "body": b"ok"})  # type: ignore[operator]


@pytest.mark.parametrize("protocol", [HTTP_PROTOCOL, NoDelayH11Protocol], ids=["served", "h11-fallback"])
def test_keep_alive_connections_get_tcp_nodelay_on_a_socket_bound_like_workers_do(
    protocol: type[asyncio.Protocol],
) -> None:
    # `--workers 2` hands uvicorn a socket made by socket.socket(AF_INET): proto 0, for which
    # asyncio does not switch Nagle off (a 40 ms stall per keep-alive request).
    listener = socket.socket(socket.AF_INET)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    nodelay: list[int] = []
    recorded = _recorded(protocol, nodelay)
    server = uvicorn.Server(uvicorn.Config(_hello, http=recorded, lifespan="off", log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        with requests.Session() as client:
            for _ in range(3):
                assert client.get(f"http://127.0.0.1:{port}/", timeout=10).text == "ok"
        assert nodelay == [1]  # one keep-alive connection, Nagle off
    finally:
        server.should_exit = True
        thread.join(20)
        listener.close()


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)], ids=["sqlite", "pg"])
def two_workers(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    with fresh_database_url(request.param, tmp_path) as url, running_server(url, tmp_path, workers=2) as handle:
        yield handle


def _change(device: str, row_id: str, field: str, value: object, division: str, counter: int) -> dict[str, Any]:
    return {
        "change_id": new_id(), "entity": "child", "row_id": row_id, "division_code": division,
        "field": field, "value": value, "hlc": Hlc(now_ms(), counter, device).encode(),
        "device_id": device,
    }


@pytest.mark.slow
def test_many_devices_at_once_through_two_workers(two_workers: ServerHandle) -> None:
    """60 devices push and pull at the same time (more requests in flight than request threads
    and pooled connections): every request answers, nothing in the server log, and each device
    pulls back every change of its village."""
    server = two_workers
    devices = [server.enrol("director" if i % 2 == 0 else "director2", f"pc{i}") for i in range(60)]
    errors: list[str] = []
    pushed: dict[str, set[str]] = {VILLAGE: set(), OTHER_VILLAGE: set()}
    pulled: dict[int, set[str]] = {}
    lock = threading.Lock()
    start = threading.Barrier(len(devices))

    def run(index: int) -> None:
        enrolment = devices[index]
        division = VILLAGE if index % 2 == 0 else OTHER_VILLAGE
        headers = {"Authorization": f"Bearer {enrolment.token}"}
        seen: set[str] = set()
        cursor = 0
        row = new_id()
        with requests.Session() as client:
            start.wait()
            try:
                for round_ in range(4):
                    changes = [
                        _change(enrolment.device_id, row, "division_code", division, division, 2 * round_),
                        _change(enrolment.device_id, row, "notes", f"{index}-{round_}", division, 2 * round_ + 1),
                    ]
                    answer = client.post(f"{server.base_url}/v1/sync/push", json={"changes": changes}, headers=headers, timeout=120)
                    if answer.status_code != 200:
                        errors.append(f"push {answer.status_code}: {answer.text[:200]}")
                        return
                    assert all(r.status.value == "accepted" for r in PushResponse.model_validate(answer.json()).results)
                    with lock:
                        pushed[division].update(str(c["hlc"]) for c in changes)
                    while True:
                        page = client.get(f"{server.base_url}/v1/sync/pull", params={"cursor": cursor}, headers=headers, timeout=120)
                        if page.status_code != 200:
                            errors.append(f"pull {page.status_code}: {page.text[:200]}")
                            return
                        body = PullResponse.model_validate(page.json())
                        seen.update(c.hlc for c in body.changes)
                        cursor = body.next_cursor
                        if not body.has_more:
                            break
                # A last pull after everyone has finished pushing is checked below.
                with lock:
                    pulled[index] = seen
            except Exception as exc:  # reported below; a thread must not die silently
                errors.append(repr(exc))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(devices))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert errors == []
    log = server.log()
    assert "Traceback" not in log and "QueuePool" not in log, log[-3000:]
    # Every device has received at least its own changes and, pulling once more, all of its village's.
    with requests.Session() as client:
        for index, enrolment in enumerate(devices[:6]):
            division = VILLAGE if index % 2 == 0 else OTHER_VILLAGE
            assert len(pulled[index]) >= 8
            response = client.get(
                f"{server.base_url}/v1/sync/pull", params={"cursor": 0, "limit": 5000},
                headers={"Authorization": f"Bearer {enrolment.token}"}, timeout=60,
            )
            page = PullResponse.model_validate(response.json())
            assert {c.hlc for c in page.changes} == pushed[division]


def test_revoked_token_is_refused_at_once_by_every_worker(two_workers: ServerHandle) -> None:
    server = two_workers
    lost = server.enrol("director", "lost laptop")
    supervisor = server.enrol("supervisor")
    headers = {"Authorization": f"Bearer {lost.token}"}
    # Several connections, so both workers have served (and could have remembered) the token.
    clients = [requests.Session() for _ in range(8)]
    try:
        for client in clients:
            assert client.get(f"{server.base_url}/v1/sync/pull", headers=headers, timeout=30).status_code == 200
        revoked = requests.post(
            f"{server.base_url}/v1/admin/devices/{lost.device_id}/revoke",
            headers={"Authorization": f"Bearer {supervisor.token}"}, timeout=30,
        )
        assert revoked.status_code == 200
        for client in clients:
            assert client.get(f"{server.base_url}/v1/sync/pull", headers=headers, timeout=30).status_code == 401
            assert client.post(
                f"{server.base_url}/v1/sync/push", headers=headers, timeout=30,
                json={"changes": [_change(lost.device_id, new_id(), "division_code", VILLAGE, VILLAGE, 0)]},
            ).status_code == 401
    finally:
        for client in clients:
            client.close()


def _pull_events(server: ServerApp, device_id: str) -> list[AuditEvent]:
    with server.session() as session:
        return list(
            session.exec(
                select(AuditEvent)
                .where(AuditEvent.action == "pull", AuditEvent.device_id == device_id)
                .order_by(col(AuditEvent.id))
            ).all()
        )


@contextmanager
def _app_flushing_only_when_told(database_url: str) -> Iterator[ServerApp]:
    """The app with a tally interval far beyond the test: the tally is written by flush() or at
    shutdown, never in between."""
    create_users(database_url, DEFAULT_USERS)
    app = create_app(Settings(database_url=database_url, quiet_pull_flush_s=3600))
    try:
        with TestClient(app) as client:
            yield ServerApp(app, client, app.state.settings)
    finally:
        app.state.engine.dispose()


def test_pulls_with_data_are_audited_at_once_and_empty_ones_in_a_tally(database_url: str) -> None:
    with _app_flushing_only_when_told(database_url) as server:
        writer = server.enrol("director")
        writer.push(writer.record("child", new_id(), {"name": "x"}, division=VILLAGE))
        reader = server.enrol("supervisor")
        page = reader.pull(0)
        assert len(page.changes) == 2
        events = _pull_events(server, reader.device_id)
        assert [(e.count, '"next_cursor": 2' in e.detail) for e in events] == [(2, True)]
        with server.session() as session:
            device = session.get(Device, reader.device_id)
            assert device is not None and device.last_pull_cursor == 2 and device.last_seen_ms

        for _ in range(3):
            assert reader.pull(page.next_cursor).changes == []
        # Nothing written for the empty pulls yet: they were answered without a write transaction.
        assert len(_pull_events(server, reader.device_id)) == 1
        quiet = server.app.state.quiet_pulls
        assert quiet.pending() == 3
        assert quiet.flush() == 3
        events = _pull_events(server, reader.device_id)
        assert len(events) == 2
        tally = events[-1]
        assert tally.count == 0 and '"empty_pulls": 3' in tally.detail and '"next_cursor": 2' in tally.detail
        assert tally.username == "supervisor" and tally.client_addr
        # A pull that brings data again is audited on its own, at once.
        writer.push([writer.change("child", new_id(), "division_code", VILLAGE, division=VILLAGE)])
        assert len(reader.pull(page.next_cursor).changes) == 1
        assert len(_pull_events(server, reader.device_id)) == 3


def test_the_tally_of_empty_pulls_is_written_when_the_server_stops(database_url: str) -> None:
    with _app_flushing_only_when_told(database_url) as server:
        device = server.enrol("director")
        for _ in range(4):
            assert device.pull(0).changes == []
        assert _pull_events(server, device.device_id) == []
        before = now_ms()
    events = _pull_events(server, device.device_id)
    assert len(events) == 1 and '"empty_pulls": 4' in events[0].detail
    with server.session() as session:
        stored = session.get(Device, device.device_id)
        assert stored is not None and stored.last_seen_ms is not None and stored.last_seen_ms <= before


def test_sqlite_writer_lock_is_held_from_the_first_write_to_commit_or_rollback(tmp_path: Path) -> None:
    from sqlalchemy import text

    from sync_server.core.db import make_engine, writer_lock_for

    database = tmp_path / "lock.db"
    engine = make_engine(f"sqlite:///{database}")
    lock = writer_lock_for(str(database))
    try:
        with engine.connect() as conn:
            conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))
            conn.commit()
            assert not lock._thread_lock.locked()
            conn.execute(text("SELECT count(*) FROM t")).scalar_one()
            assert not lock._thread_lock.locked()  # reading takes no writer lock
            conn.execute(text("INSERT INTO t (id, v) VALUES (1, 'a')"))
            assert lock._thread_lock.locked()
            conn.commit()
            assert not lock._thread_lock.locked()
            conn.execute(text("UPDATE t SET v = 'b'"))
            conn.rollback()
            assert not lock._thread_lock.locked()
            conn.execute(text("INSERT INTO t (id, v) VALUES (2, 'c')"))
            with pytest.raises(Exception, match="UNIQUE"):
                conn.execute(text("INSERT INTO t (id, v) VALUES (2, 'd')"))
            assert lock._thread_lock.locked()  # still in the transaction
        # Returned to the pool: the pool's rollback lets the lock go.
        assert not lock._thread_lock.locked()
        # Many threads writing at once all get through, one after another.
        errors: list[BaseException] = []

        def write(n: int) -> None:
            try:
                for i in range(20):
                    with engine.begin() as conn:
                        conn.execute(text("INSERT INTO t (v) VALUES (:v)"), {"v": f"{n}-{i}"})
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert errors == []
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM t")).scalar_one() == 1 + 8 * 20
    finally:
        engine.dispose()


def test_a_push_waits_for_the_writer_lock_of_another_process_and_a_pull_does_not(tmp_path: Path) -> None:
    from sync_server.core.db import WriterLock

    with fresh_database_url("sqlite", tmp_path) as url, running_server(url, tmp_path, workers=2) as server:
        director = server.enrol("director")
        headers = {"Authorization": f"Bearer {director.token}"}
        database = url.removeprefix("sqlite:///")
        # This test process is "another process" for the server: it takes the file's writer lock.
        other = WriterLock(str(Path(database).resolve()) + "-writer.lock")
        assert other.acquire()
        answers: list[int] = []
        try:
            pusher = threading.Thread(target=lambda: answers.append(requests.post(
                f"{server.base_url}/v1/sync/push", headers=headers, timeout=60,
                json={"changes": [_change(director.device_id, new_id(), "division_code", VILLAGE, VILLAGE, 0)]},
            ).status_code))
            pusher.start()
            # An empty pull writes nothing, so it is answered while the push waits.
            pulled = requests.get(f"{server.base_url}/v1/sync/pull", headers=headers, timeout=30)
            assert pulled.status_code == 200 and PullResponse.model_validate(pulled.json()).changes == []
            pusher.join(1.0)
            assert pusher.is_alive() and answers == []
        finally:
            other.release()
        pusher.join(60)
        assert answers == [200]
        page = PullResponse.model_validate(requests.get(f"{server.base_url}/v1/sync/pull", headers=headers, timeout=30).json())
        assert [c.field for c in page.changes] == ["division_code"]


def test_a_pull_of_only_its_own_echoes_keeps_the_recorded_cursor_and_conflicts_stay_right(server: ServerApp) -> None:
    from sqlmodel import Session as _Session

    from sync_server.models import Conflict

    a = server.enrol("director", "pc-a")
    b = server.enrol("director", "pc-b")
    child = new_id()
    a.push(a.record("child", child, {"name": "韦小明", "notes": "初稿"}, division=VILLAGE))
    first = a.pull(0)
    assert {c.device_id for c in first.changes} == {a.device_id}

    def recorded(device_id: str) -> int:
        with _Session(server.app.state.engine) as session:
            device = session.get(Device, device_id)
            assert device is not None
            return device.last_pull_cursor

    # Only its own changes came back: no write of the cursor was needed.
    assert recorded(a.device_id) == 0
    # b edits a field a has not seen; a's later edit of it is a concurrent edit, as before.
    b.pull_all()
    b.push([b.change("child", child, "notes", "乙的修改", division=VILLAGE)])
    a.push([a.change("child", child, "notes", "甲的修改", division=VILLAGE)])
    with _Session(server.app.state.engine) as session:
        assert [c.kind for c in session.exec(select(Conflict)).all()] == ["concurrent"]
    # Once a has pulled b's edit, its cursor is recorded and overwriting knowingly is no conflict.
    a.pull(first.next_cursor)
    assert recorded(a.device_id) == server.log_count()
    a.push([a.change("child", child, "notes", "甲再改", division=VILLAGE)])
    with _Session(server.app.state.engine) as session:
        assert len(session.exec(select(Conflict)).all()) == 1
