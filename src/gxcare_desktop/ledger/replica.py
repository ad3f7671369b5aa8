"""The replica side of the ledger: the outbox, merging pulled changes and snapshots, file blobs.

Mixed into `Ledger`; kept apart so the service API of the record types stays readable.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select, text
from sqlmodel import Session, col

from ..domain import rules
from ..domain.enums import Role
from ..domain.names import pinyin_full, pinyin_initials
from ..domain.records import Entity, spec
from . import clocks
from .derived import schedule
from .tables import TABLES, AttachmentBlob, ChangeLogEntry, Child, Meta
from .validation import from_wire

if TYPE_CHECKING:
    from .hlc import HlcClock


class ReplicaMixin:
    if TYPE_CHECKING:
        _clock: HlcClock
        _policy: rules.VisitPolicy
        village_code: str
        role: Role
        user_name: str

        def reading(self) -> AbstractContextManager[Session]: ...
        def unit_of_work(self) -> AbstractContextManager[Session]: ...
        def meta(self, key: str) -> str | None: ...
        def _audit(self, session: Session, action: str, *, entity: str = "", row_id: str = "", detail: str = "") -> None: ...
        def _refresh_child(self, session: Session, child: Child) -> None: ...

    def set_scope(self, *, role: Role, division_code: str, user_name: str) -> None:
        """Adopt the role and jurisdiction the server gave this device's account at enrolment."""
        with self.unit_of_work() as session:
            for key, value in {"role": role.value, "village_code": division_code, "user_name": user_name}.items():
                session.merge(Meta(key=key, value=value))
            self._audit(session, "set_scope", detail=f"{role.value} {division_code}")
        self.role, self.village_code, self.user_name = role, division_code, user_name

    def blob(self, sha256: str) -> bytes | None:
        with self.reading() as session:
            row = session.get(AttachmentBlob, sha256)
            return row.data if row else None

    def store_blob(self, sha256: str, data: bytes) -> None:
        """File content that arrived by sync; the caller has checked its hash."""
        with self.unit_of_work() as session:
            if session.get(AttachmentBlob, sha256) is None:
                session.add(AttachmentBlob(sha256=sha256, data=data))

    def pending_changes(self) -> int:
        with self.reading() as session:
            return int(
                session.execute(
                    select(func.count()).select_from(ChangeLogEntry).where(
                        col(ChangeLogEntry.origin) == "local", col(ChangeLogEntry.pushed) == False  # noqa: E712
                    )
                ).scalar_one()
            )

    def last_sync_at(self) -> datetime | None:
        value = self.meta("last_sync_at")
        return datetime.fromisoformat(value) if value else None

    def outbox(self, limit: int = 500) -> list[ChangeLogEntry]:
        """Unsent local changes, oldest first."""
        with self.reading() as session:
            return list(
                session.scalars(
                    select(ChangeLogEntry)
                    .where(col(ChangeLogEntry.origin) == "local", col(ChangeLogEntry.pushed) == False)  # noqa: E712
                    .order_by(col(ChangeLogEntry.seq))
                    .limit(limit)
                )
            )

    def mark_pushed(self, results: Iterable[tuple[str, str, str]]) -> None:
        """Record the server's answer (change_id, status, reason) for pushed changes."""
        with self.unit_of_work() as session:
            session.execute(
                text(
                    "UPDATE ledger_change_log SET pushed = 1, push_status = :status, push_reason = :reason "
                    "WHERE change_id = :change_id"
                ),
                [{"change_id": c, "status": s, "reason": r} for c, s, r in results],
            )

    def requeue_all_local(self) -> int:
        """After the server lost data (restored from a backup), send every local change again."""
        with self.unit_of_work() as session:
            result = session.execute(
                text("UPDATE ledger_change_log SET pushed = 0, push_status = '' WHERE origin = 'local'")
            )
            self._audit(session, "requeue_outbox")
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def apply_remote(
        self,
        changes: Iterable[dict[str, Any]],
        *,
        drop: Iterable[tuple[str, str]] = (),
        meta: dict[str, str] | None = None,
        log: bool = True,
    ) -> int:
        """Merge pulled changes field by field (higher HLC wins) in one transaction with `meta`
        (the new cursor), so a crash never leaves a page applied without its cursor or vice versa.

        A field with an unsent local change is left alone: the push decides, and the winner
        comes back on the next pull. Returns the number of fields changed.
        """
        applied = 0
        with self.unit_of_work() as session:
            pending = {
                (e, r, f)
                for e, r, f in session.execute(
                    text("SELECT entity, row_id, field FROM ledger_change_log WHERE origin='local' AND pushed=0")
                )
            }
            touched_children: set[str] = set()
            log_rows: list[dict[str, Any]] = []
            for change in changes:
                entity = Entity(change["entity"])
                table = TABLES[entity]
                kinds = spec(entity).fields
                field = change["field"]
                self._clock.observe(change["hlc"])
                if field not in kinds or (entity.value, change["row_id"], field) in pending:
                    continue
                row = session.get(table, change["row_id"])
                if row is None:
                    row = table(id=change["row_id"], division_code=change["division_code"])
                    session.add(row)
                if clocks.field_clock(row.clocks, field) >= change["hlc"]:
                    continue
                setattr(row, field, from_wire(kinds[field], change["value"]))
                row.clocks = clocks.stamp(row.clocks, [field], change["hlc"], whole_row=False)
                applied += 1
                if log:
                    log_rows.append(
                        {
                            "change_id": change["change_id"] + ":" + change["device_id"],
                            "entity": entity.value,
                            "row_id": change["row_id"],
                            "division_code": change["division_code"],
                            "field": field,
                            "value": change["value"],
                            "hlc": change["hlc"],
                            "device_id": change["device_id"],
                            "actor": "",
                            "origin": "remote",
                            "pushed": True,
                        }
                    )
                child_id = row.id if entity is Entity.CHILD else getattr(row, "child_id", None)
                if child_id:
                    touched_children.add(child_id)
            for entity_name, row_id in drop:
                table = TABLES[Entity(entity_name)]
                row = session.get(table, row_id)
                if row is not None:
                    session.delete(row)
                    touched_children.discard(row_id)
            if log_rows:
                session.execute(
                    text(
                        "INSERT OR IGNORE INTO ledger_change_log (change_id, entity, row_id, division_code, field, "
                        "value, hlc, device_id, actor, origin, pushed, push_status, push_reason) VALUES "
                        "(:change_id, :entity, :row_id, :division_code, :field, :value, :hlc, :device_id, :actor, "
                        ":origin, :pushed, '', '')"
                    ),
                    [{**r, "value": json.dumps(r["value"], ensure_ascii=False)} for r in log_rows],
                )
            session.flush()
            for child_id in touched_children:
                child = session.get(Child, child_id)
                if child is not None and child.name:
                    self._refresh_child(session, child)
            for key, value in (meta or {}).items():
                session.merge(Meta(key=key, value=value))
            if applied:
                self._audit(session, "sync_apply", detail=str(applied))
        return applied

    def import_changes(self, changes: list[dict[str, Any]]) -> int:
        """Changes carried in from another device (a sneakernet bundle): merge them here and
        queue them for the server under their own ids and clocks, so a repeat is a no-op."""
        applied = self.apply_remote(changes, log=False)
        with self.unit_of_work() as session:
            session.execute(
                text(
                    "INSERT OR IGNORE INTO ledger_change_log (change_id, entity, row_id, division_code, field, "
                    "value, hlc, device_id, actor, origin, pushed, push_status, push_reason) VALUES "
                    "(:change_id, :entity, :row_id, :division_code, :field, :value, :hlc, :device_id, '', "
                    "'local', 0, '', '')"
                ),
                [{**c, "value": json.dumps(c["value"], ensure_ascii=False)} for c in changes],
            )
        return applied

    def apply_snapshot(self, rows: Iterable[dict[str, Any]], *, meta: dict[str, str] | None = None) -> int:
        """Load whole rows (the server's initial download, or demo data) in one transaction.

        Rows not yet on file are inserted in bulk without change-log entries (they are the
        server's state, not edits); rows already here are merged field by field as in a pull.
        Derived columns are recomputed for all touched children at the end, in bulk.
        """
        rows = list(rows)
        with self.unit_of_work() as session:
            by_entity: dict[Entity, list[dict[str, Any]]] = {}
            for row in rows:
                by_entity.setdefault(Entity(row["entity"]), []).append(row)
            merges: list[dict[str, Any]] = []
            touched: set[str] = set()
            for entity, group in by_entity.items():
                table: Any = TABLES[entity]
                kinds = spec(entity).fields
                ids = [r["row_id"] for r in group]
                existing: set[str] = set()
                for chunk_start in range(0, len(ids), 900):
                    chunk = ids[chunk_start : chunk_start + 900]
                    existing.update(session.scalars(select(col(table.id)).where(col(table.id).in_(chunk))))
                inserts = []
                for r in group:
                    if r["row_id"] in existing:
                        merges.extend(
                            {
                                "change_id": f"snapshot:{r['row_id']}:{f}",
                                "entity": entity.value,
                                "row_id": r["row_id"],
                                "division_code": r["division_code"],
                                "field": f,
                                "value": value,
                                "hlc": r["clocks"].get(f, ""),
                                "device_id": "server",
                            }
                            for f, value in r["values"].items()
                            if r["clocks"].get(f)
                        )
                        continue
                    record = {f: from_wire(kinds[f], value) for f, value in r["values"].items() if f in kinds}
                    record.update(id=r["row_id"], division_code=r["division_code"], clocks=clocks.compact(r["clocks"]))
                    record.setdefault("deleted", False)
                    inserts.append(record)
                    for hlc in r["clocks"].values():
                        self._clock.observe(hlc)
                    child_id = r["row_id"] if entity is Entity.CHILD else r["values"].get("child_id")
                    if child_id:
                        touched.add(child_id)
                if inserts:
                    # Columns differ between rows only by omission; fill the gaps with defaults
                    # so that one executemany covers the whole group.
                    columns = set().union(*(i.keys() for i in inserts))
                    defaults = {c.name: column_default(c) for c in table.__table__.columns if c.name in columns}
                    session.execute(insert(table), [{**defaults, **i} for i in inserts])
            if merges:
                self.apply_remote(merges, log=False)
            self._refresh_children_bulk(session, touched)
            for key, value in (meta or {}).items():
                session.merge(Meta(key=key, value=value))
            self._audit(session, "snapshot_load", detail=str(len(rows)))
        return len(rows)

    def _refresh_children_bulk(self, session: Session, child_ids: set[str]) -> None:
        """The derived columns of many children at once: a few grouped queries, one executemany."""
        if not child_ids:
            return
        session.flush()
        last_visit: dict[str, str] = {}
        last_contact: dict[str, str] = {}
        care: dict[str, str] = {}
        level: dict[str, str] = {}
        gathered: list[tuple[dict[str, str], str]] = [
            (last_visit, "SELECT child_id, max(visit_date) FROM visit WHERE deleted = 0 AND child_id IN ({}) GROUP BY child_id"),
            (last_contact, "SELECT child_id, max(contact_date) FROM parent_contact WHERE deleted = 0 AND child_id IN ({}) GROUP BY child_id"),
            (care, "SELECT child_id, care_type FROM care_arrangement WHERE deleted = 0 AND child_id IN ({})"),
            # Ordered, so the newest assessment of each child is the one left in the dict.
            (level, "SELECT child_id, level FROM assessment WHERE deleted = 0 AND child_id IN ({}) ORDER BY assessed_on, id"),
        ]
        ids = sorted(child_ids)
        # Only the touched children, in chunks under SQLite's parameter limit: a whole-table
        # GROUP BY per batch would make a large download quadratic.
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            marks = ",".join("?" * len(chunk))
            raw = session.connection().exec_driver_sql
            for target, sql in gathered:
                for child_id, value in raw(sql.format(marks), tuple(chunk)):
                    target[child_id] = value
        updates = []
        children: list[Any] = []
        for start in range(0, len(ids), 900):
            children += session.execute(
                select(
                    col(Child.id), col(Child.name), col(Child.categories), col(Child.birth_date), col(Child.registered_on), col(Child.archived),
                    col(Child.guardianship_type),
                ).where(col(Child.id).in_(ids[start : start + 900]))
            ).all()
        for cid, name, categories, birth, registered, archived, gtype in children:
            visit_date = date.fromisoformat(last_visit[cid]) if last_visit.get(cid) else None
            categories = categories or []
            risk, due = schedule(
                self._policy,
                level=level.get(cid, ""),
                care_type=care.get(cid) or "",
                guardianship_type=gtype or "",
                categories=categories,
                last_visit=visit_date,
                registered_on=registered,
                archived=bool(archived),
            )
            updates.append(
                {
                    "b_id": cid,
                    "name_initials": pinyin_initials(name) if name else "",
                    "name_pinyin": pinyin_full(name) if name else "",
                    "care_type": care.get(cid) or "",
                    "guardianship_level": level.get(cid, ""),
                    "risk_level": risk,
                    "last_visit_date": visit_date,
                    "last_contact_date": date.fromisoformat(last_contact[cid]) if last_contact.get(cid) else None,
                    "next_visit_due": due,
                    "age_out_on": rules.age_out_date(birth, categories) if birth else None,
                }
            )
        if updates:
            from sqlalchemy import bindparam, update

            table = Child.__table__  # type: ignore[attr-defined]
            stmt = (
                update(table)
                .where(table.c.id == bindparam("b_id"))
                .values({k: bindparam(k) for k in updates[0] if k != "b_id"})
            )
            session.execute(stmt, updates)

    def field_clocks(self, entity: Entity | str, row_id: str) -> dict[str, str]:
        with self.reading() as session:
            row = session.get(TABLES[Entity(entity)], row_id)
            return clocks.expand(row.clocks, spec(entity).fields) if row else {}


def column_default(column: Any) -> Any:
    if column.default is not None and column.default.is_scalar:
        return column.default.arg
    if column.default is not None and column.default.is_callable:
        return column.default.arg(None)
    return None
