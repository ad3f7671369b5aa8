"""Server tables: accounts, the sequenced change log, current field state, conflicts, attachments, audit."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, LargeBinary, Text
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel


class ServerModel(SQLModel, registry=registry()):
    """Base of the server tables: their own metadata, apart from the desktop ledger's tables
    (both live in one process during tests, and migrations must see only the server's)."""


class ServerMeta(ServerModel, table=True):
    __tablename__ = "server_meta"
    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=200)


class SeqCounter(ServerModel, table=True):
    """One row holding the last change-log sequence number handed out.

    Pushes lock this row (UPDATE) for their whole transaction; see services.py for why.
    """

    __tablename__ = "seq_counter"
    id: int = Field(primary_key=True)
    value: int = Field(sa_type=BigInteger)


class User(ServerModel, table=True):
    __tablename__ = "users"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    password_hash: str = Field(max_length=200)
    role: str = Field(max_length=32)
    division_code: str = Field(max_length=12)
    active: bool = True
    created_ms: int = Field(sa_type=BigInteger)


class Device(ServerModel, table=True):
    __tablename__ = "devices"
    id: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="users.id", index=True)
    name: str = Field(default="", max_length=100)
    token_hash: str = Field(max_length=64, unique=True)
    created_ms: int = Field(sa_type=BigInteger)
    last_seen_ms: int | None = Field(default=None, sa_type=BigInteger)
    revoked_ms: int | None = Field(default=None, sa_type=BigInteger)
    # Highest sequence this device has been sent (pull or snapshot); a push that overwrites
    # another device's value written after it is a concurrent edit.
    last_pull_cursor: int = Field(default=0, sa_type=BigInteger)


class LoginAttempt(ServerModel, table=True):
    """Kept in the database so the rate limit holds across workers and machines."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_user_at", "username", "at_ms"),
        Index("ix_login_attempts_addr_at", "client_addr", "at_ms"),
    )
    id: int | None = Field(default=None, primary_key=True)
    at_ms: int = Field(sa_type=BigInteger)
    username: str = Field(max_length=64)
    client_addr: str = Field(max_length=64)
    success: bool


class ChangeLogEntry(ServerModel, table=True):
    """The sequenced feed devices pull, indexed by jurisdiction so a pull never scans others' rows.

    kind "set": a field value. kind "drop": the row left division_code for moved_to; devices of the
    old scope that do not also cover moved_to must drop their copy.
    """

    __tablename__ = "change_log"
    __table_args__ = (
        Index("ix_change_log_village_seq", "village", "seq"),
        Index("ix_change_log_township_seq", "township", "seq"),
        Index("ix_change_log_county_seq", "county", "seq"),
    )
    seq: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    kind: str = Field(max_length=8)
    entity: str = Field(max_length=32)
    row_id: str = Field(max_length=64)
    field: str = Field(max_length=64)
    value_json: str | None = Field(default=None, sa_type=Text)
    hlc: str = Field(max_length=96)
    device_id: str = Field(max_length=64)
    pushed_by: str = Field(max_length=64)
    division_code: str = Field(max_length=12)
    county: str = Field(max_length=6)
    township: str = Field(max_length=9)
    village: str = Field(max_length=12)
    moved_to: str | None = Field(default=None, max_length=12)


class RecordRow(ServerModel, table=True):
    """Where each synced row lives now (the server's word, never the client's)."""

    __tablename__ = "record_rows"
    __table_args__ = (
        Index("ix_record_rows_village", "village", "entity", "row_id"),
        Index("ix_record_rows_township", "township", "entity", "row_id"),
        Index("ix_record_rows_county", "county", "entity", "row_id"),
    )
    entity: str = Field(primary_key=True, max_length=32)
    row_id: str = Field(primary_key=True, max_length=64)
    division_code: str = Field(max_length=12)
    county: str = Field(max_length=6)
    township: str = Field(max_length=9)
    village: str = Field(max_length=12)
    child_id: str | None = Field(default=None, max_length=64, index=True)


class FieldState(ServerModel, table=True):
    """The winning value and clock of every (row, field); seq is the log entry that carries it."""

    __tablename__ = "field_states"
    entity: str = Field(primary_key=True, max_length=32)
    row_id: str = Field(primary_key=True, max_length=64)
    field: str = Field(primary_key=True, max_length=64)
    value_json: str | None = Field(default=None, sa_type=Text)
    hlc: str = Field(max_length=96)
    device_id: str = Field(max_length=64)
    pushed_by: str = Field(max_length=64)
    seq: int = Field(sa_type=BigInteger)


class PushReceipt(ServerModel, table=True):
    """The answer given to (device, change_id): a replayed push gets the same answer."""

    __tablename__ = "push_receipts"
    device_id: str = Field(primary_key=True, max_length=64)
    change_id: str = Field(primary_key=True, max_length=64)
    status: str = Field(max_length=16)
    reason: str | None = Field(default=None, max_length=64)
    seq: int | None = Field(default=None, sa_type=BigInteger)
    at_ms: int = Field(sa_type=BigInteger)


class Conflict(ServerModel, table=True):
    __tablename__ = "conflicts"
    __table_args__ = (
        Index("ix_conflicts_village", "village", "id"),
        Index("ix_conflicts_township", "township", "id"),
        Index("ix_conflicts_county", "county", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    entity: str = Field(max_length=32)
    row_id: str = Field(max_length=64)
    field: str = Field(max_length=64)
    division_code: str = Field(max_length=12)
    county: str = Field(max_length=6)
    township: str = Field(max_length=9)
    village: str = Field(max_length=12)
    winner_value_json: str | None = Field(default=None, sa_type=Text)
    winner_hlc: str = Field(max_length=96)
    winner_device: str = Field(max_length=64)
    loser_value_json: str | None = Field(default=None, sa_type=Text)
    loser_hlc: str = Field(max_length=96)
    loser_device: str = Field(max_length=64)
    created_ms: int = Field(sa_type=BigInteger)
    resolved_ms: int | None = Field(default=None, sa_type=BigInteger)
    resolved_by: str | None = Field(default=None, max_length=64)
    resolution: str | None = Field(default=None, max_length=16)


class AttachmentRef(ServerModel, table=True):
    """attachment row → content hash, kept up to date from accepted `sha256` field changes."""

    __tablename__ = "attachment_refs"
    row_id: str = Field(primary_key=True, max_length=64)
    sha256: str = Field(max_length=64, index=True)


class AttachmentBlob(ServerModel, table=True):
    __tablename__ = "attachment_blobs"
    sha256: str = Field(primary_key=True, max_length=64)
    size: int = Field(sa_type=BigInteger)
    complete: bool = False
    completed_ms: int | None = Field(default=None, sa_type=BigInteger)


class AttachmentChunk(ServerModel, table=True):
    __tablename__ = "attachment_chunks"
    sha256: str = Field(primary_key=True, max_length=64)
    chunk_index: int = Field(primary_key=True)
    data: bytes = Field(sa_type=LargeBinary)


class AuditEvent(ServerModel, table=True):
    __tablename__ = "audit_log"
    id: int | None = Field(default=None, primary_key=True)
    at_ms: int = Field(sa_type=BigInteger, index=True)
    username: str = Field(default="", max_length=64)
    device_id: str = Field(default="", max_length=64)
    action: str = Field(max_length=32)
    count: int = 0
    detail: str = Field(default="", sa_type=Text)
    client_addr: str = Field(default="", max_length=64)


class DevicePublic(SQLModel):
    """A device as administrators see it (never the token or its hash)."""

    id: str
    name: str
    username: str
    role: str
    division_code: str
    created_ms: int
    last_seen_ms: int | None = None
    revoked_ms: int | None = None
    last_pull_cursor: int = 0


class DeviceList(SQLModel):
    devices: list[DevicePublic]
