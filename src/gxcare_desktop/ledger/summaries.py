"""The children list held in memory, kept current from the file's child-touch log.

A village PC asks for the same 100,000-row list again and again: the list page, the dashboard's
counts, the overdue and no-contact lists, the visits page. Each query used to decrypt and convert
the rows anew (4–10 µs a row). The first list query reads every child once; from then on
`SummaryCache` answers every filter from memory. Before each answer it reads the log of children
touched since (a trigger on the child table writes it, so ORM writes, bulk sync writes and other
processes are all seen) and re-reads only those rows. Inside a write transaction, for another
day, and for a first page while nothing is loaded yet, queries go to SQLite.
"""

from __future__ import annotations

import heapq
import threading
from bisect import bisect_left, insort
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection

from ..domain.enums import Category
from ..domain.rules import PARENT_CONTACT_MAX_DAYS
from .queries import ChildQuery, ChildSummary, search_kind, summaries_from_raw

# The list's columns in ChildSummary order (age is computed, not stored). Raw SQL on the DBAPI
# cursor: this read is what a 100,000-child start-up waits for, and the order matches the
# covering index ix_child_list, so SQLite neither sorts nor touches the table.
_COLUMNS = (
    "id, name, sex, birth_date, categories, risk_level, last_visit_date, next_visit_due, last_contact_date, "
    "archived, division_code, id_number, name_initials, name_pinyin, registered_on, age_out_on"
)
_ALL = f"SELECT {_COLUMNS} FROM child WHERE deleted = 0 AND archived = ? ORDER BY name_pinyin, id"
_SOME = f"SELECT {_COLUMNS} FROM child WHERE deleted = 0 AND id IN ({{}})"
_CHUNK = 900  # under SQLite's bound-parameter limit

Predicate = Callable[[ChildSummary], bool]


def _order_key(row: ChildSummary) -> tuple[str, str]:
    # The list order (pinyin, then id), unique per child, so bisect finds a row's exact place.
    return (row.name_pinyin, row.id)


def _text_predicate(text: str) -> Predicate:
    """queries._text_condition in Python."""
    text = text.strip()
    compact = text.replace(" ", "")
    kind = search_kind(compact)
    if kind == "id":
        digits = compact.upper()
        return lambda r: digits in r.id_number
    if kind == "pinyin":
        lowered = compact.lower()
        return lambda r: r.name_initials.startswith(lowered) or r.name_pinyin.startswith(lowered)
    # SQLite's LIKE ignores the case of ASCII letters; so does this.
    folded = text.lower()
    return lambda r: folded in r.name.lower()


def predicates(query: ChildQuery, today: date) -> list[Predicate]:
    """queries.child_conditions (archived aside: the cache keeps two lists), one test per condition."""
    tests: list[Predicate] = []
    if query.text.strip():
        tests.append(_text_predicate(query.text))
    if query.village:
        prefix = query.village
        tests.append(lambda r: r.division_code.startswith(prefix))
    if query.category:
        category = query.category
        tests.append(lambda r: category in r.categories)
    if query.risk:
        risk = query.risk
        tests.append(lambda r: r.risk_level == risk)
    if query.overdue:
        tests.append(lambda r: r.next_visit_due is not None and r.next_visit_due < today)
    if query.no_contact:
        limit = today - timedelta(days=PARENT_CONTACT_MAX_DAYS)
        left_behind = Category.LEFT_BEHIND.value
        tests.append(
            lambda r: left_behind in r.categories
            and (
                (r.last_contact_date < limit)
                if r.last_contact_date is not None
                else (r.registered_on is not None and r.registered_on <= limit)
            )
        )
    if query.age_out_within_days is not None:
        last = today + timedelta(days=query.age_out_within_days)
        tests.append(lambda r: r.age_out_on is not None and today <= r.age_out_on <= last)
    return tests


class SummaryCache:
    """Every child on file as ChildSummary rows in list order, for one day (ages change at midnight).

    Two lists, on file and archived, because the list page and almost every filter ask for one
    of them, and each comes straight out of the covering index already in order.
    """

    def __init__(self, conn: Connection, today: date) -> None:
        self.day = today
        self._lock = threading.Lock()
        self._active: list[ChildSummary] = []
        self._archived: list[ChildSummary] = []
        self._by_id: dict[str, ChildSummary] | None = None  # built at the first catch-up
        self._last_seq = 0
        self._load(conn)

    # ---- keeping current ------------------------------------------------------------------

    def _load(self, conn: Connection) -> None:
        cursor = _cursor(conn)
        try:
            # The log position first: a write committed after it is caught up next time.
            (last,) = cursor.execute("SELECT max(seq) FROM ledger_child_touch").fetchone()
            self._last_seq = int(last or 0)
            self._active = summaries_from_raw(cursor.execute(_ALL, (0,)), self.day)
            self._archived = summaries_from_raw(cursor.execute(_ALL, (1,)), self.day)
        finally:
            cursor.close()
        self._by_id = None

    def catch_up(self, conn: Connection) -> None:
        """Re-read the children touched since the last look (one indexed query when none were)."""
        with self._lock:
            cursor = _cursor(conn)
            try:
                first, last = cursor.execute("SELECT min(seq), max(seq) FROM ledger_child_touch").fetchone()
                if last is None or last <= self._last_seq:
                    return
                if first > self._last_seq + 1:
                    # The log was pruned past what this cache saw: read everything again.
                    self._load(conn)
                    return
                touched = [
                    cid for (cid,) in cursor.execute(
                        "SELECT DISTINCT child_id FROM ledger_child_touch WHERE seq > ? AND seq <= ?",
                        (self._last_seq, last),
                    )
                ]
                fresh: dict[str, ChildSummary] = {}
                for start in range(0, len(touched), _CHUNK):
                    chunk = touched[start : start + _CHUNK]
                    for row in summaries_from_raw(cursor.execute(_SOME.format(",".join("?" * len(chunk))), chunk), self.day):
                        fresh[row.id] = row
            finally:
                cursor.close()
            if len(touched) > len(self._active) // 4:
                self._load(conn)  # a bulk write (a download, an import): reading all is cheaper
                return
            self._patch(touched, fresh)
            self._last_seq = last

    def _patch(self, touched: list[str], fresh: dict[str, ChildSummary]) -> None:
        by_id = self._by_id
        if by_id is None:
            by_id = self._by_id = {r.id: r for r in (*self._active, *self._archived)}
        for child_id in touched:
            old = by_id.pop(child_id, None)
            if old is not None:
                rows = self._archived if old.archived else self._active
                at = bisect_left(rows, _order_key(old), key=_order_key)
                if at < len(rows) and rows[at].id == child_id:
                    del rows[at]
                else:  # not where its key says (should not happen): find it the slow way, never guess
                    rows.remove(old)
            new = fresh.get(child_id)
            if new is not None:  # None: deleted, or moved out of this ledger's reach
                by_id[child_id] = new
                insort(self._archived if new.archived else self._active, new, key=_order_key)

    # ---- answering ------------------------------------------------------------------------

    def select(self, query: ChildQuery) -> list[ChildSummary]:
        tests = predicates(query, self.day)
        with self._lock:
            if query.archived is None:
                rows: Any = heapq.merge(self._active, self._archived, key=_order_key)
            else:
                rows = self._archived if query.archived else self._active
            if len(tests) == 1:
                test = tests[0]
                found = [r for r in rows if test(r)]
            elif tests:
                found = [r for r in rows if all(t(r) for t in tests)]
            else:
                found = list(rows)
        return found[: query.limit] if query.limit else found

    def count(self, query: ChildQuery) -> int:
        return len(self.select(query))


def _cursor(conn: Connection) -> Any:
    # The DBAPI cursor of the session's own connection: same transaction, same snapshot.
    return conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
