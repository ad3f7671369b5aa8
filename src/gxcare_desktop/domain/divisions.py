"""Guangxi administrative divisions (统计用区划代码): lookup, paths, scope checks and search."""

from __future__ import annotations

import bisect
import functools
import gzip
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..paths import resource_path
from .errors import ValidationError
from .text import Text

# Code length of each level: 1 province, 2 city, 3 county, 4 township, 5 village.
LEVEL_LENGTHS: dict[int, int] = {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}
_LENGTH_LEVELS: dict[int, int] = {length: level for level, length in LEVEL_LENGTHS.items()}


@dataclass(frozen=True, slots=True)
class Division:
    code: str
    name: str
    level: int
    parent: str | None


def scope_level(code: str) -> int:
    """The level a code names, from its length: 2→1, 4→2, 6→3, 9→4, 12→5."""
    level = _LENGTH_LEVELS.get(len(code))
    if level is None or not (code.isascii() and code.isdigit()):
        raise ValidationError(
            "division_code",
            Text(
                "区划代码“{code}”应为2、4、6、9或12位数字",
                "Division code '{code}' must have 2, 4, 6, 9 or 12 digits",
            ).format(code=code),
            field_label=Text("区划代码", "Division code"),
        )
    return level


def in_scope(scope_code: str, division_code: str) -> bool:
    """Whether division_code lies in (or is) the area scope_code names."""
    # Codes of every level are prefixes of their descendants, so containment is a prefix test.
    return division_code.startswith(scope_code)


class Divisions:
    """All divisions, indexed by code, by parent and in code order for prefix queries."""

    def __init__(self, rows: Iterable[Division]) -> None:
        by_code: dict[str, Division] = {}
        children: dict[str, list[Division]] = {}
        for division in rows:
            by_code[division.code] = division
            if division.parent is not None:
                children.setdefault(division.parent, []).append(division)
        for kids in children.values():
            kids.sort(key=lambda d: d.code)
        self._by_code = by_code
        self._children = children
        self._codes = sorted(by_code)
        self._ordered = [by_code[code] for code in self._codes]
        self._villages = [code for code in self._codes if by_code[code].level == 5]
        self._full_names: dict[str, str] = {}

    @classmethod
    def from_rows(cls, rows: Iterable[list[object] | tuple[object, ...]]) -> Divisions:
        """Build from [code, name, level, parent] rows as stored in the data file."""
        return cls(
            Division(str(code), str(name), int(str(level)), None if parent is None else str(parent))
            for code, name, level, parent in rows
        )

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Division]:
        return iter(self._ordered)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Division | None:
        return self._by_code.get(code)

    def children(self, code: str) -> list[Division]:
        return list(self._children.get(code, ()))

    def path(self, code: str) -> list[Division]:
        """The chain from the province down to code itself; empty for an unknown code."""
        chain: list[Division] = []
        current = self._by_code.get(code)
        while current is not None:
            chain.append(current)
            current = self._by_code.get(current.parent) if current.parent else None
        chain.reverse()
        return chain

    def full_name(self, code: str) -> str:
        """Names from city down to code, space separated ("南宁市 兴宁区 民生街道 兴宁社区居委会")."""
        cached = self._full_names.get(code)
        if cached is None:
            cached = " ".join(d.name for d in self.path(code) if d.level > 1)
            self._full_names[code] = cached
        return cached

    def _range(self, prefix: str) -> tuple[int, int]:
        # Codes are digit strings of the same alphabet, so all codes with a prefix are contiguous.
        low = bisect.bisect_left(self._codes, prefix)
        high = bisect.bisect_left(self._codes, prefix + "\uffff")
        return low, high

    def under(self, prefix: str, *, level: int | None = None) -> list[Division]:
        """Every division whose code starts with prefix (itself included), in code order."""
        low, high = self._range(prefix)
        found = self._ordered[low:high]
        if level is not None:
            found = [d for d in found if d.level == level]
        return found

    def village_codes_under(self, prefix: str) -> list[str]:
        low = bisect.bisect_left(self._villages, prefix)
        high = bisect.bisect_left(self._villages, prefix + "\uffff")
        return self._villages[low:high]

    def county_of(self, code: str) -> Division | None:
        return self._ancestor(code, 3)

    def township_of(self, code: str) -> Division | None:
        return self._ancestor(code, 4)

    def _ancestor(self, code: str, level: int) -> Division | None:
        length = LEVEL_LENGTHS[level]
        if len(code) < length:
            return None
        return self._by_code.get(code[:length])

    def search(self, text: str, *, level: int | None = None, limit: int = 50) -> list[Division]:
        """Divisions whose code starts with text (digits) or whose name contains it.

        Exact names come first, then names starting with the text, then the rest; each group
        in code order. Several words ("兴宁 三塘") must all appear in the full name.
        """
        query = " ".join(text.split())
        if not query or limit <= 0:
            return []
        if query.isascii() and query.isdigit():
            return self.under(query, level=level)[:limit]
        words = query.split(" ")
        exact: list[Division] = []
        starts: list[Division] = []
        contains: list[Division] = []
        if len(words) == 1:
            # One word: match the division's own name (a linear scan of 18k short strings).
            for division in self._ordered:
                if level is not None and division.level != level:
                    continue
                name = division.name
                if query not in name:
                    continue
                if name == query:
                    exact.append(division)
                elif name.startswith(query):
                    starts.append(division)
                else:
                    contains.append(division)
                if len(exact) >= limit:
                    break
        else:
            # Several words narrow by place: each must appear somewhere in the full name,
            # and the last one in the division's own name.
            last = words[-1]
            for division in self._ordered:
                if level is not None and division.level != level:
                    continue
                if last not in division.name:
                    continue
                full = self.full_name(division.code)
                if all(word in full for word in words[:-1]):
                    (starts if division.name.startswith(last) else contains).append(division)
        return (exact + starts + contains)[:limit]


def _data_rows() -> list[list[object]]:
    with gzip.open(resource_path("data", "guangxi_divisions.json.gz"), "rt", encoding="utf-8") as f:
        data = json.load(f)
    columns = data["columns"]
    if columns != ["code", "name", "level", "parent"]:
        raise RuntimeError(f"unexpected columns in guangxi_divisions.json.gz: {columns}")
    rows: list[list[object]] = data["rows"]
    return rows


@functools.cache
def load_divisions() -> Divisions:
    """The Guangxi divisions shipped with the program (loaded once; the data never changes)."""
    return Divisions.from_rows(_data_rows())
