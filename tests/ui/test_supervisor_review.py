"""A township supervisor on the review page: approve one file, return another with a comment;
the village director then sees the comment and resubmits."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from gxcare_desktop.domain.enums import Role
from gxcare_desktop.ledger import Ledger
from gxcare_desktop.ledger import workflows as wf
from gxcare_desktop.ui.pages.review_page import ReviewPage
from tests.conftest import TOWNSHIP
from tests.helpers import child_fields
from tests.integration._workflow_support import carry, make_ledger


@pytest.fixture
def supervisor(tmp_path: Path) -> Iterator[Ledger]:
    ledger = make_ledger(tmp_path, "township", TOWNSHIP, Role.TOWNSHIP_SUPERVISOR, "黄督导")
    yield ledger
    ledger.close()


def _page(qtbot, context) -> ReviewPage:  # type: ignore[no-untyped-def]
    page = ReviewPage(context)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.page_shown()
    return page


def test_supervisor_approves_one_file_and_returns_another(
    qtbot, ledger: Ledger, supervisor: Ledger, make_context: Callable[[Ledger], object]  # type: ignore[no-untyped-def]
) -> None:
    first, _ = wf.register_child(ledger, comment="新登记", **child_fields(seq=41, name="韦一"))
    second, _ = wf.register_child(ledger, **child_fields(seq=42, name="韦二", sex="2"))
    carry(ledger, supervisor)

    page = _page(qtbot, make_context(supervisor))
    assert page.approve_button.isVisible() and not page.resubmit_button.isVisible()
    assert sorted(page.table.item(r, 0).text() for r in range(page.table.rowCount())) == ["韦一", "韦二"]
    assert "2" in page.heading.text()

    # Approve 韦一.
    assert page.select(next(r.review_id for r in page.rows if r.child_id == first.id))
    assert "韦一" in page.detail.text()
    with qtbot.waitSignal(page.written, timeout=10_000) as approved:
        qtbot.mouseClick(page.approve_button, Qt.MouseButton.LeftButton)
    assert approved.args == ["approved"]
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=10_000)

    # Returning without a comment is refused on the spot; with one it goes through.
    page.table.selectRow(0)
    qtbot.mouseClick(page.return_button, Qt.MouseButton.LeftButton)
    assert page.error.text() and page.table.rowCount() == 1
    page.comment.setPlainText("请补充监护人电话")  # QTest cannot type Chinese
    with qtbot.waitSignal(page.written, timeout=10_000):
        qtbot.mouseClick(page.return_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.table.rowCount() == 0, timeout=10_000)
    assert {r.child_id: r.status for r in wf.review_history(supervisor, first.id)} == {first.id: "approved"}
    assert [(r.status, r.comment) for r in wf.review_history(supervisor, second.id)] == [("returned", "请补充监护人电话")]


def test_director_sees_the_comment_and_resubmits(
    qtbot, ledger: Ledger, supervisor: Ledger, make_context: Callable[[Ledger], object]  # type: ignore[no-untyped-def]
) -> None:
    child, review = wf.register_child(ledger, comment="新登记", **child_fields())
    carry(ledger, supervisor)
    wf.decide_review(supervisor, review.id, approve=False, comment="请补充学校名称")
    carry(supervisor, ledger)

    page = _page(qtbot, make_context(ledger))
    assert page.resubmit_button.isVisible() and not page.approve_button.isVisible()
    assert page.table.rowCount() == 1 and page.table.is_flagged(0)
    page.table.selectRow(0)
    assert "请补充学校名称" in page.detail.text()
    qtbot.waitUntil(lambda: page.history_table.rowCount() == 1, timeout=10_000)
    page.comment.setPlainText("已补充")
    with qtbot.waitSignal(page.written, timeout=10_000):
        qtbot.mouseClick(page.resubmit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.table.rowCount() == 1 and page.rows[0].round == 2, timeout=10_000)
    assert page.rows[0].status == "submitted" and page.rows[0].submit_note == "已补充"
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.history_table.rowCount() == 2, timeout=10_000)
    assert [r.round for r in wf.review_history(ledger, child.id)] == [1, 2]


def test_director_sends_a_file_saved_without_a_request(
    qtbot, ledger: Ledger, make_context: Callable[[Ledger], object]  # type: ignore[no-untyped-def]
) -> None:
    child = ledger.create_child(**child_fields())
    page = _page(qtbot, make_context(ledger))
    assert page.unsubmitted_table.isVisible() and page.unsubmitted_table.rowCount() == 1
    assert not page.submit_button.isEnabled()
    page.unsubmitted_table.selectRow(0)
    with qtbot.waitSignal(page.written, timeout=10_000):
        qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.unsubmitted_table.rowCount() == 0 and page.table.rowCount() == 1, timeout=10_000)
    assert [(r.kind, r.status) for r in wf.review_history(ledger, child.id)] == [("new_file", "submitted")]
