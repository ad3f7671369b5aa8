"""The dashboard's numbers against the ledger's own counts; click-through; pages in a context."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStackedWidget

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from gxcare_desktop.domain.enums import Category, RiskLevel  # noqa: E402
from gxcare_desktop.ledger import ChildQuery, Ledger  # noqa: E402
from gxcare_desktop.settings import Settings  # noqa: E402
from gxcare_desktop.ui.context import AppContext  # noqa: E402
from gxcare_desktop.ui.i18n import LanguageSwitcher  # noqa: E402
from gxcare_desktop.ui.pages.children_page import ChildrenPage  # noqa: E402
from gxcare_desktop.ui.pages.dashboard_page import DashboardPage, DashboardView  # noqa: E402
from gxcare_desktop.ui.pages.visits_page import VisitsPage  # noqa: E402
from gxcare_desktop.ui.workers import Workers  # noqa: E402
from tests.helpers import child_fields  # noqa: E402

LONG_AGO = date.today() - timedelta(days=400)


@pytest.fixture
def workers(qapp) -> Iterator[Workers]:  # type: ignore[no-untyped-def]
    pool = Workers()
    yield pool
    pool.wait(10_000)


@pytest.fixture
def context(qapp, ledger: Ledger, workers: Workers, tmp_path: Path) -> Iterator[AppContext]:  # type: ignore[no-untyped-def]
    languages = LanguageSwitcher(qapp)
    languages.apply("zh_CN")
    yield AppContext(ledger=ledger, settings=Settings(), settings_path=tmp_path / "settings.json", workers=workers, languages=languages)
    languages.apply("zh_CN")


def _fill(ledger: Ledger) -> dict[str, str]:
    ids = {}
    ids["late"] = ledger.create_child(**child_fields(name="覃小燕", seq=11, registered_on=LONG_AGO)).id
    ids["poor"] = ledger.create_child(**child_fields(name="韦二", seq=13, categories=["difficulty_poverty"])).id
    risky = ledger.create_child(**child_fields(name="黄三", seq=15))
    ledger.assess(risky.id, level="missing", assessed_on=date.today())
    ids["risky"] = risky.id
    # 15 years 11 months old: a left-behind child leaves the category at 16, within 30 days.
    birth = date.today().replace(year=date.today().year - 16) + timedelta(days=10)
    ids["ageing"] = ledger.create_child(**child_fields(name="蒙四", seq=17, birth_date=birth)).id
    return ids


def test_dashboard_numbers_match_the_ledger(qtbot, ledger: Ledger, workers: Workers) -> None:  # type: ignore[no-untyped-def]
    ids = _fill(ledger)
    view = DashboardView(ledger, language="zh_CN", workers=workers)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.refresh()
    count = ledger.count_children
    assert view.total_card.value.text() == str(count()) == "4"
    assert view.overdue_card.value.text() == str(count(ChildQuery(overdue=True)))
    assert view.no_contact_card.value.text() == str(count(ChildQuery(no_contact=True)))
    assert view.high_risk_card.value.text() == str(count(ChildQuery(risk="high"))) == "1"
    assert view.age_out_card.value.text() == str(count(ChildQuery(age_out_within_days=30))) == "1"
    bars = {bar.label: bar.value for bar in view.category_chart.bars}
    for category in Category:
        assert bars[category.label.zh] == count(ChildQuery(category=category.value))
    assert {bar.label: bar.value for bar in view.risk_chart.bars}[RiskLevel.HIGH.label.zh] == 1
    assert ids["late"] in view.overdue_list.ids
    assert view.high_risk_list.ids == [ids["risky"]]
    assert view.age_out_list.ids == [ids["ageing"]]
    with qtbot.waitSignal(view.child_opened, timeout=1000) as opened:
        view.overdue_list.cellDoubleClicked.emit(view.overdue_list.ids.index(ids["late"]), 0)
    assert opened.args == [ids["late"]]


def test_click_on_overdue_child_opens_its_file_and_visit_updates_dashboard(qtbot, context: AppContext) -> None:  # type: ignore[no-untyped-def]
    ids = _fill(context.ledger)
    stack = QStackedWidget()
    qtbot.addWidget(stack)
    dashboard = DashboardPage(context)
    children = ChildrenPage(context)
    visits = VisitsPage(context)
    for page in (dashboard, children, visits):
        stack.addWidget(page)
        context.events.ledger_changed.connect(page.ledger_changed)
    stack.resize(1200, 760)
    stack.show()
    with qtbot.waitSignal(dashboard.view.loaded, timeout=10_000):
        dashboard.page_shown()
    overdue_before = int(dashboard.view.overdue_card.value.text())
    assert overdue_before == context.ledger.count_children(ChildQuery(overdue=True))
    row = dashboard.view.overdue_list.ids.index(ids["late"])
    dashboard.view.overdue_list.cellDoubleClicked.emit(row, 0)
    assert stack.currentWidget() is children
    assert children.view.file_page.child_id == ids["late"]
    # Record the visit from the child's file; the dashboard's overdue count goes down.
    children.view.file_page.open_visit_form()
    form = children.view.file_page.visit_form
    assert form is not None
    with qtbot.waitSignal(form.visit_saved, timeout=10_000):
        form.save()
    assert context.ledger.count_children(ChildQuery(overdue=True)) == overdue_before - 1
    stack.setCurrentWidget(dashboard)
    with qtbot.waitSignal(dashboard.view.loaded, timeout=10_000):
        dashboard.page_shown()
    assert int(dashboard.view.overdue_card.value.text()) == overdue_before - 1
    assert ids["late"] not in dashboard.view.overdue_list.ids


def test_pages_follow_a_language_switch(qtbot, context: AppContext) -> None:  # type: ignore[no-untyped-def]
    _fill(context.ledger)
    children = ChildrenPage(context)
    qtbot.addWidget(children)
    children.show()
    with qtbot.waitSignal(children.view.list_page.list_loaded, timeout=10_000):
        children.page_shown()
    model = children.view.list_page.model
    assert model.headerData(0, Qt.Orientation.Horizontal) == "姓名"
    context.update_settings(language="en")
    qtbot.waitUntil(lambda: children.view.language == "en", timeout=5000)
    model = children.view.list_page.model
    qtbot.waitUntil(lambda: model.total_rows == 4, timeout=10_000)


    assert model.headerData(0, Qt.Orientation.Horizontal) == "Name"
    categories = {model.index(r, 3).data() for r in range(model.rowCount())}
    assert "Left-behind" in categories
    context.update_settings(language="zh_CN")
    qtbot.waitUntil(lambda: children.view.language == "zh_CN", timeout=5000)
    assert children.view.list_page.model.headerData(0, Qt.Orientation.Horizontal) == "姓名"
