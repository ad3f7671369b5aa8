"""Mandatory-report cases: the five steps in order, police report first, closing with feedback,
the reporter hidden from other village ledgers, cases stuck at a step flagged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from gxcare_desktop.domain.enums import Role
from gxcare_desktop.domain.errors import ValidationError
from gxcare_desktop.ledger import Ledger
from gxcare_desktop.ledger import workflows as wf
from gxcare_desktop.ledger.tables import AuditEntry
from tests.conftest import PASSWORD, TOWNSHIP, VILLAGE
from tests.helpers import child_fields
from tests.integration._workflow_support import carry, make_ledger


@pytest.fixture
def supervisor(tmp_path: Path) -> Iterator[Ledger]:
    ledger = make_ledger(tmp_path, "township", TOWNSHIP, Role.TOWNSHIP_SUPERVISOR, "黄督导")
    yield ledger
    ledger.close()


def open_one(ledger: Ledger) -> tuple[str, str]:
    child = ledger.create_child(**child_fields())
    case = wf.open_case(
        ledger, child_id=child.id, situation="abandonment", opened_on=date(2026, 11, 2), place="白山村三组",
        observed="孩子独自在家三天，无人照料", reporter_name="韦老师", reporter_phone="13877112233",
    )
    return child.id, case.id


def test_a_case_through_all_five_steps_and_closed(ledger: Ledger, supervisor: Ledger) -> None:
    child_id, case_id = open_one(ledger)
    wf.record_police_report(ledger, case_id, reported_at=datetime(2026, 11, 2, 3, 0, tzinfo=UTC),
                            unit="马山县公安局白山派出所", receipt="BS-2026-118")
    with pytest.raises(wf.NotAllowed):  # the response steps are the township's
        wf.record_step(ledger, case_id, step="emergency", step_date=date(2026, 11, 2), actor_name="韦主任", actions="x")
    carry(ledger, supervisor)

    wf.record_step(supervisor, case_id, step="emergency", step_date=date(2026, 11, 2), actor_name="黄督导",
                   actions="临时安置到姑姑家", outcome="已安全")
    wf.record_step(supervisor, case_id, step="assessment", step_date=date(2026, 11, 5), actor_name="黄督导",
                   actions="入户评估，申请临时救助", outcome="监护缺失")
    with pytest.raises(ValidationError) as backwards:
        wf.record_step(supervisor, case_id, step="emergency", step_date=date(2026, 11, 6), actor_name="黄督导", actions="x")
    assert backwards.value.field == "step"
    wf.record_step(supervisor, case_id, step="intervention", step_date=date(2026, 11, 12), actor_name="民政局",
                   actions="委托姑姑照护，签订协议", outcome="委托照护落实")
    with pytest.raises(ValidationError):
        wf.close_case(supervisor, case_id, closed_on=date(2026, 11, 20), feedback=" ")
    wf.close_case(supervisor, case_id, closed_on=date(2026, 11, 20), feedback="已向报告人和派出所反馈")

    view = wf.get_case(supervisor, case_id, today=date(2026, 11, 25))
    assert [s.step for s in view.steps] == ["monitoring", "reporting", "emergency", "assessment", "intervention"]
    assert "马山县公安局白山派出所" in view.steps[1].actions and "BS-2026-118" in view.steps[1].actions
    assert view.closed and not view.flagged and view.feedback == "已向报告人和派出所反馈"
    assert view.police_receipt == "BS-2026-118" and view.current_step == "intervention"
    with pytest.raises(ValidationError):
        wf.record_step(supervisor, case_id, step="intervention", step_date=date(2026, 11, 21), actor_name="x", actions="x")

    carry(supervisor, ledger)
    assert wf.get_case(ledger, case_id).closed_on == date(2026, 11, 20)


def test_steps_need_the_police_report_first(ledger: Ledger, supervisor: Ledger) -> None:
    _, case_id = open_one(ledger)
    carry(ledger, supervisor)
    with pytest.raises(ValidationError) as refused:
        wf.record_step(supervisor, case_id, step="emergency", step_date=date(2026, 11, 3), actor_name="黄督导", actions="安置")
    assert refused.value.field == "police_reported_at"
    with pytest.raises(ValidationError):
        wf.close_case(supervisor, case_id, closed_on=date(2026, 11, 3), feedback="反馈")
    with pytest.raises(ValidationError):
        wf.record_step(supervisor, case_id, step="monitoring", step_date=date(2026, 11, 3), actor_name="x", actions="x")


def test_opening_needs_situation_observation_and_reporter(ledger: Ledger) -> None:
    child = ledger.create_child(**child_fields())
    for missing in ("situation", "observed", "reporter_name"):
        fields = {"situation": "abandonment", "observed": "情况", "reporter_name": "韦老师"} | {missing: ""}
        with pytest.raises(ValidationError) as refused:
            wf.open_case(ledger, child_id=child.id, opened_on=date(2026, 11, 2), place="", **fields)
        assert refused.value.field == missing
    with pytest.raises(ValidationError):
        wf.open_case(ledger, child_id=child.id, situation="not_a_situation", opened_on=date(2026, 11, 2),
                     place="", observed="x", reporter_name="韦老师")


def test_reporter_hidden_from_another_village_ledger_but_not_from_the_supervisor_or_where_entered(
    tmp_path: Path, ledger: Ledger, supervisor: Ledger
) -> None:
    _, case_id = open_one(ledger)
    assert wf.get_case(ledger, case_id).reporter_name == "韦老师"  # entered here: the director took the report
    carry(ledger, supervisor)
    seen = wf.get_case(supervisor, case_id)
    assert (seen.reporter_visible, seen.reporter_name, seen.reporter_phone) == (True, "韦老师", "13877112233")

    # A second device of the same village (a new director, a replacement PC) receives the case
    # by sync: the reporter stays hidden there.
    replacement = make_ledger(tmp_path, "replacement", VILLAGE, Role.VILLAGE_DIRECTOR, "覃主任")
    try:
        carry(supervisor, replacement)
        hidden = wf.get_case(replacement, case_id)
        assert (hidden.reporter_visible, hidden.reporter_name, hidden.reporter_phone) == (False, None, None)
        assert [c.reporter_name for c in wf.list_cases(replacement)] == [None]
        assert hidden.observed == seen.observed and "无人照料" in hidden.observed
    finally:
        replacement.close()
    # ...unless the user there is the reporter.
    teacher = make_ledger(tmp_path, "teacher", VILLAGE, Role.VILLAGE_DIRECTOR, "韦老师")
    try:
        carry(supervisor, teacher)
        assert wf.get_case(teacher, case_id).reporter_name == "韦老师"
    finally:
        teacher.close()


def test_viewing_a_case_is_audited(ledger: Ledger) -> None:
    _, case_id = open_one(ledger)
    wf.get_case(ledger, case_id)
    from sqlalchemy import select

    with ledger.reading() as session:
        views = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "view", AuditEntry.row_id == case_id)))
    assert [v.entity for v in views] == ["case"]
    assert ledger.verify_audit_chain().ok  # type: ignore[attr-defined]


def test_cases_sitting_at_a_step_too_long_are_flagged_with_a_configurable_limit(ledger: Ledger, ledger_path: Path) -> None:
    _, case_id = open_one(ledger)  # opened 2 November, still at 监测预防
    assert wf.step_limit(ledger) == wf.DEFAULT_STEP_MAX_DAYS == 7
    assert not wf.list_cases(ledger, today=date(2026, 11, 9))[0].flagged  # 7 days: not yet
    flagged = wf.list_cases(ledger, today=date(2026, 11, 10))[0]
    assert flagged.flagged and flagged.days_at_step == 8
    wf.record_police_report(ledger, case_id, reported_at=datetime(2026, 11, 9, 1, tzinfo=UTC), unit="派出所", receipt="1")
    assert not wf.list_cases(ledger, today=date(2026, 11, 10))[0].flagged  # moved on a step
    wf.set_step_limit(ledger, 30)
    assert not wf.list_cases(ledger, today=date(2026, 12, 1))[0].flagged
    with pytest.raises(ValidationError):
        wf.set_step_limit(ledger, 0)
    ledger.close()
    reopened = Ledger.open(ledger_path, password=PASSWORD)
    try:
        assert wf.step_limit(reopened) == 30
        assert wf.list_cases(reopened, today=date(2026, 12, 12))[0].flagged
        assert wf.list_cases(reopened, today=date(2026, 12, 12), include_closed=False)
    finally:
        reopened.close()
