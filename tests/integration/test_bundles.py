"""Sneakernet bundles between a village PC and its township, with no network at all."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from gxcare_desktop.domain.enums import Role
from gxcare_desktop.ledger import Ledger
from gxcare_desktop.ledger.tables import Case, ChangeLogEntry
from gxcare_desktop.ledger.workflows import cases as wf
from gxcare_desktop.sync import bundles
from gxcare_desktop.sync.client import SyncError
from tests.conftest import PASSWORD, TOWNSHIP
from tests.helpers import child_fields

PASSPHRASE = "usb-stick-2026"


@pytest.fixture
def township(tmp_path: Path) -> Ledger:
    ledger, _ = Ledger.create(tmp_path / "township.gxc", password=PASSWORD, village_code=TOWNSHIP, role=Role.TOWNSHIP_SUPERVISOR)
    return ledger


def _log_count(ledger: Ledger) -> int:
    with ledger.reading() as s:
        return int(s.execute(select(func.count()).select_from(ChangeLogEntry)).scalar_one())


def test_village_changes_reach_the_township_and_a_second_import_changes_nothing(ledger: Ledger, township: Ledger, tmp_path: Path) -> None:
    child = ledger.create_child(**child_fields())
    ledger.record_visit(child.id, visit_date=date.today(), mode="home")
    info = bundles.export_changes(ledger, tmp_path / "usb.gxcbundle", passphrase=PASSPHRASE)
    assert info.count == ledger.pending_changes() > 10
    assert b"\xe9\x9f\xa6" not in info.path.read_bytes()  # the UTF-8 of 韦 never appears in clear

    first = bundles.import_bundle(township, info.path, passphrase=PASSPHRASE)
    assert first.fingerprint == info.fingerprint
    moved = township.get_child(child.id)
    assert moved.name == "韦小明" and moved.last_visit_date == date.today()
    queued = township.pending_changes()
    assert queued == info.count  # forwarded to the server on the township's next sync
    log_after_first = _log_count(township)

    bundles.import_bundle(township, info.path, passphrase=PASSPHRASE)
    assert township.pending_changes() == queued
    assert _log_count(township) == log_after_first
    assert township.get_child(child.id).clocks == moved.clocks


def test_return_bundle_brings_the_township_edits_back(ledger: Ledger, township: Ledger, tmp_path: Path) -> None:
    child = ledger.create_child(**child_fields())
    bundles.import_bundle(township, bundles.export_changes(ledger, tmp_path / "up.b", passphrase=PASSPHRASE).path, passphrase=PASSPHRASE)
    township.update_child(child.id, schooling="junior", notes="督导员核实：已转入初中")
    back = bundles.export_rows(township, tmp_path / "down.b", division_code=ledger.village_code, passphrase=PASSPHRASE)
    bundles.import_bundle(ledger, back.path, passphrase=PASSPHRASE)
    again = ledger.get_child(child.id)
    assert again.schooling == "junior" and again.notes.startswith("督导员")
    bundles.import_bundle(ledger, back.path, passphrase=PASSPHRASE)
    assert ledger.get_child(child.id).clocks == again.clocks


def _stored_case(ledger: Ledger) -> tuple[str, str, str]:
    """What the ledger file holds for its one case: reporter name, phone, police unit."""
    with ledger.reading() as session:
        row = session.execute(select(Case.reporter_name, Case.reporter_phone, Case.police_unit)).one()
    return (row[0], row[1], row[2])


def test_return_bundle_leaves_the_reporter_out(ledger: Ledger, township: Ledger, tmp_path: Path) -> None:
    """The reporter's identity stays confidential: the township sees it, the return bundle to the
    village does not carry it, and the PC that took the report keeps its own values."""
    child = ledger.create_child(**child_fields())
    case = wf.open_case(ledger, child_id=child.id, situation="abandonment", opened_on=date.today(), place="家中",
                        observed="长期无人照料", reporter_name="覃报告", reporter_phone="13800000000")
    bundles.import_bundle(township, bundles.export_changes(ledger, tmp_path / "up.b", passphrase=PASSPHRASE).path, passphrase=PASSPHRASE)
    assert _stored_case(township) == ("覃报告", "13800000000", "")
    wf.record_police_report(township, case.id, reported_at=datetime.now(), unit="白山派出所", receipt="")
    back = bundles.export_rows(township, tmp_path / "down.b", division_code=ledger.village_code, passphrase=PASSPHRASE)
    _, content = bundles.read_bundle(ledger, back.path, passphrase=PASSPHRASE)
    (item,) = [i for i in content["items"] if i["entity"] == "case"]
    assert item["values"]["police_unit"] == "白山派出所"
    assert not {"reporter_name", "reporter_phone"} & (set(item["values"]) | set(item["clocks"]))
    bundles.import_bundle(ledger, back.path, passphrase=PASSPHRASE)
    assert _stored_case(ledger) == ("覃报告", "13800000000", "白山派出所")
    replacement, _ = Ledger.create(tmp_path / "new-pc.gxc", password=PASSWORD, village_code=ledger.village_code)
    bundles.import_bundle(replacement, back.path, passphrase=PASSPHRASE)
    assert _stored_case(replacement) == ("", "", "白山派出所")


def test_wrong_passphrase_tampering_and_foreign_scope_are_refused(ledger: Ledger, township: Ledger, tmp_path: Path) -> None:
    ledger.create_child(**child_fields())
    info = bundles.export_changes(ledger, tmp_path / "usb.b", passphrase=PASSPHRASE)
    before = _log_count(township)
    with pytest.raises(SyncError) as err:
        bundles.import_bundle(township, info.path, passphrase="not-the-one")
    assert "口令" in err.value.message.zh
    data = bytearray(info.path.read_bytes())
    data[len(data) // 2] ^= 0x40
    tampered = tmp_path / "tampered.b"
    tampered.write_bytes(bytes(data))
    with pytest.raises(SyncError):
        bundles.import_bundle(township, tampered, passphrase=PASSPHRASE)
    other, _ = Ledger.create(tmp_path / "other.gxc", password=PASSWORD, village_code="450124101201")
    with pytest.raises(SyncError) as err:
        bundles.import_bundle(other, info.path, passphrase=PASSPHRASE)
    assert "管辖" in err.value.message.zh
    assert _log_count(township) == before
    assert other.count_children() == 0
