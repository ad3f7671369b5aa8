"""Many children written at once (an Excel import): each step validated as the service validates
it, the writes held in memory and sent to the file in bulk.

`ChildBatch` offers the service's child calls (create_child, update_child, set_parent, set_care,
find_child_by_id_number) with the same normalisation and rules (the functions service.py uses
itself), the same change-log rows (one per changed field, each write at its own HLC) and the
same audit rows, in the same order. What differs is only how they reach SQLite: the records are
kept as plain dicts, the service's per-row ORM flushes and SELECTs become a few chunked reads up
front and one executemany per table at `flush`, and derived columns are computed for all touched
children together (`_refresh_children_bulk`), for those whose fields or care changed (the
service recomputes after every update_child, which changes nothing when nothing changed).

    with ledger.unit_of_work(), ChildBatch(ledger) as batch:
        batch.prefetch(id_numbers)
        with batch.row():          # all of a row's writes, or none of them
            child = batch.create_child(**fields)
            batch.set_parent(child.id, "father", **father)

A row whose step raises leaves nothing behind (its writes are dropped from memory, nothing has
reached the file yet). `flush` runs on leaving the batch and every `flush_every` rows; until
then the batch's writes are only in memory, so a service call in the same unit of work would
not see them (flush first). Everything stays inside the caller's one transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from sqlalchemy import bindparam, literal_column, select, update
from sqlmodel import Session

from ..domain.records import Entity, spec
from ..domain.validators import parse_id_number
from . import audit, clocks
from .errors import NotFound
from .replica import _insert_many, column_default
from .service import (
    CHILD_FIELDS,
    Ledger,
    check_child,
    check_parent_relation,
    merged_child,
    parent_conditions,
    write_audit,
)
from .tables import TABLES, ChangeLogEntry, Child
from .validation import normalize

_CHUNK = 900  # values per IN (...): under SQLite's parameter limit
_CACHE_SIZE = -256 * 1024  # KiB, while a batch is open (the writer's own is 16 MiB)
_ROWID: Any = literal_column("rowid")  # file order, as the service's unordered queries meet rows


@dataclass(eq=False, slots=True)
class _Record:
    """One row as the batch knows it: every column's value, its clocks, and what is unsent."""

    entity: Entity
    values: dict[str, Any]  # every column, "id" included
    new: bool  # not in the file yet: INSERT at flush
    dirty: set[str] = field(default_factory=set)  # columns to UPDATE at flush (rows on file)
    queued: bool = False  # written since the last flush

    @property
    def id(self) -> str:
        return str(self.values["id"])


@dataclass(eq=False, slots=True)
class _File:
    """A child with the records the service's child calls read: family members and care."""

    child: _Record
    family: list[_Record]  # not deleted, in file order
    care: list[_Record]


@dataclass(frozen=True, slots=True)
class ChildRef:
    """What the batch's calls return of a child (the service returns the ORM row)."""

    id: str
    division_code: str
    name: str


class ChildBatch:
    def __init__(self, ledger: Ledger, *, flush_every: int = 1000) -> None:
        self._ledger = ledger
        self._flush_every = flush_every
        self._session: Session | None = None
        self._cache_size: Any = None
        self._columns = {entity: list(table.__table__.columns) for entity, table in TABLES.items()}  # type: ignore[attr-defined]
        self._files: dict[str, _File] = {}
        # ID number -> the files with that number (not deleted), in file order; a number is a
        # key once every child on file with it has been read.
        self._by_id_number: dict[str, list[_File]] = {}
        self._records: list[_Record] = []  # every record with unsent writes, in first-write order
        self._others: dict[tuple[Entity, str], _Record] = {}  # rows moved with a child (not family, care)
        self._log: list[dict[str, Any]] = []
        self._audit: list[audit.Pending] = []
        self._derive: set[str] = set()  # children whose derived columns must be recomputed
        self._undo: list[Callable[[], Any]] | None = None
        self._rows_since_flush = 0

    # ---- the batch's transaction ---------------------------------------------------------------

    def __enter__(self) -> ChildBatch:
        # Joins the caller's unit of work; the batch never opens a transaction of its own.
        if getattr(self._ledger._local, "session", None) is None:
            raise RuntimeError("ChildBatch needs an open ledger.unit_of_work()")
        self._session = self._ledger._local.session
        self._session.flush()  # what the unit of work wrote before the batch is what it reads
        # The change log's indexes take rows in random order (change ids, row ids): past the
        # writer's page cache each insert would decrypt and re-encrypt a page. A larger cache
        # for the batch's life keeps them in memory (SQLite takes pages as it needs them).
        conn = self._session.connection()
        self._cache_size = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        conn.exec_driver_sql(f"PRAGMA cache_size = {_CACHE_SIZE}")
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        try:
            if kind is None:
                self.flush()
        finally:
            self.session.connection().exec_driver_sql(f"PRAGMA cache_size = {int(self._cache_size)}")
            self._session = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("ChildBatch used outside its `with` block")
        return self._session

    @contextmanager
    def row(self) -> Iterator[None]:
        """All writes inside are kept together, or dropped together when it raises."""
        marks = (len(self._records), len(self._log), len(self._audit))
        self._undo = []
        try:
            yield
        except BaseException:
            for undo in reversed(self._undo):
                undo()
            del self._records[marks[0]:], self._log[marks[1]:], self._audit[marks[2]:]
            raise
        finally:
            self._undo = None
        self._rows_since_flush += 1
        if self._rows_since_flush >= self._flush_every:
            self.flush()

    def _remember(self, undo: Callable[[], Any]) -> None:
        if self._undo is not None:
            self._undo.append(undo)

    # ---- reading what is on file ---------------------------------------------------------------

    def prefetch(self, id_numbers: Iterable[str]) -> None:
        """Read the children with these ID numbers, their parents and care, in a few queries."""
        wanted = sorted({n for n in id_numbers if n and n not in self._by_id_number})
        for start in range(0, len(wanted), _CHUNK):
            self._load_id_numbers(wanted[start:start + _CHUNK])

    def _load_id_numbers(self, numbers: list[str]) -> None:
        table = Child.__table__  # type: ignore[attr-defined]
        rows = self.session.execute(
            select(table).where(table.c.id_number.in_(numbers), table.c.deleted == False).order_by(_ROWID)  # noqa: E712
        ).mappings()
        for number in numbers:
            self._by_id_number.setdefault(number, [])
        loaded: list[_File] = []
        for values in rows:
            file = self._files.get(values["id"])
            if file is None:
                file = self._files[values["id"]] = _File(_Record(Entity.CHILD, dict(values), new=False), [], [])
                loaded.append(file)
            elif file.child.values["id_number"] != values["id_number"]:
                continue  # its number changed in this batch: it is listed under the new one
            self._by_id_number[values["id_number"]].append(file)
        self._load_children_records([f.child.id for f in loaded])

    def _load_child(self, child_id: str) -> _File | None:
        table = Child.__table__  # type: ignore[attr-defined]
        values = self.session.execute(select(table).where(table.c.id == child_id)).mappings().first()
        if values is None or values["deleted"]:
            return None
        file = _File(_Record(Entity.CHILD, dict(values), new=False), [], [])
        self._files[child_id] = file
        self._load_children_records([child_id])
        return file

    def _load_children_records(self, child_ids: list[str]) -> None:
        for entity in (Entity.FAMILY_MEMBER, Entity.CARE_ARRANGEMENT):
            table = TABLES[entity].__table__  # type: ignore[attr-defined]
            for start in range(0, len(child_ids), _CHUNK):
                chunk = child_ids[start:start + _CHUNK]
                stmt = select(table).where(table.c.child_id.in_(chunk), table.c.deleted == False)  # noqa: E712
                for values in self.session.execute(stmt.order_by(_ROWID)).mappings():
                    file = self._files[values["child_id"]]
                    target = file.family if entity is Entity.FAMILY_MEMBER else file.care
                    target.append(_Record(entity, dict(values), new=False))

    def _file(self, child_id: str) -> _File:
        file = self._files.get(child_id) or self._load_child(child_id)
        if file is None or file.child.values["deleted"]:
            raise NotFound(Entity.CHILD.value, child_id)
        return file

    def _with_id_number(self, id_number: str) -> list[_File]:
        if id_number not in self._by_id_number:
            self._load_id_numbers([id_number])
        return [f for f in self._by_id_number[id_number] if not f.child.values["deleted"]]

    # ---- the service's child calls -------------------------------------------------------------

    def find_child_by_id_number(self, id_number: str) -> ChildRef | None:
        files = self._with_id_number(parse_id_number(id_number).value)
        return _ref(files[0]) if files else None

    def create_child(self, **fields: Any) -> ChildRef:
        ledger = self._ledger
        values = ledger._new_child_values(fields)
        check_child(values, duplicate_name=self._duplicate_name(None), parents=lambda: (None, None))
        ledger._require_in_scope(values["division_code"])
        child_id = str(uuid.uuid4())
        record = self._new(Entity.CHILD, child_id, values.pop("division_code"))
        file = _File(record, [], [])
        self._files[child_id] = file
        self._remember(lambda: self._files.pop(child_id))
        self._write(record, values, created=True)
        self._index(file, values.get("id_number") or "")
        self._derive_later(child_id)
        return _ref(file)

    def update_child(self, child_id: str, **fields: Any) -> ChildRef:
        values = normalize("child", fields)
        file = self._file(child_id)
        child = file.child.values
        current = {name: child[name] for name in CHILD_FIELDS}
        merged = merged_child(current, values, fields, care_type=_care_type(file))
        check_child(
            merged,
            duplicate_name=self._duplicate_name(child_id),
            parents=lambda: parent_conditions((r.values["relation"], r.values["condition"]) for r in file.family),
        )
        if "division_code" in values:
            self._ledger._require_in_scope(values["division_code"])
        old_number = child["id_number"]
        if self._write(file.child, values, created=False):
            # The service refreshes the derived columns after every update; with nothing
            # changed they come out as stored, so the batch leaves them (and the row) alone.
            self._derive_later(child_id)
        if child["id_number"] != old_number:
            self._unindex(file, old_number)
            self._index(file, child["id_number"])
        if "division_code" in values:
            self._move_records(file)
        return _ref(file)

    def set_parent(self, child_id: str, relation: str, **fields: Any) -> None:
        check_parent_relation(relation)
        self._upsert(Entity.FAMILY_MEMBER, child_id, {"relation": relation, **fields}, relation=relation)

    def set_care(self, child_id: str, **fields: Any) -> None:
        self._upsert(Entity.CARE_ARRANGEMENT, child_id, fields, relation=None)

    def _upsert(self, entity: Entity, child_id: str, fields: dict[str, Any], *, relation: str | None) -> None:
        """service._upsert_child_record: the child's first matching record, else a new one."""
        values = normalize(entity.value, fields)
        file = self._file(child_id)
        records = file.family if entity is Entity.FAMILY_MEMBER else file.care
        record = next(
            (r for r in records if not r.values["deleted"] and (relation is None or r.values["relation"] == relation)),
            None,
        )
        created = record is None
        if record is None:
            record = self._new(entity, str(uuid.uuid4()), file.child.values["division_code"])
            values["child_id"] = child_id
            records.append(record)
            self._remember(records.pop)
        if self._write(record, values, created=created) and entity is Entity.CARE_ARRANGEMENT:
            self._derive_later(child_id)  # the child's care_type is derived from its care

    def _duplicate_name(self, child_id: str | None) -> Any:
        def duplicate(id_number: str) -> str | None:
            others = [f for f in self._with_id_number(id_number) if f.child.id != (child_id or "")]
            return str(others[0].child.values["name"]) if others else None

        return duplicate

    def _move_records(self, file: _File) -> None:
        """service._move_child_rows: every record of the child follows it to its new village."""
        division = file.child.values["division_code"]
        own = {r.id: r for r in (*file.family, *file.care)}
        for entity, table in TABLES.items():
            if "child_id" not in spec(entity).fields:
                continue
            sql_table = table.__table__  # type: ignore[attr-defined]
            on_file = self.session.execute(
                select(sql_table.c.id, sql_table.c.division_code, sql_table.c.clocks)
                .where(sql_table.c.child_id == file.child.id)
                .order_by(_ROWID)
            ).all()
            records: list[_Record] = []
            for row_id, row_division, row_clocks in on_file:
                record = own.pop(row_id, None) or self._others.get((entity, row_id))
                if record is None:
                    record = _Record(entity, {"id": row_id, "division_code": row_division, "clocks": row_clocks}, new=False)
                    self._others[(entity, row_id)] = record
                records.append(record)
            records += [r for r in own.values() if r.entity is entity and r.new]
            for record in records:
                if record.values["division_code"] != division:
                    self._write(record, {"division_code": division}, created=False)

    # ---- the write path, in memory -------------------------------------------------------------

    def _new(self, entity: Entity, row_id: str, division_code: str) -> _Record:
        # Every column, each unset one at its default as the ORM's constructor would set it.
        values = {column.name: column_default(column) for column in self._columns[entity]}
        values.update(id=row_id, division_code=division_code)
        return _Record(entity, values, new=True)

    def _write(self, record: _Record, values: dict[str, Any], *, created: bool) -> bool:
        """service._write on a record in memory: the same changed fields, clocks, log and audit rows."""
        row = record.values
        changed = dict(values) if created else {name: value for name, value in values.items() if row[name] != value}
        if created:
            changed.setdefault("division_code", row["division_code"])
        if not changed:
            return False
        if not record.queued:
            record.queued = True
            self._records.append(record)  # a failed row's part of the list is cut off
            self._remember(lambda: setattr(record, "queued", False))
        if self._undo is not None and not created:  # a record created in a failed row goes whole
            before, dirty_before = {name: row[name] for name in (*changed, "clocks")}, set(record.dirty)

            def undo() -> None:
                row.update(before)
                record.dirty = dirty_before

            self._undo.append(undo)
        row.update(changed)
        ledger = self._ledger
        hlc = ledger._clock.tick()
        row["clocks"] = clocks.stamp(row["clocks"], changed, hlc, whole_row=created)
        if not record.new:
            record.dirty.update(changed)
            record.dirty.add("clocks")
        self._log += ledger._change_rows(record.entity, record.id, row["division_code"], changed, hlc)
        self._audit.append(write_audit(record.entity, record.id, changed, created=created))
        return True

    def _index(self, file: _File, id_number: str) -> None:
        if not id_number:
            return
        self._with_id_number(id_number)  # the children already on file with it come first
        files = self._by_id_number[id_number]
        files.append(file)
        self._remember(lambda: files.remove(file))

    def _unindex(self, file: _File, id_number: str) -> None:
        files = self._by_id_number.get(id_number)
        if files and file in files:
            at = files.index(file)
            files.remove(file)
            self._remember(lambda: files.insert(at, file))

    def _derive_later(self, child_id: str) -> None:
        if child_id not in self._derive:
            self._derive.add(child_id)
            self._remember(lambda: self._derive.discard(child_id))

    # ---- to the file ---------------------------------------------------------------------------

    def flush(self) -> None:
        """Send every held write: rows, change log, audit, then the touched children's derived columns."""
        session = self.session
        session.flush()  # ORM writes made beside the batch go first, as they happened first
        inserts: dict[Entity, list[dict[str, Any]]] = {}
        updates: dict[tuple[Entity, tuple[str, ...]], list[dict[str, Any]]] = {}
        for record in self._records:
            if record.new:
                inserts.setdefault(record.entity, []).append(record.values)
            elif record.dirty:
                columns = tuple(sorted(record.dirty))
                updates.setdefault((record.entity, columns), []).append(
                    {"b_id": record.id, **{c: record.values[c] for c in columns}}
                )
        # Parents before their children's records, in the order of TABLES (child first).
        for entity in TABLES:
            if entity in inserts:
                _insert_many(session, TABLES[entity].__table__, inserts[entity])  # type: ignore[attr-defined]
        for (entity, columns), params in updates.items():
            table = TABLES[entity].__table__  # type: ignore[attr-defined]
            stmt = update(table).where(table.c.id == bindparam("b_id")).values({c: bindparam(c) for c in columns})
            session.execute(stmt, params)
        if self._log:
            _insert_many(session, ChangeLogEntry.__table__, self._log)  # type: ignore[attr-defined]
        self._ledger._audit_many(session, self._audit)
        self._ledger._refresh_children_bulk(session, self._derive)
        for record in self._records:
            record.new = record.queued = False
            record.dirty.clear()
        self._records, self._log, self._audit = [], [], []
        self._derive = set()
        self._rows_since_flush = 0
        # Rows of a moved child were written beside the ORM: nothing it holds may be stale.
        session.expire_all()


def _ref(file: _File) -> ChildRef:
    values = file.child.values
    return ChildRef(id=str(values["id"]), division_code=str(values["division_code"]), name=str(values["name"]))


def _care_type(file: _File) -> str:
    """The child's derived care_type: that of its first care arrangement on file."""
    for record in file.care:
        if not record.values["deleted"]:
            return str(record.values["care_type"] or "")
    return ""
