"""设置: display language (applied live), idle-lock minutes, and what this ledger is."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...settings import IDLE_LOCK_RANGE, LANGUAGES, Language
from ..context import AppContext
from .base import NAV_TITLES, Page

# Each language is offered in its own name, so a user who cannot read the current one finds theirs.
LANGUAGE_NAMES: dict[str, str] = {"zh_CN": "中文（简体）", "en": "English"}


class SettingsPage(Page):
    key: ClassVar[str] = "settings"
    title: ClassVar[str] = NAV_TITLES["settings"]

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.heading = QLabel(self)
        self.heading.setObjectName("pageHeading")
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold;")

        self.general_box = QGroupBox(self)
        self.language_label = QLabel(self.general_box)
        self.language_combo = QComboBox(self.general_box)
        for code in LANGUAGES:
            self.language_combo.addItem(LANGUAGE_NAMES[code], code)
        self.idle_label = QLabel(self.general_box)
        self.idle_spin = QSpinBox(self.general_box)
        self.idle_spin.setRange(*IDLE_LOCK_RANGE)
        self.idle_hint = QLabel(self.general_box)
        self.idle_hint.setWordWrap(True)
        form = QFormLayout(self.general_box)
        form.addRow(self.language_label, self.language_combo)
        form.addRow(self.idle_label, self.idle_spin)
        form.addRow("", self.idle_hint)

        self.ledger_box = QGroupBox(self)
        self.village_label, self.village_value = QLabel(), QLabel()
        self.role_label, self.role_value = QLabel(), QLabel()
        self.user_label, self.user_value = QLabel(), QLabel()
        self.file_label, self.file_value = QLabel(), QLabel()
        self.device_label, self.device_value = QLabel(), QLabel()
        ledger_form = QFormLayout(self.ledger_box)
        for label, value in (
            (self.village_label, self.village_value),
            (self.role_label, self.role_value),
            (self.user_label, self.user_value),
            (self.file_label, self.file_value),
            (self.device_label, self.device_value),
        ):
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            ledger_form.addRow(label, value)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.general_box)
        layout.addWidget(self.ledger_box)
        layout.addStretch(1)

        self.load_values()
        self.language_combo.currentIndexChanged.connect(self.on_language_changed)
        self.idle_spin.valueChanged.connect(self.on_idle_minutes_changed)
        self.retranslate()

    def load_values(self) -> None:
        settings = self.context.settings
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(settings.language)))
        self.idle_spin.setValue(settings.idle_lock_minutes)

    def on_language_changed(self, index: int) -> None:
        language: Language = self.language_combo.itemData(index)
        if language != self.context.settings.language:
            self.context.update_settings(language=language)

    def on_idle_minutes_changed(self, minutes: int) -> None:
        if minutes != self.context.settings.idle_lock_minutes:
            self.context.update_settings(idle_lock_minutes=minutes)

    def page_shown(self) -> None:
        self.load_values()
        self.fill_ledger_facts()

    def fill_ledger_facts(self) -> None:
        ledger, language = self.context.ledger, self.context.language
        divisions = self.context.divisions()
        self.village_value.setText(f"{divisions.full_name(ledger.village_code) or ledger.village_code}（{ledger.village_code}）")
        self.role_value.setText(ledger.role.label.get(language))
        self.user_value.setText(ledger.user_name or "—")
        self.file_value.setText(str(ledger.path))
        self.device_value.setText(ledger.device_id)

    def retranslate(self) -> None:
        self.heading.setText(self.translated_title())
        self.general_box.setTitle(self.tr("General"))
        self.language_label.setText(self.tr("Language"))
        self.idle_label.setText(self.tr("Lock after idle (minutes)"))
        self.idle_spin.setSuffix(self.tr(" min"))
        self.idle_hint.setText(
            self.tr("When nobody uses the computer for this long, the window is covered and the ledger key leaves memory until the password is entered again.")
        )
        self.ledger_box.setTitle(self.tr("This ledger"))
        self.village_label.setText(self.tr("Village"))
        self.role_label.setText(self.tr("Role"))
        self.user_label.setText(self.tr("User"))
        self.file_label.setText(self.tr("File"))
        self.device_label.setText(self.tr("Device ID"))
        self.fill_ledger_facts()
