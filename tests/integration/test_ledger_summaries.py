"""The in-memory children list must answer every filter exactly as SQLite does, after any write."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from gxcare_desktop.ledger import ChildQuery, Ledger
from gxcare_desktop.ledger import queries as ledger_queries
from gxcare_desktop.ledger.demo import create_demo_ledger
from tests.conftest import PASSWORD
from tests.helpers import child_fields

TODAY = date.today()
QUERIES = [
    ChildQuery(),
    ChildQuery(archived=None),
    ChildQuery(archived=True),
    ChildQuery(overdue=True),
    ChildQuery(no_contact=True),
    ChildQuery(risk="high"),
    ChildQuery(category="orphan"),
    ChildQuery(category="left_behind", overdue=True),
    ChildQuery(age_out_within_days=365),
    ChildQuery(text="w"),
    ChildQuery(text="LU"),
    ChildQuery(text="韦"),
    ChildQuery(text="4501"),
    ChildQuery(text="12X"),
    ChildQuery(limit=7),
    ChildQuery(overdue=True, limit=3),
]


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Ledger]:
    ledger = create_demo_ledger(tmp_path / "demo.gxc", password=PASSWORD, children=150, seed=5)
    yield ledger
    ledger.close()


def from_sql(ledger: Ledger, query: ChildQuery) -> list[ledger_queries.ChildSummary]:
    with ledger.reading() as session:
        return ledger_queries.list_children(session, query)


def assert_agrees(ledger: Ledger) -> None:
    for query in QUERIES:
        assert ledger.list_children(query) == from_sql(ledger, query), query
        assert ledger.count_children(query) == len(from_sql(ledger, query)), query


def test_filters_from_memory_match_sqlite(demo: Ledger) -> None:
    assert len(demo.list_children()) > 100  # the whole-list read fills the cache
    assert demo._summaries is not None
    assert_agrees(demo)
    assert demo.list_children(ChildQuery(overdue=True)), "the demo data should have overdue children"


def test_cache_follows_service_writes(demo: Ledger) -> None:
    everyone = demo.list_children()
    overdue = demo.list_children(ChildQuery(overdue=True))
    visited = overdue[0]
    demo.record_visit(visited.id, visit_date=TODAY, mode="home", seen="儿童本人", checks=["safety"], findings="正常")
    assert visited.id not in {c.id for c in demo.list_children(ChildQuery(overdue=True))}

    renamed = everyone[-1]
    demo.update_child(renamed.id, name="艾阿明")  # pinyin "aiaming": moves to the top of the list
    assert demo.list_children()[0].id == renamed.id

    archived = everyone[1]
    demo.archive_child(archived.id, reason="moved", on=TODAY)
    assert archived.id not in {c.id for c in demo.list_children()}
    assert archived.id in {c.id for c in demo.list_children(ChildQuery(archived=True))}

    created = demo.create_child(**child_fields(seq=91, name="张新来"))
    assert created.id in {c.id for c in demo.list_children(ChildQuery(text="zxl"))}
    assert_agrees(demo)


def test_cache_sees_writes_made_behind_the_service_and_by_another_process(demo: Ledger, tmp_path: Path) -> None:
    first = demo.list_children()[0]
    with demo.unit_of_work() as session:  # a bulk write, as sync's apply paths do
        session.execute(text("UPDATE child SET risk_level = 'high' WHERE id = :id"), {"id": first.id})
    assert first.id in {c.id for c in demo.list_children(ChildQuery(risk="high"))}

    # A second opening of the same file (the command line, while the window is open) writes.
    other = Ledger.open(demo.path, password=PASSWORD)
    try:
        other.update_child(first.id, name="欧阳其他")
    finally:
        other.close()
    assert [c.name for c in demo.list_children() if c.id == first.id] == ["欧阳其他"]
    assert_agrees(demo)


def test_a_pruned_touch_log_makes_the_cache_read_everything_again(demo: Ledger) -> None:
    first = demo.list_children()[0]
    with demo.unit_of_work() as session:
        session.execute(text("UPDATE child SET risk_level = 'high' WHERE id = :id"), {"id": first.id})
        # Pruned past what the cache saw (what opening the file does to a long log).
        session.execute(text("DELETE FROM ledger_child_touch"))
        session.execute(text("UPDATE child SET risk_level = 'high' WHERE id != :id AND rowid % 3 = 0"), {"id": first.id})
    assert demo.list_children(ChildQuery(risk="high")) == from_sql(demo, ChildQuery(risk="high"))
    assert first.id in {c.id for c in demo.list_children(ChildQuery(risk="high"))}


def test_writes_inside_a_transaction_are_seen_by_its_own_queries(demo: Ledger) -> None:
    demo.list_children()
    with demo.unit_of_work():
        created = demo.create_child(**child_fields(seq=92, name="韦未提交"))
        assert created.id in {c.id for c in demo.list_children(ChildQuery(text="韦未提交"))}


def test_other_days_are_asked_of_sqlite_and_lock_drops_the_rows(demo: Ledger) -> None:
    demo.list_children()
    later = ChildQuery(overdue=True, today=TODAY + timedelta(days=200))
    assert demo.list_children(later) == from_sql(demo, later)
    assert len(demo.list_children(later)) > len(demo.list_children(ChildQuery(overdue=True)))
    demo.lock()
    assert demo._summaries is None
    demo.unlock(PASSWORD)
    assert_agrees(demo)


def test_a_bulk_write_is_read_again_whole(demo: Ledger) -> None:
    demo.list_children()
    with demo.unit_of_work() as session:  # what a download or an import does to most children
        session.execute(text("UPDATE child SET risk_level = 'medium' WHERE rowid % 2 = 0"))
        session.execute(text("UPDATE child SET archived = 1 WHERE rowid % 7 = 0"))
    assert_agrees(demo)
