"""Pinyin keys of Chinese names, for search boxes: 张三 → "zs" and "zhangsan"."""

from __future__ import annotations

import functools
import re
from typing import Any, cast

from .validators import normalize_width

# Surnames whose reading differs from the character's everyday reading. 覃 matters most
# here: it is a common Guangxi surname, read Qín (pypinyin's default is tán).
_COMPOUND_SURNAMES: dict[str, tuple[str, ...]] = {
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
    "长孙": ("zhang", "sun"),
    "单于": ("chan", "yu"),
    "澹台": ("tan", "tai"),
    "令狐": ("ling", "hu"),
    "皇甫": ("huang", "fu"),
    "亓官": ("qi", "guan"),
}
_SURNAMES: dict[str, str] = {
    "覃": "qin",
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "查": "zha",
    "朴": "piao",
    "缪": "miao",
    "翟": "zhai",
    "盖": "ge",
    "种": "chong",
    "员": "yun",
    "召": "shao",
    "繁": "po",
    "乐": "yue",
    "秘": "bi",
    "黑": "he",
    "折": "she",
    "冼": "xian",
    "洗": "xian",
    "华": "hua",
    "柏": "bai",
    "藏": "zang",
    "宿": "su",
    "句": "gou",
    "阚": "kan",
    "隗": "wei",
    "燕": "yan",
    "那": "na",
    "能": "nai",
    "佴": "nai",
}
# Characters pypinyin reads by their phrase reading inside names (阿卜杜 → bo).
_NAME_CHARS: dict[str, str] = {"卜": "bu"}
_NOT_KEPT = re.compile(r"[^a-z0-9]+")
_HAN_RUNS = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]+)")


def _no_reading(chunk: str) -> list[str]:
    # A rare character pypinyin does not know contributes nothing rather than itself.
    return ["" for _ in chunk]


# Cached: pinyin_full and pinyin_initials of the same name are always asked for together.
@functools.lru_cache(maxsize=4096)
def _tokens(name: str) -> tuple[tuple[str, bool], ...]:
    """(text, is_syllable) pairs: one pinyin syllable per Chinese character, other runs whole."""
    text = normalize_width(name).strip()
    tokens: list[tuple[str, bool]] = []
    for compound, reading in _COMPOUND_SURNAMES.items():
        if text.startswith(compound):
            tokens.extend((syllable, True) for syllable in reading)
            text = text[len(compound) :]
            break
    else:
        if text[:1] in _SURNAMES:
            tokens.append((_SURNAMES[text[0]], True))
            text = text[1:]
    for i, run in enumerate(_HAN_RUNS.split(text)):
        if not run:
            continue
        if i % 2 == 0:  # split() puts the captured Chinese runs at odd positions
            tokens.extend((word, False) for word in _NOT_KEPT.split(run.lower()) if word)
            continue
        # Imported here: its phrase dictionary costs ~0.3 s, and a window that only reads
        # the list (pinyin keys are stored columns) should not pay it at start.
        from pypinyin import Style, lazy_pinyin

        # pypinyin accepts a list from errors (its annotation says str); a list keeps one
        # entry per character, so syllables stay aligned with the characters.
        syllables = lazy_pinyin(run, style=Style.NORMAL, errors=cast(Any, _no_reading))
        for ch, syllable in zip(run, syllables, strict=False):
            tokens.append((_NAME_CHARS.get(ch, syllable), True))
    return tuple(tokens)


@functools.lru_cache(maxsize=65536)
def pinyin_full(name: str) -> str:
    """Toneless pinyin, lower case, letters and digits only: 张三 → "zhangsan" (吕 → "lv")."""
    return _NOT_KEPT.sub("", "".join(text for text, _ in _tokens(name)).lower())


@functools.lru_cache(maxsize=65536)
def pinyin_initials(name: str) -> str:
    """First letter of each syllable: 张三 → "zs"; Latin letters are kept whole, lower-cased."""
    parts: list[str] = []
    for text, is_syllable in _tokens(name):
        cleaned = _NOT_KEPT.sub("", text.lower())
        if cleaned:
            parts.append(cleaned[0] if is_syllable else cleaned)
    return "".join(parts)
