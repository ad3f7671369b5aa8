"""Password hashing (Argon2id), device tokens (random, stored as SHA-256) and constant-time checks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from cryptography.exceptions import InvalidKey
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

_SCHEME = "argon2id"
_SALT_BYTES = 16
_HASH_BYTES = 32


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def _kdf(salt: bytes, *, memory_kib: int, iterations: int, lanes: int) -> Argon2id:
    return Argon2id(
        salt=salt, length=_HASH_BYTES, iterations=iterations, lanes=lanes, memory_cost=memory_kib
    )


def hash_password(password: str, *, memory_kib: int = 19456, iterations: int = 2) -> str:
    """A self-describing hash: argon2id$m=..,t=..,p=..$salt$hash (parameters travel with it)."""
    salt = secrets.token_bytes(_SALT_BYTES)
    key = _kdf(salt, memory_kib=memory_kib, iterations=iterations, lanes=1).derive(
        password.encode("utf-8")
    )
    return f"{_SCHEME}$m={memory_kib},t={iterations},p=1${_b64(salt)}${_b64(key)}"


def verify_password(password: str, encoded: str) -> bool:
    try:
        scheme, params, salt_text, key_text = encoded.split("$")
        values = dict(part.split("=", 1) for part in params.split(","))
        memory_kib, iterations, lanes = int(values["m"]), int(values["t"]), int(values["p"])
        salt, key = _unb64(salt_text), _unb64(key_text)
    except (ValueError, KeyError):
        return False
    if scheme != _SCHEME:
        return False
    try:
        _kdf(salt, memory_kib=memory_kib, iterations=iterations, lanes=lanes).verify(
            password.encode("utf-8"), key
        )
    except InvalidKey:
        return False
    return True


# Verified against when the username does not exist, so a wrong name costs the same time as a
# wrong password and does not reveal which accounts exist.
DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


def new_device_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    # Tokens carry 256 random bits, so a fast hash suffices: no dictionary to attack.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same_digest(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("ascii"), b.encode("ascii"))
