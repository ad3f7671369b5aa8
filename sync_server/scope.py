"""Jurisdiction: which divisions a user covers, and the indexed log column that selects them."""

from __future__ import annotations

from typing import TypedDict

from gxcare_desktop.domain.divisions import in_scope, load_divisions
from gxcare_desktop.domain.enums import Role

# The division code length each role is appointed at.
ROLE_CODE_LENGTH: dict[Role, int] = {
    Role.VILLAGE_DIRECTOR: 12,
    Role.TOWNSHIP_SUPERVISOR: 9,
    Role.COUNTY_ADMIN: 6,
}
# Supervisors and administrators review and resolve; directors only see their village's.
REVIEWER_ROLES = frozenset({Role.TOWNSHIP_SUPERVISOR, Role.COUNTY_ADMIN})


def role_of(code: str) -> Role:
    """The role with this exact code (Role(code) would also work, but LabeledEnum's three-part
    constructor confuses type checkers)."""
    for role in Role:
        if role.value == code:
            return role
    raise ValueError(f"unknown role {code!r}")


def scope_column(scope_code: str) -> str:
    """The jurisdiction column (county/township/village) whose equality selects scope_code's rows."""
    match len(scope_code):
        case 6:
            return "county"
        case 9:
            return "township"
        case 12:
            return "village"
    raise ValueError(f"not a county, township or village code: {scope_code!r}")


class Jurisdiction(TypedDict):
    county: str
    township: str
    village: str


def jurisdiction(division_code: str) -> Jurisdiction:
    """The three indexed columns of a 12-digit village code."""
    return {
        "county": division_code[:6],
        "township": division_code[:9],
        "village": division_code,
    }


def covers(scope_code: str, division_code: str) -> bool:
    return bool(division_code) and in_scope(scope_code, division_code)


def is_village(code: str) -> bool:
    """A real Guangxi village (level 5) in the shipped division data."""
    if len(code) != 12 or not code.isdigit():
        return False
    division = load_divisions().get(code)
    return division is not None and division.level == 5


def is_valid_appointment(role: Role, code: str) -> bool:
    """Whether code is a real division at the level role is appointed at."""
    if len(code) != ROLE_CODE_LENGTH[role] or not code.isdigit():
        return False
    return code in load_divisions()
