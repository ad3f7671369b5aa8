"""Schema steps of the ledger file: a file of an older version is brought up to date on opening."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from gxcare_desktop.ledger import Ledger
from gxcare_desktop.ledger.migrations import SCHEMA_VERSION
from tests.conftest import PASSWORD

_MONTH = {"rl": 12, "sl": 9, "scope": "450124100", "start": "2026-11-01", "end": "2026-11-30"}
_VISITS = (
    "SELECT substr(x.division_code, 1, :rl), count(*) FROM visit x WHERE x.deleted = 0 "
    "AND substr(x.division_code, 1, :sl) = :scope AND x.visit_date BETWEEN :start AND :end GROUP BY 1"
)
_ASSESSMENTS = (
    "SELECT substr(x.division_code, 1, :rl), x.level, count(*) FROM assessment x WHERE x.deleted = 0 "
    "AND substr(x.division_code, 1, :sl) = :scope AND x.assessed_on BETWEEN :start AND :end GROUP BY 1, 2"
)


def _plan(ledger: Ledger, sql: str) -> str:
    with ledger.reading() as session:
        return " ".join(row[3] for row in session.execute(text("EXPLAIN QUERY PLAN " + sql), _MONTH))


def test_a_version_3_file_gets_the_monthly_date_indexes(ledger: Ledger, ledger_path: Path) -> None:
    with ledger.unit_of_work() as session:
        session.execute(text("DROP INDEX ix_visit_month"))
        session.execute(text("DROP INDEX ix_assessment_month"))
        session.execute(text("UPDATE ledger_meta SET value = '3' WHERE key = 'schema_version'"))
    ledger.close()
    reopened = Ledger.open(ledger_path, password=PASSWORD)
    try:
        assert SCHEMA_VERSION >= 4
        assert reopened.meta("schema_version") == str(SCHEMA_VERSION)
        # The month's visits and assessments are one range of a covering index, not a table scan.
        assert "COVERING INDEX ix_visit_month" in _plan(reopened, _VISITS)
        assert "COVERING INDEX ix_assessment_month" in _plan(reopened, _ASSESSMENTS)
    finally:
        reopened.close()
