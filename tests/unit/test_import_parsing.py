"""Reading messy home-made Excel ledgers into an import plan: every row's expected outcome."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from gxcare_desktop.domain.errors import ValidationError
from gxcare_desktop.reports.import_headers import match_header
from gxcare_desktop.reports.import_values import split_work_place
from gxcare_desktop.reports.ledger_import import ImportPlan, read_ledger_workbook
from tests.helpers import make_id

B1 = date(2014, 3, 4)
B2 = date(2015, 3, 4)
ID1 = make_id(B1, male=True, seq=11)
ID2 = make_id(B2, male=False, seq=22)
ID3 = make_id(B2, male=False, seq=44)
FULL_WIDTH_ID3 = "".join(chr(ord(c) + 0xFEE0) for c in ID3[:14]) + ID3[14:]
ID_X = next(make_id(date(2013, 6, d), male=True, seq=s) for d in range(1, 29) for s in range(100) if make_id(date(2013, 6, d), male=True, seq=s).endswith("X"))


def _messy_workbook(path: Path) -> dict[str, int]:
    """A ledger as a village keeps it; returns the sheet row of each case by name."""
    wb = Workbook()
    ws = wb.active
    ws.title = "留守儿童台账"
    ws.append(["白山镇某村农村留守儿童和困境儿童信息台账（2026年）"])
    ws.merge_cells("A1:N1")
    ws.append(["填报单位：某村委会"])
    ws.append(["序号", "儿童姓名", "公民身份号码", "性别", "民族", "出生年月", "儿童类别", "就学情况",
               "父亲", None, None, None, "母亲", None])
    ws.append([None, None, None, None, None, None, None, None,
               "姓名", "身份证号", "联系电话", "务工地", "姓名", "状况"])
    for col in "ABCDEFGH":
        ws.merge_cells(f"{col}3:{col}4")
    ws.merge_cells("I3:L3")
    ws.merge_cells("M3:N3")
    rows: dict[str, int] = {}

    def add(key: str, values: list[object]) -> None:
        ws.append(values)
        rows[key] = ws.max_row

    father_id = make_id(date(1985, 2, 3), male=True, seq=5)
    add("text_id", [1, "韦小明", ID1, "男", "壮族", datetime(2014, 3, 4), "留守儿童", "小学三年级",
                    "韦大明", father_id, "138 0013 8000", "广东省深圳市", "李芳", "外出务工"])
    add("dotted_date", [2, " 黄　丽 ", ID2, "女", "汉", "2015.3.4", "农村留守儿童", "幼儿园",
                        "黄强", None, "13800138001", "广东东莞", "陈梅", "外出"])
    ws.append([None] * 14)
    rows["blank"] = ws.max_row
    add("rounded", [3, "蒙小华", 4.50124201603041e17, "男", "壮", "2016/03/04", "留守", None,
                    None, None, None, None, None, None])
    add("lower_x", [4, "覃晓", ID_X.lower(), "男", "瑶族", "20130601", "孤儿", "初中",
                    None, None, None, None, None, "去世"])
    add("fullwidth", [5, "陆　军", FULL_WIDTH_ID3, "女", "壮族", "2015年3月4日", "困境儿童（家庭贫困）", "小学",
                      None, None, None, None, None, None])
    add("subtotal", ["小计", None, None, None, None, None, None, None, None, None, None, None, None, None])
    add("duplicate", [6, "韦小明", ID1, "男", "壮族", "2014-03-04", "留守儿童", "小学",
                      None, None, None, None, None, None])
    add("bad_date", [7, "莫小", make_id(date(2012, 1, 1), male=True, seq=33), "男", "壮族", "2012年13月1日", "留守儿童", None,
                     None, None, None, None, None, None])
    add("total", ["合计", None, "共7人", None, None, None, None, None, None, None, None, None, None, None])
    ws.append([None] * 14)
    add("footer", ["填表人：韦主任", None, None, None, None, "审核人：", None, None, None, None, None, None, None, None])
    wb.save(path)
    return rows


@pytest.fixture
def messy(tmp_path: Path) -> tuple[ImportPlan, dict[str, int]]:
    path = tmp_path / "台账.xlsx"
    rows = _messy_workbook(path)
    return read_ledger_workbook(path), rows


def _row(plan: ImportPlan, number: int):  # type: ignore[no-untyped-def]
    return next(r for r in plan.rows if r.row_number == number)


def test_finds_the_two_level_header_under_the_title(messy: tuple[ImportPlan, dict[str, int]]) -> None:
    plan, _ = messy
    assert (plan.header.first_row, plan.header.last_row) == (3, 4)
    fields = plan.header.field_columns()
    assert fields["child.name"] == 2
    assert fields["child.id_number"] == 3
    assert fields["child.birth_date"] == 6
    assert fields["father.name"] == 9
    assert fields["father.id_number"] == 10
    assert fields["father.phone"] == 11
    assert fields["father.work_place"] == 12
    assert fields["mother.name"] == 13
    assert fields["mother.condition"] == 14
    assert plan.unmapped_columns == []


def test_text_id_and_excel_date_become_a_child_with_father(messy: tuple[ImportPlan, dict[str, int]]) -> None:
    plan, rows = messy
    row = _row(plan, rows["text_id"])
    assert row.action == "create"
    assert row.child_fields["id_number"] == ID1
    assert row.child_fields["birth_date"] == B1
    assert row.child_fields["sex"] == "1"
    assert row.child_fields["categories"] == ["left_behind"]
    assert row.child_fields["schooling"] == "primary"
    assert row.father_fields["phone"] == "13800138000"
    assert (row.father_fields["work_province"], row.father_fields["work_city"]) == ("广东省", "深圳市")
    assert row.mother_fields == {"name": "李芳", "condition": "working_away"}


def test_dotted_date_and_stray_spaces(messy: tuple[ImportPlan, dict[str, int]]) -> None:
    plan, rows = messy
    row = _row(plan, rows["dotted_date"])
    assert row.action == "create"
    assert row.child_fields["name"] == "黄丽"
    assert row.child_fields["birth_date"] == B2
    assert row.child_fields["schooling"] == "kindergarten"
    assert row.mother_fields["condition"] == "working_away"
    assert (row.father_fields["work_province"], row.father_fields["work_city"]) == ("广东", "东莞")


def test_rounded_id_is_refused_saying_excel_rounded_it(messy: tuple[ImportPlan, dict[str, int]]) -> None:
    plan, rows = messy
    row = _row(plan, rows["rounded"])
    assert row.action == "refuse"
    assert row.field == "child.id_number"
    assert row.reason is not None and "Excel" in row.reason.zh and "rounded" in row.reason.en
    assert "身份号码" in row.reason.zh


def test_lowercase_x_compact_date_and_orphan(messy: tuple[ImportPlan, dict[str, int]]) -> None:
    plan, rows = messy
    row = _row(plan, rows["lower_x"])
    assert row.action == "create", row.reason
    assert row.child_fields["id_number"] == ID_X
    assert row.child_fields["birth_date"] == date(2013, 6, 1)
    assert row.child_fields["categories"] == ["orphan"]
    assert row.mother_fields == {"condition": "dead"}


def test_full_width_digits_and_chinese_date(messy: tuple[ImportPlan, dict[str, int]]) -> None:
    plan, rows = messy
    row = _row(plan, rows["fullwidth"])
    assert row.action == "create", row.reason
    assert row.child_fields["id_number"] == ID3
    assert row.child_fields["name"] == "陆军"
    assert row.child_fields["birth_date"] == B2
    assert row.child_fields["categories"] == ["difficulty_poverty"]


def test_blank_subtotal_total_and_footer_rows_are_skipped_and_reported(messy: tuple[ImportPlan, dict[str, int]]) -> None:
    plan, rows = messy
    for key in ("blank", "subtotal", "total", "footer"):
        row = _row(plan, rows[key])
        assert row.action == "skip", key
        assert row.reason is not None
    assert "合计" in _row(plan, rows["total"]).reason.zh  # type: ignore[union-attr]
    # Nothing after the footer is invented; every sheet row between header and footer has an outcome.
    numbers = [r.row_number for r in plan.rows]
    assert numbers == list(range(5, rows["footer"] + 1))


def test_same_child_twice_refers_to_the_first_row(messy: tuple[ImportPlan, dict[str, int]]) -> None:
    plan, rows = messy
    row = _row(plan, rows["duplicate"])
    assert row.action == "refuse"
    assert f"第{rows['text_id']}行" in row.reason.zh  # type: ignore[union-attr]
    assert f"row {rows['text_id']}" in row.reason.en  # type: ignore[union-attr]


def test_impossible_date_refused_with_field(messy: tuple[ImportPlan, dict[str, int]]) -> None:
    plan, rows = messy
    row = _row(plan, rows["bad_date"])
    assert row.action == "refuse"
    assert row.field == "child.birth_date"
    assert "出生日期" in row.reason.zh  # type: ignore[union-attr]


def test_single_row_header_with_synonyms_and_unmapped_column(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["编号", "姓 名", "身份证号码（18位）", "出生日期", "户籍所在地", "居住地址", "类别", "父亲姓名", "父亲联系电话",
               "母亲状况", "监护人姓名", "监护人与儿童关系", "备注", "爱好"])
    ws.append([1, "韦一", ID1, "2014-03-04", "马山县", "白山镇1组", "留守儿童", "韦二", "13800138000",
               "外出务工", "韦奶奶", "祖母", "  需要关注  ", "唱歌"])
    path = tmp_path / "flat.xlsx"
    wb.save(path)
    plan = read_ledger_workbook(path)
    assert plan.header.first_row == plan.header.last_row == 1
    row = plan.rows[0]
    assert row.action == "create"
    assert row.child_fields["hukou_address"] == "马山县"
    assert row.child_fields["address"] == "白山镇1组"
    assert row.child_fields["notes"] == "需要关注"
    assert row.father_fields == {"name": "韦二", "phone": "13800138000"}
    assert row.care_fields == {"caregiver_name": "韦奶奶", "caregiver_relation": "祖母"}
    assert [c.header for c in plan.unmapped_columns] == ["爱好"]


def test_sheet_without_header_is_refused_clearly(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["只是", "一些", "文字"])
    path = tmp_path / "none.xlsx"
    wb.save(path)
    with pytest.raises(ValidationError) as caught:
        read_ledger_workbook(path)
    assert "表头" in caught.value.message.zh


def test_unknown_sheet_name_lists_the_sheets(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    _messy_workbook(path)
    with pytest.raises(ValidationError) as caught:
        read_ledger_workbook(path, sheet="花名册")
    assert "留守儿童台账" in caught.value.message.zh


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("身份证", "child.id_number"), ("公民身份号码", "child.id_number"), ("出生年月", "child.birth_date"),
        ("户籍地址", "child.hukou_address"), ("现住址", "child.address"), ("儿童类别", "child.categories"),
        ("父亲身份证", "father.id_number"), ("母亲联系电话", "mother.phone"), ("父亲务工地", "father.work_place"),
        ("委托照护人姓名", "care.caregiver_name"), ("委托照护人电话", "care.caregiver_phone"),
        ("村（社区）代码", "child.division_code"), ("备 注", "child.notes"), ("性别", "child.sex"),
    ],
)
def test_header_synonyms(header: str, field: str) -> None:
    assert match_header(header) == field


def test_work_place_split() -> None:
    assert split_work_place("浙江省宁波市") == ("浙江省", "宁波市")
    assert split_work_place("广西壮族自治区南宁市") == ("广西壮族自治区", "南宁市")
    assert split_work_place("深圳") == ("", "深圳")


def test_group_headings_with_extra_words(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["儿童基本信息", None, "父亲情况", None, "监护人信息", None])
    ws.append(["姓名", "身份证号", "姓名", "联系电话", "姓名", "与儿童关系"])
    for cols in ("A1:B1", "C1:D1", "E1:F1"):
        ws.merge_cells(cols)
    ws.append(["韦一", ID1, "韦二", "13800138000", "韦奶奶", "祖母"])
    path = tmp_path / "groups.xlsx"
    wb.save(path)
    plan = read_ledger_workbook(path)
    assert plan.header.field_columns() == {
        "child.name": 1, "child.id_number": 2, "father.name": 3, "father.phone": 4,
        "care.caregiver_name": 5, "care.caregiver_relation": 6,
    }
    assert plan.rows[0].father_fields == {"name": "韦二", "phone": "13800138000"}


def test_old_xls_file_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "台账.xls"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 512)  # the OLE2 signature of .xls
    with pytest.raises(ValidationError) as caught:
        read_ledger_workbook(path)
    assert ".xlsx" in caught.value.message.zh and "another" not in caught.value.message.en


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        ("child.schooling", "初二", "junior"),
        ("child.schooling", "小学三年级", "primary"),
        ("child.schooling", "辍学在家", "dropped_out"),
        ("child.categories", "留守儿童、孤儿", ["left_behind", "orphan"]),
        ("child.categories", "困境儿童(自身残疾)", ["difficulty_disability"]),
        ("child.sex", "女性", "2"),
        ("child.boarding", "是", True),
        ("child.disability_grade", "二级", 2),
        ("father.condition", "外出打工", "working_away"),
        ("mother.condition", "已故", "dead"),
        ("care.care_type", "爷爷奶奶", "grandparents"),
        ("father.phone", 13800138000, "13800138000"),
        ("child.birth_date", "２０１５．３．４", date(2015, 3, 4)),
        ("child.birth_date", 42067, date(2015, 3, 4)),  # an Excel serial that lost its date format
        ("child.notes", "  ", None),
    ],
)
def test_cell_wordings(field: str, raw: object, expected: object) -> None:
    from gxcare_desktop.reports.import_values import parse_cell

    assert parse_cell(field, raw) == expected


def test_bare_kunjing_needs_its_kind() -> None:
    from gxcare_desktop.reports.import_values import parse_cell

    with pytest.raises(ValidationError) as caught:
        parse_cell("child.categories", "困境儿童")
    assert "家庭贫困" in caught.value.message.zh
