"""Alembic migrations match the models on SQLite and PostgreSQL; the gxcare-server admin commands."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import select

from sync_server import cli
from sync_server.core.db import init_db, make_engine, session_scope
from sync_server.models import Device, SeqCounter, ServerMeta, ServerModel, User
from tests.server.support import ServerApp, new_id
from tests.server_fixtures import PASSWORD, VILLAGE


def test_migrated_schema_matches_the_models(database_url: str) -> None:
    init_db(database_url)
    init_db(database_url)  # idempotent
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), ServerModel.metadata)
        assert diff == []
        with session_scope(engine) as session:
            assert session.get(SeqCounter, 1) is not None
            epoch = session.get(ServerMeta, "server_epoch")
            assert epoch is not None and len(epoch.value) == 32
    finally:
        engine.dispose()


def test_create_user_list_and_revoke_devices(
    server: ServerApp, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.settings.database_url
    monkeypatch.setattr("sys.stdin", io.StringIO("S3cret-passw0rd\n"))
    assert cli.main(
        ["create-user", "--database-url", url, "--username", "韦督导", "--role",
         "township_supervisor", "--division", "450124100", "--password-stdin"]
    ) == 0
    assert "created user 韦督导" in capsys.readouterr().out
    monkeypatch.setenv("GXCARE_PASSWORD", "An0ther-passw0rd")
    with pytest.raises(SystemExit, match="12-digit"):
        cli.main(
            ["create-user", "--database-url", url, "--username", "bad", "--role",
             "village_director", "--division", "450124100"]
        )
    with pytest.raises(SystemExit, match="unknown role"):
        cli.main(
            ["create-user", "--database-url", url, "--username", "bad", "--role", "king",
             "--division", "450124"]
        )
    response = server.client.post(
        "/v1/auth/enrol",
        json={"username": "韦督导", "password": "S3cret-passw0rd", "device_name": "办公室"},
    )
    assert response.status_code == 200
    device_id = response.json()["device_id"]
    token = response.json()["token"]
    assert cli.main(["list-devices", "--database-url", url]) == 0
    listing = capsys.readouterr().out
    assert device_id in listing and "韦督导" in listing and token not in listing
    assert cli.main(["revoke-device", "--database-url", url, device_id]) == 0
    assert "revoked" in capsys.readouterr().out
    assert server.client.get(
        "/v1/auth/whoami", headers={"Authorization": f"Bearer {token}"}
    ).status_code == 401
    with pytest.raises(SystemExit):
        cli.main(["revoke-device", "--database-url", url, "no-such-device"])


def test_conflicts_command_lists_open_conflicts(
    server: ServerApp, capsys: pytest.CaptureFixture[str]
) -> None:
    a = server.enrol("director")
    child = new_id()
    a.push(a.record("child", child, {"name": "甲"}, division=VILLAGE))
    late = a.clock.tick()
    a.push([a.change("child", child, "name", "乙", division=VILLAGE, hlc=late)])
    early = late.replace(late[:13], str(int(late[:13]) - 1000), 1)
    a.push([a.change("child", child, "name", "丙", division=VILLAGE, hlc=early)])
    url = server.settings.database_url
    assert cli.main(["conflicts", "--database-url", url]) == 0
    out = capsys.readouterr().out
    assert child in out and "'乙'" in out and "'丙'" in out
    assert cli.main(["conflicts", "--database-url", url, "--scope", "450124100202"]) == 0
    assert child not in capsys.readouterr().out


def test_init_db_command_and_env_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "sub" / "env.db"
    url = f"sqlite:///{db}"
    monkeypatch.setenv("GXCARE_DATABASE_URL", url)
    monkeypatch.setenv("GXCARE_PASSWORD", PASSWORD)
    assert cli.main(["init-db"]) == 0
    assert db.exists()
    assert cli.main(
        ["create-user", "--username", "d", "--role", "village_director", "--division", VILLAGE]
    ) == 0
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            assert session.exec(select(User.username)).all() == ["d"]
            assert session.exec(select(Device)).all() == []
    finally:
        engine.dispose()
