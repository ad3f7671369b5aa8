"""Pinyin search keys of names."""

from __future__ import annotations

import pytest

from gxcare_desktop.domain.names import pinyin_full, pinyin_initials


@pytest.mark.parametrize(
    ("name", "initials", "full"),
    [
        ("张三", "zs", "zhangsan"),
        ("李四", "ls", "lisi"),
        ("韦小宝", "wxb", "weixiaobao"),
        ("覃小红", "qxh", "qinxiaohong"),  # Guangxi surname 覃 reads qin
        ("单雄信", "sxx", "shanxiongxin"),
        ("曾国藩", "zgf", "zengguofan"),
        ("尉迟恭", "ycg", "yuchigong"),
        ("吕布", "lb", "lvbu"),
        ("阿卜杜·买买提", "abdmmt", "abudumaimaiti"),
        ("张 三", "zs", "zhangsan"),
        ("Tom张", "tomz", "tomzhang"),
        ("ＡＢ王", "abw", "abwang"),
        ("", "", ""),
    ],
)
def test_pinyin_keys(name: str, initials: str, full: str) -> None:
    assert pinyin_initials(name) == initials
    assert pinyin_full(name) == full


def test_keys_are_lower_case_ascii() -> None:
    for name in ["莫小贝", "黄Mary", "农 丽 芳", "蒙·阿里"]:
        for key in (pinyin_initials(name), pinyin_full(name)):
            assert key == key.lower() and key.isascii() and key.isalnum()


def test_rare_character_without_reading_is_skipped() -> None:
    # 𡌶 (in a Guangxi village name) has no reading in pypinyin; it must not leak into the key.
    assert pinyin_initials("张𡌶") == "z"
    assert pinyin_full("张𡌶").isascii()
