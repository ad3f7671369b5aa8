"""Derived columns of a child: risk level and next visit due date from its current state."""

from __future__ import annotations

from datetime import date

from ..domain import rules
from ..domain.enums import CareType, GuardianshipLevel, GuardianshipType


def schedule(
    policy: rules.VisitPolicy,
    *,
    level: str,
    care_type: str,
    guardianship_type: str,
    categories: list[str],
    last_visit: date | None,
    registered_on: date | None,
    archived: bool,
) -> tuple[str, date | None]:
    """Risk level and next visit due date from a child's current state."""
    care = CareType.of(care_type) if care_type else None
    risk = rules.derive_risk(
        level=GuardianshipLevel.of(level) if level else None,
        care_type=care,
        guardianship_type=GuardianshipType.of(guardianship_type) if guardianship_type else None,
    )
    if archived:
        return risk.value, None
    due = rules.next_visit_due(
        last_visit=last_visit,
        registered_on=registered_on or date.today(),
        categories=categories,
        risk=risk,
        care_type=care,
        policy=policy,
    )
    return risk.value, due
