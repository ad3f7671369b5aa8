"""`python -m gxcare_desktop.ui.screenshots OUTDIR`: PNGs of every registered page on a demo ledger.

Runs offscreen (unless QT_QPA_PLATFORM says otherwise) at 1280x800 in Chinese. Pages come from
the registry in ui/pages/__init__.py, so a newly registered page is photographed without any
change here; `EXTRA_SHOTS` adds views that are not pages (a dialog, a page in a given state).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shiboken6  # noqa: E402
from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from ..ledger.demo import create_demo_ledger  # noqa: E402
from ..settings import Settings  # noqa: E402
from .app import create_application  # noqa: E402
from .context import AppContext  # noqa: E402
from .fonts import install_fonts  # noqa: E402
from .gc_guard import GuiThreadGarbageCollector  # noqa: E402
from .i18n import LanguageSwitcher  # noqa: E402
from .main_window import MainWindow  # noqa: E402
from .pages.report_screenshot_views import SHOTS as REPORT_SHOTS  # noqa: E402
from .pages.screenshot_views import child_file_shot, visit_form_shot  # noqa: E402
from .pages.sync_page import enrol_shot as sync_enrol_shot  # noqa: E402
from .pages.sync_page import report_shot as sync_report_shot  # noqa: E402
from .workers import Workers  # noqa: E402

SIZE = (1280, 800)
PASSWORD = "Screenshot-2026"
# Fixed so that the pictures in the README do not change at every run.
DEMO_CHILDREN = 240
DEMO_SEED = 7


def _first_run(window: MainWindow) -> QWidget:
    """The wizard's village page after a search, as a newcomer sees it."""
    from .dialogs.first_run import FirstRunWizard, PageId

    wizard = FirstRunWizard(Path(tempfile.gettempdir()) / "gxcare-shot-unused.gxc", window.context.workers, window)
    wizard.show()
    wizard.next()
    assert wizard.currentId() == PageId.VILLAGE
    wizard.village_page.search_edit.setText("新汉")
    wizard.village_page.results.setCurrentRow(0)
    return wizard


def _unlock(window: MainWindow) -> QWidget:
    from .dialogs.unlock import UnlockDialog

    dialog = UnlockDialog(window.context.ledger.path, window.context.workers, window)
    dialog.show()
    return dialog


# name -> function(window) returning the widget to grab, for views that are not plain pages
# (a dialog, a page in a given state). Each is grabbed after the pages, in this order.
ExtraShot = Callable[[MainWindow], QWidget]
EXTRA_SHOTS: dict[str, ExtraShot] = {
    "child_file": child_file_shot,
    "visit_form": visit_form_shot,
    "first_run": _first_run,
    "unlock": _unlock,
    **REPORT_SHOTS,  # reports_made, import_dialog, compare_result
    "enrol": sync_enrol_shot,
    "sync_report": sync_report_shot,  # last in the list: it points the demo ledger at a server
}


def settle(context: AppContext, *, timeout_s: float = 20.0, quiet_s: float = 0.3) -> None:
    """Let pages finish their background reads and repaint before a grab."""
    deadline = time.monotonic() + timeout_s
    quiet_since: float | None = None
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        if context.workers.busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_s:
            return
        time.sleep(0.01)


def take_screenshots(outdir: Path, *, language: str = "zh_CN", children: int = DEMO_CHILDREN,
                     work_dir: Path | None = None) -> list[Path]:
    """Grab every registered page (and EXTRA_SHOTS) into outdir; returns the files written."""
    outdir.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or create_application(sys.argv[:1])
    assert isinstance(app, QApplication)
    collector = GuiThreadGarbageCollector()
    install_fonts(app)
    languages = LanguageSwitcher(app)
    settings = Settings(language="zh_CN" if language != "en" else "en")
    languages.apply(settings.language)
    with tempfile.TemporaryDirectory(prefix="gxcare-shots-", dir=work_dir) as tmp:
        ledger = create_demo_ledger(Path(tmp) / "demo.gxc", password=PASSWORD, children=children, seed=DEMO_SEED)
        workers = Workers()
        context = AppContext(ledger=ledger, settings=settings, settings_path=Path(tmp) / "settings.json",
                             workers=workers, languages=languages)
        window = MainWindow(context)
        window.resize(*SIZE)
        window.show()
        written: list[Path] = []
        try:
            settle(context)
            for key in window.pages:
                window.show_page(key)
                settle(context)
                written.append(_save(window, outdir / f"{key}.png"))
            for name, shot in EXTRA_SHOTS.items():
                widget = shot(window)
                settle(context)
                written.append(_save(widget, outdir / f"{name}.png"))
                if widget is not window:
                    widget.close()
        finally:
            window.idle_lock.shutdown()
            window.close()
            workers.wait()
            ledger.close()
            shiboken6.delete(window)
            languages.remove()
            collector.stop()
    return written


def _save(widget: QWidget, path: Path) -> Path:
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    return path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        sys.stderr.write("usage: python -m gxcare_desktop.ui.screenshots OUTDIR [en]\n")
        return 2
    language = args[1] if len(args) > 1 else "zh_CN"
    for path in take_screenshots(Path(args[0]), language=language):
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
