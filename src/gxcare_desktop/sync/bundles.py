"""Sneakernet bundles: unsent changes (or a village's rows) as an encrypted, signed file for a USB stick."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import struct
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from sqlalchemy import select
from sqlmodel import col

from ..domain.records import CONFIDENTIAL_FIELDS, RECORDS
from ..domain.text import Text
from ..ledger import Ledger
from ..ledger import clocks as clock_codec
from ..ledger.keys import write_atomic
from ..ledger.tables import TABLES, ChangeLogEntry
from ..ledger.validation import to_wire
from .client import SyncError

MAGIC = b"GXCARE-BUNDLE-1\n"
SIGNING_KEY = "bundle_signing_key"
KNOWN_KEYS = "bundle_known_keys"
_MIN_PASSPHRASE = 6


@dataclass(frozen=True)
class BundleInfo:
    path: Path
    kind: str
    count: int
    device_id: str
    fingerprint: str


def _fingerprint(public: bytes) -> str:
    digest = hashlib.sha256(public).hexdigest()[:16].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))


def _signing_key(ledger: Ledger) -> Ed25519PrivateKey:
    stored = ledger.meta(SIGNING_KEY)
    if stored:
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(stored))
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes_raw()
    ledger.set_meta(SIGNING_KEY, base64.b64encode(raw).decode("ascii"))
    return key


def _key(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode("utf-8"))


def _check_passphrase(passphrase: str) -> None:
    if len(passphrase) < _MIN_PASSPHRASE:
        raise SyncError(
            Text(f"传递口令至少需要 {_MIN_PASSPHRASE} 个字符。", f"The bundle passphrase needs at least {_MIN_PASSPHRASE} characters.")
        )


def _write(
    ledger: Ledger, path: Path, *, kind: str, items: list[dict[str, Any]], passphrase: str, acks: list[str] | None = None
) -> BundleInfo:
    _check_passphrase(passphrase)
    signer = _signing_key(ledger)
    public = signer.public_key().public_bytes_raw()
    salt, nonce = os.urandom(16), os.urandom(12)
    header = json.dumps(
        {
            "kind": kind,
            "count": len(items),
            "device_id": ledger.device_id,
            "division_code": ledger.village_code,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "salt": base64.b64encode(salt).decode(),
            "nonce": base64.b64encode(nonce).decode(),
            "public_key": base64.b64encode(public).decode(),
        },
        sort_keys=True,
    ).encode("utf-8")
    body = gzip.compress(json.dumps({"items": items, "acks": acks or []}, ensure_ascii=False).encode("utf-8"))
    sealed = AESGCM(_key(passphrase, salt)).encrypt(nonce, body, header)
    unsigned = MAGIC + struct.pack(">I", len(header)) + header + sealed
    write_atomic(path, unsigned + signer.sign(unsigned))
    ledger.record_audit("bundle_export", detail=f"{kind} {len(items)} {path.name}")
    return BundleInfo(path, kind, len(items), ledger.device_id, _fingerprint(public))


def export_changes(ledger: Ledger, path: Path, *, passphrase: str) -> BundleInfo:
    """Every change this PC has not sent yet; they stay queued until the server confirms them."""
    entries = ledger.outbox(limit=10**9)
    items = [
        {
            "change_id": e.change_id,
            "entity": e.entity,
            "row_id": e.row_id,
            "division_code": e.division_code,
            "field": e.field,
            "value": e.value,
            "hlc": e.hlc,
            "device_id": e.device_id,
        }
        for e in entries
    ]
    return _write(ledger, Path(path), kind="changes", items=items, passphrase=passphrase)


def export_rows(ledger: Ledger, path: Path, *, division_code: str, passphrase: str) -> BundleInfo:
    """A township's return bundle: the current rows of one village, with their clocks, and the
    ids of the village's changes the township has received (so the village stops queueing them).

    A case's reporter (CONFIDENTIAL_FIELDS) stays out, as the server keeps it from village
    devices: the bundle goes to the village, and its rows arrive without those fields, so
    the PC that took the report keeps its own values (apply_snapshot merges field by field)."""
    items: list[dict[str, Any]] = []
    with ledger.reading() as session:
        acks = list(
            session.scalars(
                select(col(ChangeLogEntry.change_id)).where(
                    col(ChangeLogEntry.division_code).startswith(division_code),
                    col(ChangeLogEntry.device_id) != ledger.device_id,
                )
            )
        )
        for entity, table in TABLES.items():
            fields = RECORDS[entity].fields
            sent = [f for f in fields if f != "division_code" and (entity.value, f) not in CONFIDENTIAL_FIELDS]
            stmt = select(table).where(col(table.division_code).startswith(division_code))
            for row in session.scalars(stmt):
                items.append(
                    {
                        "entity": entity.value,
                        "row_id": row.id,
                        "division_code": row.division_code,
                        "values": {f: to_wire(getattr(row, f)) for f in sent},
                        "clocks": clock_codec.expand(row.clocks, [*sent, "division_code"]),
                    }
                )
    return _write(ledger, Path(path), kind="rows", items=items, passphrase=passphrase, acks=acks)


def read_bundle(ledger: Ledger, path: Path, *, passphrase: str) -> tuple[dict[str, Any], dict[str, Any]]:
    raw = Path(path).read_bytes()
    bad = SyncError(Text("这不是有效的 GXCare 传递文件，或文件已损坏。", "This is not a valid GXCare bundle, or it is damaged."))
    if not raw.startswith(MAGIC) or len(raw) < len(MAGIC) + 4 + 64:
        raise bad
    unsigned, signature = raw[:-64], raw[-64:]
    (header_len,) = struct.unpack(">I", unsigned[len(MAGIC) : len(MAGIC) + 4])
    start = len(MAGIC) + 4
    header_bytes = unsigned[start : start + header_len]
    try:
        header = json.loads(header_bytes)
        public = base64.b64decode(header["public_key"])
        Ed25519PublicKey.from_public_bytes(public).verify(signature, unsigned)
    except (ValueError, KeyError, InvalidSignature):
        raise bad from None
    known = json.loads(ledger.meta(KNOWN_KEYS) or "{}")
    previous = known.get(header["device_id"])
    if previous and previous != header["public_key"]:
        raise SyncError(
            Text(
                "该设备的签名密钥与以前不同，可能是伪造的文件。请与村里核实后再导入。",
                "This device's signing key differs from before; the file may be forged. Check with the village first.",
            )
        )
    try:
        body = AESGCM(_key(passphrase, base64.b64decode(header["salt"]))).decrypt(
            base64.b64decode(header["nonce"]), unsigned[start + header_len :], header_bytes
        )
    except InvalidTag:
        raise SyncError(Text("传递口令不正确。", "Wrong bundle passphrase.")) from None
    known[header["device_id"]] = header["public_key"]
    ledger.set_meta(KNOWN_KEYS, json.dumps(known))
    header["fingerprint"] = _fingerprint(public)
    content: dict[str, Any] = json.loads(gzip.decompress(body))
    return header, content


def import_bundle(ledger: Ledger, path: Path, *, passphrase: str) -> BundleInfo:
    """Merge a bundle; importing the same file twice changes nothing."""
    header, content = read_bundle(ledger, Path(path), passphrase=passphrase)
    items: list[dict[str, Any]] = content["items"]
    scope = ledger.village_code
    outside = [i for i in items if not str(i.get("division_code", "")).startswith(scope)]
    if outside:
        raise SyncError(
            Text(
                f"文件中有 {len(outside)} 条记录不属于本台账的管辖范围，未导入任何内容。",
                f"{len(outside)} records in the file are outside this ledger's jurisdiction; nothing was imported.",
            )
        )
    if header["kind"] == "changes":
        ledger.import_changes(items)
    elif header["kind"] == "rows":
        # Acknowledged changes were delivered through the township: no longer pending, so the
        # township's newer values may now replace them.
        ledger.mark_pushed([(change_id, "forwarded", header["device_id"]) for change_id in content["acks"]])
        ledger.apply_snapshot(items)
    else:
        raise SyncError(Text("未知的传递文件类型。", "Unknown bundle kind."))
    ledger.record_audit("bundle_import", detail=f"{header['kind']} {len(items)} from {header['device_id']}")
    return BundleInfo(Path(path), header["kind"], len(items), header["device_id"], header["fingerprint"])

