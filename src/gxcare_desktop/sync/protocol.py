"""Wire models of the sync protocol, shared by the desktop client and the server."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

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
    # The cursor up to which the device has APPLIED pulled changes (None: not known). The server
    # tells concurrent edits from informed ones by it; its own record of what it served runs
    # ahead of this by any page that arrived but was never applied.
    pulled_to: int | None = Field(default=None, ge=0)


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
    # Fingerprints of the log entries AT `cursor` and AT `next_cursor` (None for position 0,
    # "-" where the server has no such entry). A device keeps the one of its cursor; when the
    # server later shows another entry at that position, its history was replaced (restored
    # from a backup and written on since) and the device must resync (engine.HistoryChanged).
    anchor: str | None = None
    next_anchor: str | None = None


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


# --- Added for the sync server (additive only) -------------------------------------------

# Attachments travel in chunks of this size (the last one shorter), so a broken 2G/3G upload
# resumes at the first missing chunk instead of starting over.
ATTACHMENT_CHUNK_BYTES = 256 * 1024
# HLC device part of changes the server itself writes (conflict resolutions, moved rows).
SERVER_DEVICE_ID = "server"


class RejectReason(StrEnum):
    """Reason codes of a rejected change (PushResult.reason)."""

    UNKNOWN_ENTITY = "unknown_entity"
    UNKNOWN_FIELD = "unknown_field"
    INVALID_VALUE = "invalid_value"
    INVALID_HLC = "invalid_hlc"
    CLOCK_AHEAD = "clock_ahead"
    BAD_DIVISION = "bad_division"
    OUT_OF_JURISDICTION = "out_of_jurisdiction"
    UNKNOWN_CHILD = "unknown_child"


class Health(BaseModel):
    status: str = "ok"
    protocol_version: int = PROTOCOL_VERSION
    server_epoch: str = ""
    server_time_ms: int = 0


class ConflictKind(StrEnum):
    # The incoming change lost to a later clock already stored.
    SUPERSEDED = "superseded"
    # The incoming change won over another device's value the pusher had not pulled yet.
    CONCURRENT = "concurrent"


class ConflictRecord(BaseModel):
    id: int
    kind: ConflictKind
    entity: str
    row_id: str
    field: str
    division_code: str
    winner_value: JsonValue
    winner_hlc: str
    winner_device: str
    loser_value: JsonValue
    loser_hlc: str
    loser_device: str
    created_ms: int
    resolved: bool = False
    resolution: str | None = None
    resolved_by: str | None = None


class ResolveRequest(BaseModel):
    keep: Literal["winner", "loser"]


class ResolveResponse(BaseModel):
    conflict: ConflictRecord
    # The change the server wrote when the loser was kept (it syncs back to every replica).
    change: ServerChange | None = None


class AttachmentStatus(BaseModel):
    sha256: str
    size: int
    chunk_size: int = ATTACHMENT_CHUNK_BYTES
    chunks_total: int
    received: list[int]
    complete: bool
