"""What every window, page and dialog of a running app shares, passed explicitly (no globals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ..domain.divisions import Divisions, load_divisions
from ..ledger import Ledger
from ..settings import Settings
from .i18n import LanguageSwitcher
from .workers import Workers


class AppEvents(QObject):
    """Application-wide notifications; pages connect to the ones they care about."""

    ledger_changed = Signal()  # data was written: pages and the status bar refresh
    settings_changed = Signal(object)  # the new Settings
    locked = Signal()
    unlocked = Signal()


@dataclass(eq=False)
class AppContext:
    ledger: Ledger
    settings: Settings
    settings_path: Path
    workers: Workers
    languages: LanguageSwitcher
    events: AppEvents = field(default_factory=AppEvents)

    @property
    def language(self) -> str:
        return self.settings.language

    def divisions(self) -> Divisions:
        return load_divisions()  # cached by the domain layer; the first call reads the data file

    def update_settings(self, **changes: object) -> Settings:
        """Change, save and announce settings; a new language is applied at once."""
        old = self.settings
        self.settings = old.with_changes(**changes)
        self.settings.save(self.settings_path)
        if self.settings.language != old.language:
            self.languages.apply(self.settings.language)
        self.events.settings_changed.emit(self.settings)
        return self.settings

    def notify_ledger_changed(self) -> None:
        self.events.ledger_changed.emit()
