"""The roster sheet (花名册): the children behind the monthly counts, streamed from the ledger."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet.properties import PageSetupProperties
from sqlalchemy import text

from ..domain.divisions import load_divisions
from ..domain.enums import Category, ExitReason, RiskLevel, Schooling, Sex
from ..domain.ethnicity import ETHNICITIES
from ..domain.text import Text
from ..ledger import Ledger
from ..progress import CancelToken, Progress, ProgressFn, no_progress
from .common import Translate, chinese, mask_id_number
from .monthly import MonthlyReport, on_file_condition

_T = Text
# Headings are words the importer knows, so an exported roster imports back as it is.
ROSTER_HEADERS: tuple[Text, ...] = (
    _T("序号", "No."),
    _T("村（社区）", "Village"),
    _T("区划代码", "Division code"),
    _T("姓名", "Name"),
    _T("性别", "Sex"),
    _T("民族", "Ethnicity"),
    _T("出生日期", "Date of birth"),
    _T("公民身份号码", "ID number"),
    _T("儿童类别", "Categories"),
    _T("就学情况", "Schooling"),
    _T("风险等级", "Risk level"),
    _T("建档日期", "Registered on"),
    _T("上次走访日期", "Last visit"),
    _T("下次走访日期", "Next visit due"),
    _T("最近亲子联系日期", "Last parent contact"),
    _T("档案状态", "File status"),
    _T("退出原因", "Exit reason"),
    _T("退出日期", "Exit date"),
)

ROSTER_SQL = (
    "SELECT c.division_code, c.name, c.sex, c.ethnicity, c.birth_date, c.id_number, c.categories, "
    "c.schooling, c.risk_level, c.registered_on, c.last_visit_date, c.next_visit_due, "
    "c.last_contact_date, c.archived, c.exit_reason, c.exit_date FROM child c "
    "WHERE (" + on_file_condition("c") + ") OR (c.deleted = 0 AND substr(c.division_code, 1, :scope_len) = :scope "
    "AND c.archived = 1 AND c.exit_date BETWEEN :start AND :end) "
    "ORDER BY c.division_code, c.name_pinyin"
)


def roster_params(report: MonthlyReport) -> dict[str, Any]:
    from .monthly import month_end

    return {
        "scope": report.scope,
        "scope_len": len(report.scope),
        "start": report.month.isoformat(),
        "end": month_end(report.month).isoformat(),
    }


def roster_rows(
    ledger: Ledger, report: MonthlyReport, *, translate: Translate = chinese, full_ids: bool = False
) -> Iterator[list[Any]]:
    """The roster's data rows as plain values, straight off the database cursor."""
    divisions = load_divisions()
    village_names: dict[str, str] = {}
    # Code → label once per code, not once per child.
    sex = {m.value: translate(m.label) for m in Sex}
    ethnicity = {code: translate(label) for code, label in ETHNICITIES.items()}
    schooling = {m.value: translate(m.label) for m in Schooling}
    risk = {m.value: translate(m.label) for m in RiskLevel}
    exit_reason = {m.value: translate(m.label) for m in ExitReason}
    category = {m.value: translate(m.label) for m in Category}
    categories_text: dict[str, str] = {}
    on_file, exited = translate(Text("在档", "On file")), translate(Text("本月退出", "Exited this month"))
    with ledger.reading() as session:
        # A plain text query: rows stream off the cursor without ORM objects or type processing.
        cursor = session.execute(text(ROSTER_SQL), roster_params(report))
        number = 0
        for (code, name, sex_code, eth, birth, id_number, cats, school, risk_code, registered,
             last_visit, next_due, last_contact, archived, reason, exit_date) in cursor:
            number += 1
            village = village_names.get(code)
            if village is None:
                division = divisions.get(code)
                village = village_names[code] = division.name if division else code
            cat_text = categories_text.get(cats or "")
            if cat_text is None:
                cat_text = categories_text[cats or ""] = "、".join(category.get(c, c) for c in json.loads(cats or "[]"))
            yield [
                number, village, code, name, sex.get(sex_code, ""), ethnicity.get(eth, eth or ""), birth or "",
                id_number if full_ids else mask_id_number(id_number or ""), cat_text, schooling.get(school, ""),
                risk.get(risk_code, ""), registered or "", last_visit or "", next_due or "", last_contact or "",
                exited if archived else on_file, exit_reason.get(reason, "") if archived else "",
                (exit_date or "") if archived else "",
            ]


def write_roster_sheet(
    workbook: Workbook,
    ledger: Ledger,
    report: MonthlyReport,
    *,
    translate: Translate = chinese,
    full_ids: bool = False,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Append the roster sheet to a write-only workbook; returns the number of children written."""
    ws = workbook.create_sheet(translate(Text("花名册", "Roster")))
    widths = (6, 14, 14, 10, 5, 7, 11, 20, 22, 10, 8, 11, 11, 11, 11, 9, 10, 11)
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    bold = Font(bold=True)
    title = WriteOnlyCell(ws, value=translate(Text(
        f"{report.scope_name} 儿童花名册（{report.month.year}年{report.month.month}月）",
        f"{report.scope_name} roster of children ({report.month:%B %Y})",
    )))
    title.font = Font(bold=True, size=14)
    ws.append([title])
    header = []
    for label in ROSTER_HEADERS:
        cell = WriteOnlyCell(ws, value=translate(label))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    totals = report.totals
    expected = int(totals["on_file"] + sum(v for k, v in totals.items() if k.startswith("exit_")))
    count = 0
    append = ws.append
    for row in roster_rows(ledger, report, translate=translate, full_ids=full_ids):
        append(row)
        count += 1
        if count % 2000 == 0:
            progress(Progress(count, max(expected, count), f"{count}/{expected}"))
            if cancel is not None:
                cancel.raise_if_cancelled()
    progress(Progress(count, count, f"{count}/{count}"))
    return count
