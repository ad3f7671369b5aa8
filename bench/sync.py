"""Sync benchmark: push/pull throughput, bytes per changed field, township download, 100-device p95.

Usage: python bench/sync.py [--pg] [--push-children 80] [--township-children 10000]
       [--devices 100] [--rounds 20] [--seconds 60] [--interval 2] [--workers 2] [--profile]
       [--skip push,township,devices]
Every server is a real `gxcare-server serve --workers N` (default 2) subprocess on 127.0.0.1; SQLite by
default, PostgreSQL with --pg (GXCARE_TEST_PG_URL or postgresql+psycopg://postgres@127.0.0.1:5432/test).
Prints figures beside their targets; asserts nothing on time.

How the data gets there: [1+2] a demo village's rows become the director ledger's outbox through
`Ledger.import_changes`, then go through `SyncEngine`; [4] the township's server state is written
straight into the server's record_rows/field_states tables (bench/sync_data.py, cached in
/tmp/gxcare-bench on SQLite: building it takes ~6 minutes once), because replaying its ~2.5 million
changes through push_changes would take most of an hour; [5] device tokens are made with the
server's own token functions instead of one password login each.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import io
import json
import os
import pstats
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import requests
import sqlcipher3

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))
from common import PASSWORD, percentile  # noqa: E402
from sync_data import (  # noqa: E402
    CACHE,
    add_devices,
    demo_rows,
    pg_township,
    rows_to_changes,
    township_database,
    villages_under,
)

from gxcare_desktop.domain.enums import Role  # noqa: E402
from gxcare_desktop.domain.errors import ValidationError  # noqa: E402
from gxcare_desktop.domain.hlc import Hlc  # noqa: E402
from gxcare_desktop.ledger import Ledger  # noqa: E402
from gxcare_desktop.ledger.engine import key_pragma  # noqa: E402
from gxcare_desktop.progress import CancelToken, no_progress  # noqa: E402
from gxcare_desktop.sync.client import SyncClient  # noqa: E402
from gxcare_desktop.sync.engine import PUSH_BATCH, SyncEngine, SyncReport, client_for, enrol  # noqa: E402
from gxcare_desktop.sync.protocol import API_PREFIX, Change, PushRequest  # noqa: E402
from tests.server_fixtures import (  # noqa: E402
    DEFAULT_USERS,
    OTHER_VILLAGE,
    TOWNSHIP,
    VILLAGE,
    UserSpec,
    free_port,
    pg_schema_url,
    running_server,
)
from tests.server_fixtures import PASSWORD as USER_PASSWORD  # noqa: E402

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ROWS: list[tuple[str, str, str, str]] = []  # (measure, figure, target, verdict)


def row(measure: str, figure: str, target: str = "", ok: bool | None = None) -> None:
    verdict = "" if ok is None else ("met" if ok else "MISSED")
    ROWS.append((measure, figure, target, verdict))
    print(f"  {measure}: {figure}" + (f"   [target {target}: {verdict}]" if target else ""), flush=True)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


@contextmanager
def server(args: argparse.Namespace, workdir: Path, name: str, users: tuple[UserSpec, ...] = DEFAULT_USERS,
           url: str | None = None) -> Iterator[Any]:
    """A gxcare-server (--workers from the arguments) on `url`, or else on a fresh database."""
    logdir = workdir / name
    logdir.mkdir(exist_ok=True)
    with ExitStack() as stack:
        if url is None:
            url = stack.enter_context(pg_schema_url(args.pg_url)) if args.pg else f"sqlite:///{logdir / 'server.db'}"
        yield stack.enter_context(running_server(url, logdir, users=users, workers=args.workers, startup_timeout_s=240))


def new_ledger(workdir: Path, name: str, scope: str, role: Role) -> Ledger:
    ledger, _ = Ledger.create(workdir / f"{name}.gxc", password=PASSWORD, village_code=scope, role=role, user_name=name)
    return ledger


def profiled(enabled: bool, label: str, fn: Callable[[], Any]) -> Any:
    if not enabled:
        return fn()
    profile = cProfile.Profile()
    result = profile.runcall(fn)
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(18)
    print(f"\n--- cProfile: {label} ---\n{out.getvalue()}", file=sys.stderr)
    return result


class RecordingSession(requests.Session):
    """A requests session that remembers the size of every push body it sends."""

    def __init__(self) -> None:
        super().__init__()
        self.push_bytes: list[int] = []

    def request(self, method: str | bytes, url: str | bytes, *a: Any, **kw: Any) -> requests.Response:
        if str(url).endswith("/sync/push") and kw.get("data") is not None:
            self.push_bytes.append(len(kw["data"]))
        return super().request(str(method), str(url), *a, **kw)


def encode(body: Any) -> bytes:
    """What SyncClient puts on the wire for a JSON body (compact JSON, gzip level 6)."""
    return gzip.compress(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), compresslevel=6)


# ---- 1 + 2: push and pull throughput ---------------------------------------------------------


def raw_push(base_url: str, changes: list[dict[str, Any]]) -> float:
    """The same changes POSTed with plain requests (same batch size, same gzip): changes/s."""
    session = requests.Session()
    answer = session.post(f"{base_url}{API_PREFIX}/auth/enrol",
                          json={"username": "director2", "password": USER_PASSWORD, "device_name": "raw"}, timeout=60)
    answer.raise_for_status()
    headers = {"Authorization": f"Bearer {answer.json()['token']}", "Content-Type": "application/json",
               "Content-Encoding": "gzip", "Accept-Encoding": "gzip"}
    started = time.perf_counter()
    for start in range(0, len(changes), PUSH_BATCH):
        response = session.post(f"{base_url}{API_PREFIX}/sync/push", data=encode({"changes": changes[start : start + PUSH_BATCH]}),
                                headers=headers, timeout=120)
        response.raise_for_status()
        response.json()
    elapsed = time.perf_counter() - started
    session.close()
    return len(changes) / elapsed


def push_pull(args: argparse.Namespace, workdir: Path) -> None:
    print(f"\n[1+2] push and pull: {args.push_children} demo children of one village as local changes (load {load()})", flush=True)
    rows = demo_rows(args.push_children, [VILLAGE], seed=5)
    changes = rows_to_changes(rows, device_id="benchpc")
    n = len(changes)
    # The raw baseline pushes the same children generated for the neighbouring village (same
    # seed, so the same content and sizes; other row ids), to the same server after the pull.
    raw_changes = rows_to_changes(demo_rows(args.push_children, [OTHER_VILLAGE], seed=5), device_id="rawpc")

    with server(args, workdir, "pushpull") as handle:
        director = new_ledger(workdir, "director", VILLAGE, Role.VILLAGE_DIRECTOR)
        supervisor = new_ledger(workdir, "supervisor", TOWNSHIP, Role.TOWNSHIP_SUPERVISOR)
        for ledger, user in ((director, "director"), (supervisor, "supervisor")):
            enrol(ledger, handle.base_url, username=user, password=USER_PASSWORD)
            client = client_for(ledger)
            SyncEngine(ledger, client).sync()  # empty first sync: the download sets the pull cursor
            client.close()
        # The demo rows enter the director's ledger as local, unsent changes (its outbox).
        started = time.perf_counter()
        director.import_changes(changes)
        queued = director.pending_changes()
        print(f"  outbox filled: {queued:,} changes in {time.perf_counter() - started:.1f} s", flush=True)

        client = client_for(director)
        engine = SyncEngine(director, client)
        report = SyncReport()
        http_s = [0.0]
        bodies: list[PushRequest] = []
        real_push = client.push

        def timed_push(request: PushRequest) -> Any:
            t = time.perf_counter()
            try:
                return real_push(request)
            finally:
                http_s[0] += time.perf_counter() - t
                bodies.append(request)

        client.push = timed_push
        started = time.perf_counter()
        profiled(args.profile, "SyncEngine push", lambda: engine._push(report, no_progress, CancelToken()))
        push_s = time.perf_counter() - started
        client.close()
        t = time.perf_counter()
        for body in bodies:
            encode(body.model_dump(mode="json"))
        encode_s = time.perf_counter() - t
        accepted = report.accepted
        row("push via SyncEngine (batches of 500)", f"{n / push_s:,.0f} changes/s ({n:,} in {push_s:.1f} s; {accepted:,} accepted)")
        row("  of which client.push round trips", f"{http_s[0]:.1f} s (JSON+gzip of the bodies alone: {encode_s:.1f} s); "
            f"outbox read, Change models, mark_pushed: {push_s - http_s[0]:.1f} s")

        # Pull: the supervisor's device receives them, instrumented to split fetch from apply.
        client = client_for(supervisor)
        pages: list[tuple[list[dict[str, Any]], list[Any], dict[str, str]]] = []
        fetch_s = [0.0]
        apply_s = [0.0]
        real_pull, real_apply = client.pull, supervisor.apply_remote

        def timed_pull(cursor: int, limit: int) -> Any:
            t = time.perf_counter()
            try:
                return real_pull(cursor, limit)
            finally:
                fetch_s[0] += time.perf_counter() - t

        def timed_apply(chs: Any, *, drop: Any = (), meta: dict[str, str] | None = None, log: bool = True) -> int:
            chs = list(chs)
            pages.append((chs, list(drop), dict(meta or {})))
            t = time.perf_counter()
            try:
                return int(real_apply(chs, drop=drop, meta=meta, log=log))
            finally:
                apply_s[0] += time.perf_counter() - t

        client.pull = timed_pull
        supervisor.apply_remote = timed_apply
        started = time.perf_counter()
        pulled = SyncEngine(supervisor, client).sync()
        pull_s = time.perf_counter() - started
        client.close()
        got = pulled.pulled
        rate = got / pull_s
        row("pull via SyncEngine, end to end", f"{rate:,.0f} changes/s applied ({got:,} in {pull_s:.1f} s, {len(pages)} pages)",
            "≥ 20,000/s", rate >= 20_000)
        # The engine fetches the next page while it applies the current one: the two overlap.
        row("  server fetch (HTTP+JSON+pydantic, beside the apply)", f"{fetch_s[0]:.1f} s ({got / fetch_s[0]:,.0f}/s)")
        row("  client apply_remote", f"{apply_s[0]:.1f} s ({got / apply_s[0]:,.0f}/s)")
        director.close()
        supervisor.close()
        raw_rate = raw_push(handle.base_url, raw_changes)
        row("push via plain requests, same batches", f"{raw_rate:,.0f} changes/s ({len(raw_changes):,} changes; "
            f"ours/raw {n / push_s / raw_rate:.2f})")

    # The client apply alone, on the captured pages, against a raw sqlcipher3 executemany.
    fresh = new_ledger(workdir, "apply-only", TOWNSHIP, Role.TOWNSHIP_SUPERVISOR)
    started = time.perf_counter()
    for chs, drop, meta in pages:
        apply_page: Callable[[], int] = partial(fresh.apply_remote, chs, drop=drop, meta=meta)
        profiled(args.profile and chs is pages[0][0], "apply_remote, first page", apply_page)
    ours_s = time.perf_counter() - started
    fresh.close()
    raw_s = raw_apply(workdir, pages)
    row("ledger.apply_remote alone on the pulled pages", f"{got / ours_s:,.0f} changes/s", "≥ 20,000/s", got / ours_s >= 20_000)
    row("raw sqlcipher3 executemany of the same rows", f"{got / raw_s:,.0f} changes/s (ratio ours/raw {raw_s / ours_s:.2f})")


def raw_database(path: Path, create_table: str) -> Any:
    """An encrypted sqlcipher3 file in WAL mode (as the ledger's) with one table and a meta table."""
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(key_pragma(os.urandom(32)))
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(create_table)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    return conn


def raw_apply(workdir: Path, pages: list[tuple[list[dict[str, Any]], list[Any], dict[str, str]]]) -> float:
    """Each page upserted into one encrypted (entity,row_id,field) table in one transaction."""
    conn = raw_database(workdir / "raw-apply.db", "CREATE TABLE field (entity TEXT, row_id TEXT, field TEXT, value TEXT, "
                        "hlc TEXT, PRIMARY KEY (entity, row_id, field))")
    started = time.perf_counter()
    for chs, _drop, meta in pages:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT OR REPLACE INTO field VALUES (?,?,?,?,?)",
                         [(c["entity"], c["row_id"], c["field"], json.dumps(c["value"], ensure_ascii=False), c["hlc"]) for c in chs])
        conn.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", list(meta.items()))
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


# ---- 3 + 4: township download, then bytes per changed field -------------------------------------


def raw_download(workdir: Path, pages: list[tuple[list[dict[str, Any]], dict[str, str]]]) -> float:
    """Each downloaded page inserted as (entity, row_id, values, clocks) rows of one encrypted
    table, with its meta, in one transaction: seconds."""
    conn = raw_database(workdir / "raw-download.db", "CREATE TABLE record (entity TEXT, row_id TEXT, division_code TEXT, "
                        "\"values\" TEXT, clocks TEXT, PRIMARY KEY (entity, row_id))")
    started = time.perf_counter()
    for rows, meta in pages:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT OR REPLACE INTO record VALUES (?,?,?,?,?)",
                         [(r["entity"], r["row_id"], r["division_code"], json.dumps(r["values"], ensure_ascii=False),
                           json.dumps(r["clocks"])) for r in rows])
        conn.executemany("INSERT OR REPLACE INTO meta VALUES (?,?)", list(meta.items()))
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def township(args: argparse.Namespace, workdir: Path, users: tuple[UserSpec, ...]) -> Iterator[Any]:
    print(f"\n[4] initial download of a township of {args.township_children:,} children (load {load()})", flush=True)
    if args.pg:
        with pg_schema_url(args.pg_url) as url:
            started = time.perf_counter()
            count = pg_township(url, args.township_children, TOWNSHIP)
            how = f"loaded now in {time.perf_counter() - started:.0f} s"
            with server(args, workdir, "township", users, url=url) as handle:
                yield handle, count, how
    else:
        url, count, how = township_database(args.township_children, TOWNSHIP, workdir)
        with server(args, workdir, "township", users, url=url) as handle:
            yield handle, count, how


def download_and_edit(args: argparse.Namespace, workdir: Path, handle: Any, count: int, how: str) -> None:
    print(f"  server state: {count:,} rows written straight into record_rows/field_states ({how}); "
          "not replayed through push", flush=True)
    ledger = new_ledger(workdir, "township-supervisor", TOWNSHIP, Role.TOWNSHIP_SUPERVISOR)
    snap_rows: dict[str, dict[str, Any]] = {}
    pages: list[tuple[list[dict[str, Any]], dict[str, str]]] = []
    apply_s = [0.0]
    real_snapshot = ledger.apply_snapshot

    def timed_snapshot(rows: Any, *, meta: dict[str, str] | None = None, **options: Any) -> int:
        rows = list(rows)
        pages.append((rows, dict(meta or {})))
        for r in rows:
            if r["entity"] == "child":
                snap_rows[r["row_id"]] = r
        t = time.perf_counter()
        try:
            return int(real_snapshot(rows, meta=meta, **options))
        finally:
            apply_s[0] += time.perf_counter() - t

    ledger.apply_snapshot = timed_snapshot
    started = time.perf_counter()
    enrol(ledger, handle.base_url, username="supervisor", password=USER_PASSWORD)
    enrol_s = time.perf_counter() - started
    client = client_for(ledger)
    fetch_s = [0.0]
    real_fetch = client.snapshot

    def timed_fetch(after: str | None, limit: int) -> Any:
        t = time.perf_counter()
        try:
            return real_fetch(after, limit)
        finally:
            fetch_s[0] += time.perf_counter() - t

    client.snapshot = timed_fetch  # type: ignore[method-assign]
    t = time.perf_counter()
    # (cProfile sees the applying thread only; the next page is fetched on another.)
    report = profiled(args.profile, "first sync (township download)", lambda: SyncEngine(ledger, client).sync())
    sync_s = time.perf_counter() - t
    client.close()
    total = enrol_s + sync_s
    rows = report.downloaded_rows
    row("township download, enrol + first sync", f"{total:.1f} s ({rows:,} rows, {rows / sync_s:,.0f} rows/s; "
        f"enrol {enrol_s:.1f} s)", "< 30 s", total < 30)
    # The engine fetches the next page while it applies the current one: the two overlap.
    row("  server fetch (HTTP+JSON+pydantic, beside the apply)", f"{fetch_s[0]:.1f} s in {len(pages)} pages "
        f"(largest {max(len(p) for p, _ in pages):,} rows)")
    row("  client apply_snapshot", f"{apply_s[0]:.1f} s ({rows / apply_s[0]:,.0f} rows/s)")
    row("  children listed on the new ledger (archived not listed)", f"{ledger.count_children():,}")
    raw_s = raw_download(workdir, pages)
    row("raw sqlcipher3 executemany of the same rows", f"{rows / raw_s:,.0f} rows/s ({raw_s:.1f} s; ratio ours/raw "
        f"{raw_s / apply_s[0]:.2f})")

    print(f"\n[3] bytes per changed field: 1,000 edits of one or two fields on existing children (load {load()})", flush=True)
    rng = random.Random(3)
    ids = sorted(snap_rows)
    rng.shuffle(ids)
    edits: dict[str, dict[str, Any]] = {}
    skipped = 0
    for child_id in ids:
        if len(edits) == 1000:
            break
        fields: dict[str, Any] = {"notes": rng.choice(["已联系学校", "祖母住院，暂由姑姑照看", "家中新装电话", "父亲已返乡务工"])}
        if rng.random() < 0.5:
            fields["school_name"] = rng.choice(["白山镇中心小学", "马山县第二初级中学", "白山镇民族中学"])
        try:
            ledger.update_child(child_id, **fields)
        except ValidationError:
            skipped += 1
            continue
        edits[child_id] = fields
    changed_fields = ledger.pending_changes()
    client = client_for(ledger)
    recorder = RecordingSession()
    client._session = recorder
    engine = SyncEngine(ledger, client)
    report = SyncReport()
    engine._push(report, no_progress, CancelToken())
    client.close()
    ours = sum(recorder.push_bytes)
    per_field = ours / changed_fields
    # The same edits sent as whole rows: every edited child entire, with one row version.
    whole = []
    clock = Hlc(int(time.time() * 1000), 0, "benchpc").encode()
    for child_id, fields in edits.items():
        snap = snap_rows[child_id]
        whole.append({"entity": "child", "row_id": child_id, "division_code": snap["division_code"],
                      "values": {**snap["values"], **fields}, "version": clock})
    whole_bytes = sum(len(encode({"rows": whole[i : i + PUSH_BATCH]})) for i in range(0, len(whole), PUSH_BATCH))
    row("field-level push, gzip'd bodies", f"{per_field:.1f} bytes per changed field ({ours:,} B / {changed_fields:,} fields, "
        f"{len(recorder.push_bytes)} requests, {report.accepted:,} accepted)", "≤ 80 B", per_field <= 80)
    row("whole rows, gzip'd, same batches", f"{whole_bytes / changed_fields:.1f} bytes per changed field ({whole_bytes:,} B; "
        f"{len(whole):,} rows; ours/whole {ours / whole_bytes:.2f})")
    if skipped:
        print(f"  ({skipped} children refused the edit by validation and were skipped)")
    ledger.close()


# ---- 5: 100 concurrent devices ----------------------------------------------------------------


def process_tree_cpu_s(pid: int) -> float:
    """User+system CPU seconds of a process and its descendants so far (Linux /proc; 0 elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0.0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError, IndexError):
            continue
    return total


@contextmanager
def bare_server(workers: int) -> Iterator[tuple[str, int]]:
    """bench/bare_server.py on a free loopback port: (base URL, process id)."""
    port = free_port()
    process = subprocess.Popen([sys.executable, str(Path(__file__).with_name("bare_server.py")), str(port), str(workers)])
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{base_url}{API_PREFIX}/health", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("bench/bare_server.py did not start") from None
                time.sleep(0.1)
        yield base_url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=20)


def concurrent(args: argparse.Namespace, handle: Any, villages: list[str]) -> None:
    """Every device pushes 1–5 changes to its own child and pulls until nothing is left.

    Two load models, each on gxcare-server and then on bench/bare_server.py (same client):
    - open loop (the one the p95 target is read against): each device starts a sync at random
      moments (exponential gaps, mean --interval s, whatever the server's speed), as devices on
      a timer do; latency counts from the planned start, so a sync that had to wait for its
      device's previous one counts the wait. The app checks every 3 minutes and syncs only when
      it has changes; --interval 2 offers ~50 syncs/s from 100 devices, ~90 times that.
    - closed loop: each device syncs again as soon as its last sync is answered (0–50 ms think
      time), so 100 syncs are in flight all the time. This measures capacity, and the latency
      follows from it (Little's law: latency ≈ devices / throughput − think time): p95 < 200 ms
      here needs ~450 syncs/s through the one machine's 2 cores, bench clients included. The
      bare server shows how much of that the framework and the clients alone already take.
    """
    names = [f"vd{i:02d}" for i in range(len(villages))]
    devices = add_devices(handle.database_url, [names[i % len(names)] for i in range(args.devices)])
    # Each device first registers one child of its own village (not timed) and pulls to the top.
    seeds = demo_rows(args.devices, [villages[i % len(villages)] for i in range(args.devices)], seed=21)
    children = [r for r in seeds if r["entity"] == "child"]
    lock = threading.Lock()
    state: list[dict[str, Any]] = []

    for index in range(args.devices):
        device_id, token = devices[index]
        state.append({"device_id": device_id, "token": token, "child": children[index], "cursor": 0, "counter": 0,
                      "rng": random.Random(index)})

    def pull_to_top(client: SyncClient, st: dict[str, Any]) -> None:
        while True:
            page = client.pull(st["cursor"], 2000)
            st["cursor"] = page.next_cursor
            if not page.has_more:
                return

    def one_sync(client: SyncClient, st: dict[str, Any]) -> None:
        device_id, child, rng = st["device_id"], st["child"], st["rng"]
        fields = rng.sample(["notes", "school_name", "address", "boarding", "schooling"], rng.randint(1, 5))
        values = {"notes": f"第{st['counter']}次走访记录", "school_name": "白山镇中心小学", "address": child["values"]["address"],
                  "boarding": rng.random() < 0.5, "schooling": child["values"]["schooling"]}
        changes = []
        for f in fields:
            st["counter"] += 1
            changes.append(Change(change_id=os.urandom(16).hex(), entity="child", row_id=child["row_id"],
                                  division_code=child["division_code"], field=f, value=values[f],
                                  hlc=str(Hlc(int(time.time() * 1000), st["counter"] % 1000, device_id[:16]).encode()),
                                  device_id=device_id[:16]))
        client.push(PushRequest(changes=changes, pulled_to=st["cursor"]))  # as SyncEngine sends it
        pull_to_top(client, st)

    def run(label: str, closed: bool, base_url: str, pid: int, target: bool) -> dict[str, float]:
        latencies: list[float] = []
        errors: list[str] = []
        retries: list[float] = []
        deadline = [float("inf")]  # set when every device has finished its setup
        start_gate = threading.Barrier(args.devices + 1)

        def device(index: int) -> None:
            st = state[index]

            def backoff(seconds: float) -> None:
                with lock:
                    retries.append(seconds)
                time.sleep(seconds)

            client = SyncClient(base_url, token=st["token"], attempts=3, backoff_s=0.2, sleep=backoff)
            rng = st["rng"]
            try:
                if st["cursor"] == 0:
                    client.push(PushRequest(changes=[Change(**c) for c in rows_to_changes([st["child"]], st["device_id"][:16])]))
                pull_to_top(client, st)
            except Exception as exc:  # noqa: BLE001 - reported, not hidden
                with lock:
                    errors.append(f"setup: {exc}")
                start_gate.wait()
                return
            start_gate.wait()
            planned = time.perf_counter() + (0.0 if closed else rng.expovariate(1 / args.interval))
            for _ in range(args.rounds if closed else 1_000_000):
                if closed:
                    planned = time.perf_counter()
                if planned > deadline[0]:
                    break
                time.sleep(max(0.0, planned - time.perf_counter()))
                try:
                    one_sync(client, st)
                except Exception as exc:  # noqa: BLE001
                    with lock:
                        errors.append(str(exc))
                else:
                    with lock:
                        latencies.append((time.perf_counter() - planned) * 1000)
                if closed:
                    time.sleep(rng.uniform(0, 0.05))  # a little think time, so devices do not move in lockstep
                else:
                    planned += rng.expovariate(1 / args.interval)
            client.close()

        threads = [threading.Thread(target=device, args=(i,), daemon=True) for i in range(args.devices)]
        for thread in threads:
            thread.start()
        start_gate.wait()
        deadline[0] = time.perf_counter() + args.seconds
        server_cpu, client_cpu = process_tree_cpu_s(pid), time.process_time()
        started = time.perf_counter()
        for thread in threads:
            thread.join(args.seconds + 120)
        elapsed = time.perf_counter() - started
        server_cpu = process_tree_cpu_s(pid) - server_cpu
        client_cpu = time.process_time() - client_cpu
        name = f"incremental sync latency, {args.devices} devices, {label}"
        goal = "p95 < 200 ms" if target else ""
        if not latencies:
            row(name, f"no successful syncs; errors: {errors[:3]}", goal, False if target else None)
            return {}
        n = len(latencies)
        p95 = percentile(latencies, 95)
        row(name, f"p50 {percentile(latencies, 50):.0f} ms, p95 {p95:.0f} ms, p99 {percentile(latencies, 99):.0f} ms "
            f"({n:,} syncs in {elapsed:.1f} s; load {load()})", goal, p95 < 200 if target else None)
        row("  throughput", f"{n / elapsed:,.1f} syncs/s, ≥ {2 * n / elapsed:,.1f} requests/s; "
            f"{len(errors)} errors, {len(retries)} client retries" + (f" (first error: {errors[0][:120]})" if errors else ""))
        row("  CPU per sync", f"server {server_cpu / n * 1000:.1f} ms (all workers), bench client {client_cpu / n * 1000:.1f} ms; "
            f"server used {server_cpu / elapsed:.2f} of {os.cpu_count()} cores")
        return {"p95": p95, "rate": n / elapsed}

    print(f"\n[5] {args.devices} devices, incremental sync (push 1–5 changes, pull) against --workers {args.workers} "
          f"(load {load()}); each load model runs on gxcare-server, then on bench/bare_server.py (the same "
          "endpoints doing nothing, same client)", flush=True)
    with bare_server(args.workers) as (bare_url, bare_pid):
        run("open loop, gxcare-server", False, handle.base_url, handle.process.pid, True)
        run("open loop, bare FastAPI (no work)", False, bare_url, bare_pid, False)
        ours = run("closed loop, gxcare-server", True, handle.base_url, handle.process.pid, False)
        bare = run("closed loop, bare FastAPI (no work)", True, bare_url, bare_pid, False)
    if ours and bare:
        row("  closed loop, ours vs bare", f"p95 {ours['p95']:.0f} vs {bare['p95']:.0f} ms, {ours['rate']:.0f} vs "
            f"{bare['rate']:.0f} syncs/s (with 100 syncs always in flight on the 2 cores the clients share, the server "
            f"that does nothing has a p95 of {bare['p95']:.0f} ms itself)")
        row("  capacity", f"{ours['rate']:.0f} syncs/s back to back ≈ {ours['rate'] * 180:,.0f} devices syncing every "
            "3 minutes (the app's automatic check; it syncs only when it has changes, else hourly)")
    log = handle.log()
    saved = CACHE / "last-sync-bench-server.log"
    saved.write_text(log, encoding="utf-8")
    row("  server log", f"{log.count('Traceback')} unhandled exceptions (HTTP 500), of which {log.count('QueuePool limit')} "
        f"connection-pool timeouts; {log.count('database is locked')} 'database is locked' (saved to {saved})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", action="store_true", help="PostgreSQL instead of SQLite for the server")
    parser.add_argument("--push-children", type=int, default=80, help="demo children pushed in [1+2] (~250 changes each)")
    parser.add_argument("--township-children", type=int, default=10_000)
    parser.add_argument("--devices", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each of the two 100-device runs")
    parser.add_argument("--interval", type=float, default=2.0, help="open loop: mean seconds between one device's syncs")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers of every server (gxcare-server serve --workers)")
    parser.add_argument("--profile", action="store_true", help="cProfile the client-side steps (to stderr)")
    parser.add_argument("--skip", default="", help="comma list of parts to skip: push,township,devices")
    args = parser.parse_args()
    args.pg_url = os.environ.get("GXCARE_TEST_PG_URL") or PG_DEFAULT
    skip = set(filter(None, args.skip.split(",")))
    database = f"PostgreSQL ({args.pg_url})" if args.pg else "SQLite file (default)"
    started = time.perf_counter()
    print(f"GXCare sync bench — server database: {database}; gxcare-server --workers {args.workers} on 127.0.0.1; "
          f"{os.cpu_count()} CPUs; load average at start {load()}", flush=True)
    villages = villages_under(TOWNSHIP)
    users = DEFAULT_USERS + tuple(UserSpec(f"vd{i:02d}", Role.VILLAGE_DIRECTOR, v) for i, v in enumerate(villages))
    with tempfile.TemporaryDirectory(prefix="gxcare-sync-bench-") as tmp:
        workdir = Path(tmp)
        if "push" not in skip:
            push_pull(args, workdir)
        if "township" not in skip or "devices" not in skip:
            for handle, count, how in township(args, workdir, users):
                if "township" not in skip:
                    download_and_edit(args, workdir, handle, count, how)
                if "devices" not in skip:
                    concurrent(args, handle, villages)
    print(f"\nSummary ({database}; load average at end {load()}; total {time.perf_counter() - started:.0f} s)")
    width = max(len(r[0]) for r in ROWS)
    for measure, figure, target, verdict in ROWS:
        tail = f"  | target {target}: {verdict}" if target else ""
        print(f"  {measure.ljust(width)}  {figure}{tail}")


if __name__ == "__main__":
    main()
