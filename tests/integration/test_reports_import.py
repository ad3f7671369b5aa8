"""Importing messy Excel ledgers into a real encrypted ledger: outcomes, updates, dry run, one transaction."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from gxcare_desktop.ledger import Ledger
from gxcare_desktop.ledger.tables import AuditEntry, ChangeLogEntry, Child, FamilyMember
from gxcare_desktop.progress import Cancelled, CancelToken, Progress
from gxcare_desktop.reports.commands import run_import
from gxcare_desktop.reports.import_apply import apply_import, preview_import
from gxcare_desktop.reports.ledger_import import read_ledger_workbook
from tests.conftest import OTHER_VILLAGE, VILLAGE
from tests.helpers import child_fields, make_id
from tests.unit.test_import_parsing import ID1, ID2, ID3, ID_X, _messy_workbook


def _counts(ledger: Ledger) -> tuple[int, int, int, int]:
    with ledger.reading() as session:
        return (
            session.execute(select(func.count()).select_from(Child)).scalar_one(),
            session.execute(select(func.count()).select_from(FamilyMember)).scalar_one(),
            session.execute(select(func.count()).select_from(ChangeLogEntry)).scalar_one(),
            session.execute(select(func.count()).select_from(AuditEntry)).scalar_one(),
        )


def _by_row(report):  # type: ignore[no-untyped-def]
    return {r.row_number: r for r in report.rows}


def test_messy_ledger_outcome_per_row_and_existing_child_updated(ledger: Ledger, tmp_path: Path) -> None:
    # ID1 is already on file under another spelling of the name: the import updates it.
    existing = ledger.create_child(**child_fields(name="韦晓明", birth_date=date(2014, 3, 4), id_number=ID1, sex="1", categories=[]))
    path = tmp_path / "台账.xlsx"
    rows = _messy_workbook(path)
    report = run_import(ledger, path, sheet=None, dry_run=False)
    outcome = {key: _by_row(report)[number] for key, number in rows.items()}
    assert outcome["text_id"].outcome == "updated"
    assert outcome["text_id"].child_id == existing.id
    assert outcome["dotted_date"].outcome == "created"
    assert outcome["lower_x"].outcome == "created"
    assert outcome["fullwidth"].outcome == "created"
    assert outcome["rounded"].outcome == "refused"
    assert outcome["duplicate"].outcome == "refused"
    assert outcome["bad_date"].outcome == "refused"
    for key in ("blank", "subtotal", "total", "footer"):
        assert outcome[key].outcome == "skipped"
    assert report.counts == {"created": 3, "updated": 1, "refused": 3, "skipped": 5}  # two blank rows

    # Never a duplicate: one child per ID number, the name taken from the sheet.
    with ledger.reading() as session:
        ids = list(session.scalars(select(Child.id_number)))
    assert sorted(ids) == sorted({ID1, ID2, ID3, ID_X})
    updated = ledger.child_file(existing.id)
    assert updated.child.name == "韦小明"
    assert updated.child.categories == ["left_behind"]
    assert updated.father is not None and updated.father.work_city == "深圳市"
    assert updated.mother is not None and updated.mother.condition == "working_away"
    orphan = ledger.find_child_by_id_number(ID_X)
    assert orphan is not None and orphan.division_code == VILLAGE and orphan.birth_date == date(2013, 6, 1)

    data = json.loads(report.to_json())
    assert data["counts"]["refused"] == 3
    refused = {r["row"]: r for r in data["rows"] if r["outcome"] == "refused"}
    assert "Excel" in refused[rows["rounded"]]["reason"]["zh"]
    assert refused[rows["rounded"]]["field"] == "child.id_number"
    assert all("*" in r["id_number"] or not r["id_number"] for r in data["rows"])
    assert ledger.verify_audit_chain().ok


def test_preview_marks_rows_already_on_file_as_updates(ledger: Ledger, tmp_path: Path) -> None:
    ledger.create_child(**child_fields(name="韦晓明", birth_date=date(2014, 3, 4), id_number=ID1, sex="1", categories=[]))
    path = tmp_path / "台账.xlsx"
    rows = _messy_workbook(path)
    before = _counts(ledger)
    preview = preview_import(ledger, read_ledger_workbook(path))
    actions = {r.row_number: r.action for r in preview.rows}
    assert actions[rows["text_id"]] == "update"
    assert actions[rows["dotted_date"]] == "create"
    assert actions[rows["rounded"]] == "refuse"
    assert actions[rows["blank"]] == "skip"
    assert _counts(ledger) == before


def test_dry_run_writes_nothing_but_reports_what_a_real_run_would(ledger: Ledger, tmp_path: Path) -> None:
    ledger.create_child(**child_fields(name="韦晓明", birth_date=date(2014, 3, 4), id_number=ID1, sex="1", categories=[]))
    path = tmp_path / "台账.xlsx"
    _messy_workbook(path)
    before = _counts(ledger)
    dry = run_import(ledger, path, sheet=None, dry_run=True)
    assert _counts(ledger) == before
    assert dry.dry_run and "未写入" in dry.summary().zh
    real = run_import(ledger, path, sheet=None, dry_run=False)
    assert [(r.row_number, r.outcome, r.field) for r in dry.rows] == [(r.row_number, r.outcome, r.field) for r in real.rows]
    assert _counts(ledger)[0] == before[0] + 3
    assert ledger.verify_audit_chain().ok


def test_service_refusals_name_row_field_and_reason_and_the_rest_continue(ledger: Ledger, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "儿童类别", "父亲状况", "母亲状况", "村代码"])
    ok_id = make_id(date(2016, 1, 2), male=True, seq=1)
    home_id = make_id(date(2016, 1, 3), male=True, seq=2)
    away_id = make_id(date(2016, 1, 4), male=True, seq=3)
    ws.append(["韦甲", ok_id, "留守儿童", "外出务工", "外出务工", VILLAGE])
    ws.append(["韦乙", home_id, "留守儿童", "正常", "外出务工", VILLAGE])  # a parent at home: not left behind
    ws.append(["韦丙", away_id, None, None, None, "450124100101"])  # another township: out of scope
    ws.append(["韦丁", make_id(date(2016, 1, 5), male=False, seq=4), None, None, None, OTHER_VILLAGE])
    path = tmp_path / "x.xlsx"
    wb.save(path)
    report = apply_import(ledger, read_ledger_workbook(path), dry_run=False)
    rows = _by_row(report)
    assert rows[2].outcome == "created"
    assert rows[3].outcome == "refused"
    assert rows[3].field == "child.categories"
    assert "留守" in rows[3].reason.zh  # type: ignore[union-attr]
    assert rows[4].outcome == "refused"
    assert rows[4].field == "child.division_code"
    assert rows[5].outcome == "refused" and rows[5].field == "child.division_code"  # a neighbouring village
    assert ledger.find_child_by_id_number(home_id) is None
    # The refused row left no parents behind: the savepoint took them back.
    with ledger.reading() as session:
        assert session.execute(select(func.count()).select_from(FamilyMember)).scalar_one() == 2
    assert ledger.verify_audit_chain().ok


def test_a_real_run_is_one_transaction_cancel_half_way_writes_nothing(ledger: Ledger, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "父亲姓名"])
    for i in range(6):
        ws.append([f"韦{'一二三四五六'[i]}", make_id(date(2015, 1, 1 + i), male=True, seq=i), "韦父"])
    path = tmp_path / "x.xlsx"
    wb.save(path)
    plan = read_ledger_workbook(path)
    before = _counts(ledger)
    token = CancelToken()
    seen: list[int] = []

    def progress(p: Progress) -> None:
        seen.append(p.done)
        if p.done == 4:
            token.cancel()

    with pytest.raises(Cancelled):
        apply_import(ledger, plan, dry_run=False, progress=progress, cancel=token)
    assert seen == [1, 2, 3, 4]
    assert _counts(ledger) == before
    assert ledger.verify_audit_chain().ok
    # The same plan then goes through whole.
    report = apply_import(ledger, plan, dry_run=False)
    assert report.counts["created"] == 6
    assert _counts(ledger)[0] == before[0] + 6


def test_supervisor_ledger_needs_a_village_per_row(tmp_path: Path) -> None:
    from gxcare_desktop.domain.enums import Role
    from tests.conftest import PASSWORD, TOWNSHIP

    ledger, _ = Ledger.create(tmp_path / "t.gxc", password=PASSWORD, village_code=TOWNSHIP, role=Role.TOWNSHIP_SUPERVISOR)
    try:
        wb = Workbook()
        ws = wb.active
        ws.append(["姓名", "身份证号", "村代码"])
        ws.append(["韦甲", make_id(date(2016, 1, 2), male=True, seq=1), VILLAGE])
        ws.append(["韦乙", make_id(date(2016, 1, 3), male=True, seq=2), None])
        path = tmp_path / "x.xlsx"
        wb.save(path)
        rows = _by_row(run_import(ledger, path, sheet=None, dry_run=False))
        assert rows[2].outcome == "created", rows[2].reason
        assert rows[3].outcome == "refused" and rows[3].field == "child.division_code"
    finally:
        ledger.close()


def test_an_id_met_twice_in_one_run_updates_the_child_the_run_created(ledger: Ledger, tmp_path: Path) -> None:
    # The sheet reader refuses a repeated ID number; a plan can still hold one (two sheets'
    # rows, a preview edited by hand): the second row must update, never duplicate.
    from dataclasses import replace

    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "儿童类别", "父亲状况", "母亲状况"])
    ws.append(["韦甲", make_id(date(2016, 1, 2), male=True, seq=1), None, "外出务工", None])
    path = tmp_path / "x.xlsx"
    wb.save(path)
    plan = read_ledger_workbook(path)
    first = plan.rows[0]
    second = replace(
        first,
        row_number=first.row_number + 1,
        child_fields={**first.child_fields, "name": "韦乙", "categories": ["left_behind"]},
        mother_fields={"condition": "working_away"},
    )
    plan = replace(plan, rows=[first, second])
    seen: list[int] = []
    dry = apply_import(ledger, plan, dry_run=True, progress=lambda p: seen.append(p.done))
    real = apply_import(ledger, plan, dry_run=False)
    assert [(r.outcome, r.child_id == real.rows[0].child_id) for r in real.rows] == [("created", True), ("updated", True)]
    assert [r.outcome for r in dry.rows] == ["created", "updated"] and seen == [1, 2]
    child = ledger.find_child_by_id_number(first.id_number)
    assert child is not None and child.name == "韦乙" and child.categories == ["left_behind"]
    assert child.name_pinyin.startswith("wei") and child.next_visit_due is not None
    file = ledger.child_file(child.id)
    assert file.father is not None and file.mother is not None and file.mother.condition == "working_away"
    assert _counts(ledger)[:2] == (1, 2)
    assert ledger.verify_audit_chain().ok
