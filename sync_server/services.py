"""Sync services: push (check, authorise, merge, log), pull, snapshot, conflicts, attachments.

Every function takes keyword arguments, runs in the session it is given and commits its own
transaction, so a route is a thin wrapper and the CLI can call the same code.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from types import SimpleNamespace
from typing import Any, Literal, Protocol

from sqlalchemy import Text, and_, cast, delete, func, literal, or_, tuple_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from gxcare_desktop.domain.enums import Role
from gxcare_desktop.domain.hlc import Hlc, physical_ms
from gxcare_desktop.domain.records import CONFIDENTIAL_FIELDS, RECORDS, Entity
from gxcare_desktop.sync.protocol import (
    ATTACHMENT_CHUNK_BYTES,
    SERVER_DEVICE_ID,
    AttachmentStatus,
    Change,
    ConflictKind,
    ConflictRecord,
    JsonValue,
    PullResponse,
    PushResponse,
    PushResult,
    PushStatus,
    RejectReason,
    ResolveResponse,
    ServerChange,
)

from . import statements
from .accounts import Caller, audit, now_ms, record_seen, server_epoch
from .activity import QuietPulls
from .core.config import Settings
from .core.errors import APIError
from .models import (
    AttachmentBlob,
    AttachmentChunk,
    AttachmentRef,
    Conflict,
    FieldState,
    RecordRow,
)
from .scope import REVIEWER_ROLES, covers, is_village, jurisdiction, scope_column
from .validation import value_ok

_IN_CHUNK = 500  # ids per IN (...) list: far below every database's parameter limit
_CHILD = Entity.CHILD.value
_CONFIDENTIAL = sorted(CONFIDENTIAL_FIELDS)  # a stable order for the SQL that names them


def confidential_for(caller: Caller) -> bool:
    """Whether the caller receives CONFIDENTIAL_FIELDS only as its own device wrote them.

    Decided as "not a reviewer" rather than "a village director", so a role added later starts
    out without the reporter's identity instead of with it.
    """
    return caller.role not in REVIEWER_ROLES


def dump_value(value: JsonValue) -> str:
    """Canonical JSON text of a value, so equal values compare equal as strings."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def load_value(text: str | None) -> JsonValue:
    if text is None:
        return None
    value: JsonValue = json.loads(text)
    return value


def server_hlc(*, after: str | None, now: int) -> str:
    """A clock for a change the server writes itself: now, or just after `after` if that is later."""
    previous = Hlc.decode(after) if after else None
    if previous is None or now > previous.ms:
        clock = Hlc(now, 0, SERVER_DEVICE_ID)
    else:
        clock = Hlc(previous.ms, previous.counter + 1, SERVER_DEVICE_ID)
    encoded: str = clock.encode()
    return encoded


def current_seq(session: Session) -> int:
    """The last sequence number handed out by a committed push."""
    value = session.execute(statements.READ_COUNTER).scalar_one_or_none()
    return int(value) if value is not None else 0


def _lock_counter(session: Session) -> int:
    # Why a one-row counter locked until commit rather than a database sequence: PostgreSQL
    # hands out sequence values at insert time, so with several workers a transaction holding
    # seq 41 can commit after another one holding seq 42, and a device that pulled "seq > 40"
    # in between would move its cursor to 42 and never see 41. An UPDATE of this row takes a
    # row lock (on SQLite, the database write lock) held to commit, so sequence numbers become
    # visible strictly in order: whoever holds seq N has committed before anyone can get N+1.
    # The same lock serialises the read-compare-write of the per-field merge, so two pushes to
    # one field cannot both "win". Pushes are small and short, so one at a time is cheap for a
    # province-sized deployment; pulls and snapshots never take this lock.
    value: int = session.execute(statements.LOCK_COUNTER).scalar_one()
    return value


def _chunks(items: Sequence[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), _IN_CHUNK):
        yield list(items[start : start + _IN_CHUNK])


def _reject(change: Change, reason: RejectReason) -> PushResult:
    return PushResult(change_id=change.change_id, status=PushStatus.REJECTED, reason=reason.value)


class _Writer:
    """One push (or resolution) transaction: caches, sequence allocation, merge and moves."""

    def __init__(
        self, session: Session, caller: Caller, *, now: int, settings: Settings,
        pulled_to: int | None = None,
    ) -> None:
        self.session = session
        self.caller = caller
        self.scope = caller.scope
        self.now = now
        self.settings = settings
        self.last_seq = _lock_counter(session)
        # What the pusher had seen: what it says it applied, unless that is beyond this server
        # (a restored one: its pull will say cursor_ahead); else what the server last served it.
        self.seen = caller.device.last_pull_cursor
        if pulled_to is not None and pulled_to <= self.last_seq:
            self.seen = pulled_to
        self.rows: dict[tuple[str, str], RecordRow | None] = {}
        self.states: dict[tuple[str, str, str], FieldState | None] = {}
        self.accepted = 0
        # Log entries and receipts are write-only here: inserted in bulk at the end, which is
        # several times faster than one mapped object each.
        self.log: list[dict[str, Any]] = []
        self.receipts: list[dict[str, Any]] = []

    # -- loading -------------------------------------------------------------------------
    def prefetch(self, changes: Sequence[Change]) -> None:
        """Load every row, child and field state a batch touches in a few IN queries."""
        ids_by_entity: dict[str, set[str]] = {}
        for change in changes:
            ids_by_entity.setdefault(change.entity, set()).add(change.row_id)
            if change.field == "child_id" and isinstance(change.value, str):
                ids_by_entity.setdefault(_CHILD, set()).add(change.value)
        for entity, id_set in ids_by_entity.items():
            self._load(entity, sorted(id_set))

    def _load(self, entity: str, row_ids: Sequence[str]) -> None:
        wanted = [rid for rid in row_ids if (entity, rid) not in self.rows]
        for part in _chunks(wanted):
            for rid in part:
                self.rows[(entity, rid)] = None
            params = {"entity": entity, "row_ids": part}
            for row in self.session.scalars(statements.LOAD_ROWS, params):
                self.rows[(entity, row.row_id)] = row
            for state in self.session.scalars(statements.LOAD_STATES, params):
                self.states[(entity, state.row_id, state.field)] = state

    def row(self, entity: str, row_id: str) -> RecordRow | None:
        if (entity, row_id) not in self.rows:
            self._load(entity, [row_id])
        return self.rows[(entity, row_id)]

    def state(self, entity: str, row_id: str, field: str) -> FieldState | None:
        self.row(entity, row_id)
        return self.states.get((entity, row_id, field))

    # -- checks --------------------------------------------------------------------------
    def check(self, change: Change) -> RejectReason | None:
        """Why the change must be refused, or None. Jurisdiction comes from the server's rows."""
        try:
            entity = Entity(change.entity)
        except ValueError:
            return RejectReason.UNKNOWN_ENTITY
        kind = RECORDS[entity].fields.get(change.field)
        if kind is None:
            return RejectReason.UNKNOWN_FIELD
        try:
            Hlc.decode(change.hlc)
        except ValueError:
            return RejectReason.INVALID_HLC
        if physical_ms(change.hlc) > self.now + self.settings.max_clock_drift_ms:
            return RejectReason.CLOCK_AHEAD
        value = change.value
        if change.field == "division_code":
            if not isinstance(value, str) or not is_village(value):
                return RejectReason.BAD_DIVISION
        elif change.field in ("deleted", "child_id") and value is None:
            # A tombstone is true or false; a child's record always names its child.
            return RejectReason.INVALID_VALUE
        elif not value_ok(kind, value):
            return RejectReason.INVALID_VALUE
        if not is_village(change.division_code):
            return RejectReason.BAD_DIVISION
        if not covers(self.scope, change.division_code):
            return RejectReason.OUT_OF_JURISDICTION
        row = self.row(change.entity, change.row_id)
        if row is not None and not covers(self.scope, row.division_code):
            if self.is_move_echo(change, row):
                return None
            # A forged division_code on someone else's row id lands here.
            return RejectReason.OUT_OF_JURISDICTION
        if change.field == "division_code" and row is None:
            assert isinstance(value, str)
            if not covers(self.scope, value):
                return RejectReason.OUT_OF_JURISDICTION
        if change.field == "child_id" and RECORDS[entity].child_scoped:
            assert isinstance(value, str)
            child = self.row(_CHILD, value)
            if child is None:
                return RejectReason.UNKNOWN_CHILD
            if not covers(self.scope, child.division_code):
                return RejectReason.OUT_OF_JURISDICTION
        return None

    @staticmethod
    def is_move_echo(change: Change, row: RecordRow) -> bool:
        """A device that moved a child out of its scope may also push "division_code = new" for
        the child's other rows; the server has already moved them, so that is not an intrusion
        but a write that lost to the server's own (answered `superseded`, nothing stored)."""
        return change.field == "division_code" and bool(change.value == row.division_code)

    # -- writing -------------------------------------------------------------------------
    def _alloc(self) -> int:
        self.last_seq += 1
        return self.last_seq

    def _conflict(
        self,
        kind: ConflictKind,
        row: RecordRow,
        field: str,
        *,
        winner: tuple[str | None, str, str],
        loser: tuple[str | None, str, str],
    ) -> None:
        self.session.add(
            Conflict(
                kind=kind.value,
                entity=row.entity,
                row_id=row.row_id,
                field=field,
                division_code=row.division_code,
                **jurisdiction(row.division_code),
                winner_value_json=winner[0],
                winner_hlc=winner[1],
                winner_device=winner[2],
                loser_value_json=loser[0],
                loser_hlc=loser[1],
                loser_device=loser[2],
                created_ms=self.now,
            )
        )

    def merge(self, change: Change) -> tuple[PushResult, int | None]:
        """Field-level last-writer-wins by HLC; the losing value goes to the conflict log."""
        key = (change.entity, change.row_id, change.field)
        state = self.state(*key)
        value_json = dump_value(change.value)
        device = self.caller.device
        existing = self.row(change.entity, change.row_id)
        if existing is not None and not covers(self.scope, existing.division_code):
            # Only a move echo gets here (check() refused everything else out of scope).
            return PushResult(change_id=change.change_id, status=PushStatus.SUPERSEDED), None
        if state is not None and state.hlc >= change.hlc:
            row = self.row(change.entity, change.row_id)
            if state.value_json != value_json and row is not None:
                self._conflict(
                    ConflictKind.SUPERSEDED,
                    row,
                    change.field,
                    winner=(state.value_json, state.hlc, state.device_id),
                    loser=(value_json, change.hlc, change.device_id),
                )
            return PushResult(change_id=change.change_id, status=PushStatus.SUPERSEDED), None
        row = self.row(change.entity, change.row_id)
        if row is None:
            division = (
                str(change.value) if change.field == "division_code" else change.division_code
            )
            row = RecordRow(
                entity=change.entity, row_id=change.row_id, division_code=division,
                **jurisdiction(division),
            )
            self.session.add(row)
            self.rows[(change.entity, change.row_id)] = row
        elif (
            state is not None
            and state.pushed_by != device.id
            and state.seq > self.seen
            and state.value_json != value_json
        ):
            # Another device wrote this field after the pusher last pulled: both edits were
            # made without seeing each other. The newer clock wins; keep the other for review.
            self._conflict(
                ConflictKind.CONCURRENT,
                row,
                change.field,
                winner=(value_json, change.hlc, change.device_id),
                loser=(state.value_json, state.hlc, state.device_id),
            )
        seq = self.accept(
            row, change.field, value_json, hlc=change.hlc, device_id=change.device_id,
            pushed_by=device.id,
        )
        return PushResult(change_id=change.change_id, status=PushStatus.ACCEPTED), seq

    def accept(
        self, row: RecordRow, field: str, value_json: str | None, *, hlc: str, device_id: str,
        pushed_by: str,
    ) -> int:
        """Store a winning value, log it, and apply what it means (links, hashes, moves)."""
        seq = self._write(row, field, value_json, hlc=hlc, device_id=device_id, pushed_by=pushed_by)
        self.accepted += 1
        value = load_value(value_json)
        if field == "child_id":
            row.child_id = value if isinstance(value, str) else None
            self.session.add(row)
        elif field == "sha256" and row.entity == Entity.ATTACHMENT.value:
            self._link_attachment(row.row_id, value if isinstance(value, str) else None)
        elif field == "division_code" and isinstance(value, str) and value != row.division_code:
            self._move(row, value, hlc=hlc, device_id=device_id, pushed_by=pushed_by)
        return seq

    def _write(
        self, row: RecordRow, field: str, value_json: str | None, *, hlc: str, device_id: str,
        pushed_by: str,
    ) -> int:
        seq = self._alloc()
        self.log.append(
            {
                "seq": seq, "kind": "set", "entity": row.entity, "row_id": row.row_id,
                "field": field, "value_json": value_json, "hlc": hlc, "device_id": device_id,
                "pushed_by": pushed_by, "division_code": row.division_code,
                **jurisdiction(row.division_code), "moved_to": None,
            }
        )
        key = (row.entity, row.row_id, field)
        state = self.states.get(key)
        if state is None:
            state = FieldState(
                entity=row.entity, row_id=row.row_id, field=field, value_json=value_json,
                hlc=hlc, device_id=device_id, pushed_by=pushed_by, seq=seq,
            )
            self.states[key] = state
        else:
            state.value_json = value_json
            state.hlc = hlc
            state.device_id = device_id
            state.pushed_by = pushed_by
            state.seq = seq
        self.session.add(state)
        return seq

    def _link_attachment(self, row_id: str, sha256: str | None) -> None:
        ref = self.session.get(AttachmentRef, row_id)
        if sha256 is None:
            if ref is not None:
                self.session.delete(ref)
            return
        if ref is None:
            self.session.add(AttachmentRef(row_id=row_id, sha256=sha256.lower()))
        else:
            ref.sha256 = sha256.lower()
            self.session.add(ref)

    def _move(self, row: RecordRow, target: str, *, hlc: str, device_id: str, pushed_by: str) -> None:
        """Move a row (a child: with all its rows) to another village.

        The old scope gets a `drop` entry per row; the new scope gets every current field again
        under the new division, with the clocks they already have, so it receives whole records.
        """
        moving = [row]
        if row.entity == _CHILD:
            self.session.flush()
            linked = self.session.exec(
                select(RecordRow).where(
                    RecordRow.child_id == row.row_id, RecordRow.entity != _CHILD
                )
            ).all()
            for other in linked:
                self.rows[(other.entity, other.row_id)] = other
                moving.append(other)
        for moved in moving:
            if moved is not row and moved.division_code == target:
                continue
            old = moved.division_code
            self.log.append(
                {
                    "seq": self._alloc(), "kind": "drop", "entity": moved.entity,
                    "row_id": moved.row_id, "field": "", "value_json": None, "hlc": hlc,
                    "device_id": device_id, "pushed_by": pushed_by, "division_code": old,
                    **jurisdiction(old), "moved_to": target,
                }
            )
            moved.division_code = target
            for name, value in jurisdiction(target).items():
                setattr(moved, name, value)
            self.session.add(moved)
            self.session.flush()
            states = self.session.exec(
                select(FieldState).where(
                    FieldState.entity == moved.entity, FieldState.row_id == moved.row_id
                )
            ).all()
            by_field = {state.field: state for state in states}
            for state in states:
                self.states[(moved.entity, moved.row_id, state.field)] = state
            if moved is not row:
                # The linked row's own division_code field must say where it lives now; the
                # server writes it with a clock later than the one it replaces.
                current = by_field.get("division_code")
                self._write(
                    moved, "division_code", dump_value(target),
                    hlc=server_hlc(after=max(current.hlc if current else "", hlc), now=self.now),
                    device_id=SERVER_DEVICE_ID, pushed_by=SERVER_DEVICE_ID,
                )
            for field in sorted(by_field):
                if moved is not row and field == "division_code":
                    continue
                state = by_field[field]
                # Same value and clock, new sequence under the new division: replicas that have
                # it already keep it (equal clock), the new scope receives it.
                self._write(
                    moved, field, state.value_json, hlc=state.hlc,
                    device_id=state.device_id, pushed_by=state.pushed_by,
                )

    def finish(self) -> None:
        self.session.flush()
        if self.log:
            self.session.execute(statements.INSERT_LOG, self.log)
        if self.receipts:
            self.session.execute(statements.INSERT_RECEIPTS, self.receipts)
        self.session.execute(statements.SET_COUNTER, {"value": self.last_seq})


# -- push --------------------------------------------------------------------------------------


def push_changes(
    session: Session,
    *,
    caller: Caller,
    changes: Sequence[Change],
    settings: Settings,
    pulled_to: int | None = None,
    client_addr: str = "",
) -> PushResponse:
    """Apply a batch in one transaction; every change gets its own answer, none stops the batch."""
    now = now_ms()
    writer = _Writer(session, caller, now=now, settings=settings, pulled_to=pulled_to)
    device_id = caller.device.id
    receipts: dict[str, tuple[str, str | None]] = {}  # change id: (status, reason)
    change_ids = sorted({change.change_id for change in changes})
    for part in _chunks(change_ids):
        params = {"device_id": device_id, "change_ids": part}
        for change_id, status, reason in session.execute(statements.READ_RECEIPTS, params):
            receipts[change_id] = (status, reason)
    fresh = [change for change in changes if change.change_id not in receipts]
    writer.prefetch(fresh)
    results: list[PushResult] = []
    counts = {status.value: 0 for status in PushStatus}
    replayed = 0
    with session.no_autoflush:
        for change in changes:
            stored = receipts.get(change.change_id)
            if stored is not None:
                # A replay (retry after a lost answer, or a duplicate in the batch): same answer.
                replayed += 1
                result = PushResult(
                    change_id=change.change_id, status=PushStatus(stored[0]), reason=stored[1]
                )
                results.append(result)
                continue
            seq: int | None = None
            reason = writer.check(change)
            if reason is not None:
                result = _reject(change, reason)
            else:
                result, seq = writer.merge(change)
            counts[result.status.value] += 1
            receipts[change.change_id] = (result.status.value, result.reason)
            writer.receipts.append(
                {
                    "device_id": device_id, "change_id": change.change_id,
                    "status": result.status.value, "reason": result.reason, "seq": seq,
                    "at_ms": now,
                }
            )
            results.append(result)
    writer.finish()
    # The cursor the device reports having applied also keeps the administrators' device list
    # current for devices whose pulls were all empty (those do not write it).
    record_seen(session, caller.device, at_ms=now, pull_cursor=writer.seen)
    audit(
        session, action="push", username=caller.user.username, device_id=device_id,
        count=len(changes), detail={**counts, "replayed": replayed}, client_addr=client_addr,
    )
    epoch = server_epoch(session)  # read in this transaction, not in a new one after it
    session.commit()
    return PushResponse(results=results, server_time_ms=now, server_epoch=epoch)


# -- pull ----------------------------------------------------------------------------------------


def _cursor_ahead(cursor: int, top: int) -> APIError:
    return APIError(
        409,
        "cursor_ahead",
        f"本机同步位置（{cursor}）超过服务器记录（{top}），服务器可能已从旧备份恢复；"
        "将重新上传本机数据并重新下载",
        f"Your sync position ({cursor}) is beyond the server's ({top}); the server was probably "
        "restored from an older backup. Re-push local changes and download again.",
        field="cursor",
    )


class _LogEntry(Protocol):
    seq: int
    entity: str
    row_id: str
    division_code: str
    field: str
    value_json: str | None
    hlc: str
    device_id: str


def _server_change(entry: _LogEntry, epoch: str) -> ServerChange:
    # The server names log entries itself ("s" + epoch prefix + seq): unique across restores
    # and never equal to a device's own change_id, so a client can store echoes of its own
    # changes (and re-appended copies of moved rows) without key collisions.
    return ServerChange(
        seq=entry.seq,
        change_id=f"s{epoch[:8]}-{entry.seq}",
        entity=entry.entity,
        row_id=entry.row_id,
        division_code=entry.division_code,
        field=entry.field,
        value=load_value(entry.value_json),
        hlc=entry.hlc,
        device_id=entry.device_id,
    )


def pull_changes(
    session: Session,
    *,
    caller: Caller,
    cursor: int,
    limit: int,
    quiet: QuietPulls,
    client_addr: str = "",
) -> PullResponse:
    """Log entries of the caller's jurisdiction after cursor, oldest first.

    Apply `changes` first, then `drop`: a row moved away and back inside one page is not in
    `drop`, a row that left (and did not come back in this page) is. A page with neither is
    tallied in `quiet`; the others are audited at once.
    """
    # Read the counter before the log: every seq up to it is committed (see _lock_counter),
    # so the log query below sees all of them and an empty answer may advance to it.
    top = current_seq(session)
    if cursor > top:
        raise _cursor_ahead(cursor, top)
    scope = caller.scope
    page = statements.PULL_PAGE[scope_column(scope)]
    entries = list(session.execute(page, {"scope": scope, "cursor": cursor, "limit": limit + 1}))
    has_more = len(entries) > limit
    entries = entries[:limit]
    if has_more:
        next_cursor = entries[-1].seq
    else:
        next_cursor = max([cursor, top, *(entry.seq for entry in entries[-1:])])
    epoch = server_epoch(session)
    anchors = _anchors(session, {cursor, next_cursor})
    changes: list[ServerChange] = []
    drops: dict[tuple[str, str], None] = {}
    own_only = caller.device.id if confidential_for(caller) else None
    for entry in entries:
        key = (entry.entity, entry.row_id)
        if entry.kind == "drop":
            if entry.moved_to is not None and covers(scope, entry.moved_to):
                continue  # moved within this scope: nothing to drop
            drops.pop(key, None)
            drops[key] = None
        else:
            drops.pop(key, None)  # withheld or not, a set entry means the row is back in scope
            if (
                own_only is not None
                and entry.pushed_by != own_only
                and (entry.entity, entry.field) in CONFIDENTIAL_FIELDS
            ):
                # Left out rather than sent as null: a null would blank the value on the device
                # that entered it (its echo) and on every device that already holds it. The
                # cursor above still moves past it.
                continue
            changes.append(_server_change(entry, epoch))
    device = caller.device
    at = now_ms()
    if not changes and not drops:
        # Nothing new: no write transaction; counted and audited in batches (activity.py).
        quiet.note(
            device_id=device.id, username=caller.user.username, client_addr=client_addr,
            cursor=next_cursor, at_ms=at,
        )
    else:
        # The recorded cursor tells concurrent edits apart (merge): it needs to move only past
        # entries written by someone else; a page of the device's own echoes changes nothing.
        from_others = any(entry.pushed_by != device.id for entry in entries)
        record_seen(session, device, at_ms=at, pull_cursor=next_cursor if from_others else None)
        audit(
            session, action="pull", username=caller.user.username, device_id=device.id,
            count=len(changes), detail={"cursor": cursor, "next_cursor": next_cursor, "drop": len(drops)},
            client_addr=client_addr, at_ms=at,
        )
        session.commit()
    return PullResponse(
        changes=changes,
        next_cursor=next_cursor,
        has_more=has_more,
        drop=list(drops),
        server_epoch=epoch,
        anchor=anchors.get(cursor),
        next_anchor=anchors.get(next_cursor),
    )


def _anchors(session: Session, positions: set[int]) -> dict[int, str]:
    """Fingerprints of the log entries at these sequence numbers ("-" where there is none).

    A restored backup does not change the server epoch (it is a copy of the database), and once
    the restored server has handed out as many sequence numbers as it lost, a device's cursor
    is no longer "ahead". The entry at the cursor tells: whatever is written there after a
    restore is another change, with another clock. Any log entry, whoever's jurisdiction: the
    fingerprint is a hash and tells the device nothing about it.
    """
    wanted = sorted(p for p in positions if p > 0)
    found = dict.fromkeys(wanted, "-")
    if not wanted:
        return found
    for seq, *identity in session.execute(statements.LOG_IDENTITY, {"seqs": wanted}):
        text = "\x1f".join("" if part is None else str(part) for part in identity)
        found[seq] = hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()
    return found


# -- snapshot ------------------------------------------------------------------------------------


def _parse_after(after: str | None) -> tuple[str, str] | None:
    if not after:
        return None
    entity, sep, row_id = after.partition(":")
    if not sep or not entity or not row_id:
        raise APIError(
            422, "bad_after", "分页参数 after 应为“记录类型:记录编号”",
            "Parameter 'after' must look like 'entity:row_id'", field="after",
        )
    return entity, row_id


def snapshot_json(
    session: Session,
    *,
    caller: Caller,
    after: str | None,
    limit: int,
    client_addr: str = "",
) -> bytes:
    """The JSON text of a SnapshotResponse: current values and clocks of every row in scope,
    in (entity, row_id) pages.

    `cursor` is read before the rows, so pulling from the first page's cursor afterwards
    can only repeat changes (harmless: equal clocks), never miss one.

    Built as text straight from the stored JSON of each value: a township download is ~2.5
    million field states, and decoding each one, wrapping it in models and encoding it again
    cost most of the server's time (and of the download's).
    """
    cursor = current_seq(session)
    start = _parse_after(after)
    scope = caller.scope
    record_rows = RecordRow.__table__  # type: ignore[attr-defined]
    states = FieldState.__table__  # type: ignore[attr-defined]
    # One query: the page's rows in index order, each with its values and clocks already joined
    # into JSON object members by the database ('"name":"韦",...' and '"name":"<hlc>",...'),
    # so Python handles one tuple per row instead of ~12 field states per row.
    conn = session.connection()
    of_row = and_(states.c.entity == record_rows.c.entity, states.c.row_id == record_rows.c.row_id)
    if confidential_for(caller):
        # As in pull_changes: a confidential value another device wrote is left out of both
        # `values` and `clocks`, so the row arrives without the field and the client keeps
        # whatever it holds, where a null would overwrite it.
        of_row = and_(
            of_row,
            or_(
                tuple_(states.c.entity, states.c.field).not_in(_CONFIDENTIAL),
                states.c.pushed_by == caller.device.id,
            ),
        )
    quoted_field = _json_quoted(conn, states.c.field)
    member_values = (
        select(func.aggregate_strings(
            quoted_field + literal(":") + func.coalesce(states.c.value_json, literal("null")), ","
        )).where(of_row).scalar_subquery()
    )
    member_clocks = (
        select(func.aggregate_strings(
            quoted_field + literal(":") + _json_quoted(conn, states.c.hlc), ","
        )).where(of_row).scalar_subquery()
    )
    columns: list[Any] = [
        record_rows.c.entity, record_rows.c.row_id, record_rows.c.division_code,
        member_values, member_clocks,
    ]
    query = select(*columns).where(record_rows.c[scope_column(scope)] == scope)
    if start is not None:
        query = query.where(tuple_(record_rows.c.entity, record_rows.c.row_id) > tuple_(*start))
    query = query.order_by(record_rows.c.entity, record_rows.c.row_id).limit(limit + 1)
    rows = conn.execute(query).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    body = [
        f'{{"entity":{_json_str(entity)},"row_id":{_json_str(row_id)},'
        f'"division_code":{_json_str(division)},'
        f'"values":{{{values or ""}}},"clocks":{{{clocks or ""}}}}}'
        for entity, row_id, division, values, clocks in rows
    ]
    next_after = f"{rows[-1][0]}:{rows[-1][1]}" if has_more and rows else None
    audit(
        session, action="snapshot", username=caller.user.username, device_id=caller.device.id,
        count=len(rows), detail={"after": after or "", "cursor": cursor}, client_addr=client_addr,
    )
    epoch = server_epoch(session)  # in this transaction, not a new one after the commit
    session.commit()
    text = (
        f'{{"rows":[{",".join(body)}],"cursor":{cursor},'
        f'"next_after":{_json_str(next_after) if next_after is not None else "null"},'
        f'"server_epoch":{_json_str(epoch)}}}'
    )
    return text.encode("utf-8")


def _json_quoted(conn: Any, column: Any) -> Any:
    """SQL for a text column as a JSON string literal (UTF-8 kept)."""
    if conn.dialect.name == "postgresql":
        return cast(func.to_json(column), Text)
    return func.json_quote(column)


def _json_str(text: str) -> str:
    """A JSON string literal (UTF-8 kept, as dump_value writes values)."""
    encoded: str = json.encoder.encode_basestring(text)
    return encoded


# -- conflicts -----------------------------------------------------------------------------------


def conflict_record(conflict: Conflict) -> ConflictRecord:
    return ConflictRecord(
        id=conflict.id or 0,
        kind=ConflictKind(conflict.kind),
        entity=conflict.entity,
        row_id=conflict.row_id,
        field=conflict.field,
        division_code=conflict.division_code,
        winner_value=load_value(conflict.winner_value_json),
        winner_hlc=conflict.winner_hlc,
        winner_device=conflict.winner_device,
        loser_value=load_value(conflict.loser_value_json),
        loser_hlc=conflict.loser_hlc,
        loser_device=conflict.loser_device,
        created_ms=conflict.created_ms,
        resolved=conflict.resolved_ms is not None,
        resolution=conflict.resolution,
        resolved_by=conflict.resolved_by,
    )


def list_conflicts(
    session: Session,
    *,
    scope: str,
    confidential: bool,
    include_resolved: bool = False,
    limit: int = 500,
) -> list[ConflictRecord]:
    """Conflicts recorded in scope (a village, township or county), newest first.

    With `confidential` (see confidential_for), conflicts over CONFIDENTIAL_FIELDS are left out.
    """
    column = getattr(Conflict, scope_column(scope))
    query = select(Conflict).where(column == scope)
    if confidential:
        # Left out rather than listed with null values: a village director cannot resolve a
        # conflict (REVIEWER_ROLES), so a record with its values blanked offers nothing to act
        # on, and a null there reads as a real value (a cleared field). Filtered in SQL so
        # `limit` still counts the conflicts returned. The reviewer who resolves it sees it whole.
        query = query.where(tuple_(col(Conflict.entity), col(Conflict.field)).not_in(_CONFIDENTIAL))
    if not include_resolved:
        query = query.where(col(Conflict.resolved_ms).is_(None))
    query = query.order_by(col(Conflict.id).desc()).limit(limit)
    return [conflict_record(conflict) for conflict in session.exec(query).all()]


def resolve_conflict(
    session: Session,
    *,
    caller: Caller,
    conflict_id: int,
    keep: Literal["winner", "loser"],
    settings: Settings,
    client_addr: str = "",
) -> ResolveResponse:
    """Close a conflict; keeping the loser writes it as a new server change that syncs everywhere."""
    if caller.role not in REVIEWER_ROLES:
        raise APIError(
            403, "forbidden_role", "只有督导员或县级管理员可以处理冲突",
            "Only township supervisors and county administrators resolve conflicts",
        )
    conflict = session.get(Conflict, conflict_id)
    if conflict is None or not covers(caller.scope, conflict.division_code):
        raise APIError(404, "conflict_not_found", "未找到该冲突记录", "No such conflict")
    if conflict.resolved_ms is not None:
        raise APIError(409, "already_resolved", "该冲突已处理", "This conflict is already resolved")
    now = now_ms()
    change: ServerChange | None = None
    if keep == "loser":
        writer = _Writer(session, caller, now=now, settings=settings)
        row = writer.row(conflict.entity, conflict.row_id)
        if row is None or not covers(caller.scope, row.division_code):
            raise APIError(
                403, "out_of_jurisdiction", "该记录已不在您的管辖范围内",
                "The record is no longer in your jurisdiction",
            )
        state = writer.state(conflict.entity, conflict.row_id, conflict.field)
        hlc = server_hlc(after=max(state.hlc if state else "", conflict.winner_hlc), now=now)
        with session.no_autoflush:
            seq = writer.accept(
                row, conflict.field, conflict.loser_value_json, hlc=hlc,
                device_id=SERVER_DEVICE_ID, pushed_by=SERVER_DEVICE_ID,
            )
        entry = next(e for e in writer.log if e["seq"] == seq)
        writer.finish()
        change = _server_change(SimpleNamespace(**entry), server_epoch(session))
    conflict.resolved_ms = now
    conflict.resolved_by = caller.user.username
    conflict.resolution = keep
    session.add(conflict)
    audit(
        session, action="resolve", username=caller.user.username, device_id=caller.device.id,
        count=1, detail={"conflict": conflict_id, "keep": keep}, client_addr=client_addr,
    )
    session.commit()
    return ResolveResponse(conflict=conflict_record(conflict), change=change)


# -- attachments ---------------------------------------------------------------------------------


def _not_found_attachment() -> APIError:
    return APIError(
        404, "attachment_not_found", "您的管辖范围内没有该附件",
        "No attachment with this hash in your jurisdiction",
    )


def _attachment_size(session: Session, caller: Caller, sha256: str) -> int:
    """Size declared by an in-scope attachment record with this hash (404 if none is in scope)."""
    rows = session.exec(
        select(AttachmentRef.row_id, RecordRow.division_code)
        .join(
            RecordRow,
            and_(
                col(RecordRow.entity) == Entity.ATTACHMENT.value,
                col(RecordRow.row_id) == col(AttachmentRef.row_id),
            ),
        )
        .where(AttachmentRef.sha256 == sha256)
    ).all()
    row_ids = [row_id for row_id, division in rows if covers(caller.scope, division)]
    if not row_ids:
        raise _not_found_attachment()
    for row_id in row_ids:
        state = session.get(FieldState, (Entity.ATTACHMENT.value, row_id, "size"))
        size = load_value(state.value_json) if state is not None else None
        if isinstance(size, int) and not isinstance(size, bool) and size >= 0:
            return size
    raise APIError(
        409, "size_unknown", "附件记录缺少文件大小，请先同步附件记录",
        "The attachment record has no size yet; push the record first",
    )


def _chunks_total(size: int) -> int:
    chunk: int = ATTACHMENT_CHUNK_BYTES
    return max(1, -(-size // chunk))


def _status(session: Session, sha256: str, size: int) -> AttachmentStatus:
    blob = session.get(AttachmentBlob, sha256)
    received = list(
        session.exec(
            select(AttachmentChunk.chunk_index)
            .where(AttachmentChunk.sha256 == sha256)
            .order_by(col(AttachmentChunk.chunk_index))
        ).all()
    )
    return AttachmentStatus(
        sha256=sha256,
        size=blob.size if blob is not None else size,
        chunks_total=_chunks_total(blob.size if blob is not None else size),
        received=received,
        complete=blob is not None and blob.complete,
    )


def attachment_status(session: Session, *, caller: Caller, sha256: str) -> AttachmentStatus:
    size = _attachment_size(session, caller, sha256)
    return _status(session, sha256, size)


def put_chunk(
    session: Session, *, caller: Caller, sha256: str, index: int, data: bytes
) -> AttachmentStatus:
    """Store one chunk (idempotent); with the last one present, verify the whole file's hash."""
    size = _attachment_size(session, caller, sha256)
    blob = session.get(AttachmentBlob, sha256)
    if blob is None:
        blob = AttachmentBlob(sha256=sha256, size=size)
        session.add(blob)
        try:
            session.flush()
        except IntegrityError:
            # Another upload of the same file created it first: use theirs.
            session.rollback()
            blob = session.get(AttachmentBlob, sha256)
            assert blob is not None
    if blob.complete:
        return _status(session, sha256, blob.size)
    total = _chunks_total(blob.size)
    if not 0 <= index < total:
        raise APIError(
            422, "bad_chunk_index", f"分块序号应在 0 到 {total - 1} 之间",
            f"Chunk index must be between 0 and {total - 1}", field="index",
        )
    expected = (
        ATTACHMENT_CHUNK_BYTES if index < total - 1 else blob.size - ATTACHMENT_CHUNK_BYTES * (total - 1)
    )
    if len(data) != expected:
        raise APIError(
            422, "bad_chunk_size", f"第 {index} 块应为 {expected} 字节，收到 {len(data)} 字节",
            f"Chunk {index} must have {expected} bytes, got {len(data)}", field="body",
        )
    existing = session.get(AttachmentChunk, (sha256, index))
    if existing is None:
        session.add(AttachmentChunk(sha256=sha256, chunk_index=index, data=data))
    else:
        existing.data = data
        session.add(existing)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()  # the same chunk arrived twice at once; the other copy is stored
        return _status(session, sha256, size)
    count = len(
        session.exec(
            select(AttachmentChunk.chunk_index).where(AttachmentChunk.sha256 == sha256)
        ).all()
    )
    if count == total:
        digest = hashlib.sha256()
        for i in range(total):
            piece = session.exec(
                select(AttachmentChunk.data).where(
                    AttachmentChunk.sha256 == sha256, AttachmentChunk.chunk_index == i
                )
            ).one()
            digest.update(piece)
        if digest.hexdigest() != sha256:
            session.execute(delete(AttachmentChunk).where(col(AttachmentChunk.sha256) == sha256))
            session.commit()
            raise APIError(
                422, "hash_mismatch", "附件内容与其 SHA-256 不符，请重新上传",
                "The uploaded content does not match its SHA-256; upload it again",
            )
        blob.complete = True
        blob.completed_ms = now_ms()
        session.add(blob)
        audit(
            session, action="attachment", username=caller.user.username,
            device_id=caller.device.id, count=blob.size, detail={"sha256": sha256},
        )
    session.commit()
    return _status(session, sha256, blob.size)


def get_chunk(session: Session, *, caller: Caller, sha256: str, index: int) -> bytes:
    _attachment_size(session, caller, sha256)
    blob = session.get(AttachmentBlob, sha256)
    if blob is None or not blob.complete:
        raise APIError(
            409, "attachment_incomplete", "附件尚未完整上传", "The attachment is not fully uploaded yet"
        )
    piece = session.get(AttachmentChunk, (sha256, index))
    if piece is None:
        raise APIError(404, "chunk_not_found", "没有该分块", "No such chunk", field="index")
    return piece.data


def ensure_role(caller: Caller, roles: frozenset[Role]) -> None:
    if caller.role not in roles:
        raise APIError(
            403, "forbidden_role", "您的角色无权执行此操作", "Your role may not do this"
        )


def list_all_conflicts(
    session: Session, *, include_resolved: bool = False, limit: int = 500
) -> list[ConflictRecord]:
    """Every conflict on the server, newest first (administration CLI)."""
    query = select(Conflict)
    if not include_resolved:
        query = query.where(col(Conflict.resolved_ms).is_(None))
    query = query.order_by(col(Conflict.id).desc()).limit(limit)
    return [conflict_record(conflict) for conflict in session.exec(query).all()]
