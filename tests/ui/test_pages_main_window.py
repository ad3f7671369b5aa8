"""The registered pages inside the real main window: navigate, search, open, record a visit, see the dashboard."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from gxcare_desktop.ledger import ChildQuery, Ledger
from gxcare_desktop.ui.main_window import MainWindow
from gxcare_desktop.ui.models.children_model import Column
from gxcare_desktop.ui.pages.children_page import ChildrenPage
from gxcare_desktop.ui.pages.dashboard_page import DashboardPage
from tests.helpers import child_fields


def test_search_open_visit_and_dashboard_follow(qtbot, ledger: Ledger, make_context) -> None:  # type: ignore[no-untyped-def]
    long_ago = date.today() - timedelta(days=400)
    zhang = ledger.create_child(**child_fields(name="张三", seq=11, registered_on=long_ago))
    ledger.create_child(**child_fields(name="李四", seq=13))
    window = MainWindow(make_context(ledger))
    qtbot.addWidget(window)
    window.show()
    try:
        dashboard = window.pages["dashboard"]
        assert isinstance(dashboard, DashboardPage)
        qtbot.waitUntil(lambda: dashboard.view.data is not None, timeout=10_000)
        assert dashboard.view.overdue_card.value.text() == "1" == str(ledger.count_children(ChildQuery(overdue=True)))

        children = window.show_page("children")
        assert isinstance(children, ChildrenPage)
        list_page = children.view.list_page
        qtbot.waitUntil(lambda: list_page.model.total_rows == 2 and not list_page.loading, timeout=10_000)
        list_page.search.setFocus()
        qtbot.keyClicks(list_page.search, "zs")
        assert [list_page.model.index(r, Column.NAME).data() for r in range(list_page.model.rowCount())] == ["张三"]
        qtbot.keyClick(list_page.search, Qt.Key.Key_Return)
        assert children.view.showing_file
        assert children.view.file_page.child_id == zhang.id

        children.view.file_page.open_visit_form()
        form = children.view.file_page.visit_form
        assert form is not None
        with qtbot.waitSignal(form.visit_saved, timeout=10_000):
            form.save()
        assert ledger.count_children(ChildQuery(overdue=True)) == 0

        window.show_page("dashboard")
        qtbot.waitUntil(lambda: dashboard.view.overdue_card.value.text() == "0", timeout=10_000)
        assert dashboard.view.overdue_list.ids == []
        # A high-risk child on the dashboard opens on the children page, navigation included.
        risky = ledger.create_child(**child_fields(name="黄三", seq=15))
        ledger.assess(risky.id, level="missing", assessed_on=date.today())
        context = window.context
        context.notify_ledger_changed()
        qtbot.waitUntil(lambda: dashboard.view.high_risk_list.ids == [risky.id], timeout=10_000)
        dashboard.view.high_risk_list.cellDoubleClicked.emit(0, 0)
        assert window.current_page() is children
        assert window.navigation.currentRow() == list(window.pages).index("children")
        assert children.view.showing_file and children.view.file_page.child_id == risky.id
    finally:
        window.idle_lock.shutdown()
