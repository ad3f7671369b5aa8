"""Concurrent edits the sync server kept for review, described for the supervisor: whose record,
which field, the value that won and the one that lost, side by side. The records come from the
server (sync.client.SyncClient.conflicts()) as plain dicts; names are looked up in this ledger,
so only what is inside its jurisdiction is ever named."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ...domain.labels import field_label
from ...domain.records import Entity
from ...domain.text import Text
from ..tables import TABLES, Child

if TYPE_CHECKING:
    from ..service import Ledger


@dataclass(frozen=True, slots=True)
class ConflictRow:
    conflict_id: int
    entity: str
    row_id: str
    field: str
    field_label: Text
    child_id: str
    child_name: str
    division_code: str
    winner_value: Any
    winner_device: str
    loser_value: Any
    loser_device: str
    recorded_at: datetime
    resolved: bool


def conflict_rows(ledger: Ledger, records: list[dict[str, Any]]) -> list[ConflictRow]:
    """Describe server conflict records; ones outside this ledger's jurisdiction are left out."""
    out: list[ConflictRow] = []
    with ledger.reading() as session:
        for record in records:
            if not str(record["division_code"]).startswith(ledger.village_code):
                continue
            try:
                entity = Entity(record["entity"])
            except ValueError:
                continue
            row = session.get(TABLES[entity], record["row_id"])
            child_id = record["row_id"] if entity is Entity.CHILD else getattr(row, "child_id", "") or ""
            child = session.get(Child, child_id) if child_id else None
            out.append(
                ConflictRow(
                    conflict_id=int(record["id"]),
                    entity=entity.value,
                    row_id=record["row_id"],
                    field=record["field"],
                    field_label=field_label(record["field"], entity.value),
                    child_id=child_id,
                    child_name=child.name if child is not None else "",
                    division_code=record["division_code"],
                    winner_value=record.get("winner_value"),
                    winner_device=record.get("winner_device", ""),
                    loser_value=record.get("loser_value"),
                    loser_device=record.get("loser_device", ""),
                    recorded_at=datetime.fromtimestamp(int(record.get("created_ms", 0)) / 1000, UTC),
                    resolved=bool(record.get("resolved")),
                )
            )
    return out


def value_text(value: Any) -> str:
    """A field value as a reviewer reads it."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是 / yes" if value else "否 / no"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)
