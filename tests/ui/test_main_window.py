"""The main window shell: navigation of registered pages, status bar, idle lock, live language switch."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from gxcare_desktop.ledger import Ledger
from gxcare_desktop.settings import Settings
from gxcare_desktop.ui.context import AppContext
from gxcare_desktop.ui.main_window import MainWindow
from gxcare_desktop.ui.pages import PAGES, Page, SettingsPage
from tests.conftest import PASSWORD
from tests.helpers import child_fields


class NotesPage(Page):
    """A page as a page engineer would write one: a form with unsaved input."""

    key: ClassVar[str] = "notes"
    title: ClassVar[str] = QT_TRANSLATE_NOOP("Navigation", "Notes")

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.note = QLineEdit(self)
        QVBoxLayout(self).addWidget(self.note)
        self.shown = 0

    def page_shown(self) -> None:
        self.shown += 1


def _window(qtbot, context: AppContext, pages=(SettingsPage, NotesPage)) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(context, pages)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_registered_pages_fill_the_navigation(qtbot, ledger: Ledger, make_context) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, make_context(ledger))
    nav = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert nav == ["设置", "Notes"]
    notes = window.pages["notes"]
    assert isinstance(notes, NotesPage) and notes.shown == 0
    window.navigation.setCurrentRow(1)
    assert window.current_page() is notes and notes.shown == 1
    assert window.show_page("settings") is window.current_page()
    # The real registry lists the settings page (the page engineer adds the others there).
    assert SettingsPage in PAGES and all(issubclass(p, Page) for p in PAGES)
    assert len({p.key for p in PAGES}) == len(PAGES)


def test_status_bar_shows_village_pending_changes_and_sync(qtbot, ledger: Ledger, make_context) -> None:  # type: ignore[no-untyped-def]
    context = make_context(ledger)
    window = _window(qtbot, context)
    assert window.village_status.text() == "南宁市 马山县 白山镇 新汉村委会"
    assert window.pending_status.text() == "未同步修改：0 条"
    assert window.sync_status.text() == "上次同步：从未同步"
    ledger.create_child(**child_fields())
    context.notify_ledger_changed()
    assert window.pending_status.text() != "未同步修改：0 条"
    assert window.pending_status.text() == f"未同步修改：{ledger.pending_changes()} 条"


def test_idle_lock_covers_and_keeps_typed_text(qtbot, ledger: Ledger, make_context) -> None:  # type: ignore[no-untyped-def]
    context = make_context(ledger)
    window = _window(qtbot, context)
    notes = window.pages["notes"]
    window.show_page("notes")
    qtbot.keyClicks(notes.note, "unsaved visit notes")
    lock = window.idle_lock
    with qtbot.waitSignal(lock.locked, timeout=10_000):
        lock.set_timeout_ms(200)
    assert ledger.is_locked  # the key left memory
    overlay = lock.overlay
    assert overlay.isVisible() and overlay.geometry() == window.rect()
    assert not window.centralWidget().isEnabled()
    assert notes.note.text() == "unsaved visit notes"

    form = overlay.form
    qtbot.keyClicks(form.password_edit, "Wrong-password-1")
    with qtbot.waitSignal(form.failed, timeout=20_000):
        qtbot.keyClick(form.password_edit, Qt.Key.Key_Return)
    assert ledger.is_locked and overlay.isVisible()
    assert "密码或恢复码不正确" in form.message.text()

    lock.set_timeout_ms(60_000)  # no second lock while the test checks the unlocked window
    form.password_edit.clear()
    qtbot.keyClicks(form.password_edit, PASSWORD)
    with qtbot.waitSignal(lock.unlocked, timeout=20_000):
        qtbot.keyClick(form.password_edit, Qt.Key.Key_Return)
    assert not ledger.is_locked and not overlay.isVisible()
    assert window.centralWidget().isEnabled()
    assert notes.note.text() == "unsaved visit notes"
    assert ledger.count_children() == 0  # the ledger works again


def test_switch_to_english_and_back(qtbot, ledger: Ledger, make_context, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    context = make_context(ledger, Settings(language="zh_CN"))
    window = _window(qtbot, context)
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    assert page.heading.text() == "设置"
    assert page.language_label.text() == "界面语言"
    assert window.navigation.item(0).text() == "设置"
    assert page.role_value.text() == "儿童主任"

    page.language_combo.setCurrentIndex(page.language_combo.findData("en"))
    qtbot.waitUntil(lambda: page.heading.text() == "Settings")
    assert page.language_label.text() == "Language"
    assert window.navigation.item(0).text() == "Settings"
    assert window.pending_status.text() == "Unsynced changes: 0"
    assert page.role_value.text() == "Village child director"  # the core's bilingual texts follow
    assert Settings.load(tmp_path / "settings.json").language == "en"  # saved at once

    page.language_combo.setCurrentIndex(page.language_combo.findData("zh_CN"))
    qtbot.waitUntil(lambda: page.heading.text() == "设置")
    assert window.navigation.item(0).text() == "设置"
    assert Settings.load(tmp_path / "settings.json").language == "zh_CN"


def test_idle_minutes_setting_applies(qtbot, ledger: Ledger, make_context) -> None:  # type: ignore[no-untyped-def]
    context = make_context(ledger)
    window = _window(qtbot, context)
    page = window.show_page("settings")
    assert isinstance(page, SettingsPage)
    page.idle_spin.setValue(3)
    assert context.settings.idle_lock_minutes == 3
    assert window.idle_lock.watcher.timer.interval() == 3 * 60_000


def test_chinese_has_glyphs(qapp, app_font: str) -> None:  # type: ignore[no-untyped-def]
    """Offscreen with no CJK font installed, the bundled one must supply the glyphs."""
    font = QApplication.font()
    metrics = QFontMetrics(font)
    assert all(metrics.inFontUcs4(ord(ch)) for ch in "儿童关爱台账覃韦蒙")
    assert app_font in font.families()


def test_idle_lock_covers_open_dialogs_too(qtbot, ledger: Ledger, make_context) -> None:  # type: ignore[no-untyped-def]
    """A window-modal dialog blocks the main window: it gets its own cover and unlock form."""
    from PySide6.QtWidgets import QDialog

    context = make_context(ledger)
    window = _window(qtbot, context)
    dialog = QDialog(window)
    field = QLineEdit(dialog)
    QVBoxLayout(dialog).addWidget(field)
    dialog.resize(500, 400)
    dialog.open()  # window-modal, as the child file and visit form dialogs are
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(field, "half-typed finding")
    lock = window.idle_lock
    with qtbot.waitSignal(lock.locked, timeout=10_000):
        lock.set_timeout_ms(200)
    overlays = lock.overlays()
    assert len(overlays) == 2 and all(o.isVisible() for o in overlays)
    dialog_cover = next(o for o in overlays if o.parentWidget() is dialog)
    assert dialog_cover.geometry() == dialog.rect()
    assert dialog.isVisible() and field.text() == "half-typed finding"

    lock.set_timeout_ms(60_000)
    qtbot.keyClicks(dialog_cover.form.password_edit, PASSWORD)
    with qtbot.waitSignal(lock.unlocked, timeout=20_000):
        qtbot.keyClick(dialog_cover.form.password_edit, Qt.Key.Key_Return)
    assert not ledger.is_locked and lock.overlays() == []
    assert not lock.overlay.isVisible()
    assert dialog.isVisible() and field.text() == "half-typed finding"
    dialog.reject()
