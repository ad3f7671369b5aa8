"""The ledger service API: every read and write of the local store goes through `Ledger`.

Each call is one transaction that writes the records, their change-log rows and an audit row
together; calls made inside `with ledger.unit_of_work():` share one transaction.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, select, text
from sqlalchemy.exc import DatabaseError
from sqlmodel import Session, col

from ..domain import rules
from ..domain.enums import (
    CareType,
    Category,
    ExitReason,
    GuardianshipLevel,
    HealthStatus,
    ParentCondition,
    Role,
)
from ..domain.errors import ValidationError
from ..domain.labels import FIELD_LABELS
from ..domain.names import pinyin_full, pinyin_initials
from ..domain.records import Entity, spec
from ..domain.text import Text
from ..domain.validators import check_id_matches, parse_division_code, parse_id_number
from . import audit, clocks, queries
from .derived import schedule
from .engine import check_key, make_engine
from .errors import LedgerClosed, LedgerDamaged, LedgerError, NotFound
from .hlc import HlcClock
from .keys import Vault, password_problems, vault_path
from .migrations import migrate
from .replica import ReplicaMixin
from .summaries import SummaryCache
from .tables import (
    TABLES,
    Assessment,
    Attachment,
    AttachmentBlob,
    CareArrangement,
    ChangeLogEntry,
    Child,
    FamilyMember,
    Meta,
    ParentContact,
    SyncRecord,
    Visit,
)
from .validation import normalize, to_wire

# Records the child's derived columns are computed from (see _refresh_child).
DERIVED_FROM = {Entity.CARE_ARRANGEMENT, Entity.ASSESSMENT, Entity.VISIT, Entity.PARENT_CONTACT}
# A child's fields as its cross-field rules see them before an update (all but the tombstone).
CHILD_FIELDS = [name for name in spec(Entity.CHILD).fields if name != "deleted"]
_TOUCH_LOG_KEPT = 50_000
_SCOPE_LEVEL = {Role.VILLAGE_DIRECTOR: 5, Role.TOWNSHIP_SUPERVISOR: 4, Role.COUNTY_ADMIN: 3}


def _today() -> date:
    return date.today()


def _error(field: str, zh: str, en: str) -> ValidationError:
    return ValidationError(field, Text(zh, en), field_label=FIELD_LABELS.get(field))


class Ledger(ReplicaMixin):
    """An unlocked ledger file. Create with `Ledger.create`, open with `Ledger.open`."""

    def __init__(self, path: Path, data_key: bytes, vault: Vault) -> None:
        self.path = path
        self._vault = vault
        self._key: bytearray | None = bytearray(data_key)
        self._local = threading.local()
        self._write_lock = threading.RLock()
        self._writer: Engine | None = None
        self._reader: Engine | None = None
        self._audit_head: str | None = None
        self._summaries: SummaryCache | None = None
        self._summaries_lock = threading.Lock()
        self._open_engines()
        meta = self._load_meta()
        self.device_id: str = meta["device_id"]
        self.village_code: str = meta["village_code"]
        self.role = Role.of(meta.get("role", Role.VILLAGE_DIRECTOR))
        self.user_name: str = meta.get("user_name", "")
        self._clock = HlcClock(self.device_id, meta.get("hlc_last"))
        self._policy = rules.VisitPolicy.from_dict(json.loads(meta["visit_policy"])) if meta.get("visit_policy") else rules.VisitPolicy()

    # ---- opening, locking, keys -------------------------------------------------------------

    @staticmethod
    def exists(path: Path) -> bool:
        return Path(path).exists() and vault_path(Path(path)).exists()

    @classmethod
    def create(
        cls,
        path: Path,
        *,
        password: str,
        village_code: str,
        role: Role = Role.VILLAGE_DIRECTOR,
        user_name: str = "",
    ) -> tuple[Ledger, str]:
        """Create a new encrypted ledger; returns it and the recovery code to show once."""
        path = Path(path)
        problems = password_problems(password)
        if problems:
            raise ValidationError("password", problems[0], field_label=Text("密码", "Password"))
        code = parse_division_code(village_code, field="village_code", level=_SCOPE_LEVEL[Role.of(role)])
        if path.exists() or vault_path(path).exists():
            raise LedgerError(Text(f"台账文件已存在：{path}", f"A ledger already exists at {path}"))
        path.parent.mkdir(parents=True, exist_ok=True)
        vault, data_key, recovery_code = Vault.create(password)
        engine = make_engine(path, data_key, writer=True)
        try:
            with engine.begin() as conn:
                migrate(conn)
                device_id = uuid.uuid4().hex[:16]
                for key, value in {
                    "device_id": device_id,
                    "village_code": code,
                    "role": str(Role.of(role).value),
                    "user_name": user_name,
                    "created_at": datetime.now(UTC).isoformat(),
                }.items():
                    conn.execute(text("INSERT INTO ledger_meta(key, value) VALUES (:k, :v)"), {"k": key, "v": value})
        finally:
            engine.dispose()
        vault.save(vault_path(path))
        ledger = cls(path, data_key, vault)
        with ledger.unit_of_work() as session:
            ledger._audit(session, "create_ledger", detail=code)
        return ledger, recovery_code

    @classmethod
    def open(cls, path: Path, *, password: str | None = None, recovery_code: str | None = None) -> Ledger:
        path = Path(path)
        if not cls.exists(path):
            raise LedgerError(Text(f"找不到台账：{path}", f"No ledger at {path}"))
        vault = Vault.load(vault_path(path))
        data_key = vault.unlock(password=password, recovery_code=recovery_code, path=vault_path(path))
        ledger = cls(path, data_key, vault)
        with ledger.unit_of_work() as session:
            ledger._audit(session, "unlock", detail="recovery_code" if recovery_code else "password")
        return ledger

    def _open_engines(self) -> None:
        assert self._key is not None
        key = bytes(self._key)
        self._audit_head = None
        self._writer = make_engine(self.path, key, writer=True)
        self._reader = make_engine(self.path, key, writer=False)
        try:
            check_key(self._reader)
            with self._writer.begin() as conn:
                migrate(conn)
                # The touch log only needs to reach back as far as any open list; keep it short.
                conn.execute(text(f"DELETE FROM ledger_child_touch WHERE seq <= (SELECT max(seq) FROM ledger_child_touch) - {_TOUCH_LOG_KEPT}"))
        except DatabaseError as exc:
            # The vault's authenticated unwrap proved the key right, so a failure here is damage.
            self._dispose()
            raise LedgerDamaged(str(exc.orig)) from exc

    def _dispose(self) -> None:
        for engine in (self._writer, self._reader):
            if engine is not None:
                engine.dispose()
        self._writer = self._reader = None

    @property
    def is_locked(self) -> bool:
        return self._key is None

    def lock(self) -> None:
        """Drop the connections and the key; `unlock` brings them back."""
        with self._write_lock:
            self._dispose()
            with self._summaries_lock:
                self._summaries = None  # decrypted rows go with the key
            if self._key is not None:
                for i in range(len(self._key)):
                    self._key[i] = 0
            self._key = None

    def unlock(self, password: str | None = None, *, recovery_code: str | None = None) -> None:
        if not self.is_locked:
            return
        vault = Vault.load(vault_path(self.path))
        self._key = bytearray(vault.unlock(password=password, recovery_code=recovery_code, path=vault_path(self.path)))
        self._vault = vault
        self._open_engines()
        with self.unit_of_work() as session:
            self._audit(session, "unlock")

    def close(self) -> None:
        self.lock()

    def change_password(self, new_password: str) -> None:
        """Re-wrap the data key under a new password; the database file is not touched."""
        problems = password_problems(new_password)
        if problems:
            raise ValidationError("password", problems[0], field_label=Text("密码", "Password"))
        key = self._require_key()
        vault = Vault.load(vault_path(self.path))
        vault.rewrap_password(key, new_password)
        vault.save(vault_path(self.path))
        with self.unit_of_work() as session:
            self._audit(session, "change_password")

    def new_recovery_code(self) -> str:
        key = self._require_key()
        vault = Vault.load(vault_path(self.path))
        code = vault.rewrap_recovery(key)
        vault.save(vault_path(self.path))
        with self.unit_of_work() as session:
            self._audit(session, "new_recovery_code")
        return code

    def _require_key(self) -> bytes:
        if self._key is None:
            raise LedgerClosed()
        return bytes(self._key)

    @property
    def data_key(self) -> bytes:
        """The raw key, for backups of this same file; never store it."""
        return self._require_key()

    # ---- sessions ---------------------------------------------------------------------------

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One write transaction; nested calls join it, and any exception rolls all of it back."""
        current: Session | None = getattr(self._local, "session", None)
        if current is not None:
            yield current
            return
        with self._write_lock:
            if self._writer is None:
                raise LedgerClosed()
            with Session(self._writer, expire_on_commit=False) as session:
                self._local.session = session
                clock_before = self._clock.last
                head_before = self._audit_head
                try:
                    yield session
                    if self._clock.last != clock_before:
                        session.execute(
                            text("INSERT OR REPLACE INTO ledger_meta(key, value) VALUES ('hlc_last', :v)"),
                            {"v": self._clock.last},
                        )
                    session.commit()
                except BaseException:
                    session.rollback()
                    self._audit_head = head_before
                    raise
                finally:
                    self._local.session = None

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session (a consistent snapshot) for queries and reports."""
        current: Session | None = getattr(self._local, "session", None)
        if current is not None:
            yield current
            return
        if self._reader is None:
            raise LedgerClosed()
        with Session(self._reader, expire_on_commit=False) as session:
            yield session

    def _load_meta(self) -> dict[str, str]:
        with self.reading() as session:
            return {m.key: m.value for m in session.scalars(select(Meta))}

    def meta(self, key: str) -> str | None:
        with self.reading() as session:
            row = session.get(Meta, key)
            return row.value if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.unit_of_work() as session:
            session.merge(Meta(key=key, value=value))

    def _audit(self, session: Session, action: str, *, entity: str = "", row_id: str = "", detail: str = "") -> None:
        self._audit_many(session, [(audit.now(), action, entity, row_id, detail)])

    def _audit_many(self, session: Session, entries: list[audit.Pending]) -> None:
        """Append audit rows in order, each chained to the one before."""
        if not entries:
            return
        # Only this process writes the file (one writer), so the chain head can live in memory.
        if self._audit_head is None:
            self._audit_head = audit.head(session)
        self._audit_head = audit.append_many(
            session, prev_hash=self._audit_head, actor=self.user_name, device_id=self.device_id, entries=entries
        )

    def record_audit(self, action: str, *, entity: str = "", row_id: str = "", detail: str = "") -> None:
        """Record a view, an export or another access that changes nothing."""
        with self.unit_of_work() as session:
            self._audit(session, action, entity=entity, row_id=row_id, detail=detail)

    def verify_audit_chain(self) -> audit.AuditCheck:
        with self.reading() as session:
            return audit.verify(session)

    # ---- the generic write path -------------------------------------------------------------

    def _write(
        self,
        session: Session,
        entity: Entity,
        row: SyncRecord,
        values: dict[str, Any],
        *,
        created: bool,
    ) -> SyncRecord:
        """Set fields, stamp their clocks, append change-log rows: the one path every write takes."""
        changed: dict[str, Any] = {}
        for field, value in values.items():
            if not created and getattr(row, field) == value:
                continue
            setattr(row, field, value)
            changed[field] = value
        if created:
            changed.setdefault("division_code", row.division_code)
        if not changed:
            return row
        hlc = self._clock.tick()
        row.clocks = clocks.stamp(row.clocks, changed, hlc, whole_row=created)
        session.add(row)
        session.execute(insert(ChangeLogEntry), self._change_rows(entity, row.id, row.division_code, changed, hlc))
        self._audit_many(session, [write_audit(entity, row.id, changed, created=created)])
        return row

    def _change_rows(
        self, entity: Entity, row_id: str, division_code: str, changed: dict[str, Any], hlc: str
    ) -> list[dict[str, Any]]:
        """The change-log (outbox) rows of one write: one per changed field, all at `hlc`."""
        change_ids = _uuid4_hex(len(changed))
        return [
            {
                "change_id": next(change_ids),
                "entity": entity.value,
                "row_id": row_id,
                "division_code": division_code,
                "field": field,
                "value": to_wire(value),
                "hlc": hlc,
                "device_id": self.device_id,
                "actor": self.user_name,
                "origin": "local",
                "pushed": False,
            }
            for field, value in changed.items()
        ]

    def _get(self, session: Session, entity: Entity, row_id: str) -> Any:
        row = session.get(TABLES[entity], row_id)
        if row is None or row.deleted:
            raise NotFound(entity.value, row_id)
        return row

    def _child(self, session: Session, child_id: str) -> Child:
        child: Child = self._get(session, Entity.CHILD, child_id)
        return child

    def create_record(self, entity: Entity | str, **fields: Any) -> Any:
        """Create any record (cases, reviews, staff, ...); child-scoped ones take the child's village."""
        entity = Entity(entity)
        values = normalize(entity.value, fields)
        with self.unit_of_work() as session:
            if "child_id" in spec(entity).fields:
                child = self._child(session, str(values.get("child_id", "")))
                values["division_code"] = child.division_code
            division = values.pop("division_code", None) or self._default_division("division_code")
            row = TABLES[entity](id=str(uuid.uuid4()), division_code=division)
            self._write(session, entity, row, values, created=True)
            self._refresh_if_derived(session, entity, values.get("child_id"))
            return row

    def update_record(self, entity: Entity | str, row_id: str, **fields: Any) -> Any:
        entity = Entity(entity)
        if entity is Entity.CHILD:
            return self.update_child(row_id, **fields)
        values = normalize(entity.value, fields)
        values.pop("child_id", None)  # a record never changes child
        with self.unit_of_work() as session:
            row = self._get(session, entity, row_id)
            self._write(session, entity, row, values, created=False)
            self._refresh_if_derived(session, entity, getattr(row, "child_id", None))
            return row

    def retract(self, entity: Entity | str, row_id: str) -> None:
        """Tombstone a record entered by mistake (a child is archived instead, never retracted)."""
        entity = Entity(entity)
        if entity is Entity.CHILD:
            raise _error("id", "儿童档案只能归档，不能删除。", "A child file is archived, never deleted.")
        with self.unit_of_work() as session:
            row = self._get(session, entity, row_id)
            self._write(session, entity, row, {"deleted": True}, created=False)
            self._refresh_if_derived(session, entity, getattr(row, "child_id", None))

    def _refresh_if_derived(self, session: Session, entity: Entity, child_id: str | None) -> None:
        # Family members, benefits, cases and the like feed no derived column; refreshing after
        # them cost an Excel import ~40% of its time for nothing.
        if child_id and entity in DERIVED_FROM:
            self._refresh_child(session, self._child(session, child_id))

    def _default_division(self, field: str) -> str:
        if len(self.village_code) == 12:
            return self.village_code
        raise _error(field, "请选择儿童所在的村（社区）。", "Choose the child's village.")

    # ---- children ---------------------------------------------------------------------------

    def _check_child(self, session: Session, merged: dict[str, Any], child_id: str | None) -> None:
        """Cross-field rules: ID number against birth date and sex, duplicates, eligibility."""

        def duplicate(id_number: str) -> str | None:
            found = session.execute(
                select(col(Child.name)).where(
                    col(Child.id_number) == id_number, col(Child.deleted) == False, col(Child.id) != (child_id or "")  # noqa: E712
                )
            ).first()
            return None if found is None else str(found[0])

        def parents() -> tuple[ParentCondition | None, ParentCondition | None]:
            if not child_id:
                return None, None
            members = session.execute(
                select(col(FamilyMember.relation), col(FamilyMember.condition)).where(
                    col(FamilyMember.child_id) == child_id, col(FamilyMember.deleted) == False  # noqa: E712
                )
            )
            return parent_conditions(members)  # rows unpack as (relation, condition)

        check_child(merged, duplicate_name=duplicate, parents=parents)

    def _new_child_values(self, fields: dict[str, Any]) -> dict[str, Any]:
        """create_child's fields normalised, with the birth date and sex an ID number gives."""
        fields.setdefault("registered_on", _today())
        if not fields.get("division_code"):
            fields["division_code"] = self._default_division("division_code")
        values = normalize("child", fields)
        if values.get("id_number"):
            parsed = parse_id_number(values["id_number"])
            values.setdefault("birth_date", parsed.birth_date)
            if values.get("birth_date") is None:
                values["birth_date"] = parsed.birth_date
            if not values.get("sex") or values["sex"] == "0":
                values["sex"] = parsed.sex.value
        return values

    def create_child(self, **fields: Any) -> Child:
        values = self._new_child_values(fields)
        with self.unit_of_work() as session:
            self._check_child(session, values, None)
            self._require_in_scope(values["division_code"])
            child = Child(id=str(uuid.uuid4()), division_code=values.pop("division_code"))
            self._write(session, Entity.CHILD, child, values, created=True)
            self._refresh_child(session, child)
            return child

    def update_child(self, child_id: str, **fields: Any) -> Child:
        values = normalize("child", fields)
        with self.unit_of_work() as session:
            child = self._child(session, child_id)
            current = {name: getattr(child, name) for name in CHILD_FIELDS}
            self._check_child(session, merged_child(current, values, fields, care_type=child.care_type), child_id)
            if "division_code" in values:
                self._require_in_scope(values["division_code"])
            self._write(session, Entity.CHILD, child, values, created=False)
            if "division_code" in values:
                self._move_child_rows(session, child)
            self._refresh_child(session, child)
            return child

    def archive_child(self, child_id: str, *, reason: ExitReason | str, on: date) -> Child:
        if not reason:
            raise _error("exit_reason", "归档需要选择退出原因。", "Archiving needs an exit reason.")
        return self.update_child(child_id, archived=True, exit_reason=reason, exit_date=on)

    def restore_child(self, child_id: str) -> Child:
        return self.update_child(child_id, archived=False, exit_reason="", exit_date=None)

    def get_child(self, child_id: str) -> Child:
        with self.reading() as session:
            return self._child(session, child_id)

    def find_child_by_id_number(self, id_number: str) -> Child | None:
        normalized = parse_id_number(id_number).value
        with self.reading() as session:
            return session.scalars(
                select(Child).where(col(Child.id_number) == normalized, col(Child.deleted) == False)  # noqa: E712
            ).first()

    def child_file(self, child_id: str) -> queries.ChildFile:
        """The whole file; viewing it is recorded in the audit log."""
        with self.reading() as session:
            file = queries.child_file(session, self._child(session, child_id))
        self.record_audit("view", entity=Entity.CHILD.value, row_id=child_id)
        return file

    def list_children(self, query: queries.ChildQuery | None = None) -> list[queries.ChildSummary]:
        query = query or queries.ChildQuery()
        summaries = self._current_summaries(query)
        if summaries is not None:
            return summaries.select(query)
        with self.reading() as session:
            return queries.list_children(session, query)

    def count_children(self, query: queries.ChildQuery | None = None) -> int:
        query = query or queries.ChildQuery()
        summaries = self._current_summaries(query)
        if summaries is not None:
            return summaries.count(query)
        with self.reading() as session:
            return queries.count_children(session, query)

    def _current_summaries(self, query: queries.ChildQuery) -> SummaryCache | None:
        """The in-memory list, brought up to date, when it can answer `query`; else None (ask SQLite)."""
        if getattr(self._local, "session", None) is not None:
            return None  # inside a write: the answer must include its uncommitted rows
        today = _today()
        if query.today not in (None, today):
            return None
        loaded = self._summaries
        if query.limit and (loaded is None or loaded.day != today):
            # A first page, shown while the whole list loads: the index serves it at once,
            # without waiting for the lock that the loading read holds.
            return None
        with self._summaries_lock, self.reading() as session:
            summaries = self._summaries
            if summaries is not None and summaries.day == today:
                summaries.catch_up(session.connection())
            else:
                # The first list read fills it (~0.45 s for 100,000 children, once): the window
                # asks for lists and counts all day, and each is then a scan of memory.
                summaries = self._summaries = SummaryCache(session.connection(), today)
        return summaries

    def history(self, entity: Entity | str, row_id: str) -> list[queries.HistoryEntry]:
        """Field writes to a record and, for a child, to every record of its file."""
        entity = Entity(entity)
        with self.reading() as session:
            pairs = [(entity.value, row_id)]
            if entity is Entity.CHILD:
                for related, table in TABLES.items():
                    if "child_id" in spec(related).fields:
                        ids = session.scalars(select(col(table.id)).where(col(table.child_id) == row_id))  # type: ignore[attr-defined]
                        pairs.extend((related.value, rid) for rid in ids)
            return queries.history(session, pairs)

    def _require_in_scope(self, division_code: str) -> None:
        if not division_code.startswith(self.village_code):
            raise _error(
                "division_code",
                "该村不在本台账的管辖范围内。",
                "That village is outside this ledger's jurisdiction.",
            )

    def _move_child_rows(self, session: Session, child: Child) -> None:
        for entity, table in TABLES.items():
            if "child_id" not in spec(entity).fields:
                continue
            for row in session.scalars(select(table).where(col(table.child_id) == child.id)):  # type: ignore[attr-defined]
                if row.division_code != child.division_code:
                    self._write(session, entity, row, {"division_code": child.division_code}, created=False)

    # ---- family, care, visits, contacts, assessments ---------------------------------------

    def set_parent(self, child_id: str, relation: str, **fields: Any) -> FamilyMember:
        check_parent_relation(relation)
        member: FamilyMember = self._upsert_child_record(
            Entity.FAMILY_MEMBER, child_id, {"relation": relation, **fields}, match={"relation": relation}
        )
        return member

    def add_family_member(self, child_id: str, **fields: Any) -> FamilyMember:
        member: FamilyMember = self.create_record(Entity.FAMILY_MEMBER, child_id=child_id, **fields)
        return member

    def set_care(self, child_id: str, **fields: Any) -> CareArrangement:
        care: CareArrangement = self._upsert_child_record(Entity.CARE_ARRANGEMENT, child_id, fields, match={})
        return care

    def _upsert_child_record(self, entity: Entity, child_id: str, fields: dict[str, Any], *, match: dict[str, str]) -> Any:
        values = normalize(entity.value, fields)
        with self.unit_of_work() as session:
            child = self._child(session, child_id)
            table: Any = TABLES[entity]
            stmt = select(table).where(col(table.child_id) == child_id, col(table.deleted) == False)  # noqa: E712
            for name, value in match.items():
                stmt = stmt.where(getattr(table, name) == value)
            row = session.scalars(stmt).first()
            created = row is None
            if row is None:
                row = table(id=str(uuid.uuid4()), division_code=child.division_code)
                values["child_id"] = child_id
            self._write(session, entity, row, values, created=created)
            self._refresh_if_derived(session, entity, child_id)
            return row

    def record_visit(
        self,
        child_id: str,
        *,
        visit_date: date,
        mode: str,
        seen: str = "",
        checks: Iterable[str] = (),
        findings: str = "",
        help_given: str = "",
        referred_to: str = "",
        guardianship_level: GuardianshipLevel | str | None = None,
        visitor: str = "",
    ) -> Visit:
        values = normalize(
            "visit",
            {
                "child_id": child_id,
                "visit_date": visit_date,
                "mode": mode,
                "seen": seen,
                "checks": list(checks),
                "findings": findings,
                "help_given": help_given,
                "referred_to": referred_to,
                "guardianship_level": guardianship_level or "",
                "visitor": visitor or self.user_name,
            },
        )
        if values["visit_date"] is None:
            raise _error("visit_date", "请填写走访日期。", "Enter the visit date.")
        if not values["mode"]:
            raise _error("mode", "请选择走访方式。", "Choose how the visit was made.")
        with self.unit_of_work() as session:
            child = self._child(session, child_id)
            if child.birth_date and values["visit_date"] < child.birth_date:
                raise _error("visit_date", "走访日期早于出生日期。", "The visit date is before the date of birth.")
            if values["guardianship_level"]:
                assessment = Assessment(id=str(uuid.uuid4()), division_code=child.division_code)
                self._write(
                    session,
                    Entity.ASSESSMENT,
                    assessment,
                    {
                        "child_id": child_id,
                        "assessed_on": values["visit_date"],
                        "level": values["guardianship_level"],
                        "assessor": values["visitor"],
                    },
                    created=True,
                )
            # The visit changes only a few derived columns; update them here instead of a full
            # refresh, which keeps recording a visit within a few milliseconds on large ledgers.
            if values["guardianship_level"] and (
                not child.guardianship_level or self._latest_assessment_date(session, child.id) <= values["visit_date"]
            ):
                child.guardianship_level = values["guardianship_level"]
            last = max(d for d in (child.last_visit_date, values["visit_date"]) if d is not None)
            child.last_visit_date = last
            child.risk_level, child.next_visit_due = schedule(
                self._policy,
                level=child.guardianship_level,
                care_type=child.care_type,
                guardianship_type=child.guardianship_type,
                categories=child.categories or [],
                last_visit=last,
                registered_on=child.registered_on,
                archived=child.archived,
            )
            values["next_due"] = child.next_visit_due
            visit = Visit(id=str(uuid.uuid4()), division_code=child.division_code)
            self._write(session, Entity.VISIT, visit, values, created=True)
            session.add(child)
            return visit

    def _latest_assessment_date(self, session: Session, child_id: str) -> date:
        latest = session.execute(
            select(func.max(col(Assessment.assessed_on))).where(
                col(Assessment.child_id) == child_id, col(Assessment.deleted) == False  # noqa: E712
            )
        ).scalar()
        return latest or date.min

    def preview_next_due(
        self, child_id: str, *, visit_date: date, guardianship_level: str | None = None
    ) -> date:
        """The next due date a visit on `visit_date` would set, for the visit form to show."""
        with self.reading() as session:
            child = self._child(session, child_id)
            last = max(d for d in (child.last_visit_date, visit_date) if d is not None)
            _, due = schedule(
                self._policy,
                level=guardianship_level or child.guardianship_level,
                care_type=child.care_type,
                guardianship_type=child.guardianship_type,
                categories=child.categories or [],
                last_visit=last,
                registered_on=child.registered_on or visit_date,
                archived=False,
            )
            assert due is not None
            return due

    def record_parent_contact(
        self, child_id: str, *, contact_date: date, parent: str, mode: str, notes: str = ""
    ) -> ParentContact:
        contact: ParentContact = self.create_record(
            Entity.PARENT_CONTACT, child_id=child_id, contact_date=contact_date, parent=parent, mode=mode, notes=notes
        )
        return contact

    def assess(self, child_id: str, *, level: GuardianshipLevel | str, assessed_on: date, notes: str = "") -> Assessment:
        assessment: Assessment = self.create_record(
            Entity.ASSESSMENT, child_id=child_id, level=level, assessed_on=assessed_on, notes=notes, assessor=self.user_name
        )
        return assessment

    def add_benefit(
        self,
        child_id: str,
        *,
        kind: str,
        amount_monthly: float,
        start_month: str,
        end_month: str | None = None,
        notes: str = "",
    ) -> Any:
        return self.create_record(
            Entity.BENEFIT,
            child_id=child_id,
            kind=kind,
            amount_monthly=amount_monthly,
            start_month=start_month,
            end_month=end_month or "",
            notes=notes,
        )

    def attach_file(
        self, child_id: str, *, data: bytes, filename: str, mime: str, kind: str = "photo", caption: str = ""
    ) -> Attachment:
        if not data:
            raise _error("filename", "文件是空的。", "The file is empty.")
        digest = hashlib.sha256(data).hexdigest()
        with self.unit_of_work() as session:
            if session.get(AttachmentBlob, digest) is None:
                session.add(AttachmentBlob(sha256=digest, data=data))
            attachment: Attachment = self.create_record(
                Entity.ATTACHMENT,
                child_id=child_id,
                kind=kind,
                filename=filename,
                mime=mime,
                size=len(data),
                sha256=digest,
                caption=caption,
            )
            return attachment

    def attachment_data(self, attachment_id: str) -> bytes | None:
        """The file's bytes, or None while a synced attachment's content has not arrived yet."""
        with self.reading() as session:
            attachment: Attachment = self._get(session, Entity.ATTACHMENT, attachment_id)
            blob = session.get(AttachmentBlob, attachment.sha256)
        self.record_audit("view_attachment", entity=Entity.ATTACHMENT.value, row_id=attachment_id)
        return blob.data if blob else None

    # ---- derived fields ---------------------------------------------------------------------

    @property
    def visit_policy(self) -> rules.VisitPolicy:
        return self._policy

    def set_visit_policy(self, policy: rules.VisitPolicy) -> None:
        """Change the visit schedule and recompute every child's next due date."""
        with self.unit_of_work() as session:
            session.merge(Meta(key="visit_policy", value=json.dumps(policy.to_dict())))
            self._policy = policy
            for child in session.scalars(select(Child).where(col(Child.deleted) == False)):  # noqa: E712
                self._refresh_child(session, child)
            self._audit(session, "set_visit_policy", detail=json.dumps(policy.to_dict()))

    def _refresh_child(self, session: Session, child: Child) -> None:
        """Recompute the local-only columns the list, filters and dashboard read."""
        session.flush()
        initials = pinyin_initials(child.name) if child.name else ""
        if initials != child.name_initials or not child.name_pinyin:
            child.name_initials = initials
            child.name_pinyin = pinyin_full(child.name) if child.name else ""
        cid = child.id
        child.care_type = (
            session.execute(
                select(col(CareArrangement.care_type))
                .where(col(CareArrangement.child_id) == cid, col(CareArrangement.deleted) == False)  # noqa: E712
                .limit(1)
            ).scalar()
            or ""
        )
        child.guardianship_level = (
            session.execute(
                select(col(Assessment.level))
                .where(col(Assessment.child_id) == cid, col(Assessment.deleted) == False)  # noqa: E712
                .order_by(col(Assessment.assessed_on).desc(), col(Assessment.id).desc())
                .limit(1)
            ).scalar()
            or ""
        )
        child.last_visit_date = session.execute(
            select(func.max(col(Visit.visit_date))).where(col(Visit.child_id) == cid, col(Visit.deleted) == False)  # noqa: E712
        ).scalar()
        child.last_contact_date = session.execute(
            select(func.max(col(ParentContact.contact_date))).where(
                col(ParentContact.child_id) == cid, col(ParentContact.deleted) == False  # noqa: E712
            )
        ).scalar()
        child.risk_level, child.next_visit_due = schedule(
            self._policy,
            level=child.guardianship_level,
            care_type=child.care_type,
            guardianship_type=child.guardianship_type,
            categories=child.categories or [],
            last_visit=child.last_visit_date,
            registered_on=child.registered_on,
            archived=child.archived or child.deleted,
        )
        child.age_out_on = rules.age_out_date(child.birth_date, child.categories or []) if child.birth_date else None
        session.add(child)

def _uuid4_hex(count: int) -> Iterator[str]:
    """`count` values of uuid.uuid4().hex from one read of the OS random source (a write of many
    fields made one system call per field)."""
    random = os.urandom(16 * count)
    for start in range(0, 16 * count, 16):
        value = bytearray(random[start:start + 16])
        value[6] = (value[6] & 0x0F) | 0x40  # version 4
        value[8] = (value[8] & 0x3F) | 0x80  # RFC 4122 variant
        yield value.hex()


def write_audit(entity: Entity, row_id: str, changed: dict[str, Any], *, created: bool) -> audit.Pending:
    """The audit row of one record write, stamped now: its action, entity, row id and the fields it changed."""
    return audit.now(), "create" if created else "update", entity.value, row_id, ",".join(sorted(changed))


def check_parent_relation(relation: str) -> None:
    if relation not in ("father", "mother"):
        raise _error("relation", "关系只能是父亲或母亲。", "Relation must be father or mother.")


def merged_child(current: dict[str, Any], values: dict[str, Any], fields: dict[str, Any], *, care_type: str) -> dict[str, Any]:
    """A child's fields after an update, as its cross-field rules see them."""
    merged = {**current, **values, "care_type": care_type}
    if "id_number" in values and values["id_number"] and "birth_date" not in fields:
        merged["birth_date"] = merged["birth_date"] or parse_id_number(values["id_number"]).birth_date
    return merged


def parent_conditions(members: Iterable[tuple[str, str]]) -> tuple[ParentCondition | None, ParentCondition | None]:
    """(father, mother) conditions from a child's family members (relation, condition), in file order."""
    father, mother = (None, None)
    for relation, value in members:
        condition = ParentCondition.of(value) if value else None
        if relation == "father":
            father = condition
        elif relation == "mother":
            mother = condition
    return father, mother


def check_child(
    merged: dict[str, Any],
    *,
    duplicate_name: Callable[[str], str | None],
    parents: Callable[[], tuple[ParentCondition | None, ParentCondition | None]],
) -> None:
    """A child's cross-field rules. `duplicate_name(id_number)` names another child on file with
    that ID number (or None); `parents()` gives the (father, mother) conditions on file."""
    if not merged.get("name"):
        raise _error("name", "请填写姓名。", "Enter the name.")
    id_number = merged.get("id_number") or ""
    if id_number:
        parsed = parse_id_number(id_number)
        check_id_matches(parsed, birth_date=merged.get("birth_date"), sex=_sex_or_none(merged.get("sex")))
        duplicate = duplicate_name(id_number)
        if duplicate is not None:
            raise _error(
                "id_number",
                f"该身份证号已在档：{duplicate}。",
                f"This ID number is already on file: {duplicate}.",
            )
    if merged.get("birth_date") is None:
        raise _error("birth_date", "请填写出生日期或身份证号。", "Enter the date of birth or the ID number.")
    if merged["birth_date"] > _today():
        raise _error("birth_date", "出生日期不能晚于今天。", "The date of birth cannot be in the future.")
    categories = merged.get("categories") or []
    if categories and not merged.get("archived"):
        father, mother = parents()
        care = merged.get("care_type")
        rules.check_eligibility(
            categories,
            birth_date=merged["birth_date"],
            on=_today(),
            hukou_registered=merged.get("hukou_registered"),
            father=father,
            mother=mother,
            health=HealthStatus.of(merged["health"]) if merged.get("health") else None,
            care_type=CareType.of(care) if care else None,
        )


def _sex_or_none(value: Any) -> Any:
    from ..domain.enums import Sex

    return Sex.of(value) if value and value in Sex._value2member_map_ else None


# Category is imported for callers building queries against this module's namespace.
__all__ = ["Category", "Ledger"]
