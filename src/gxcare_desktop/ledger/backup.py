"""Encrypted backups (one file: the key vault plus an encrypted copy of the ledger), restore, and checks."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import sqlcipher3

from ..domain.text import Text
from .engine import key_pragma
from .errors import LedgerDamaged, LedgerError
from .keys import Vault, vault_path, write_atomic
from .service import Ledger

MAGIC = b"GXCARE-BACKUP-1\n"
BACKUP_SUFFIX = ".gxcbak"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    sha256: str


def _export_copy(ledger: Ledger, target: Path) -> None:
    """A consistent encrypted copy of the live file, under the same data key."""
    pragma = key_pragma(ledger.data_key)
    conn = sqlcipher3.connect(str(ledger.path))
    try:
        conn.execute(pragma)
        conn.execute(f"ATTACH DATABASE ? AS backup KEY \"x'{ledger.data_key.hex()}'\"", (str(target),))
        conn.execute("SELECT sqlcipher_export('backup')")
        conn.execute("DETACH DATABASE backup")
    finally:
        conn.close()


def backup(ledger: Ledger, dest: Path) -> BackupInfo:
    """Write a single-file backup, usable on another PC with the password or the recovery code."""
    dest = Path(dest)
    if dest.is_dir():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        dest = dest / f"gxcare-{ledger.village_code}-{stamp}{BACKUP_SUFFIX}"
    vault = Vault.load(vault_path(ledger.path))
    vault.doc["failed_attempts"] = 0
    vault.doc["locked_until"] = 0.0
    header = vault.to_bytes()
    with tempfile.TemporaryDirectory(dir=dest.parent) as tmp:
        copy = Path(tmp) / "ledger.gxc"
        _export_copy(ledger, copy)
        body = copy.read_bytes()
    payload = MAGIC + struct.pack(">I", len(header)) + header + body
    digest = hashlib.sha256(payload).digest()
    write_atomic(dest, payload + digest)
    ledger.record_audit("backup", detail=dest.name)
    return BackupInfo(dest, len(payload) + len(digest), digest.hex())


def _read_backup(source: Path) -> tuple[Vault, bytes]:
    raw = Path(source).read_bytes()
    if not raw.startswith(MAGIC) or len(raw) < len(MAGIC) + 4 + 32:
        raise LedgerError(Text("这不是 GXCare 备份文件。", "This is not a GXCare backup file."))
    payload, digest = raw[:-32], raw[-32:]
    if hashlib.sha256(payload).digest() != digest:
        raise LedgerDamaged("backup checksum")
    (header_len,) = struct.unpack(">I", payload[len(MAGIC) : len(MAGIC) + 4])
    start = len(MAGIC) + 4
    vault = Vault(json.loads(payload[start : start + header_len].decode("utf-8")))
    return vault, payload[start + header_len :]


def restore(
    source: Path,
    dest: Path,
    *,
    password: str | None = None,
    recovery_code: str | None = None,
    overwrite: bool = False,
) -> Ledger:
    """Restore a backup to `dest` and open it; an existing ledger there is kept aside, not lost."""
    vault, body = _read_backup(source)
    vault.unlock(password=password, recovery_code=recovery_code, path=None)
    dest = Path(dest)
    if Ledger.exists(dest):
        if not overwrite:
            raise LedgerError(Text(f"目标位置已有台账：{dest}", f"A ledger already exists at {dest}"))
        aside = dest.with_name(dest.name + ".before-restore")
        for suffix in ("", "-wal", "-shm"):
            current = Path(str(dest) + suffix)
            if current.exists():
                shutil.move(current, Path(str(aside) + suffix))
        shutil.move(vault_path(dest), vault_path(aside))
    dest.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(dest, body)
    vault.save(vault_path(dest))
    ledger = Ledger.open(dest, password=password, recovery_code=recovery_code)
    ledger.record_audit("restore", detail=Path(source).name)
    return ledger


@dataclass
class CheckReport:
    ok: bool
    problems: list[str] = field(default_factory=list)
    pages_checked: bool = False
    audit_entries: int = 0


def check(ledger: Ledger) -> CheckReport:
    """Verify every page's HMAC, SQLite's own structure and the audit chain."""
    problems: list[str] = []
    conn = sqlcipher3.connect(str(ledger.path))
    try:
        conn.execute(key_pragma(ledger.data_key))
        try:
            problems += [f"cipher: {row[0]}" for row in conn.execute("PRAGMA cipher_integrity_check")]
            problems += [f"sqlite: {row[0]}" for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
        except sqlcipher3.DatabaseError as exc:
            problems.append(f"sqlite: {exc}")
    finally:
        conn.close()
    chain = ledger.verify_audit_chain() if not problems else None
    if chain is not None and not chain.ok:
        problems.append(f"audit: chain broken at entry {chain.first_bad_seq}")
    return CheckReport(not problems, problems, True, chain.entries if chain else 0)


def prune_backups(folder: Path, keep: int) -> list[Path]:
    """Keep the newest `keep` scheduled backups in a folder; returns the ones removed."""
    backups = sorted(Path(folder).glob(f"*{BACKUP_SUFFIX}"), key=os.path.getmtime, reverse=True)
    removed = backups[keep:]
    for path in removed:
        path.unlink()
    return removed
