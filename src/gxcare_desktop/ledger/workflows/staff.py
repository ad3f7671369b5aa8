"""The staff registry (实名制): directors and supervisors by real name, their training, and the
trained rate per township (target 100% with initial training)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlmodel import col

from ...domain.divisions import load_divisions
from ...domain.enums import Role, TrainingKind
from ...domain.errors import ValidationError
from ...domain.records import Entity
from ...domain.text import Text
from ...domain.validators import parse_division_code
from ..tables import Staff, Training
from ._common import SCOPE_LENGTH, require_in_scope, require_role

if TYPE_CHECKING:
    from ..service import Ledger


@dataclass(frozen=True, slots=True)
class StaffRow:
    staff_id: str
    name: str
    phone: str
    role: str
    unit_code: str
    unit_name: str
    appointed_on: date | None
    active: bool
    initial_on: date | None  # 初任培训
    last_periodic_on: date | None  # 定期培训
    trainings: int

    @property
    def trained(self) -> bool:
        return self.initial_on is not None


@dataclass(frozen=True, slots=True)
class TrainedRate:
    township_code: str
    township_name: str
    staff: int
    trained: int

    @property
    def rate(self) -> float:
        return self.trained / self.staff if self.staff else 0.0


def _error(field: str, zh: str, en: str) -> ValidationError:
    return ValidationError(field, Text(zh, en), field_label=Text("人员", "Staff"))


def _record_division(unit_code: str) -> str:
    """Records carry a 12-digit village code; a township or county unit files under its first village.

    The unit itself stays in unit_code; the village only places the row inside the right scope for sync.
    """
    if len(unit_code) == 12:
        return unit_code
    villages = load_divisions().village_codes_under(unit_code)
    if not villages:
        raise _error("unit_code", "该单位下没有村（社区）。", "That unit has no villages.")
    return villages[0]


def register_staff(
    ledger: Ledger,
    *,
    name: str,
    phone: str,
    role: Role | str,
    unit_code: str,
    appointed_on: date,
) -> Staff:
    """Register a director (unit: a village) or a supervisor (unit: a township) by real name."""
    require_role(ledger, Role.TOWNSHIP_SUPERVISOR, Text("登记人员", "register staff"))
    if not (name or "").strip():
        raise _error("name", "请填写姓名。", "Enter the name.")
    if not (phone or "").strip():
        raise _error("phone", "请填写联系电话。", "Enter the phone number.")
    if appointed_on is None:
        raise _error("appointed_on", "请填写任命日期。", "Enter the appointment date.")
    try:
        parsed_role = Role.parse(role)
    except ValueError:
        raise _error("role", f"未知的岗位：{role}", f"Unknown role: {role}") from None
    unit = parse_division_code(unit_code, field="unit_code", level=None)
    if len(unit) != SCOPE_LENGTH[parsed_role]:
        raise _error(
            "unit_code",
            f"{parsed_role.label.zh}的单位应为{SCOPE_LENGTH[parsed_role]}位区划代码。",
            f"A {parsed_role.label.en.lower()}'s unit has a {SCOPE_LENGTH[parsed_role]}-digit code.",
        )
    require_in_scope(ledger, unit)
    staff: Staff = ledger.create_record(
        Entity.STAFF,
        name=name,
        phone=phone,
        role=parsed_role.value,
        unit_code=unit,
        appointed_on=appointed_on,
        active=True,
        division_code=_record_division(unit),
    )
    return staff


def _staff(ledger: Ledger, staff_id: str) -> Staff:
    with ledger.reading() as session:
        staff = session.get(Staff, staff_id)
    if staff is None or staff.deleted:
        raise _error("staff_id", "找不到该人员。", "No such staff member.")
    require_in_scope(ledger, staff.division_code)
    return staff


def update_staff(ledger: Ledger, staff_id: str, **fields: Any) -> Staff:
    """Correct phone, name, appointment or set active=False when someone leaves the post."""
    require_role(ledger, Role.TOWNSHIP_SUPERVISOR, Text("修改人员信息", "change staff records"))
    _staff(ledger, staff_id)
    if "unit_code" in fields or "role" in fields:
        raise _error("unit_code", "调岗请登记新的任职。", "Register a new appointment for a change of post.")
    updated: Staff = ledger.update_record(Entity.STAFF, staff_id, **fields)
    return updated


def add_training(
    ledger: Ledger,
    *,
    staff_id: str,
    kind: TrainingKind | str,
    trained_on: date,
    hours: float | None = None,
    topic: str = "",
) -> Training:
    require_role(ledger, Role.TOWNSHIP_SUPERVISOR, Text("登记培训", "record training"))
    staff = _staff(ledger, staff_id)
    if trained_on is None:
        raise _error("trained_on", "请填写培训日期。", "Enter the training date.")
    if staff.appointed_on and kind in (TrainingKind.INITIAL, TrainingKind.INITIAL.value) and trained_on < staff.appointed_on:
        raise _error("trained_on", "初任培训不能早于任命日期。", "Initial training cannot be before the appointment.")
    training: Training = ledger.create_record(
        Entity.TRAINING,
        staff_id=staff_id,
        kind=kind,
        trained_on=trained_on,
        hours=hours,
        topic=topic,
        division_code=staff.division_code,
    )
    return training


def staff_rows(ledger: Ledger, *, include_inactive: bool = False) -> list[StaffRow]:
    divisions = load_divisions()
    with ledger.reading() as session:
        stmt = select(Staff).where(col(Staff.deleted) == False, col(Staff.division_code).startswith(ledger.village_code))  # noqa: E712
        if not include_inactive:
            stmt = stmt.where(col(Staff.active) != False)  # noqa: E712
        people = list(session.scalars(stmt))
        trainings: dict[str, list[Training]] = {}
        if people:
            for training in session.scalars(
                select(Training).where(col(Training.staff_id).in_([p.id for p in people]), col(Training.deleted) == False)  # noqa: E712
            ):
                trainings.setdefault(training.staff_id, []).append(training)
    rows = []
    for person in people:
        own = trainings.get(person.id, [])
        initial = [t.trained_on for t in own if t.kind == TrainingKind.INITIAL and t.trained_on]
        periodic = [t.trained_on for t in own if t.kind == TrainingKind.PERIODIC and t.trained_on]
        unit = divisions.get(person.unit_code)
        rows.append(
            StaffRow(
                staff_id=person.id,
                name=person.name,
                phone=person.phone,
                role=person.role,
                unit_code=person.unit_code,
                unit_name=unit.name if unit else "",
                appointed_on=person.appointed_on,
                active=person.active is not False,
                initial_on=min(initial, default=None),
                last_periodic_on=max(periodic, default=None),
                trainings=len(own),
            )
        )
    return sorted(rows, key=lambda r: (r.unit_code, r.role, r.name))


def trained_rates(ledger: Ledger) -> list[TrainedRate]:
    """Active staff with initial training, per township of their unit."""
    divisions = load_divisions()
    counts: dict[str, list[int]] = {}
    for row in staff_rows(ledger):
        township = row.unit_code[:9] if len(row.unit_code) >= 9 else row.unit_code
        bucket = counts.setdefault(township, [0, 0])
        bucket[0] += 1
        bucket[1] += row.trained
    out = []
    for code, (total, trained) in sorted(counts.items()):
        division = divisions.get(code)
        out.append(TrainedRate(code, division.name if division else code, total, trained))
    return out
