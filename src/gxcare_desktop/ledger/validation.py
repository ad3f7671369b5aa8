"""Input normalisation for every record field: the service API runs each value through here first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from ..domain import validators as v
from ..domain.enums import (
    Assistance,
    CareType,
    CaseStep,
    Category,
    DisabilityKind,
    ExitReason,
    GuardianshipLevel,
    GuardianshipType,
    HealthStatus,
    IncomeSource,
    LabeledEnum,
    OrphanCare,
    ParentCondition,
    ReportSituation,
    ReviewStatus,
    Role,
    Schooling,
    Sex,
    TrainingKind,
    VisitCheck,
    VisitMode,
)
from ..domain.errors import ValidationError
from ..domain.ethnicity import ETHNICITIES
from ..domain.labels import FIELD_LABELS
from ..domain.records import FieldKind, spec
from ..domain.text import Text

Normalizer = Callable[[Any, str], Any]

RELATIONS = {"father", "mother", "grandparent", "sibling", "other"}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _error(field: str, zh: str, en: str) -> ValidationError:
    return ValidationError(field, Text(zh, en), field_label=FIELD_LABELS.get(field))


def _enum(enum_cls: type[LabeledEnum]) -> Normalizer:
    def normalize(value: Any, field: str) -> str:
        return "" if _blank(value) else str(v.parse_enum(enum_cls, value, field=field).value)

    return normalize


def _codes(enum_cls: type[LabeledEnum]) -> Normalizer:
    def normalize(value: Any, field: str) -> list[str]:
        if _blank(value):
            return []
        if isinstance(value, str):
            value = [part for part in value.replace("，", ",").replace("、", ",").split(",") if part.strip()]
        return list(v.parse_codes(enum_cls, value, field=field))

    return normalize


def _id_number(value: Any, field: str) -> str:
    return "" if _blank(value) else v.parse_id_number(value, field=field).value


def _phone(value: Any, field: str) -> str:
    return "" if _blank(value) else v.parse_phone(value, field=field)


def _person_name(value: Any, field: str) -> str:
    return "" if _blank(value) else v.parse_name(value, field=field)


def _ethnicity(value: Any, field: str) -> str:
    if _blank(value):
        return ""
    text = str(value).strip()
    if text.isdigit() and len(text) <= 2:
        text = text.zfill(2)
    for code, label in ETHNICITIES.items():
        if text in (code, label.zh, label.en, label.zh.removesuffix("族")):
            return code
    raise _error(field, f"未知的民族：{text}", f"Unknown ethnic group: {text}")


def _relation(value: Any, field: str) -> str:
    text = str(value).strip().lower()
    text = {"父亲": "father", "母亲": "mother", "父": "father", "母": "mother"}.get(text, text)
    if text not in RELATIONS:
        raise _error(field, f"未知的关系：{value}", f"Unknown relation: {value}")
    return text


def _grade(value: Any, field: str) -> int | None:
    if _blank(value):
        return None
    try:
        grade = int(str(value).strip().removesuffix("级"))
    except ValueError:
        grade = 0
    if not 1 <= grade <= 4:
        raise _error(field, "残疾等级应为 1 至 4 级。", "Disability grade must be 1 to 4.")
    return grade


def _month(value: Any, field: str) -> str:
    if _blank(value):
        return ""
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}"
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        parsed = datetime.strptime(text, "%Y-%m")
    except ValueError:
        raise _error(field, f"月份格式应为 YYYY-MM：{value}", f"Month must be YYYY-MM: {value}") from None
    return f"{parsed.year:04d}-{parsed.month:02d}"


def _division(value: Any, field: str) -> str:
    return v.parse_division_code(value, field=field, level=5)


def _unit_code(value: Any, field: str) -> str:
    return "" if _blank(value) else v.parse_division_code(value, field=field, level=None)


_SPECIFIC: dict[tuple[str, str], Normalizer] = {
    ("child", "name"): _person_name,
    ("child", "sex"): _enum(Sex),
    ("child", "ethnicity"): _ethnicity,
    ("child", "id_number"): _id_number,
    ("child", "categories"): _codes(Category),
    ("child", "orphan_care"): _enum(OrphanCare),
    ("child", "health"): _enum(HealthStatus),
    ("child", "disability_kind"): _enum(DisabilityKind),
    ("child", "disability_grade"): _grade,
    ("child", "schooling"): _enum(Schooling),
    ("child", "guardianship_type"): _enum(GuardianshipType),
    ("child", "income_sources"): _codes(IncomeSource),
    ("child", "assistance"): _codes(Assistance),
    ("child", "exit_reason"): _enum(ExitReason),
    ("family_member", "relation"): _relation,
    ("family_member", "name"): _person_name,
    ("family_member", "id_number"): _id_number,
    ("family_member", "phone"): _phone,
    ("family_member", "condition"): _enum(ParentCondition),
    ("care_arrangement", "care_type"): _enum(CareType),
    ("care_arrangement", "caregiver_name"): _person_name,
    ("care_arrangement", "caregiver_id_number"): _id_number,
    ("care_arrangement", "caregiver_phone"): _phone,
    ("visit", "mode"): _enum(VisitMode),
    ("visit", "checks"): _codes(VisitCheck),
    ("visit", "guardianship_level"): _enum(GuardianshipLevel),
    ("parent_contact", "mode"): _enum(VisitMode),
    ("parent_contact", "parent"): _relation,
    ("assessment", "level"): _enum(GuardianshipLevel),
    ("case", "situation"): _enum(ReportSituation),
    ("case", "current_step"): _enum(CaseStep),
    ("case", "reporter_phone"): _phone,
    ("case_step", "step"): _enum(CaseStep),
    ("benefit", "kind"): _enum(Assistance),
    ("benefit", "start_month"): _month,
    ("benefit", "end_month"): _month,
    ("review", "status"): _enum(ReviewStatus),
    ("staff", "name"): _person_name,
    ("staff", "phone"): _phone,
    ("staff", "role"): _enum(Role),
    ("staff", "unit_code"): _unit_code,
    ("training", "kind"): _enum(TrainingKind),
}


# Dates that name a plan rather than an event may lie ahead.
FUTURE_DATES = {"next_due", "due_on", "start_date", "exit_date"}
# Free text where line breaks carry meaning.
MULTILINE = {"notes", "findings", "help_given", "observed", "actions", "outcome", "feedback", "comment", "seen"}


def _by_kind(kind: FieldKind, value: Any, field: str) -> Any:
    if kind is FieldKind.TEXT:
        return v.clean_text(
            "" if value is None else value, field=field, max_len=4000, multiline=field in MULTILINE
        )
    if kind is FieldKind.DATE:
        return None if _blank(value) else v.parse_date(value, field=field, allow_future=field in FUTURE_DATES)
    if kind is FieldKind.DATETIME:
        if _blank(value):
            return None
        if isinstance(value, datetime):
            return value
        try:
            return datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise _error(field, f"时间格式不正确：{value}", f"Not a date and time: {value}") from None
    if kind is FieldKind.BOOL:
        if value is None or isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"1", "true", "yes", "是", "y"}:
            return True
        if text in {"0", "false", "no", "否", "n", ""}:
            return False
        raise _error(field, f"应为“是”或“否”：{value}", f"Must be yes or no: {value}")
    if kind is FieldKind.INT:
        if _blank(value):
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise _error(field, f"应为整数：{value}", f"Must be a whole number: {value}") from None
    if kind is FieldKind.FLOAT:
        if _blank(value):
            return None
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise _error(field, f"应为数字：{value}", f"Must be a number: {value}") from None
        if number < 0:
            raise _error(field, "不能为负数。", "Cannot be negative.")
        return number
    if kind is FieldKind.CODES:
        if _blank(value):
            return []
        return [str(item).strip() for item in value]
    raise AssertionError(kind)


def normalize(entity: str, values: dict[str, Any]) -> dict[str, Any]:
    """Validate and normalise a set of field values; raises ValidationError naming the first bad field."""
    fields = spec(entity).fields
    out: dict[str, Any] = {}
    for field, value in values.items():
        if field not in fields or field in ("deleted",):
            raise _error(field, f"未知字段：{field}", f"Unknown field: {field}")
        if field == "division_code":
            out[field] = _division(value, field)
            continue
        special = _SPECIFIC.get((entity, field))
        out[field] = special(value, field) if special else _by_kind(fields[field], value, field)
    return out


def to_wire(value: Any) -> Any:
    """A column value as it travels in the change log and the sync protocol (JSON)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def from_wire(kind: FieldKind, value: Any) -> Any:
    if value is None:
        return None
    if kind is FieldKind.DATE:
        return date.fromisoformat(value)
    if kind is FieldKind.DATETIME:
        return datetime.fromisoformat(value)
    return value
