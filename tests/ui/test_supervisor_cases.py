"""A mandatory-report case on the cases page, through all five steps to closing; a director's
view hides the reporter and the supervisor-only actions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialogButtonBox

from gxcare_desktop.domain.enums import Role
from gxcare_desktop.ledger import Ledger
from gxcare_desktop.ledger import workflows as wf
from gxcare_desktop.ui.dialogs.case_forms import CaseFormDialog
from gxcare_desktop.ui.pages.cases_page import CasesPage
from tests.conftest import TOWNSHIP, VILLAGE
from tests.helpers import child_fields
from tests.integration._workflow_support import carry, make_ledger


@pytest.fixture
def supervisor(tmp_path: Path) -> Iterator[Ledger]:
    ledger = make_ledger(tmp_path, "township", TOWNSHIP, Role.TOWNSHIP_SUPERVISOR, "黄督导")
    yield ledger
    ledger.close()


def _page(qtbot, context) -> CasesPage:  # type: ignore[no-untyped-def]
    page = CasesPage(context)
    qtbot.addWidget(page)
    page.resize(1200, 750)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.page_shown()
    return page


def _ok(qtbot, page: CasesPage, dialog: CaseFormDialog | None) -> None:  # type: ignore[no-untyped-def]
    assert dialog is not None and dialog.isVisible()
    with qtbot.waitSignals([page.written, page.loaded], timeout=10_000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert not dialog.isVisible()


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def test_a_case_through_all_five_steps(
    qtbot, ledger: Ledger, supervisor: Ledger, make_context: Callable[[Ledger], object]  # type: ignore[no-untyped-def]
) -> None:
    child = ledger.create_child(**child_fields(name="韦小红", sex="2"))
    carry(ledger, supervisor)
    page = _page(qtbot, make_context(supervisor))
    assert page.table.rowCount() == 0 and page.step_button.isVisible()
    found = date.today() - timedelta(days=3)

    # 1 监测预防 / 发现: open the case. A missing observation is marked at its field, nothing written.
    dialog = page.open_new_case()
    assert dialog.child.findData(child.id) >= 0
    dialog.child.setCurrentIndex(dialog.child.findData(child.id))
    dialog.situation.setCurrentIndex(dialog.situation.findData("abuse_injuries"))
    dialog.opened_on.setDate(_qdate(found))
    dialog.place.setText("白山村小学")
    dialog.reporter_name.setText("覃老师")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: bool(dialog.fields.error_text("observed")), timeout=10_000)
    assert dialog.isVisible() and wf.list_cases(supervisor) == []
    dialog.observed.setPlainText("手臂多处淤青")
    _ok(qtbot, page, dialog)
    assert page.table.rowCount() == 1 and page.current() is not None
    assert "覃老师" in page.detail.text()  # a supervisor sees the reporter
    assert not page.step_button.isEnabled()  # nothing before the police report

    # 2 发现报告: the police report.
    dialog = page.open_police_report()
    dialog.unit.setText("白山派出所")
    dialog.receipt.setText("BS-118")
    _ok(qtbot, page, dialog)
    assert page.step_button.isEnabled() and "BS-118" in page.detail.text()

    # 3–5 应急处置, 评估帮扶, 监护干预.
    offered_first = []
    for step, actions in (("emergency", "临时安置"), ("assessment", "入户评估"), ("intervention", "委托照护")):
        dialog = page.open_step()
        offered_first.append(dialog.step.itemData(0))
        dialog.step.setCurrentIndex(dialog.step.findData(step))
        dialog.step_date.setDate(_qdate(found + timedelta(days=1)))
        dialog.actions_edit.setPlainText(actions)
        _ok(qtbot, page, dialog)
    # A step may be recorded again, but a case never goes back to an earlier one.
    assert offered_first == ["emergency", "emergency", "assessment"]
    case = page.current()
    assert case is not None
    assert [s.step for s in case.steps] == ["monitoring", "reporting", "emergency", "assessment", "intervention"]

    # Close with feedback.
    dialog = page.open_close()
    dialog.feedback.setPlainText("已向学校和派出所反馈")
    _ok(qtbot, page, dialog)
    case = page.current()
    assert case is not None and case.closed and case.feedback == "已向学校和派出所反馈"
    assert not page.police_button.isEnabled() and not page.close_button.isEnabled()
    assert "0" in page.heading.text()


def test_a_flagged_case_stands_out_and_a_director_sees_no_reporter(
    tmp_path: Path, qtbot, ledger: Ledger, supervisor: Ledger, make_context: Callable[[Ledger], object]  # type: ignore[no-untyped-def]
) -> None:
    child = ledger.create_child(**child_fields())
    wf.open_case(ledger, child_id=child.id, situation="abandonment", opened_on=date.today() - timedelta(days=30),
                 place="", observed="无人照料", reporter_name="韦老师")
    carry(ledger, supervisor)
    other_device = make_ledger(tmp_path, "second", VILLAGE, Role.VILLAGE_DIRECTOR, "覃主任")
    try:
        carry(supervisor, other_device)
        page = _page(qtbot, make_context(other_device))
        assert page.table.rowCount() == 1 and page.table.is_flagged(0)
        page.table.selectRow(0)
        assert "韦老师" not in page.detail.text()
        assert not page.step_button.isVisible() and not page.close_button.isVisible()
        assert page.police_button.isEnabled() and page.new_button.isEnabled()
    finally:
        other_device.close()
