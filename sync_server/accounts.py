"""Users, device enrolment with a database-backed login rate limit, token checks, revocation, audit."""

from __future__ import annotations

import json
import math
import time
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from gxcare_desktop.domain.enums import Role

from . import statements
from .core.config import Settings
from .core.errors import APIError
from .core.security import (
    DUMMY_HASH,
    hash_password,
    new_device_token,
    token_digest,
    verify_password,
)
from .models import Device, LoginAttempt, User
from .scope import ROLE_CODE_LENGTH, is_valid_appointment, role_of

_KEEP_ATTEMPTS_MS = 24 * 3600 * 1000  # beyond the rate-limit window, for an administrator's look


def now_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(frozen=True, slots=True)
class Caller:
    """The authenticated device and its user, as loaded for one request."""

    device: Device
    user: User

    @property
    def role(self) -> Role:
        return role_of(self.user.role)

    @property
    def scope(self) -> str:
        return self.user.division_code


def server_epoch(session: Session) -> str:
    value = session.execute(statements.READ_EPOCH).scalar_one_or_none()
    return str(value) if value is not None else ""


def audit(
    session: Session,
    *,
    action: str,
    username: str = "",
    device_id: str = "",
    count: int = 0,
    detail: dict[str, Any] | None = None,
    client_addr: str = "",
    at_ms: int | None = None,
) -> None:
    # A Core insert, not a mapped object: one row per push and pull, and the unit of work costs
    # several times the insert itself.
    session.execute(
        statements.INSERT_AUDIT,
        {
            "at_ms": now_ms() if at_ms is None else at_ms,
            "username": username,
            "device_id": device_id,
            "action": action,
            "count": count,
            "detail": json.dumps(detail or {}, ensure_ascii=False, sort_keys=True),
            "client_addr": client_addr[:64],
        },
    )


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: Role,
    division_code: str,
    settings: Settings,
) -> User:
    """Add an account; the division must be a real one at the level of the role."""
    username = username.strip()
    if not username or len(username) > 64:
        raise ValueError("username must have 1 to 64 characters")
    if len(password) < 8:
        raise ValueError("password must have at least 8 characters")
    if not is_valid_appointment(role, division_code):
        raise ValueError(
            f"{role.value} needs a real {ROLE_CODE_LENGTH[role]}-digit Guangxi division code, "
            f"not {division_code!r}"
        )
    if session.exec(select(User).where(User.username == username)).first() is not None:
        raise ValueError(f"user {username!r} already exists")
    user = User(
        username=username,
        password_hash=hash_password(
            password,
            memory_kib=settings.argon2_memory_kib,
            iterations=settings.argon2_iterations,
        ),
        role=role.value,
        division_code=division_code,
        created_ms=now_ms(),
    )
    session.add(user)
    session.flush()
    audit(session, action="create_user", username=username, detail={"role": role.value, "division_code": division_code})
    return user


def _retry_after_s(session: Session, column: Any, key: str, since: int, limit: int, window_ms: int) -> int | None:
    """Seconds until the oldest counted failure leaves the window, or None below the limit."""
    failures = (
        select(LoginAttempt.at_ms)
        .where(column == key, LoginAttempt.success == False, LoginAttempt.at_ms >= since)  # noqa: E712
        .order_by(col(LoginAttempt.at_ms).desc())
        .limit(limit)
    )
    times = list(session.exec(failures).all())
    if len(times) < limit:
        return None
    # The limit-th most recent failure decides when one slot frees up.
    return max(1, math.ceil((times[-1] + window_ms - now_ms()) / 1000))


def enrol(
    session: Session,
    *,
    username: str,
    password: str,
    device_name: str,
    client_addr: str,
    settings: Settings,
) -> tuple[Device, User, str]:
    """Check the password (rate-limited) and register a new device; returns the token once."""
    window_ms = settings.login_window_s * 1000
    since = now_ms() - window_ms
    username = username.strip()[:64]
    waits = [
        _retry_after_s(session, LoginAttempt.username, username, since, settings.login_max_failures_user, window_ms),
        _retry_after_s(session, LoginAttempt.client_addr, client_addr, since, settings.login_max_failures_addr, window_ms),
    ]
    blocked = [wait for wait in waits if wait is not None]
    if blocked:
        retry = max(blocked)
        audit(session, action="enrol_limited", username=username, client_addr=client_addr)
        session.commit()
        raise APIError(
            429,
            "too_many_attempts",
            f"登录失败次数过多，请 {math.ceil(retry / 60)} 分钟后再试",
            f"Too many failed logins; try again in {math.ceil(retry / 60)} minutes",
            headers={"Retry-After": str(retry)},
        )
    user = session.exec(select(User).where(User.username == username)).first()
    ok = verify_password(password, user.password_hash if user is not None else DUMMY_HASH)
    ok = ok and user is not None and user.active
    # Attempts count only inside the window; older ones would only grow the table (failures stay
    # in the audit trail as enrol_failed). After the password check: on SQLite the first write
    # takes the database's write lock, and the memory-hard hash must not run while holding it.
    session.execute(delete(LoginAttempt).where(col(LoginAttempt.at_ms) < since - _KEEP_ATTEMPTS_MS))
    session.add(
        LoginAttempt(at_ms=now_ms(), username=username, client_addr=client_addr[:64], success=ok)
    )
    if not ok or user is None:
        audit(session, action="enrol_failed", username=username, client_addr=client_addr)
        # Committed before answering: the failure must count even though the request fails.
        session.commit()
        raise APIError(
            401,
            "bad_credentials",
            "用户名或密码不正确",
            "Wrong username or password",
        )
    token = new_device_token()
    device = Device(
        id=uuid.uuid4().hex,
        user_id=user.id or 0,
        name=device_name.strip()[:100],
        token_hash=token_digest(token),
        created_ms=now_ms(),
    )
    session.add(device)
    audit(
        session,
        action="enrol",
        username=username,
        device_id=device.id,
        client_addr=client_addr,
        detail={"device_name": device.name},
    )
    session.commit()
    return device, user, token


def authenticate(session: Session, token: str) -> Caller | None:
    """The device holding this token and its user, unless revoked or deactivated."""
    if not token:
        return None
    # Looked up by digest, so the comparison is on a value the attacker cannot steer byte by byte.
    # One query for device and user, in the request's own session: no cache, so a revocation or
    # deactivation committed by any worker is seen by the next request.
    found = session.execute(statements.DEVICE_BY_TOKEN, {"token_hash": token_digest(token)}).first()
    if found is None:
        return None
    device, user = found
    if device.revoked_ms is not None or not user.active:
        return None
    return Caller(device=device, user=user)


# "Last seen" is for administrators; to the minute is enough, and saves a write per request.
SEEN_PRECISION_MS = 60_000


def record_seen(session: Session, device: Device, *, at_ms: int, pull_cursor: int | None = None) -> None:
    """Store when the device was last seen (when the stored time is over a minute old) and how
    far it has pulled (when that moved), with one UPDATE or none."""
    cursor = max(pull_cursor or 0, device.last_pull_cursor)
    stale = device.last_seen_ms is None or at_ms - device.last_seen_ms >= SEEN_PRECISION_MS
    if cursor == device.last_pull_cursor and not stale:
        return
    values = {"last_pull_cursor": cursor, "last_seen_ms": at_ms}
    session.execute(statements.RECORD_SEEN, {"device_id": device.id, **values})
    # The loaded object follows without becoming dirty (nothing flushes it a second time).
    for name, value in values.items():
        set_committed_value(device, name, value)


def revoke_device(session: Session, *, device_id: str, by: str, client_addr: str = "") -> Device | None:
    device = session.get(Device, device_id)
    if device is None:
        return None
    if device.revoked_ms is None:
        device.revoked_ms = now_ms()
        session.add(device)
    audit(session, action="revoke", username=by, device_id=device_id, client_addr=client_addr)
    return device


def list_devices(session: Session, *, scope: str | None = None) -> list[tuple[Device, User]]:
    """Devices with their users, newest first; only users inside scope when given."""
    query = select(Device, User).join(User, col(User.id) == col(Device.user_id))
    if scope is not None:
        query = query.where(func.substr(User.division_code, 1, len(scope)) == scope)
    query = query.order_by(col(Device.created_ms).desc())
    return [(device, user) for device, user in session.exec(query).all()]
