"""SQLModel tables of the local ledger: the syncable records, the change log, the audit log, meta."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Index, LargeBinary
from sqlmodel import Field, SQLModel

from ..domain.records import Entity


class SyncRecord(SQLModel):
    """Columns every syncable record has: device-made UUID, village, tombstone, per-field clocks.

    Every other column has a default: a pulled row is created at its first field and filled
    field by field, so no column may be required before all of them have arrived.
    """

    id: str = Field(primary_key=True, max_length=36)
    division_code: str = Field(index=True, max_length=12)
    deleted: bool = False
    # Encoded HLC of the write that set each field, folded as {"*": row clock, field: newer};
    # read them through ledger.clocks, never directly.
    clocks: dict[str, str] = Field(default_factory=dict, sa_type=JSON)


class Child(SyncRecord, table=True):
    name: str = ""
    sex: str = "0"
    ethnicity: str = ""
    birth_date: date | None = None
    id_number: str = Field(default="", index=True)
    hukou_registered: bool | None = None
    hukou_address: str = ""
    address: str = ""
    categories: list[str] = Field(default_factory=list, sa_type=JSON)
    orphan_care: str = ""
    health: str = ""
    disability_kind: str = ""
    disability_grade: int | None = None
    illness: str = ""
    schooling: str = ""
    boarding: bool | None = None
    school_name: str = ""
    guardianship_type: str = ""
    income_sources: list[str] = Field(default_factory=list, sa_type=JSON)
    assistance: list[str] = Field(default_factory=list, sa_type=JSON)
    archived: bool = False
    exit_reason: str = ""
    exit_date: date | None = None
    notes: str = ""
    registered_on: date | None = None
    # Derived locally from the fields above and the child's visits, contacts and assessments;
    # never synced, recomputed by the service after every write or pull that touches them.
    name_initials: str = Field(default="", index=True)
    name_pinyin: str = Field(default="", index=True)
    care_type: str = ""
    guardianship_level: str = ""
    risk_level: str = Field(default="low", index=True)
    last_visit_date: date | None = None
    next_visit_due: date | None = Field(default=None, index=True)
    last_contact_date: date | None = None
    age_out_on: date | None = None


class FamilyMember(SyncRecord, table=True):
    __tablename__ = "family_member"
    child_id: str = Field(default="", index=True)
    relation: str = ""
    name: str = ""
    id_number: str = ""
    phone: str = ""
    condition: str = ""
    work_province: str = ""
    work_city: str = ""
    notes: str = ""


class CareArrangement(SyncRecord, table=True):
    __tablename__ = "care_arrangement"
    child_id: str = Field(default="", index=True)
    care_type: str = ""
    caregiver_name: str = ""
    caregiver_id_number: str = ""
    caregiver_phone: str = ""
    caregiver_relation: str = ""
    caregiver_address: str = ""
    notice_given: bool | None = None
    disqualifications_checked: bool | None = None
    start_date: date | None = None


class Visit(SyncRecord, table=True):
    child_id: str = Field(default="", index=True)
    visit_date: date | None = None
    mode: str = ""
    seen: str = ""
    checks: list[str] = Field(default_factory=list, sa_type=JSON)
    findings: str = ""
    help_given: str = ""
    referred_to: str = ""
    guardianship_level: str = ""
    next_due: date | None = None
    visitor: str = ""


class ParentContact(SyncRecord, table=True):
    __tablename__ = "parent_contact"
    child_id: str = Field(default="", index=True)
    contact_date: date | None = None
    parent: str = ""
    mode: str = ""
    notes: str = ""


class Assessment(SyncRecord, table=True):
    child_id: str = Field(default="", index=True)
    assessed_on: date | None = None
    level: str = ""
    notes: str = ""
    assessor: str = ""


class Case(SyncRecord, table=True):
    __tablename__ = "welfare_case"
    child_id: str = Field(default="", index=True)
    situation: str = ""
    opened_on: date | None = None
    place: str = ""
    observed: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    police_reported_at: datetime | None = None
    police_unit: str = ""
    police_receipt: str = ""
    current_step: str = ""
    closed_on: date | None = None
    feedback: str = ""


class CaseStep(SyncRecord, table=True):
    __tablename__ = "case_step"
    child_id: str = Field(default="", index=True)
    case_id: str = Field(default="", index=True)
    step: str = ""
    step_date: date | None = None
    actor: str = ""
    actions: str = ""
    outcome: str = ""


class Benefit(SyncRecord, table=True):
    child_id: str = Field(default="", index=True)
    kind: str = ""
    amount_monthly: float | None = None
    start_month: str = ""
    end_month: str = ""
    notes: str = ""


class Review(SyncRecord, table=True):
    child_id: str = Field(default="", index=True)
    kind: str = ""
    status: str = ""
    round: int | None = None
    submitted_by: str = ""
    submitted_at: datetime | None = None
    decided_by: str = ""
    decided_at: datetime | None = None
    comment: str = ""
    stage: str = ""
    due_on: date | None = None


class Attachment(SyncRecord, table=True):
    child_id: str = Field(default="", index=True)
    kind: str = ""
    filename: str = ""
    mime: str = ""
    size: int | None = None
    sha256: str = Field(default="", index=True)
    caption: str = ""


class Staff(SyncRecord, table=True):
    name: str = ""
    phone: str = ""
    role: str = ""
    unit_code: str = ""
    appointed_on: date | None = None
    active: bool | None = True


class Training(SyncRecord, table=True):
    staff_id: str = Field(default="", index=True)
    kind: str = ""
    trained_on: date | None = None
    hours: float | None = None
    topic: str = ""


class AttachmentBlob(SQLModel, table=True):
    """File content, encrypted with the rest of the ledger; keyed by content hash, not synced as fields."""

    __tablename__ = "ledger_attachment_blob"
    sha256: str = Field(primary_key=True)
    data: bytes = Field(sa_type=LargeBinary)


class ChangeLogEntry(SQLModel, table=True):
    """Every field write, local or pulled. Local rows with pushed=False are the sync outbox."""

    __tablename__ = "ledger_change_log"
    __table_args__ = (
        Index("ix_change_log_outbox", "origin", "pushed"),
        Index("ix_change_log_row", "entity", "row_id"),
    )
    seq: int | None = Field(default=None, primary_key=True)
    change_id: str = Field(unique=True)
    entity: str
    row_id: str
    division_code: str
    field: str
    value: Any = Field(default=None, sa_type=JSON)
    hlc: str
    device_id: str
    actor: str = ""
    origin: str = "local"  # local | remote
    pushed: bool = False
    push_status: str = ""  # accepted | superseded | rejected (with push_reason)
    push_reason: str = ""


class AuditEntry(SQLModel, table=True):
    """Append-only; each row's hash covers the previous row's, so an edit breaks the chain."""

    __tablename__ = "ledger_audit_log"
    seq: int | None = Field(default=None, primary_key=True)
    at: str
    actor: str
    device_id: str
    action: str
    entity: str = ""
    row_id: str = ""
    detail: str = ""
    prev_hash: str
    hash: str


class Meta(SQLModel, table=True):
    __tablename__ = "ledger_meta"
    key: str = Field(primary_key=True)
    value: str


TABLES: dict[Entity, type[SyncRecord]] = {
    Entity.CHILD: Child,
    Entity.FAMILY_MEMBER: FamilyMember,
    Entity.CARE_ARRANGEMENT: CareArrangement,
    Entity.VISIT: Visit,
    Entity.PARENT_CONTACT: ParentContact,
    Entity.ASSESSMENT: Assessment,
    Entity.CASE: Case,
    Entity.CASE_STEP: CaseStep,
    Entity.BENEFIT: Benefit,
    Entity.REVIEW: Review,
    Entity.ATTACHMENT: Attachment,
    Entity.STAFF: Staff,
    Entity.TRAINING: Training,
}


# The tables of a ledger file. SQLModel keeps one global metadata; the server's tables live there
# too when both are imported in one process, so the ledger creates exactly these.
LEDGER_TABLES = [*TABLES.values(), AttachmentBlob, ChangeLogEntry, AuditEntry, Meta]
