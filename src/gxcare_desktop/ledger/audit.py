"""The append-only audit log: who viewed, changed or exported what, hash-chained against edits."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import text
from sqlmodel import Session, col, select

from .tables import AuditEntry

GENESIS = "0" * 64


def _digest(prev_hash: str, at: str, actor: str, device_id: str, action: str, entity: str, row_id: str, detail: str) -> str:
    payload = json.dumps([prev_hash, at, actor, device_id, action, entity, row_id, detail], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def head(session: Session) -> str:
    """The hash the next entry chains to."""
    prev = session.execute(text("SELECT hash FROM ledger_audit_log ORDER BY seq DESC LIMIT 1")).scalar()
    return prev or GENESIS


# An audit row waiting to be chained: (at, action, entity, row_id, detail).
Pending = tuple[str, str, str, str, str]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def append_many(session: Session, *, prev_hash: str, actor: str, device_id: str, entries: list[Pending]) -> str:
    """Append `entries` in order, the first chained to `prev_hash`, each next to the one before;
    returns the new head."""
    rows = []
    for at, action, entity, row_id, detail in entries:
        digest = _digest(prev_hash, at, actor, device_id, action, entity, row_id, detail)
        rows.append((at, actor, device_id, action, entity, row_id, detail, prev_hash, digest))
        prev_hash = digest
    session.connection().exec_driver_sql(
        "INSERT INTO ledger_audit_log (at, actor, device_id, action, entity, row_id, detail, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return prev_hash


@dataclass(frozen=True)
class AuditCheck:
    ok: bool
    entries: int
    first_bad_seq: int | None = None


def verify(session: Session) -> AuditCheck:
    prev_hash = GENESIS
    count = 0
    for entry in session.exec(select(AuditEntry).order_by(col(AuditEntry.seq))):
        count += 1
        expected = _digest(
            prev_hash, entry.at, entry.actor, entry.device_id, entry.action, entry.entity, entry.row_id, entry.detail
        )
        if entry.prev_hash != prev_hash or entry.hash != expected:
            return AuditCheck(False, count, entry.seq)
        prev_hash = entry.hash
    return AuditCheck(True, count)
