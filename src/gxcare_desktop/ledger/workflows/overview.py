"""Township and county overview: one row per village (township ledger) or per township (county
ledger) with the numbers a supervisor watches, and when each was last heard from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, text
from sqlmodel import col

from ...domain.divisions import load_divisions
from ...domain.enums import ReviewStatus, RiskLevel, Role
from ...domain.hlc import physical_ms
from ..tables import TABLES, Case, Child, Review
from ._common import local_day, utc_now

if TYPE_CHECKING:
    from ..service import Ledger

SILENT_DAYS = 14


@dataclass(frozen=True, slots=True)
class OverviewRow:
    division_code: str  # a village (12 digits) or a township (9 digits)
    name: str
    children: int
    overdue_visits: int
    high_risk: int
    open_cases: int
    pending_reviews: int
    last_heard: datetime | None  # UTC; the newest change that came from there
    silent: bool  # nothing heard for SILENT_DAYS or more (or never)


def _unit_length(ledger: Ledger) -> int:
    return {Role.COUNTY_ADMIN: 9}.get(ledger.role, 12)


def _grouped(session: Any, column: Any, length: int, *conditions: Any) -> dict[str, int]:
    unit = func.substr(column, 1, length)
    return {code: count for code, count in session.execute(select(unit, func.count()).where(*conditions).group_by(unit)).all()}  # noqa: C416


def _last_heard(session: Any, ledger: Ledger, length: int) -> dict[str, str]:
    """The newest field clock written by another device, per unit, over every synced table.

    Field clocks are kept on the rows themselves, so rows that arrived in the first download
    (which writes no change-log entries) count as well as pulled changes.
    """
    newest: dict[str, str] = {}
    # An encoded HLC is 13 digits, '-', 6 digits, '-', then the device id (from character 22).
    for table in TABLES.values():
        name = table.__tablename__
        rows = session.execute(
            text(
                f"SELECT substr(t.division_code, 1, :n), max(j.value) FROM {name} AS t, json_each(t.clocks) AS j "
                "WHERE t.division_code LIKE :scope AND substr(j.value, 22) != :device GROUP BY 1"
            ),
            {"n": length, "scope": ledger.village_code + "%", "device": ledger.device_id},
        ).all()
        for code, hlc in rows:
            if hlc and hlc > newest.get(code, ""):
                newest[code] = hlc
    return newest


def overview_rows(ledger: Ledger, *, today: date | None = None, now: datetime | None = None) -> list[OverviewRow]:
    """Every village of the township (or township of the county), including those with no data yet.

    Last heard: the newest write that reached this ledger from that unit made by another device
    (the largest field clock not stamped here), since the server does not yet tell when a device
    last synced.
    """
    today = today or local_day(utc_now(now))
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    length = _unit_length(ledger)
    scope = ledger.village_code
    divisions = load_divisions()
    level = 4 if length == 9 else 5
    units = list(divisions.under(scope, level=level)) if len(scope) < length else [d for d in [divisions.get(scope)] if d]
    in_scope_child = col(Child.division_code).startswith(scope)
    live_child = (col(Child.deleted) == False, col(Child.archived) == False, in_scope_child)  # noqa: E712
    with ledger.reading() as session:
        children = _grouped(session, col(Child.division_code), length, *live_child)
        overdue = _grouped(session, col(Child.division_code), length, *live_child, col(Child.next_visit_due) < today)
        high = _grouped(session, col(Child.division_code), length, *live_child, col(Child.risk_level) == RiskLevel.HIGH.value)
        cases = _grouped(
            session, col(Case.division_code), length,
            col(Case.deleted) == False, col(Case.closed_on).is_(None),  # noqa: E712
            col(Case.division_code).startswith(scope),
        )
        reviews = _grouped(
            session, col(Review.division_code), length,
            col(Review.deleted) == False, col(Review.status) == ReviewStatus.SUBMITTED.value,  # noqa: E712
            col(Review.division_code).startswith(scope),
        )
        heard = _last_heard(session, ledger, length)
    rows = []
    for division in units:
        code = division.code
        last = datetime.fromtimestamp(physical_ms(heard[code]) / 1000, UTC) if code in heard else None
        rows.append(
            OverviewRow(
                division_code=code,
                name=division.name,
                children=children.get(code, 0),
                overdue_visits=overdue.get(code, 0),
                high_risk=high.get(code, 0),
                open_cases=cases.get(code, 0),
                pending_reviews=reviews.get(code, 0),
                last_heard=last,
                silent=last is None or moment - last >= timedelta(days=SILENT_DAYS),
            )
        )
    return rows
