"""Property: any interleaving of offline edits and interrupted syncs by two village directors and
their township supervisor converges, and no write that should win is ever lost."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from gxcare_desktop.ledger import Ledger
from gxcare_desktop.ledger.tables import ChangeLogEntry
from gxcare_desktop.progress import Cancelled, CancelToken, Progress
from gxcare_desktop.sync.engine import SyncEngine, client_for
from tests.helpers import child_fields, name_for
from tests.integration.sync_support import assert_same, enrolled, server_state
from tests.server_fixtures import OTHER_VILLAGE, VILLAGE, fresh_database_url, running_server

USERS = ("director", "director2", "supervisor")
VALUES = ("甲", "乙", "丙", "丁")

step = st.one_of(
    st.tuples(st.just("create"), st.integers(0, 2), st.integers(0, 1)),
    st.tuples(st.just("edit"), st.integers(0, 2), st.integers(0, 50), st.sampled_from(("school_name", "notes")), st.sampled_from(VALUES)),
    st.tuples(st.just("sync"), st.integers(0, 2), st.integers(0, 3)),
)


def _sync(ledger: Ledger, interrupt_after: int) -> None:
    """A sync, cut after `interrupt_after` progress reports (0: run to the end)."""
    client = client_for(ledger, attempts=2)
    token = CancelToken()
    seen = {"n": 0}

    def progress(_: Progress) -> None:
        seen["n"] += 1
        if interrupt_after and seen["n"] >= interrupt_after:
            token.cancel()

    try:
        SyncEngine(ledger, client).sync(progress=progress, cancel=token)
    except Cancelled:
        pass
    finally:
        client.close()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=4, max_size=18))
def test_random_offline_edits_and_syncs_converge(steps: list[tuple[Any, ...]]) -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        with fresh_database_url("sqlite", tmp) as url, running_server(url, tmp) as server:
            devices = [enrolled(tmp, server, user) for user in USERS]
            created = 0
            for action, who, *args in steps:
                ledger = devices[who]
                if action == "create":
                    village = (VILLAGE, OTHER_VILLAGE)[args[0]] if who == 2 else ledger.village_code
                    ledger.create_child(**child_fields(name=name_for(created, "莫"), seq=created, division_code=village))
                    created += 1
                elif action == "edit":
                    children = ledger.list_children()
                    if children:
                        target = children[args[0] % len(children)]
                        ledger.update_child(target.id, **{args[1]: args[2] + name_for(args[0])})
                else:
                    _sync(ledger, args[0])
            for _ in range(2):  # everyone syncs twice: the second round brings the last pushes
                for ledger in devices:
                    _sync(ledger, 0)
            for ledger in devices:
                assert ledger.pending_changes() == 0
                assert_same(ledger, server)

            # No write that should win was lost: each field holds its highest-clock write, and
            # every write that lost with a different value is kept in the conflict log.
            writes: dict[tuple[str, str, str], list[tuple[str, Any, str]]] = {}
            for ledger in devices:
                with ledger.reading() as session:
                    for entry in session.scalars(select(ChangeLogEntry).where(ChangeLogEntry.origin == "local")):
                        writes.setdefault((entry.entity, entry.row_id, entry.field), []).append(
                            (entry.hlc, entry.value, entry.push_status)
                        )
            token = devices[2].meta("sync_device_token") or ""
            current, clocks = server_state(server, token)
            client = client_for(devices[2])
            try:
                answer = client.conflicts()
            finally:
                client.close()
            records = answer["conflicts"] if isinstance(answer, dict) else answer
            losers = {c["loser_hlc"] for c in records}
            for (entity, row_id, field), every in writes.items():
                history = [w for w in every if w[2] != "rejected"]
                if not history:
                    continue
                winner_hlc, winner_value, _ = max(history, key=lambda w: w[0])
                assert clocks[(entity, row_id, field)] == winner_hlc
                assert current[(entity, row_id)][field] == winner_value
                for hlc, value, status in history:
                    if status == "superseded" and value != winner_value:
                        assert hlc in losers, (entity, row_id, field, value)
