"""The reporter of a mandatory-report case: a village director's device receives it only as
that device wrote it (left out of pull pages, snapshots and the conflict list); supervisors and
county administrators receive it as any other field."""

from __future__ import annotations

from pydantic import TypeAdapter

from gxcare_desktop.domain.enums import Role
from gxcare_desktop.domain.hlc import Hlc
from gxcare_desktop.sync.protocol import ConflictRecord, JsonValue, PullResponse, SnapshotRow
from sync_server.accounts import create_user
from tests.server.support import DeviceClient, ServerApp, new_id, now_ms
from tests.server_fixtures import OTHER_VILLAGE, PASSWORD, VILLAGE

REPORTER = {"reporter_name", "reporter_phone"}
CASE: dict[str, JsonValue] = {
    "situation": "abandonment", "opened_on": "2026-11-02", "place": "白山村三组",
    "observed": "孩子独自在家三天", "reporter_name": "韦老师", "reporter_phone": "13877112233",
    "current_step": "monitoring",
}


def _colleague(server: ServerApp) -> DeviceClient:
    """A second village director of VILLAGE (another account, another PC)."""
    with server.session() as session:
        create_user(
            session, username="director_b", password=PASSWORD, role=Role.VILLAGE_DIRECTOR,
            division_code=VILLAGE, settings=server.settings,
        )
        session.commit()
    return server.enrol("director_b")


def _open_case(device: DeviceClient, village: str = VILLAGE) -> tuple[str, str]:
    child, case = new_id(), new_id()
    device.push(device.record("child", child, {"name": "韦小明"}, division=village))
    device.push(device.record("case", case, {"child_id": child, **CASE}, division=village))
    return child, case


def _pulled(device: DeviceClient, cursor: int = 0) -> tuple[dict[str, JsonValue], list[PullResponse]]:
    """The case fields a device's pull pages carry (the last value of each), and the pages."""
    pages, _ = device.pull_all(cursor)
    fields = {c.field: c.value for p in pages for c in p.changes if c.entity == "case"}
    return fields, pages


def _case_row(device: DeviceClient, case: str) -> SnapshotRow:
    return next(r for r in device.snapshot().rows if r.row_id == case)


def test_pull_sends_the_reporter_to_the_entering_device_and_reviewers_only(server: ServerApp) -> None:
    office = server.enrol("director", "office")
    _, case = _open_case(office)
    laptop = server.enrol("director", "laptop")  # the same director's other PC
    colleague = _colleague(server)
    for device in (laptop, colleague):
        fields, pages = _pulled(device)
        # Left out, not sent as null: a null would blank the value wherever it is held.
        assert REPORTER.isdisjoint(fields), fields
        assert fields["observed"] == "孩子独自在家三天" and fields["situation"] == "abandonment"
        assert not any(p.drop for p in pages)
    for device in (office, server.enrol("supervisor"), server.enrol("county")):
        fields, _ = _pulled(device)
        assert (fields["reporter_name"], fields["reporter_phone"]) == ("韦老师", "13877112233")
    # Another village of the township sees nothing of the case at all, as before.
    assert _pulled(server.enrol("director2"))[0] == {}
    assert server.field_value("case", case, "reporter_name") is not None


def test_pages_of_withheld_entries_still_move_the_cursor_as_before(server: ServerApp) -> None:
    office = server.enrol("director", "office")
    _, case = _open_case(office)
    colleague = _colleague(server)
    supervisor = server.enrol("supervisor")
    _, start = colleague.pull_all()
    assert supervisor.pull_all()[1] == start
    # Only withheld entries after `start`: two edits of the reporter's phone by the office.
    for phone in ("13877110000", "13877119999"):
        office.push([office.change("case", case, "reporter_phone", phone, division=VILLAGE)])
    # One entry per page: the colleague's pages are empty yet move exactly as the supervisor's.
    theirs, mine = supervisor.pull_all(start, limit=1)[0], colleague.pull_all(start, limit=1)[0]
    assert [(p.next_cursor, p.has_more) for p in mine] == [(p.next_cursor, p.has_more) for p in theirs]
    assert [p.next_cursor for p in mine] == [start + 1, start + 2]
    assert all(p.changes == [] and p.drop == [] for p in mine)
    assert [c.value for p in theirs for c in p.changes] == ["13877110000", "13877119999"]
    # A default page: one answer, at the server's position.
    page = colleague.pull(start)
    assert (page.changes, page.next_cursor, page.has_more) == ([], start + 2, False)


def test_a_page_mixing_withheld_and_sent_entries_keeps_its_order_and_cursor(server: ServerApp) -> None:
    office = server.enrol("director", "office")
    _, case = _open_case(office)
    colleague = _colleague(server)
    _, start = colleague.pull_all()
    office.push([
        office.change("case", case, "reporter_name", "覃老师", division=VILLAGE),
        office.change("case", case, "police_unit", "白山派出所", division=VILLAGE),
        office.change("case", case, "reporter_phone", "13877110000", division=VILLAGE),
    ])
    page = colleague.pull(start)
    assert [(c.field, c.seq) for c in page.changes] == [("police_unit", start + 2)]
    assert (page.next_cursor, page.has_more) == (start + 3, False)
    assert [c.field for c in office.pull(start).changes] == ["reporter_name", "police_unit", "reporter_phone"]


def test_snapshot_leaves_the_reporter_out_of_values_and_clocks(server: ServerApp) -> None:
    office = server.enrol("director", "office")
    _, case = _open_case(office)
    colleague = _colleague(server)
    laptop = server.enrol("director", "laptop")
    for device in (colleague, laptop):
        row = _case_row(device, case)
        assert REPORTER.isdisjoint(row.values) and REPORTER.isdisjoint(row.clocks)
        assert set(row.values) == set(row.clocks)
        assert row.values["observed"] == "孩子独自在家三天" and row.values["child_id"]
    for device in (office, server.enrol("supervisor"), server.enrol("county")):
        row = _case_row(device, case)
        assert (row.values["reporter_name"], row.values["reporter_phone"]) == ("韦老师", "13877112233")
        assert REPORTER <= set(row.clocks) and set(row.values) == set(row.clocks)


def test_the_rule_follows_the_device_that_wrote_the_current_value(server: ServerApp) -> None:
    """The supervisor corrects the phone: the office no longer receives it (it did not write
    that value) but still receives the name it wrote; the supervisor's own echo comes back."""
    office = server.enrol("director", "office")
    _, case = _open_case(office)
    _, start = office.pull_all()
    supervisor = server.enrol("supervisor")
    later = Hlc(now_ms() + 1000, 0, "sup").encode()  # later than anything the office wrote
    supervisor.push([supervisor.change("case", case, "reporter_phone", "0771-5550000", division=VILLAGE, hlc=later)])
    assert office.pull(start).changes == []
    row = _case_row(office, case)
    assert row.values["reporter_name"] == "韦老师" and "reporter_phone" not in row.values
    assert "reporter_phone" not in row.clocks
    assert _case_row(supervisor, case).values["reporter_phone"] == "0771-5550000"


def test_a_case_moved_to_another_village_arrives_there_without_the_reporter(server: ServerApp) -> None:
    """A move re-sends every field under the new village, each still marked with the device
    that wrote it, so the new village's director does not receive the reporter either."""
    office = server.enrol("director", "office")
    child, case = _open_case(office)
    supervisor = server.enrol("supervisor")
    later = Hlc(now_ms() + 1000, 0, "sup").encode()
    supervisor.push([supervisor.change("child", child, "division_code", OTHER_VILLAGE, division=VILLAGE, hlc=later)])
    there = server.enrol("director2")
    fields, _ = _pulled(there)
    assert fields["observed"] == "孩子独自在家三天" and fields["division_code"] == OTHER_VILLAGE
    assert REPORTER.isdisjoint(fields)
    row = _case_row(there, case)
    assert REPORTER.isdisjoint(row.values) and REPORTER.isdisjoint(row.clocks)
    assert _case_row(supervisor, case).values["reporter_name"] == "韦老师"


def _conflicts(server: ServerApp, device: DeviceClient) -> list[ConflictRecord]:
    response = server.client.get("/v1/sync/conflicts", headers=device.headers)
    assert response.status_code == 200, response.text
    return TypeAdapter(list[ConflictRecord]).validate_python(response.json())


def test_conflicts_over_the_reporter_are_left_out_of_a_directors_list(server: ServerApp) -> None:
    office = server.enrol("director", "office")
    _, case = _open_case(office)
    t = now_ms() + 1000  # both clocks later than the office's own writes of the case
    for field, late, early in (("reporter_name", "覃老师", "蓝老师"), ("observed", "三天", "两天")):
        office.push([office.change("case", case, field, late, division=VILLAGE, hlc=Hlc(t, 5, "b").encode())])
        office.push([office.change("case", case, field, early, division=VILLAGE, hlc=Hlc(t, 1, "a").encode())])
    for device in (office, _colleague(server)):
        listed = _conflicts(server, device)
        assert [(c.entity, c.field) for c in listed] == [("case", "observed")]
        assert (listed[0].winner_value, listed[0].loser_value) == ("三天", "两天")
    for device in (server.enrol("supervisor"), server.enrol("county")):
        values = {c.field: (c.winner_value, c.loser_value) for c in _conflicts(server, device)}
        assert values == {"reporter_name": ("覃老师", "蓝老师"), "observed": ("三天", "两天")}
