"""Reading an existing Excel ledger (台账) into an import plan: one planned outcome per sheet row."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from ..domain.errors import ValidationError
from ..domain.labels import field_label
from ..domain.text import Text
from ..domain.validators import check_id_matches, normalize_width, parse_id_number
from .common import is_blank
from .import_headers import Column, HeaderBlock, find_header
from .import_values import parse_cell, split_work_place

Action = Literal["create", "update", "refuse", "skip"]

_TOTAL_WORDS = ("合计", "小计", "总计", "共计", "累计", "总数")
_FOOTER_WORDS = ("填表人", "填报人", "制表人", "审核人", "负责人", "填表日期", "填报日期", "联系电话：", "单位负责人")


@dataclass
class PlannedRow:
    row_number: int
    action: Action
    child_fields: dict[str, Any] = field(default_factory=dict)
    father_fields: dict[str, Any] = field(default_factory=dict)
    mother_fields: dict[str, Any] = field(default_factory=dict)
    care_fields: dict[str, Any] = field(default_factory=dict)
    reason: Text | None = None
    field: str = ""  # the field a refusal is about ("" for whole-row reasons)
    village_name: str = ""  # a village named in the sheet, resolved to a code against the ledger

    @property
    def name(self) -> str:
        return str(self.child_fields.get("name", ""))

    @property
    def id_number(self) -> str:
        return str(self.child_fields.get("id_number", ""))


@dataclass
class ImportPlan:
    path: Path
    sheet: str
    header: HeaderBlock
    rows: list[PlannedRow]

    @property
    def unmapped_columns(self) -> list[Column]:
        """Columns we do not read (unknown heading, or a second column for the same field):
        shown in the preview and the report, never silently dropped."""
        taken: set[str] = set()
        out: list[Column] = []
        for column in self.header.columns:
            if column.field is None or column.field in taken:
                if column.header:
                    out.append(column)
            else:
                taken.add(column.field)
        return out

    def count(self, action: Action) -> int:
        return sum(1 for row in self.rows if row.action == action)


def _refusal(error: ValidationError) -> Text:
    return Text(
        f"{error.field_label.zh}：{error.message.zh}",
        f"{error.field_label.en}: {error.message.en}",
    )


def open_workbook(path: Path, *, read_only: bool) -> Any:
    """Open an .xlsx/.xlsm; an old .xls/.et or a damaged file is refused with what to do about it."""
    if not path.exists():
        raise ValidationError("file", Text(f"找不到文件：{path}", f"No such file: {path}"), field_label=_FILE_LABEL)
    try:
        # Not read-only for ledgers: merged header cells are only visible in a fully loaded
        # sheet; data_only takes the values Excel last computed for formula cells (subtotals).
        return load_workbook(path, read_only=read_only, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError) as error:
        raise ValidationError(
            "file",
            Text(
                f"无法读取“{path.name}”：只支持 .xlsx 格式；旧版 .xls 或 WPS 文件请先在 Excel/WPS 中“另存为” .xlsx",
                f"Cannot read '{path.name}': only .xlsx is supported; save an old .xls or WPS file as .xlsx first",
            ),
            field_label=_FILE_LABEL,
        ) from error


_FILE_LABEL = Text("文件", "File")


def _choose_sheet(workbook: Any, sheet: str | None) -> Worksheet:
    if sheet is not None:
        if sheet not in workbook.sheetnames:
            names = "、".join(workbook.sheetnames)
            raise ValidationError(
                "sheet",
                Text(f"工作簿中没有名为“{sheet}”的工作表（有：{names}）", f"No sheet named '{sheet}' (sheets: {names})"),
                field_label=Text("工作表", "Sheet"),
            )
        ws: Worksheet = workbook[sheet]
        return ws
    # Without a name, the first sheet whose header we recognise best (a cover sheet may come first).
    best: tuple[int, Worksheet] | None = None
    for ws in workbook.worksheets:
        header = find_header(ws)
        score = len(header.field_columns()) if header else 0
        if best is None or score > best[0]:
            best = (score, ws)
    assert best is not None
    return best[1]


def _row_text(values: list[Any]) -> list[str]:
    return ["".join(normalize_width(str(v)).split()) for v in values if not is_blank(v)]


def _is_total(texts: list[str]) -> bool:
    return any(t.startswith(_TOTAL_WORDS) for t in texts)


def _is_footer(texts: list[str]) -> bool:
    return any(t.startswith(_FOOTER_WORDS) for t in texts)


def _plan_row(row_number: int, cells: dict[str, Any]) -> PlannedRow:
    planned = PlannedRow(row_number, "create")
    parts = {
        "child": planned.child_fields,
        "father": planned.father_fields,
        "mother": planned.mother_fields,
        "care": planned.care_fields,
    }
    for key, raw in cells.items():
        if key == "row.seq":
            continue
        try:
            value = parse_cell(key, raw)
        except ValidationError as error:
            # The first bad cell (left to right) is the reason given; the row's other cells are
            # still read so the preview can say whose row it is.
            if planned.action != "refuse":
                planned.action = "refuse"
                planned.reason = _refusal(error)
                planned.field = key
            continue
        if value is None:
            continue
        part, name = key.split(".", 1)
        if name == "village_name":
            planned.village_name = value
        elif name == "work_place":
            province, city = split_work_place(value)
            parts[part].setdefault("work_province", province)
            parts[part].setdefault("work_city", city)
        else:
            parts[part][name] = value
    if planned.action == "refuse":
        return planned
    child = planned.child_fields
    if not child.get("name"):
        planned.action = "refuse"
        planned.field = "child.name"
        label = field_label("name", "child")
        planned.reason = Text(f"{label.zh}：缺少儿童姓名", f"{label.en}: the child's name is missing")
        return planned
    if child.get("id_number"):
        try:
            check_id_matches(
                parse_id_number(child["id_number"], field="child.id_number"),
                birth_date=child.get("birth_date"),
                sex=None,
                field="child.id_number",
            )
        except ValidationError as error:
            planned.action = "refuse"
            planned.field = "child.id_number"
            planned.reason = _refusal(error)
    return planned


def _identity(row: PlannedRow) -> tuple[str, ...] | None:
    if row.id_number:
        return ("id", row.id_number)
    birth = row.child_fields.get("birth_date")
    if row.name and birth is not None:
        return ("name_birth", row.name, birth.isoformat())
    return None


def read_ledger_workbook(path: Path | str, *, sheet: str | None = None) -> ImportPlan:
    """Read a ledger workbook and plan each data row: create, refuse (with the reason) or skip."""
    path = Path(path)
    workbook = open_workbook(path, read_only=False)
    try:
        ws = _choose_sheet(workbook, sheet)
        header = find_header(ws)
        if header is None or "child.name" not in header.field_columns():
            raise ValidationError(
                "sheet",
                Text(
                    f"在工作表“{ws.title}”的前20行中找不到表头（至少需要“姓名”和“身份证号”等列）",
                    f"No header row found in the first 20 rows of sheet '{ws.title}' (a name column and an ID number column are needed)",
                ),
                field_label=Text("工作表", "Sheet"),
            )
        columns = header.field_columns()
        planned: list[PlannedRow] = []
        blank_run: list[int] = []
        seen: dict[tuple[str, ...], int] = {}
        for row_number, values in enumerate(
            ws.iter_rows(min_row=header.data_start, values_only=True), start=header.data_start
        ):
            values = list(values)
            texts = _row_text(values)
            if not texts:
                blank_run.append(row_number)
                continue
            # Blank rows between data rows are reported; those after the last row are just the sheet's end.
            planned.extend(
                PlannedRow(n, "skip", reason=Text("空行", "Blank row")) for n in blank_run
            )
            blank_run = []
            cells = {key: values[index - 1] if index - 1 < len(values) else None for key, index in columns.items()}
            has_person = not is_blank(cells.get("child.name")) or not is_blank(cells.get("child.id_number"))
            if _is_total(texts):
                planned.append(PlannedRow(row_number, "skip", reason=Text("合计/小计行，不是儿童", "Total or subtotal row, not a child")))
                continue
            if not has_person and _is_footer(texts):
                planned.append(PlannedRow(row_number, "skip", reason=Text("表尾签名行", "Signature line under the table")))
                continue
            row = _plan_row(row_number, cells)
            if row.action != "refuse":
                key = _identity(row)
                if key is not None and key in seen:
                    first = seen[key]
                    row.action = "refuse"
                    row.field = "child.id_number" if key[0] == "id" else "child.name"
                    row.reason = Text(
                        f"与第{first}行是同一儿童，重复的行不导入",
                        f"The same child as row {first}; the repeated row is not imported",
                    )
                elif key is not None:
                    seen[key] = row_number
            planned.append(row)
        return ImportPlan(path=path, sheet=ws.title, header=header, rows=planned)
    finally:
        workbook.close()
