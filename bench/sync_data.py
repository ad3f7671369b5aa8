"""Sync bench data: demo rows as field changes, a township loaded into a server database, devices."""

from __future__ import annotations

import random
import shutil
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, update
from sqlmodel import Session, col, select

from gxcare_desktop.domain.divisions import load_divisions
from gxcare_desktop.ledger import demo
from sync_server.accounts import now_ms
from sync_server.core.db import init_db, make_engine
from sync_server.core.security import new_device_token, token_digest
from sync_server.models import Device, FieldState, RecordRow, SeqCounter, User
from sync_server.scope import jurisdiction
from sync_server.services import dump_value

CACHE = Path("/tmp/gxcare-bench")
# Yesterday, so no demo clock (stamped 09:00 local on the day) lies in the server's future.
DEMO_DAY = date.today() - timedelta(days=1)


def villages_under(code: str) -> list[str]:
    return list(load_divisions().village_codes_under(code))


def demo_rows(children: int, villages: list[str], *, seed: int) -> list[dict[str, Any]]:
    """Whole demo rows (child first, then its records), as `fill_demo` makes them."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for i in range(children):
        rows.extend(demo._child_rows(rng, villages[i % len(villages)], DEMO_DAY))
    return rows


def rows_to_changes(rows: list[dict[str, Any]], device_id: str) -> list[dict[str, Any]]:
    """One change per field (division_code included), each with the row's own clock."""
    changes = []
    for row in rows:
        fields = [*row["values"].items(), ("division_code", row["division_code"])]
        for field, value in fields:
            changes.append(
                {
                    "change_id": uuid.uuid4().hex,
                    "entity": row["entity"],
                    "row_id": row["row_id"],
                    "division_code": row["division_code"],
                    "field": field,
                    "value": value,
                    "hlc": row["clocks"][field],
                    "device_id": device_id,
                }
            )
    return changes


def load_township(database_url: str, rows: list[dict[str, Any]]) -> int:
    """Write rows straight into the server's state tables (record_rows, field_states, seq_counter),
    exactly the rows push_changes would leave behind, in bulk Core inserts.

    The change log and push receipts are not written: a snapshot reads only current state, and
    replaying ~2.5 million changes through push_changes (about 1,000/s) would take most of an hour.
    """
    init_db(database_url)
    engine = make_engine(database_url)
    seq = 0
    try:
        with Session(engine) as session:
            record_rows = []
            states = []
            for row in rows:
                division = row["division_code"]
                record_rows.append(
                    {
                        "entity": row["entity"], "row_id": row["row_id"], "division_code": division,
                        **jurisdiction(division), "child_id": row["values"].get("child_id"),
                    }
                )
                for field, value in [*row["values"].items(), ("division_code", division)]:
                    seq += 1
                    states.append(
                        {
                            "entity": row["entity"], "row_id": row["row_id"], "field": field,
                            "value_json": dump_value(value), "hlc": row["clocks"][field],
                            "device_id": "demo", "pushed_by": "bench-loader", "seq": seq,
                        }
                    )
                if len(states) > 50_000:
                    session.execute(insert(RecordRow), record_rows)
                    session.execute(insert(FieldState), states)
                    record_rows, states = [], []
            if states:
                session.execute(insert(RecordRow), record_rows)
                session.execute(insert(FieldState), states)
            session.execute(update(SeqCounter).where(col(SeqCounter.id) == 1).values(value=seq))
            session.commit()
    finally:
        engine.dispose()
    return seq


def township_database(children: int, township: str, workdir: Path) -> tuple[str, int, str]:
    """A SQLite server database holding a township's `children` demo children (cached, copied).

    Returns (url, rows, how): rows counts record rows; `how` says whether it was built now."""
    cached = CACHE / f"server-township-{township}-{children}.db"
    how = "cached copy"
    if not cached.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        building = CACHE / f"building-{cached.name}"
        building.unlink(missing_ok=True)
        started = time.perf_counter()
        rows = demo_rows(children, villages_under(township), seed=11)
        load_township(f"sqlite:///{building}", rows)
        shutil.move(building, cached)
        how = f"built now in {time.perf_counter() - started:.0f} s"
        print(f"  (loaded township of {children:,} children into {cached} — {how})", file=sys.stderr)
    target = workdir / "township.db"
    shutil.copyfile(cached, target)
    url = f"sqlite:///{target}"
    engine = make_engine(url)
    with engine.connect() as conn:
        count = conn.exec_driver_sql("SELECT count(*) FROM record_rows").scalar_one()
    engine.dispose()
    return url, int(count), how


def pg_township(database_url: str, children: int, township: str) -> int:
    rows = demo_rows(children, villages_under(township), seed=11)
    load_township(database_url, rows)
    return len(rows)


def add_devices(database_url: str, usernames: list[str]) -> list[tuple[str, str]]:
    """One device per entry (a username may repeat), created with the server's token functions
    instead of a password login each (enrolment costs a memory-hard hash; it is not what is measured).
    Returns (device_id, token) pairs."""
    engine = make_engine(database_url)
    out = []
    try:
        with Session(engine) as session:
            users = {u.username: u for u in session.exec(select(User))}
            for name in usernames:
                token = new_device_token()
                device = Device(
                    id=uuid.uuid4().hex, user_id=users[name].id or 0, name="bench",
                    token_hash=token_digest(token), created_ms=now_ms(),
                )
                session.add(device)
                out.append((device.id, token))
            session.commit()
    finally:
        engine.dispose()
    return out
