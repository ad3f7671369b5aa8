"""The replica side of the ledger: the outbox, merging pulled changes and snapshots, file blobs.

Mixed into `Ledger`; kept apart so the service API of the record types stays readable.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime
from json.encoder import encode_basestring
from json.encoder import encode_basestring_ascii as encode_ascii
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import JSON, bindparam, func, select, text, update
from sqlmodel import Session, col

from ..domain import rules
from ..domain.enums import Role
from ..domain.names import pinyin_full, pinyin_initials
from ..domain.records import Entity, FieldKind, spec
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
        changes: Iterable[Mapping[str, Any]],
        *,
        drop: Iterable[tuple[str, str]] = (),
        meta: dict[str, str] | None = None,
        log: bool = True,
    ) -> int:
        """Merge pulled changes field by field (higher HLC wins) in one transaction with `meta`
        (the new cursor), so a crash never leaves a page applied without its cursor or vice versa.

        A field with an unsent local change is left alone: the push decides, and the winner
        comes back on the next pull. Rows in `drop` left this ledger's jurisdiction and are
        removed after the changes are applied. Returns the number of fields changed.
        """
        changes = changes if isinstance(changes, list) else list(changes)
        with self.unit_of_work() as session:
            applied, touched = self._merge_changes(session, changes, log=log)
            touched |= self._drop_rows(session, drop)
            self._refresh_children_bulk(session, touched)
            self._put_meta(session, meta)
            if applied:
                self._audit(session, "sync_apply", detail=str(applied))
        return applied

    def _merge_changes(self, session: Session, changes: Sequence[Mapping[str, Any]], *, log: bool) -> tuple[int, set[str]]:
        """The merge of `apply_remote` on Core rows: each touched row's clocks are read once (in
        chunked IN queries), the winning fields decided here, and the writes go out as one
        executemany per entity and column set. Returns (fields applied, children whose derived
        columns need recomputing)."""
        if not changes:
            return 0, set()
        from .service import DERIVED_FROM  # service imports this module

        session.flush()  # ORM writes of an enclosing unit of work must be visible to the SQL below
        conn = session.connection()
        self._observe([change["hlc"] for change in changes])
        pending = set(
            conn.exec_driver_sql("SELECT entity, row_id, field FROM ledger_change_log WHERE origin = 'local' AND pushed = 0")
        )
        # entity -> row_id -> its changes in page order (the order decides between equal fields).
        grouped: dict[Entity, dict[str, list[Mapping[str, Any]]]] = {}
        entities: dict[str, Entity] = {}
        for change in changes:
            name = change["entity"]
            entity = entities.get(name)
            if entity is None:
                entity = entities[name] = Entity(name)
            field = change["field"]
            if field not in spec(entity).fields or (pending and (name, change["row_id"], field) in pending):
                continue
            grouped.setdefault(entity, {}).setdefault(change["row_id"], []).append(change)

        applied = 0
        touched: set[str] = set()
        log_rows: list[tuple[Any, ...]] = []
        for entity, rows in grouped.items():
            table: Any = TABLES[entity].__table__  # type: ignore[attr-defined]
            kinds = spec(entity).fields
            has_child = "child_id" in kinds
            current = self._current_clocks(session, table.name, list(rows), with_child=has_child)
            inserts: list[dict[str, Any]] = []
            updates: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for row_id, row_changes in rows.items():
                found = current.get(row_id)
                row_clocks = dict(found[0]) if found is not None else {}
                values: dict[str, Any] = {}
                for change in row_changes:
                    field, hlc = change["field"], change["hlc"]
                    if clocks.field_clock(row_clocks, field) >= hlc:
                        continue
                    values[field] = change["value"]
                    row_clocks[field] = hlc  # = clocks.stamp(..., whole_row=False)
                    applied += 1
                    if log:
                        log_rows.append(
                            (
                                change["change_id"] + ":" + change["device_id"], entity.value, row_id,
                                change["division_code"], field, _json_text(change["value"]),
                                hlc, change["device_id"],
                            )
                        )
                if not values:
                    continue
                record = {field: from_wire(kinds[field], value) for field, value in values.items()}
                record["clocks"] = row_clocks
                if found is None:
                    record.setdefault("division_code", row_changes[0]["division_code"])
                    record["id"] = row_id
                    inserts.append(record)
                else:
                    record["b_id"] = row_id
                    updates.setdefault(tuple(sorted(record)), []).append(record)
                if entity is Entity.CHILD:
                    if found is None or not _CHILD_INPUTS.isdisjoint(values):
                        touched.add(row_id)
                elif entity in DERIVED_FROM:
                    touched.update(filter(None, (values.get("child_id"), found[1] if found is not None else None)))
            if inserts:
                _insert_many(session, table, inserts)
            for columns, group in updates.items():
                stmt = (
                    update(table)
                    .where(table.c.id == bindparam("b_id"))
                    .values({c: bindparam(c) for c in columns if c != "b_id"})
                )
                session.execute(stmt, group)
        _log_changes(session, log_rows, origin="remote")
        return applied, touched

    def _current_clocks(
        self, session: Session, table_name: str, ids: list[str], *, with_child: bool
    ) -> dict[str, tuple[dict[str, str], str | None]]:
        """row id -> (its clocks, its child_id) for the ids on file, in chunks under SQLite's parameter limit."""
        raw = session.connection().exec_driver_sql
        columns = "id, clocks" + (", child_id" if with_child else "")
        found: dict[str, tuple[dict[str, str], str | None]] = {}
        for start in range(0, len(ids), _IN_CHUNK):
            chunk = ids[start : start + _IN_CHUNK]
            sql = f'SELECT {columns} FROM "{table_name}" WHERE id IN ({",".join("?" * len(chunk))})'
            for record in raw(sql, tuple(chunk)):
                found[record[0]] = (json.loads(record[1]) if record[1] else {}, record[2] if with_child else None)
        return found

    def _drop_rows(self, session: Session, drop: Iterable[tuple[str, str]]) -> set[str]:
        """Remove rows that left this ledger's jurisdiction; returns the children (still here)
        whose derived columns came partly from a removed row."""
        from .service import DERIVED_FROM

        by_entity: dict[Entity, list[str]] = {}
        for entity_name, row_id in drop:
            by_entity.setdefault(Entity(entity_name), []).append(row_id)
        if not by_entity:
            return set()
        session.flush()
        raw = session.connection().exec_driver_sql
        touched: set[str] = set()
        for entity, ids in by_entity.items():
            name = TABLES[entity].__table__.name  # type: ignore[attr-defined]
            if entity in DERIVED_FROM:
                touched.update(child for _, child in self._current_clocks(session, name, ids, with_child=True).values() if child)
            raw(f'DELETE FROM "{name}" WHERE id = ?', [(row_id,) for row_id in ids])
        return touched - set(by_entity.get(Entity.CHILD, ()))

    def _observe(self, hlcs: Iterable[str]) -> None:
        """Move the clock past the latest of many pulled clocks at once (what observing each one
        in turn would do): a clock too far ahead is not adopted, so the next one down is tried."""
        seen = hlcs if isinstance(hlcs, list) else list(hlcs)
        if not seen:
            return
        if self._adopt(max(seen)) is not None:
            return
        # The latest was refused as too far ahead: the next ones down, until one is not.
        for hlc in sorted(set(seen), reverse=True)[1:]:
            if self._adopt(hlc) is not None:
                return

    def _adopt(self, hlc: str) -> bool | None:
        """Observe one clock: True if adopted, False if not newer than ours, None if refused as too far ahead."""
        before = self._clock.last
        # Encoded clocks order as text: milliseconds (13) '-' counter (6) come first.
        if hlc[:20] <= before[:20]:
            return False
        self._clock.observe(hlc)
        return True if self._clock.last != before else None

    def _put_meta(self, session: Session, meta: dict[str, str] | None) -> None:
        if meta:
            session.connection().exec_driver_sql(
                "INSERT OR REPLACE INTO ledger_meta (key, value) VALUES (?, ?)", list(meta.items())
            )

    def import_changes(self, changes: list[dict[str, Any]]) -> int:
        """Changes carried in from another device (a sneakernet bundle): merge them here and
        queue them for the server under their own ids and clocks, so a repeat is a no-op."""
        with self.unit_of_work() as session:
            applied = self.apply_remote(changes, log=False)
            _log_changes(
                session,
                [
                    (c["change_id"], c["entity"], c["row_id"], c["division_code"], c["field"],
                     _json_text(c["value"]), c["hlc"], c["device_id"])
                    for c in changes
                ],
                origin="local",
            )
        return applied

    def apply_snapshot(
        self,
        rows: Iterable[dict[str, Any]],
        *,
        meta: dict[str, str] | None = None,
        derive: Literal["touched", "later", "all"] = "touched",
    ) -> int:
        """Load whole rows (the server's initial download, or demo data) in one transaction.

        Rows not yet on file are inserted in bulk without change-log entries (they are the
        server's state, not edits); rows already here are merged field by field as in a pull.
        Derived columns of children: `touched` recomputes those of the children these rows
        touch; a download in pages passes `later` for every page but the last and `all` for
        the last, so each child is derived once however many pages its records span (a download
        cut off and resumed ends with the same last page).
        """
        rows = rows if isinstance(rows, list) else list(rows)
        from .service import DERIVED_FROM

        with self.unit_of_work() as session:
            session.flush()
            self._observe([hlc for row in rows for hlc in row["clocks"].values()])
            by_entity: dict[Entity, list[dict[str, Any]]] = {}
            for row in rows:
                by_entity.setdefault(Entity(row["entity"]), []).append(row)
            merges: list[dict[str, Any]] = []
            touched: set[str] = set()
            for entity, group in by_entity.items():
                table: Any = TABLES[entity].__table__  # type: ignore[attr-defined]
                kinds = spec(entity).fields
                convert = {f: k for f, k in kinds.items() if k in (FieldKind.DATE, FieldKind.DATETIME)}
                feeds_child = entity is Entity.CHILD or entity in DERIVED_FROM
                existing = self._current_clocks(session, table.name, [r["row_id"] for r in group], with_child=False)
                inserts = []
                for r in group:
                    row_id, values, row_clocks = r["row_id"], r["values"], r["clocks"]
                    if row_id in existing:
                        merges.extend(
                            {
                                "change_id": f"snapshot:{row_id}:{f}",
                                "entity": entity.value,
                                "row_id": row_id,
                                "division_code": r["division_code"],
                                "field": f,
                                "value": value,
                                "hlc": row_clocks.get(f, ""),
                                "device_id": "server",
                            }
                            for f, value in values.items()
                            if row_clocks.get(f)
                        )
                        continue
                    record = dict(values) if values.keys() <= kinds.keys() else {f: v for f, v in values.items() if f in kinds}
                    for f in convert.keys() & record.keys():
                        if record[f] is not None:
                            record[f] = from_wire(convert[f], record[f])
                    record["id"] = row_id
                    record["division_code"] = r["division_code"]
                    record["clocks"] = _compact(row_clocks)
                    inserts.append(record)
                    if feeds_child:
                        child_id = row_id if entity is Entity.CHILD else values.get("child_id")
                        if child_id:
                            touched.add(child_id)
                if inserts:
                    _insert_many(session, table, inserts)
            if merges:
                touched |= self._merge_changes(session, merges, log=False)[1]
            if derive == "all":
                touched = set(session.connection().exec_driver_sql("SELECT id FROM child").scalars())
            if derive != "later":
                self._refresh_children_bulk(session, touched)
            self._put_meta(session, meta)
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
        raw = session.connection().exec_driver_sql
        for start in range(0, len(ids), _IN_CHUNK):
            chunk = ids[start : start + _IN_CHUNK]
            marks = ",".join("?" * len(chunk))
            for target, sql in gathered:
                for child_id, value in raw(sql.format(marks), tuple(chunk)).all():
                    target[child_id] = value
        updates = []
        children: list[Any] = []
        for start in range(0, len(ids), _IN_CHUNK):
            children += session.execute(
                select(
                    col(Child.id), col(Child.name), col(Child.categories), col(Child.birth_date), col(Child.registered_on), col(Child.archived),
                    col(Child.guardianship_type), col(Child.deleted),
                ).where(col(Child.id).in_(ids[start : start + _IN_CHUNK]))
            ).all()
        for cid, name, categories, birth, registered, archived, gtype, deleted in children:
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
                archived=bool(archived) or bool(deleted),
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


# Child fields its derived columns come from (besides its visits, contacts, care and assessments).
_CHILD_INPUTS = frozenset({"name", "categories", "birth_date", "registered_on", "archived", "guardianship_type", "deleted"})
_IN_CHUNK = 900  # ids per IN (...): under SQLite's parameter limit


def _compact(per_field: dict[str, str]) -> dict[str, str]:
    """clocks.compact, with the common case (one write of the whole row) first."""
    distinct = set(per_field.values())
    if len(distinct) == 1:
        return {clocks.ROW: distinct.pop()}
    return clocks.compact(per_field)


def _log_changes(session: Session, rows: list[tuple[Any, ...]], *, origin: Literal["local", "remote"]) -> None:
    """Change-log entries (change_id, entity, row_id, division_code, field, value as JSON text,
    hlc, device_id) in one executemany; an id already logged is kept. Remote ones are never
    pushed; local ones join the outbox."""
    if rows:
        session.connection().exec_driver_sql(
            "INSERT OR IGNORE INTO ledger_change_log (change_id, entity, row_id, division_code, field, value, hlc, "
            "device_id, actor, origin, pushed, push_status, push_reason) "
            f"VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', '{origin}', {int(origin == 'remote')}, '', '')",
            rows,
        )


def _insert_many(session: Session, table: Any, records: list[dict[str, Any]]) -> None:
    """INSERT rows, each column a record leaves out filled with its default (as the ORM's
    constructor would), in one executemany; each value goes through its column type's bind
    processor as SQLAlchemy would do, without the per-row parameter machinery that cost more
    than SQLite itself on a township download."""
    conn = session.connection()
    sql, names, defaults, processors = _insert_plan(table, conn.dialect)
    pick = itemgetter(*names)
    width = len(names)
    params: list[tuple[Any, ...]] = []
    for record in records:
        values = list(pick(record if len(record) == width else {**defaults, **record}))
        for i, processor in processors:
            values[i] = processor(values[i])
        params.append(tuple(values))
    conn.exec_driver_sql(sql, params)


_INSERT_PLANS: dict[tuple[str, str], tuple[str, list[str], dict[str, Any], list[tuple[int, Any]]]] = {}


def _insert_plan(table: Any, dialect: Any) -> tuple[str, list[str], dict[str, Any], list[tuple[int, Any]]]:
    """The INSERT of all a table's columns, their defaults and bind processors; built once (the
    type lookups cost more than a small page's rows)."""
    key = (table.name, dialect.name)
    plan = _INSERT_PLANS.get(key)
    if plan is None:
        columns = list(table.columns)
        names = [c.name for c in columns]
        defaults = {c.name: column_default(c) for c in columns}
        processors = [
            (i, _dump_json if isinstance(c.type, JSON) else processor)
            for i, c in enumerate(columns)
            if (processor := c.type.dialect_impl(dialect).bind_processor(dialect)) is not None
        ]
        quoted = ", ".join(f'"{n}"' for n in names)
        sql = f'INSERT INTO "{table.name}" ({quoted}) VALUES ({", ".join("?" * len(names))})'
        plan = _INSERT_PLANS[key] = (sql, names, defaults, processors)
    return plan


def _dump_json(value: Any) -> str:
    """What a JSON column stores (json.dumps, as SQLAlchemy's JSON type writes it), with the
    shapes most values have (clocks, lists of codes) built directly: same text, a third of the time."""
    kind = type(value)
    if kind is dict and all(type(k) is str and type(v) is str for k, v in value.items()):
        return "{" + ", ".join(encode_ascii(k) + ": " + encode_ascii(v) for k, v in value.items()) + "}"
    if kind is list and all(type(v) is str for v in value):
        return "[" + ", ".join(map(encode_ascii, value)) + "]"
    return json.dumps(value)


def _json_text(value: Any) -> str:
    """json.dumps(value, ensure_ascii=False), with strings (most values) the short way."""
    if type(value) is str:
        text: str = encode_basestring(value)
        return text
    return json.dumps(value, ensure_ascii=False)


def column_default(column: Any) -> Any:
    if column.default is not None and column.default.is_scalar:
        return column.default.arg
    if column.default is not None and column.default.is_callable:
        return column.default.arg(None)
    return None
