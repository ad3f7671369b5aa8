"""Small builders shared by tests: valid ID numbers and typical child fields."""

from __future__ import annotations

from datetime import date
from typing import Any

from gxcare_desktop.domain.validators import id_check_char


def make_id(birth: date, *, male: bool, area: str = "450124", seq: int = 12) -> str:
    first17 = f"{area}{birth:%Y%m%d}{seq % 100:02d}{1 if male else 2}"
    return first17 + id_check_char(first17)


def child_fields(*, seq: int = 12, **overrides: Any) -> dict[str, Any]:
    """A valid left-behind child; the ID number follows birth date, sex and seq."""
    birth = overrides.pop("birth_date", date(2016, 5, 20))
    male = overrides.get("sex", "1") == "1"
    fields: dict[str, Any] = {
        "name": "韦小明",
        "sex": "1" if male else "2",
        "birth_date": birth,
        "id_number": make_id(birth, male=male, seq=seq) if isinstance(birth, date) else "",
        "ethnicity": "08",
        "categories": ["left_behind"],
        "schooling": "primary",
    }
    fields.update(overrides)
    return fields


_GIVEN = "一二三四五六七八九十百千明亮红兰芳华强军平安"


def name_for(i: int, surname: str = "陆") -> str:
    """A distinct valid Chinese name for the i-th test child (names cannot hold digits)."""
    return surname + _GIVEN[i % len(_GIVEN)] + _GIVEN[(i // len(_GIVEN)) % len(_GIVEN)]
