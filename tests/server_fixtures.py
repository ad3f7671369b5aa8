"""Reusable server fixtures: fresh databases (SQLite or a PostgreSQL schema) and a real
`gxcare-server serve` on a free loopback port with users created.

Use from any conftest or test module:

    from tests.server_fixtures import live_server, running_server, DEFAULT_USERS  # noqa: F401

`live_server` (a pytest fixture) yields a ServerHandle on a fresh SQLite file;
`live_server_any` does the same on SQLite and, when GXCARE_TEST_PG_URL is set, PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from gxcare_desktop.domain.enums import Role
from gxcare_desktop.sync.protocol import EnrolResponse

PG_URL_ENV = "GXCARE_TEST_PG_URL"
PG_SKIP_REASON = f"PostgreSQL variant skipped: set {PG_URL_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"

VILLAGE = "450124100201"  # 马山县 白山镇, a real village
OTHER_VILLAGE = "450124100202"  # same township
TOWNSHIP = "450124100"
COUNTY = "450124"
FAR_VILLAGE = "450102001003"  # another county (兴宁区 兴宁社区)
PASSWORD = "Guangxi-2026!"


@dataclass(frozen=True, slots=True)
class UserSpec:
    username: str
    role: Role
    division_code: str
    password: str = PASSWORD


DEFAULT_USERS: tuple[UserSpec, ...] = (
    UserSpec("director", Role.VILLAGE_DIRECTOR, VILLAGE),
    UserSpec("director2", Role.VILLAGE_DIRECTOR, OTHER_VILLAGE),
    UserSpec("supervisor", Role.TOWNSHIP_SUPERVISOR, TOWNSHIP),
    UserSpec("county", Role.COUNTY_ADMIN, COUNTY),
    UserSpec("far_director", Role.VILLAGE_DIRECTOR, FAR_VILLAGE),
)


def pg_base_url() -> str | None:
    return os.environ.get(PG_URL_ENV) or None


@contextmanager
def pg_schema_url(base_url: str) -> Iterator[str]:
    """A URL to a brand-new PostgreSQL schema (via search_path), dropped afterwards."""
    schema = f"gx_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
        # render_as_string keeps the query; psycopg gets options=-csearch_path=<schema>.
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def fresh_database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """backend "sqlite": a file in tmp_path; "pg": a throwaway schema on GXCARE_TEST_PG_URL."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'gxcare-server.db'}"
        return
    base = pg_base_url()
    if base is None:
        pytest.skip(PG_SKIP_REASON)
    with pg_schema_url(base) as url:
        yield url


def create_users(database_url: str, users: Sequence[UserSpec]) -> None:
    """init-db, then add the accounts (in-process: quicker than one CLI call per user)."""
    from sync_server.accounts import create_user
    from sync_server.core.config import Settings
    from sync_server.core.db import init_db, make_engine, session_scope

    init_db(database_url)
    settings = Settings(database_url=database_url)
    engine = make_engine(database_url)
    try:
        with session_scope(engine) as session:
            for spec in users:
                create_user(
                    session, username=spec.username, password=spec.password, role=spec.role,
                    division_code=spec.division_code, settings=settings,
                )
    finally:
        engine.dispose()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _server_command() -> list[str]:
    script = shutil.which("gxcare-server", path=str(Path(sys.executable).parent))
    if script is not None:
        return [script]
    return [sys.executable, "-m", "sync_server.cli"]


@dataclass
class ServerHandle:
    base_url: str
    database_url: str
    users: tuple[UserSpec, ...]
    process: subprocess.Popen[bytes]
    log_path: Path
    tokens: dict[str, EnrolResponse] = field(default_factory=dict)

    def user(self, username: str) -> UserSpec:
        return next(spec for spec in self.users if spec.username == username)

    def enrol(self, username: str, device_name: str = "test-pc") -> EnrolResponse:
        """Enrol a new device for username and return its token answer."""
        spec = self.user(username)
        response = requests.post(
            f"{self.base_url}/v1/auth/enrol",
            json={"username": spec.username, "password": spec.password, "device_name": device_name},
            timeout=30,
        )
        response.raise_for_status()
        answer = EnrolResponse.model_validate(response.json())
        self.tokens[answer.device_id] = answer
        return answer

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@contextmanager
def running_server(
    database_url: str,
    log_dir: Path,
    *,
    users: Sequence[UserSpec] = DEFAULT_USERS,
    workers: int = 1,
    startup_timeout_s: float = 60.0,
) -> Iterator[ServerHandle]:
    """Run `gxcare-server serve` on a free loopback port until the block ends."""
    create_users(database_url, users)
    port = free_port()
    log_path = log_dir / f"gxcare-server-{port}.log"
    env = dict(os.environ)
    env.pop("GXCARE_DATABASE_URL", None)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                *_server_command(), "serve", "--host", "127.0.0.1", "--port", str(port),
                "--workers", str(workers), "--database-url", database_url,
                "--log-level", "warning",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
    handle = ServerHandle(
        base_url=f"http://127.0.0.1:{port}", database_url=database_url, users=tuple(users),
        process=process, log_path=log_path,
    )
    try:
        deadline = time.monotonic() + startup_timeout_s
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gxcare-server exited early:\n{handle.log()}")
            try:
                if requests.get(f"{handle.base_url}/v1/health", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gxcare-server did not start:\n{handle.log()}")
            time.sleep(0.1)
        yield handle
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[ServerHandle]:
    """A real server on a fresh SQLite file, with DEFAULT_USERS."""
    with fresh_database_url("sqlite", tmp_path) as url, running_server(url, tmp_path) as handle:
        yield handle


@pytest.fixture(
    params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)], ids=["sqlite", "pg"]
)
def live_server_any(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServerHandle]:
    """Like live_server, on SQLite and (when GXCARE_TEST_PG_URL is set) on PostgreSQL."""
    with fresh_database_url(request.param, tmp_path) as url, running_server(url, tmp_path) as handle:
        yield handle
