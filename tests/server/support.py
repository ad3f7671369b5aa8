"""Test helpers for the sync server: an in-process app with TestClient, devices, clocks, changes."""

from __future__ import annotations

import itertools
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session, func, select

from gxcare_desktop.domain.hlc import Hlc
from gxcare_desktop.sync.protocol import (
    Change,
    EnrolResponse,
    JsonValue,
    PullResponse,
    PushResponse,
    SnapshotResponse,
)
from sync_server.core.config import Settings
from sync_server.models import ChangeLogEntry, FieldState
from tests.server_fixtures import PASSWORD

_ids = itertools.count(1)


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def new_id() -> str:
    return uuid.uuid4().hex


@dataclass
class Clock:
    """A device's hybrid logical clock: strictly increasing HLC strings."""

    device: str
    last_ms: int = 0
    counter: int = 0

    def tick(self, *, ms: int | None = None) -> str:
        wall = now_ms() if ms is None else ms
        if wall > self.last_ms:
            self.last_ms, self.counter = wall, 0
        else:
            self.counter += 1
        return Hlc(self.last_ms, self.counter, self.device).encode()


@dataclass
class DeviceClient:
    """One enrolled device talking to the app through TestClient."""

    client: TestClient
    enrolment: EnrolResponse
    clock: Clock = field(init=False)

    def __post_init__(self) -> None:
        self.clock = Clock(self.enrolment.device_id[:8])

    @property
    def device_id(self) -> str:
        return self.enrolment.device_id

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.enrolment.token}"}

    def change(
        self,
        entity: str,
        row_id: str,
        field_name: str,
        value: JsonValue,
        *,
        division: str,
        hlc: str | None = None,
    ) -> Change:
        return Change(
            change_id=f"c{next(_ids)}-{new_id()[:8]}",
            entity=entity,
            row_id=row_id,
            division_code=division,
            field=field_name,
            value=value,
            hlc=hlc or self.clock.tick(),
            device_id=self.device_id,
        )

    def record(
        self, entity: str, row_id: str, values: dict[str, JsonValue], *, division: str
    ) -> list[Change]:
        """Changes creating a row: division_code first, then every given field."""
        return [
            self.change(entity, row_id, "division_code", division, division=division),
            *(self.change(entity, row_id, name, v, division=division) for name, v in values.items()),
        ]

    def push_raw(self, changes: list[Change], *, pulled_to: int | None = None) -> Response:
        body = {"changes": [c.model_dump() for c in changes], "pulled_to": pulled_to}
        return self.client.post("/v1/sync/push", json=body, headers=self.headers)

    def push(self, changes: list[Change], *, pulled_to: int | None = None) -> PushResponse:
        response = self.push_raw(changes, pulled_to=pulled_to)
        assert response.status_code == 200, response.text
        return PushResponse.model_validate(response.json())

    def statuses(self, changes: list[Change]) -> list[tuple[str, str | None]]:
        return [(r.status.value, r.reason) for r in self.push(changes).results]

    def pull(self, cursor: int = 0, limit: int | None = None) -> PullResponse:
        params: dict[str, Any] = {"cursor": cursor}
        if limit is not None:
            params["limit"] = limit
        response = self.client.get("/v1/sync/pull", params=params, headers=self.headers)
        assert response.status_code == 200, response.text
        return PullResponse.model_validate(response.json())

    def pull_all(self, cursor: int = 0, limit: int = 1000) -> tuple[list[PullResponse], int]:
        pages: list[PullResponse] = []
        while True:
            page = self.pull(cursor, limit)
            pages.append(page)
            cursor = page.next_cursor
            if not page.has_more:
                return pages, cursor

    def snapshot(self, after: str | None = None, limit: int | None = None) -> SnapshotResponse:
        params: dict[str, Any] = {}
        if after is not None:
            params["after"] = after
        if limit is not None:
            params["limit"] = limit
        response = self.client.get("/v1/sync/snapshot", params=params, headers=self.headers)
        assert response.status_code == 200, response.text
        return SnapshotResponse.model_validate(response.json())


@dataclass
class ServerApp:
    app: FastAPI
    client: TestClient
    settings: Settings

    def enrol(self, username: str, device_name: str = "pc") -> DeviceClient:
        response = self.client.post(
            "/v1/auth/enrol",
            json={"username": username, "password": PASSWORD, "device_name": device_name},
        )
        assert response.status_code == 200, response.text
        return DeviceClient(self.client, EnrolResponse.model_validate(response.json()))

    def session(self) -> Session:
        return Session(self.app.state.engine)

    def log_count(self) -> int:
        with self.session() as session:
            return session.exec(select(func.count()).select_from(ChangeLogEntry)).one()

    def field_value(self, entity: str, row_id: str, field_name: str) -> FieldState | None:
        with self.session() as session:
            return session.get(FieldState, (entity, row_id, field_name))


def current_values(pages: list[PullResponse]) -> dict[tuple[str, str], dict[str, Any]]:
    """Replay pulled pages the way a client does (changes by clock, then drops)."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    clocks: dict[tuple[str, str, str], str] = {}
    for page in pages:
        for change in page.changes:
            key = (change.entity, change.row_id, change.field)
            if clocks.get(key, "") < change.hlc:
                clocks[key] = change.hlc
                rows.setdefault((change.entity, change.row_id), {})[change.field] = change.value
        for entity, row_id in page.drop:
            rows.pop((entity, row_id), None)
            for key in [k for k in clocks if k[:2] == (entity, row_id)]:
                del clocks[key]
    return rows
