"""Start the desktop app: QApplication, fonts, translators, settings, first run or unlock, main window."""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

import shiboken6
from PySide6.QtWidgets import QApplication, QMessageBox

from ..ledger import Ledger
from ..settings import Settings, default_settings_path
from .context import AppContext
from .dialogs.unlock import UnlockDialog
from .fonts import install_fonts
from .gc_guard import GuiThreadGarbageCollector
from .i18n import LanguageSwitcher
from .main_window import MainWindow
from .workers import Workers

log = logging.getLogger(__name__)


def parse_args(args: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="gxcare", description="GXCare 儿童关爱台账")
    parser.add_argument("--ledger", type=Path, help="the ledger file (.gxc) to open or create")
    parser.add_argument("--demo", action="store_true", help="open the demo ledger (created with invented data if absent)")
    parser.add_argument("--settings", type=Path, help="settings file (default: in the user data folder)")
    known, _qt_args = parser.parse_known_args(list(args))  # Qt's own options (-platform ...) pass through
    return known


def create_application(argv: Sequence[str]) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(list(argv))
    app.setApplicationName("GXCare")
    app.setOrganizationName("GXCare")
    app.setApplicationDisplayName("儿童关爱台账 GXCare")
    return app


def _show_unexpected_error(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    # A bug in a slot must not vanish into a console nobody reads on a village PC.
    log.error("unexpected error", exc_info=(kind, error, tb))
    details = "".join(traceback.format_exception(kind, error, tb))
    box = QMessageBox(QMessageBox.Icon.Critical, "GXCare", f"程序出错 / Unexpected error:\n{error}")
    box.setDetailedText(details)
    box.exec()


def obtain_ledger(args: argparse.Namespace, settings: Settings, settings_path: Path,
                  workers: Workers) -> tuple[Ledger | None, Settings]:
    """Demo, unlock or first run, as the arguments and the disk say; None if the user gave up."""
    # The demo and first-run dialogs are imported only when shown: they bring the division tree
    # and the enrolment page, which the everyday start (unlock) does not need.
    if args.demo:
        from .dialogs.demo import DemoDialog

        demo = DemoDialog(workers)
        accepted = demo.exec() == DemoDialog.DialogCode.Accepted
        if not accepted and demo.ledger is not None:
            demo.ledger.close()
        return (demo.ledger if accepted else None), settings
    path = args.ledger or settings.ledger_path()
    if Ledger.exists(path):
        dialog = UnlockDialog(path, workers)
        if dialog.exec() != UnlockDialog.DialogCode.Accepted or dialog.ledger is None:
            return None, settings
        ledger = dialog.ledger
    else:
        from .dialogs.first_run import FirstRunWizard

        wizard = FirstRunWizard(path, workers)
        if wizard.exec() != FirstRunWizard.DialogCode.Accepted or wizard.ledger is None:
            if wizard.ledger is not None:
                wizard.ledger.close()
            return None, settings
        ledger = wizard.ledger
        if wizard.is_demo:
            return ledger, settings  # the demo is not "my ledger": next start offers the wizard again
    if settings.last_ledger_path != Path(path):
        settings = settings.with_changes(last_ledger_path=Path(path))
        settings.save(settings_path)
    return ledger, settings


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    args = parse_args(argv[1:])
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = create_application(argv)
    collector = GuiThreadGarbageCollector(app)
    install_fonts(app)
    settings_path = args.settings or default_settings_path()
    settings = Settings.load(settings_path)
    languages = LanguageSwitcher(app)
    languages.apply(settings.language)
    workers = Workers(app)
    previous_hook, sys.excepthook = sys.excepthook, _show_unexpected_error
    try:
        ledger, settings = obtain_ledger(args, settings, settings_path, workers)
        if ledger is None:
            return 0
        context = AppContext(ledger=ledger, settings=settings, settings_path=settings_path,
                             workers=workers, languages=languages)
        window = MainWindow(context)
        window.show()
        try:
            return int(app.exec())
        finally:
            window.idle_lock.shutdown()
            workers.cancel_all()
            workers.wait()
            ledger.close()
            # Free the window now, on this thread, rather than whenever a collection finds it.
            shiboken6.delete(window)
    finally:
        sys.excepthook = previous_hook
        languages.remove()
        collector.stop()
