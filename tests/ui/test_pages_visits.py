"""The visits page and the visit / parent-contact forms, driven by keyboard and mouse on a real ledger."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from gxcare_desktop.ledger import ChildQuery, Ledger  # noqa: E402
from gxcare_desktop.ui.models.children_model import Column  # noqa: E402
from gxcare_desktop.ui.pages.visits_page import VisitsView  # noqa: E402
from gxcare_desktop.ui.workers import Workers  # noqa: E402
from tests.helpers import child_fields  # noqa: E402

LONG_AGO = date.today() - timedelta(days=400)


@pytest.fixture
def workers(qapp) -> Iterator[Workers]:  # type: ignore[no-untyped-def]
    pool = Workers()
    yield pool
    pool.wait(10_000)


def _view(qtbot, ledger: Ledger, workers: Workers) -> VisitsView:  # type: ignore[no-untyped-def]
    view = VisitsView(ledger, language="zh_CN", workers=workers)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.refresh()
    return view


def _ids(model) -> list[str]:  # type: ignore[no-untyped-def]
    return [model.row_at(r).id for r in range(model.rowCount())]


def test_recording_a_visit_takes_the_child_off_the_overdue_list(qtbot, ledger: Ledger, workers: Workers) -> None:  # type: ignore[no-untyped-def]
    late = ledger.create_child(**child_fields(name="覃小燕", seq=11, registered_on=LONG_AGO))
    ledger.create_child(**child_fields(name="韦小明", seq=13))  # registered today: not due yet
    view = _view(qtbot, ledger, workers)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.overdue_only.setChecked(True)
    assert _ids(view.due_model) == [late.id]
    assert view.overdue_count == 1 == ledger.count_children(ChildQuery(overdue=True))
    assert "1" in view.overdue_label.text()

    # Keyboard only: select the row, Enter opens the form, Ctrl+Enter saves it.
    view.due_tab.table.setFocus()
    view.due_tab.table.selectRow(0)
    qtbot.keyClick(view.due_tab.table, Qt.Key.Key_Return)
    form = view.visit_form
    assert form is not None and form.isVisible()
    assert form.visit_date.date() == QDate.currentDate()
    expected_due = ledger.preview_next_due(late.id, visit_date=date.today())
    assert expected_due.isoformat() in form.next_due.text()
    form.checks["safety"].setChecked(True)
    form.checks["schooling"].setChecked(True)
    form.findings.insertPlainText("祖母身体不好需要关注")
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        qtbot.keyClick(form.findings, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not form.isVisible()
    assert _ids(view.due_model) == []
    assert view.overdue_count == 0 == ledger.count_children(ChildQuery(overdue=True))
    visit = ledger.child_file(late.id).visits[0]
    assert visit.visit_date == date.today()
    assert sorted(visit.checks) == ["safety", "schooling"]
    assert visit.findings == "祖母身体不好需要关注"
    # The recent-visits tab lists the child first.
    assert _ids(view.recent_model)[0] == late.id


def test_next_due_follows_the_assessment_level(qtbot, ledger: Ledger, workers: Workers) -> None:  # type: ignore[no-untyped-def]
    child = ledger.create_child(**child_fields(seq=11))
    view = _view(qtbot, ledger, workers)
    form = view.open_visit_form(child.id)
    quarterly = form.next_due.text()
    form.level.setCurrentIndex(form.level.findData("missing"))  # 监护缺失: high risk, weekly visits
    weekly = ledger.preview_next_due(child.id, visit_date=date.today(), guardianship_level="missing")
    assert weekly.isoformat() in form.next_due.text()
    assert form.next_due.text() != quarterly


def test_visit_error_is_shown_at_the_date_and_input_kept(qtbot, ledger: Ledger, workers: Workers) -> None:  # type: ignore[no-untyped-def]
    child = ledger.create_child(**child_fields(seq=11, birth_date=date(2016, 5, 20)))
    view = _view(qtbot, ledger, workers)
    form = view.open_visit_form(child.id)
    form.visit_date.setDate(QDate(2015, 1, 1))
    form.findings.insertPlainText("记录的内容不能丢")
    with qtbot.waitSignal(form.save_failed, timeout=10_000):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.isVisible()
    assert "出生日期" in form.fields.error_text("visit_date")
    assert form.findings.toPlainText() == "记录的内容不能丢"
    assert ledger.child_file(child.id).visits == []


def test_parent_contact_log(qtbot, ledger: Ledger, workers: Workers) -> None:  # type: ignore[no-untyped-def]
    child = ledger.create_child(**child_fields(name="蒙小芳", seq=11, registered_on=LONG_AGO))
    view = _view(qtbot, ledger, workers)
    assert _ids(view.contact_model) == [child.id]
    assert view.contact_model.rowCount() == ledger.count_children(ChildQuery(no_contact=True))
    view.tabs.setCurrentWidget(view.contact_tab)
    view.contact_tab.table.selectRow(0)
    qtbot.mouseClick(view.contact_tab.action, Qt.MouseButton.LeftButton)
    form = view.contact_form
    assert form is not None
    form.parent_choice.setCurrentIndex(form.parent_choice.findData("mother"))
    form.mode.setCurrentIndex(form.mode.findData("video"))
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        form.save()
    assert _ids(view.contact_model) == []
    contact = ledger.child_file(child.id).contacts[0]
    assert (contact.parent, contact.mode, contact.contact_date) == ("mother", "video", date.today())


def test_search_narrows_the_due_list(qtbot, ledger: Ledger, workers: Workers) -> None:  # type: ignore[no-untyped-def]
    ledger.create_child(**child_fields(name="张三", seq=11))
    ledger.create_child(**child_fields(name="李四", seq=13))
    view = _view(qtbot, ledger, workers)
    qtbot.keyClicks(view.due_tab.search, "ls")
    assert [view.due_model.index(r, Column.NAME).data() for r in range(view.due_model.rowCount())] == ["李四"]
