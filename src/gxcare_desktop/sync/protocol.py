"""Wire models of the sync protocol, shared by the desktop client and the server."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from ..domain.enums import Role

API_PREFIX = "/v1"
PROTOCOL_VERSION = 1
# A push larger than this is refused before it is read further (bytes, after decompression).
MAX_BODY_BYTES = 8 * 1024 * 1024
MAX_CHANGES_PER_PUSH = 5000
# Clocks further ahead of the server's than this are refused: one PC with a wrong date
# must not win every later conflict.
MAX_CLOCK_DRIFT_MS = 5 * 60 * 1000

JsonValue = str | int | float | bool | list[str] | None


class Change(BaseModel):
    """One field of one record set to one value at one hybrid-logical-clock time."""

    change_id: str = Field(min_length=1, max_length=64)
    entity: str = Field(max_length=32)
    row_id: str = Field(min_length=1, max_length=64)
    division_code: str = Field(max_length=12)
    field: str = Field(max_length=64)
    value: JsonValue
    hlc: str = Field(max_length=96)
    device_id: str = Field(max_length=64)


class PushStatus(StrEnum):
    ACCEPTED = "accepted"
    SUPERSEDED = "superseded"
    REJECTED = "rejected"


class PushResult(BaseModel):
    change_id: str
    status: PushStatus
    reason: str | None = None


class PushRequest(BaseModel):
    changes: list[Change] = Field(max_length=MAX_CHANGES_PER_PUSH)


class PushResponse(BaseModel):
    results: list[PushResult]
    server_time_ms: int
    server_epoch: str


class ServerChange(Change):
    seq: int


class PullResponse(BaseModel):
    changes: list[ServerChange]
    next_cursor: int
    has_more: bool
    # Rows that left this device's jurisdiction (a child moved away): drop the local copy.
    drop: list[tuple[str, str]] = Field(default_factory=list)
    server_epoch: str


class SnapshotRow(BaseModel):
    entity: str
    row_id: str
    division_code: str
    values: dict[str, Any]
    clocks: dict[str, str]


class SnapshotResponse(BaseModel):
    rows: list[SnapshotRow]
    cursor: int
    next_after: str | None = None
    server_epoch: str


class EnrolRequest(BaseModel):
    username: str
    password: str
    device_name: str = ""


class EnrolResponse(BaseModel):
    device_id: str
    token: str
    username: str
    role: Role
    division_code: str
    server_epoch: str


class WhoAmI(BaseModel):
    username: str
    role: Role
    division_code: str
    device_id: str


class ErrorBody(BaseModel):
    code: str
    message_zh: str
    message_en: str
    field: str | None = None
