"""Database engines (SQLite file or PostgreSQL), schema migration to head, and session factory."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session

try:
    import fcntl
except ImportError:  # Windows: the thread lock alone; other processes meet SQLite's busy handler
    fcntl = None  # type: ignore[assignment]

_HERE = Path(__file__).resolve().parent.parent
ALEMBIC_INI = _HERE / "alembic.ini"
ALEMBIC_DIR = _HERE / "alembic"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets pulls read while a push writes; the busy timeout makes concurrent writers (several
    # workers) wait for the write lock instead of failing at once.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


# -- one SQLite writer at a time, handed over without sleeping --------------------------------
#
# SQLite has one write lock per database. A connection that finds it taken waits in SQLite's busy
# handler, which sleeps 1, 2, 5, 10, ... up to 100 ms between tries: the lock often sits free
# while every waiter sleeps, and under 100 devices most of the request threads' time went there
# (py-spy: clock_nanosleep). So a transaction's first write first takes a writer lock of ours,
# held until commit or rollback: a thread lock (waiters wake the moment it is released) and,
# for other processes on the same file (`--workers N`, the CLI), an flock on "<db>-writer.lock"
# polled every 0.5 ms. SQLite's own lock still decides what is correct; this only decides who
# goes next. After `_WAIT_S` a writer goes ahead without it and SQLite's busy timeout applies.

_WAIT_S = 30.0
_WRITES = ("insert", "update", "delete", "replace")


class WriterLock:
    """The writer lock of one SQLite file in this process."""

    def __init__(self, lock_path: str) -> None:
        self._thread_lock = threading.Lock()
        self._fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)

    def acquire(self) -> bool:
        deadline = time.monotonic() + _WAIT_S
        if not self._thread_lock.acquire(timeout=_WAIT_S):
            return False
        if fcntl is None:
            return True
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() > deadline:
                    self._thread_lock.release()
                    return False
                time.sleep(0.0005)

    def release(self) -> None:
        if fcntl is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._thread_lock.release()


_writer_locks: dict[str, WriterLock] = {}
_writer_locks_guard = threading.Lock()


def writer_lock_for(database: str) -> WriterLock:
    path = str(Path(database).resolve())
    with _writer_locks_guard:
        lock = _writer_locks.get(path)
        if lock is None:
            lock = _writer_locks[path] = WriterLock(path + "-writer.lock")
        return lock


class _LockingCursor(sqlite3.Cursor):
    def execute(self, sql: str, parameters: Any = (), /) -> Self:
        connection: _LockingConnection = self.connection  # type: ignore[assignment]
        connection.before_statement(sql)
        try:
            return super().execute(sql, parameters)
        finally:
            connection.after_statement()

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> Self:
        connection: _LockingConnection = self.connection  # type: ignore[assignment]
        connection.before_statement(sql)
        try:
            return super().executemany(sql, seq_of_parameters)
        finally:
            connection.after_statement()


class _LockingConnection(sqlite3.Connection):
    """sqlite3 connection that holds the file's WriterLock from its first write to the end of
    the transaction (Python's sqlite3 opens the transaction right before that write)."""

    writer_lock: WriterLock | None = None
    _holding = False

    def cursor(self, factory: Any = _LockingCursor) -> Any:
        return super().cursor(factory)

    def before_statement(self, sql: str) -> None:
        if (
            self.writer_lock is not None
            and not self._holding
            and not self.in_transaction
            and sql.lstrip()[:7].lower().startswith(_WRITES)
        ):
            self._holding = self.writer_lock.acquire()

    def after_statement(self) -> None:
        # Also after commit and rollback; and a write that failed before opening a transaction
        # leaves none to wait for.
        if self._holding and not self.in_transaction:
            self._let_go()

    def _let_go(self) -> None:
        self._holding = False
        assert self.writer_lock is not None
        self.writer_lock.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.after_statement()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.after_statement()

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self._holding:
                self._let_go()


def make_engine(url: str, *, pool_size: int = 5) -> Engine:
    """An engine whose pool holds `pool_size` connections (the server: one per request thread)."""
    if is_sqlite(url):
        database = make_url(url).database
        on_file = bool(database) and database != ":memory:" and not str(database).startswith("file:")
        connect_args: dict[str, Any] = {"check_same_thread": False, "timeout": 30}
        if on_file:
            connect_args["factory"] = _LockingConnection
        engine = create_engine(url, connect_args=connect_args, pool_size=pool_size, max_overflow=4)
        event.listen(engine, "connect", _sqlite_pragmas)
        if on_file:
            assert database is not None
            lock = writer_lock_for(database)

            def _attach_lock(dbapi_connection: Any, _record: Any) -> None:
                dbapi_connection.writer_lock = lock

            event.listen(engine, "connect", _attach_lock)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=pool_size, max_overflow=4)


def alembic_config(url: str) -> Config:
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    # Stored unescaped in attributes: set_main_option would run '%' through ConfigParser
    # interpolation, which breaks URL-encoded options such as search_path.
    config.attributes["database_url"] = url
    return config


def init_db(url: str) -> None:
    """Create or upgrade the schema to the newest migration (idempotent)."""
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), "head")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session committed on success and rolled back on error (CLI and services outside requests)."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
