"""Server test fixtures: a fresh database per test (SQLite file, and PostgreSQL when configured)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sync_server.core.config import Settings
from sync_server.main import create_app
from tests.server.support import ServerApp
from tests.server_fixtures import (  # live_server*: real-server fixtures, re-exported here
    DEFAULT_USERS,
    create_users,
    fresh_database_url,
    live_server,  # noqa: F401
    live_server_any,  # noqa: F401
)


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)], ids=["sqlite", "pg"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: SQLite in tmp_path, or a throwaway PostgreSQL schema (skipped, with
    the reason shown, unless GXCARE_TEST_PG_URL is set)."""
    with fresh_database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def server(database_url: str) -> Iterator[ServerApp]:
    """The app on a migrated database with DEFAULT_USERS, driven through TestClient."""
    create_users(database_url, DEFAULT_USERS)
    settings = Settings(database_url=database_url)
    app = create_app(settings)
    with TestClient(app) as client:
        yield ServerApp(app, client, settings)
    app.state.engine.dispose()
