"""Fixtures for the widget tests: offscreen Qt (unless --onscreen), fonts, languages, app contexts."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from gxcare_desktop.ledger import Ledger
from tests.conftest import PASSWORD, VILLAGE


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--onscreen", action="store_true", help="show the widgets on the real display")


def pytest_configure(config: pytest.Config) -> None:
    # Must happen before the QApplication exists; tests/ui is collected before any qapp.
    if not config.getoption("--onscreen", default=False):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


@pytest.fixture(autouse=True)
def user_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep demo ledgers and settings of every test out of the real user folder."""
    home = tmp_path / "home"
    monkeypatch.setenv("GXCARE_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def gui_thread_gc(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """As the app does: no cycle collection in worker threads (it would free Qt objects there).

    Per test, so that the suites after this folder get Python's automatic collection back.
    """
    from gxcare_desktop.ui.gc_guard import GuiThreadGarbageCollector

    collector = GuiThreadGarbageCollector()
    yield
    # Free this test's Qt objects here, on the GUI thread and while automatic collection is
    # still off: a collection started later inside a Qt destructor can deadlock on Qt's lock.
    gc.collect()
    collector.stop()


@pytest.fixture(scope="session")
def app_font(qapp) -> str:  # type: ignore[no-untyped-def]
    from gxcare_desktop.ui.fonts import install_fonts

    return install_fonts(qapp)


@pytest.fixture
def languages(qapp, app_font: str) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """The app's LanguageSwitcher, in Chinese (the default); its translators leave with the test."""
    from PySide6.QtCore import QLocale

    from gxcare_desktop.ui.i18n import LanguageSwitcher

    switcher = LanguageSwitcher(qapp)
    switcher.apply("zh_CN")
    yield switcher
    switcher.remove()
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))


@pytest.fixture
def workers(qapp) -> Iterator[object]:  # type: ignore[no-untyped-def]
    from gxcare_desktop.ui.workers import Workers

    pool = Workers()
    yield pool
    pool.cancel_all()
    pool.wait(20_000)


@pytest.fixture
def closed_ledger(ledger_path: Path) -> Path:
    """A real encrypted ledger on disk, closed, whose password is PASSWORD."""
    ledger, _code = Ledger.create(ledger_path, password=PASSWORD, village_code=VILLAGE, user_name="韦主任")
    ledger.close()
    return ledger_path


@pytest.fixture
def make_context(tmp_path: Path, languages, workers) -> Callable[[Ledger], object]:  # type: ignore[no-untyped-def]
    from gxcare_desktop.settings import Settings
    from gxcare_desktop.ui.context import AppContext

    def make(ledger: Ledger, settings: Settings | None = None) -> AppContext:
        return AppContext(ledger=ledger, settings=settings or Settings(), settings_path=tmp_path / "settings.json",
                          workers=workers, languages=languages)

    return make
