"""Per-field clocks stored compactly: one clock for the row plus the fields written since.

Most rows are written whole and never edited, so `{"*": hlc}` replaces one 40-byte clock per
field; this halves the size of a ledger with years of visits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

ROW = "*"


def field_clock(clocks: dict[str, str] | None, field: str) -> str:
    if not clocks:
        return ""
    return clocks.get(field) or clocks.get(ROW, "")


def stamp(clocks: dict[str, str] | None, fields: Iterable[str], hlc: str, *, whole_row: bool) -> dict[str, str]:
    """The clocks after `fields` were written at `hlc` (all of the row's fields if `whole_row`)."""
    if whole_row or not clocks:
        return {ROW: hlc} if whole_row else dict.fromkeys(fields, hlc)
    return {**clocks, **dict.fromkeys(fields, hlc)}


def compact(per_field: dict[str, str]) -> dict[str, str]:
    """Per-field clocks as received from the server, folded around the most common one."""
    if not per_field:
        return {}
    common, _ = Counter(per_field.values()).most_common(1)[0]
    return {ROW: common, **{f: c for f, c in per_field.items() if c != common}}


def expand(clocks: dict[str, str] | None, fields: Iterable[str]) -> dict[str, str]:
    return {f: c for f in fields if (c := field_clock(clocks, f))}
