"""The syncable record types and their fields: the one schema the ledger, sync and server share."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FieldKind(StrEnum):
    TEXT = "text"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    DATE = "date"  # ISO yyyy-mm-dd text
    DATETIME = "datetime"  # ISO text, UTC
    CODES = "codes"  # a list of code strings (multi-select)


class Entity(StrEnum):
    CHILD = "child"
    FAMILY_MEMBER = "family_member"
    CARE_ARRANGEMENT = "care_arrangement"
    VISIT = "visit"
    PARENT_CONTACT = "parent_contact"
    ASSESSMENT = "assessment"
    CASE = "case"
    CASE_STEP = "case_step"
    BENEFIT = "benefit"
    REVIEW = "review"
    ATTACHMENT = "attachment"
    STAFF = "staff"
    TRAINING = "training"


@dataclass(frozen=True, slots=True)
class RecordSpec:
    entity: Entity
    fields: dict[str, FieldKind]

    @property
    def child_scoped(self) -> bool:
        """Rows that belong to one child move with the child when it changes village."""
        return "child_id" in self.fields


_T, _I, _F, _B, _D, _DT, _C = (
    FieldKind.TEXT,
    FieldKind.INT,
    FieldKind.FLOAT,
    FieldKind.BOOL,
    FieldKind.DATE,
    FieldKind.DATETIME,
    FieldKind.CODES,
)

# Every record also has `id`, `division_code` and `deleted`; those are sync fields too
# (division_code moves a record, deleted is the tombstone) and are added below.
_FIELDS: dict[Entity, dict[str, FieldKind]] = {
    Entity.CHILD: {
        "name": _T, "sex": _T, "ethnicity": _T, "birth_date": _D, "id_number": _T,
        "hukou_registered": _B, "hukou_address": _T, "address": _T,
        "categories": _C, "orphan_care": _T,
        "health": _T, "disability_kind": _T, "disability_grade": _I, "illness": _T,
        "schooling": _T, "boarding": _B, "school_name": _T,
        "guardianship_type": _T, "income_sources": _C, "assistance": _C,
        "archived": _B, "exit_reason": _T, "exit_date": _D,
        "notes": _T, "registered_on": _D,
    },
    Entity.FAMILY_MEMBER: {
        "child_id": _T, "relation": _T, "name": _T, "id_number": _T, "phone": _T,
        "condition": _T, "work_province": _T, "work_city": _T, "notes": _T,
    },
    Entity.CARE_ARRANGEMENT: {
        "child_id": _T, "care_type": _T, "caregiver_name": _T, "caregiver_id_number": _T,
        "caregiver_phone": _T, "caregiver_relation": _T, "caregiver_address": _T,
        "notice_given": _B, "disqualifications_checked": _B, "start_date": _D,
    },
    Entity.VISIT: {
        "child_id": _T, "visit_date": _D, "mode": _T, "seen": _T, "checks": _C,
        "findings": _T, "help_given": _T, "referred_to": _T, "guardianship_level": _T,
        "next_due": _D, "visitor": _T,
    },
    Entity.PARENT_CONTACT: {
        "child_id": _T, "contact_date": _D, "parent": _T, "mode": _T, "notes": _T,
    },
    Entity.ASSESSMENT: {
        "child_id": _T, "assessed_on": _D, "level": _T, "notes": _T, "assessor": _T,
    },
    Entity.CASE: {
        "child_id": _T, "situation": _T, "opened_on": _D, "place": _T, "observed": _T,
        "reporter_name": _T, "reporter_phone": _T,
        "police_reported_at": _DT, "police_unit": _T, "police_receipt": _T,
        "current_step": _T, "closed_on": _D, "feedback": _T,
    },
    Entity.CASE_STEP: {
        "child_id": _T, "case_id": _T, "step": _T, "step_date": _D, "actor": _T,
        "actions": _T, "outcome": _T,
    },
    Entity.BENEFIT: {
        "child_id": _T, "kind": _T, "amount_monthly": _F, "start_month": _T,
        "end_month": _T, "notes": _T,
    },
    Entity.REVIEW: {
        "child_id": _T, "kind": _T, "status": _T, "round": _I, "submitted_by": _T,
        "submitted_at": _DT, "decided_by": _T, "decided_at": _DT, "comment": _T,
        "stage": _T, "due_on": _D,
    },
    Entity.ATTACHMENT: {
        "child_id": _T, "kind": _T, "filename": _T, "mime": _T, "size": _I,
        "sha256": _T, "caption": _T,
    },
    Entity.STAFF: {
        "name": _T, "phone": _T, "role": _T, "unit_code": _T, "appointed_on": _D,
        "active": _B,
    },
    Entity.TRAINING: {
        "staff_id": _T, "kind": _T, "trained_on": _D, "hours": _F, "topic": _T,
    },
}

COMMON_FIELDS: dict[str, FieldKind] = {"division_code": _T, "deleted": _B}

RECORDS: dict[Entity, RecordSpec] = {
    entity: RecordSpec(entity, {**fields, **COMMON_FIELDS}) for entity, fields in _FIELDS.items()
}


# The reporter's identity stays confidential (DOMAIN.md, mandatory reporting): below supervisor,
# the server sends these (entity, field) values only to the device that wrote them.
CONFIDENTIAL_FIELDS: frozenset[tuple[str, str]] = frozenset(
    {(Entity.CASE.value, "reporter_name"), (Entity.CASE.value, "reporter_phone")}
)


def spec(entity: str) -> RecordSpec:
    return RECORDS[Entity(entity)]
