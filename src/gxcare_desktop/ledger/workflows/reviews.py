"""The review queue: village submissions (new files, category changes, exits) that a supervisor
approves or returns with a comment; a returned request is corrected and resubmitted as a new round."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlmodel import Session, col

from ...domain.enums import Category, ReviewStatus, Role
from ...domain.errors import ValidationError
from ...domain.records import Entity
from ...domain.text import Text
from ...domain.workdays import HolidayCalendar, add_working_days
from ..tables import ChangeLogEntry, Child, Review
from ._common import (
    NotAllowed,
    ReviewKind,
    ReviewStage,
    actor,
    calendar_or_default,
    is_supervisor,
    local_day,
    require_in_scope,
    require_role,
    utc_now,
)

if TYPE_CHECKING:
    from ..service import Ledger

# Working days the township has to verify a no-carer application (DOMAIN.md "Status approvals").
TOWNSHIP_DAYS = 10
COUNTY_DAYS = 5


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One review request as lists show it; the child's name only ever inside the jurisdiction."""

    review_id: str
    child_id: str
    child_name: str
    division_code: str
    kind: str
    status: str
    round: int
    stage: str
    submitted_by: str
    submitted_at: datetime | None
    decided_by: str
    decided_at: datetime | None
    comment: str
    submit_note: str
    due_on: date | None
    overdue: bool


def _field_error(field: str, zh: str, en: str) -> ValidationError:
    return ValidationError(field, Text(zh, en), field_label=Text("审核", "Review"))


def _chain(session: Session, child_id: str, kind: str) -> list[Review]:
    """Every round of requests of one kind for one child, oldest first."""
    return list(
        session.scalars(
            select(Review)
            .where(col(Review.child_id) == child_id, col(Review.kind) == kind, col(Review.deleted) == False)  # noqa: E712
            .order_by(col(Review.submitted_at), col(Review.round))
        )
    )


def _next_round(rounds: list[Review]) -> int:
    """Round 1 after an approval (or at first); one more after each return."""
    count = 0
    for review in rounds:
        if review.status == ReviewStatus.APPROVED:
            count = 0
        elif review.status == ReviewStatus.RETURNED:
            count = review.round or count + 1
    return count + 1


def submit_for_review(
    ledger: Ledger,
    *,
    child_id: str,
    kind: ReviewKind | str,
    comment: str = "",
    now: datetime | None = None,
    calendar: HolidayCalendar | None = None,
) -> Review:
    """File a request for the township to check; a no-carer application gets its 10-working-day deadline."""
    try:
        kind = ReviewKind.parse(kind)
    except ValueError:
        raise _field_error("kind", f"未知的审核类别：{kind}", f"Unknown kind of review: {kind}") from None
    moment = utc_now(now)
    with ledger.unit_of_work() as session:
        child = ledger.get_child(child_id)
        require_in_scope(ledger, child.division_code)
        rounds = _chain(session, child_id, kind.value)
        if any(r.status == ReviewStatus.SUBMITTED for r in rounds):
            raise _field_error(
                "kind", "这项申请正在审核中，请等待审核结果。", "This request is already waiting for review."
            )
        due = (
            add_working_days(local_day(moment), TOWNSHIP_DAYS, calendar_or_default(calendar))
            if kind is ReviewKind.NO_CARER
            else None
        )
        review: Review = ledger.create_record(
            Entity.REVIEW,
            child_id=child_id,
            kind=kind.value,
            status=ReviewStatus.SUBMITTED.value,
            round=_next_round(rounds),
            submitted_by=actor(ledger),
            submitted_at=moment,
            comment=comment,
            stage=ReviewStage.TOWNSHIP.value,
            due_on=due,
        )
        return review


def resubmit(ledger: Ledger, review_id: str, *, comment: str = "", now: datetime | None = None,
             calendar: HolidayCalendar | None = None) -> Review:
    """After correcting a returned file: the same request again, as the next round."""
    with ledger.reading() as session:
        review = session.get(Review, review_id)
        if review is None or review.deleted:
            raise _field_error("review", "找不到该审核记录。", "No such review.")
        if review.status != ReviewStatus.RETURNED:
            raise _field_error("status", "只有被退回的申请才能重新提交。", "Only a returned request can be resubmitted.")
    return submit_for_review(ledger, child_id=review.child_id, kind=review.kind, comment=comment, now=now, calendar=calendar)


def decide_review(
    ledger: Ledger,
    review_id: str,
    *,
    approve: bool,
    comment: str,
    now: datetime | None = None,
    calendar: HolidayCalendar | None = None,
) -> Review:
    """Approve or return a request. Returning needs a comment saying what to correct.

    Only a supervisor within the ledger's jurisdiction decides; a county-stage request only the
    county. A township approval of a no-carer application passes it to the county (5 working
    days); the county's confirmation adds the category and the allowance from the next month.
    """
    require_role(ledger, Role.TOWNSHIP_SUPERVISOR, Text("审核", "decide reviews"))
    comment = (comment or "").strip()
    if not approve and not comment:
        raise _field_error("comment", "退回时请写明需要更正的内容。", "Say what to correct when returning a file.")
    moment = utc_now(now)
    with ledger.unit_of_work() as session:
        review = session.get(Review, review_id)
        if review is None or review.deleted:
            raise _field_error("review", "找不到该审核记录。", "No such review.")
        require_in_scope(ledger, review.division_code)
        if review.status != ReviewStatus.SUBMITTED:
            raise _field_error("status", "该申请已经审核过了。", "This request has already been decided.")
        if review.stage == ReviewStage.COUNTY and ledger.role is not Role.COUNTY_ADMIN:
            raise NotAllowed(Text("这一步由县级民政确认。", "The county confirms this step."))
        decided: Review = ledger.update_record(
            Entity.REVIEW,
            review_id,
            status=(ReviewStatus.APPROVED if approve else ReviewStatus.RETURNED).value,
            decided_by=actor(ledger),
            decided_at=moment,
            comment=comment,
        )
        if approve and decided.kind == ReviewKind.NO_CARER:
            from .approvals import advance_no_carer

            advance_no_carer(ledger, decided, moment=moment, calendar=calendar_or_default(calendar))
        return decided


def _submit_notes(session: Session, review_ids: list[str]) -> dict[str, str]:
    """The submitter's note is the first value of `comment` (the decision overwrites it)."""
    if not review_ids:
        return {}
    notes: dict[str, str] = {}
    rows = session.execute(
        select(col(ChangeLogEntry.row_id), col(ChangeLogEntry.value))
        .where(
            col(ChangeLogEntry.entity) == Entity.REVIEW.value,
            col(ChangeLogEntry.field) == "comment",
            col(ChangeLogEntry.row_id).in_(review_ids),
        )
        .order_by(col(ChangeLogEntry.hlc))
    )
    for row_id, value in rows:
        notes.setdefault(row_id, value or "")
    return notes


def _rows(session: Session, reviews: list[Review], today: date) -> list[ReviewRow]:
    names = dict(
        session.execute(
            select(col(Child.id), col(Child.name)).where(col(Child.id).in_({r.child_id for r in reviews}))
        ).all()
    ) if reviews else {}
    notes = _submit_notes(session, [r.id for r in reviews])
    return [
        ReviewRow(
            review_id=r.id,
            child_id=r.child_id,
            child_name=names.get(r.child_id, ""),
            division_code=r.division_code,
            kind=r.kind,
            status=r.status,
            round=r.round or 1,
            stage=r.stage or ReviewStage.TOWNSHIP.value,
            submitted_by=r.submitted_by,
            submitted_at=r.submitted_at,
            decided_by=r.decided_by,
            decided_at=r.decided_at,
            comment=r.comment if r.status != ReviewStatus.SUBMITTED else "",
            submit_note=notes.get(r.id, r.comment if r.status == ReviewStatus.SUBMITTED else ""),
            due_on=r.due_on,
            overdue=r.status == ReviewStatus.SUBMITTED and r.due_on is not None and today > r.due_on,
        )
        for r in reviews
    ]


def _in_scope(ledger: Ledger) -> Any:
    return col(Review.division_code).startswith(ledger.village_code)


def review_queue(ledger: Ledger, *, today: date | None = None) -> list[ReviewRow]:
    """Requests waiting for this ledger's decision, overdue first, then oldest first.

    A township supervisor sees township-stage requests; a county administrator both stages.
    A village director has no queue.
    """
    if not is_supervisor(ledger):
        return []
    today = today or local_day(utc_now())
    stages = [ReviewStage.TOWNSHIP.value]
    if ledger.role is Role.COUNTY_ADMIN:
        stages.append(ReviewStage.COUNTY.value)
    with ledger.reading() as session:
        reviews = list(
            session.scalars(
                select(Review).where(
                    col(Review.status) == ReviewStatus.SUBMITTED.value,
                    col(Review.deleted) == False,  # noqa: E712
                    col(Review.stage).in_(stages),
                    _in_scope(ledger),
                )
            )
        )
        rows = _rows(session, reviews, today)
    return sorted(rows, key=lambda r: (not r.overdue, r.due_on or date.max, r.submitted_at or datetime.min))


def review_history(ledger: Ledger, child_id: str) -> list[Review]:
    """Every round of every request for one child, oldest first."""
    with ledger.reading() as session:
        return list(
            session.scalars(
                select(Review)
                .where(col(Review.child_id) == child_id, col(Review.deleted) == False, _in_scope(ledger))  # noqa: E712
                .order_by(col(Review.submitted_at), col(Review.round))
            )
        )


def history_rows(ledger: Ledger, child_id: str, *, today: date | None = None) -> list[ReviewRow]:
    """review_history as rows, with the submitter's note of each round."""
    today = today or local_day(utc_now())
    reviews = review_history(ledger, child_id)
    with ledger.reading() as session:
        return _rows(session, reviews, today)


def submissions(ledger: Ledger, *, today: date | None = None) -> list[ReviewRow]:
    """The latest round of each request of the jurisdiction (a director's view): returned first."""
    today = today or local_day(utc_now())
    with ledger.reading() as session:
        reviews = list(
            session.scalars(
                select(Review)
                .where(col(Review.deleted) == False, _in_scope(ledger))  # noqa: E712
                .order_by(col(Review.submitted_at), col(Review.round))
            )
        )
        latest: dict[tuple[str, str], Review] = {}
        for review in reviews:
            latest[(review.child_id, review.kind)] = review
        rows = _rows(session, list(latest.values()), today)
    order = {ReviewStatus.RETURNED.value: 0, ReviewStatus.SUBMITTED.value: 1}
    return sorted(rows, key=lambda r: (order.get(r.status, 2), -(r.submitted_at or datetime.min).timestamp()))


def unsubmitted_files(ledger: Ledger) -> list[tuple[str, str]]:
    """(child id, name) of files on record that were never sent for review (made before the
    review workflow, or by a screen that saved the file without submitting it)."""
    with ledger.reading() as session:
        submitted = select(col(Review.child_id)).where(
            col(Review.kind) == ReviewKind.NEW_FILE.value, col(Review.deleted) == False  # noqa: E712
        )
        rows = session.execute(
            select(col(Child.id), col(Child.name))
            .where(
                col(Child.deleted) == False,  # noqa: E712
                col(Child.archived) == False,  # noqa: E712
                col(Child.division_code).startswith(ledger.village_code),
                col(Child.id).not_in(submitted),
            )
            .order_by(col(Child.name_pinyin))
        ).all()
    return [(child_id, name) for child_id, name in rows]


# ---- the village-side changes that need a review ------------------------------------------------


def register_child(ledger: Ledger, *, comment: str = "", now: datetime | None = None, **fields: Any) -> tuple[Child, Review]:
    """A new child file and its review request, in one transaction."""
    with ledger.unit_of_work():
        child = ledger.create_child(**fields)
        review = submit_for_review(ledger, child_id=child.id, kind=ReviewKind.NEW_FILE, comment=comment, now=now)
        return child, review


def change_categories(
    ledger: Ledger, child_id: str, *, categories: list[str], comment: str = "", now: datetime | None = None
) -> tuple[Child, Review]:
    """Change a child's categories and ask the township to check the change.

    事实无人抚养 is granted only through its approval chain (`approvals.apply_no_carer`).
    """
    current = set(ledger.get_child(child_id).categories or [])
    if Category.NO_CARER.value in set(categories) - current:
        raise ValidationError(
            "categories",
            Text("事实无人抚养儿童须经乡镇审核、县级确认，请走认定申请。",
                 "No-carer status needs township verification and county confirmation: file an application."),
            field_label=Text("儿童类别", "Categories"),
        )
    with ledger.unit_of_work():
        child = ledger.update_child(child_id, categories=categories)
        review = submit_for_review(ledger, child_id=child_id, kind=ReviewKind.CATEGORY_CHANGE, comment=comment, now=now)
        return child, review


def request_exit(
    ledger: Ledger, child_id: str, *, reason: str, on: date, comment: str = "", now: datetime | None = None
) -> tuple[Child, Review]:
    """Archive a child (动态管理 exit) and ask the township to check it."""
    with ledger.unit_of_work():
        child = ledger.archive_child(child_id, reason=reason, on=on)
        review = submit_for_review(ledger, child_id=child_id, kind=ReviewKind.EXIT, comment=comment, now=now)
        return child, review
