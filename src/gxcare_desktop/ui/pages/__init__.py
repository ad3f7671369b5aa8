"""The main window's pages and the one list that puts them in the navigation.

To add a page:
1. write ``ui/pages/<name>.py`` with a ``Page`` subclass (see ``pages.base.Page``), with
   ``key = "<name>"`` and ``title = NAV_TITLES["<name>"]`` (or your own QT_TRANSLATE_NOOP);
2. import it below and put the class in ``PAGES`` at its place in the navigation;
3. ``make translations-update``, translate the new strings in resources/translations/gxcare_zh_CN.ts.
The main window, its navigation, language switching and ``make screenshots`` pick it up from here.
"""

from __future__ import annotations

from .base import NAV_TITLES, Page
from .settings_page import SettingsPage

PAGES: list[type[Page]] = [
    # dashboard: DashboardPage   -> ui/pages/dashboard.py (工作台)
    # children:  ChildrenPage    -> ui/pages/children.py  (儿童档案; opens ui/pages/child_file.py)
    # visits:    VisitsPage      -> ui/pages/visits.py    (走访)
    # reports:   ReportsPage     -> ui/pages/reports.py   (报表)
    # sync:      SyncPage        -> ui/pages/sync.py      (同步)
    SettingsPage,
]

__all__ = ["NAV_TITLES", "PAGES", "Page", "SettingsPage"]
