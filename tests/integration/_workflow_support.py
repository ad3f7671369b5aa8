"""Helpers of the workflow tests: ledgers of each role, carrying changes between ledgers, a test calendar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from gxcare_desktop.domain.enums import Role
from gxcare_desktop.domain.workdays import HolidayCalendar, parse_calendar
from gxcare_desktop.ledger import Ledger
from gxcare_desktop.ledger.tables import ChangeLogEntry
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
    """Hand every change `source` holds to `target` the way a sync would (both push their outbox,
    then the target merges with the replica code), without a server: enough for service tests of a
    workflow that crosses ledgers. The end-to-end test does the same through a real server."""
    _push(source)
    _push(target)
    with source.reading() as session:
        entries = list(session.scalars(select(ChangeLogEntry).order_by(ChangeLogEntry.seq)))  # type: ignore[arg-type]
    changes: list[dict[str, Any]] = [
        {
            "change_id": e.change_id.split(":")[0],
            "entity": e.entity,
            "row_id": e.row_id,
            "division_code": e.division_code,
            "field": e.field,
            "value": e.value,
            "hlc": e.hlc,
            "device_id": e.device_id,
        }
        for e in entries
        if e.device_id != target.device_id and e.division_code.startswith(target.village_code)
    ]
    return target.apply_remote(changes)
