"""`make screenshots` works: one PNG per registered page (and extra view), with Chinese drawn as glyphs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage

from gxcare_desktop.ui.pages import PAGES
from gxcare_desktop.ui.screenshots import EXTRA_SHOTS, SIZE, take_screenshots


def test_every_page_is_photographed(qapp, app_font: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    written = take_screenshots(tmp_path / "shots", children=40, work_dir=tmp_path)
    names = [p.stem for p in written]
    pages, extras = names[: len(names) - len(EXTRA_SHOTS)], names[len(names) - len(EXTRA_SHOTS):]
    assert extras == list(EXTRA_SHOTS)
    registered = [page.key for page in PAGES]
    # Every page shown to a village director, in navigation order (some pages are for other roles).
    assert pages == [key for key in registered if key in pages]
    assert {"dashboard", "children", "settings"} <= set(pages)
    for path in written:
        image = QImage(str(path))
        assert not image.isNull(), path
    settings = QImage(str(tmp_path / "shots" / "settings.png"))
    assert (settings.width(), settings.height()) == SIZE
    # The first navigation item (not selected on the settings shot) is light text on dark blue.
    text_pixels = sum(1 for y in range(0, 48) for x in range(0, 170) if settings.pixelColor(x, y).lightness() > 200)
    assert 30 < text_pixels < 170 * 48 // 4
