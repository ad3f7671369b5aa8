"""The children list and the child file driven as a user would, on a real encrypted ledger."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from gxcare_desktop.domain.enums import ExitReason  # noqa: E402
from gxcare_desktop.ledger import ChildQuery, Ledger  # noqa: E402
from gxcare_desktop.ui.models.children_model import ChildrenModel, Column, SearchIndex  # noqa: E402
from gxcare_desktop.ui.pages.children_page import ChildrenView  # noqa: E402
from gxcare_desktop.ui.workers import Workers  # noqa: E402
from tests.helpers import child_fields, make_id  # noqa: E402


@pytest.fixture
def workers(qapp) -> Workers:  # type: ignore[no-untyped-def]
    pool = Workers()
    yield pool
    pool.wait(10_000)


def _page(qtbot, ledger: Ledger, workers: Workers, **kwargs) -> ChildrenView:  # type: ignore[no-untyped-def]
    page = ChildrenView(ledger, language="zh_CN", workers=workers, **kwargs)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    with qtbot.waitSignal(page.list_page.list_loaded, timeout=10_000):
        page.show()
    return page


def _names(page: ChildrenView) -> list[str]:
    model = page.list_page.model
    return [model.index(r, Column.NAME).data() for r in range(model.rowCount())]


def test_add_child_invalid_id_first_then_valid(qtbot, ledger: Ledger, workers: Workers) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, ledger, workers)
    assert _names(page) == []
    qtbot.mouseClick(page.list_page.new_button, Qt.MouseButton.LeftButton)
    form = page.file_page
    assert page.currentWidget() is form
    form.name.insert("张三")  # Chinese arrives committed by the input method, not as key clicks
    good_id = make_id(date(2015, 3, 8), male=True)
    bad_id = good_id[:-1] + ("0" if good_id[-1] != "0" else "1")  # wrong check character
    qtbot.keyClicks(form.id_number, bad_id)
    form.categories.boxes["left_behind"].setChecked(True)
    with qtbot.waitSignal(form.save_failed, timeout=10_000):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    error = form.fields.error_text("id_number")
    assert "校验位" in error
    assert form.fields.errors["id_number"].isVisible()
    assert form.id_number.property("invalid") is True
    assert form.name.text() == "张三"  # nothing typed is lost
    assert form.id_number.text() == bad_id
    assert form.categories.values() == ["left_behind"]
    assert ledger.count_children() == 0

    form.id_number.clear()
    qtbot.keyClicks(form.id_number, good_id)
    # A valid number fills in the birth date and sex as it is typed.
    assert form.birth_date.text() == "2015-03-08"
    assert form.sex.currentData() == "1"
    assert form.fields.error_text("id_number") == ""
    with qtbot.waitSignal(page.list_page.list_loaded, timeout=10_000):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert ledger.count_children() == 1
    assert form.child_id is not None
    assert ledger.get_child(form.child_id).id_number == good_id
    page.show_list()
    assert _names(page) == ["张三"]


def test_parent_error_is_marked_at_the_parent_field(qtbot, ledger: Ledger, workers: Workers) -> None:  # type: ignore[no-untyped-def]
    child = ledger.create_child(**child_fields())
    page = _page(qtbot, ledger, workers)
    page.open_child(child.id)
    form = page.file_page
    qtbot.keyClicks(form._editors["father.phone"], "12345")
    with qtbot.waitSignal(form.save_failed, timeout=10_000):
        form.save()
    assert form.fields.error_text("father.phone")
    assert form.fields.error_text("phone") == ""
    assert form._editors["father.phone"].text() == "12345"  # type: ignore[attr-defined]
    assert form.tabs.currentIndex() == 1  # the family tab is brought forward


def test_search_by_pinyin_initials(qtbot, ledger: Ledger, workers: Workers) -> None:  # type: ignore[no-untyped-def]
    ledger.create_child(**child_fields(name="张三", seq=11))
    ledger.create_child(**child_fields(name="李四", seq=13))
    ledger.create_child(**child_fields(name="赵小四", seq=15))
    page = _page(qtbot, ledger, workers)
    assert sorted(_names(page)) == ["张三", "李四", "赵小四"]
    qtbot.keyClicks(page.list_page.search, "zs")
    assert _names(page) == ["张三"]
    assert page.list_page.count_label.text() in ("显示 1 / 3 名", "1 of 3 shown")
    page.list_page.search.clear()
    page.list_page.search.insert("李")
    assert _names(page) == ["李四"]
    page.list_page.search.clear()
    id_number = ledger.list_children(ChildQuery(text="zxs"))[0].id_number
    qtbot.keyClicks(page.list_page.search, id_number[-6:])
    assert _names(page) == ["赵小四"]
    # Enter on the single match opens that child's file.
    qtbot.keyClick(page.list_page.search, Qt.Key.Key_Return)
    assert page.currentWidget() is page.file_page
    assert page.file_page.name.text() == "赵小四"


def test_archive_child_leaves_default_list(qtbot, ledger: Ledger, workers: Workers) -> None:  # type: ignore[no-untyped-def]
    kept = ledger.create_child(**child_fields(name="韦小明", seq=11))
    leaving = ledger.create_child(**child_fields(name="黄小红", seq=13))
    page = _page(qtbot, ledger, workers)
    assert sorted(_names(page)) == ["韦小明", "黄小红"]
    row = page.list_page.model.row_of(leaving.id)
    page.list_page.table.doubleClicked.emit(page.list_page.model.index(row, 0))
    assert page.file_page.child_id == leaving.id
    qtbot.mouseClick(page.file_page.archive_button, Qt.MouseButton.LeftButton)
    dialog = page.file_page.archive_dialog
    assert dialog is not None
    with qtbot.waitSignal(dialog.save_failed, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # no reason chosen yet
    assert dialog.fields.error_text("exit_reason")
    assert not ledger.get_child(leaving.id).archived
    dialog.choose(ExitReason.MOVED)
    with qtbot.waitSignal(page.list_page.list_loaded, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert ledger.get_child(leaving.id).archived
    assert _names(page) == ["韦小明"]
    with qtbot.waitSignal(page.list_page.list_loaded, timeout=10_000):
        page.list_page.archived.setChecked(True)
    assert _names(page) == ["黄小红"]
    assert kept.id not in {page.list_page.model.row_at(r).id for r in range(page.list_page.model.rowCount())}


def test_filters_match_ledger_counts(qtbot, ledger: Ledger, workers: Workers) -> None:  # type: ignore[no-untyped-def]
    ledger.create_child(**child_fields(name="韦一", seq=11))
    ledger.create_child(**child_fields(name="韦二", seq=13, categories=["difficulty_poverty"]))
    page = _page(qtbot, ledger, workers)
    combo = page.list_page.category
    with qtbot.waitSignal(page.list_page.list_loaded, timeout=10_000):
        combo.setCurrentIndex(combo.findData("difficulty_poverty"))
    assert _names(page) == ["韦二"]
    assert page.list_page.model.rowCount() == ledger.count_children(ChildQuery(category="difficulty_poverty"))


def test_attachment_added_through_injected_picker_and_viewed(qtbot, ledger: Ledger, workers: Workers, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    child = ledger.create_child(**child_fields())
    photo = tmp_path / "agreement.png"
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#2f6fae"))
    assert image.save(str(photo))
    page = _page(qtbot, ledger, workers, open_file=lambda parent: str(photo))
    page.open_child(child.id)
    form = page.file_page
    form.attachment_caption.setText("委托照护协议")
    with qtbot.waitSignal(form.changed, timeout=10_000):
        qtbot.mouseClick(form.findChild(type(form.save_button), "add_attachment"), Qt.MouseButton.LeftButton)
    assert form.attachments_table.rowCount() == 1
    assert form.attachments_table.item(0, 0).text() == "agreement.png"
    form.view_attachment(0)
    assert form.viewer is not None
    assert not form.viewer.pixmap_label.pixmap().isNull()
    # The change shows in the history tab: who, which field, new value.
    history = [form.history_table.item(r, 3).text() for r in range(form.history_table.rowCount())]
    assert "文件名" in history


def test_edit_shows_in_history(qtbot, ledger: Ledger, workers: Workers) -> None:  # type: ignore[no-untyped-def]
    child = ledger.create_child(**child_fields(school_name="白山小学"))
    page = _page(qtbot, ledger, workers)
    page.open_child(child.id)
    form = page.file_page
    form.school_name.setText("马山县第二小学")
    with qtbot.waitSignal(form.saved, timeout=10_000):
        form.save()
    assert ledger.get_child(child.id).school_name == "马山县第二小学"
    rows = [
        [form.history_table.item(r, c).text() for c in range(6)] for r in range(form.history_table.rowCount())
    ]
    assert any(r[3] == "学校名称" and r[4] == "白山小学" and r[5] == "马山县第二小学" and r[1] == "韦主任" for r in rows)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("zs", ["张三"]), ("zhang", ["张三"]), ("s", []), ("四", ["李四"]), ("4501", ["张三", "李四"])],
)
def test_search_index_matches_like_the_ledger(ledger: Ledger, text: str, expected: list[str]) -> None:
    ledger.create_child(**child_fields(name="张三", seq=11))
    ledger.create_child(**child_fields(name="李四", seq=13))
    rows = ledger.list_children()
    assert sorted(rows[i].name for i in SearchIndex(rows, None).search(text)) == sorted(expected)
    assert sorted(r.name for r in ledger.list_children(ChildQuery(text=text))) == sorted(expected)


def test_model_narrowing_equals_full_search(ledger: Ledger, qtbot) -> None:  # type: ignore[no-untyped-def]
    for seq, name in enumerate(["张三", "张珊", "章山", "李四"], start=11):
        ledger.create_child(**child_fields(name=name, seq=seq * 2))
    model = ChildrenModel(language="zh_CN")
    model.set_rows(ledger.list_children())
    model.set_search("z")
    model.set_search("zs")
    narrowed = sorted(model.row_at(r).name for r in range(model.rowCount()))
    model.set_search("")
    model.set_search("zs")
    assert narrowed == sorted(model.row_at(r).name for r in range(model.rowCount())) == ["张三", "张珊", "章山"]


def test_refused_category_is_explained_and_saving_keeps_input(qtbot, ledger: Ledger, workers: Workers) -> None:  # type: ignore[no-untyped-def]
    child = ledger.create_child(**child_fields(name="韦小明", seq=11))
    page = _page(qtbot, ledger, workers)
    page.open_child(child.id)
    form = page.file_page
    father = form._editors["father.condition"]
    mother = form._editors["mother.condition"]
    father.setCurrentIndex(father.findData("normal"))  # type: ignore[attr-defined]
    mother.setCurrentIndex(mother.findData("working_away"))  # type: ignore[attr-defined]
    # Explained while the form is filled in, before any save.
    assert not form.category_hint.isHidden()
    assert "留守" in form.category_hint.text()
    with qtbot.waitSignal(form.save_failed, timeout=10_000):
        form.save()
    assert "留守" in form.fields.error_text("categories")
    assert form.tabs.currentIndex() == 0
    assert father.currentData() == "normal"  # type: ignore[attr-defined]
    assert ledger.child_file(child.id).father is None  # the whole save was rolled back
    # Father working away too: the category fits and the save goes through.
    father.setCurrentIndex(father.findData("working_away"))  # type: ignore[attr-defined]
    assert form.category_hint.isHidden()
    form._editors["father.work_province"].setText("广东省")  # type: ignore[attr-defined]
    with qtbot.waitSignal(form.saved, timeout=10_000):
        form.save()
    saved = ledger.child_file(child.id)
    assert saved.father is not None and saved.father.condition == "working_away"
    assert saved.father.work_province == "广东省"
    assert saved.mother is not None and saved.mother.condition == "working_away"


def test_benefit_added_and_bad_month_marked(qtbot, ledger: Ledger, workers: Workers) -> None:  # type: ignore[no-untyped-def]
    child = ledger.create_child(**child_fields(seq=11))
    page = _page(qtbot, ledger, workers)
    page.open_child(child.id)
    form = page.file_page
    form.benefit_kind.setCurrentIndex(form.benefit_kind.findData("dibao"))
    form.benefit_amount.setText("300")
    form.benefit_start.setText("2025-13")
    with qtbot.waitSignal(form.save_failed, timeout=10_000):
        form.add_benefit()
    assert form.benefit_fields.error_text("start_month")
    assert form.benefit_start.text() == "2025-13"
    form.benefit_start.setText("2025-03")
    with qtbot.waitSignal(form.changed, timeout=10_000):
        form.add_benefit()
    assert form.benefits_table.rowCount() == 1
    assert form.benefits_table.item(0, 0).text() == "低保"
    assert ledger.child_file(child.id).benefits[0].amount_monthly == 300


def test_history_shows_labels_not_codes(qtbot, ledger: Ledger, workers: Workers) -> None:  # type: ignore[no-untyped-def]
    child = ledger.create_child(**child_fields(seq=11))
    ledger.update_child(child.id, schooling="junior")
    page = _page(qtbot, ledger, workers)
    page.open_child(child.id)
    form = page.file_page
    rows = [[form.history_table.item(r, c).text() for c in range(6)] for r in range(form.history_table.rowCount())]
    schooling = [r for r in rows if r[3] == "就学情况"]
    assert ["小学", "初中"] in [r[4:] for r in schooling]
    assert any(r[3] == "儿童类别" and r[5] == "农村留守儿童" for r in rows)


def test_sorted_model_search_keeps_the_order(ledger: Ledger, qtbot) -> None:  # type: ignore[no-untyped-def]
    for seq, (name, birth) in enumerate(
        [("张三", date(2012, 1, 5)), ("张珊", date(2016, 3, 1)), ("李四", date(2014, 7, 9)), ("章山", date(2011, 2, 2))],
        start=11,
    ):
        ledger.create_child(**child_fields(name=name, seq=seq * 2, birth_date=birth))
    rows = ledger.list_children()
    model = ChildrenModel(language="zh_CN")
    model.sort(Column.AGE, Qt.SortOrder.DescendingOrder)
    model.set_rows(rows, model.prepare(rows))
    assert [model.row_at(r).name for r in range(model.rowCount())] == ["章山", "张三", "李四", "张珊"]
    model.set_search("z")
    assert [model.row_at(r).name for r in range(model.rowCount())] == ["章山", "张三", "张珊"]
    model.set_search("zs")  # narrows the shown rows, order kept
    assert [model.row_at(r).name for r in range(model.rowCount())] == ["章山", "张三", "张珊"]
    model.set_search("")
    assert model.rowCount() == 4
    assert model.index(0, Column.AGE).data() == str(rows[[r.name for r in rows].index("章山")].age)


def _township_form(qtbot, tmp_path: Path, workers: Workers):  # type: ignore[no-untyped-def]
    from gxcare_desktop.domain.enums import Role
    from gxcare_desktop.ui.pages.child_file_page import ChildFilePage
    from tests.conftest import PASSWORD, TOWNSHIP

    township, _ = Ledger.create(tmp_path / "township.gxc", password=PASSWORD, village_code=TOWNSHIP, role=Role.TOWNSHIP_SUPERVISOR)
    form = ChildFilePage(township, language="zh_CN", workers=workers)
    qtbot.addWidget(form)
    form.name.setText("韦小明")
    qtbot.keyClicks(form.id_number, make_id(date(2016, 5, 20), male=True))
    return township, form


def test_township_ledger_asks_for_the_village(qtbot, tmp_path: Path, workers: Workers) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import VILLAGE

    township, form = _township_form(qtbot, tmp_path, workers)
    try:
        assert form.choose_village and form.village.findData(VILLAGE) > 0
        with qtbot.waitSignal(form.save_failed, timeout=10_000):
            form.save()
        assert form.fields.error_text("division_code")
        assert form.name.text() == "韦小明"
    finally:
        workers.wait(10_000)
        township.close()


def test_township_ledger_saves_in_the_chosen_village(qtbot, tmp_path: Path, workers: Workers) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import VILLAGE

    township, form = _township_form(qtbot, tmp_path, workers)
    try:
        form.village.setCurrentIndex(form.village.findData(VILLAGE))
        form.save()
        qtbot.waitUntil(lambda: not form.saving, timeout=10_000)
        assert form.child_id is not None, form.message.text()
        assert township.get_child(form.child_id).division_code == VILLAGE
    finally:
        workers.wait(10_000)
        township.close()


def test_background_sort_applies_only_while_current(qtbot, ledger: Ledger, workers: Workers) -> None:  # type: ignore[no-untyped-def]
    for seq, name in enumerate(["张三", "李四", "王五"], start=11):
        ledger.create_child(**child_fields(name=name, seq=seq * 2))
    page = _page(qtbot, ledger, workers)
    model = page.list_page.model
    requested: list[list] = []  # type: ignore[type-arg]
    model.sort_in_background = requested.append
    import gxcare_desktop.ui.models.children_model as children_model

    old_limit = children_model.BACKGROUND_SORT_ROWS
    children_model.BACKGROUND_SORT_ROWS = 0  # treat this small list as a large one
    try:
        model.sort(Column.NAME, Qt.SortOrder.DescendingOrder)
        assert len(requested) == 1
        assert [model.row_at(r).name for r in range(3)] == ["李四", "王五", "张三"]  # unchanged until the worker answers
        prepared = model.prepare(requested[0])
        model.sort(Column.NAME, Qt.SortOrder.AscendingOrder)  # overtaken by another click
        model.apply_sort(prepared)
        assert [model.row_at(r).name for r in range(3)] == ["李四", "王五", "张三"]
        model.apply_sort(model.prepare(requested[1]))
        assert [model.row_at(r).name for r in range(3)] == ["李四", "王五", "张三"]
        model.sort(Column.NAME, Qt.SortOrder.DescendingOrder)
        model.apply_sort(model.prepare(requested[2]))
        assert [model.row_at(r).name for r in range(3)] == ["张三", "王五", "李四"]
    finally:
        children_model.BACKGROUND_SORT_ROWS = old_limit


def test_header_click_sorts_through_the_worker(qtbot, ledger: Ledger, workers: Workers) -> None:  # type: ignore[no-untyped-def]
    for seq, name in enumerate(["张三", "李四", "王五"], start=11):
        ledger.create_child(**child_fields(name=name, seq=seq * 2))
    page = _page(qtbot, ledger, workers)
    model = page.list_page.model
    import gxcare_desktop.ui.models.children_model as children_model

    old_limit = children_model.BACKGROUND_SORT_ROWS
    children_model.BACKGROUND_SORT_ROWS = 0
    try:
        with qtbot.waitSignal(model.layoutChanged, timeout=10_000):
            page.list_page.table.sortByColumn(Column.NAME, Qt.SortOrder.DescendingOrder)
        assert [model.row_at(r).name for r in range(3)] == ["张三", "王五", "李四"]
    finally:
        children_model.BACKGROUND_SORT_ROWS = old_limit
