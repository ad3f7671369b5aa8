"""Turning the cells of one ledger row into clean field values, with the wordings real ledgers use."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from ..domain.divisions import load_divisions
from ..domain.enums import (
    Assistance,
    CareType,
    Category,
    DisabilityKind,
    GuardianshipType,
    HealthStatus,
    IncomeSource,
    LabeledEnum,
    OrphanCare,
    ParentCondition,
    Schooling,
    Sex,
)
from ..domain.errors import ValidationError
from ..domain.labels import field_label
from ..domain.text import Text
from ..domain.validators import (
    clean_text,
    normalize_width,
    parse_codes,
    parse_date,
    parse_division_code,
    parse_enum,
    parse_id_number,
    parse_name,
    parse_phone,
)
from .common import is_blank


def _fail(field: str, zh: str, en: str) -> ValidationError:
    return ValidationError(field, Text(zh, en), field_label=field_label(field))


def _compact(value: Any) -> str:
    return "".join(normalize_width(str(value)).split())


# Wordings of code-list values seen in real ledgers, tried after the official labels.
_CATEGORY_WORDS: dict[str, Category] = {
    "留守": Category.LEFT_BEHIND, "留守儿童": Category.LEFT_BEHIND, "农村留守": Category.LEFT_BEHIND,
    "孤儿": Category.ORPHAN, "事实无人抚养": Category.NO_CARER, "事实孤儿": Category.NO_CARER,
    "无人抚养": Category.NO_CARER,
    "困境儿童（家庭贫困）": Category.DIFFICULTY_POVERTY, "因家庭贫困": Category.DIFFICULTY_POVERTY,
    "家庭贫困": Category.DIFFICULTY_POVERTY, "贫困": Category.DIFFICULTY_POVERTY,
    "困境儿童（自身残疾）": Category.DIFFICULTY_DISABILITY, "因自身残疾": Category.DIFFICULTY_DISABILITY,
    "自身残疾": Category.DIFFICULTY_DISABILITY, "残疾": Category.DIFFICULTY_DISABILITY,
    "残疾儿童": Category.DIFFICULTY_DISABILITY,
    "监护缺失": Category.DIFFICULTY_GUARDIANSHIP, "监护不当": Category.DIFFICULTY_GUARDIANSHIP,
    "因家庭监护缺失或监护不当": Category.DIFFICULTY_GUARDIANSHIP,
    "监护缺失或监护不当": Category.DIFFICULTY_GUARDIANSHIP,
}
for _cat in Category:
    _CATEGORY_WORDS[_cat.label.zh] = _cat
    # "困境儿童(家庭贫困)" after width normalisation has ASCII brackets.
    _CATEGORY_WORDS[normalize_width(_cat.label.zh).replace("（", "(").replace("）", ")")] = _cat

_CONDITION_WORDS: dict[str, ParentCondition] = {
    "在家": ParentCondition.NORMAL, "在家务农": ParentCondition.NORMAL, "务农": ParentCondition.NORMAL,
    "健在": ParentCondition.NORMAL, "健康": ParentCondition.NORMAL,
    "外出": ParentCondition.WORKING_AWAY, "务工": ParentCondition.WORKING_AWAY,
    "外出打工": ParentCondition.WORKING_AWAY, "打工": ParentCondition.WORKING_AWAY,
    "去世": ParentCondition.DEAD, "已故": ParentCondition.DEAD, "病故": ParentCondition.DEAD,
    "已死亡": ParentCondition.DEAD, "服刑": ParentCondition.IMPRISONED, "在押": ParentCondition.IMPRISONED,
    "戒毒": ParentCondition.DRUG_REHAB, "失去联系": ParentCondition.OUT_OF_CONTACT,
    "重度残疾": ParentCondition.SEVERE_DISABILITY, "重大疾病": ParentCondition.SERIOUS_ILLNESS,
}
_CARE_WORDS: dict[str, CareType] = {
    "祖父母": CareType.GRANDPARENTS, "爷爷奶奶": CareType.GRANDPARENTS, "外公外婆": CareType.GRANDPARENTS,
    "祖父母照护": CareType.GRANDPARENTS, "隔代照护": CareType.GRANDPARENTS, "祖辈照护": CareType.GRANDPARENTS,
    "父母照护": CareType.PARENTS, "父亲": CareType.ONE_PARENT, "母亲": CareType.ONE_PARENT,
    "亲属": CareType.OTHER_RELATIVES, "其他亲属照护": CareType.OTHER_RELATIVES,
    "委托": CareType.ENTRUSTED, "委托照护人": CareType.ENTRUSTED, "无人照护": CareType.NONE,
}
_SCHOOL_PATTERNS: tuple[tuple[str, Schooling], ...] = (
    ("辍学", Schooling.DROPPED_OUT), ("送教", Schooling.HOME_TEACHING), ("特教", Schooling.SPECIAL),
    ("特殊教育", Schooling.SPECIAL), ("中职", Schooling.VOCATIONAL), ("职校", Schooling.VOCATIONAL),
    ("职业", Schooling.VOCATIONAL), ("技校", Schooling.VOCATIONAL), ("高中", Schooling.SENIOR),
    ("高一", Schooling.SENIOR), ("高二", Schooling.SENIOR), ("高三", Schooling.SENIOR),
    ("初中", Schooling.JUNIOR), ("初一", Schooling.JUNIOR), ("初二", Schooling.JUNIOR),
    ("初三", Schooling.JUNIOR), ("七年级", Schooling.JUNIOR), ("八年级", Schooling.JUNIOR),
    ("九年级", Schooling.JUNIOR), ("小学", Schooling.PRIMARY), ("年级", Schooling.PRIMARY),
    ("未入园", Schooling.NOT_IN_KINDERGARTEN), ("学龄前", Schooling.NOT_IN_KINDERGARTEN),
    ("幼儿园", Schooling.KINDERGARTEN), ("学前", Schooling.KINDERGARTEN),
    ("失学", Schooling.NOT_IN_SCHOOL), ("未上学", Schooling.NOT_IN_SCHOOL), ("不在学", Schooling.NOT_IN_SCHOOL),
)


def _enum_with(words: dict[str, Any], enum_cls: type[LabeledEnum]) -> Callable[[Any, str], str]:
    def parse(value: Any, field: str) -> str:
        member = words.get(_compact(value))
        if member is not None:
            return str(member.value)
        return str(parse_enum(enum_cls, value, field=field).value)

    return parse


def _plain_enum(enum_cls: type[LabeledEnum]) -> Callable[[Any, str], str]:
    return _enum_with({}, enum_cls)


def _sex(value: Any, field: str) -> str:
    text = _compact(value)
    if text in ("男性", "M", "m"):
        return Sex.MALE.value
    if text in ("女性", "F", "f"):
        return Sex.FEMALE.value
    return str(parse_enum(Sex, text, field=field).value)


def _schooling(value: Any, field: str) -> str:
    text = _compact(value)
    try:
        return str(parse_enum(Schooling, text, field=field).value)
    except ValidationError:
        for word, member in _SCHOOL_PATTERNS:
            if word in text:
                return member.value
        raise


def _categories(value: Any, field: str) -> list[str]:
    text = normalize_width(str(value)).strip()
    parts = [p for p in re.split(r"[、,，;；/\n]+", text) if p.strip()]
    chosen: list[str] = []
    for part in parts:
        key = "".join(part.split())
        member = _CATEGORY_WORDS.get(key)
        if member is None and key in ("困境", "困境儿童"):
            raise _fail(
                field,
                "“困境儿童”须写明类型：家庭贫困、自身残疾或监护缺失",
                "'困境儿童' needs its kind: family poverty, own disability or missing guardianship",
            )
        chosen.extend(parse_codes(Category, part, field=field) if member is None else [member.value])
    return [m.value for m in Category if m.value in chosen]


def _ethnicity(value: Any, field: str) -> str:
    # The ledger accepts codes and names ("壮族", "壮", "08"); only the width is ours to fix.
    return clean_text(value, field=field, max_len=20)


def _bool(value: Any, field: str) -> bool:
    text = _compact(value).lower()
    if text in ("是", "有", "y", "yes", "1", "√", "true", "寄宿", "住校"):
        return True
    if text in ("否", "无", "没有", "n", "no", "0", "×", "false", "走读"):
        return False
    raise _fail(field, f"应为“是”或“否”：{value}", f"Must be yes or no: {value}")


def _grade(value: Any, field: str) -> int:
    text = _compact(value).removesuffix("级").translate(str.maketrans("一二三四", "1234"))
    if text.isdigit() and 1 <= int(text) <= 4:
        return int(text)
    raise _fail(field, "残疾等级应为 1 至 4 级", "Disability grade must be 1 to 4")


def _id(value: Any, field: str) -> str:
    return parse_id_number(value, field=field).value


def _date(value: Any, field: str) -> date:
    return parse_date(value, field=field)


def _text(max_len: int) -> Callable[[Any, str], str]:
    def parse(value: Any, field: str) -> str:
        return clean_text(value, field=field, max_len=max_len)

    return parse


def _division(value: Any, field: str) -> str:
    return parse_division_code(value, field=field, level=5)


def _codes(enum_cls: type[LabeledEnum]) -> Callable[[Any, str], list[str]]:
    def parse(value: Any, field: str) -> list[str]:
        return parse_codes(enum_cls, normalize_width(str(value)), field=field)

    return parse


PARSERS: dict[str, Callable[[Any, str], Any]] = {
    "child.name": lambda v, f: parse_name(v, field=f),
    "child.id_number": _id,
    "child.sex": _sex,
    "child.ethnicity": _ethnicity,
    "child.birth_date": _date,
    "child.hukou_address": _text(200),
    "child.address": _text(200),
    "child.categories": _categories,
    "child.schooling": _schooling,
    "child.school_name": _text(100),
    "child.boarding": _bool,
    "child.health": _plain_enum(HealthStatus),
    "child.disability_kind": _plain_enum(DisabilityKind),
    "child.disability_grade": _grade,
    "child.illness": _text(200),
    "child.guardianship_type": _plain_enum(GuardianshipType),
    "child.hukou_registered": _bool,
    "child.orphan_care": _plain_enum(OrphanCare),
    "child.income_sources": _codes(IncomeSource),
    "child.assistance": _codes(Assistance),
    "child.registered_on": _date,
    "child.notes": lambda v, f: clean_text(v, field=f, max_len=4000, multiline=True),
    "child.division_code": _division,
    "child.village_name": _text(60),
    "care.care_type": _enum_with(_CARE_WORDS, CareType),
    "care.caregiver_name": lambda v, f: parse_name(v, field=f),
    "care.caregiver_id_number": _id,
    "care.caregiver_phone": lambda v, f: parse_phone(v, field=f),
    "care.caregiver_relation": _text(20),
    "care.caregiver_address": _text(200),
}
for _parent in ("father", "mother"):
    PARSERS.update(
        {
            f"{_parent}.name": lambda v, f: parse_name(v, field=f),
            f"{_parent}.id_number": _id,
            f"{_parent}.phone": lambda v, f: parse_phone(v, field=f),
            f"{_parent}.condition": _enum_with(_CONDITION_WORDS, ParentCondition),
            f"{_parent}.work_place": _text(60),
            f"{_parent}.work_province": _text(30),
            f"{_parent}.work_city": _text(30),
        }
    )

_PROVINCE_RE = re.compile(r"(.+?(?:省|自治区|特别行政区))(.*)")
_MUNICIPALITIES = ("北京", "上海", "天津", "重庆")
_SHORT_PROVINCES = (
    "广东", "浙江", "福建", "江苏", "湖南", "湖北", "江西", "海南", "云南", "贵州", "四川", "河南",
    "河北", "山东", "山西", "安徽", "陕西", "甘肃", "辽宁", "吉林", "青海", "台湾",
    "黑龙江", "内蒙古", "广西", "西藏", "宁夏", "新疆",
)


def split_work_place(text: str) -> tuple[str, str]:
    """"广东省深圳市" → ("广东省", "深圳市"); "广东深圳" → ("广东", "深圳"); "深圳" → ("", "深圳")."""
    match = _PROVINCE_RE.fullmatch(text)
    if match:
        return match.group(1), match.group(2)
    for name in _MUNICIPALITIES:
        if text.startswith(name):
            return text[: len(name)] + ("市" if not text.startswith(name + "市") else ""), text
    for name in sorted(_SHORT_PROVINCES, key=len, reverse=True):
        if text.startswith(name) and len(text) > len(name):
            return name, text[len(name):]
        if text == name:
            return name, ""
    return "", text


def village_by_name(name: str, scope: str) -> str:
    """The code of the one village under scope whose name is name (with or without 村/社区)."""
    divisions = load_divisions()
    key = name.removesuffix("村委会").removesuffix("村民委员会").removesuffix("居委会")
    found = [
        d.code
        for d in divisions.under(scope, level=5)
        if d.name in (name, key) or d.name.removesuffix("村委会").removesuffix("社区居委会").removesuffix("居委会") == key.removesuffix("村").removesuffix("社区")
    ]
    if len(found) != 1:
        field = "child.village_name"
        if not found:
            raise _fail(field, f"本台账范围内没有名为“{name}”的村（社区）", f"No village named '{name}' in this ledger's area")
        raise _fail(field, f"“{name}”对应多个村（社区），请改用区划代码列", f"'{name}' matches several villages; use a village code column")
    return found[0]


def parse_cell(field: str, value: Any) -> Any:
    """The clean value of one cell for a field key, or None for an empty cell."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        value = normalize_width(value).strip()
        if not value:
            return None
    if isinstance(value, datetime) and field not in ("child.birth_date", "child.registered_on"):
        value = value.date().isoformat()
    return PARSERS[field](value, field)
