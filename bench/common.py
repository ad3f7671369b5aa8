"""Shared bench helpers: cached demo ledgers and simple timing statistics."""

from __future__ import annotations

import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gxcare_desktop.ledger.demo import create_demo_ledger
from gxcare_desktop.ledger.keys import vault_path

PASSWORD = "Bench-pass-2026"
CACHE = Path("/tmp/gxcare-bench")


def demo_ledger(children: int, *, workdir: Path) -> Path:
    """A copy of a cached demo ledger of `children` children (built once, reused by later runs)."""
    cached = CACHE / f"demo-{children}.gxc"
    if not cached.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        tmp = CACHE / f"building-{children}.gxc"
        for stale in (tmp, vault_path(tmp)):
            stale.unlink(missing_ok=True)
        ledger = create_demo_ledger(tmp, password=PASSWORD, children=children, seed=7)
        ledger.close()
        shutil.move(vault_path(tmp), vault_path(cached))
        shutil.move(tmp, cached)
        print(f"  (built demo ledger of {children:,} children in {time.perf_counter() - started:.1f} s)", file=sys.stderr)
    target = workdir / cached.name
    shutil.copyfile(cached, target)
    shutil.copyfile(vault_path(cached), vault_path(target))
    return target


def timed(fn: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    """Median wall time in milliseconds over `repeat` runs, and the last result."""
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]
