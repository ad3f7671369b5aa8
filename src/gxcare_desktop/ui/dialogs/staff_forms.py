"""Forms of the staff registry: register a director or supervisor by real name, record a training."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLineEdit, QWidget

from ...domain.divisions import Divisions
from ...domain.enums import Role, TrainingKind
from ..workers import Workers
from .case_forms import CaseFormDialog, SaveFn, _date_edit

_UNIT_LEVEL = {Role.VILLAGE_DIRECTOR: 5, Role.TOWNSHIP_SUPERVISOR: 4, Role.COUNTY_ADMIN: 3}


class StaffDialog(CaseFormDialog):
    """实名制登记: name, phone, post, unit (a village for a director, a township for a supervisor), appointed on."""

    def __init__(self, save: SaveFn, workers: Workers, language: str, divisions: Divisions, scope: str,
                 roles: list[Role], parent: QWidget | None = None) -> None:
        super().__init__(save, workers, language, parent)
        self.setWindowTitle(self.tr("Register staff"))
        self.divisions = divisions
        self.scope = scope
        self.name = self.add("name", self.tr("Name"), QLineEdit())
        self.phone = self.add("phone", self.tr("Phone"), QLineEdit())
        self.role = self.add("role", self.tr("Post"), QComboBox())
        for role in roles:
            self.role.addItem(role.label.get(language), role.value)
        self.unit = self.add("unit_code", self.tr("Unit"), QComboBox())
        self.appointed_on = self.add("appointed_on", self.tr("Appointed on"), _date_edit())
        self.role.currentIndexChanged.connect(self.on_role_changed)
        self.on_role_changed()

    def on_role_changed(self) -> None:
        self.unit.clear()
        role = Role.of(self.role.currentData()) if self.role.currentData() else Role.VILLAGE_DIRECTOR
        for division in self.divisions.under(self.scope, level=_UNIT_LEVEL[role]):
            self.unit.addItem(f"{division.name}  {division.code}", division.code)

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name.text(),
            "phone": self.phone.text(),
            "role": self.role.currentData(),
            "unit_code": self.unit.currentData() or "",
            "appointed_on": self.appointed_on.date().toPython(),
        }


class TrainingDialog(CaseFormDialog):
    """初任培训 / 定期培训 of one person."""

    def __init__(self, save: SaveFn, workers: Workers, language: str, person: str, parent: QWidget | None = None) -> None:
        super().__init__(save, workers, language, parent)
        self.setWindowTitle(self.tr("Record training: %1").replace("%1", person))
        self.kind = self.add("kind", self.tr("Kind"), QComboBox())
        for kind in TrainingKind:
            self.kind.addItem(kind.label.get(language), kind.value)
        self.trained_on = self.add("trained_on", self.tr("Date"), _date_edit())
        self.hours = self.add("hours", self.tr("Hours"), QDoubleSpinBox())
        self.hours.setRange(0, 500)
        self.hours.setDecimals(1)
        self.topic = self.add("topic", self.tr("Topic"), QLineEdit())

    def values(self) -> dict[str, Any]:
        return {
            "kind": self.kind.currentData(),
            "trained_on": self.trained_on.date().toPython(),
            "hours": self.hours.value() or None,
            "topic": self.topic.text(),
        }
