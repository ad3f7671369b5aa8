"""The monthly report (月报): per-village or per-township counts for one month, from SQL aggregates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import text

from ..domain.divisions import load_divisions, scope_level
from ..domain.enums import Category, ExitReason, GuardianshipLevel
from ..domain.errors import ValidationError
from ..domain.rules import PARENT_CONTACT_MAX_DAYS
from ..domain.text import Text
from ..ledger import Ledger

# A village report has one row (the village); a township one row per village; a county or
# wider scope one row per township.
_ROW_CODE_LENGTH = {5: 12, 4: 12, 3: 9, 2: 9, 1: 9}

COUNT_KEYS: tuple[str, ...] = (
    "on_file", "male", "female",
    *(f"cat_{c.value}" for c in Category),
    "new_files",
    *(f"exit_{r.value}" for r in ExitReason),
    "visits_due", "visits_done", "visits_overdue",
    "no_contact",
    *(f"assess_{g.value}" for g in GuardianshipLevel),
    "high_risk",
    "cases_opened", "cases_closed",
    "subsidy_children", "subsidy_amount",
    "staff_trained",
)


@dataclass
class MonthlyRow:
    code: str
    name: str
    counts: dict[str, float] = field(default_factory=lambda: dict.fromkeys(COUNT_KEYS, 0))

    def __getitem__(self, key: str) -> float:
        return self.counts[key]


@dataclass
class MonthlyReport:
    month: date
    scope: str
    scope_name: str
    as_of: date  # the day "overdue" and "no contact" are judged on: month end, or today if sooner
    rows: list[MonthlyRow]

    @property
    def totals(self) -> dict[str, float]:
        return {key: sum(row.counts[key] for row in self.rows) for key in COUNT_KEYS}

    @property
    def month_label(self) -> Text:
        return Text(f"{self.month.year}年{self.month.month}月", f"{self.month:%B %Y}")


def month_end(month: date) -> date:
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def _check_month(month: date) -> date:
    if month.day != 1:
        raise ValidationError("month", Text("月份应为当月第一天", "month must be the first day of the month"), field_label=Text("月份", "Month"))
    return month


def on_file_condition(alias: str = "c") -> str:
    """SQL for "this child was on file at :end": registered by then, not deleted, not yet exited."""
    return (
        f"{alias}.deleted = 0 AND substr({alias}.division_code, 1, :scope_len) = :scope "
        f"AND ({alias}.registered_on IS NULL OR {alias}.registered_on <= :end) "
        f"AND ({alias}.archived = 0 OR {alias}.exit_date IS NULL OR {alias}.exit_date > :end)"
    )


def compute_monthly(
    ledger: Ledger, *, month: date, scope: str | None = None, today: date | None = None
) -> MonthlyReport:
    """Count everything the county form asks for, in a handful of GROUP BY queries."""
    month = _check_month(month)
    scope = scope or ledger.village_code
    level = scope_level(scope)
    if not scope.startswith(ledger.village_code) and not ledger.village_code.startswith(scope):
        raise ValidationError(
            "scope",
            Text("所选范围不在本台账的管辖范围内", "The chosen area is outside this ledger's jurisdiction"),
            field_label=Text("统计范围", "Scope"),
        )
    row_len = _ROW_CODE_LENGTH[level]
    end = month_end(month)
    as_of = min(end, today or date.today())
    ym = f"{month:%Y-%m}"
    params: dict[str, Any] = {
        "scope": scope,
        "scope_len": len(scope),
        "row_len": row_len,
        "start": month.isoformat(),
        "end": end.isoformat(),
        "as_of": as_of.isoformat(),
        "contact_limit": (as_of - timedelta(days=PARENT_CONTACT_MAX_DAYS)).isoformat(),
        "ym": ym,
    }
    rows: dict[str, MonthlyRow] = {}
    divisions = load_divisions()

    def row(code: str) -> MonthlyRow:
        if code not in rows:
            division = divisions.get(code)
            rows[code] = MonthlyRow(code, division.name if division else code)
        return rows[code]

    # Every unit of the scope gets a row, even one with nothing on file: the county sees zeros.
    for division in divisions.under(scope, level=5 if row_len == 12 else 4):
        if len(division.code) == row_len:
            row(division.code)
    if level == 5:
        row(scope)

    group = "substr(c.division_code, 1, :row_len)"
    category_sums = ", ".join(
        f"sum(CASE WHEN c.categories LIKE '%\"{c.value}\"%' THEN 1 ELSE 0 END)" for c in Category
    )
    on_file = on_file_condition("c")
    with ledger.reading() as session:
        for code, total, male, female, high, no_contact, overdue, due, *cats in session.execute(
            text(
                f"SELECT {group}, count(*), sum(c.sex = '1'), sum(c.sex = '2'), sum(c.risk_level = 'high'), "
                "sum(c.categories LIKE '%\"left_behind\"%' AND ((c.last_contact_date IS NULL AND "
                "(c.registered_on IS NULL OR c.registered_on <= :contact_limit)) OR c.last_contact_date < :contact_limit)), "
                "sum(c.next_visit_due < :as_of), "
                "sum(c.next_visit_due <= :end OR (c.last_visit_date >= :start AND c.last_visit_date <= :end)), "
                f"{category_sums} FROM child c WHERE {on_file} GROUP BY 1"
            ),
            params,
        ):
            r = row(code)
            r.counts.update(on_file=total, male=male or 0, female=female or 0, high_risk=high or 0,
                            no_contact=no_contact or 0, visits_overdue=overdue or 0, visits_due=due or 0)
            for category, value in zip(Category, cats, strict=True):
                r.counts[f"cat_{category.value}"] = value or 0
        scoped = "c.deleted = 0 AND substr(c.division_code, 1, :scope_len) = :scope"
        for code, count in session.execute(
            text(f"SELECT {group}, count(*) FROM child c WHERE {scoped} AND c.registered_on BETWEEN :start AND :end GROUP BY 1"),
            params,
        ):
            row(code).counts["new_files"] = count
        for code, reason, count in session.execute(
            text(
                f"SELECT {group}, c.exit_reason, count(*) FROM child c WHERE {scoped} AND c.archived = 1 "
                "AND c.exit_date BETWEEN :start AND :end GROUP BY 1, 2"
            ),
            params,
        ):
            key = f"exit_{reason}"
            if key in row(code).counts:
                row(code).counts[key] = count
        sub_group = "substr(x.division_code, 1, :row_len)"
        sub_scope = "x.deleted = 0 AND substr(x.division_code, 1, :scope_len) = :scope"
        for code, count in session.execute(
            text(f"SELECT {sub_group}, count(*) FROM visit x WHERE {sub_scope} AND x.visit_date BETWEEN :start AND :end GROUP BY 1"),
            params,
        ):
            row(code).counts["visits_done"] = count
        for code, level_code, count in session.execute(
            text(
                f"SELECT {sub_group}, x.level, count(*) FROM assessment x WHERE {sub_scope} "
                "AND x.assessed_on BETWEEN :start AND :end GROUP BY 1, 2"
            ),
            params,
        ):
            key = f"assess_{level_code}"
            if key in row(code).counts:
                row(code).counts[key] = count
        for code, opened, closed in session.execute(
            text(
                f"SELECT {sub_group}, sum(x.opened_on BETWEEN :start AND :end), sum(x.closed_on BETWEEN :start AND :end) "
                f"FROM welfare_case x WHERE {sub_scope} GROUP BY 1"
            ),
            params,
        ):
            row(code).counts.update(cases_opened=opened or 0, cases_closed=closed or 0)
        for code, children, amount in session.execute(
            text(
                f"SELECT {sub_group}, count(DISTINCT x.child_id), sum(x.amount_monthly) FROM benefit x "
                f"JOIN child c ON c.id = x.child_id WHERE {sub_scope} AND c.deleted = 0 "
                "AND x.start_month <= :ym AND (x.end_month = '' OR x.end_month IS NULL OR x.end_month >= :ym) GROUP BY 1"
            ),
            params,
        ):
            row(code).counts.update(subsidy_children=children or 0, subsidy_amount=float(amount or 0))
        for code, count in session.execute(
            text(
                "SELECT substr(s.division_code, 1, :row_len), count(DISTINCT s.id) FROM staff s JOIN training x "
                "ON x.staff_id = s.id WHERE s.deleted = 0 AND x.deleted = 0 AND substr(s.division_code, 1, :scope_len) = :scope "
                "AND x.trained_on BETWEEN :start AND :end GROUP BY 1"
            ),
            params,
        ):
            row(code).counts["staff_trained"] = count
    scope_division = divisions.get(scope)
    return MonthlyReport(
        month=month,
        scope=scope,
        scope_name=divisions.full_name(scope) if scope_division else scope,
        as_of=as_of,
        rows=[rows[code] for code in sorted(rows)],
    )
