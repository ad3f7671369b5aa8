"""The main window's pages and the one list that puts them in the navigation.

To add a page:
1. write ``ui/pages/<name>.py`` with a ``Page`` subclass (see ``pages.base.Page``), with
   ``key = "<name>"`` and ``title = NAV_TITLES["<name>"]`` (or your own QT_TRANSLATE_NOOP);
2. import it below and put the class in ``PAGES`` at its place in the navigation;
3. ``make translations-update``, translate the new strings in resources/translations/gxcare_zh_CN.ts.
The main window, its navigation, language switching and ``make screenshots`` pick it up from here.
A page class may define ``shown_for(ledger) -> bool`` to appear only for some roles.
"""

from __future__ import annotations

from .base import NAV_TITLES, Page
from .cases_page import CasesPage
from .children_page import ChildrenPage
from .compare_page import ComparePage
from .dashboard_page import DashboardPage
from .reports_page import ReportsPage
from .review_page import ReviewPage
from .settings_page import SettingsPage
from .staff_page import StaffPage
from .sync_page import SyncPage
from .township_page import TownshipPage
from .visits_page import VisitsPage

PAGES: list[type[Page]] = [
    DashboardPage,  # 工作台
    ChildrenPage,  # 儿童档案 (opens the child file in place)
    VisitsPage,  # 走访
    TownshipPage,  # 督导总览 (supervisors and the county only: TownshipPage.shown_for)
    ReviewPage,  # 审核 (the queue for supervisors; a director's own requests)
    CasesPage,  # 强制报告
    StaffPage,  # 人员与培训 (read-only for a director)
    ReportsPage,  # 报表 (monthly report, Excel export, ledger import)
    ComparePage,  # 部门信息比对
    SyncPage,  # 同步 (server, sync now, conflicts, USB bundles)
    SettingsPage,
]

__all__ = [
    "NAV_TITLES", "PAGES", "CasesPage", "ChildrenPage", "ComparePage", "DashboardPage", "Page", "ReportsPage", "ReviewPage", "SettingsPage",
    "StaffPage", "SyncPage", "TownshipPage", "VisitsPage",
]
