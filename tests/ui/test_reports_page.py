"""Reports windows on real encrypted ledgers: monthly preview and export, Excel import, comparison, printed file."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from gxcare_desktop.ledger import ChildQuery, Ledger
from gxcare_desktop.ledger.tables import AuditEntry
from gxcare_desktop.reports.monthly_excel import FIRST_DATA_ROW, FORM_COLUMNS
from tests.helpers import child_fields, make_id

TODAY = date.today()
MONTH = TODAY.replace(day=1)


def _fill(ledger: Ledger) -> list[Any]:
    """Three boys and two girls, two of them left behind, one moved away this month."""
    made = []
    for i, (male, left_behind) in enumerate([(True, True), (True, False), (True, True), (False, False), (False, False)]):
        birth = date(2014, 1, 1 + i)
        child = ledger.create_child(**child_fields(name=f"韦{'一二三四五'[i]}", birth_date=birth, sex="1" if male else "2",
                                                   id_number=make_id(birth, male=male, seq=i), categories=[]))
        if left_behind:
            ledger.set_parent(child.id, "father", condition="working_away")
            ledger.set_parent(child.id, "mother", condition="working_away")
            ledger.update_child(child.id, categories=["left_behind"])
        made.append(child)
    ledger.archive_child(made[4].id, reason="moved", on=TODAY)
    return made


def _audit_actions(ledger: Ledger) -> list[str]:
    with ledger.reading() as session:
        return [str(a) for a in session.scalars(select(AuditEntry.action))]


def test_monthly_report_preview_totals_export_and_folder(qtbot, make_context, ledger: Ledger, tmp_path: Path) -> None:
    from gxcare_desktop.ui.pages.reports_page import ReportsPage, last_month

    _fill(ledger)
    opened: list[QUrl] = []
    out = tmp_path / "out" / "月报.xlsx"
    out.parent.mkdir()
    page = ReportsPage(make_context(ledger), choose_save=lambda _w, name: str(out),
                       open_url=lambda url: opened.append(url) or True)
    qtbot.addWidget(page)
    page.show()
    assert page.chosen_month() == last_month()  # the default: the month just ended
    assert page.scope.count() == 1 and not page.scope.isEnabled()  # a village ledger reports on its village
    assert not page.export_button.isEnabled()

    page.month.setDate(QDate(MONTH.year, MONTH.month, 1))
    with qtbot.waitSignal(page.report_ready, timeout=20_000):
        qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.export_button.isEnabled(), timeout=5_000)

    model = page.model
    assert model.rowCount() == 2  # the village, then the totals
    total_row = model.totals_row
    on_file = ledger.count_children(ChildQuery())
    left_behind = ledger.count_children(ChildQuery(category="left_behind"))
    assert on_file == 4
    assert model.value(total_row, model.column_of("on_file")) == on_file
    assert model.value(total_row, model.column_of("cat_left_behind")) == left_behind == 2
    assert model.value(total_row, model.column_of("male")) == 3
    assert model.value(total_row, model.column_of("female")) == 1  # the girl who moved is no longer on file
    assert model.value(total_row, model.column_of("new_files")) == 5
    assert model.value(total_row, model.column_of("exit_moved")) == 1
    shown = model.data(model.index(total_row, model.column_of("on_file")))
    assert shown == "4"
    assert model.data(model.index(total_row, 0)) == "合计"
    assert "在档" in model.headerData(model.column_of("on_file"), Qt.Orientation.Horizontal)
    assert "4" in page.caption.text()

    page.full_ids.setChecked(True)
    assert page.full_ids_warning.isVisibleTo(page)
    assert "审计" in page.full_ids_warning.text()
    with qtbot.waitSignal(page.exported, timeout=30_000) as exported:
        qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert Path(exported.args[0]) == out
    workbook = load_workbook(out)
    form = workbook.worksheets[0]
    total_cells = [c.value for c in form[FIRST_DATA_ROW + 1]]
    assert total_cells[0] == "合计"
    on_file_column = 2 + [k for _, _, k in FORM_COLUMNS].index("on_file")
    assert total_cells[on_file_column] == on_file
    roster = workbook.worksheets[1]
    id_numbers = {str(c.value) for row in roster.iter_rows() for c in row if c.value}
    assert any(child.id_number in id_numbers for child in ledger.list_children(ChildQuery()))  # full IDs, as chosen
    assert "export_full_ids" in _audit_actions(ledger)

    qtbot.waitUntil(lambda: page.open_folder_button.isEnabled(), timeout=5_000)
    qtbot.mouseClick(page.open_folder_button, Qt.MouseButton.LeftButton)
    assert [Path(u.toLocalFile()) for u in opened] == [out.parent]


def test_township_ledger_offers_each_village(qtbot, make_context, tmp_path: Path) -> None:
    from gxcare_desktop.domain.enums import Role
    from gxcare_desktop.ui.pages.reports_page import ReportsPage
    from tests.conftest import PASSWORD, TOWNSHIP, VILLAGE

    township, _ = Ledger.create(tmp_path / "t.gxc", password=PASSWORD, village_code=TOWNSHIP,
                                role=Role.TOWNSHIP_SUPERVISOR, user_name="督导")
    try:
        birth = date(2015, 5, 5)
        township.create_child(**child_fields(name="黄一", birth_date=birth, id_number=make_id(birth, male=True, seq=3),
                                             division_code=VILLAGE))
        page = ReportsPage(make_context(township))
        qtbot.addWidget(page)
        codes = [page.scope.itemData(i) for i in range(page.scope.count())]
        assert codes[0] == TOWNSHIP and VILLAGE in codes and len(codes) > 2
        page.month.setDate(QDate(MONTH.year, MONTH.month, 1))
        with qtbot.waitSignal(page.report_ready, timeout=20_000) as ready:
            page.generate()
        report = ready.args[0]
        assert len(report.rows) == len(codes) - 1  # a row per village of the township, zeros included
        assert page.model.value(page.model.totals_row, page.model.column_of("on_file")) == township.count_children(ChildQuery())
    finally:
        township.close()


def _messy_ledger(path: Path, good_id: str, second_id: str) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "留守儿童台账"
    ws.append(["白山镇新汉村农村留守儿童信息台账"])
    ws.append(["序号", "姓名", "性别", "身份证号码", "出生日期"])
    ws.append([1, "蓝 小 花", "女", good_id, "2015.3.4"])
    ws.append([2, "覃大勇", "男", 4.50124201503e17, "2015/03/04"])  # Excel already rounded it
    ws.append([3, "黄 一", "男", second_id.lower(), None])
    ws.append(["合计", None, None, None, None])
    wb.save(path)
    return path


def test_import_dialog_dry_run_then_import(qtbot, make_context, ledger: Ledger, tmp_path: Path) -> None:
    from gxcare_desktop.ui.models.report_models import ImportColumn
    from gxcare_desktop.ui.pages.reports_page import ReportsPage

    good = make_id(date(2015, 3, 4), male=False, seq=21)
    second = make_id(date(2016, 7, 8), male=True, seq=22)
    source = _messy_ledger(tmp_path / "台账.xlsx", good, second)
    page = ReportsPage(make_context(ledger), choose_file=lambda _w: str(source))
    qtbot.addWidget(page)
    dialog = page.open_import_dialog()
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.dry_run_finished, timeout=30_000) as finished:
        qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
    report = finished.args[0]
    assert report.dry_run
    assert ledger.count_children(ChildQuery()) == 0  # a dry run writes nothing

    model = dialog.model
    by_row = {int(model.text(r, ImportColumn.ROW)): r for r in range(model.rowCount())}
    assert sorted(by_row) == [3, 4, 5, 6]  # every data row, the 合计 row included (as skipped)
    refused = by_row[4]
    assert model.text(refused, ImportColumn.ACTION) == "拒绝"
    assert "身份证" in model.text(refused, ImportColumn.REASON)
    assert model.text(by_row[3], ImportColumn.ACTION) == "新建"
    assert model.text(by_row[3], ImportColumn.NAME) == "蓝小花"
    assert model.text(by_row[3], ImportColumn.ID_NUMBER).startswith("450***")  # masked on screen
    assert model.text(by_row[6], ImportColumn.ACTION) == "跳过"
    assert dialog.sheet.findData("留守儿童台账") > 0  # the sheet choice is offered
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=5_000)

    changed: list[bool] = []
    page.context.events.ledger_changed.connect(lambda: changed.append(True))
    with qtbot.waitSignal(dialog.import_finished, timeout=30_000) as imported:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert not imported.args[0].dry_run
    assert imported.args[0].count("created") == 2 and imported.args[0].count("refused") == 1
    assert ledger.count_children(ChildQuery()) == 2
    child = ledger.find_child_by_id_number(good)
    assert child is not None and child.name == "蓝小花" and child.birth_date == date(2015, 3, 4)
    assert ledger.find_child_by_id_number(second) is not None  # the lowercase x / plain text ID read right
    assert changed == [True]
    assert "新建 2" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()  # the same plan cannot be applied twice

    # Importing the same workbook again updates, never duplicates.
    with qtbot.waitSignal(dialog.dry_run_finished, timeout=30_000) as again:
        dialog.start_dry_run()
    assert again.args[0].count("updated") == 2 and again.args[0].count("created") == 0
    assert ledger.count_children(ChildQuery()) == 2


def test_import_dialog_explains_an_old_xls(qtbot, make_context, ledger: Ledger, tmp_path: Path) -> None:
    from gxcare_desktop.ui.dialogs.import_dialog import ImportDialog

    bad = tmp_path / "old.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0 not a zip")
    dialog = ImportDialog(make_context(ledger))
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.failed, timeout=20_000):
        dialog.set_file(bad)
    assert ".xlsx" in dialog.summary.text()
    qtbot.waitUntil(lambda: dialog.browse_button.isEnabled(), timeout=5_000)
    assert not dialog.import_button.isEnabled()


def test_children_page_opens_the_import_dialog(qtbot, make_context, ledger: Ledger) -> None:
    from gxcare_desktop.ui.dialogs.import_dialog import ImportDialog
    from gxcare_desktop.ui.pages.children_page import ChildrenPage

    page = ChildrenPage(make_context(ledger))
    qtbot.addWidget(page)
    page.show()
    qtbot.mouseClick(page.view.list_page.import_button, Qt.MouseButton.LeftButton)
    dialog = page.findChild(ImportDialog)
    assert dialog is not None and dialog.isVisible()


def test_compare_page_shows_a_differing_status_and_exports(qtbot, make_context, ledger: Ledger, tmp_path: Path) -> None:
    from gxcare_desktop.ui.pages.compare_page import ComparePage

    a = ledger.create_child(**child_fields(name="韦甲", seq=1, schooling="primary"))
    b_birth = date(2015, 2, 2)
    ledger.create_child(**child_fields(name="韦乙", birth_date=b_birth, id_number=make_id(b_birth, male=True, seq=2),
                                       schooling="junior"))
    stranger = make_id(date(2014, 4, 4), male=False, seq=4)
    wb = Workbook()
    ws = wb.active
    ws.append(["马山县义务教育控辍保学名单"])
    ws.append(["序号", "学生姓名", "身份证号码", "就学状态"])
    ws.append([1, "韦甲", a.id_number, "辍学"])
    ws.append([2, "蓝丁", stranger, "在读"])
    source = tmp_path / "edu.xlsx"
    wb.save(source)
    out = tmp_path / "比对.xlsx"
    page = ComparePage(make_context(ledger), choose_file=lambda _w: str(source), choose_save=lambda _w, _n: str(out))
    qtbot.addWidget(page)
    page.show()
    assert page.department.currentData() == "education"
    with qtbot.waitSignal(page.compared, timeout=20_000):
        qtbot.mouseClick(page.choose_button, Qt.MouseButton.LeftButton)
    differs = page.models["status_differs"].rows
    assert len(differs) == 1
    assert differs[0][2] == "韦甲" and differs[0][4] == "小学" and differs[0][5] == "辍学"
    assert differs[0][1].startswith("450***")
    assert [r[2] for r in page.models["only_on_list"].rows] == ["蓝丁"]
    assert [r[1] for r in page.models["only_on_file"].rows] == ["韦乙"]
    assert page.tabs.currentWidget() is page.views["status_differs"]
    assert "(1)" in page.tabs.tabText(2) or "（1）" in page.tabs.tabText(2)
    assert "compare" in _audit_actions(ledger)

    qtbot.waitUntil(lambda: page.export_button.isEnabled(), timeout=5_000)
    with qtbot.waitSignal(page.exported, timeout=20_000):
        qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    book = load_workbook(out)
    assert "状态不一致" in book.sheetnames
    assert book["状态不一致"]["C3"].value == "韦甲"


def test_print_from_the_child_file_writes_a_pdf(qtbot, ledger: Ledger, workers, languages, tmp_path: Path) -> None:
    from gxcare_desktop.ui.dialogs.print_file import PrintFileAction
    from gxcare_desktop.ui.pages.child_file_page import ChildFilePage

    child = ledger.create_child(**child_fields(name="韦小明", seq=7))
    page = ChildFilePage(ledger, workers=workers, language="zh_CN")
    qtbot.addWidget(page)
    assert not page.print_button.isEnabled()  # nothing to print before the child is saved
    page.load(child.id)
    assert page.print_button.isEnabled()
    out = tmp_path / "韦小明档案.pdf"
    opened: list[QUrl] = []
    suggested: list[str] = []

    def choose(_w: Any, name: str) -> str:
        suggested.append(name)
        return str(out)

    page.print_action = PrintFileAction(ledger, workers, page, choose_save=choose,
                                        open_url=lambda url: opened.append(url) or True)
    with qtbot.waitSignal(page.print_action.printed, timeout=30_000):
        qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    assert suggested == ["韦小明档案.pdf"]
    assert out.read_bytes().startswith(b"%PDF")
    assert "print" in _audit_actions(ledger)
    offer = page.print_action.offer
    assert isinstance(offer, QMessageBox) and offer.isVisible()
    open_button = next(b for b in offer.buttons() if offer.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
    open_button.click()
    assert [Path(u.toLocalFile()) for u in opened] == [out]


def test_cancelled_import_writes_nothing(qtbot, make_context, ledger: Ledger, workers, tmp_path: Path) -> None:
    import threading

    from gxcare_desktop.ui.dialogs.import_dialog import ImportDialog

    source = _messy_ledger(tmp_path / "台账.xlsx", make_id(date(2015, 3, 4), male=False, seq=21),
                           make_id(date(2016, 7, 8), male=True, seq=22))
    dialog = ImportDialog(make_context(ledger))
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.dry_run_finished, timeout=30_000):
        dialog.set_file(source)
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=5_000)
    # Hold the single write thread so the import is still queued when the user presses Cancel.
    gate = threading.Event()
    workers.run(lambda *, progress, cancel: gate.wait(20), write=True, name="hold")
    job = dialog.start_import()
    assert job is not None and dialog.progress.isVisibleTo(dialog)
    qtbot.mouseClick(dialog.progress.cancel_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.cancelled, timeout=30_000):
        gate.set()
    assert ledger.count_children(ChildQuery()) == 0
    assert "没有写入" in dialog.summary.text() or "nothing was written" in dialog.summary.text()


def test_import_preview_in_english(qtbot, make_context, ledger: Ledger, tmp_path: Path) -> None:
    from gxcare_desktop.settings import Settings
    from gxcare_desktop.ui.dialogs.import_dialog import ImportDialog
    from gxcare_desktop.ui.models.report_models import ImportColumn

    source = _messy_ledger(tmp_path / "ledger.xlsx", make_id(date(2015, 3, 4), male=False, seq=21),
                           make_id(date(2016, 7, 8), male=True, seq=22))
    dialog = ImportDialog(make_context(ledger, Settings(language="en")))
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.dry_run_finished, timeout=30_000):
        dialog.set_file(source)
    model = dialog.model
    refused = next(r for r in range(model.rowCount()) if model.row_at(r).outcome == "refused")
    assert model.text(refused, ImportColumn.ACTION) == "Refused"
    reason = model.text(refused, ImportColumn.REASON)
    assert reason and reason.isascii()  # the reason in English, as the UI language asks
    assert model.headerData(ImportColumn.REASON, Qt.Orientation.Horizontal) == "Reason"


def test_reports_page_follows_a_language_switch(qtbot, make_context, ledger: Ledger) -> None:
    from gxcare_desktop.ui.pages.reports_page import ReportsPage

    _fill(ledger)
    context = make_context(ledger)
    page = ReportsPage(context)
    qtbot.addWidget(page)
    page.show()
    page.month.setDate(QDate(MONTH.year, MONTH.month, 1))
    with qtbot.waitSignal(page.report_ready, timeout=20_000):
        page.generate()
    assert page.model.data(page.model.index(page.model.totals_row, 0)) == "合计"
    assert page.month.displayFormat() == "yyyy年M月"
    # Only what follows the setting is checked: tr() texts depend on the translators the whole
    # test session has installed, code-list labels and the preview on the chosen language alone.
    context.update_settings(language="en")
    qtbot.waitUntil(lambda: page.model.language == "en", timeout=5_000)
    assert page.model.data(page.model.index(page.model.totals_row, 0)) == "Total"
    assert "Boys" in page.model.headerData(page.model.column_of("male"), Qt.Orientation.Horizontal)
    assert page.month.displayFormat() == "yyyy-MM"
    assert page.model.rowCount() == 2  # the report itself stays on screen


def test_stopped_export_leaves_no_file_and_no_audit(qtbot, make_context, ledger: Ledger, workers, tmp_path: Path) -> None:
    import threading

    from gxcare_desktop.ui.pages.reports_page import ReportsPage

    _fill(ledger)
    page = ReportsPage(make_context(ledger))
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.report_ready, timeout=20_000):
        page.generate()
    qtbot.waitUntil(lambda: page.export_button.isEnabled(), timeout=5_000)
    gate = threading.Event()
    workers.run(lambda *, progress, cancel: gate.wait(20), write=True, name="hold")
    out = tmp_path / "report.xlsx"
    job = page.export_to(out)
    assert job is not None
    qtbot.mouseClick(page.progress.cancel_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(job.signals.finished, timeout=30_000):
        gate.set()
    assert not out.exists() and not list(tmp_path.glob("*.part"))
    assert "export" not in _audit_actions(ledger)
    assert "未生成文件" in page.status.text()
    assert not page.open_folder_button.isEnabled()
