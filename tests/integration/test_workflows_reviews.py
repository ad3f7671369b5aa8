"""Review queue: submit, approve, return with a comment, correct and resubmit as a new round; roles."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from gxcare_desktop.domain.enums import ReviewStatus, Role
from gxcare_desktop.domain.errors import ValidationError
from gxcare_desktop.ledger import Ledger
from gxcare_desktop.ledger import workflows as wf
from tests.conftest import OTHER_VILLAGE, TOWNSHIP, VILLAGE
from tests.helpers import child_fields
from tests.integration._workflow_support import carry, make_ledger


@pytest.fixture
def supervisor(tmp_path: Path) -> Iterator[Ledger]:
    ledger = make_ledger(tmp_path, "township", TOWNSHIP, Role.TOWNSHIP_SUPERVISOR, "黄督导")
    yield ledger
    ledger.close()


def test_director_submits_supervisor_returns_director_resubmits_supervisor_approves(ledger: Ledger, supervisor: Ledger) -> None:
    child, review = wf.register_child(ledger, comment="新发现的留守儿童", **child_fields())
    assert review.status == ReviewStatus.SUBMITTED and review.round == 1
    assert wf.review_queue(ledger) == []  # a director has no queue

    carry(ledger, supervisor)
    queue = wf.review_queue(supervisor)
    assert [(r.child_name, r.kind, r.round, r.submit_note) for r in queue] == [("韦小明", "new_file", 1, "新发现的留守儿童")]

    with pytest.raises(ValidationError) as refused:
        wf.decide_review(supervisor, queue[0].review_id, approve=False, comment="  ")
    assert refused.value.field == "comment"
    wf.decide_review(supervisor, queue[0].review_id, approve=False, comment="请补充学校名称")
    assert wf.review_queue(supervisor) == []

    carry(supervisor, ledger)
    mine = wf.submissions(ledger)
    assert [(r.status, r.comment, r.decided_by) for r in mine] == [("returned", "请补充学校名称", "黄督导")]
    ledger.update_child(child.id, school_name="白山镇中心小学")
    second = wf.resubmit(ledger, mine[0].review_id, comment="已补充")
    assert second.round == 2

    carry(ledger, supervisor)
    queue = wf.review_queue(supervisor)
    assert [(r.round, r.submit_note) for r in queue] == [(2, "已补充")]
    wf.decide_review(supervisor, queue[0].review_id, approve=True, comment="")

    carry(supervisor, ledger)
    rounds = wf.history_rows(ledger, child.id)
    assert [(r.round, r.status, r.submit_note, r.comment) for r in rounds] == [
        (1, "returned", "新发现的留守儿童", "请补充学校名称"),
        (2, "approved", "已补充", ""),
    ]
    assert [r.status for r in wf.review_history(supervisor, child.id)] == ["returned", "approved"]


def test_a_director_cannot_decide_and_a_request_is_not_submitted_twice(ledger: Ledger) -> None:
    child, review = wf.register_child(ledger, **child_fields())
    with pytest.raises(wf.NotAllowed):
        wf.decide_review(ledger, review.id, approve=True, comment="")
    with pytest.raises(ValidationError):
        wf.submit_for_review(ledger, child_id=child.id, kind="new_file")
    with pytest.raises(ValidationError):
        wf.submit_for_review(ledger, child_id=child.id, kind="no_such_kind")


def test_decided_requests_stay_decided_and_resubmission_needs_a_return(ledger: Ledger, supervisor: Ledger) -> None:
    # Ledger.create_child on a township ledger refuses even an explicit village (service.py
    # evaluates the default division eagerly), so files start on the village ledger here.
    child = ledger.create_child(**child_fields())
    carry(ledger, supervisor)
    review = wf.submit_for_review(supervisor, child_id=child.id, kind="new_file")
    with pytest.raises(ValidationError):
        wf.resubmit(supervisor, review.id)
    wf.decide_review(supervisor, review.id, approve=True, comment="")
    with pytest.raises(ValidationError):
        wf.decide_review(supervisor, review.id, approve=False, comment="again")
    # After an approval, a later request of the same kind starts again at round 1.
    _, change = wf.change_categories(supervisor, child.id, categories=["left_behind", "difficulty_poverty"])
    assert change.round == 1 and change.kind == "category_change"


def test_category_changes_and_exits_create_requests_and_no_carer_is_refused_here(ledger: Ledger) -> None:
    child = ledger.create_child(**child_fields())
    _, change = wf.change_categories(ledger, child.id, categories=["left_behind", "difficulty_poverty"], comment="家庭贫困")
    assert change.kind == "category_change"
    assert set(ledger.get_child(child.id).categories) == {"left_behind", "difficulty_poverty"}
    with pytest.raises(ValidationError) as refused:
        wf.change_categories(ledger, child.id, categories=["left_behind", "no_carer"])
    assert refused.value.field == "categories"
    archived, exit_review = wf.request_exit(ledger, child.id, reason="moved", on=date(2026, 9, 1))
    assert archived.archived and exit_review.kind == "exit"
    assert {r.kind for r in wf.submissions(ledger)} == {"category_change", "exit"}


def test_supervisor_decides_only_inside_the_jurisdiction(tmp_path: Path, supervisor: Ledger) -> None:
    far = make_ledger(tmp_path, "far", "450102001003", Role.VILLAGE_DIRECTOR, "李主任")
    try:
        child = far.create_child(**child_fields())
        review = wf.submit_for_review(far, child_id=child.id, kind="new_file")
        # Even if a row from outside arrived somehow, the supervisor's ledger refuses to decide it.
        with far.reading() as session:
            from sqlalchemy import select

            from gxcare_desktop.ledger.tables import ChangeLogEntry

            entries = list(session.scalars(select(ChangeLogEntry)))
        supervisor.apply_remote(
            [
                {"change_id": e.change_id, "entity": e.entity, "row_id": e.row_id, "division_code": e.division_code,
                 "field": e.field, "value": e.value, "hlc": e.hlc, "device_id": e.device_id}
                for e in entries
            ]
        )
        assert wf.review_queue(supervisor) == []
        with pytest.raises(wf.NotAllowed):
            wf.decide_review(supervisor, review.id, approve=True, comment="")
    finally:
        far.close()


def test_queue_lists_overdue_first_and_only_pending(tmp_path: Path, ledger: Ledger, supervisor: Ledger) -> None:
    other = make_ledger(tmp_path, "other", OTHER_VILLAGE, Role.VILLAGE_DIRECTOR, "覃主任")
    a = ledger.create_child(**child_fields(seq=21, name="韦一"))
    b = other.create_child(**child_fields(seq=22, name="韦二", sex="2"))
    wf.submit_for_review(ledger, child_id=a.id, kind="new_file", now=datetime(2026, 10, 20, 2, tzinfo=UTC))
    wf.apply_no_carer(other, child_id=b.id, now=datetime(2026, 9, 1, 2, tzinfo=UTC))
    carry(ledger, supervisor)
    carry(other, supervisor)
    other.close()
    queue = wf.review_queue(supervisor, today=date(2026, 10, 21))
    assert [(r.child_name, r.overdue) for r in queue] == [("韦二", True), ("韦一", False)]
    assert {r.division_code for r in queue} == {VILLAGE, OTHER_VILLAGE}


def test_files_never_submitted_are_listed_until_submitted(ledger: Ledger) -> None:
    plain = ledger.create_child(**child_fields(seq=61, name="蓝一"))
    wf.register_child(ledger, **child_fields(seq=62, name="蓝二", sex="2"))
    gone = ledger.create_child(**child_fields(seq=63, name="蓝三"))
    ledger.archive_child(gone.id, reason="moved", on=date(2026, 9, 1))
    assert wf.unsubmitted_files(ledger) == [(plain.id, "蓝一")]
    wf.submit_for_review(ledger, child_id=plain.id, kind="new_file")
    assert wf.unsubmitted_files(ledger) == []
