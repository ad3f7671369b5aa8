"""Read-side queries of the ledger: the children list with its filters, the child file, history."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal, NamedTuple

from sqlalchemy import String, and_, func, or_, select, type_coerce
from sqlalchemy.orm import Session
from sqlmodel import col

from ..domain.enums import Category
from ..domain.rules import PARENT_CONTACT_MAX_DAYS
from .tables import (
    Assessment,
    Attachment,
    Benefit,
    CareArrangement,
    Case,
    ChangeLogEntry,
    Child,
    FamilyMember,
    ParentContact,
    Visit,
)


@dataclass(frozen=True)
class ChildQuery:
    """Filters of the children list; every filter left at None is not applied."""

    text: str = ""
    village: str | None = None  # a division code prefix: village, township or county
    category: str | None = None
    risk: str | None = None
    overdue: bool = False
    no_contact: bool = False
    age_out_within_days: int | None = None
    archived: bool | None = False  # None: both
    today: date | None = None
    limit: int | None = None


class ChildSummary(NamedTuple):
    """One row of the children list. A tuple, because lists of 100,000 are built at a time."""

    id: str
    name: str
    sex: str
    birth_date: date | None
    age: int | None
    categories: tuple[str, ...]
    risk_level: str
    last_visit_date: date | None
    next_visit_due: date | None
    last_contact_date: date | None
    archived: bool
    division_code: str
    id_number: str
    name_initials: str
    name_pinyin: str
    registered_on: date | None
    age_out_on: date | None


# Dates and the category list are read as raw text and parsed here: SQLAlchemy's generic
# SQLite date and JSON processors cost ~20 µs a row, too much for a 100,000-child list.
_SUMMARY_COLUMNS = (
    col(Child.id),
    col(Child.name),
    col(Child.sex),
    type_coerce(col(Child.birth_date), String),
    type_coerce(col(Child.categories), String),
    col(Child.risk_level),
    type_coerce(col(Child.last_visit_date), String),
    type_coerce(col(Child.next_visit_due), String),
    type_coerce(col(Child.last_contact_date), String),
    col(Child.archived),
    col(Child.division_code),
    col(Child.id_number),
    col(Child.name_initials),
    col(Child.name_pinyin),
    type_coerce(col(Child.registered_on), String),
    type_coerce(col(Child.age_out_on), String),
)


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


_parsed_categories: dict[str, tuple[str, ...]] = {}


def _categories(text: str | None) -> tuple[str, ...]:
    # A village has a handful of distinct category combinations; parse each once.
    if not text:
        return ()
    parsed = _parsed_categories.get(text)
    if parsed is None:
        parsed = _parsed_categories[text] = tuple(json.loads(text))
    return parsed


SearchKind = Literal["id", "pinyin", "name"]


def search_kind(text: str) -> SearchKind:
    """How a search box text is matched, wherever it is matched (SQL, the in-memory list, the
    window's search index): digits → ID number, latin letters → pinyin keys, else the name."""
    compact = text.replace(" ", "")
    if compact and (compact.isdigit() or (compact[:-1].isdigit() and compact[-1] in "xX")):
        return "id"
    if compact.isascii() and compact.isalpha():
        return "pinyin"
    return "name"


def _text_condition(text: str) -> Any:
    text = text.strip()
    compact = text.replace(" ", "")
    kind = search_kind(compact)
    if kind == "id":
        return col(Child.id_number).contains(compact.upper())
    if kind == "pinyin":
        lowered = compact.lower()
        return or_(
            col(Child.name_initials).startswith(lowered),
            col(Child.name_pinyin).startswith(lowered),
        )
    return col(Child.name).contains(text)


def category_condition(category: str) -> Any:
    # Categories are a JSON list in one column; the quoted code cannot match a longer code.
    return type_coerce(col(Child.categories), String).contains(f'"{category}"')


def child_conditions(query: ChildQuery, today: date) -> list[Any]:
    conditions: list[Any] = [col(Child.deleted) == False]  # noqa: E712
    if query.archived is not None:
        conditions.append(col(Child.archived) == query.archived)
    if query.text.strip():
        conditions.append(_text_condition(query.text))
    if query.village:
        conditions.append(col(Child.division_code).startswith(query.village))
    if query.category:
        conditions.append(category_condition(query.category))
    if query.risk:
        conditions.append(col(Child.risk_level) == query.risk)
    if query.overdue:
        conditions.append(col(Child.next_visit_due) < today)
    if query.no_contact:
        limit = today - timedelta(days=PARENT_CONTACT_MAX_DAYS)
        conditions.append(category_condition(Category.LEFT_BEHIND))
        conditions.append(
            or_(
                col(Child.last_contact_date) < limit,
                and_(col(Child.last_contact_date).is_(None), col(Child.registered_on) <= limit),
            )
        )
    if query.age_out_within_days is not None:
        conditions.append(col(Child.age_out_on) >= today)
        conditions.append(col(Child.age_out_on) <= today + timedelta(days=query.age_out_within_days))
    return conditions


def list_children(session: Session, query: ChildQuery) -> list[ChildSummary]:
    today = query.today or date.today()
    stmt = (
        select(*_SUMMARY_COLUMNS)
        .where(*child_conditions(query, today))
        .order_by(col(Child.name_pinyin), col(Child.id))
    )
    if query.limit:
        stmt = stmt.limit(query.limit)
    # Core execution: the ORM's row loading would double the cost of a large list.
    return summaries_from_raw(session.connection().execute(stmt), today)


def summaries_from_raw(rows: Iterable[Any], today: date) -> list[ChildSummary]:
    """Rows of _SUMMARY_COLUMNS (dates and categories as text) as ChildSummary tuples.

    One loop with everything bound locally: at start-up this runs for every child on file.
    """
    iso = date.fromisoformat
    make = tuple.__new__
    cls = ChildSummary
    categories = _categories
    this_year, this_day = today.year, (today.month, today.day)
    out: list[ChildSummary] = []
    append = out.append
    for (id_, name, sex, birth_text, cats, risk, visit, due, contact, archived, division, id_number, initials, pinyin,
         registered, age_out) in rows:
        if birth_text:
            birth: date | None = iso(birth_text)
            age: int | None = this_year - birth.year - (this_day < (birth.month, birth.day))  # type: ignore[union-attr]
        else:
            birth = age = None
        append(make(cls, (
            id_, name, sex, birth, age, categories(cats), risk,
            iso(visit) if visit else None, iso(due) if due else None, iso(contact) if contact else None,
            bool(archived), division, id_number, initials, pinyin,
            iso(registered) if registered else None, iso(age_out) if age_out else None,
        )))
    return out


def count_children(session: Session, query: ChildQuery) -> int:
    today = query.today or date.today()
    return int(session.execute(select(func.count()).select_from(Child).where(*child_conditions(query, today))).scalar_one())


@dataclass
class ChildFile:
    """Everything on file for one child, newest first in every list."""

    child: Child
    father: FamilyMember | None
    mother: FamilyMember | None
    others: list[FamilyMember]
    care: CareArrangement | None
    visits: list[Visit]
    contacts: list[ParentContact]
    assessments: list[Assessment]
    benefits: list[Benefit]
    attachments: list[Attachment]
    cases: list[Case]


def _rows(session: Session, cls: Any, child_id: str, order: Any) -> list[Any]:
    stmt = select(cls).where(cls.child_id == child_id, cls.deleted == False).order_by(order.desc())  # noqa: E712
    return list(session.scalars(stmt))


def child_file(session: Session, child: Child) -> ChildFile:
    family = _rows(session, FamilyMember, child.id, col(FamilyMember.id))
    cares = _rows(session, CareArrangement, child.id, col(CareArrangement.start_date))
    return ChildFile(
        child=child,
        father=next((m for m in family if m.relation == "father"), None),
        mother=next((m for m in family if m.relation == "mother"), None),
        others=[m for m in family if m.relation not in ("father", "mother")],
        care=cares[0] if cares else None,
        visits=_rows(session, Visit, child.id, col(Visit.visit_date)),
        contacts=_rows(session, ParentContact, child.id, col(ParentContact.contact_date)),
        assessments=_rows(session, Assessment, child.id, col(Assessment.assessed_on)),
        benefits=_rows(session, Benefit, child.id, col(Benefit.start_month)),
        attachments=_rows(session, Attachment, child.id, col(Attachment.filename)),
        cases=_rows(session, Case, child.id, col(Case.opened_on)),
    )


@dataclass(frozen=True)
class HistoryEntry:
    hlc: str
    at_ms: int
    entity: str
    row_id: str
    field: str
    old: Any
    new: Any
    actor: str
    device_id: str
    origin: str


def history(session: Session, pairs: list[tuple[str, str]]) -> list[HistoryEntry]:
    """Every field write to the given rows, oldest first, each with the value it replaced."""
    if not pairs:
        return []
    stmt = (
        select(ChangeLogEntry)
        .where(or_(*[and_(col(ChangeLogEntry.entity) == e, col(ChangeLogEntry.row_id) == r) for e, r in pairs]))
        .order_by(col(ChangeLogEntry.hlc))
    )
    last: dict[tuple[str, str, str], Any] = {}
    out: list[HistoryEntry] = []
    for entry in session.scalars(stmt):
        key = (entry.entity, entry.row_id, entry.field)
        old = last.get(key)
        last[key] = entry.value
        out.append(
            HistoryEntry(
                hlc=entry.hlc,
                at_ms=int(entry.hlc[:13]),
                entity=entry.entity,
                row_id=entry.row_id,
                field=entry.field,
                old=old,
                new=entry.value,
                actor=entry.actor,
                device_id=entry.device_id,
                origin=entry.origin,
            )
        )
    return out
