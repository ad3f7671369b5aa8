"""Views for `make screenshots` that are not plain pages: a child's file and the visit form."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from ...ledger import ChildQuery, Ledger
from .children_page import ChildrenPage
from .visits_page import VisitsPage


def _telling_child(ledger: Ledger) -> str:
    """A left-behind child with both parents and some visits on file: a file worth a picture."""
    rows = ledger.list_children(ChildQuery(category="left_behind", limit=200))
    best, best_score = rows[0].id, -1
    for row in rows:
        file = ledger.child_file(row.id)
        score = (file.father is not None) + (file.mother is not None) + min(len(file.visits), 3) + (file.care is not None)
        if score > best_score:
            best, best_score = row.id, score
        if score >= 6:
            break
    return best


def child_file_shot(window: Any) -> QWidget:
    """The main window showing a child's file (identity tab)."""
    page = window.show_page("children")
    assert isinstance(page, ChildrenPage)
    page.open_child(_telling_child(page.context.ledger))
    return window  # type: ignore[no-any-return]


def visit_form_shot(window: Any) -> QWidget:
    """The visit form of an overdue child, partly filled in as a director would."""
    page = window.show_page("visits")
    assert isinstance(page, VisitsPage)
    ledger = page.context.ledger
    overdue = ledger.list_children(ChildQuery(overdue=True, limit=1)) or ledger.list_children(ChildQuery(limit=1))
    form = page.view.open_visit_form(overdue[0].id)
    form.seen.setText("儿童本人、祖母")
    for code in ("daily_life", "schooling", "safety"):
        form.checks[code].setChecked(True)
    form.findings.setPlainText("孩子学习有进步，情绪稳定；祖母腰疼，做饭吃力。")
    form.help_given.setPlainText("联系村卫生室上门看望祖母；提醒父母每周视频通话。")
    form.level.setCurrentIndex(form.level.findData("insufficient"))
    form.resize(620, form.sizeHint().height())
    form.findings.setFocus()
    return form
