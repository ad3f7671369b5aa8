"""The encrypted ledger on disk: nothing readable, wrong keys refused, damage and tampering detected."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from gxcare_desktop.ledger import Ledger, LedgerDamaged, LedgerLockedOut, WrongPassword
from gxcare_desktop.ledger.backup import backup, check, restore
from gxcare_desktop.ledger.keys import vault_path
from tests.conftest import PASSWORD, VILLAGE
from tests.helpers import child_fields, make_id

SECRET_NAME = "覃秘密"


def _raw_files(path: Path) -> list[bytes]:
    return [p.read_bytes() for p in path.parent.iterdir() if p.is_file()]


def test_names_and_id_numbers_never_reach_the_disk_in_clear(ledger: Ledger, ledger_path: Path, tmp_path: Path) -> None:
    birth = date(2015, 3, 4)
    id_number = make_id(birth, male=False)
    ledger.create_child(**child_fields(name=SECRET_NAME, sex="2", birth_date=birth, id_number=id_number))
    wal = Path(str(ledger_path) + "-wal")
    assert wal.exists() and wal.stat().st_size > 0, "the write must still sit in the WAL for this test to mean something"
    out = backup(ledger, tmp_path / "b.gxcbak")
    blobs = _raw_files(ledger_path) + [out.path.read_bytes()]
    for needle in (SECRET_NAME.encode("utf-8"), id_number.encode("ascii"), SECRET_NAME.encode("utf-16-le")):
        assert all(needle not in blob for blob in blobs)
    # The same search does find the plain text once it is in a file, so the check can fail.
    plain = tmp_path / "plain.txt"
    plain.write_text(SECRET_NAME + id_number, "utf-8")
    assert SECRET_NAME.encode("utf-8") in plain.read_bytes()


def test_wrong_password_is_refused_and_waits_grow(ledger: Ledger, ledger_path: Path) -> None:
    ledger.close()
    delays = []
    for _ in range(4):
        try:
            Ledger.open(ledger_path, password="not-the-password")
        except WrongPassword as exc:
            delays.append(exc.retry_after_seconds)
            assert "密码" in exc.message.zh and "password" in exc.message.en.lower()
        except LedgerLockedOut:
            break
    assert delays[0] == 0.0 and delays[1] == 0.0 and delays[2] > 0
    with pytest.raises(LedgerLockedOut):
        Ledger.open(ledger_path, password=PASSWORD)


def test_right_password_after_a_wrong_one_opens_and_resets_the_count(ledger: Ledger, ledger_path: Path) -> None:
    ledger.close()
    with pytest.raises(WrongPassword):
        Ledger.open(ledger_path, password="wrong-one-1")
    reopened = Ledger.open(ledger_path, password=PASSWORD)
    assert reopened.village_code == VILLAGE
    assert '"failed_attempts": 0' in vault_path(ledger_path).read_text()
    reopened.close()


def test_recovery_code_opens_after_password_is_forgotten(ledger_path: Path) -> None:
    ledger, code = Ledger.create(ledger_path, password=PASSWORD, village_code=VILLAGE)
    child = ledger.create_child(**child_fields())
    ledger.close()
    recovered = Ledger.open(ledger_path, recovery_code=code.lower().replace("-", " "))
    assert recovered.get_child(child.id).name == "韦小明"
    recovered.change_password("New-password-9")
    recovered.close()
    assert Ledger.open(ledger_path, password="New-password-9").get_child(child.id).id == child.id


def _pages(path: Path) -> list[bytes]:
    data = path.read_bytes()
    return [data[i : i + 4096] for i in range(0, len(data), 4096)]


def test_password_change_rewraps_without_rewriting_the_database(ledger: Ledger, ledger_path: Path) -> None:
    for i in range(60):
        ledger.create_child(**child_fields(name=f"陆{'一二三四五六七八九十'[i % 10]}", birth_date=date(2013, 2, 1 + i % 28), seq=i))
    ledger.close()
    before = _pages(ledger_path)
    vault_before = vault_path(ledger_path).read_bytes()
    opened = Ledger.open(ledger_path, password=PASSWORD)
    key_before = opened.data_key
    opened.change_password("Another-pass-7")
    assert opened.data_key == key_before
    opened.close()
    after = _pages(ledger_path)
    # SQLCipher gives every written page a fresh IV, so re-encryption would change every page;
    # a re-wrap leaves all pages alike except the few the two audit rows (unlock, change) touch.
    unchanged = sum(a == b for a, b in zip(before, after, strict=False))
    assert len(before) > 40
    assert unchanged >= len(before) - 6
    assert vault_path(ledger_path).read_bytes() != vault_before
    with pytest.raises(WrongPassword):
        Ledger.open(ledger_path, password=PASSWORD)
    Ledger.open(ledger_path, password="Another-pass-7").close()


def test_flipped_byte_is_detected(ledger: Ledger, ledger_path: Path) -> None:
    for i in range(40):
        ledger.create_child(**child_fields(name=f"黄{'一二三四五六七八九十'[i % 10]}", birth_date=date(2014, 1, 1 + i % 28), seq=i))
    ledger.close()
    Ledger.open(ledger_path, password=PASSWORD).close()  # the last close checkpoints the WAL
    data = bytearray(ledger_path.read_bytes())
    assert len(data) > 4096 * 4
    position = 4096 * 2 + 100  # inside the third page
    data[position] ^= 0x01
    ledger_path.write_bytes(bytes(data))
    try:
        damaged = Ledger.open(ledger_path, password=PASSWORD)
    except LedgerDamaged:
        return
    report = check(damaged)
    damaged.close()
    assert not report.ok
    assert any("cipher" in p or "sqlite" in p for p in report.problems)


def test_audit_chain_detects_a_row_altered_behind_the_api(ledger: Ledger) -> None:
    child = ledger.create_child(**child_fields())
    ledger.update_child(child.id, schooling="junior")
    assert ledger.verify_audit_chain().ok
    with ledger.unit_of_work() as session:
        session.execute(text("UPDATE ledger_audit_log SET actor = 'someone else' WHERE seq = 2"))
    result = ledger.verify_audit_chain()
    assert not result.ok and result.first_bad_seq == 2


def test_backup_restores_on_another_pc_with_password_or_recovery_code(tmp_path: Path) -> None:
    ledger, code = Ledger.create(tmp_path / "a" / "l.gxc", password=PASSWORD, village_code=VILLAGE)
    child = ledger.create_child(**child_fields())
    info = backup(ledger, tmp_path / "usb.gxcbak")
    ledger.close()
    elsewhere = restore(info.path, tmp_path / "pc2" / "ledger.gxc", password=PASSWORD)
    assert elsewhere.get_child(child.id).name == "韦小明"
    assert check(elsewhere).ok
    elsewhere.close()
    third = restore(info.path, tmp_path / "pc3" / "ledger.gxc", recovery_code=code)
    assert third.count_children() == 1
    third.close()
    with pytest.raises(WrongPassword):
        restore(info.path, tmp_path / "pc4" / "ledger.gxc", password="bad-password-1")
    assert not (tmp_path / "pc4" / "ledger.gxc").exists()


def test_damaged_backup_is_refused(ledger: Ledger, tmp_path: Path) -> None:
    info = backup(ledger, tmp_path / "b.gxcbak")
    data = bytearray(info.path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    info.path.write_bytes(bytes(data))
    with pytest.raises(LedgerDamaged):
        restore(info.path, tmp_path / "x" / "l.gxc", password=PASSWORD)


def test_lock_drops_the_key_and_unlock_brings_it_back(ledger: Ledger) -> None:
    child = ledger.create_child(**child_fields())
    ledger.lock()
    assert ledger.is_locked
    with pytest.raises(Exception):  # noqa: B017 - LedgerClosed, a LedgerError
        ledger.get_child(child.id)
    with pytest.raises(WrongPassword):
        ledger.unlock("nope-nope-1")
    ledger.unlock(PASSWORD)
    assert ledger.get_child(child.id).id == child.id


def test_ledger_file_is_not_plain_sqlite(ledger_path: Path, ledger: Ledger) -> None:
    ledger.close()
    assert not ledger_path.read_bytes().startswith(b"SQLite format 3")
    assert os.path.getsize(ledger_path) > 0
