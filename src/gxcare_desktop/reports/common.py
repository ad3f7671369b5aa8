"""Small helpers every report module shares: label translation, ID masking, cell text cleanup."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from ..domain.text import Text

# A report takes a callable that turns a bilingual label into the text to print; the UI passes
# one that follows the chosen language, the CLI the default (Chinese, as county forms are).
Translate = Callable[[Text], str]


def chinese(text: Text) -> str:
    return text.zh


def english(text: Text) -> str:
    return text.en


def translator(language: str) -> Translate:
    return english if language.startswith("en") else chinese


def mask_id_number(value: str) -> str:
    """`450***********123X`: the province/city prefix and the last four stay, the birth date goes."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def iso(value: date | datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
