"""Pulls that found nothing new: counted in memory, written to the audit trail in batches.

Most incremental syncs of a village office find nothing new. Writing an audit row and the
device's last-seen time for each would make every such pull a write transaction, and on SQLite
every write transaction waits for the one database write lock behind the pushes in progress.
An empty pull hands out no record data (only the server's position), so it is recorded as a
tally instead: one `pull` audit row per device per flush, with how many empty pulls it stands
for, the first and last time, and the cursor. A page whose entries were all withheld from the
device (a case's reporter, services.confidential_for) hands out nothing either and counts as
empty. Pulls that return changes or drops are audited one by one in their own transaction,
before the answer leaves the server.

The trade-off, stated plainly: if the server process dies without shutting down, the tallies
of the last `interval_s` seconds are lost (they never carried data). A clean shutdown flushes.
The device's recorded pull cursor is not advanced by an empty pull; it only serves to tell
concurrent edits apart, and an empty page has no change of the device's jurisdiction between
the old and the new position, so the older value gives the same answers.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from sqlalchemy import Engine, case, update
from sqlmodel import Session, col

from .accounts import audit
from .models import Device

log = logging.getLogger(__name__)


@dataclass(slots=True)
class _Tally:
    username: str
    client_addr: str
    pulls: int
    first_ms: int
    last_ms: int
    cursor: int


class QuietPulls:
    """Per-process tally of empty pulls, flushed every `interval_s` and at shutdown."""

    def __init__(self, engine: Engine, *, interval_s: float = 2.0) -> None:
        self.engine = engine
        self.interval_s = interval_s
        self._lock = threading.Lock()
        self._pending: dict[str, _Tally] = {}

    def note(self, *, device_id: str, username: str, client_addr: str, cursor: int, at_ms: int) -> None:
        with self._lock:
            tally = self._pending.get(device_id)
            if tally is None:
                self._pending[device_id] = _Tally(username, client_addr, 1, at_ms, at_ms, cursor)
            else:
                tally.pulls += 1
                tally.last_ms = max(tally.last_ms, at_ms)
                tally.client_addr = client_addr
                tally.cursor = cursor

    def pending(self) -> int:
        with self._lock:
            return sum(t.pulls for t in self._pending.values())

    def flush(self) -> int:
        """Write the tallies (one audit row per device, last-seen times) in one transaction;
        returns the number of pulls written. On failure the tallies are kept for the next try."""
        with self._lock:
            taken, self._pending = self._pending, {}
        if not taken:
            return 0
        try:
            with Session(self.engine) as session:
                for device_id, t in taken.items():
                    audit(
                        session, action="pull", username=t.username, device_id=device_id,
                        count=0, client_addr=t.client_addr, at_ms=t.last_ms,
                        detail={"empty_pulls": t.pulls, "first_ms": t.first_ms, "next_cursor": t.cursor},
                    )
                    session.execute(
                        update(Device)
                        .where(col(Device.id) == device_id)
                        .values(
                            last_seen_ms=case(
                                (col(Device.last_seen_ms) > t.last_ms, col(Device.last_seen_ms)),
                                else_=t.last_ms,
                            )
                        )
                    )
                session.commit()
        except Exception:
            log.exception("could not write the tally of %d empty pulls; kept for the next flush",
                          sum(t.pulls for t in taken.values()))
            with self._lock:
                for device_id, t in taken.items():
                    newer = self._pending.get(device_id)
                    if newer is not None:
                        t.pulls += newer.pulls
                        t.last_ms = max(t.last_ms, newer.last_ms)
                        t.client_addr, t.cursor = newer.client_addr, newer.cursor
                    self._pending[device_id] = t
            return 0
        return sum(t.pulls for t in taken.values())
