"""Helpers of the workflow tests: ledgers of each role, carrying changes between ledgers, a test calendar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from gxcare_desktop.domain.enums import Role
from gxcare_desktop.domain.hlc import ZERO, Hlc
from gxcare_desktop.domain.records import spec
from gxcare_desktop.domain.workdays import HolidayCalendar, parse_calendar
from gxcare_desktop.ledger import Ledger, clocks
from gxcare_desktop.ledger.tables import TABLES
from gxcare_desktop.ledger.validation import to_wire
from tests.conftest import PASSWORD

COUNTY = "450124"

# Kept as data, as the shipped calendar is: National Day week off, Saturday 10 October worked.
TEST_CALENDAR: HolidayCalendar = parse_calendar(
    {
        "years": [2026],
        "holidays": [{"from": "2026-10-01", "to": "2026-10-07"}],
        "extra_workdays": [{"date": "2026-10-10"}],
    }
)


def make_ledger(tmp_path: Path, name: str, code: str, role: Role, user: str) -> Ledger:
    ledger, _ = Ledger.create(tmp_path / f"{name}.gxc", password=PASSWORD, village_code=code, role=role, user_name=user)
    return ledger


def _push(ledger: Ledger) -> None:
    while batch := ledger.outbox():
        ledger.mark_pushed((e.change_id, "accepted", "") for e in batch)


def carry(source: Ledger, target: Ledger) -> int:
    """Hand the state of `source` to `target` the way a sync would, without a server: both push
    their outbox; rows new to the target arrive whole (as the server's snapshot download does),
    rows it has are merged field by field with their clocks (as a pull does). Enough for service
    tests of a workflow that crosses ledgers; the end-to-end test goes through a real server.

    New rows go whole because Ledger.apply_remote cannot yet create a row with two NOT NULL links
    (case_step: child_id and case_id) from single-field changes (see the report of issue 6)."""
    _push(source)
    _push(target)
    snapshot: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    with source.reading() as src, target.reading() as dst:
        for entity, table in TABLES.items():
            fields = spec(entity).fields
            for row in src.scalars(select(table).where(table.division_code.startswith(target.village_code))):  # type: ignore[attr-defined]
                values = {f: to_wire(getattr(row, f)) for f in fields}
                stamps = {f: clocks.field_clock(row.clocks, f) for f in fields}
                if dst.get(table, row.id) is None:
                    snapshot.append({"entity": entity.value, "row_id": row.id, "division_code": row.division_code,
                                     "values": values, "clocks": stamps})
                    continue
                changes.extend(
                    {"change_id": f"carry:{row.id}:{f}:{stamps[f]}", "entity": entity.value, "row_id": row.id,
                     "division_code": row.division_code, "field": f, "value": values[f], "hlc": stamps[f],
                     "device_id": Hlc.decode(stamps[f]).device}
                    for f in fields
                    if stamps[f] and stamps[f] != ZERO
                )
    applied = target.apply_snapshot(snapshot) if snapshot else 0
    return applied + target.apply_remote(changes)
