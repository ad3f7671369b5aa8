"""The monthly report workbook: a government-style form sheet and the roster (花名册) behind it."""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from ..domain.enums import Category, ExitReason, GuardianshipLevel
from ..domain.text import Text
from ..ledger import Ledger
from ..progress import CancelToken, ProgressFn, no_progress
from .common import Translate, chinese
from .monthly import MonthlyReport
from .roster import write_roster_sheet

_T = Text
# (group heading or None, column heading, count key)
FORM_COLUMNS: tuple[tuple[Text | None, Text, str], ...] = (
    (_T("在档儿童", "Children on file"), _T("合计", "Total"), "on_file"),
    (_T("在档儿童", "Children on file"), _T("男", "Boys"), "male"),
    (_T("在档儿童", "Children on file"), _T("女", "Girls"), "female"),
    *((_T("儿童类别", "Category"), c.label, f"cat_{c.value}") for c in Category),
    (None, _T("本月新建档", "New files this month"), "new_files"),
    *((_T("本月退出", "Exits this month"), r.label, f"exit_{r.value}") for r in ExitReason),
    (_T("走访", "Visits"), _T("应访人数", "Due"), "visits_due"),
    (_T("走访", "Visits"), _T("已访次数", "Done"), "visits_done"),
    (_T("走访", "Visits"), _T("逾期未访", "Overdue"), "visits_overdue"),
    (None, _T("7天以上未与父母联系", "No parent contact 7+ days"), "no_contact"),
    *((_T("监护评估", "Guardianship assessments"), g.label, f"assess_{g.value}") for g in GuardianshipLevel),
    (None, _T("高风险儿童", "High-risk children"), "high_risk"),
    (_T("强制报告", "Mandatory reports"), _T("新立案", "Opened"), "cases_opened"),
    (_T("强制报告", "Mandatory reports"), _T("结案", "Closed"), "cases_closed"),
    (_T("生活补贴", "Living allowances"), _T("人数", "Children"), "subsidy_children"),
    (_T("生活补贴", "Living allowances"), _T("金额（元）", "Amount (yuan)"), "subsidy_amount"),
    (None, _T("本月培训人员", "Staff trained"), "staff_trained"),
)
LEAD_COLUMNS = 2  # 序号, unit name
TITLE_ROW, INFO_ROW, HEAD_TOP, HEAD_SUB = 1, 2, 3, 4
FIRST_DATA_ROW = 5

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TITLE_FONT = Font(name="宋体", size=16, bold=True)
_HEAD_FONT = Font(name="宋体", size=10, bold=True)
_BODY_FONT = Font(name="宋体", size=10)


def report_title(report: MonthlyReport, translate: Translate = chinese) -> str:
    zh = f"广西壮族自治区农村留守儿童和困境儿童关爱服务月报表（{report.month.year}年{report.month.month}月）"
    en = f"Guangxi monthly report on care services for left-behind children and children in difficulty ({report.month:%B %Y})"
    return translate(Text(zh, en))


def write_monthly_workbook(
    report: MonthlyReport,
    path: Path | str,
    *,
    unit_name: str,
    filled_by: str,
    filled_on: date,
    translate: Translate = chinese,
    ledger: Ledger | None = None,
    full_ids: bool = False,
    total_formulas: bool = False,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> Path:
    """Write the form sheet and, given the ledger, the roster sheet streamed from it.

    The whole workbook is write-only so the roster of 100,000 children never sits in memory.
    With full_ids the roster shows whole ID numbers, and the export is recorded in the audit log.
    """
    path = Path(path)
    workbook = Workbook(write_only=True)
    _write_form(workbook, report, unit_name=unit_name, filled_by=filled_by, filled_on=filled_on,
                translate=translate, total_formulas=total_formulas)
    if ledger is not None:
        try:
            write_roster_sheet(workbook, ledger, report, translate=translate, full_ids=full_ids, progress=progress, cancel=cancel)
        except BaseException:
            _discard(workbook)
            raise
    # Written beside the target and moved over it: a cancelled or failed export leaves no half file.
    tmp = path.with_name(path.name + ".part")
    try:
        workbook.save(tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    if ledger is not None:
        detail = f"monthly {report.month:%Y-%m} scope={report.scope} file={path.name}"
        ledger.record_audit("export_full_ids" if full_ids else "export", detail=detail)
    return path


def _discard(workbook: Workbook) -> None:
    """Close the streams of an abandoned write-only workbook so its temporary files go now."""
    for ws in workbook.worksheets:
        if not ws.closed:
            with contextlib.suppress(Exception):
                ws.close()


def _cell(ws: object, value: object, *, font: Font = _BODY_FONT, border: bool = True,
          align: Alignment = _CENTER, number_format: str | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.font = font
    cell.alignment = align
    if border:
        cell.border = _BORDER
    if number_format:
        cell.number_format = number_format
    return cell


def _write_form(
    workbook: Workbook,
    report: MonthlyReport,
    *,
    unit_name: str,
    filled_by: str,
    filled_on: date,
    translate: Translate,
    total_formulas: bool,
) -> None:
    ws = workbook.create_sheet(translate(Text("月报表", "Monthly report")))
    width = LEAD_COLUMNS + len(FORM_COLUMNS)
    last = get_column_letter(width)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 22
    for index in range(LEAD_COLUMNS + 1, width + 1):
        ws.column_dimensions[get_column_letter(index)].width = 9
    ws.freeze_panes = f"C{FIRST_DATA_ROW}"
    ws.print_title_rows = f"{HEAD_TOP}:{HEAD_SUB}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True

    ws.merged_cells.add(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    ws.row_dimensions[TITLE_ROW].height = 32
    ws.append([_cell(ws, report_title(report, translate), font=_TITLE_FONT, border=False)])

    third = width // 3
    info = [
        translate(Text(f"填报单位：{unit_name}", f"Reporting unit: {unit_name}")),
        translate(Text(f"填报人：{filled_by}", f"Filled in by: {filled_by}")),
        translate(Text(f"填报日期：{filled_on.year}年{filled_on.month}月{filled_on.day}日", f"Date: {filled_on.isoformat()}")),
    ]
    info_row: list[object] = [None] * width
    spans = [(1, third), (third + 1, 2 * third), (2 * third + 1, width)]
    left = Alignment(horizontal="left", vertical="center")
    for text_value, (a, b) in zip(info, spans, strict=True):
        info_row[a - 1] = _cell(ws, text_value, border=False, align=left)
        ws.merged_cells.add(f"{get_column_letter(a)}{INFO_ROW}:{get_column_letter(b)}{INFO_ROW}")
    ws.append(info_row)

    top: list[object] = [_cell(ws, translate(Text("序号", "No.")), font=_HEAD_FONT),
                         _cell(ws, translate(Text("单位", "Unit")), font=_HEAD_FONT)]
    sub: list[object] = [_cell(ws, None, font=_HEAD_FONT), _cell(ws, None, font=_HEAD_FONT)]
    ws.merged_cells.add(f"A{HEAD_TOP}:A{HEAD_SUB}")
    ws.merged_cells.add(f"B{HEAD_TOP}:B{HEAD_SUB}")
    index = 0
    while index < len(FORM_COLUMNS):
        group = FORM_COLUMNS[index][0]
        col = LEAD_COLUMNS + index + 1
        if group is None:
            top.append(_cell(ws, translate(FORM_COLUMNS[index][1]), font=_HEAD_FONT))
            sub.append(_cell(ws, None, font=_HEAD_FONT))
            ws.merged_cells.add(f"{get_column_letter(col)}{HEAD_TOP}:{get_column_letter(col)}{HEAD_SUB}")
            index += 1
            continue
        span = 0
        while index + span < len(FORM_COLUMNS) and FORM_COLUMNS[index + span][0] == group:
            top.append(_cell(ws, translate(group) if span == 0 else None, font=_HEAD_FONT))
            sub.append(_cell(ws, translate(FORM_COLUMNS[index + span][1]), font=_HEAD_FONT))
            span += 1
        ws.merged_cells.add(f"{get_column_letter(col)}{HEAD_TOP}:{get_column_letter(col + span - 1)}{HEAD_TOP}")
        index += span
    ws.row_dimensions[HEAD_SUB].height = 42
    ws.append(top)
    ws.append(sub)

    for number, row in enumerate(report.rows, start=1):
        values: list[object] = [_cell(ws, number), _cell(ws, row.name, align=Alignment(horizontal="left", vertical="center"))]
        for _, _, key in FORM_COLUMNS:
            values.append(_cell(ws, row.counts[key], number_format="0.00" if key == "subsidy_amount" else "0"))
        ws.append(values)
    totals = report.totals
    last_data = FIRST_DATA_ROW + len(report.rows) - 1
    total_row: list[object] = [_cell(ws, translate(Text("合计", "Total")), font=_HEAD_FONT), _cell(ws, None, font=_HEAD_FONT)]
    total_index = FIRST_DATA_ROW + len(report.rows)
    ws.merged_cells.add(f"A{total_index}:B{total_index}")
    for offset, (_, _, key) in enumerate(FORM_COLUMNS):
        letter = get_column_letter(LEAD_COLUMNS + offset + 1)
        total: object = totals[key]
        if total_formulas and report.rows:
            total = f"=SUM({letter}{FIRST_DATA_ROW}:{letter}{last_data})"
        total_row.append(_cell(ws, total, font=_HEAD_FONT, number_format="0.00" if key == "subsidy_amount" else "0"))
    ws.append(total_row)
    ws.append([])
    note = translate(Text(
        f"说明：在档人数为{report.month.month}月末在档儿童；逾期未访、7天以上未联系按{report.as_of.isoformat()}计算。",
        f"Note: children on file at the end of the month; overdue visits and missing contact as of {report.as_of.isoformat()}.",
    ))
    ws.append([_cell(ws, note, border=False, align=Alignment(horizontal="left"))])
