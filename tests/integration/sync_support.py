"""Helpers for sync tests: enrolled ledgers on a real server, and the state each side holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from gxcare_desktop.domain.enums import Role
from gxcare_desktop.domain.records import RECORDS
from gxcare_desktop.ledger import Ledger
from gxcare_desktop.ledger import clocks as clock_codec
from gxcare_desktop.ledger.tables import TABLES
from gxcare_desktop.ledger.validation import to_wire
from gxcare_desktop.sync.client import SyncClient
from gxcare_desktop.sync.engine import SERVER_URL, enrol, sync_ledger
from tests.conftest import PASSWORD
from tests.helpers import child_fields
from tests.server_fixtures import PASSWORD as SERVER_PASSWORD
from tests.server_fixtures import ServerHandle

State = dict[tuple[str, str], dict[str, Any]]


def enrolled(tmp: Path, server: ServerHandle, username: str, *, url: str | None = None, name: str = "") -> Ledger:
    """A new ledger enrolled as `username`; `name` tells apart two PCs of the same user."""
    spec = server.user(username)
    ledger, _ = Ledger.create(
        tmp / f"{name or username}.gxc", password=PASSWORD, village_code=spec.division_code, role=Role(spec.role), user_name=username
    )
    enrol(ledger, url or server.base_url, username=username, password=SERVER_PASSWORD)
    return ledger


def school_conflict(tmp: Path, server: ServerHandle) -> tuple[Ledger, Ledger, Ledger, str]:
    """A village's office PC and laptop change one child's school differently while offline, then
    both sync: (office, laptop, the township supervisor's ledger, the child's id). Close all three."""
    office = enrolled(tmp, server, "director", name="office")
    laptop = enrolled(tmp, server, "director", name="laptop")
    supervisor = enrolled(tmp, server, "supervisor")
    child = office.create_child(**child_fields())
    sync_ledger(office)
    sync_ledger(laptop)
    office.update_child(child.id, school_name="白山镇中心小学")
    laptop.update_child(child.id, school_name="白山村小学")
    sync_ledger(office)
    sync_ledger(laptop)
    return office, laptop, supervisor, child.id


def point_at(ledger: Ledger, url: str) -> None:
    ledger.set_meta(SERVER_URL, url)


def ledger_state(ledger: Ledger) -> tuple[State, dict[tuple[str, str, str], str]]:
    """Every record the ledger holds, as wire values, and every field's clock."""
    rows: State = {}
    hlcs: dict[tuple[str, str, str], str] = {}
    with ledger.reading() as session:
        for entity, table in TABLES.items():
            fields = RECORDS[entity].fields
            for row in session.scalars(select(table)):
                rows[(entity.value, row.id)] = {f: to_wire(getattr(row, f)) for f in fields}
                for f, c in clock_codec.expand(row.clocks, fields).items():
                    hlcs[(entity.value, row.id, f)] = c
    return rows, hlcs


def server_state(server: ServerHandle, token: str) -> tuple[State, dict[tuple[str, str, str], str]]:
    """What the server holds in a device's jurisdiction, read through the snapshot endpoint."""
    client = SyncClient(server.base_url, token=token)
    rows: State = {}
    hlcs: dict[tuple[str, str, str], str] = {}
    after = None
    try:
        while True:
            page = client.snapshot(after, 500)
            for row in page.rows:
                rows[(row.entity, row.row_id)] = {**row.values, "division_code": row.division_code}
                for f, c in row.clocks.items():
                    hlcs[(row.entity, row.row_id, f)] = c
            if page.next_after is None:
                return rows, hlcs
            after = page.next_after
    finally:
        client.close()


def assert_same(ledger: Ledger, server: ServerHandle) -> None:
    """The ledger holds exactly the server's rows of its jurisdiction, field by field."""
    from gxcare_desktop.sync.engine import TOKEN

    token = ledger.meta(TOKEN)
    assert token
    theirs, their_clocks = server_state(server, token)
    mine, my_clocks = ledger_state(ledger)
    assert set(mine) == set(theirs), (set(mine) ^ set(theirs))
    for key, values in theirs.items():
        for field, value in values.items():
            assert mine[key].get(field) == value, (key, field, mine[key].get(field), value)
    for key, clock in their_clocks.items():
        assert my_clocks.get(key) == clock, (key, my_clocks.get(key), clock)
