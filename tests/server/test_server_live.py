"""A real `gxcare-server serve` (uvicorn subprocess) on loopback: smoke test and pull ordering
under concurrent pushes from several threads through two workers."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests

from gxcare_desktop.domain.hlc import Hlc
from gxcare_desktop.sync.protocol import PullResponse, PushResponse
from tests.server.support import new_id, now_ms
from tests.server_fixtures import (
    OTHER_VILLAGE,
    VILLAGE,
    ServerHandle,
    _server_command,
    free_port,
    fresh_database_url,
    running_server,
)


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _change(device: str, row_id: str, field: str, value: object, division: str, counter: int) -> dict[str, object]:
    return {
        "change_id": new_id(), "entity": "child", "row_id": row_id, "division_code": division,
        "field": field, "value": value, "hlc": Hlc(now_ms(), counter, device).encode(),
        "device_id": device,
    }


def test_real_server_smoke(live_server_any: ServerHandle) -> None:
    base = live_server_any.base_url
    health = requests.get(f"{base}/v1/health", timeout=10)
    assert health.status_code == 200 and health.json()["server_epoch"]
    director = live_server_any.enrol("director")
    child = new_id()
    body = json.dumps(
        {"changes": [
            _change(director.device_id, child, "division_code", VILLAGE, VILLAGE, 0),
            _change(director.device_id, child, "name", "韦小明", VILLAGE, 1),
        ]},
        ensure_ascii=False,
    ).encode("utf-8")
    pushed = requests.post(
        f"{base}/v1/sync/push",
        data=gzip.compress(body),
        headers={**_auth(director.token), "Content-Encoding": "gzip", "Content-Type": "application/json"},
        timeout=30,
    )
    assert pushed.status_code == 200, pushed.text
    assert [r.status.value for r in PushResponse.model_validate(pushed.json()).results] == ["accepted"] * 2
    supervisor = live_server_any.enrol("supervisor")
    pulled = requests.get(f"{base}/v1/sync/pull", params={"cursor": 0}, headers=_auth(supervisor.token), timeout=30)
    page = PullResponse.model_validate(pulled.json())
    assert {(c.field, c.value) for c in page.changes} == {("division_code", VILLAGE), ("name", "韦小明")}
    assert page.server_epoch == health.json()["server_epoch"]
    assert requests.get(f"{base}/v1/sync/pull", timeout=10).status_code == 401
    assert "/v1/sync/push" in requests.get(f"{base}/openapi.json", timeout=10).json()["paths"]


def test_serve_without_options_uses_a_sqlite_file_in_the_working_folder(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "GXCARE_DATABASE_URL"}
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [*_server_command(), "serve", "--port", str(port)], cwd=tmp_path, stdout=log,
        stderr=subprocess.STDOUT, env=env,
    )
    try:
        deadline = time.monotonic() + 60
        status = 0
        while time.monotonic() < deadline and process.poll() is None:
            try:
                status = requests.get(f"http://127.0.0.1:{port}/v1/health", timeout=2).status_code
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        assert status == 200, (tmp_path / "serve.log").read_text()
        assert (tmp_path / "gxcare-server.db").exists()
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)], ids=["sqlite", "pg"])
def two_worker_server(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    with fresh_database_url(request.param, tmp_path) as url, running_server(
        url, tmp_path, workers=2
    ) as handle:
        yield handle


@pytest.mark.slow
def test_concurrent_pushes_never_make_a_pull_skip_a_change(two_worker_server: ServerHandle) -> None:
    """Writers push through two workers while a reader pulls non-stop; the reader must end up
    with every accepted change exactly once (a skipped lower seq would be lost for good)."""
    server = two_worker_server
    base = server.base_url
    writers = [
        server.enrol("director", "w1"), server.enrol("director", "w2"),
        server.enrol("director2", "w3"), server.enrol("supervisor", "w4"),
    ]
    reader = server.enrol("county", "reader")
    batches, per_batch = 25, 8
    accepted: set[tuple[str, str, str]] = set()
    lock = threading.Lock()
    done = threading.Event()
    errors: list[str] = []

    def write(index: int) -> None:
        enrolment = writers[index]
        division = OTHER_VILLAGE if index == 2 else VILLAGE
        session = requests.Session()
        try:
            for _ in range(batches):
                row = new_id()
                changes = [
                    _change(enrolment.device_id, row, "division_code", division, division, 0),
                    *(
                        _change(enrolment.device_id, row, "notes", f"w{index}-{i}", division, i + 1)
                        for i in range(per_batch - 1)
                    ),
                ]
                response = session.post(
                    f"{base}/v1/sync/push", json={"changes": changes},
                    headers=_auth(enrolment.token), timeout=60,
                )
                if response.status_code != 200:
                    errors.append(response.text)
                    return
                for change, result in zip(changes, response.json()["results"], strict=True):
                    if result["status"] == "accepted":
                        with lock:
                            accepted.add((str(change["row_id"]), str(change["field"]), str(change["hlc"])))
        except Exception as exc:  # reported below; a thread must not die silently
            errors.append(repr(exc))

    seen: list[int] = []
    got: set[tuple[str, str, str]] = set()

    def pull_until_quiet() -> None:
        session = requests.Session()
        cursor = 0
        while True:
            finished = done.is_set()
            response = session.get(
                f"{base}/v1/sync/pull", params={"cursor": cursor, "limit": 7},
                headers=_auth(reader.token), timeout=60,
            )
            page = PullResponse.model_validate(response.json())
            for change in page.changes:
                seen.append(change.seq)
                got.add((change.row_id, change.field, change.hlc))
            cursor = page.next_cursor
            if finished and not page.has_more:
                return

    threads = [threading.Thread(target=write, args=(i,)) for i in range(len(writers))]
    puller = threading.Thread(target=pull_until_quiet)
    puller.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    puller.join()
    assert errors == []
    total = len(writers) * batches * per_batch
    assert len(accepted) == total
    assert sorted(seen) == seen and len(seen) == len(set(seen))  # in order, none twice
    assert seen == list(range(1, total + 1))  # no gap: nothing skipped
    assert got == accepted
