"""Finding the header block of a home-made Excel ledger and mapping its column names to our fields."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..domain.validators import normalize_width

# Field keys are "<part>.<field>": part is child, father, mother or care (the ledger call that
# takes the value); "row.seq" is the 序号 column, read only to recognise subtotal rows.
_CHILD: dict[str, tuple[str, ...]] = {
    "child.name": ("姓名", "儿童姓名", "学生姓名", "留守儿童姓名", "困境儿童姓名", "名字"),
    "child.id_number": (
        "身份证号", "身份证号码", "公民身份号码", "公民身份证号码", "公民身份证号", "身份证",
        "儿童身份证号", "儿童身份证号码", "儿童公民身份号码", "身份号码", "证件号码",
    ),
    "child.sex": ("性别", "儿童性别"),
    "child.ethnicity": ("民族", "儿童民族"),
    "child.birth_date": ("出生日期", "出生年月", "出生年月日", "生日", "出生时间", "儿童出生日期"),
    "child.hukou_address": ("户籍地址", "户籍所在地", "户籍地", "户口所在地", "户籍住址", "户口地址"),
    "child.address": ("现住址", "居住地址", "现居住地", "现居住地址", "家庭住址", "住址", "现住地址", "家庭地址"),
    "child.categories": ("儿童类别", "类别", "儿童类型", "类型", "人员类别", "儿童分类"),
    "child.schooling": ("就学情况", "就学状况", "就读情况", "在校情况", "学段", "就读年级", "年级", "在读情况"),
    "child.school_name": ("学校", "学校名称", "就读学校", "所在学校"),
    "child.boarding": ("是否寄宿", "寄宿", "是否住校", "住校"),
    "child.health": ("健康状况", "健康情况", "身体状况"),
    "child.disability_kind": ("残疾类别", "残疾类型"),
    "child.disability_grade": ("残疾等级", "残疾级别"),
    "child.illness": ("所患疾病", "疾病", "疾病名称", "患病情况"),
    "child.guardianship_type": ("监护类型", "监护情况", "监护状况"),
    "child.hukou_registered": ("是否登记户口", "是否有户口", "是否落户"),
    "child.orphan_care": ("孤儿养育方式", "养育方式"),
    "child.income_sources": ("家庭经济来源", "经济来源", "家庭收入来源"),
    "child.assistance": ("享受救助情况", "救助情况", "享受政策", "享受救助"),
    "child.registered_on": ("建档日期", "建档时间", "登记日期", "录入日期"),
    "child.notes": ("备注", "说明", "其他情况"),
    "child.division_code": ("村代码", "区划代码", "村（社区）代码", "村居代码", "所属区划代码", "统计用区划代码"),
    "child.village_name": ("所在村", "村（社区）", "村名", "所属村", "村委会", "所在村（社区）", "村"),
    "care.care_type": ("实际照护情况", "照护类型", "照护方式", "实际监护情况", "照料情况", "照护情况"),
    "row.seq": ("序号", "编号", "序"),
}

_PERSON_SUBS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", ""),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "身份证", "身份号码", "证件号码"),
    "phone": ("电话", "联系电话", "手机", "手机号", "手机号码", "联系方式", "电话号码"),
}
_PARENT_SUBS: dict[str, tuple[str, ...]] = {
    **_PERSON_SUBS,
    "condition": ("状况", "情况", "现状", "去向", "健康状况", "状态", "务工情况"),
    "work_place": ("务工地", "务工地点", "外出务工地", "务工地址", "外出务工地点", "务工单位地址"),
    "work_province": ("务工省份", "外出务工省份"),
    "work_city": ("务工城市", "务工市", "外出务工城市"),
}
_CARE_SUBS: dict[str, tuple[str, ...]] = {
    "caregiver_name": _PERSON_SUBS["name"],
    "caregiver_id_number": _PERSON_SUBS["id_number"],
    "caregiver_phone": _PERSON_SUBS["phone"],
    "caregiver_relation": ("与儿童关系", "关系", "与儿童的关系", "亲属关系"),
    "caregiver_address": ("住址", "地址", "居住地址"),
}
_GROUPS: dict[str, tuple[str, ...]] = {
    "father": ("父亲", "父"),
    "mother": ("母亲", "母"),
    "care": ("监护人", "委托照护人", "照护人", "实际监护人", "委托监护人", "照料人", "被委托人", "实际照护人"),
}


def _build_synonyms() -> dict[str, str]:
    table: dict[str, str] = {}
    for key, words in _CHILD.items():
        for word in words:
            table[word] = key
    for group, prefixes in _GROUPS.items():
        subs = _CARE_SUBS if group == "care" else _PARENT_SUBS
        for sub_key, words in subs.items():
            for prefix in prefixes:
                for word in words:
                    # A bare "父" is only a prefix; "父" alone is not a column.
                    if word or len(prefix) > 1:
                        table.setdefault(prefix + word, f"{group}.{sub_key}")
    return table


SYNONYMS: dict[str, str] = _build_synonyms()

_BRACKETS_RE = re.compile(r"[（(][^）)]*[）)]")
_PUNCT_RE = re.compile(r"[\s:：*＊#、/\\_\-—.。]")


def header_key(value: Any) -> str:
    """A header's text reduced for matching: width, spaces, marks and bracketed notes removed."""
    if value is None:
        return ""
    text = normalize_width(str(value))
    # "身份证号码（18位）", "出生日期(年月日)": the note does not change what the column is.
    stripped = _BRACKETS_RE.sub("", text)
    return _PUNCT_RE.sub("", stripped or text)


def match_header(value: Any) -> str | None:
    key = header_key(value)
    if not key:
        return None
    if key in SYNONYMS:
        return SYNONYMS[key]
    # "村（社区）" and "村（社区）代码" lose their meaning without the bracket; try the full text.
    full = _PUNCT_RE.sub("", normalize_width(str(value)))
    return SYNONYMS.get(full)


@dataclass(frozen=True, slots=True)
class Column:
    index: int  # 1-based
    header: str  # the header text as shown, groups joined with "/"
    field: str | None  # None: a column we do not read (reported, never silently dropped)

    @property
    def letter(self) -> str:
        return str(get_column_letter(self.index))


@dataclass(frozen=True, slots=True)
class HeaderBlock:
    first_row: int
    last_row: int
    columns: tuple[Column, ...]

    @property
    def data_start(self) -> int:
        return self.last_row + 1

    def field_columns(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for column in self.columns:
            if column.field is not None and column.field not in out:
                out[column.field] = column.index
        return out


_SCAN_ROWS = 20


def _merged_lookup(ws: Worksheet) -> dict[tuple[int, int], tuple[int, int]]:
    """Cell → top-left cell of the merged range it lies in (only the top rows matter here)."""
    lookup: dict[tuple[int, int], tuple[int, int]] = {}
    for merged in ws.merged_cells.ranges:
        if merged.min_row > _SCAN_ROWS + 2:
            continue
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                lookup[(row, col)] = (merged.min_row, merged.min_col)
    return lookup


def _text_at(ws: Worksheet, lookup: dict[tuple[int, int], tuple[int, int]], row: int, col: int) -> str:
    r, c = lookup.get((row, col), (row, col))
    value = ws.cell(r, c).value
    return "" if value is None else " ".join(normalize_width(str(value)).split())


def _single(ws: Worksheet, lookup: dict[tuple[int, int], tuple[int, int]], row: int, width: int) -> list[Column]:
    columns = []
    for col in range(1, width + 1):
        text = _text_at(ws, lookup, row, col)
        columns.append(Column(col, text, match_header(text)))
    return columns


def _double(ws: Worksheet, lookup: dict[tuple[int, int], tuple[int, int]], row: int, width: int) -> list[Column]:
    columns = []
    for col in range(1, width + 1):
        top = _text_at(ws, lookup, row, col)
        sub = _text_at(ws, lookup, row + 1, col)
        if not sub or lookup.get((row + 1, col)) == lookup.get((row, col), (row, col)):
            # A header merged down over both rows ("姓名" spanning two rows) stands alone.
            columns.append(Column(col, top, match_header(top)))
            continue
        if not top:
            columns.append(Column(col, sub, match_header(sub)))
            continue
        combined = header_key(top) + header_key(sub)
        field = SYNONYMS.get(combined)
        group = _group_prefix(top)
        if field is None and group is not None:
            # "父亲情况" or "监护人信息" over "姓名": the group word decides whose name it is.
            field = SYNONYMS.get(group + header_key(sub))
        if field is None:
            # A group heading such as "儿童基本信息" over "姓名": the sub-heading decides.
            field = match_header(sub)
            top_field = match_header(top)
            if field is not None and field.startswith("child.") and top_field is not None and top_field.startswith(("father", "mother", "care")):
                field = None
        columns.append(Column(col, f"{top}/{sub}", field))
    return columns


def _group_prefix(top: str) -> str | None:
    key = header_key(top)
    for prefixes in _GROUPS.values():
        for prefix in sorted(prefixes, key=len, reverse=True):
            if len(prefix) > 1 and key.startswith(prefix):
                return prefix
    return None


def _score(columns: list[Column]) -> int:
    fields = {c.field for c in columns if c.field is not None and c.field != "row.seq"}
    return len(fields)


def find_header(ws: Worksheet) -> HeaderBlock | None:
    """The best header block in the first rows: one row, or two rows under merged group headings."""
    width = ws.max_column or 0
    lookup = _merged_lookup(ws)
    best: HeaderBlock | None = None
    best_key = (1, 0)  # at least two recognised columns make a header
    last = min(ws.max_row or 0, _SCAN_ROWS)
    for row in range(1, last + 1):
        single = _single(ws, lookup, row, width)
        # A title merged over the header row would tie with the header row alone; the block
        # whose own first row names more columns is the real header.
        own = _score(single)
        for columns, last_row in ((single, row), (_double(ws, lookup, row, width), row + 1)):
            key = (_score(columns), own)
            if key > best_key:
                best_key = key
                best = HeaderBlock(row, last_row, tuple(columns))
    return best
