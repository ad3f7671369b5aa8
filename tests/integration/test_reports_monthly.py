"""The monthly workbook checked cell by cell against counts the test derives from what it wrote."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from gxcare_desktop.ledger import Ledger
from gxcare_desktop.ledger.demo import create_demo_ledger
from gxcare_desktop.ledger.tables import AuditEntry
from gxcare_desktop.progress import Cancelled, CancelToken, Progress
from gxcare_desktop.reports.commands import run_import
from gxcare_desktop.reports.monthly import compute_monthly
from gxcare_desktop.reports.monthly_excel import (
    FIRST_DATA_ROW,
    FORM_COLUMNS,
    write_monthly_workbook,
)
from tests.conftest import PASSWORD
from tests.helpers import child_fields, make_id

TODAY = date.today()
MONTH = TODAY.replace(day=1)


def _column(key: str) -> int:
    return 3 + [k for _, _, k in FORM_COLUMNS].index(key)


def test_monthly_workbook_cells_merges_and_totals(ledger: Ledger, tmp_path: Path) -> None:
    # What the test puts in: 3 boys and 2 girls, categories known, one archived this month.
    made = []
    for i, (male, cats) in enumerate([(True, ["left_behind"]), (True, ["orphan"]), (True, ["left_behind"]),
                                       (False, ["difficulty_poverty"]), (False, [])]):
        birth = date(2014, 1, 1 + i)
        child = ledger.create_child(**child_fields(name=f"韦{'一二三四五'[i]}", birth_date=birth, sex="1" if male else "2",
                                                   id_number=make_id(birth, male=male, seq=i), categories=[]))
        if "orphan" in cats:
            ledger.set_parent(child.id, "father", condition="dead")
            ledger.set_parent(child.id, "mother", condition="dead")
        if "left_behind" in cats:
            ledger.set_parent(child.id, "father", condition="working_away")
            ledger.set_parent(child.id, "mother", condition="working_away")
        if cats:
            ledger.update_child(child.id, categories=cats)
        made.append(child)
    ledger.record_visit(made[0].id, visit_date=TODAY, mode="home", guardianship_level="missing")
    ledger.record_visit(made[1].id, visit_date=TODAY, mode="phone")
    ledger.add_benefit(made[1].id, kind="orphan_allowance", amount_monthly=1022, start_month=f"{MONTH:%Y-%m}")
    ledger.archive_child(made[4].id, reason="moved", on=TODAY)

    report = compute_monthly(ledger, month=MONTH)
    out = tmp_path / "月报.xlsx"
    write_monthly_workbook(report, out, unit_name="新汉村委会", filled_by="韦主任", filled_on=TODAY, ledger=ledger)

    wb = load_workbook(out)
    assert wb.sheetnames == ["月报表", "花名册"]
    ws = wb["月报表"]
    assert str(ws["A1"].value).startswith("广西壮族自治区农村留守儿童和困境儿童关爱服务月报表")
    assert f"{MONTH.year}年{MONTH.month}月" in ws["A1"].value
    merges = {str(r) for r in ws.merged_cells.ranges}
    last = ws.cell(3, 2 + len(FORM_COLUMNS)).column_letter
    assert f"A1:{last}1" in merges
    assert "A3:A4" in merges and "B3:B4" in merges
    assert "C3:E3" in merges  # 在档儿童 over 合计/男/女
    assert ws["C3"].value == "在档儿童" and ws["C4"].value == "合计" and ws["D4"].value == "男"
    assert "填报单位：新汉村委会" in ws["A2"].value
    assert ws.freeze_panes == "C5"
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$3:$4"

    row = FIRST_DATA_ROW
    assert ws.cell(row, 2).value == "新汉村委会"
    expected = {
        "on_file": 4, "male": 3, "female": 1, "cat_left_behind": 2, "cat_orphan": 1, "cat_difficulty_poverty": 1,
        "new_files": 5, "exit_moved": 1, "visits_done": 2, "assess_missing": 1, "high_risk": 1,
        "subsidy_children": 1, "subsidy_amount": 1022,
    }
    for key, value in expected.items():
        assert ws.cell(row, _column(key)).value == value, key
    total_row = FIRST_DATA_ROW + 1
    assert ws.cell(total_row, 1).value == "合计"
    assert f"A{total_row}:B{total_row}" in merges
    for key in expected:
        assert ws.cell(total_row, _column(key)).value == ws.cell(row, _column(key)).value

    roster = wb["花名册"]
    names = sorted(roster.cell(r, 4).value for r in range(3, roster.max_row + 1))
    assert names == sorted(c.name for c in made)  # the four on file and the one who left this month
    ids = [roster.cell(r, 8).value for r in range(3, roster.max_row + 1)]
    assert all(i.startswith("450***********") and len(i) == 18 for i in ids)
    with ledger.reading() as session:
        assert session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq.desc())).first() == "export"  # type: ignore[union-attr]


def test_township_report_has_a_row_per_village_and_totals(tmp_path: Path) -> None:
    ledger = create_demo_ledger(tmp_path / "demo.gxc", password=PASSWORD, children=3200, seed=3)
    try:
        county = ledger.village_code
        township = next(code for code in [ledger.list_children()[0].division_code[:9]])
        report = compute_monthly(ledger, month=MONTH, scope=township)
        with ledger.reading():
            on_file = [c for c in ledger.list_children() if c.division_code.startswith(township)]
        assert all(len(r.code) == 12 and r.code.startswith(township) for r in report.rows)
        assert report.totals["on_file"] == len(on_file)
        by_village: dict[str, int] = {}
        for c in on_file:
            by_village[c.division_code] = by_village.get(c.division_code, 0) + 1
        assert {r.code: r["on_file"] for r in report.rows if r["on_file"]} == by_village
        overdue = sum(1 for c in on_file if c.next_visit_due and c.next_visit_due < min(TODAY, TODAY))
        assert report.totals["visits_overdue"] == overdue
        county_report = compute_monthly(ledger, month=MONTH, scope=county)
        assert all(len(r.code) == 9 for r in county_report.rows)
        out = tmp_path / "county.xlsx"
        write_monthly_workbook(county_report, out, unit_name="马山县民政局", filled_by="韦", filled_on=TODAY,
                               total_formulas=True)
        ws = load_workbook(out)["月报表"]
        total_row = FIRST_DATA_ROW + len(county_report.rows)
        assert ws.cell(total_row, 3).value == f"=SUM(C{FIRST_DATA_ROW}:C{total_row - 1})"
        values = [ws.cell(r, 3).value for r in range(FIRST_DATA_ROW, total_row)]
        assert sum(values) == county_report.totals["on_file"] == sum(1 for c in ledger.list_children())

        # A cancelled roster export leaves no file behind and records no export.
        token = CancelToken()
        seen: list[Progress] = []

        def cancel_at_first(p: Progress) -> None:
            seen.append(p)
            token.cancel()

        cancelled = tmp_path / "cancelled.xlsx"
        with pytest.raises(Cancelled):
            write_monthly_workbook(county_report, cancelled, unit_name="马山县", filled_by="韦", filled_on=TODAY,
                                   ledger=ledger, progress=cancel_at_first, cancel=token)
        assert seen and seen[0].done == 2000 and seen[0].total >= 3000
        assert not cancelled.exists() and not list(tmp_path.glob("*.part"))
        with ledger.reading() as session:
            actions = set(session.scalars(select(AuditEntry.action)))
        assert "export" not in actions
    finally:
        ledger.close()


def test_roundtrip_roster_with_full_ids_imports_the_same_children(tmp_path: Path) -> None:
    source = create_demo_ledger(tmp_path / "demo.gxc", password=PASSWORD, children=60, seed=5)
    target, _ = Ledger.create(tmp_path / "empty.gxc", password=PASSWORD, village_code=source.village_code)
    try:
        report = compute_monthly(source, month=MONTH)
        out = tmp_path / "roster.xlsx"
        write_monthly_workbook(report, out, unit_name="新汉村", filled_by="韦", filled_on=TODAY, ledger=source, full_ids=True)
        with source.reading() as session:
            action = session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq.desc())).first()  # type: ignore[union-attr]
        assert action == "export_full_ids"
        imported = run_import(target, out, sheet="花名册", dry_run=False)
        exited = {r.id for r in source.list_children() if r.archived}
        assert imported.counts["refused"] == 0, [r.reason for r in imported.rows if r.outcome == "refused"]

        def key(c):  # type: ignore[no-untyped-def]
            return (c.name, c.id_number, c.birth_date, c.sex, tuple(c.categories))

        wanted = sorted(key(c) for c in source.list_children() if c.id not in exited)
        got = sorted(key(c) for c in target.list_children())
        assert got == wanted and len(got) > 40
    finally:
        source.close()
        target.close()


def test_scope_must_be_inside_the_ledger(ledger: Ledger) -> None:
    from gxcare_desktop.domain.errors import ValidationError

    with pytest.raises(ValidationError):
        compute_monthly(ledger, month=MONTH, scope="450125")
    with pytest.raises(ValidationError):
        compute_monthly(ledger, month=MONTH + timedelta(days=1))


def test_english_workbook_and_no_roster_without_ledger(ledger: Ledger, tmp_path: Path) -> None:
    from gxcare_desktop.reports.common import english

    ledger.create_child(**child_fields(name="韦一", seq=1, categories=[]))
    report = compute_monthly(ledger, month=MONTH)
    out = tmp_path / "en.xlsx"
    write_monthly_workbook(report, out, unit_name="Xinhan", filled_by="Wei", filled_on=TODAY, translate=english, ledger=ledger)
    wb = load_workbook(out)
    assert wb.sheetnames == ["Monthly report", "Roster"]
    ws = wb["Monthly report"]
    assert ws["A1"].value.startswith("Guangxi monthly report")
    assert ws["C3"].value == "Children on file" and ws["C4"].value == "Total"
    roster = wb["Roster"]
    assert roster["D2"].value == "Name" and roster["E3"].value == "Male"
    bare = tmp_path / "bare.xlsx"
    write_monthly_workbook(report, bare, unit_name="新汉村", filled_by="韦", filled_on=TODAY)
    assert load_workbook(bare).sheetnames == ["月报表"]
