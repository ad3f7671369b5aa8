"""Ledger benchmark: unlock, record-a-visit latency, search and filters, and our write path vs raw SQLite.

Usage: python bench/ledger.py [--sizes 500,10000,100000]
Prints figures; asserts nothing. Demo ledgers are cached in /tmp/gxcare-bench.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import sqlcipher3

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PASSWORD, demo_ledger, percentile, timed  # noqa: E402

from gxcare_desktop.ledger import ChildQuery, Ledger  # noqa: E402
from gxcare_desktop.ledger import queries as ledger_queries  # noqa: E402
from gxcare_desktop.ledger.engine import key_pragma  # noqa: E402

VISITS = 300

VISIT_DDL = """CREATE TABLE visit (id TEXT PRIMARY KEY, division_code TEXT, deleted INTEGER, clocks TEXT,
child_id TEXT, visit_date TEXT, mode TEXT, seen TEXT, checks TEXT, findings TEXT, help_given TEXT,
referred_to TEXT, guardianship_level TEXT, next_due TEXT, visitor TEXT)"""
VISIT_INSERT = "INSERT INTO visit VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"


def _raw_rows(child_ids: list[str]) -> list[tuple[object, ...]]:
    today = date.today().isoformat()
    return [
        (str(uuid.uuid4()), "450124100201", 0, "{}", cid, today, "home", "儿童本人", '["safety","health"]',
         "一切正常", "", "", "", (date.today() + timedelta(days=90)).isoformat(), "")
        for cid in child_ids
    ]


def _raw_insert(conn: sqlite3.Connection | sqlcipher3.Connection, rows: list[tuple[object, ...]]) -> list[float]:
    """One transaction per visit, as the service does, with the same WAL/synchronous settings."""
    latencies = []
    for row in rows:
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(VISIT_INSERT, row)
        conn.execute("COMMIT")
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def _raw_connection(path: Path, key: bytes | None) -> sqlite3.Connection | sqlcipher3.Connection:
    conn = (sqlcipher3 if key else sqlite3).connect(str(path), isolation_level=None)
    if key:
        conn.execute(key_pragma(key))
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(VISIT_DDL)
    return conn


def bench(children: int, workdir: Path) -> None:
    path = demo_ledger(children, workdir=workdir)
    started = time.perf_counter()
    ledger = Ledger.open(path, password=PASSWORD)
    ledger.list_children(ChildQuery(limit=100))
    unlock_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    everyone = ledger.list_children(ChildQuery())  # the first whole-list read fills the in-memory list
    cold_full_ms = (time.perf_counter() - started) * 1000
    full_ms, everyone = timed(lambda: ledger.list_children(ChildQuery()), repeat=3)
    total = len(everyone)
    rng = random.Random(3)
    ids = [c.id for c in everyone]
    sample = [rng.choice(ids) for _ in range(VISITS)]

    visit_ms = []
    for child_id in sample:
        t0 = time.perf_counter()
        ledger.record_visit(child_id, visit_date=date.today(), mode="home", seen="儿童本人", checks=["safety", "health"], findings="一切正常")
        visit_ms.append((time.perf_counter() - t0) * 1000)

    name_probe = everyone[len(everyone) // 2]
    queries = {
        "search pinyin initials": ChildQuery(text=name_probe.name_initials[:2]),
        "search name": ChildQuery(text=name_probe.name[1:]),
        "search ID fragment": ChildQuery(text=name_probe.id_number[-6:]),
        "filter category orphan": ChildQuery(category="orphan"),
        "filter high risk": ChildQuery(risk="high"),
        "overdue list": ChildQuery(overdue=True),
        "no parent contact 7+ days": ChildQuery(no_contact=True),
        "age-out within 30 days": ChildQuery(age_out_within_days=30),
        "archived": ChildQuery(archived=True),
    }
    # Our path: the list was read once above (as the window does at start), so filters are
    # answered from the in-memory list after catching up with the touch log.
    query_results = {name: timed(lambda q=q: ledger.list_children(q)) for name, q in queries.items()}

    def from_sqlite(q: ChildQuery) -> list[ledger_queries.ChildSummary]:
        with ledger.reading() as session:
            return ledger_queries.list_children(session, q)

    # The same filters as SQL through SQLCipher (what a cold list, or the previous version, does).
    sql_results = {name: timed(lambda q=q: from_sqlite(q), repeat=3) for name, q in queries.items()}
    # A write between two reads: the cache re-reads the touched child before answering.
    after_write = []
    for child_id in sample[:30]:
        ledger.record_visit(child_id, visit_date=date.today(), mode="phone", seen="家长", checks=["safety"], findings="")
        t0 = time.perf_counter()
        ledger.list_children(ChildQuery(overdue=True))
        after_write.append((time.perf_counter() - t0) * 1000)
    key = ledger.data_key
    ledger.close()

    raw_plain = _raw_insert(_raw_connection(workdir / f"raw-{children}.db", None), _raw_rows(sample))
    raw_cipher = _raw_insert(_raw_connection(workdir / f"rawc-{children}.db", key), _raw_rows(sample))

    print(f"\n== {children:,} children ({total:,} on file, {path.stat().st_size / 1e6:.0f} MB encrypted) ==")
    print(f"unlock (Argon2id KDF incl.) to first page of 100:  {unlock_ms:8.1f} ms")
    print(f"load the whole list ({total:,} rows), first read: {cold_full_ms:8.1f} ms   again: {full_ms:6.1f} ms")
    print(f"record a visit: median {statistics.median(visit_ms):6.2f} ms   p95 {percentile(visit_ms, 95):6.2f} ms   (n={VISITS})")
    print(f"  {'search / filter':<28} {'ours':>8}     {'SQL':>8}")
    for name, (ms, rows) in query_results.items():
        print(f"  {name:<28} {ms:8.1f} ms  {sql_results[name][0]:8.1f} ms  ({len(rows):,} rows)")
    print(f"  overdue list right after recording a visit: median {statistics.median(after_write):6.1f} ms   "
          f"max {max(after_write):6.1f} ms")
    api = statistics.median(visit_ms)
    plain = statistics.median(raw_plain)
    cipher = statistics.median(raw_cipher)
    print(f"write path vs raw (same {VISITS} visit rows, one transaction each, WAL, synchronous=NORMAL):")
    print(f"  service API (visit + change log + audit + derived fields) median {api:6.3f} ms")
    print(f"  raw sqlcipher3 INSERT of the visit row                     median {cipher:6.3f} ms  -> API/raw = {api / cipher:5.1f}x")
    print(f"  raw sqlite3 (unencrypted) INSERT of the visit row          median {plain:6.3f} ms  -> API/raw = {api / plain:5.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="500,10000,100000")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            bench(size, Path(tmp))


if __name__ == "__main__":
    main()
