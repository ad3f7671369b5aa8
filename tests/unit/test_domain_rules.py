"""Rules: ages, age-out dates, eligibility, visit schedules, risk, parent contact, subsidies."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from gxcare_desktop.domain.enums import (
    CareType,
    Category,
    GuardianshipLevel,
    GuardianshipType,
    HealthStatus,
    ParentCondition,
    RiskLevel,
)
from gxcare_desktop.domain.errors import ValidationError
from gxcare_desktop.domain.rules import (
    AGE_LIMITS,
    PARENT_CONTACT_MAX_DAYS,
    VisitPolicy,
    age_on,
    age_out_date,
    check_eligibility,
    derive_risk,
    eligibility_problems,
    load_subsidy_standards,
    next_visit_due,
    parent_contact_overdue,
    parse_subsidy_standards,
    subsidy_standard,
    visit_interval_days,
)

P = ParentCondition
ON = date(2026, 6, 1)

# ---------------------------------------------------------------- ages


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(2010, 6, 1), date(2026, 6, 1), 16),
        (date(2010, 6, 2), date(2026, 6, 1), 15),
        (date(2010, 5, 31), date(2026, 6, 1), 16),
        (date(2012, 2, 29), date(2028, 2, 28), 15),
        (date(2012, 2, 29), date(2028, 2, 29), 16),
        (date(2012, 2, 29), date(2027, 2, 28), 14),
        (date(2012, 2, 29), date(2027, 3, 1), 15),
        (date(2026, 6, 1), date(2026, 6, 1), 0),
    ],
)
def test_age_on(birth: date, on: date, age: int) -> None:
    assert age_on(birth, on) == age


def test_age_limits() -> None:
    assert AGE_LIMITS[Category.LEFT_BEHIND] == 16
    assert all(AGE_LIMITS[c] == 18 for c in Category if c is not Category.LEFT_BEHIND)
    assert set(AGE_LIMITS) == set(Category)


def test_age_out_date() -> None:
    birth = date(2010, 7, 15)
    assert age_out_date(birth, ["left_behind"]) == date(2026, 7, 15)
    assert age_out_date(birth, ["orphan"]) == date(2028, 7, 15)
    # With several categories the child stays on file until the latest limit.
    assert age_out_date(birth, ["left_behind", "difficulty_poverty"]) == date(2028, 7, 15)
    assert age_out_date(date(2012, 2, 29), [Category.ORPHAN]) == date(2030, 3, 1)
    assert age_out_date(birth, []) is None
    with pytest.raises(ValidationError):
        age_out_date(birth, ["martian"])


# ---------------------------------------------------------------- eligibility


def test_left_behind_child_of_17_is_refused_with_the_age_limit() -> None:
    problems = eligibility_problems(
        ["left_behind"],
        birth_date=date(2009, 1, 1),
        on=ON,
        father=P.WORKING_AWAY,
        mother=P.WORKING_AWAY,
    )
    assert len(problems) == 1
    assert problems[0].field == "categories"
    assert "16" in problems[0].message.zh and "17" in problems[0].message.zh
    assert "under 16" in problems[0].message.en
    with pytest.raises(ValidationError, match="未满16周岁"):
        check_eligibility(["left_behind"], birth_date=date(2009, 1, 1), on=ON)


def test_left_behind_ends_on_the_sixteenth_birthday() -> None:
    birth = date(2010, 6, 2)
    assert eligibility_problems(["left_behind"], birth_date=birth, on=date(2026, 6, 1)) == []
    assert eligibility_problems(["left_behind"], birth_date=birth, on=date(2026, 6, 2))


def test_orphans_stay_eligible_until_18() -> None:
    birth = date(2009, 1, 1)  # 17 on ON
    check_eligibility(["orphan"], birth_date=birth, on=ON, father=P.DEAD, mother=P.MISSING)
    check_eligibility(["no_carer"], birth_date=birth, on=ON, father=P.DEAD, mother=P.IMPRISONED)
    check_eligibility(["difficulty_poverty"], birth_date=birth, on=ON)
    with pytest.raises(ValidationError, match="未满18周岁"):
        check_eligibility(["orphan"], birth_date=date(2008, 6, 1), on=ON)


@pytest.mark.parametrize(
    ("father", "mother"),
    [
        (P.WORKING_AWAY, P.WORKING_AWAY),
        (P.WORKING_AWAY, P.SERIOUS_ILLNESS),
        (P.SEVERE_DISABILITY, P.WORKING_AWAY),
        (P.WORKING_AWAY, P.NO_CAPACITY),
        (P.WORKING_AWAY, P.DEAD),
        (P.WORKING_AWAY, None),
        (None, None),
        (P.IMPRISONED, None),
    ],
)
def test_left_behind_parents_accepted(father: P | None, mother: P | None) -> None:
    assert (
        eligibility_problems(
            ["left_behind"], birth_date=date(2015, 1, 1), on=ON, father=father, mother=mother
        )
        == []
    )


@pytest.mark.parametrize(
    ("father", "mother"),
    [
        (P.WORKING_AWAY, P.NORMAL),
        (P.NORMAL, None),
        (P.NORMAL, P.NORMAL),
        (P.SERIOUS_ILLNESS, P.IMPRISONED),
        (P.DEAD, P.DEAD),
    ],
)
def test_left_behind_parents_refused(father: P | None, mother: P | None) -> None:
    problems = eligibility_problems(
        ["left_behind"], birth_date=date(2015, 1, 1), on=ON, father=father, mother=mother
    )
    assert len(problems) == 1
    assert "外出务工" in problems[0].message.zh


def test_left_behind_refused_when_both_parents_care() -> None:
    problems = eligibility_problems(
        ["left_behind"],
        birth_date=date(2015, 1, 1),
        on=ON,
        father=P.WORKING_AWAY,
        care_type=CareType.PARENTS,
    )
    assert len(problems) == 1


def test_unregistered_hukou_does_not_refuse_left_behind() -> None:
    assert (
        eligibility_problems(
            ["left_behind"], birth_date=date(2015, 1, 1), on=ON, hukou_registered=False
        )
        == []
    )


@pytest.mark.parametrize(
    ("father", "mother", "ok"),
    [
        (P.DEAD, P.DEAD, True),
        (P.DEAD, P.MISSING, True),
        (P.DEAD, None, True),
        (P.DEAD, P.OUT_OF_CONTACT, False),
        (P.DEAD, P.WORKING_AWAY, False),
        (P.NORMAL, None, False),
    ],
)
def test_orphan_needs_both_parents_dead_or_missing(father: P, mother: P | None, ok: bool) -> None:
    problems = eligibility_problems(
        ["orphan"], birth_date=date(2015, 1, 1), on=ON, father=father, mother=mother
    )
    assert (problems == []) is ok
    if not ok:
        assert "死亡" in problems[0].message.zh


def test_orphan_cared_for_by_a_parent_is_refused() -> None:
    assert eligibility_problems(
        ["orphan"], birth_date=date(2015, 1, 1), on=ON, care_type=CareType.ONE_PARENT
    )
    assert not eligibility_problems(
        ["orphan"], birth_date=date(2015, 1, 1), on=ON, care_type=CareType.GRANDPARENTS
    )


@pytest.mark.parametrize(
    ("father", "mother", "ok"),
    [
        (P.SEVERE_DISABILITY, P.SERIOUS_ILLNESS, True),
        (P.IMPRISONED, P.DRUG_REHAB, True),
        (P.OUT_OF_CONTACT, P.GUARDIANSHIP_REVOKED, True),
        (P.DEAD, P.DEPORTED, True),
        (P.MISSING, P.IMPRISONED, True),
        (P.IMPRISONED, None, True),
        (P.DEAD, P.DEAD, False),  # that is an orphan
        (P.IMPRISONED, P.NORMAL, False),
        (P.IMPRISONED, P.WORKING_AWAY, False),
        (P.DEAD, P.NO_CAPACITY, False),
    ],
)
def test_no_carer_conditions(father: P, mother: P | None, ok: bool) -> None:
    problems = eligibility_problems(
        ["no_carer"], birth_date=date(2015, 1, 1), on=ON, father=father, mother=mother
    )
    assert (problems == []) is ok


def test_difficulty_disability_needs_a_disabled_child() -> None:
    birth = date(2015, 1, 1)
    assert (
        eligibility_problems(["difficulty_disability"], birth_date=birth, on=ON, health=None) == []
    )
    assert (
        eligibility_problems(
            ["difficulty_disability"], birth_date=birth, on=ON, health=HealthStatus.DISABLED
        )
        == []
    )
    problems = eligibility_problems(
        ["difficulty_disability"], birth_date=birth, on=ON, health=HealthStatus.ILL
    )
    assert len(problems) == 1 and "残疾" in problems[0].message.zh


def test_several_problems_are_all_reported() -> None:
    problems = eligibility_problems(
        ["left_behind", "difficulty_disability"],
        birth_date=date(2009, 1, 1),
        on=ON,
        father=P.NORMAL,
        health=HealthStatus.HEALTHY,
    )
    assert len(problems) == 3


def test_birth_after_the_day_and_unknown_category() -> None:
    assert eligibility_problems(["orphan"], birth_date=date(2027, 1, 1), on=ON)
    with pytest.raises(ValidationError, match="未知"):
        eligibility_problems(["nope"], birth_date=date(2015, 1, 1), on=ON)


# ---------------------------------------------------------------- visits


@pytest.mark.parametrize(
    ("categories", "risk", "care_type", "days"),
    [
        (["left_behind"], RiskLevel.LOW, CareType.GRANDPARENTS, 90),
        (["left_behind"], None, None, 90),
        (["orphan"], RiskLevel.LOW, None, 30),
        (["no_carer"], None, None, 30),
        (["difficulty_poverty"], None, None, 30),
        (["left_behind", "difficulty_guardianship"], None, None, 30),
        (["left_behind"], RiskLevel.HIGH, None, 7),
        (["left_behind"], RiskLevel.MEDIUM, CareType.NONE, 7),
        ([], None, None, 90),
    ],
)
def test_visit_interval(
    categories: list[str], risk: RiskLevel | None, care_type: CareType | None, days: int
) -> None:
    assert visit_interval_days(categories, risk=risk, care_type=care_type) == days


def test_visit_policy_is_configurable() -> None:
    policy = VisitPolicy.from_dict({"left_behind_days": 60, "orphan_days": 14})
    assert policy.left_behind_days == 60 and policy.high_risk_days == 7
    assert visit_interval_days(["left_behind"], risk=None, care_type=None, policy=policy) == 60
    assert VisitPolicy.from_dict(policy.to_dict()) == policy
    assert json.loads(json.dumps(policy.to_dict()))["orphan_days"] == 14
    # A key from a newer version is ignored rather than breaking an older client.
    assert VisitPolicy.from_dict({"weekly": 7}) == VisitPolicy()
    with pytest.raises(ValidationError):
        VisitPolicy.from_dict({"orphan_days": 0})
    with pytest.raises(ValidationError):
        VisitPolicy.from_dict({"orphan_days": "30"})


def test_next_visit_due() -> None:
    registered = date(2026, 1, 10)
    assert next_visit_due(
        last_visit=None,
        registered_on=registered,
        categories=["left_behind"],
        risk=RiskLevel.LOW,
        care_type=CareType.GRANDPARENTS,
    ) == date(2026, 4, 10)
    assert next_visit_due(
        last_visit=date(2026, 5, 1),
        registered_on=registered,
        categories=["orphan"],
        risk=RiskLevel.HIGH,
        care_type=None,
    ) == date(2026, 5, 8)


# ---------------------------------------------------------------- risk


@pytest.mark.parametrize(
    ("level", "care_type", "guardianship_type", "risk"),
    [
        (GuardianshipLevel.MISSING, CareType.GRANDPARENTS, None, RiskLevel.HIGH),
        (GuardianshipLevel.IMPROPER, None, None, RiskLevel.HIGH),
        (GuardianshipLevel.NORMAL, CareType.NONE, None, RiskLevel.HIGH),
        (None, None, GuardianshipType.NONE, RiskLevel.HIGH),
        (GuardianshipLevel.INSUFFICIENT, CareType.GRANDPARENTS, None, RiskLevel.MEDIUM),
        (GuardianshipLevel.NORMAL, None, GuardianshipType.PARENT_INCAPABLE, RiskLevel.MEDIUM),
        (None, CareType.ENTRUSTED, GuardianshipType.ENTRUSTED_INSUFFICIENT, RiskLevel.MEDIUM),
        (GuardianshipLevel.NORMAL, CareType.GRANDPARENTS, GuardianshipType.GOOD, RiskLevel.LOW),
        (None, None, None, RiskLevel.LOW),
        (GuardianshipLevel.NORMAL, CareType.PARENTS, GuardianshipType.FAIR, RiskLevel.LOW),
    ],
)
def test_derive_risk(
    level: GuardianshipLevel | None,
    care_type: CareType | None,
    guardianship_type: GuardianshipType | None,
    risk: RiskLevel,
) -> None:
    assert (
        derive_risk(level=level, care_type=care_type, guardianship_type=guardianship_type) is risk
    )


# ---------------------------------------------------------------- parent contact


def test_parent_contact_overdue() -> None:
    assert PARENT_CONTACT_MAX_DAYS == 7
    registered = date(2026, 1, 1)
    assert not parent_contact_overdue(date(2026, 3, 1), date(2026, 3, 8), registered)
    assert parent_contact_overdue(date(2026, 3, 1), date(2026, 3, 9), registered)
    assert not parent_contact_overdue(None, date(2026, 1, 8), registered)
    assert parent_contact_overdue(None, date(2026, 1, 9), registered)


# ---------------------------------------------------------------- subsidies


@pytest.mark.parametrize(
    ("kind", "month", "amount"),
    [
        ("orphan_institution", date(2020, 6, 1), "1200"),
        ("orphan_community", date(2020, 12, 31), "800"),
        ("no_carer", date(2020, 1, 1), "800"),
        ("orphan_institution", date(2021, 1, 1), "1350"),
        ("orphan_community", date(2021, 12, 1), "950"),
        ("no_carer", date(2021, 12, 31), "950"),
        ("orphan_institution", date(2022, 1, 1), "1422"),
        ("orphan_community", date(2022, 1, 15), "1022"),
        ("no_carer", date(2022, 1, 1), "1022"),
        ("no_carer", date(2026, 11, 1), "1022"),
    ],
)
def test_subsidy_standard_by_month(kind: str, month: date, amount: str) -> None:
    value = subsidy_standard(kind, month)  # type: ignore[arg-type]
    assert value == Decimal(amount)
    assert isinstance(value, Decimal)


def test_subsidy_outside_the_data_or_unknown_kind() -> None:
    with pytest.raises(ValidationError, match="2019-12"):
        subsidy_standard("no_carer", date(2019, 12, 1))
    with pytest.raises(ValidationError, match="未知"):
        subsidy_standard("pension", date(2022, 1, 1))  # type: ignore[arg-type]


def test_subsidy_table_checks(tmp_path: Path) -> None:
    row = {"orphan_institution": "1", "orphan_community": "2", "no_carer": "3"}
    overlapping = {
        "standards": [
            {"valid_from": "2022-01-01", "valid_to": None, **row},
            {"valid_from": "2023-01-01", "valid_to": None, **row},
        ]
    }
    with pytest.raises(ValidationError, match="重叠"):
        parse_subsidy_standards(overlapping)
    with pytest.raises(ValidationError, match="格式"):
        parse_subsidy_standards({"standards": [{"valid_from": "2022-01-01"}]})
    # A county's own file with a later standard.
    own = {
        "standards": [
            {"valid_from": "2022-01-01", "valid_to": "2026-12-31", **row},
            {
                "valid_from": "2027-01-01",
                "valid_to": None,
                "orphan_institution": "1500",
                "orphan_community": "1100",
                "no_carer": "1100",
            },
        ]
    }
    path = tmp_path / "standards.json"
    path.write_text(json.dumps(own), encoding="utf-8")
    table = load_subsidy_standards(path)
    assert subsidy_standard("no_carer", date(2027, 3, 1), standards=table) == Decimal("1100")
    assert subsidy_standard("no_carer", date(2026, 12, 1), standards=table) == Decimal("3")
