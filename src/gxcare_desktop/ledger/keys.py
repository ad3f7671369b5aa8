"""The key vault beside the ledger: a random data key wrapped under the password and a recovery code."""

from __future__ import annotations

import base64
import json
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from ..domain.text import Text
from .errors import LedgerError, LedgerLockedOut, WrongPassword

VAULT_FORMAT = "gxcare-vault"
DATA_KEY_BYTES = 32
# Crockford base32: no I, L, O, U, so a code copied by hand off paper is not misread.
_RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RECOVERY_GROUPS = 8
_FREE_TRIES = 2
_MAX_DELAY_S = 300.0

# Argon2id with 64 MiB takes ~0.2 s here: cheap once per unlock, expensive per guess.
ARGON2_PARAMS = {"iterations": 3, "lanes": 4, "memory_kib": 64 * 1024}
SCRYPT_PARAMS = {"n": 2**15, "r": 8, "p": 1}


def vault_path(ledger_path: Path) -> Path:
    return ledger_path.with_name(ledger_path.name + ".vault")


def new_recovery_code() -> str:
    chars = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_GROUPS * 4))
    return "-".join(chars[i : i + 4] for i in range(0, len(chars), 4))


def normalize_recovery_code(code: str) -> str:
    cleaned = code.strip().upper().replace("-", "").replace(" ", "")
    cleaned = cleaned.replace("O", "0").replace("I", "1").replace("L", "1")
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


def _derive_password_key(password: str, kdf: dict[str, Any]) -> bytes:
    salt = _unb64(kdf["salt"])
    secret = password.encode("utf-8")
    if kdf["name"] == "argon2id":
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

        return Argon2id(
            salt=salt,
            length=32,
            iterations=kdf["iterations"],
            lanes=kdf["lanes"],
            memory_cost=kdf["memory_kib"],
        ).derive(secret)
    if kdf["name"] == "scrypt":
        return Scrypt(salt=salt, length=32, n=kdf["n"], r=kdf["r"], p=kdf["p"]).derive(secret)
    raise LedgerError(Text(f"未知的密钥派生算法：{kdf['name']}", f"Unknown key derivation: {kdf['name']}"))


def _new_password_kdf() -> dict[str, Any]:
    salt = _b64(os.urandom(16))
    try:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id  # noqa: F401
    except ImportError:  # older OpenSSL builds lack Argon2
        return {"name": "scrypt", "salt": salt, **SCRYPT_PARAMS}
    return {"name": "argon2id", "salt": salt, **ARGON2_PARAMS}


def _derive_recovery_key(code: str, salt: bytes) -> bytes:
    # The recovery code carries 160 random bits, so it needs no stretching.
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"gxcare recovery").derive(
        normalize_recovery_code(code).encode("ascii")
    )


def _wrap(key: bytes, data_key: bytes, label: bytes) -> dict[str, str]:
    nonce = os.urandom(12)
    return {"nonce": _b64(nonce), "ct": _b64(AESGCM(key).encrypt(nonce, data_key, label))}


def _unwrap(key: bytes, wrapped: dict[str, str], label: bytes) -> bytes:
    return AESGCM(key).decrypt(_unb64(wrapped["nonce"]), _unb64(wrapped["ct"]), label)


def write_atomic(path: Path, data: bytes) -> None:
    """Temp file, fsync, rename: a crash leaves the old file or the new one, never half of one."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


@dataclass
class Vault:
    """The vault file's content. Only wrapped keys live here, never the data key itself."""

    doc: dict[str, Any]

    @classmethod
    def create(cls, password: str) -> tuple[Vault, bytes, str]:
        data_key = os.urandom(DATA_KEY_BYTES)
        recovery_code = new_recovery_code()
        kdf = _new_password_kdf()
        recovery_salt = os.urandom(16)
        doc = {
            "format": VAULT_FORMAT,
            "version": 1,
            "kdf": kdf,
            "password_wrap": _wrap(_derive_password_key(password, kdf), data_key, b"password"),
            "recovery_salt": _b64(recovery_salt),
            "recovery_wrap": _wrap(
                _derive_recovery_key(recovery_code, recovery_salt), data_key, b"recovery"
            ),
            "failed_attempts": 0,
            "locked_until": 0.0,
        }
        return cls(doc), data_key, recovery_code

    @classmethod
    def load(cls, path: Path) -> Vault:
        try:
            doc = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise LedgerError(
                Text(f"无法读取密钥文件 {path.name}：{exc}", f"Cannot read the key file {path.name}: {exc}")
            ) from exc
        if doc.get("format") != VAULT_FORMAT:
            raise LedgerError(Text("密钥文件格式不正确。", "The key file has the wrong format."))
        return cls(doc)

    def to_bytes(self) -> bytes:
        return json.dumps(self.doc, indent=1, sort_keys=True).encode("utf-8")

    def save(self, path: Path) -> None:
        write_atomic(path, self.to_bytes())

    def unlock(self, *, password: str | None, recovery_code: str | None, path: Path | None) -> bytes:
        """Unwrap the data key; a wrong secret raises WrongPassword and lengthens the wait."""
        now = time.time()
        locked_until = float(self.doc.get("locked_until", 0.0))
        if locked_until > now:
            raise LedgerLockedOut(locked_until - now)
        try:
            if password is not None:
                key = _derive_password_key(password, self.doc["kdf"])
                data_key = _unwrap(key, self.doc["password_wrap"], b"password")
            elif recovery_code is not None:
                salt = _unb64(self.doc["recovery_salt"])
                key = _derive_recovery_key(recovery_code, salt)
                data_key = _unwrap(key, self.doc["recovery_wrap"], b"recovery")
            else:
                raise WrongPassword(0.0)
        except InvalidTag:
            failures = int(self.doc.get("failed_attempts", 0)) + 1
            delay = 0.0 if failures <= _FREE_TRIES else min(2.0 ** (failures - _FREE_TRIES - 1), _MAX_DELAY_S)
            self.doc["failed_attempts"] = failures
            self.doc["locked_until"] = now + delay
            if path is not None:
                self.save(path)
            raise WrongPassword(delay) from None
        if self.doc.get("failed_attempts") and path is not None:
            self.doc["failed_attempts"] = 0
            self.doc["locked_until"] = 0.0
            self.save(path)
        return data_key

    def rewrap_password(self, data_key: bytes, new_password: str) -> None:
        kdf = _new_password_kdf()
        self.doc["kdf"] = kdf
        self.doc["password_wrap"] = _wrap(_derive_password_key(new_password, kdf), data_key, b"password")

    def rewrap_recovery(self, data_key: bytes) -> str:
        code = new_recovery_code()
        salt = os.urandom(16)
        self.doc["recovery_salt"] = _b64(salt)
        self.doc["recovery_wrap"] = _wrap(_derive_recovery_key(code, salt), data_key, b"recovery")
        return code


def password_problems(password: str) -> list[Text]:
    """Why a password is too weak; empty when it is acceptable."""
    problems: list[Text] = []
    if len(password) < 8:
        problems.append(Text("密码至少需要 8 个字符。", "The password needs at least 8 characters."))
    kinds = sum(
        [
            any(c.isdigit() for c in password),
            any(c.isalpha() and c.isascii() and c.islower() for c in password),
            any(c.isalpha() and c.isascii() and c.isupper() for c in password),
            any(not c.isascii() or not c.isalnum() for c in password),
        ]
    )
    if kinds < 2:
        problems.append(
            Text("密码需包含至少两类字符（数字、字母、符号）。", "Use at least two kinds of characters (digits, letters, symbols).")
        )
    if password and len(set(password)) <= 2:
        problems.append(Text("密码不能是重复的同一字符。", "The password cannot repeat one character."))
    common = {"12345678", "123456789", "password", "11111111", "88888888", "qwertyui", "abc12345", "a1234567"}
    if password.lower() in common:
        problems.append(Text("这个密码太常见了。", "This password is too common."))
    return problems
