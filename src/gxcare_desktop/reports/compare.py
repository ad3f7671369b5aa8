"""Comparing another department's list (education, police, disabled persons' federation) with the file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import text

from ..domain.enums import DisabilityKind, ExitReason, LabeledEnum, Schooling
from ..domain.errors import ValidationError
from ..domain.text import Text
from ..domain.validators import normalize_width, parse_id_number
from ..ledger import Ledger
from .common import Translate, chinese, is_blank, mask_id_number
from .import_headers import match_header
from .import_values import _schooling
from .ledger_import import open_workbook

Department = Literal["education", "public_security", "disabled_federation"]

DEPARTMENTS: dict[str, Text] = {
    "education": Text("教育部门", "Education"),
    "public_security": Text("公安部门", "Public security"),
    "disabled_federation": Text("残联", "Disabled persons' federation"),
}
_STATUS_HEADERS = ("状态", "就学状态", "就学情况", "在校状态", "学籍状态", "户籍状态", "人员状态", "残疾类别", "残疾状况", "状况")


@dataclass(frozen=True)
class ListEntry:
    row_number: int
    id_number: str
    name: str
    status: str  # the list's own wording
    status_code: str  # our code for it, "" when it has none


@dataclass(frozen=True)
class Difference:
    id_number: str
    name_on_file: str
    name_on_list: str
    ours: str
    theirs: str
    row_number: int


@dataclass
class ComparisonResult:
    department: str
    list_file: str
    only_on_list: list[ListEntry] = field(default_factory=list)
    only_on_file: list[tuple[str, str, str]] = field(default_factory=list)  # (id_number, name, our status)
    status_differs: list[Difference] = field(default_factory=list)
    unreadable: list[tuple[int, Text]] = field(default_factory=list)  # list rows refused, with the reason
    matched: int = 0


def _status_enum(department: str) -> type[LabeledEnum]:
    return {"education": Schooling, "disabled_federation": DisabilityKind}.get(department, ExitReason)


_IN_SCHOOL = "in_school"  # the education list says only "在读": any school we have on file agrees
_OUT_OF_SCHOOL = {Schooling.DROPPED_OUT.value, Schooling.NOT_IN_SCHOOL.value, Schooling.NOT_IN_KINDERGARTEN.value, ""}
_ACTIVE_WORDS = ("正常", "在册", "有效", "户籍正常", "在档")
_POLICE_WORDS = {"死亡": ExitReason.DIED.value, "已死亡": ExitReason.DIED.value, "注销（死亡）": ExitReason.DIED.value,
                 "迁出": ExitReason.MOVED.value, "户口迁出": ExitReason.MOVED.value, "已迁出": ExitReason.MOVED.value,
                 "被收养": ExitReason.ADOPTED.value, "收养": ExitReason.ADOPTED.value}


def _our_code(department: str, value: str) -> str:
    """Our code for the list's wording; "" means "active / nothing to report", the raw text if unknown."""
    key = "".join(value.split())
    if department == "education":
        if key in ("在读", "在校", "在学", "就读"):
            return _IN_SCHOOL
        try:
            return _schooling(value, "status")
        except ValidationError:
            return key
    if department == "public_security":
        if key in _ACTIVE_WORDS:
            return ""
        return _POLICE_WORDS.get(key, key)
    if key in ("无", "非残疾", "健全"):
        return ""
    for member in DisabilityKind:
        if key in (member.value, member.label.zh, member.label.zh.removesuffix("残疾")):
            return member.value
    return key


def _differs(department: str, ours: str, theirs: str) -> bool:
    if department == "education" and theirs == _IN_SCHOOL:
        return ours in _OUT_OF_SCHOOL
    return ours != theirs


def read_department_list(path: Path | str, department: str) -> tuple[list[ListEntry], list[tuple[int, Text]]]:
    """ID number, name and status of each row of the department's sheet (header found like the importer's)."""
    workbook = open_workbook(Path(path), read_only=True)
    try:
        ws = workbook.worksheets[0]
        rows = list(ws.iter_rows(values_only=True))
    finally:
        workbook.close()
    header_index = None
    for index, row in enumerate(rows[:20]):
        fields = [match_header(v) for v in row]
        if "child.id_number" in fields:
            header_index = index
            break
    if header_index is None:
        raise ValidationError("list", Text("名单中找不到“身份证号”列", "No ID number column in the list"),
                              field_label=Text("比对名单", "List"))
    header = rows[header_index]
    fields = [match_header(v) for v in header]
    id_col = fields.index("child.id_number")
    name_col = fields.index("child.name") if "child.name" in fields else None
    status_col = next((i for i, v in enumerate(header) if v is not None and "".join(normalize_width(str(v)).split()) in _STATUS_HEADERS), None)
    entries: list[ListEntry] = []
    refused: list[tuple[int, Text]] = []
    for number, row in enumerate(rows[header_index + 1:], start=header_index + 2):
        if all(is_blank(v) for v in row):
            continue
        try:
            id_number = parse_id_number(row[id_col], field="id_number").value
        except ValidationError as error:
            refused.append((number, Text(f"{error.field_label.zh}：{error.message.zh}", f"{error.field_label.en}: {error.message.en}")))
            continue
        status = "" if status_col is None or is_blank(row[status_col]) else " ".join(normalize_width(str(row[status_col])).split())
        name = "" if name_col is None or is_blank(row[name_col]) else "".join(str(row[name_col]).split())
        entries.append(ListEntry(number, id_number, name, status, _our_code(department, status) if status else ""))
    return entries, refused


def compare_with_list(ledger: Ledger, path: Path | str, *, department: str, scope: str | None = None) -> ComparisonResult:
    """Who is on the list but not on file, on file but not on the list, and whose status differs."""
    if department not in DEPARTMENTS:
        raise ValidationError("department", Text(f"未知部门：{department}", f"Unknown department: {department}"),
                              field_label=Text("部门", "Department"))
    entries, refused = read_department_list(path, department)
    scope = scope or ledger.village_code
    # The police list is about whether the child is still there: a file we hold open is "active".
    column = {"education": "schooling", "disabled_federation": "disability_kind"}.get(department, "''")
    on_file: dict[str, tuple[str, str]] = {}
    with ledger.reading() as session:
        for id_number, name, status in session.execute(
            text(f"SELECT id_number, name, {column} FROM child WHERE deleted = 0 AND archived = 0 "
                 "AND id_number != '' AND substr(division_code, 1, :n) = :scope"),
            {"n": len(scope), "scope": scope},
        ):
            on_file[id_number] = (name, status or "")
    result = ComparisonResult(department=department, list_file=str(path), unreadable=refused)
    listed: set[str] = set()
    for entry in entries:
        listed.add(entry.id_number)
        ours = on_file.get(entry.id_number)
        if ours is None:
            result.only_on_list.append(entry)
            continue
        result.matched += 1
        if entry.status and _differs(department, ours[1], entry.status_code):
            result.status_differs.append(Difference(entry.id_number, ours[0], entry.name, ours[1], entry.status, entry.row_number))
    result.only_on_file = sorted((i, n, s) for i, (n, s) in on_file.items() if i not in listed)
    return result


def write_comparison_workbook(
    result: ComparisonResult, path: Path | str, *, translate: Translate = chinese, full_ids: bool = False
) -> Path:
    """Three sheets (on the list only, on file only, status differs) plus the list rows that could not be read."""
    path = Path(path)
    enum_cls = _status_enum(result.department)
    dept = translate(DEPARTMENTS[result.department])

    def ids(value: str) -> str:
        return value if full_ids else mask_id_number(value)

    def ours(code: str) -> str:
        member = enum_cls._value2member_map_.get(code)
        if isinstance(member, LabeledEnum):
            return translate(member.label)
        return code or translate(Text("在档", "On file"))

    wb = Workbook()
    bold = Font(bold=True)
    sheets: list[tuple[Text, list[Text], list[list[Any]]]] = [
        (Text("名单有档案无", "On list, not on file"), [Text("名单行号", "List row"), Text("公民身份号码", "ID number"), Text("姓名", "Name"), Text("名单状态", "Status on list")],
         [[e.row_number, ids(e.id_number), e.name, e.status] for e in result.only_on_list]),
        (Text("档案有名单无", "On file, not on list"), [Text("公民身份号码", "ID number"), Text("姓名", "Name"), Text("档案状态", "Status on file")],
         [[ids(i), n, ours(s)] for i, n, s in result.only_on_file]),
        (Text("状态不一致", "Status differs"), [Text("名单行号", "List row"), Text("公民身份号码", "ID number"), Text("姓名（档案）", "Name (file)"),
                                               Text("姓名（名单）", "Name (list)"), Text("档案状态", "Status on file"), Text("名单状态", "Status on list")],
         [[d.row_number, ids(d.id_number), d.name_on_file, d.name_on_list, ours(d.ours), d.theirs] for d in result.status_differs]),
        (Text("无法识别的行", "Unreadable rows"), [Text("名单行号", "List row"), Text("原因", "Reason")],
         [[n, translate(reason)] for n, reason in result.unreadable]),
    ]
    first = True
    for title, headers, rows in sheets:
        ws: Any = wb.active if first else wb.create_sheet()
        first = False
        ws.title = translate(title)
        ws.append([translate(Text(f"与{dept}名单比对：{translate(title)}", f"Comparison with the {dept} list: {translate(title)}"))])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append([translate(h) for h in headers])
        for cell in ws[2]:
            cell.font = bold
        for row in rows:
            ws.append(row)
        ws.freeze_panes = "A3"
        for letter, width in zip("ABCDEF", (10, 22, 12, 12, 14, 14), strict=False):
            ws.column_dimensions[letter].width = width
    wb.save(path)
    return path
