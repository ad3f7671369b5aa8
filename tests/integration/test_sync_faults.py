"""Processes killed at the worst moment: the server mid-batch, the client mid-apply, and a server
restored from an older backup. Afterwards a normal sync converges, nothing lost, nothing doubled."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import requests

from gxcare_desktop.ledger import Ledger
from gxcare_desktop.progress import Progress
from gxcare_desktop.sync.client import SyncError
from gxcare_desktop.sync.engine import CURSOR, SNAPSHOT_AFTER, SyncEngine, client_for, sync_ledger
from tests.conftest import PASSWORD
from tests.helpers import child_fields, name_for
from tests.integration.sync_support import assert_same, enrolled, point_at
from tests.server_fixtures import VILLAGE, ServerHandle, _server_command, free_port


@contextmanager
def serve_again(database_url: str, log_dir: Path) -> Iterator[str]:
    """Start another server process on an existing database (users and devices kept)."""
    port = free_port()
    log = (log_dir / f"restart-{port}.log").open("wb")
    process = subprocess.Popen(
        [*_server_command(), "serve", "--host", "127.0.0.1", "--port", str(port), "--database-url", database_url, "--log-level", "warning"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{url}/v1/health", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "restarted server did not come up"
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def _fill(ledger: Ledger, count: int, surname: str) -> None:
    for i in range(count):
        child = ledger.create_child(**child_fields(name=name_for(i, surname), seq=i, birth_date=date(2015, 1 + i % 12, 1 + i % 28)))
        ledger.record_visit(child.id, visit_date=date.today(), mode="home", checks=["safety"])


def test_server_killed_mid_batch(live_server: ServerHandle, tmp_path: Path) -> None:
    server = live_server
    director = enrolled(tmp_path, server, "director")
    _fill(director, 120, "韦")
    total = director.pending_changes()
    client = client_for(director, attempts=1)
    from gxcare_desktop.sync import engine as engine_module

    original = engine_module.PUSH_BATCH
    engine_module.PUSH_BATCH = 200
    killed = threading.Event()

    def kill_during_third_batch(p: Progress) -> None:
        if p.done >= 400 and not killed.is_set():
            killed.set()
            # Killed while the next batch is on its way: the server may or may not commit it.
            threading.Timer(0.01, lambda: os.kill(server.process.pid, signal.SIGKILL)).start()

    try:
        try:
            SyncEngine(director, client).sync(progress=kill_during_third_batch)
        except SyncError:
            pass
        assert killed.is_set()
        server.process.wait(timeout=10)
        left = director.pending_changes()
        assert 0 < left < total
        with serve_again(server.database_url, tmp_path) as url:
            point_at(director, url)
            sync_ledger(director)
            assert director.pending_changes() == 0
            server.base_url = url
            assert_same(director, server)
            supervisor = enrolled(tmp_path, server, "supervisor", url=url)
            sync_ledger(supervisor)
            assert supervisor.count_children() == 120
            assert_same(supervisor, server)
    finally:
        engine_module.PUSH_BATCH = original
        client.close()


def test_client_killed_mid_apply(live_server: ServerHandle, tmp_path: Path) -> None:
    server = live_server
    director = enrolled(tmp_path, server, "director")
    _fill(director, 300, "黄")  # 600 rows: more than one download page
    sync_ledger(director)
    supervisor = enrolled(tmp_path, server, "supervisor")
    supervisor.close()
    env = {**os.environ, "GXCARE_PASSWORD": PASSWORD}
    process = subprocess.Popen(
        [sys.executable, "-m", "gxcare_desktop.cli", "sync", "--ledger", str(tmp_path / "supervisor.gxc")],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        env=env,
    )
    assert process.stderr is not None
    seen = b""
    # Wait for the first progress report of the download, then kill without warning.
    while b"/" not in seen and process.poll() is None:
        seen += process.stderr.read(1)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    reopened = Ledger.open(tmp_path / "supervisor.gxc", password=PASSWORD)
    # Killed after the first page: the download is half done (no pull cursor yet).
    assert reopened.meta(CURSOR) in (None, "") and reopened.meta(SNAPSHOT_AFTER)
    sync_ledger(reopened)
    assert reopened.count_children() == 300
    assert_same(reopened, server)


def _synced_past_a_backup_then_restored(server: ServerHandle, tmp_path: Path, *, before: int, after: int) -> Ledger:
    """A director who synced `before` children, then (after the server's backup) `after` more;
    then the server is stopped and the backup put back. Start it with serve_again."""
    director = enrolled(tmp_path, server, "director")
    _fill(director, before, "蓝")
    sync_ledger(director)
    db_file = Path(server.database_url.removeprefix("sqlite:///"))
    backup_file = tmp_path / "server-backup.db"
    with sqlite3.connect(db_file) as live, sqlite3.connect(backup_file) as copy:
        live.backup(copy)
    for i in range(before, before + after):
        director.create_child(**child_fields(name=name_for(i, "蓝"), seq=i))
    sync_ledger(director)
    server.process.terminate()
    server.process.wait(timeout=20)
    for suffix in ("", "-wal", "-shm"):
        Path(str(db_file) + suffix).unlink(missing_ok=True)
    backup_file.replace(db_file)
    return director


def test_server_restored_and_written_on_past_a_device_cursor(live_server: ServerHandle, tmp_path: Path) -> None:
    """After the restore, the supervisor writes more than the server lost before the director
    syncs again: the director's cursor is no longer ahead, yet the entries at and below it are
    other changes than the ones it pulled. The anchor at the cursor tells; nothing is lost."""
    server = live_server
    director = _synced_past_a_backup_then_restored(server, tmp_path, before=3, after=3)
    cursor_before = int(director.meta(CURSOR))
    with serve_again(server.database_url, tmp_path) as url:
        server.base_url = url
        supervisor = enrolled(tmp_path, server, "supervisor", url=url)
        sync_ledger(supervisor)
        for i in range(8):
            supervisor.create_child(**child_fields(name=name_for(i, "韦"), seq=50 + i, division_code=VILLAGE))
        sync_ledger(supervisor)
        assert int(supervisor.meta(CURSOR)) > cursor_before  # the lost sequence numbers are handed out again
        point_at(director, url)
        report = sync_ledger(director)
        assert report.server_reset
        sync_ledger(supervisor)
        assert director.count_children() == 6 + 8
        assert supervisor.count_children() == 6 + 8
        assert_same(director, server)
        assert_same(supervisor, server)


def test_server_restored_from_an_older_backup(live_server: ServerHandle, tmp_path: Path) -> None:
    server = live_server
    director = _synced_past_a_backup_then_restored(server, tmp_path, before=10, after=10)
    with serve_again(server.database_url, tmp_path) as url:
        point_at(director, url)
        report = sync_ledger(director)
        assert report.server_reset  # the director noticed and sent everything again
        server.base_url = url
        supervisor = enrolled(tmp_path, server, "supervisor", url=url)
        sync_ledger(supervisor)
        assert supervisor.count_children() == 20
        assert_same(director, server)
        assert_same(supervisor, server)
