"""Typed settings of the sync server, from arguments or the environment (no global singleton)."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

from gxcare_desktop.sync.protocol import MAX_BODY_BYTES, MAX_CLOCK_DRIFT_MS

DEFAULT_DATABASE_URL = "sqlite:///./gxcare-server.db"
DATABASE_URL_ENV = "GXCARE_DATABASE_URL"
REQUEST_THREADS_ENV = "GXCARE_REQUEST_THREADS"


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    max_body_bytes: int = MAX_BODY_BYTES
    max_clock_drift_ms: int = MAX_CLOCK_DRIFT_MS
    # Failed logins tolerated in the window, per username and per client address; a village
    # office behind one NAT address gets more room than one account.
    login_window_s: int = 15 * 60
    login_max_failures_user: int = 5
    login_max_failures_addr: int = 20
    # Worker threads per process that run routes (each holds at most one pooled connection, so
    # the pool has as many; see api/deps.py).
    request_threads: int = 16
    # Empty pulls are tallied in memory and audited in one batch this often (activity.py).
    quiet_pull_flush_s: float = 2.0
    pull_default_limit: int = 1000
    pull_max_limit: int = 5000
    snapshot_default_limit: int = 1000
    snapshot_max_limit: int = 5000
    # Argon2id parameters (OWASP minimum: 19 MiB, 2 passes, 1 lane).
    argon2_memory_kib: int = 19456
    argon2_iterations: int = 2

    @classmethod
    def from_env(cls, *, database_url: str | None = None) -> Settings:
        url = database_url or os.environ.get(DATABASE_URL_ENV) or DEFAULT_DATABASE_URL
        threads = os.environ.get(REQUEST_THREADS_ENV)
        if threads:
            return cls(database_url=url, request_threads=max(1, int(threads)))
        return cls(database_url=url)

    def with_url(self, database_url: str) -> Settings:
        return replace(self, database_url=database_url)
