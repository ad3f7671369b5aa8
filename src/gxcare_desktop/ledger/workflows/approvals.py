"""The 事实无人抚养 (no-carer) status chain: village application → township verification within
10 working days → county confirmation within 5 → category and allowance from the following month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlmodel import col

from ...domain import rules
from ...domain.enums import Assistance, Category, ReviewStatus
from ...domain.errors import ValidationError
from ...domain.records import Entity
from ...domain.text import Text
from ...domain.workdays import HolidayCalendar, add_working_days, working_days_between
from ..tables import Benefit, Child, Review
from ._common import ReviewKind, ReviewStage, actor, calendar_or_default, local_day, utc_now
from .reviews import COUNTY_DAYS, submit_for_review

if TYPE_CHECKING:
    from ..service import Ledger


@dataclass(frozen=True, slots=True)
class ApprovalRow:
    """One no-carer application still under way, with its step deadline."""

    review_id: str
    child_id: str
    child_name: str
    division_code: str
    stage: str
    round: int
    submitted_at: datetime | None
    due_on: date | None
    working_days_left: int | None  # negative once overdue
    overdue: bool


def apply_no_carer(
    ledger: Ledger,
    *,
    child_id: str,
    comment: str = "",
    now: datetime | None = None,
    calendar: HolidayCalendar | None = None,
) -> Review:
    """The village's application; the township must verify it within 10 working days."""
    child = ledger.get_child(child_id)
    if Category.NO_CARER.value in (child.categories or []):
        raise ValidationError(
            "categories",
            Text("该儿童已认定为事实无人抚养儿童。", "This child already has no-carer status."),
            field_label=Text("儿童类别", "Categories"),
        )
    return submit_for_review(
        ledger, child_id=child_id, kind=ReviewKind.NO_CARER, comment=comment, now=now, calendar=calendar
    )


def following_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def advance_no_carer(ledger: Ledger, review: Review, *, moment: datetime, calendar: HolidayCalendar) -> None:
    """After an approval (inside decide_review's transaction): pass to the county, or confirm."""
    decided_on = local_day(moment)
    if review.stage != ReviewStage.COUNTY:
        ledger.create_record(
            Entity.REVIEW,
            child_id=review.child_id,
            kind=ReviewKind.NO_CARER.value,
            status=ReviewStatus.SUBMITTED.value,
            round=review.round or 1,
            submitted_by=actor(ledger),
            submitted_at=moment,
            comment="",
            stage=ReviewStage.COUNTY.value,
            due_on=add_working_days(decided_on, COUNTY_DAYS, calendar),
        )
        return
    child = ledger.get_child(review.child_id)
    categories = list(child.categories or [])
    if Category.NO_CARER.value not in categories:
        categories.append(Category.NO_CARER.value)
    assistance = list(child.assistance or [])
    if Assistance.NO_CARER_ALLOWANCE.value not in assistance:
        assistance.append(Assistance.NO_CARER_ALLOWANCE.value)
    # update_child checks eligibility again: a child whose parents do not meet the conditions
    # cannot be confirmed, and the whole decision rolls back.
    ledger.update_child(review.child_id, categories=categories, assistance=assistance)
    start = following_month(decided_on)
    ledger.add_benefit(
        review.child_id,
        kind=Assistance.NO_CARER_ALLOWANCE.value,
        amount_monthly=float(rules.subsidy_standard("no_carer", start)),
        start_month=f"{start:%Y-%m}",
        notes=f"县级确认 {decided_on.isoformat()}（审核 {review.id}）",
    )


def approval_rows(ledger: Ledger, *, today: date | None = None,
                  calendar: HolidayCalendar | None = None) -> list[ApprovalRow]:
    """No-carer applications waiting at the township or the county, overdue first."""
    today = today or local_day(utc_now())
    cal = calendar_or_default(calendar)
    with ledger.reading() as session:
        rows = session.execute(
            select(Review, col(Child.name))
            .join(Child, col(Child.id) == col(Review.child_id))
            .where(
                col(Review.kind) == ReviewKind.NO_CARER.value,
                col(Review.status) == ReviewStatus.SUBMITTED.value,
                col(Review.deleted) == False,  # noqa: E712
                col(Review.division_code).startswith(ledger.village_code),
            )
        ).all()
    out = [
        ApprovalRow(
            review_id=review.id,
            child_id=review.child_id,
            child_name=name,
            division_code=review.division_code,
            stage=review.stage,
            round=review.round or 1,
            submitted_at=review.submitted_at,
            due_on=review.due_on,
            working_days_left=working_days_between(today, review.due_on, cal) if review.due_on else None,
            overdue=review.due_on is not None and today > review.due_on,
        )
        for review, name in rows
    ]
    return sorted(out, key=lambda r: (not r.overdue, r.due_on or date.max))


def no_carer_benefits(ledger: Ledger, child_id: str) -> list[Benefit]:
    with ledger.reading() as session:
        return list(
            session.scalars(
                select(Benefit).where(
                    col(Benefit.child_id) == child_id,
                    col(Benefit.kind) == Assistance.NO_CARER_ALLOWANCE.value,
                    col(Benefit.deleted) == False,  # noqa: E712
                )
            )
        )
