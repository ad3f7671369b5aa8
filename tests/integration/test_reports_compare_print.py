"""Department list comparison and the printed child file, against a real ledger."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from gxcare_desktop.ledger import Ledger
from gxcare_desktop.ledger.tables import AuditEntry
from gxcare_desktop.reports.commands import run_compare, run_print_file
from tests.helpers import child_fields, make_id


def test_education_list_comparison(ledger: Ledger, tmp_path: Path) -> None:
    a = ledger.create_child(**child_fields(name="韦甲", seq=1, schooling="primary"))
    b_birth = date(2015, 2, 2)
    ledger.create_child(**child_fields(name="韦乙", birth_date=b_birth, id_number=make_id(b_birth, male=True, seq=2), schooling="junior"))
    c_birth = date(2013, 3, 3)
    c = ledger.create_child(**child_fields(name="韦丙", birth_date=c_birth, id_number=make_id(c_birth, male=True, seq=3), schooling="primary"))
    stranger = make_id(date(2014, 4, 4), male=False, seq=4)
    wb = Workbook()
    ws = wb.active
    ws.append(["马山县义务教育控辍保学名单"])
    ws.append(["序号", "学生姓名", "身份证号码", "就学状态"])
    ws.append([1, "韦甲", a.id_number, "辍学"])  # differs: on file 小学
    ws.append([2, "韦丙", c.id_number.lower(), "小学"])  # same
    ws.append([3, "蓝丁", stranger, "在读"])  # not on file
    ws.append([4, "错号", 4.50124e17, "小学"])  # unreadable: Excel rounded
    path = tmp_path / "edu.xlsx"
    wb.save(path)
    out = tmp_path / "比对.xlsx"
    result = run_compare(ledger, path, department="education", out=out)
    assert [e.id_number for e in result.only_on_list] == [stranger]
    assert [name for _, name, _ in result.only_on_file] == ["韦乙"]
    assert [(d.name_on_file, d.ours, d.theirs) for d in result.status_differs] == [("韦甲", "primary", "辍学")]
    assert result.matched == 2
    assert [n for n, _ in result.unreadable] == [6]
    book = load_workbook(out)
    assert book.sheetnames == ["名单有档案无", "档案有名单无", "状态不一致", "无法识别的行"]
    differs = book["状态不一致"]
    assert [c.value for c in differs[3]][2:] == ["韦甲", "韦甲", "小学", "辍学"]
    assert str(differs["B3"].value).startswith("450***")


def test_police_and_disability_lists(ledger: Ledger, tmp_path: Path) -> None:
    a = ledger.create_child(**child_fields(name="韦甲", seq=1, health="disabled", disability_kind="4", disability_grade=2))
    b_birth = date(2015, 2, 2)
    b = ledger.create_child(**child_fields(name="韦乙", birth_date=b_birth, id_number=make_id(b_birth, male=True, seq=2)))
    police = Workbook()
    ws = police.active
    ws.append(["姓名", "公民身份号码", "户籍状态"])
    ws.append(["韦甲", a.id_number, "正常"])
    ws.append(["韦乙", b.id_number, "死亡"])
    police_path = tmp_path / "police.xlsx"
    police.save(police_path)
    result = run_compare(ledger, police_path, department="public_security", out=tmp_path / "p.xlsx")
    assert [(d.name_on_file, d.theirs) for d in result.status_differs] == [("韦乙", "死亡")]
    cdpf = Workbook()
    ws = cdpf.active
    ws.append(["姓名", "身份证号", "残疾类别"])
    ws.append(["韦甲", a.id_number, "智力残疾"])
    ws.append(["韦乙", b.id_number, "无"])
    cdpf_path = tmp_path / "cdpf.xlsx"
    cdpf.save(cdpf_path)
    result = run_compare(ledger, cdpf_path, department="disabled_federation", out=tmp_path / "d.xlsx")
    assert [(d.name_on_file, d.ours, d.theirs) for d in result.status_differs] == [("韦甲", "4", "智力残疾")]
    assert load_workbook(tmp_path / "d.xlsx")["状态不一致"]["E3"].value == "肢体残疾"


def test_printed_file_is_a_pdf_with_chinese_text(ledger: Ledger, tmp_path: Path) -> None:
    child = ledger.create_child(**child_fields(name="韦小明", seq=7))
    ledger.set_parent(child.id, "father", name="韦大明", condition="working_away", work_province="广东省", work_city="深圳市")
    ledger.set_parent(child.id, "mother", name="李芳", condition="working_away")
    ledger.update_child(child.id, categories=["left_behind"])
    ledger.record_visit(child.id, visit_date=date.today(), mode="home", findings="生活正常，祖辈照料尚可。")
    out = run_print_file(ledger, child.id_number, tmp_path / "file.pdf")
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert b"/FontFile2" in data  # the bundled TrueType CJK font is embedded
    with ledger.reading() as session:
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq.desc()).limit(2)))  # type: ignore[union-attr]
    assert actions == ["print", "view"]
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "儿童档案" in text and "韦小明" in text and "广东省深圳市" in text
    assert child.id_number not in text and child.id_number[-4:] in text  # masked
