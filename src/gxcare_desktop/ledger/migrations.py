"""Schema migrations of the ledger file, with the version recorded in the file itself."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, text
from sqlmodel import SQLModel

from .tables import LEDGER_TABLES


def _v1_initial(conn: Connection) -> None:
    SQLModel.metadata.create_all(conn, tables=[t.__table__ for t in LEDGER_TABLES])  # type: ignore[attr-defined]


def _v2_children_list_index(conn: Connection) -> None:
    # A covering index in list order: the children list and its filters read only this
    # (about a quarter of the table's size, so it stays in the decrypted page cache) and
    # need neither a sort nor a lookup into the table.
    conn.execute(
        text(
            "CREATE INDEX IF NOT EXISTS ix_child_list ON child (deleted, archived, name_pinyin, id, name, sex, "
            "birth_date, categories, risk_level, last_visit_date, next_visit_due, last_contact_date, "
            "division_code, id_number, name_initials, registered_on, age_out_on)"
        )
    )


def _v3_child_touch_log(conn: Connection) -> None:
    # Which children changed, in commit order, whoever wrote them (the service, bulk sync writes,
    # another process): the in-memory children list (summaries.py) re-reads just those rows.
    conn.execute(
        text("CREATE TABLE IF NOT EXISTS ledger_child_touch (seq INTEGER PRIMARY KEY AUTOINCREMENT, child_id TEXT NOT NULL)")
    )
    for event, row in (("INSERT", "new"), ("UPDATE", "new"), ("DELETE", "old")):
        conn.execute(
            text(
                f"CREATE TRIGGER IF NOT EXISTS child_touch_{event.lower()} AFTER {event} ON child "
                f"BEGIN INSERT INTO ledger_child_touch (child_id) VALUES ({row}.id); END"
            )
        )


def _v4_monthly_date_indexes(conn: Connection) -> None:
    # The monthly report counts a month's visits and assessments per village; without these it
    # read every visit ever recorded (1.25 million at 100,000 children: ~1 s). Covering, in date
    # order: the month is one range of the index and the table itself is not read.
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_visit_month ON visit (visit_date, deleted, division_code)"))
    conn.execute(
        text("CREATE INDEX IF NOT EXISTS ix_assessment_month ON assessment (assessed_on, deleted, division_code, level)")
    )


# Append new steps; never edit a step that has shipped.
MIGRATIONS: list[tuple[int, Callable[[Connection], None]]] = [
    (1, _v1_initial),
    (2, _v2_children_list_index),
    (3, _v3_child_touch_log),
    (4, _v4_monthly_date_indexes),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


def current_version(conn: Connection) -> int:
    exists = conn.execute(
        text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='ledger_meta'")
    ).scalar()
    if not exists:
        return 0
    value = conn.execute(text("SELECT value FROM ledger_meta WHERE key='schema_version'")).scalar()
    return int(value) if value else 0


def migrate(conn: Connection) -> int:
    """Bring the schema up to date inside the caller's transaction; returns the version reached."""
    version = current_version(conn)
    for step, upgrade in MIGRATIONS:
        if step > version:
            upgrade(conn)
            conn.execute(
                text("INSERT OR REPLACE INTO ledger_meta(key, value) VALUES ('schema_version', :v)"),
                {"v": str(step)},
            )
            version = step
    return version
