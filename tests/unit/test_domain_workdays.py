"""Working days across weekends, public holidays and adjusted working days (调休)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gxcare_desktop.domain.errors import ValidationError
from gxcare_desktop.domain.workdays import (
    HolidayCalendar,
    add_working_days,
    is_working_day,
    load_calendar,
    parse_calendar,
    working_days_between,
)


@pytest.fixture(scope="module")
def cal() -> HolidayCalendar:
    return load_calendar()


def test_calendar_covers_2024_to_2026(cal: HolidayCalendar) -> None:
    assert {2024, 2025, 2026} <= cal.years
    assert cal.covers(date(2025, 5, 1))
    assert not cal.holidays & cal.extra_workdays
    assert all(d.weekday() >= 5 for d in cal.extra_workdays)


def test_plain_weekend(cal: HolidayCalendar) -> None:
    friday = date(2025, 11, 14)
    assert is_working_day(friday, cal)
    assert not is_working_day(friday + timedelta(days=1), cal)
    assert not is_working_day(friday + timedelta(days=2), cal)
    assert add_working_days(friday, 1, cal) == date(2025, 11, 17)
    assert add_working_days(date(2025, 11, 15), 1, cal) == date(2025, 11, 17)
    assert add_working_days(friday, 0, cal) == friday
    assert add_working_days(friday, 10, cal) == date(2025, 11, 28)
    assert working_days_between(friday, date(2025, 11, 17), cal) == 1
    assert working_days_between(date(2025, 11, 17), friday, cal) == -1
    assert working_days_between(friday, friday, cal) == 0


def test_national_day_2025_with_adjusted_working_days(cal: HolidayCalendar) -> None:
    # 2025: 10-01..10-08 off; Sunday 09-28 and Saturday 10-11 are working days.
    assert is_working_day(date(2025, 9, 28), cal)
    assert is_working_day(date(2025, 10, 11), cal)
    assert all(not is_working_day(date(2025, 10, d), cal) for d in range(1, 9))
    assert is_working_day(date(2025, 10, 9), cal)
    # Friday 26 Sep + 1 working day is the adjusted Sunday.
    assert add_working_days(date(2025, 9, 26), 1, cal) == date(2025, 9, 28)
    # 30 Sep + 1 working day jumps the whole holiday.
    assert add_working_days(date(2025, 9, 30), 1, cal) == date(2025, 10, 9)
    # 9, 10, 11 (Sat, adjusted), 13, 14 ... a 5-day county confirmation from 30 Sep:
    assert add_working_days(date(2025, 9, 30), 5, cal) == date(2025, 10, 14)
    assert working_days_between(date(2025, 9, 30), date(2025, 10, 14), cal) == 5
    # A 10-working-day township verification applied for on 26 Sep 2025.
    assert add_working_days(date(2025, 9, 26), 10, cal) == date(2025, 10, 16)


def test_national_day_2026(cal: HolidayCalendar) -> None:
    assert is_working_day(date(2026, 9, 20), cal)
    assert is_working_day(date(2026, 10, 10), cal)
    assert not is_working_day(date(2026, 10, 7), cal)
    assert add_working_days(date(2026, 9, 30), 1, cal) == date(2026, 10, 8)


def test_spring_festival_2026(cal: HolidayCalendar) -> None:
    assert is_working_day(date(2026, 2, 14), cal)  # Saturday before the holiday
    assert not is_working_day(date(2026, 2, 23), cal)  # Monday inside it
    assert add_working_days(date(2026, 2, 13), 1, cal) == date(2026, 2, 14)
    assert add_working_days(date(2026, 2, 14), 1, cal) == date(2026, 2, 24)


def test_outside_the_data_only_weekends_count(cal: HolidayCalendar) -> None:
    assert not cal.covers(date(2030, 10, 1))
    assert is_working_day(date(2030, 10, 1), cal)  # a Tuesday, holiday unknown


def test_negative_count_is_refused(cal: HolidayCalendar) -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2025, 1, 1), -1, cal)


def test_custom_calendar_file(tmp_path: Path) -> None:
    data = {
        "years": [2027],
        "holidays": [{"name": "test", "from": "2027-01-04", "to": "2027-01-05"}],
        "extra_workdays": [{"name": "test", "date": "2027-01-09"}],
    }
    path = tmp_path / "holidays.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    own = load_calendar(path)
    assert own.holidays == frozenset({date(2027, 1, 4), date(2027, 1, 5)})
    assert add_working_days(date(2027, 1, 1), 1, own) == date(2027, 1, 6)
    assert working_days_between(date(2027, 1, 1), date(2027, 1, 10), own) == 4


@pytest.mark.parametrize(
    "data",
    [
        {"holidays": [], "extra_workdays": [{"date": "2025-10-08"}]},  # a Wednesday
        {
            "holidays": [{"from": "2025-10-01", "to": "2025-10-08"}],
            "extra_workdays": [{"date": "2025-10-04"}],
        },
        {"holidays": [{"from": "2025-10-08", "to": "2025-10-01"}], "extra_workdays": []},
        {"holidays": [{"from": "2025-10-01"}], "extra_workdays": []},
    ],
)
def test_bad_calendar_data_is_refused(data: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        parse_calendar(data)


_CAL = load_calendar()


@given(
    st.dates(min_value=date(2023, 6, 1), max_value=date(2027, 6, 1)),
    st.integers(min_value=0, max_value=60),
)
def test_between_inverts_add(start: date, n: int) -> None:
    end = add_working_days(start, n, _CAL)
    assert working_days_between(start, end, _CAL) == n
    assert n == 0 or is_working_day(end, _CAL)


@given(
    st.dates(min_value=date(2023, 6, 1), max_value=date(2027, 6, 1)),
    st.integers(min_value=-120, max_value=120),
)
def test_between_counts_day_by_day(a: date, offset: int) -> None:
    b = a + timedelta(days=offset)
    low, high = min(a, b), max(a, b)
    count = sum(
        is_working_day(low + timedelta(days=i), _CAL) for i in range(1, (high - low).days + 1)
    )
    assert working_days_between(a, b, _CAL) == (count if b >= a else -count)
