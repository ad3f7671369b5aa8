"""Languages: our own Qt translations plus Qt's, switched live without a restart."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from ..paths import resource_path
from ..settings import Language

log = logging.getLogger(__name__)

CATALOG = "gxcare"


def ts_path(language: str) -> Path:
    return resource_path("translations", f"{CATALOG}_{language}.ts")


def qm_path(language: str) -> Path:
    return resource_path("translations", f"{CATALOG}_{language}.qm")


def _lrelease() -> str | None:
    beside = Path(sys.executable).with_name("pyside6-lrelease")
    return str(beside) if beside.exists() else shutil.which("pyside6-lrelease")


def ensure_qm(language: str) -> Path | None:
    """The compiled catalogue, building it from the .ts when missing or older (a source checkout).

    `make translations` builds it in place; a frozen build ships it. When resources/ is not
    writable the catalogue is compiled into a temporary folder instead.
    """
    ts, qm = ts_path(language), qm_path(language)
    if qm.exists() and (not ts.exists() or qm.stat().st_mtime >= ts.stat().st_mtime):
        return qm
    tool = _lrelease()
    if not ts.exists() or tool is None:
        return qm if qm.exists() else None
    for target in (qm, Path(tempfile.gettempdir()) / f"gxcare-{qm.name}"):
        try:
            subprocess.run([tool, "-silent", str(ts), "-qm", str(target)], check=True, capture_output=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            log.warning("could not compile %s into %s: %s", ts, target, exc)
            continue
        return target
    return None


class LanguageSwitcher:
    """Installs the translators of one language; `apply` again to switch live.

    Installing or removing a translator makes Qt send QEvent.LanguageChange to every widget;
    widgets re-read their texts in `changeEvent` (see pages.Page.retranslate).
    """

    def __init__(self, app: QCoreApplication) -> None:
        self.app = app
        self.language: Language = "zh_CN"
        self._translators: list[QTranslator] = []

    def apply(self, language: Language) -> None:
        self.remove()
        self.language = language
        if language == "en":
            # Source strings are English; no catalogue needed.
            QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
            return
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        qt_translator = QTranslator(self.app)
        if qt_translator.load(f"qtbase_{language}", qt_dir):
            self._install(qt_translator)
        else:
            log.warning("Qt's own %s translations not found in %s", language, qt_dir)
        ours = ensure_qm(language)
        translator = QTranslator(self.app)
        if ours is not None and translator.load(str(ours)):
            self._install(translator)
        else:
            log.warning("no %s catalogue for GXCare (%s)", language, ours)

    def remove(self) -> None:
        """Take this switcher's translators out of the application (at shutdown, in tests)."""
        for translator in self._translators:
            self.app.removeTranslator(translator)
        self._translators = []

    def _install(self, translator: QTranslator) -> None:
        self.app.installTranslator(translator)
        self._translators.append(translator)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark `text` for lupdate in `context` without translating it now (typed: PySide's returns object).

    Translate later with QCoreApplication.translate(context, text).
    """
    return text


def current_language() -> Language:
    """The language the UI shows now (set by LanguageSwitcher.apply), for the core's bilingual Text."""
    return "en" if QLocale().language() == QLocale.Language.English else "zh_CN"
