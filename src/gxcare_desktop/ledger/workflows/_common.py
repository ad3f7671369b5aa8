"""Shared pieces of the supervisor workflows: who may act, the acting user, clocks and the calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from ...domain.enums import LabeledEnum, Role
from ...domain.text import Text
from ...domain.workdays import HolidayCalendar, load_calendar
from ..errors import LedgerError

if TYPE_CHECKING:
    from ..service import Ledger

# How far down the division tree each role reaches: the length of its jurisdiction code.
SCOPE_LENGTH = {Role.VILLAGE_DIRECTOR: 12, Role.TOWNSHIP_SUPERVISOR: 9, Role.COUNTY_ADMIN: 6}
_CHINA_OFFSET = timedelta(hours=8)
_RANK = {Role.VILLAGE_DIRECTOR: 0, Role.TOWNSHIP_SUPERVISOR: 1, Role.COUNTY_ADMIN: 2}


class NotAllowed(LedgerError):
    """The ledger's role or jurisdiction does not allow this action."""


def rank(role: Role) -> int:
    return _RANK[role]


def is_supervisor(ledger: Ledger) -> bool:
    """Township supervisor or county administrator."""
    return rank(ledger.role) >= rank(Role.TOWNSHIP_SUPERVISOR)


def require_role(ledger: Ledger, minimum: Role, action: Text) -> None:
    if rank(ledger.role) < rank(minimum):
        raise NotAllowed(
            Text(
                f"{minimum.label.zh}及以上才能{action.zh}。",
                f"Only a {minimum.label.en.lower()} or above can {action.en}.",
            )
        )


def require_in_scope(ledger: Ledger, division_code: str) -> None:
    """Names and decisions never cross the ledger's jurisdiction."""
    if not division_code.startswith(ledger.village_code):
        raise NotAllowed(
            Text("该记录不在本台账的管辖范围内。", "That record is outside this ledger's jurisdiction.")
        )


def actor(ledger: Ledger) -> str:
    """The name written into submitted_by / decided_by: the account name, else the role."""
    return ledger.user_name or ledger.role.label.zh


def utc_now(now: datetime | None = None) -> datetime:
    """An aware UTC moment (the ledger's datetime columns insist on a zone); naive input is UTC."""
    moment = now or datetime.now(UTC)
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def local_day(moment: datetime) -> date:
    """The calendar day of a moment where the users are (UTC+8), for working-day deadlines."""
    return (utc_now(moment).replace(tzinfo=None) + _CHINA_OFFSET).date()


def calendar_or_default(calendar: HolidayCalendar | None) -> HolidayCalendar:
    return calendar if calendar is not None else load_calendar()


class ReviewKind(LabeledEnum):
    """What a review request asks the supervisor to check (stored in review.kind)."""

    NEW_FILE = "new_file", "新建档案", "New child file"
    CATEGORY_CHANGE = "category_change", "类别变更", "Category change"
    EXIT = "exit", "退出（归档）", "Exit (archive)"
    NO_CARER = "no_carer", "事实无人抚养认定", "No-carer status application"


class ReviewStage(LabeledEnum):
    """Who decides a review: the township verifies, the county confirms (review.stage)."""

    TOWNSHIP = "township", "乡镇审核", "Township verification"
    COUNTY = "county", "县级确认", "County confirmation"
