"""事实无人抚养 approval chain: working-day deadlines across weekends and holidays, county
confirmation adding the category and the allowance from the following month."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from gxcare_desktop.domain import rules
from gxcare_desktop.domain.enums import Role
from gxcare_desktop.domain.errors import ValidationError
from gxcare_desktop.domain.workdays import load_calendar
from gxcare_desktop.ledger import Ledger
from gxcare_desktop.ledger import workflows as wf
from tests.conftest import TOWNSHIP
from tests.helpers import child_fields
from tests.integration._workflow_support import COUNTY, TEST_CALENDAR, carry, make_ledger

# 10:00 in Guangxi on Wednesday 23 September 2026.
APPLIED = datetime(2026, 9, 23, 2, 0, tzinfo=UTC)


@pytest.fixture
def chain(tmp_path: Path, ledger: Ledger) -> Iterator[tuple[Ledger, Ledger, Ledger]]:
    township = make_ledger(tmp_path, "township", TOWNSHIP, Role.TOWNSHIP_SUPERVISOR, "黄督导")
    county = make_ledger(tmp_path, "county", COUNTY, Role.COUNTY_ADMIN, "蓝科长")
    yield ledger, township, county
    township.close()
    county.close()


def eligible_child(ledger: Ledger) -> str:
    child = ledger.create_child(**child_fields(categories=[]))
    ledger.set_parent(child.id, "father", name="韦大山", condition="imprisoned")
    ledger.set_parent(child.id, "mother", name="蒙小花", condition="dead")
    return child.id


def test_township_deadline_skips_weekends_the_holiday_week_and_counts_the_adjusted_saturday(ledger: Ledger) -> None:
    child_id = eligible_child(ledger)
    review = wf.apply_no_carer(ledger, child_id=child_id, now=APPLIED, calendar=TEST_CALENDAR)
    # Thu 24, Fri 25, Mon 28, Tue 29, Wed 30 | 1–7 Oct off | Thu 8, Fri 9, Sat 10 (worked), Mon 12, Tue 13.
    assert review.due_on == date(2026, 10, 13)
    assert review.stage == "township"


def test_the_shipped_calendar_is_used_by_default(ledger: Ledger) -> None:
    child_id = eligible_child(ledger)
    review = wf.apply_no_carer(ledger, child_id=child_id, now=APPLIED)
    from gxcare_desktop.domain.workdays import add_working_days

    assert review.due_on == add_working_days(date(2026, 9, 23), 10, load_calendar())
    # The shipped 2026 calendar has 中秋 25–27 Sep and 国庆 1–7 Oct off and Sat 10 Oct worked.
    assert review.due_on == date(2026, 10, 14)


def test_local_day_decides_the_start_of_the_deadline(ledger: Ledger) -> None:
    child_id = eligible_child(ledger)
    # 23:30 UTC on Friday 2 October is Saturday morning in Guangxi: still the holiday week.
    review = wf.apply_no_carer(ledger, child_id=child_id, now=datetime(2026, 10, 2, 23, 30, tzinfo=UTC),
                               calendar=TEST_CALENDAR)
    # Thu 8, Fri 9, Sat 10, Mon 12, Tue 13, Wed 14, Thu 15, Fri 16, Mon 19, Tue 20.
    assert review.due_on == date(2026, 10, 20)


def test_full_chain_village_township_county_then_allowance_next_month(chain: tuple[Ledger, Ledger, Ledger]) -> None:
    village, township, county = chain
    child_id = eligible_child(village)
    wf.apply_no_carer(village, child_id=child_id, comment="父亲服刑，母亲去世", now=APPLIED, calendar=TEST_CALENDAR)
    carry(village, township)

    pending = wf.approval_rows(township, today=date(2026, 10, 9), calendar=TEST_CALENDAR)
    assert [(p.stage, p.due_on, p.working_days_left, p.overdue) for p in pending] == [
        ("township", date(2026, 10, 13), 3, False)  # Sat 10 (worked), Mon 12, Tue 13
    ]
    late = wf.approval_rows(township, today=date(2026, 10, 14), calendar=TEST_CALENDAR)
    assert late[0].overdue and late[0].working_days_left == -1
    assert wf.review_queue(township, today=date(2026, 10, 14))[0].overdue

    # Township verifies on Friday 9 October: the county has 5 working days (Sat 10 is worked).
    township_review = wf.review_queue(township)[0]
    with pytest.raises(wf.NotAllowed):
        wf.decide_review(village, township_review.review_id, approve=True, comment="")
    wf.decide_review(township, township_review.review_id, approve=True, comment="情况属实",
                     now=datetime(2026, 10, 9, 3, tzinfo=UTC), calendar=TEST_CALENDAR)
    assert wf.review_queue(township) == []  # the county stage is not the township's to decide
    county_rows = wf.approval_rows(township, today=date(2026, 10, 9), calendar=TEST_CALENDAR)
    assert [(r.stage, r.due_on) for r in county_rows] == [("county", date(2026, 10, 15))]
    with pytest.raises(wf.NotAllowed):
        wf.decide_review(township, county_rows[0].review_id, approve=True, comment="")

    carry(village, county)
    carry(township, county)
    queue = wf.review_queue(county)
    assert [(r.stage, r.child_name) for r in queue] == [("county", "韦小明")]
    assert "no_carer" not in county.get_child(child_id).categories  # nothing granted before confirmation
    wf.decide_review(county, queue[0].review_id, approve=True, comment="确认",
                     now=datetime(2026, 10, 20, 2, tzinfo=UTC), calendar=TEST_CALENDAR)

    child = county.get_child(child_id)
    assert "no_carer" in child.categories and "no_carer_allowance" in child.assistance
    benefits = wf.no_carer_benefits(county, child_id)
    assert [(b.start_month, Decimal(str(b.amount_monthly))) for b in benefits] == [
        ("2026-11", rules.subsidy_standard("no_carer", date(2026, 11, 1)))
    ]
    assert benefits[0].amount_monthly == 1022

    carry(county, village)
    assert "no_carer" in village.get_child(child_id).categories
    rounds = wf.history_rows(village, child_id)
    assert [(r.stage, r.status, r.decided_by) for r in rounds] == [
        ("township", "approved", "黄督导"),
        ("county", "approved", "蓝科长"),
    ]


def test_county_return_goes_back_to_the_village_as_a_new_round(chain: tuple[Ledger, Ledger, Ledger]) -> None:
    village, township, county = chain
    child_id = eligible_child(village)
    wf.apply_no_carer(village, child_id=child_id, now=APPLIED, calendar=TEST_CALENDAR)
    carry(village, township)
    wf.decide_review(township, wf.review_queue(township)[0].review_id, approve=True, comment="")
    carry(township, county)
    carry(village, county)
    wf.decide_review(county, wf.review_queue(county)[0].review_id, approve=False, comment="缺少服刑证明")
    carry(county, village)
    returned = [r for r in wf.submissions(village) if r.status == "returned"]
    assert [(r.stage, r.comment) for r in returned] == [("county", "缺少服刑证明")]
    again = wf.resubmit(village, returned[0].review_id, now=APPLIED, calendar=TEST_CALENDAR)
    assert (again.round, again.stage) == (2, "township")
    assert wf.no_carer_benefits(village, child_id) == []


def test_confirmation_of_an_ineligible_child_is_refused_and_nothing_is_written(chain: tuple[Ledger, Ledger, Ledger]) -> None:
    village, township, county = chain
    child = village.create_child(**child_fields())
    village.set_parent(child.id, "father", name="韦大山", condition="working_away")  # not eligible
    wf.apply_no_carer(village, child_id=child.id)
    carry(village, township)
    wf.decide_review(township, wf.review_queue(township)[0].review_id, approve=True, comment="")
    carry(township, county)
    carry(village, county)
    review_id = wf.review_queue(county)[0].review_id
    with pytest.raises(ValidationError):
        wf.decide_review(county, review_id, approve=True, comment="")
    assert wf.review_queue(county)[0].status == "submitted"
    assert wf.no_carer_benefits(county, child.id) == []


def test_an_already_confirmed_child_cannot_apply_again(ledger: Ledger) -> None:
    child_id = eligible_child(ledger)
    ledger.update_child(child_id, categories=["no_carer"])
    with pytest.raises(ValidationError):
        wf.apply_no_carer(ledger, child_id=child_id)


def test_following_month_rolls_over_the_year() -> None:
    assert wf.following_month(date(2026, 12, 31)) == date(2027, 1, 1)
    assert wf.following_month(date(2026, 1, 1)) == date(2026, 2, 1)
