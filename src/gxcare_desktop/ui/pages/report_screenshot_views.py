"""Views for `make screenshots` of the reports windows in use: a made report, an import preview, a comparison."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from PySide6.QtWidgets import QWidget

from ...domain.validators import id_check_char
from ...ledger import ChildQuery
from .compare_page import ComparePage
from .reports_page import ReportsPage


def _shot_dir() -> Path:
    folder = Path(tempfile.gettempdir()) / "gxcare-shot-files"
    folder.mkdir(exist_ok=True)
    return folder


def _id(first17: str) -> str:
    return first17 + id_check_char(first17)


def reports_shot(window: Any) -> QWidget:
    """The reports page after "Make report" for last month."""
    page = window.show_page("reports")
    assert isinstance(page, ReportsPage)
    page.generate()
    return window  # type: ignore[no-any-return]


def import_shot(window: Any) -> QWidget:
    """The import dialog's dry run of a typical village ledger: new, updated, refused and skipped rows."""
    page = window.show_page("reports")
    assert isinstance(page, ReportsPage)
    on_file = window.context.ledger.list_children(ChildQuery(limit=2))
    wb = Workbook()
    ws = wb.active
    ws.title = "留守儿童台账"
    ws.append(["新汉村农村留守儿童和困境儿童信息台账"])
    ws.append(["序号", "姓名", "性别", "身份证号码", "出生日期", "监护人", "联系电话"])
    ws.append([1, "蓝小花", "女", _id("45012420150304002"), "2015.3.4", "蓝奶奶", "13807710001"])
    ws.append([2, "覃 大 勇", "男", 4.50124201607e17, "2016/07/08", "覃爷爷", "13807710002"])
    for number, child in enumerate(on_file, start=3):
        ws.append([number, child.name, "", child_id_number(window, child.id), None, "", ""])
    ws.append([None] * 7)
    ws.append([6, "黄 小 军", "男", _id("45012420120912003"), "2012年9月12日", "黄妈妈", "13807710003"])
    ws.append(["合计", None, None, None, None, None, None])
    path = _shot_dir() / "新汉村台账.xlsx"
    wb.save(path)
    dialog = page.open_import_dialog()
    dialog.set_file(path)
    return dialog


def child_id_number(window: Any, child_id: str) -> str:
    return str(window.context.ledger.get_child(child_id).id_number)


def compare_shot(window: Any) -> QWidget:
    """The comparison page with an education list where one child's schooling differs."""
    page = window.show_page("compare")
    assert isinstance(page, ComparePage)
    ledger = window.context.ledger
    children = ledger.list_children(ChildQuery(limit=6))
    wb = Workbook()
    ws = wb.active
    ws.append(["马山县义务教育控辍保学名单"])
    ws.append(["序号", "学生姓名", "身份证号码", "就学状态"])
    for number, child in enumerate(children[:5], start=1):
        ws.append([number, child.name, child_id_number(window, child.id), "辍学" if number == 2 else "在读"])
    ws.append([6, "蓝丁", _id("45012420140404004"), "在读"])
    path = _shot_dir() / "教育部门名单.xlsx"
    wb.save(path)
    page.compare(path)
    return window  # type: ignore[no-any-return]


SHOTS: dict[str, Any] = {"reports_made": reports_shot, "import_dialog": import_shot, "compare_result": compare_shot}
