"""Township overview: one row per village with its numbers and when it was last heard from."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from gxcare_desktop.domain.divisions import load_divisions
from gxcare_desktop.domain.enums import Role
from gxcare_desktop.ledger import Ledger
from gxcare_desktop.ledger import workflows as wf
from tests.conftest import OTHER_VILLAGE, TOWNSHIP, VILLAGE
from tests.helpers import child_fields
from tests.integration._workflow_support import COUNTY, carry, make_ledger


def test_township_rows_per_village_with_counts_and_silence(tmp_path: Path, ledger: Ledger) -> None:
    township = make_ledger(tmp_path, "township", TOWNSHIP, Role.TOWNSHIP_SUPERVISOR, "黄督导")
    other = make_ledger(tmp_path, "other", OTHER_VILLAGE, Role.VILLAGE_DIRECTOR, "覃主任")
    county = make_ledger(tmp_path, "county", COUNTY, Role.COUNTY_ADMIN, "蓝科长")
    try:
        a = ledger.create_child(**child_fields(seq=31, name="韦一"))
        ledger.create_child(**child_fields(seq=32, name="韦二", sex="2"))
        ledger.assess(a.id, level="missing", assessed_on=date(2026, 11, 1))  # high risk
        wf.submit_for_review(ledger, child_id=a.id, kind="new_file")
        wf.open_case(ledger, child_id=a.id, situation="abandonment", opened_on=date(2026, 11, 2), place="",
                     observed="无人照料", reporter_name="韦老师")
        other.create_child(**child_fields(seq=33, name="覃三"))
        carry(ledger, township)
        carry(other, township)

        heard = datetime.now(UTC)
        rows = {r.division_code: r for r in wf.overview_rows(township, now=heard)}
        assert set(rows) == set(load_divisions().village_codes_under(TOWNSHIP))
        mine = rows[VILLAGE]
        assert (mine.children, mine.high_risk, mine.open_cases, mine.pending_reviews) == (2, 1, 1, 1)
        assert mine.last_heard is not None and not mine.silent
        assert rows[OTHER_VILLAGE].children == 1 and rows[OTHER_VILLAGE].pending_reviews == 0
        quiet = [r for code, r in rows.items() if code not in (VILLAGE, OTHER_VILLAGE)]
        assert quiet and all(r.silent and r.last_heard is None and r.children == 0 for r in quiet)

        # Two weeks without anything new from the village: it stands out.
        later = wf.overview_rows(township, now=mine.last_heard + timedelta(days=14))
        assert {r.division_code: r.silent for r in later}[VILLAGE]
        overdue_later = wf.overview_rows(township, today=date(2027, 6, 1))
        assert {r.division_code: r.overdue_visits for r in overdue_later}[VILLAGE] == 2

        # A county ledger sees one row per township.
        carry(township, county)
        county_rows = {r.division_code: r for r in wf.overview_rows(county)}
        assert all(len(code) == 9 for code in county_rows)
        assert county_rows[TOWNSHIP].children == 3 and county_rows[TOWNSHIP].pending_reviews == 1
    finally:
        for opened in (township, other, county):
            opened.close()


def test_a_village_ledger_has_one_row_and_never_hears_from_itself(ledger: Ledger) -> None:
    ledger.create_child(**child_fields())
    rows = wf.overview_rows(ledger)
    assert [(r.division_code, r.children, r.last_heard) for r in rows] == [(VILLAGE, 1, None)]
