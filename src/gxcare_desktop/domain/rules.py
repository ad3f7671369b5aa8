"""Rules of the work as pure functions: ages, eligibility, visit schedules, risk, subsidies."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from ..paths import resource_path
from .enums import (
    CareType,
    Category,
    GuardianshipLevel,
    GuardianshipType,
    HealthStatus,
    ParentCondition,
    RiskLevel,
)
from .errors import ValidationError
from .labels import field_label
from .text import Text

# ---------------------------------------------------------------- ages


def age_on(birth: date, on: date) -> int:
    """Completed years (周岁) on a day; someone born on 29 Feb gains a year on 1 Mar."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def birthday(birth: date, years: int) -> date:
    """The day someone reaches the age `years` (1 Mar for 29 Feb births in common years)."""
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:
        return date(birth.year + years, 3, 1)


AGE_LIMITS: dict[Category, int] = {
    Category.LEFT_BEHIND: 16,
    Category.DIFFICULTY_POVERTY: 18,
    Category.DIFFICULTY_DISABILITY: 18,
    Category.DIFFICULTY_GUARDIANSHIP: 18,
    Category.ORPHAN: 18,
    Category.NO_CARER: 18,
}


def _categories(categories: Iterable[str]) -> list[Category]:
    found: list[Category] = []
    for code in categories:
        try:
            category = Category.parse(code)
        except ValueError:
            raise ValidationError(
                "categories",
                Text("未知的儿童类别“{c}”", "unknown category '{c}'").format(c=code),
                field_label=field_label("categories"),
            ) from None
        if category not in found:
            found.append(category)
    return found


def age_out_date(birth: date, categories: Iterable[str]) -> date | None:
    """The birthday of the highest age limit among the categories: the file's status ends then.

    None when no category is given.
    """
    limits = [AGE_LIMITS[c] for c in _categories(categories)]
    if not limits:
        return None
    return birthday(birth, max(limits))


# ---------------------------------------------------------------- eligibility

# Conditions under which a parent cannot act as guardian for the left-behind definition
# ("一方外出务工另一方无监护能力"): anything but present-and-able or also away.
_LEFT_BEHIND_OTHER_UNABLE = frozenset(ParentCondition) - {
    ParentCondition.NORMAL,
    ParentCondition.WORKING_AWAY,
}
_ORPHAN_PARENT = frozenset({ParentCondition.DEAD, ParentCondition.MISSING})
# 民发〔2019〕62号: 重残, 重病, 服刑在押, 强制隔离戒毒, other detention, 失联, 撤销监护资格, 遣送出境.
_NO_CARER_PARENT = frozenset(
    {
        ParentCondition.SEVERE_DISABILITY,
        ParentCondition.SERIOUS_ILLNESS,
        ParentCondition.IMPRISONED,
        ParentCondition.DRUG_REHAB,
        ParentCondition.OUT_OF_CONTACT,
        ParentCondition.GUARDIANSHIP_REVOKED,
        ParentCondition.DEPORTED,
    }
)


def _problem(zh: str, en: str, /, **values: object) -> ValidationError:
    return ValidationError(
        "categories", Text(zh, en).format(**values), field_label=field_label("categories")
    )


def _parents_text(father: ParentCondition | None, mother: ParentCondition | None) -> dict[str, str]:
    def zh(c: ParentCondition | None) -> str:
        return c.label.zh if c else "未知"

    def en(c: ParentCondition | None) -> str:
        return c.label.en.lower() if c else "unknown"

    return {"f": zh(father), "m": zh(mother), "f_en": en(father), "m_en": en(mother)}


def eligibility_problems(
    categories: Iterable[str],
    *,
    birth_date: date,
    on: date,
    hukou_registered: bool | None = None,
    father: ParentCondition | None = None,
    mother: ParentCondition | None = None,
    health: HealthStatus | None = None,
    care_type: CareType | None = None,
) -> list[ValidationError]:
    """Reasons why categories do not apply to a child on a day; empty when none is known.

    Only facts that are known count: None means unknown and never refuses.
    hukou_registered is taken but does not refuse: DOMAIN.md treats a child without hukou
    as a problem to solve (落户登记), not as outside the left-behind category.
    """
    problems: list[ValidationError] = []
    chosen = _categories(categories)
    if birth_date > on:
        problems.append(
            _problem(
                "出生日期{b}晚于{on}",
                "the birth date {b} is after {on}",
                b=birth_date.isoformat(),
                on=on.isoformat(),
            )
        )
        return problems
    age = age_on(birth_date, on)
    parents = [c for c in (father, mother) if c is not None]
    names = _parents_text(father, mother)
    for category in chosen:
        limit = AGE_LIMITS[category]
        if age >= limit:
            problems.append(
                _problem(
                    "{cat}须未满{limit}周岁，该儿童已满{age}周岁",
                    "{cat_en} must be under {limit}; this child is {age}",
                    cat=category.label.zh,
                    cat_en=category.label.en,
                    limit=limit,
                    age=age,
                )
            )
        if category is Category.LEFT_BEHIND:
            problems.extend(_left_behind_problems(father, mother, parents, care_type, names))
        elif category is Category.ORPHAN:
            problems.extend(_orphan_problems(parents, care_type, names))
        elif category is Category.NO_CARER:
            problems.extend(_no_carer_problems(father, mother, parents, care_type, names))
        elif category is Category.DIFFICULTY_DISABILITY:
            if health is not None and health is not HealthStatus.DISABLED:
                problems.append(
                    _problem(
                        "困境儿童（自身残疾）须为残疾儿童，健康状况填的是“{h}”",
                        "in difficulty through own disability needs a disabled child; "
                        "health is '{h_en}'",
                        h=health.label.zh,
                        h_en=health.label.en,
                    )
                )
    return problems


def _left_behind_problems(
    father: ParentCondition | None,
    mother: ParentCondition | None,
    parents: list[ParentCondition],
    care_type: CareType | None,
    names: dict[str, str],
) -> list[ValidationError]:
    problems: list[ValidationError] = []
    # A parent at home and able to care rules it out whatever the other one does;
    # with both known, at least one must work away and the other be away or unable.
    present = ParentCondition.NORMAL in parents
    both_known = father is not None and mother is not None
    none_away = both_known and ParentCondition.WORKING_AWAY not in parents
    if present or none_away:
        problems.append(
            _problem(
                "农村留守儿童须父母双方外出务工，或一方外出务工、另一方无监护能力"
                "（父亲：{f}，母亲：{m}）",
                "a left-behind child needs both parents working away, or one away and the "
                "other unable to act as guardian (father: {f_en}, mother: {m_en})",
                **names,
            )
        )
    elif care_type is CareType.PARENTS:
        problems.append(
            _problem(
                "由父母共同照护的儿童不是留守儿童",
                "a child cared for by both parents is not left behind",
            )
        )
    return problems


def _orphan_problems(
    parents: list[ParentCondition], care_type: CareType | None, names: dict[str, str]
) -> list[ValidationError]:
    if any(c not in _ORPHAN_PARENT for c in parents):
        return [
            _problem(
                "孤儿须父母双方均死亡或被宣告失踪（父亲：{f}，母亲：{m}）",
                "an orphan's parents must both be dead or declared missing "
                "(father: {f_en}, mother: {m_en})",
                **names,
            )
        ]
    if care_type in (CareType.PARENTS, CareType.ONE_PARENT):
        return [
            _problem(
                "由父母照护的儿童不是孤儿",
                "a child cared for by a parent is not an orphan",
            )
        ]
    return []


def _no_carer_problems(
    father: ParentCondition | None,
    mother: ParentCondition | None,
    parents: list[ParentCondition],
    care_type: CareType | None,
    names: dict[str, str],
) -> list[ValidationError]:
    allowed = _NO_CARER_PARENT | _ORPHAN_PARENT
    if any(c not in allowed for c in parents):
        return [
            _problem(
                "事实无人抚养儿童须父母双方均为重残、重病、服刑在押、强制隔离戒毒、失联、"
                "被撤销监护资格或被遣送出境之一，或一方死亡、失踪，另一方为上述情形之一"
                "（父亲：{f}，母亲：{m}）",
                "a child without de facto carer needs both parents severely disabled, seriously "
                "ill, detained, in compulsory rehab, out of contact, stripped of guardianship or "
                "deported, or one dead or missing and the other in one of those conditions "
                "(father: {f_en}, mother: {m_en})",
                **names,
            )
        ]
    if (
        father is not None
        and mother is not None
        and father in _ORPHAN_PARENT
        and mother in _ORPHAN_PARENT
    ):
        return [
            _problem(
                "父母双方均死亡或失踪的儿童应认定为孤儿，而非事实无人抚养儿童",
                "a child whose parents are both dead or missing is an orphan, not a child "
                "without de facto carer",
            )
        ]
    if care_type is CareType.PARENTS:
        return [
            _problem(
                "由父母共同照护的儿童不是事实无人抚养儿童",
                "a child cared for by both parents is not without a de facto carer",
            )
        ]
    return []


def check_eligibility(
    categories: Iterable[str],
    *,
    birth_date: date,
    on: date,
    hukou_registered: bool | None = None,
    father: ParentCondition | None = None,
    mother: ParentCondition | None = None,
    health: HealthStatus | None = None,
    care_type: CareType | None = None,
) -> None:
    """Raise the first reason a category does not apply (field "categories")."""
    problems = eligibility_problems(
        categories,
        birth_date=birth_date,
        on=on,
        hukou_registered=hukou_registered,
        father=father,
        mother=mother,
        health=health,
        care_type=care_type,
    )
    if problems:
        raise problems[0]


# ---------------------------------------------------------------- visits and contact


@dataclass(frozen=True)
class VisitPolicy:
    """Days between home visits (configurable by a county; defaults from DOMAIN.md)."""

    high_risk_days: int = 7
    no_guardian_days: int = 7
    orphan_days: int = 30
    no_carer_days: int = 30
    difficulty_days: int = 30
    left_behind_days: int = 90
    default_days: int = 90

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 366:
                raise ValidationError(
                    f.name,
                    Text(
                        "走访间隔应为1至366天的整数，现为“{v}”",
                        "the visit interval must be a whole number of days from 1 to 366, "
                        "not '{v}'",
                    ).format(v=value),
                    field_label=Text("走访间隔（天）", "Visit interval (days)"),
                )

    def to_dict(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> VisitPolicy:
        """Read a saved policy; missing keys keep their default.

        Unknown keys are ignored so that a policy saved by a newer version still loads.
        """
        known = {f.name for f in fields(cls)}
        return cls(**{key: data[key] for key in known if key in data})


def visit_interval_days(
    categories: Iterable[str],
    *,
    risk: RiskLevel | None,
    care_type: CareType | None,
    policy: VisitPolicy = VisitPolicy(),  # noqa: B008 - frozen, so one shared default is safe
) -> int:
    """Days between visits: the shortest interval that any fact about the child calls for."""
    candidates: list[int] = []
    if risk is RiskLevel.HIGH:
        candidates.append(policy.high_risk_days)
    if care_type is CareType.NONE:
        candidates.append(policy.no_guardian_days)
    for category in _categories(categories):
        if category is Category.ORPHAN:
            candidates.append(policy.orphan_days)
        elif category is Category.NO_CARER:
            candidates.append(policy.no_carer_days)
        elif category is Category.LEFT_BEHIND:
            candidates.append(policy.left_behind_days)
        else:
            candidates.append(policy.difficulty_days)
    return min(candidates, default=policy.default_days)


def next_visit_due(
    *,
    last_visit: date | None,
    registered_on: date,
    categories: Iterable[str],
    risk: RiskLevel | None,
    care_type: CareType | None,
    policy: VisitPolicy = VisitPolicy(),  # noqa: B008 - frozen, so one shared default is safe
) -> date:
    """The day the next visit is due: from the last visit, or from registration if none."""
    start = last_visit if last_visit is not None else registered_on
    days = visit_interval_days(categories, risk=risk, care_type=care_type, policy=policy)
    return start + timedelta(days=days)


def derive_risk(
    *,
    level: GuardianshipLevel | None,
    care_type: CareType | None,
    guardianship_type: GuardianshipType | None = None,
) -> RiskLevel:
    """Risk from the latest guardianship assessment and who cares for the child."""
    if (
        level in (GuardianshipLevel.MISSING, GuardianshipLevel.IMPROPER)
        or care_type is CareType.NONE
        or guardianship_type is GuardianshipType.NONE
    ):
        return RiskLevel.HIGH
    if level is GuardianshipLevel.INSUFFICIENT or guardianship_type in (
        GuardianshipType.PARENT_INCAPABLE,
        GuardianshipType.ENTRUSTED_INSUFFICIENT,
    ):
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


PARENT_CONTACT_MAX_DAYS = 7  # 未成年人保护法 Art. 23: parents away keep in touch at least weekly


def parent_contact_overdue(last_contact: date | None, on: date, registered_on: date) -> bool:
    """Whether more than a week has passed without a recorded parent contact.

    A child never contacted is counted from the day of registration.
    """
    since = last_contact if last_contact is not None else registered_on
    return (on - since).days > PARENT_CONTACT_MAX_DAYS


# ---------------------------------------------------------------- subsidies

SubsidyKind = Literal["orphan_institution", "orphan_community", "no_carer"]
SUBSIDY_KINDS: tuple[SubsidyKind, ...] = ("orphan_institution", "orphan_community", "no_carer")


@dataclass(frozen=True)
class SubsidyStandard:
    valid_from: date
    valid_to: date | None  # None: still in force
    amounts: dict[str, Decimal]

    def covers(self, month: date) -> bool:
        return self.valid_from <= month and (self.valid_to is None or month <= self.valid_to)


def _subsidy_error(zh: str, en: str, /, **values: object) -> ValidationError:
    return ValidationError(
        "subsidy_standard",
        Text(zh, en).format(**values),
        field_label=Text("补贴标准", "Subsidy standard"),
    )


def parse_subsidy_standards(data: Mapping[str, Any]) -> tuple[SubsidyStandard, ...]:
    """Check and read the standards table (rows in date order, none overlapping)."""
    rows: list[SubsidyStandard] = []
    try:
        for row in data["standards"]:
            valid_to = row.get("valid_to")
            rows.append(
                SubsidyStandard(
                    valid_from=date.fromisoformat(row["valid_from"]),
                    valid_to=date.fromisoformat(valid_to) if valid_to else None,
                    amounts={kind: Decimal(str(row[kind])) for kind in SUBSIDY_KINDS},
                )
            )
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise _subsidy_error(
            "补贴标准数据格式有误：{e}", "the subsidy standards data is malformed: {e}", e=exc
        ) from exc
    rows.sort(key=lambda r: r.valid_from)
    for earlier, later in zip(rows, rows[1:], strict=False):
        if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
            raise _subsidy_error(
                "补贴标准的有效期重叠：{a} 与 {b}",
                "subsidy standards overlap: {a} and {b}",
                a=earlier.valid_from.isoformat(),
                b=later.valid_from.isoformat(),
            )
    return tuple(rows)


@functools.cache
def load_subsidy_standards(path: Path | None = None) -> tuple[SubsidyStandard, ...]:
    source = path or resource_path("data", "subsidy_standards.json")
    with open(source, encoding="utf-8") as f:
        return parse_subsidy_standards(json.load(f))


def subsidy_standard(
    kind: SubsidyKind,
    month: date,
    *,
    standards: tuple[SubsidyStandard, ...] | None = None,
) -> Decimal:
    """The minimum monthly allowance (yuan) for a kind of child in a month."""
    if kind not in SUBSIDY_KINDS:
        raise _subsidy_error("未知的补贴类别“{k}”", "unknown subsidy kind '{k}'", k=kind)
    first_day = month.replace(day=1)
    for row in standards if standards is not None else load_subsidy_standards():
        if row.covers(first_day):
            return row.amounts[kind]
    raise _subsidy_error(
        "没有{m}的补贴标准数据",
        "there is no subsidy standard for {m}",
        m=first_day.strftime("%Y-%m"),
    )
