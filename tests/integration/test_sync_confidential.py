"""The reporter of a mandatory-report case through a real server: other village ledgers never
receive it (neither by download nor by pull), the township does, the ledger it was entered on
keeps it, and a ledger that already holds it (as every village ledger did before the server
withheld it) keeps what it has when rows arrive without it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlmodel import Session

from gxcare_desktop.domain.enums import Role
from gxcare_desktop.ledger import Ledger
from gxcare_desktop.ledger import workflows as wf
from gxcare_desktop.ledger.tables import Case
from gxcare_desktop.sync.engine import sync_ledger
from sync_server.accounts import create_user
from sync_server.core.config import Settings
from tests.helpers import child_fields
from tests.integration._workflow_support import carry, make_ledger
from tests.integration.sync_support import assert_same, enrolled, ledger_state
from tests.server_fixtures import VILLAGE, ServerHandle, UserSpec

REPORTER = ("韦老师", "13877112233")


def add_director(server: ServerHandle, username: str) -> None:
    """Another village director of VILLAGE on the running server."""
    spec = UserSpec(username, Role.VILLAGE_DIRECTOR, VILLAGE)
    engine = create_engine(server.database_url)
    try:
        with Session(engine) as session:
            create_user(
                session, username=spec.username, password=spec.password, role=spec.role,
                division_code=spec.division_code, settings=Settings(database_url=server.database_url),
            )
            session.commit()
    finally:
        engine.dispose()
    server.users = (*server.users, spec)


def office_and_colleague(server: ServerHandle, tmp_path: Path) -> tuple[Ledger, Ledger]:
    """The office PC of the director who takes the report, and a colleague's PC in the same village."""
    add_director(server, "director_b")
    return enrolled(tmp_path, server, "director", name="office"), enrolled(tmp_path, server, "director_b")


def open_case(ledger: Ledger) -> str:
    child = ledger.create_child(**child_fields())
    case = wf.open_case(
        ledger, child_id=child.id, situation="abandonment", opened_on=date(2026, 11, 2), place="白山村三组",
        observed="孩子独自在家三天，无人照料", reporter_name=REPORTER[0], reporter_phone=REPORTER[1],
    )
    return case.id


def row_of(ledger: Ledger, entity: str, row_id: str) -> dict[str, Any]:
    """One row as a snapshot page carries it: its wire values and every field's clock."""
    state, hlcs = ledger_state(ledger)
    values = dict(state[(entity, row_id)])
    clocks = {f: c for (e, r, f), c in hlcs.items() if (e, r) == (entity, row_id)}
    return {"entity": entity, "row_id": row_id, "division_code": values["division_code"], "values": values,
            "clocks": clocks}


def village_ledger(tmp_path: Path, name: str) -> Ledger:
    return make_ledger(tmp_path, name, VILLAGE, Role.VILLAGE_DIRECTOR, "韦主任")


def stored(ledger: Ledger, case_id: str) -> tuple[str, str, str]:
    """What the ledger file holds (not what the screen shows): reporter name, phone, police unit."""
    with ledger.reading() as session:
        case = session.get(Case, case_id)
        assert case is not None
        return case.reporter_name, case.reporter_phone, case.police_unit


def test_the_village_receives_the_case_without_its_reporter_and_the_township_with_it(
    live_server_any: ServerHandle, tmp_path: Path
) -> None:
    server = live_server_any
    office, colleague = office_and_colleague(server, tmp_path)
    supervisor = enrolled(tmp_path, server, "supervisor")
    try:
        case_id = open_case(office)
        sync_ledger(office)
        assert sync_ledger(colleague).downloaded_rows >= 3  # the first sync: a download
        assert stored(colleague, case_id) == ("", "", "")
        assert "无人照料" in wf.get_case(colleague, case_id).observed  # the rest of the case arrives
        wf.record_police_report(office, case_id, reported_at=datetime(2026, 11, 2, 3, 0, tzinfo=UTC),
                                unit="白山派出所", receipt="BS-2026-118")
        office.update_record("case", case_id, reporter_phone="13877110000")
        sync_ledger(office)
        assert sync_ledger(colleague).pulled > 0  # later: a pull
        assert stored(colleague, case_id) == ("", "", "白山派出所")
        sync_ledger(supervisor)
        assert stored(supervisor, case_id) == (REPORTER[0], "13877110000", "白山派出所")
        assert wf.get_case(supervisor, case_id).reporter_name == REPORTER[0]
        sync_ledger(office)  # its own values come back as echoes and change nothing
        assert stored(office, case_id) == (REPORTER[0], "13877110000", "白山派出所")
        for ledger in (office, colleague, supervisor):
            assert_same(ledger, server)
    finally:
        for ledger in (office, colleague, supervisor):
            ledger.close()


def test_a_ledger_holding_the_reporter_keeps_it_when_rows_arrive_without_it(
    live_server_any: ServerHandle, tmp_path: Path
) -> None:
    server = live_server_any
    office, colleague = office_and_colleague(server, tmp_path)
    try:
        case_id = open_case(office)
        sync_ledger(office)
        # The colleague's ledger got the case whole before the server withheld the reporter.
        carry(office, colleague)
        assert stored(colleague, case_id) == (*REPORTER, "")
        wf.record_police_report(office, case_id, reported_at=datetime(2026, 11, 2, 3, 0, tzinfo=UTC),
                                unit="白山派出所", receipt="BS-2026-118")
        sync_ledger(office)
        # Its first sync downloads rows it has already: merged field by field, the missing
        # reporter left as it is, the newer police report taken.
        assert sync_ledger(colleague).downloaded_rows >= 3
        assert stored(colleague, case_id) == (*REPORTER, "白山派出所")
        office.update_record("case", case_id, reporter_phone="13877110000")
        sync_ledger(office)
        sync_ledger(colleague)
        assert stored(colleague, case_id) == (*REPORTER, "白山派出所")
    finally:
        office.close()
        colleague.close()


def test_rows_without_a_field_leave_it_as_the_ledger_has_it(tmp_path: Path) -> None:
    """apply_snapshot itself: a row on file keeps a field its incoming row lacks (even against
    newer clocks on the other fields); a new row gets the column's default for it."""
    source = village_ledger(tmp_path, "source")
    target = village_ledger(tmp_path, "target")
    try:
        case_id = open_case(source)
        carry(source, target)
        wf.record_police_report(source, case_id, reported_at=datetime(2026, 11, 2, 3, 0, tzinfo=UTC),
                                unit="白山派出所", receipt="BS-2026-118")
        rows = [row_of(source, "case", case_id)]
        for row in rows:
            for field in ("reporter_name", "reporter_phone"):
                del row["values"][field], row["clocks"][field]
        target.apply_snapshot(rows)
        assert stored(target, case_id) == (*REPORTER, "白山派出所")
        fresh = village_ledger(tmp_path, "fresh")
        try:
            fresh.apply_snapshot([row_of(source, "child", rows[0]["values"]["child_id"]), *rows])
            assert stored(fresh, case_id) == ("", "", "白山派出所")
        finally:
            fresh.close()
    finally:
        source.close()
        target.close()
