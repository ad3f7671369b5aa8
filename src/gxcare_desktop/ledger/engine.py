"""The SQLCipher engine: sqlcipher3 under SQLAlchemy, keyed with a raw 256-bit key on every connection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.pool import QueuePool


def key_pragma(data_key: bytes) -> str:
    # A raw key (x'..') skips SQLCipher's own passphrase KDF, which would cost ~100 ms per connection.
    return f"PRAGMA key = \"x'{data_key.hex()}'\""


def make_engine(path: Path, data_key: bytes, *, writer: bool) -> Engine:
    """One writer engine (a single connection, BEGIN IMMEDIATE) and any number of readers (WAL)."""
    pragma = key_pragma(data_key)
    begin = "BEGIN IMMEDIATE" if writer else "BEGIN"
    engine = create_engine(
        f"sqlite:///{path}",
        module=sqlcipher3,
        poolclass=QueuePool,
        # LIFO hands out the connection used last, whose decrypted page cache is warm.
        pool_use_lifo=True,
        pool_size=1 if writer else 4,
        max_overflow=0 if writer else 4,
        connect_args={"check_same_thread": False, "timeout": 30},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute(pragma)
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA foreign_keys = ON")
        # NORMAL in WAL mode is durable across application crashes; only a power cut can lose
        # the last transactions, never corrupt the file.
        cur.execute("PRAGMA synchronous = NORMAL")
        # Pages are decrypted into this cache; a large one lets list and filter queries over
        # 100,000 children run from memory instead of decrypting the table again each time.
        cur.execute(f"PRAGMA cache_size = {-64 * 1024 if not writer else -16 * 1024}")
        cur.close()
        # pysqlite's implicit BEGIN is off so that the writer's explicit BEGIN IMMEDIATE takes
        # the write lock at the start of a unit of work, not half-way at its first write.
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)

    return engine


def check_key(engine: Engine) -> None:
    """Touch the schema so that a wrong key or a damaged first page fails here, not later."""
    with engine.connect() as conn:
        conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar_one()
