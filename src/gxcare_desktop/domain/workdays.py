"""Working days for approval deadlines: weekends, public holidays and adjusted working days (调休)."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..paths import resource_path
from .errors import ValidationError
from .text import Text


@dataclass(frozen=True)
class HolidayCalendar:
    """Days off besides weekends, and weekend days that are working days.

    years lists the years the data covers; outside them only weekends count as days off.
    """

    holidays: frozenset[date]
    extra_workdays: frozenset[date]
    years: frozenset[int] = frozenset()

    def covers(self, day: date) -> bool:
        return day.year in self.years


def _calendar_error(problem: object) -> ValidationError:
    return ValidationError(
        "holidays",
        Text("节假日数据有误：{p}", "the holiday calendar data is wrong: {p}").format(p=problem),
        field_label=Text("节假日安排", "Holiday calendar"),
    )


def parse_calendar(data: Mapping[str, Any]) -> HolidayCalendar:
    """Read the holidays_cn.json structure; refuse a day that is both a holiday and a workday."""
    holidays: set[date] = set()
    workdays: set[date] = set()
    try:
        for period in data["holidays"]:
            first, last = date.fromisoformat(period["from"]), date.fromisoformat(period["to"])
            if last < first or (last - first).days > 30:
                raise _calendar_error(f"{period['from']}..{period['to']}")
            holidays.update(first + timedelta(days=i) for i in range((last - first).days + 1))
        for entry in data["extra_workdays"]:
            day = date.fromisoformat(entry["date"])
            if day.weekday() < 5:
                raise _calendar_error(f"{entry['date']} is not a weekend day")
            workdays.add(day)
        years = frozenset(int(y) for y in data.get("years", ()))
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, ValidationError):
            raise
        raise _calendar_error(exc) from exc
    both = holidays & workdays
    if both:
        raise _calendar_error(", ".join(sorted(d.isoformat() for d in both)))
    return HolidayCalendar(frozenset(holidays), frozenset(workdays), years)


@functools.cache
def _load(path: Path) -> HolidayCalendar:
    with open(path, encoding="utf-8") as f:
        return parse_calendar(json.load(f))


def load_calendar(path: Path | None = None) -> HolidayCalendar:
    """The holiday calendar shipped in resources/data/holidays_cn.json (or the file given)."""
    return _load(path or resource_path("data", "holidays_cn.json"))


def is_working_day(d: date, cal: HolidayCalendar) -> bool:
    if d in cal.extra_workdays:
        return True
    return d.weekday() < 5 and d not in cal.holidays


def add_working_days(start: date, n: int, cal: HolidayCalendar) -> date:
    """The n-th working day after start (start itself not counted); n=0 gives start.

    A deadline of "10 working days" from an application on `start` ends on this day.
    """
    if n < 0:
        raise ValueError(f"n must not be negative, got {n}")
    step = timedelta(days=1)
    remaining = n
    day = start
    while remaining:
        day += step
        if is_working_day(day, cal):
            remaining -= 1
    return day


def working_days_between(a: date, b: date, cal: HolidayCalendar) -> int:
    """Working days d with a < d <= b (negative when b is before a).

    The inverse of add_working_days: working_days_between(s, add_working_days(s, n)) == n.
    """
    if b < a:
        return -working_days_between(b, a, cal)
    # Whole weeks hold five weekdays each; correct them with the calendar's exceptions.
    days = (b - a).days
    weeks, extra = divmod(days, 7)
    count = weeks * 5
    for i in range(1, extra + 1):
        if (a + timedelta(days=i)).weekday() < 5:
            count += 1
    for holiday in cal.holidays:
        if a < holiday <= b and holiday.weekday() < 5 and holiday not in cal.extra_workdays:
            count -= 1
    for workday in cal.extra_workdays:
        if a < workday <= b and workday.weekday() >= 5:
            count += 1
    return count
