"""Typed, Qt-free user settings kept as JSON in the user data folder (no singleton: pass them around)."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

from .paths import user_data_dir

Language = Literal["zh_CN", "en"]
LANGUAGES: tuple[Language, ...] = ("zh_CN", "en")
IDLE_LOCK_RANGE = (1, 240)  # minutes; a lock after more than 4 hours protects nothing


def default_settings_path() -> Path:
    return user_data_dir() / "settings.json"


def default_ledger_path() -> Path:
    return user_data_dir() / "ledger.gxc"


@dataclass(frozen=True, slots=True)
class Settings:
    language: Language = "zh_CN"
    idle_lock_minutes: int = 10
    last_ledger_path: Path | None = None
    server_url: str = ""
    ca_file: Path | None = None
    auto_sync: bool = True
    extra: dict[str, Any] = field(default_factory=dict)  # keys of newer versions, kept on save

    def ledger_path(self) -> Path:
        return self.last_ledger_path or default_ledger_path()

    def with_changes(self, **changes: Any) -> Settings:
        return _clean(replace(self, **changes))

    @classmethod
    def load(cls, path: Path) -> Settings:
        """Read settings; a missing or unreadable file gives the defaults (never an error at start-up)."""
        try:
            raw = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(raw, dict):
            return cls()
        known = {f.name for f in fields(cls)} - {"extra"}
        values: dict[str, Any] = {k: v for k, v in raw.items() if k in known}
        extra = {k: v for k, v in raw.items() if k not in known}
        for key in ("last_ledger_path", "ca_file"):
            values[key] = Path(values[key]) if isinstance(values.get(key), str) and values[key] else None
        defaults = cls()
        for key, kind in (("idle_lock_minutes", int), ("server_url", str), ("auto_sync", bool)):
            if key in values and not isinstance(values[key], kind):
                values[key] = getattr(defaults, key)
        return _clean(cls(**values, extra=extra))

    def save(self, path: Path) -> None:
        """Write atomically: a temporary file beside the target, fsync, then os.replace."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {k: v for k, v in asdict(self).items() if k != "extra"}
        for key in ("last_ledger_path", "ca_file"):
            data[key] = str(data[key]) if data[key] is not None else None
        payload = json.dumps({**self.extra, **data}, ensure_ascii=False, indent=2)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(payload)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        _fsync_dir(path.parent)


def _clean(settings: Settings) -> Settings:
    """Bring values a hand-edited file may hold back into range."""
    language: Language = settings.language if settings.language in LANGUAGES else "zh_CN"
    low, high = IDLE_LOCK_RANGE
    minutes = min(max(int(settings.idle_lock_minutes), low), high)
    if language == settings.language and minutes == settings.idle_lock_minutes:
        return settings
    return replace(settings, language=language, idle_lock_minutes=minutes)


def _fsync_dir(folder: Path) -> None:
    # The rename itself is durable only once the directory entry is flushed (POSIX only).
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
