"""Chinese on every machine: the system's CJK font where there is one, else the bundled subset."""

from __future__ import annotations

import sys

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from ..paths import resource_path

BUNDLED_FONT = ("fonts", "GXCareSansSC-Regular.ttf")
BUNDLED_FAMILY = "GXCare Sans SC"
WINDOWS_FAMILY = "Microsoft YaHei"
# Preferred system families, best first; any other family that covers Simplified Chinese will do.
SYSTEM_FAMILIES = (
    "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC",
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Droid Sans Fallback",
)
MIN_POINT_SIZE = 10  # village directors read on old laptop screens


def system_cjk_family() -> str | None:
    """A Simplified-Chinese family installed on this machine (before ours is registered)."""
    families = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    available = [f for f in families if f != BUNDLED_FAMILY]
    if sys.platform == "win32" and WINDOWS_FAMILY in available:
        return WINDOWS_FAMILY
    for family in SYSTEM_FAMILIES:
        if family in available:
            return family
    return available[0] if available else None


def register_bundled_font() -> str | None:
    """Add the bundled font to Qt's database (idempotent); its family name, or None if missing."""
    if BUNDLED_FAMILY in QFontDatabase.families():
        return BUNDLED_FAMILY
    path = resource_path(*BUNDLED_FONT)
    font_id = QFontDatabase.addApplicationFont(str(path)) if path.exists() else -1
    if font_id < 0:
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    return families[0] if families else None


def install_fonts(app: QApplication) -> str:
    """Make the application font one that has Chinese glyphs; returns the family chosen.

    The bundled font is always registered (it also fills in rare name characters a system font
    may lack, through Qt's fallback), but it becomes the application font only when the machine
    has no CJK font of its own.
    """
    system = system_cjk_family()
    bundled = register_bundled_font()
    family = system or bundled or app.font().family()
    font = QFont(app.font())
    font.setFamily(family)
    fallbacks = [f for f in (bundled,) if f and f != family]
    if fallbacks:
        font.setFamilies([family, *fallbacks])
    if font.pointSizeF() < MIN_POINT_SIZE:
        font.setPointSizeF(MIN_POINT_SIZE)
    app.setFont(font)
    return family
