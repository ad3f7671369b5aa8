"""The statements every push and pull runs, built once.

Building a SQLAlchemy statement (and the cache key it needs) costs several times what running
it costs: measured on the township database, a one-row FieldState lookup took 116 µs built per
call through the ORM and 23 µs prebuilt in Core; the counter's UPDATE ... RETURNING 136 µs and
12 µs. A push runs a dozen of these while it holds the database's write lock (on SQLite, one
per file), so that time is what every other push waits for. Values go in as bound parameters;
lists through expanding parameters.
"""

from __future__ import annotations

from sqlalchemy import BindParameter, bindparam, case, insert, select, update
from sqlmodel import col
from sqlmodel import select as sqlmodel_select

from .models import (
    AuditEvent,
    ChangeLogEntry,
    Device,
    FieldState,
    PushReceipt,
    RecordRow,
    SeqCounter,
    ServerMeta,
    User,
)

_counter = SeqCounter.__table__  # type: ignore[attr-defined]
_meta = ServerMeta.__table__  # type: ignore[attr-defined]
_receipts = PushReceipt.__table__  # type: ignore[attr-defined]
_log = ChangeLogEntry.__table__  # type: ignore[attr-defined]

# The one-row sequence counter: locked until commit by a push (see services._lock_counter).
LOCK_COUNTER = (
    update(_counter).where(_counter.c.id == 1).values(value=_counter.c.value).returning(_counter.c.value)
)
SET_COUNTER = update(_counter).where(_counter.c.id == 1).values(value=bindparam("value"))
READ_COUNTER = select(_counter.c.value).where(_counter.c.id == 1)

_devices = Device.__table__  # type: ignore[attr-defined]
# The recorded cursor only moves forward, whatever another request of the device wrote since.
_cursor: BindParameter[int] = bindparam("last_pull_cursor")
RECORD_SEEN = (
    update(_devices)
    .where(_devices.c.id == bindparam("device_id"))
    .values(
        last_pull_cursor=case((_cursor > _devices.c.last_pull_cursor, _cursor), else_=_devices.c.last_pull_cursor),
        last_seen_ms=bindparam("last_seen_ms"),
    )
)

READ_EPOCH = select(_meta.c.value).where(_meta.c.key == "server_epoch")

# Earlier answers to (device, change ids).
READ_RECEIPTS = select(_receipts.c.change_id, _receipts.c.status, _receipts.c.reason).where(
    _receipts.c.device_id == bindparam("device_id"),
    _receipts.c.change_id.in_(bindparam("change_ids", expanding=True)),
)
INSERT_RECEIPTS = insert(_receipts)
INSERT_LOG = insert(_log)

# A pull page: log entries of one jurisdiction after the cursor, by its county, township or
# village column (each has its own (column, seq) index). Column rows, not mapped objects.
PULL_PAGE = {
    level: select(*_log.columns)
    .where(_log.c[level] == bindparam("scope"), _log.c.seq > bindparam("cursor"))
    .order_by(_log.c.seq)
    .limit(bindparam("limit"))
    for level in ("county", "township", "village")
}
# What identifies the entries at some sequence numbers (services._anchors).
LOG_IDENTITY = select(
    _log.c.seq, _log.c.kind, _log.c.entity, _log.c.row_id, _log.c.field, _log.c.hlc,
    _log.c.device_id, _log.c.value_json,
).where(_log.c.seq.in_(bindparam("seqs", expanding=True)))
INSERT_AUDIT = insert(AuditEvent.__table__)  # type: ignore[attr-defined]

# Mapped objects (the merge changes them and the session writes them back).
LOAD_ROWS = sqlmodel_select(RecordRow).where(
    col(RecordRow.entity) == bindparam("entity"),
    col(RecordRow.row_id).in_(bindparam("row_ids", expanding=True)),
)
LOAD_STATES = sqlmodel_select(FieldState).where(
    col(FieldState.entity) == bindparam("entity"),
    col(FieldState.row_id).in_(bindparam("row_ids", expanding=True)),
)
DEVICE_BY_TOKEN = (
    sqlmodel_select(Device, User)
    .join(User, col(User.id) == col(Device.user_id))
    .where(col(Device.token_hash) == bindparam("token_hash"))
)
