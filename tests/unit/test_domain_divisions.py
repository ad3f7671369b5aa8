"""The Guangxi division data: counts, lookups, paths, scope tests and search."""

from __future__ import annotations

import pytest

from gxcare_desktop.domain.divisions import (
    Division,
    Divisions,
    in_scope,
    load_divisions,
    scope_level,
)
from gxcare_desktop.domain.errors import ValidationError

VILLAGE = "450124100201"  # a village of 马山县 白山镇
TOWNSHIP = "450124100"
COUNTY = "450124"


@pytest.fixture(scope="module")
def divisions() -> Divisions:
    return load_divisions()


def test_counts_match_domain_reference(divisions: Divisions) -> None:
    by_level: dict[int, int] = {}
    for division in divisions:
        by_level[division.level] = by_level.get(division.level, 0) + 1
    assert by_level == {1: 1, 2: 14, 3: 111, 4: 1284, 5: 16681}
    assert len(divisions) == 18091
    assert len(divisions.village_codes_under("45")) == 16681


def test_load_is_cached(divisions: Divisions) -> None:
    assert load_divisions() is divisions


def test_every_parent_exists_and_codes_nest(divisions: Divisions) -> None:
    for division in divisions:
        assert scope_level(division.code) == division.level
        if division.parent is None:
            assert division.level == 1
        else:
            parent = divisions.get(division.parent)
            assert parent is not None and parent.level == division.level - 1
            assert in_scope(parent.code, division.code)


def test_get_and_contains(divisions: Divisions) -> None:
    village = divisions.get(VILLAGE)
    assert village is not None and village.level == 5 and village.parent == TOWNSHIP
    assert VILLAGE in divisions
    assert "450124100999" not in divisions
    assert divisions.get("nope") is None


def test_children_are_sorted(divisions: Divisions) -> None:
    cities = divisions.children("45")
    assert len(cities) == 14
    assert [c.code for c in cities] == sorted(c.code for c in cities)
    assert cities[0] == Division("4501", "南宁市", 2, "45")
    assert all(c.parent == TOWNSHIP for c in divisions.children(TOWNSHIP))
    assert divisions.children(VILLAGE) == []


def test_path_and_full_name(divisions: Divisions) -> None:
    path = divisions.path(VILLAGE)
    assert [d.level for d in path] == [1, 2, 3, 4, 5]
    assert [d.code for d in path] == ["45", "4501", COUNTY, TOWNSHIP, VILLAGE]
    full = divisions.full_name(VILLAGE)
    assert full.startswith("南宁市 马山县 白山镇 ")
    assert full.split(" ")[-1] == path[-1].name
    assert "广西" not in full
    assert divisions.full_name("4501") == "南宁市"
    assert divisions.path("999") == []


def test_county_and_township_of(divisions: Divisions) -> None:
    county = divisions.county_of(VILLAGE)
    township = divisions.township_of(VILLAGE)
    assert county is not None and county.code == COUNTY and county.name == "马山县"
    assert township is not None and township.code == TOWNSHIP
    assert divisions.township_of(COUNTY) is None
    assert divisions.county_of(TOWNSHIP) == county


def test_village_codes_under(divisions: Divisions) -> None:
    villages = divisions.village_codes_under(TOWNSHIP)
    assert VILLAGE in villages
    assert villages == sorted(villages)
    assert all(v.startswith(TOWNSHIP) and len(v) == 12 for v in villages)
    assert len(villages) == len(divisions.children(TOWNSHIP))
    assert divisions.village_codes_under(VILLAGE) == [VILLAGE]
    assert divisions.village_codes_under("46") == []


@pytest.mark.parametrize(
    ("code", "level"), [("45", 1), ("4501", 2), ("450124", 3), ("450124100", 4), (VILLAGE, 5)]
)
def test_scope_level(code: str, level: int) -> None:
    assert scope_level(code) == level


@pytest.mark.parametrize("code", ["", "4", "45012", "4501241002", "45x1", "4501241002011"])
def test_scope_level_refuses_other_lengths(code: str) -> None:
    with pytest.raises(ValidationError):
        scope_level(code)


def test_in_scope() -> None:
    assert in_scope(TOWNSHIP, VILLAGE)
    assert in_scope(COUNTY, VILLAGE)
    assert in_scope(VILLAGE, VILLAGE)
    assert not in_scope("450124101", VILLAGE)
    assert not in_scope(VILLAGE, TOWNSHIP)


def test_search_by_name(divisions: Divisions) -> None:
    found = divisions.search("马山")
    assert found[0].name.startswith("马山")
    assert any(d.code == COUNTY for d in found)
    assert all("马山" in d.name for d in found)


def test_search_exact_names_first_and_level_filter(divisions: Divisions) -> None:
    found = divisions.search("和平村委会", level=5)
    assert len(found) == 33  # 33 villages in Guangxi have exactly this name
    assert all(d.name == "和平村委会" and d.level == 5 for d in found)
    towns = divisions.search("镇", level=4, limit=10)
    assert len(towns) == 10 and all(d.level == 4 for d in towns)


def test_search_by_code_prefix(divisions: Divisions) -> None:
    found = divisions.search(TOWNSHIP, level=5, limit=500)
    assert [d.code for d in found] == divisions.village_codes_under(TOWNSHIP)


def test_search_several_words_narrow_by_place(divisions: Divisions) -> None:
    township = divisions.get(TOWNSHIP)
    village = divisions.get(VILLAGE)
    assert township is not None and village is not None
    found = divisions.search(f"马山 {village.name}")
    assert village in found
    assert all(d.code.startswith(COUNTY) for d in found)


def test_search_limits_and_empty(divisions: Divisions) -> None:
    assert len(divisions.search("村", limit=7)) == 7
    assert divisions.search("") == []
    assert divisions.search("   ") == []
    assert divisions.search("不存在的地方") == []


def test_from_rows_builds_a_small_tree() -> None:
    small = Divisions.from_rows(
        [
            ["45", "广西壮族自治区", 1, None],
            ["4501", "南宁市", 2, "45"],
            ["450102", "兴宁区", 3, "4501"],
        ]
    )
    assert small.full_name("450102") == "南宁市 兴宁区"
    assert small.county_of("450102") == Division("450102", "兴宁区", 3, "4501")
