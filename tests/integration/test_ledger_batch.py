"""ChildBatch against the service it stands in for: the same calls on two real ledgers, one
through the service (each row in a savepoint, as the import used to run), one through the batch,
must leave the same records, derived columns, change log, audit trail and refusals."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from gxcare_desktop.domain.enums import Role
from gxcare_desktop.domain.errors import ValidationError
from gxcare_desktop.ledger import Ledger, NotFound
from gxcare_desktop.ledger.batch import ChildBatch
from tests.conftest import OTHER_VILLAGE, PASSWORD, TOWNSHIP, VILLAGE
from tests.helpers import child_fields, make_id

A_ID = make_id(date(2014, 3, 4), male=True, seq=1)
B_ID = make_id(date(2015, 6, 7), male=False, seq=2)
V_ID = make_id(date(2013, 1, 9), male=True, seq=3)
C_ID = make_id(date(2016, 2, 3), male=True, seq=4)
E_ID = make_id(date(2017, 8, 1), male=False, seq=5)
AWAY = {"name": "韦大", "phone": "13800138000", "condition": "working_away"}


def _on_file(ledger: Ledger) -> None:
    """The same children on both ledgers before the batch: a parent, care, a visit."""
    a = ledger.create_child(**child_fields(name="韦甲", birth_date=date(2014, 3, 4), id_number=A_ID, division_code=VILLAGE))
    ledger.set_parent(a.id, "father", **AWAY)
    ledger.set_parent(a.id, "mother", **{**AWAY, "name": "李芳"})
    b = ledger.create_child(
        **child_fields(name="韦乙", birth_date=date(2015, 6, 7), sex="2", id_number=B_ID, categories=[], division_code=VILLAGE)
    )
    ledger.set_care(b.id, care_type="grandparents", caregiver_name="韦奶奶")
    v = ledger.create_child(
        **child_fields(name="韦丙", birth_date=date(2013, 1, 9), id_number=V_ID, categories=[], division_code=VILLAGE)
    )
    ledger.record_visit(v.id, visit_date=date(2025, 3, 1), mode="home", guardianship_level="insufficient")


Step = Callable[[Any], None]


def _steps() -> list[Step]:
    def new_child_with_family(api: Any) -> None:
        child = api.create_child(
            **child_fields(name="韦丁", birth_date=date(2016, 2, 3), id_number=C_ID, categories=[], division_code=VILLAGE)
        )
        api.set_parent(child.id, "father", **AWAY)
        api.set_parent(child.id, "mother", name="李芳", condition="working_away")
        api.set_care(child.id, care_type="grandparents", caregiver_name="韦奶奶", caregiver_phone="13900139000")

    def update_on_file(api: Any) -> None:
        a = api.find_child_by_id_number(A_ID)
        api.set_parent(a.id, "father", **{**AWAY, "phone": "13700137000"})  # one field changes
        api.set_parent(a.id, "mother", **{**AWAY, "name": "李芳"})  # nothing changes: no write at all
        api.update_child(a.id, name="韦甲甲", school_name="白山小学")

    def update_created_in_this_run(api: Any) -> None:
        c = api.find_child_by_id_number(C_ID)
        api.update_child(c.id, categories=["left_behind"], notes="第二行")  # eligible: both parents away

    def refused_after_writes(api: Any) -> None:
        e = api.create_child(**child_fields(name="韦戊", birth_date=date(2017, 8, 1), sex="2", id_number=E_ID, division_code=VILLAGE))
        api.set_parent(e.id, "father", **AWAY)
        api.set_care(e.id, care_type="nonsense")

    def refused_eligibility(api: Any) -> None:
        b = api.find_child_by_id_number(B_ID)
        api.set_parent(b.id, "father", name="韦父", condition="normal")
        api.update_child(b.id, categories=["left_behind"])

    def refused_duplicate(api: Any) -> None:
        api.create_child(**child_fields(name="韦己", birth_date=date(2014, 3, 4), id_number=A_ID, division_code=VILLAGE))

    def moved(api: Any) -> None:
        v = api.find_child_by_id_number(V_ID)
        api.set_parent(v.id, "mother", name="黄梅", condition="working_away")
        api.update_child(v.id, division_code=OTHER_VILLAGE)

    def care_changes_derived(api: Any) -> None:
        b = api.find_child_by_id_number(B_ID)
        api.set_care(b.id, care_type="other_relatives")

    def out_of_scope(api: Any) -> None:
        api.create_child(**child_fields(name="韦庚", seq=9, categories=[], division_code="450124100101"))

    return [
        new_child_with_family, update_on_file, update_created_in_this_run, refused_after_writes,
        refused_eligibility, refused_duplicate, moved, care_changes_derived, out_of_scope,
    ]


@contextmanager
def _savepoint(ledger: Ledger) -> Iterator[None]:
    """The service path the import took before the batch: each row in a savepoint."""
    with ledger.unit_of_work() as session:
        nested = session.begin_nested()
        try:
            yield
        except BaseException:
            nested.rollback()
            ledger._audit_head = None
            raise
        nested.commit()


def _run(ledger: Ledger, *, batch: bool, flush_every: int = 1000) -> list[Any]:
    outcomes: list[Any] = []
    with ledger.unit_of_work():
        api: Any = ChildBatch(ledger, flush_every=flush_every) if batch else ledger
        with api if batch else nullcontext():
            if batch:
                api.prefetch([A_ID, C_ID])  # V_ID and B_ID are read on demand
            for step in _steps():
                try:
                    with api.row() if batch else _savepoint(ledger):
                        step(api)
                    outcomes.append("ok")
                except ValidationError as error:
                    outcomes.append((error.field, error.message.zh, error.message.en))
    return outcomes


def _snapshot(ledger: Ledger) -> dict[str, Any]:
    """Everything the run wrote, with generated ids and clocks replaced by stable labels."""
    out: dict[str, Any] = {}
    with ledger.reading() as session:
        raw = session.connection().exec_driver_sql
        children = {row[0]: row[1] for row in raw("SELECT id, id_number FROM child")}
        labels: dict[str, str] = {row_id: f"child:{number}" for row_id, number in children.items()}
        for table in ("family_member", "care_arrangement", "visit", "assessment"):
            for row_id, child_id, rank in raw(
                f"SELECT id, child_id, row_number() OVER (PARTITION BY child_id ORDER BY rowid) FROM {table}"
            ):
                labels[row_id] = f"{table}:{children[child_id]}:{rank}"
        for table in ("child", "family_member", "care_arrangement", "visit", "assessment"):
            cursor = raw(f"SELECT * FROM {table}")
            names = [d[0] for d in cursor.cursor.description]
            rows = []
            for values in cursor:
                record = dict(zip(names, values, strict=True))
                record["id"] = labels[record["id"]]
                if "child_id" in record:
                    record["child_id"] = labels[record["child_id"]]
                record["clocks"] = sorted(json.loads(record["clocks"]))  # which fields, not when
                rows.append(record)
            out[table] = sorted(rows, key=lambda r: r["id"])
        log = list(raw("SELECT entity, row_id, division_code, field, value, hlc, origin, pushed FROM ledger_change_log ORDER BY seq"))
        out["change_log"] = [
            (e, labels[r], d, f, labels[json.loads(v)] if f == "child_id" else v, o, p) for e, r, d, f, v, _h, o, p in log
        ]
        # One clock per write, rising in log order.
        hlcs = [h for *_, h, _o, _p in log]
        assert hlcs == sorted(hlcs)
        out["writes"] = len(set(hlcs))
        out["audit"] = [
            (action, entity, labels.get(row_id, row_id), detail)
            for action, entity, row_id, detail in raw("SELECT action, entity, row_id, detail FROM ledger_audit_log ORDER BY seq")
            if action not in ("create_ledger", "unlock")
        ]
    return out


def _township(tmp_path: Path, name: str) -> Ledger:
    ledger, _ = Ledger.create(tmp_path / name, password=PASSWORD, village_code=TOWNSHIP, role=Role.TOWNSHIP_SUPERVISOR)
    _on_file(ledger)
    return ledger


@pytest.mark.parametrize("flush_every", [1000, 1])
def test_batch_leaves_what_the_service_leaves(tmp_path: Path, flush_every: int) -> None:
    service, batched = _township(tmp_path, "s.gxc"), _township(tmp_path, "b.gxc")
    try:
        expected = _run(service, batch=False)
        got = _run(batched, batch=True, flush_every=flush_every)
        assert got == expected
        assert [o if o == "ok" else o[0] for o in got] == [
            "ok", "ok", "ok", "care_type", "categories", "id_number", "ok", "ok", "division_code"
        ]
        want, have = _snapshot(service), _snapshot(batched)
        for key in want:
            assert have[key] == want[key], key
        assert service.verify_audit_chain().ok and batched.verify_audit_chain().ok
    finally:
        service.close()
        batched.close()


def test_batch_results_as_the_service_reads_them(tmp_path: Path) -> None:
    ledger = _township(tmp_path, "b.gxc")
    try:
        _run(ledger, batch=True)
        moved = ledger.find_child_by_id_number(V_ID)
        assert moved is not None and moved.division_code == OTHER_VILLAGE
        visits = ledger.child_file(moved.id).visits
        assert [v.division_code for v in visits] == [OTHER_VILLAGE]
        assert ledger.find_child_by_id_number(E_ID) is None  # the refused row left no child
        b = ledger.find_child_by_id_number(B_ID)
        assert b is not None and b.care_type == "other_relatives" and b.categories == []
        c = ledger.find_child_by_id_number(C_ID)
        assert c is not None and c.categories == ["left_behind"] and c.care_type == "grandparents"
        assert c.name_pinyin and c.next_visit_due is not None
        assert ledger.pending_changes() > 0
    finally:
        ledger.close()


def test_a_refused_row_leaves_nothing_and_a_failed_run_writes_nothing(ledger: Ledger) -> None:
    def counts() -> tuple[int, ...]:
        with ledger.reading() as session:
            raw = session.connection().exec_driver_sql
            return tuple(
                raw(f"SELECT count(*) FROM {t}").scalar_one()
                for t in ("child", "family_member", "ledger_change_log", "ledger_audit_log")
            )

    before = counts()
    with ledger.unit_of_work(), ChildBatch(ledger) as batch:
        with pytest.raises(ValidationError), batch.row():
            child = batch.create_child(**child_fields(seq=1))
            batch.set_parent(child.id, "father", **AWAY)
            batch.set_parent(child.id, "uncle", name="韦叔")
        with batch.row():
            kept = batch.create_child(**child_fields(seq=1))  # the same ID again: not a duplicate now
    after = counts()
    assert (after[0], after[1], after[3]) == (before[0] + 1, before[1], before[3] + 1)
    assert after[2] - before[2] == len(ledger.history("child", kept.id))
    assert ledger.get_child(kept.id).name_pinyin

    before = counts()
    with pytest.raises(RuntimeError), ledger.unit_of_work(), ChildBatch(ledger, flush_every=1) as batch:
        with batch.row():
            batch.create_child(**child_fields(seq=2))  # flushed into the transaction ...
        raise RuntimeError("cancelled")  # ... which rolls back whole
    assert counts() == before
    assert ledger.verify_audit_chain().ok


def test_batch_needs_a_unit_of_work_and_an_existing_child(ledger: Ledger) -> None:
    with pytest.raises(RuntimeError):
        ChildBatch(ledger).__enter__()
    with pytest.raises(NotFound), ledger.unit_of_work(), ChildBatch(ledger) as batch:
        batch.set_care("no-such-child", care_type="grandparents")
    with ledger.unit_of_work() as session, ChildBatch(ledger) as batch:
        assert batch.find_child_by_id_number(A_ID) is None
        assert session.execute(text("SELECT count(*) FROM child")).scalar_one() == 0
