"""End to end through a real server on loopback: a director submits a file offline and syncs; the
supervisor syncs and returns it with a comment; the director sees the comment, corrects and
resubmits; the supervisor approves; the director, the supervisor, the county and the server agree."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from gxcare_desktop.domain.enums import Role
from gxcare_desktop.ledger import Ledger
from gxcare_desktop.ledger import workflows as wf
from gxcare_desktop.sync.client import SyncClient
from gxcare_desktop.sync.engine import enrol, sync_ledger
from tests.conftest import PASSWORD as LEDGER_PASSWORD
from tests.helpers import child_fields
from tests.server_fixtures import COUNTY, PASSWORD, TOWNSHIP, VILLAGE, ServerHandle, live_server  # noqa: F401

_REVIEW_FIELDS = ("child_id", "kind", "status", "round", "submitted_by", "decided_by", "comment", "stage")


def _ledger(tmp_path: Path, name: str, code: str, role: Role) -> Ledger:
    ledger, _ = Ledger.create(tmp_path / f"{name}.gxc", password=LEDGER_PASSWORD, village_code=code, role=role)
    return ledger


def _reviews(ledger: Ledger, child_id: str) -> list[tuple[Any, ...]]:
    return sorted(
        (r.id, *(getattr(r, f) for f in _REVIEW_FIELDS)) for r in wf.review_history(ledger, child_id)
    )


def _server_reviews(server: ServerHandle, username: str) -> list[tuple[Any, ...]]:
    """The review rows as the server holds them, read through its snapshot download."""
    token = server.enrol(username, "checker").token
    client = SyncClient(server.base_url, token=token)
    try:
        rows: list[tuple[Any, ...]] = []
        after: str | None = None
        while True:
            page = client.snapshot(after, 500)
            rows.extend(
                (row.row_id, *(row.values.get(f) for f in _REVIEW_FIELDS)) for row in page.rows if row.entity == "review"
            )
            if page.next_after is None:
                return sorted(rows)
            after = page.next_after
    finally:
        client.close()


def test_return_correct_resubmit_approve_through_the_server(tmp_path: Path, live_server: ServerHandle) -> None:  # noqa: F811
    director = _ledger(tmp_path, "director", VILLAGE, Role.VILLAGE_DIRECTOR)
    supervisor = _ledger(tmp_path, "supervisor", TOWNSHIP, Role.TOWNSHIP_SUPERVISOR)
    county = _ledger(tmp_path, "county", COUNTY, Role.COUNTY_ADMIN)
    try:
        # Offline: the file and its review request wait in the outbox.
        child, _ = wf.register_child(director, comment="新登记", **child_fields())
        assert director.pending_changes() > 0

        enrol(director, live_server.base_url, username="director", password=PASSWORD)
        enrol(supervisor, live_server.base_url, username="supervisor", password=PASSWORD)
        enrol(county, live_server.base_url, username="county", password=PASSWORD)
        assert supervisor.role is Role.TOWNSHIP_SUPERVISOR and supervisor.user_name == "supervisor"
        report = sync_ledger(director)
        assert report.rejected == [] and director.pending_changes() == 0

        sync_ledger(supervisor)
        queue = wf.review_queue(supervisor)
        # Submitted before the device was enrolled: no account name yet, so the role stands in.
        assert [(r.child_name, r.round, r.submitted_by) for r in queue] == [("韦小明", 1, "儿童主任")]
        wf.decide_review(supervisor, queue[0].review_id, approve=False, comment="请补充学校名称")
        assert sync_ledger(supervisor).rejected == []

        sync_ledger(director)
        returned = wf.submissions(director)
        assert [(r.status, r.comment, r.decided_by) for r in returned] == [("returned", "请补充学校名称", "supervisor")]
        director.update_child(child.id, school_name="白山镇中心小学")
        wf.resubmit(director, returned[0].review_id, comment="已补充学校名称")
        assert sync_ledger(director).rejected == []

        sync_ledger(supervisor)
        queue = wf.review_queue(supervisor)
        assert [(r.round, r.submit_note) for r in queue] == [(2, "已补充学校名称")]
        assert supervisor.get_child(child.id).school_name == "白山镇中心小学"
        wf.decide_review(supervisor, queue[0].review_id, approve=True, comment="")
        sync_ledger(supervisor)
        sync_ledger(director)
        sync_ledger(county)

        expected = _reviews(director, child.id)
        assert sorted((r[4], r[3]) for r in expected) == [(1, "returned"), (2, "approved")]
        assert _reviews(supervisor, child.id) == expected
        assert _reviews(county, child.id) == expected
        assert _server_reviews(live_server, "county") == expected
        assert wf.review_queue(supervisor) == [] and wf.review_queue(county) == []
        assert all(ledger.pending_changes() == 0 for ledger in (director, supervisor, county))
        assert county.get_child(child.id).school_name == "白山镇中心小学"
    finally:
        for ledger in (director, supervisor, county):
            ledger.close()


def test_a_case_opened_after_the_first_download_reaches_the_supervisor(
    tmp_path: Path, live_server: ServerHandle  # noqa: F811
) -> None:
    director = _ledger(tmp_path, "director", VILLAGE, Role.VILLAGE_DIRECTOR)
    supervisor = _ledger(tmp_path, "supervisor", TOWNSHIP, Role.TOWNSHIP_SUPERVISOR)
    try:
        enrol(director, live_server.base_url, username="director", password=PASSWORD)
        enrol(supervisor, live_server.base_url, username="supervisor", password=PASSWORD)
        child = director.create_child(**child_fields())
        sync_ledger(director)
        sync_ledger(supervisor)  # the first download: whole rows
        wf.open_case(director, child_id=child.id, situation="abandonment", opened_on=date(2026, 11, 2), place="",
                     observed="无人照料", reporter_name="韦老师")
        sync_ledger(director)
        sync_ledger(supervisor)  # a pull: field by field
        assert [c.reporter_name for c in wf.list_cases(supervisor)] == ["韦老师"]
    finally:
        director.close()
        supervisor.close()
