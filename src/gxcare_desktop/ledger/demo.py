"""Realistic synthetic ledgers for newcomers, screenshots and benchmarks: Guangxi names, real villages."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from ..domain.divisions import load_divisions
from ..domain.enums import (
    Assistance,
    CareType,
    Category,
    GuardianshipLevel,
    GuardianshipType,
    HealthStatus,
    ParentCondition,
    Role,
    Schooling,
    VisitCheck,
    VisitMode,
)
from ..domain.hlc import Hlc
from ..domain.validators import id_check_char
from ..progress import CancelToken, Progress, ProgressFn, no_progress
from .service import Ledger

# A real village in 马山县 (a county with many left-behind children) for small demo ledgers.
DEMO_VILLAGE = "450124100201"
_BATCH = 500

_SURNAMES = "韦黄李陆覃莫蒙梁罗潘农蓝廖卢陈刘杨张王周吴谢唐冯钟何邓曾赵梁苏"
_GIVEN = "嘉欣怡梓涵子轩浩宇雨萱思彤俊杰佳琪诗雨宇航海燕秋菊春燕志强明辉丽娟小龙金凤玉兰建华桂芳文静伟红英德"
_ETHNICITY = [("08", 55), ("01", 30), ("13", 6), ("06", 3), ("12", 2), ("32", 1), ("36", 1), ("49", 1), ("25", 1)]
_PROVINCES = [("广东省", "广州市"), ("广东省", "深圳市"), ("广东省", "东莞市"), ("浙江省", "宁波市"), ("福建省", "厦门市"), ("广西壮族自治区", "南宁市")]
_FINDINGS = [
    "生活正常，祖辈照料尚可。",
    "孩子学习有进步，情绪稳定。",
    "住房较旧，已反映给村委。",
    "祖母身体不好，照料吃力，需要关注。",
    "孩子近期不爱说话，建议学校老师多关心。",
    "已联系父母，约定每周视频通话。",
]


def _hlc(day: date, counter: int = 0) -> str:
    ms = int(datetime.combine(day, time(9, 0)).timestamp() * 1000)
    return Hlc(ms, counter, "demo").encode()


def _row(entity: str, division: str, values: dict[str, Any], day: date, row_id: str | None = None) -> dict[str, Any]:
    clock = _hlc(day)
    wire = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()}
    wire["deleted"] = False
    return {
        "entity": entity,
        "row_id": row_id or str(uuid.uuid4()),
        "division_code": division,
        "values": wire,
        "clocks": dict.fromkeys([*wire, "division_code"], clock),
    }


def _name(rng: random.Random) -> str:
    given = rng.choice(_GIVEN) + (rng.choice(_GIVEN) if rng.random() < 0.8 else "")
    return rng.choice(_SURNAMES) + given


def _id_number(rng: random.Random, county: str, birth: date, male: bool) -> str:
    seq = rng.randrange(0, 100)
    sex_digit = rng.choice("13579" if male else "02468")
    first17 = f"{county}{birth:%Y%m%d}{seq:02d}{sex_digit}"
    return first17 + id_check_char(first17)


def _schooling(age: int) -> str:
    if age < 3:
        return Schooling.NOT_IN_KINDERGARTEN.value
    if age < 6:
        return Schooling.KINDERGARTEN.value
    if age < 12:
        return Schooling.PRIMARY.value
    if age < 15:
        return Schooling.JUNIOR.value
    return Schooling.SENIOR.value


def _child_rows(rng: random.Random, village: str, today: date) -> Iterator[dict[str, Any]]:
    """One child with parents, carer, two years of visits, contacts and assessments."""
    divisions = load_divisions()
    township = divisions.get(village[:9])
    age_days = rng.randrange(200, 17 * 365)
    birth = today - timedelta(days=age_days)
    age = age_days // 365
    male = rng.random() < 0.52
    roll = rng.random()
    if roll < 0.62 and age < 16:
        categories = [Category.LEFT_BEHIND.value]
        father, mother = ParentCondition.WORKING_AWAY, rng.choice([ParentCondition.WORKING_AWAY, ParentCondition.SERIOUS_ILLNESS])
        care = CareType.GRANDPARENTS
    elif roll < 0.75:
        categories = [Category.DIFFICULTY_POVERTY.value]
        father, mother = ParentCondition.NORMAL, ParentCondition.NORMAL
        care = CareType.PARENTS
    elif roll < 0.83:
        categories = [Category.DIFFICULTY_DISABILITY.value]
        father, mother = ParentCondition.NORMAL, ParentCondition.WORKING_AWAY
        care = CareType.ONE_PARENT
    elif roll < 0.89:
        categories = [Category.DIFFICULTY_GUARDIANSHIP.value]
        father, mother = ParentCondition.IMPRISONED, ParentCondition.OUT_OF_CONTACT
        care = CareType.OTHER_RELATIVES
    elif roll < 0.96:
        categories = [Category.NO_CARER.value]
        father, mother = ParentCondition.DEAD, ParentCondition.SEVERE_DISABILITY
        care = CareType.GRANDPARENTS
    else:
        categories = [Category.ORPHAN.value]
        father, mother = ParentCondition.DEAD, ParentCondition.DEAD
        care = CareType.OTHER_RELATIVES if rng.random() < 0.8 else CareType.NONE
    # Most files were opened one to three years ago, when the county first registered children.
    registered = max(birth, today - timedelta(days=rng.randrange(30, 1100)))
    child_id = str(uuid.uuid4())
    name = _name(rng)
    surname = name[0]
    health = HealthStatus.DISABLED if Category.DIFFICULTY_DISABILITY.value in categories else HealthStatus.HEALTHY
    archived = rng.random() < 0.03
    child = {
        "name": name,
        "sex": "1" if male else "2",
        "ethnicity": rng.choices([e for e, _ in _ETHNICITY], [w for _, w in _ETHNICITY])[0],
        "birth_date": birth,
        "id_number": _id_number(rng, village[:6], birth, male),
        "hukou_registered": True,
        "hukou_address": divisions.full_name(village),
        "address": f"{divisions.full_name(village)}{rng.randrange(1, 40)}组{rng.randrange(1, 60)}号",
        "categories": categories,
        "orphan_care": "community" if Category.ORPHAN.value in categories else "",
        "health": health.value,
        "disability_kind": "4" if health is HealthStatus.DISABLED else "",
        "disability_grade": rng.randrange(1, 5) if health is HealthStatus.DISABLED else None,
        "schooling": _schooling(age),
        "boarding": age >= 12 and rng.random() < 0.5,
        "school_name": f"{township.name if township else ''}中心小学" if 6 <= age < 12 else "",
        "guardianship_type": GuardianshipType.FAIR.value if care is not CareType.NONE else GuardianshipType.NONE.value,
        "income_sources": ["work_away", "farming"] if Category.LEFT_BEHIND.value in categories else ["farming", "government"],
        "assistance": [Assistance.DIBAO.value] if rng.random() < 0.3 else [],
        "archived": archived,
        "exit_reason": "moved" if archived else "",
        "exit_date": today - timedelta(days=rng.randrange(1, 300)) if archived else None,
        "notes": "",
        "registered_on": registered,
    }
    yield _row("child", village, child, registered, child_id)
    for relation, condition, sex_male in (("father", father, True), ("mother", mother, False)):
        parent_birth = birth - timedelta(days=rng.randrange(20 * 365, 40 * 365))
        away = condition is ParentCondition.WORKING_AWAY
        province, city = rng.choice(_PROVINCES)
        yield _row(
            "family_member",
            village,
            {
                "child_id": child_id,
                "relation": relation,
                "name": surname + rng.choice(_GIVEN) + rng.choice(_GIVEN) if sex_male else _name(rng),
                "id_number": _id_number(rng, village[:6], parent_birth, sex_male),
                "phone": f"1{rng.choice('3578')}{rng.randrange(10**8, 10**9)}",
                "condition": condition.value,
                "work_province": province if away else "",
                "work_city": city if away else "",
                "notes": "",
            },
            registered,
        )
    yield _row(
        "care_arrangement",
        village,
        {
            "child_id": child_id,
            "care_type": care.value,
            "caregiver_name": surname + rng.choice(_GIVEN) + rng.choice(_GIVEN) if care is not CareType.NONE else "",
            "caregiver_relation": "祖父母" if care is CareType.GRANDPARENTS else ("亲属" if care is not CareType.NONE else ""),
            "caregiver_phone": f"1{rng.choice('3578')}{rng.randrange(10**8, 10**9)}" if care is not CareType.NONE else "",
            "notice_given": care is not CareType.NONE,
            "disqualifications_checked": care is not CareType.NONE,
            "start_date": registered,
        },
        registered,
    )
    # Directors visit more often than the policy minimum; about ten visits per child on file.
    interval = 75 if categories == [Category.LEFT_BEHIND.value] else 28
    # Walk back from the latest visit; about one child in six is behind schedule, as in real villages.
    behind = rng.random() < 0.15
    day = today - timedelta(days=rng.randrange(interval, interval * 2) if behind else rng.randrange(0, interval - 5))
    visit_days = []
    while day > registered:
        visit_days.append(day)
        day -= timedelta(days=interval + rng.randrange(-5, 5))
    for day in reversed(visit_days):
        level = rng.choices(
            [GuardianshipLevel.NORMAL, GuardianshipLevel.INSUFFICIENT, GuardianshipLevel.IMPROPER, GuardianshipLevel.MISSING],
            [80, 14, 4, 2],
        )[0]
        assessed = rng.random() < 0.25
        yield _row(
            "visit",
            village,
            {
                "child_id": child_id,
                "visit_date": day,
                "mode": rng.choices([VisitMode.HOME.value, VisitMode.PHONE.value, VisitMode.SCHOOL.value], [70, 20, 10])[0],
                "seen": "儿童本人、照料人",
                "checks": [c.value for c in VisitCheck if rng.random() < 0.8],
                "findings": rng.choice(_FINDINGS),
                "help_given": "",
                "referred_to": "",
                "guardianship_level": level.value if assessed else "",
                "next_due": day + timedelta(days=interval),
                "visitor": "",
            },
            day,
        )
        if assessed:
            yield _row(
                "assessment",
                village,
                {"child_id": child_id, "assessed_on": day, "level": level.value, "notes": "", "assessor": ""},
                day,
            )
    if Category.LEFT_BEHIND.value in categories:
        contact_day = today - timedelta(days=rng.randrange(0, 21))
        for _ in range(3):
            yield _row(
                "parent_contact",
                village,
                {"child_id": child_id, "contact_date": contact_day, "parent": "father", "mode": VisitMode.VIDEO.value, "notes": ""},
                contact_day,
            )
            contact_day -= timedelta(days=7)
    if Category.ORPHAN.value in categories or Category.NO_CARER.value in categories:
        kind = Assistance.ORPHAN_ALLOWANCE if Category.ORPHAN.value in categories else Assistance.NO_CARER_ALLOWANCE
        yield _row(
            "benefit",
            village,
            {"child_id": child_id, "kind": kind.value, "amount_monthly": 1022.0, "start_month": f"{registered:%Y-%m}", "end_month": "", "notes": ""},
            registered,
        )


def demo_scope(children: int, village_code: str | None) -> tuple[str, Role, list[str]]:
    """Small demos are one village's ledger; large ones a county's, spread over its villages."""
    divisions = load_divisions()
    village = village_code or DEMO_VILLAGE
    if children <= 3000:
        return village, Role.VILLAGE_DIRECTOR, [village]
    county = village[:6]
    return county, Role.COUNTY_ADMIN, divisions.village_codes_under(county)


def create_demo_ledger(
    path: Path,
    *,
    password: str,
    children: int,
    seed: int = 1,
    village_code: str | None = None,
    today: date | None = None,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> Ledger:
    scope, role, villages = demo_scope(children, village_code)
    ledger, _ = Ledger.create(Path(path), password=password, village_code=scope, role=role, user_name="演示用户")
    fill_demo(ledger, children=children, seed=seed, villages=villages, today=today, progress=progress, cancel=cancel)
    return ledger


def fill_demo(
    ledger: Ledger,
    *,
    children: int,
    seed: int,
    villages: list[str],
    today: date | None = None,
    progress: ProgressFn = no_progress,
    cancel: CancelToken | None = None,
) -> None:
    rng = random.Random(seed)
    today = today or date.today()
    done = 0
    while done < children:
        if cancel is not None:
            cancel.raise_if_cancelled()
        batch = min(_BATCH, children - done)
        rows: list[dict[str, Any]] = []
        for i in range(batch):
            rows.extend(_child_rows(rng, villages[(done + i) % len(villages)], today))
        ledger.apply_snapshot(rows)
        done += batch
        progress(Progress(done, children, f"{done}/{children}"))
