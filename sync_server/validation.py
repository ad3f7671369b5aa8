"""Checks of pushed values against the record schema (domain.records FieldKind)."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime

from gxcare_desktop.domain.records import FieldKind
from gxcare_desktop.sync.protocol import JsonValue

MAX_TEXT_CHARS = 4000
MAX_CODES = 200
MAX_CODE_CHARS = 64


def value_ok(kind: FieldKind, value: JsonValue) -> bool:
    """Whether value is acceptable for a field of this kind (None clears any field)."""
    if value is None:
        return True
    match kind:
        case FieldKind.TEXT:
            return isinstance(value, str) and len(value) <= MAX_TEXT_CHARS
        case FieldKind.INT:
            return isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**53
        case FieldKind.FLOAT:
            return (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and math.isfinite(value)
            )
        case FieldKind.BOOL:
            return isinstance(value, bool)
        case FieldKind.DATE:
            return isinstance(value, str) and len(value) == 10 and _parses(date.fromisoformat, value)
        case FieldKind.DATETIME:
            return isinstance(value, str) and len(value) <= 40 and _parses(datetime.fromisoformat, value)
        case FieldKind.CODES:
            return (
                isinstance(value, list)
                and len(value) <= MAX_CODES
                and all(isinstance(code, str) and len(code) <= MAX_CODE_CHARS for code in value)
            )
    return False


def _parses(parse: Callable[[str], object], text: str) -> bool:
    try:
        parse(text)
    except ValueError:
        return False
    return True
