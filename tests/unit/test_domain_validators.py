"""Validators: ID numbers, dates, phones, division codes, code lists, names and text."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gxcare_desktop.domain.enums import Assistance, Category, ReportSituation, Sex
from gxcare_desktop.domain.errors import ValidationError
from gxcare_desktop.domain.labels import FIELD_LABELS, field_label
from gxcare_desktop.domain.records import RECORDS
from gxcare_desktop.domain.validators import (
    IdNumber,
    check_id_matches,
    clean_text,
    id_check_char,
    normalize_width,
    parse_codes,
    parse_date,
    parse_division_code,
    parse_enum,
    parse_id_number,
    parse_month,
    parse_name,
    parse_phone,
)

TODAY = date(2026, 11, 29)

# ---------------------------------------------------------------- labels


def test_every_record_field_has_a_label() -> None:
    missing = {
        f"{entity}.{name}"
        for entity, spec in RECORDS.items()
        for name in spec.fields
        if name not in FIELD_LABELS
    }
    assert missing == set()
    assert all(label.zh and label.en for label in FIELD_LABELS.values())


def test_field_labels() -> None:
    assert FIELD_LABELS["name"].zh == "姓名"
    assert FIELD_LABELS["id_number"].en == "ID number"
    assert FIELD_LABELS["birth_date"].zh == "出生日期"
    assert field_label("name", "staff").zh == "工作人员姓名"
    assert field_label("father.id_number").zh == "父亲公民身份号码"
    assert field_label("no_such_field").zh == "no_such_field"


# ---------------------------------------------------------------- ID numbers


@pytest.mark.parametrize(
    ("value", "birth", "sex"),
    [
        ("11010519491231002X", date(1949, 12, 31), Sex.FEMALE),
        ("440524188001010014", date(1880, 1, 1), Sex.MALE),
    ],
)
def test_standard_test_vectors(value: str, birth: date, sex: Sex) -> None:
    parsed = parse_id_number(value, today=TODAY)
    assert parsed == IdNumber(value=value, area_code=value[:6], birth_date=birth, sex=sex)


def test_lowercase_x_full_width_and_spaces_are_normalised() -> None:
    assert parse_id_number("11010519491231002x", today=TODAY).value == "11010519491231002X"
    full_width = "１１０１０５ １９４９１２３１ ００２Ｘ"
    assert parse_id_number(full_width, today=TODAY).value == "11010519491231002X"
    assert parse_id_number("\u3000440524188001010014 ", today=TODAY).value == "440524188001010014"


def test_wrong_check_character_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        parse_id_number("110105194912310021", today=TODAY)
    assert info.value.field == "id_number"
    assert "校验位" in info.value.message.zh
    assert info.value.field_label.zh == "公民身份号码"


def _with_check(first17: str) -> str:
    return first17 + id_check_char(first17)


def test_thirtieth_of_february_is_refused() -> None:
    with pytest.raises(ValidationError, match="不存在"):
        parse_id_number(_with_check("45010220150230001"), today=TODAY)


def test_future_birth_is_refused() -> None:
    with pytest.raises(ValidationError, match="今天之后"):
        parse_id_number(_with_check("45010220261230001"), today=TODAY)
    # The same number is fine once the day has come.
    assert parse_id_number(_with_check("45010220261230001"), today=date(2026, 12, 30))


@pytest.mark.parametrize(
    "value",
    [4.50102e17, 450102201503040000.0, 450102201503040000, "4.50102E+17", "450102201503040000.0"],
)
def test_excel_rounded_numbers_are_refused(value: object) -> None:
    with pytest.raises(ValidationError) as info:
        parse_id_number(value, field="father.id_number", today=TODAY)
    assert "Excel" in info.value.message.zh and "文本" in info.value.message.zh
    assert "re-enter" in info.value.message.en
    assert info.value.field == "father.id_number"


def test_rounded_text_with_trailing_zeros_hints_at_excel() -> None:
    # Copied out of a rounded cell as text: the check fails and the zeros give it away.
    with pytest.raises(ValidationError, match="Excel"):
        parse_id_number("450102201503040000", today=TODAY)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("", "请填写"),
        ("11010519491231002", "18位"),
        ("110105491231002", "15位"),
        ("1101051949123100XX", "前17位"),
        (_with_check("00010520150304001"), "省级"),
        (_with_check("45010217991231001"), "过早"),
    ],
)
def test_malformed_id_numbers(value: str, fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        parse_id_number(value, today=TODAY)


_PROVINCES = ["11", "32", "44", "45", "50", "65"]


@st.composite
def valid_ids(draw: st.DrawFn) -> str:
    area = draw(st.sampled_from(_PROVINCES)) + draw(st.from_regex(r"[0-9]{4}", fullmatch=True))
    birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    seq = draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    return _with_check(area + birth.strftime("%Y%m%d") + seq)


@given(valid_ids())
def test_generated_ids_are_accepted_with_their_birth_date_and_sex(value: str) -> None:
    parsed = parse_id_number(value, today=TODAY)
    assert parsed.value == value
    assert parsed.birth_date.strftime("%Y%m%d") == value[6:14]
    assert parsed.sex is (Sex.MALE if int(value[16]) % 2 else Sex.FEMALE)


@given(valid_ids(), st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_changing_one_digit_is_refused(value: str, position: int, delta: int) -> None:
    digit = str((int(value[position]) + delta) % 10)
    changed = value[:position] + digit + value[position + 1 :]
    # Every single-digit change breaks the check (weights are non-zero mod 11), or the date.
    with pytest.raises(ValidationError):
        parse_id_number(changed, today=TODAY)


@given(valid_ids())
def test_swapping_two_different_adjacent_digits_is_refused(value: str) -> None:
    for i in range(16):
        if value[i] != value[i + 1] and value[i + 1].isdigit():
            swapped = value[:i] + value[i + 1] + value[i] + value[i + 2 :]
            with pytest.raises(ValidationError):
                parse_id_number(swapped, today=TODAY)


def test_check_id_matches_the_form() -> None:
    parsed = parse_id_number("11010519491231002X", today=TODAY)
    check_id_matches(parsed, birth_date=date(1949, 12, 31), sex=Sex.FEMALE)
    check_id_matches(parsed, birth_date=None, sex=None)
    check_id_matches(parsed, birth_date=None, sex=Sex.NOT_STATED)
    with pytest.raises(ValidationError, match="1949-12-31") as info:
        check_id_matches(parsed, birth_date=date(1949, 12, 30), sex=Sex.FEMALE)
    assert info.value.field == "id_number"
    with pytest.raises(ValidationError, match="女") as info:
        check_id_matches(parsed, birth_date=None, sex=Sex.MALE, field="child.id_number")
    assert info.value.field == "child.id_number"


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "value",
    [
        date(2015, 3, 4),
        datetime(2015, 3, 4, 8, 30),
        "2015-03-04",
        "2015.3.4",
        "2015.03.04",
        "2015/03/04",
        "2015/3/4",
        "20150304",
        "2015年3月4日",
        "2015年03月04日",
        "２０１５年３月４日",
        "２０１５－０３－０４",
        " 2015 / 3 / 4 ",
        "2015 年 3 月 4 日",
        "2015-03-04 00:00:00",
        "2015-03-04T00:00:00",
        42067,
        42067.0,
        42067.75,
        "42067",
        20150304,
    ],
)
def test_date_formats(value: object) -> None:
    assert parse_date(value, field="birth_date", today=TODAY) == date(2015, 3, 4)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("2015-02-30", "不存在"),
        ("2015-13-01", "不存在"),
        ("04/03/2015", "无法识别"),
        ("去年", "无法识别"),
        ("", "请填写"),
        (None, "请填写"),
        (True, "应为日期"),
        (5, "无法把数字"),
        ("1899-12-31", "过早"),
        ("2027-01-01", "今天之后"),
    ],
)
def test_bad_dates(value: object, fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment) as info:
        parse_date(value, field="visit_date", today=TODAY)
    assert info.value.field == "visit_date"
    assert info.value.field_label.zh == "走访日期"


def test_future_dates_when_allowed() -> None:
    assert parse_date("2027-01-01", field="next_due", allow_future=True, today=TODAY) == date(
        2027, 1, 1
    )


def test_excel_serial_number_range() -> None:
    assert parse_date(10000, field="birth_date", today=TODAY) == date(1927, 5, 18)
    assert parse_date(45658, field="birth_date", today=TODAY) == date(2025, 1, 1)
    # A bare year is not a serial number (2015 would be 1905-07-07).
    for year in (2015, "2015", 2015.0):
        with pytest.raises(ValidationError):
            parse_date(year, field="birth_date", today=TODAY)
    with pytest.raises(ValidationError):
        parse_date(73051, field="next_due", allow_future=True, today=TODAY)


@pytest.mark.parametrize(
    "value",
    [
        "2022-01",
        "2022.1",
        "2022/01",
        "202201",
        "2022年1月",
        "２０２２年１月",
        date(2022, 1, 31),
        "2022-01-15",
    ],
)
def test_month_formats(value: object) -> None:
    assert parse_month(value, field="start_month") == date(2022, 1, 1)


@pytest.mark.parametrize("value", ["2022-13", "2022", "一月", "1899-12", "2022-1-1-1"])
def test_bad_months(value: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_month(value, field="start_month")
    assert info.value.field_label.zh == "起始月份"


# ---------------------------------------------------------------- phones


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        (13812345678, "13812345678"),
        (19912345678.0, "19912345678"),
        ("0771-5851234", "0771-5851234"),
        ("0771 5851234", "0771-5851234"),
        ("07715851234", "0771-5851234"),
        ("(0771)5851234", "0771-5851234"),
        ("（0771）5851234", "0771-5851234"),
        ("010-87654321", "010-87654321"),
        ("02087654321", "020-87654321"),
    ],
)
def test_phone_forms(value: object, expected: str) -> None:
    assert parse_phone(value) == expected


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("5851234", "区号"),
        ("12812345678", "不是有效"),
        ("1381234567", "不是有效"),
        ("138123456789", "不是有效"),
        ("0771-58512", "不是有效"),
        ("abc", "不是有效"),
        ("", "请填写"),
    ],
)
def test_bad_phones(value: str, fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment) as info:
        parse_phone(value, field="caregiver_phone")
    assert info.value.field_label.zh == "委托照护人电话"


# ---------------------------------------------------------------- division codes


def test_real_division_codes() -> None:
    assert parse_division_code("450124100201") == "450124100201"
    assert parse_division_code(" 450124100201 ") == "450124100201"
    assert parse_division_code(450124100201) == "450124100201"
    assert parse_division_code("450124100", level=4) == "450124100"
    assert parse_division_code("450124", level=3) == "450124"
    assert parse_division_code("450124000000", level=3) == "450124"
    assert parse_division_code("4501", level=None) == "4501"


@pytest.mark.parametrize(
    ("value", "level", "fragment"),
    [
        ("450124100999", 5, "没有"),
        ("440305000000", None, "没有"),
        ("450124", 5, "12位"),
        ("4501241002011", 5, "12位"),
        ("45012410020", None, "2、4、6、9或12位"),
        ("45012410020X", 5, "数字"),
        ("", 5, "请填写"),
    ],
)
def test_bad_division_codes(value: str, level: int | None, fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        parse_division_code(value, level=level)


# ---------------------------------------------------------------- code lists


def test_parse_enum_accepts_codes_and_labels() -> None:
    assert parse_enum(Sex, "1", field="sex") is Sex.MALE
    assert parse_enum(Sex, "女", field="sex") is Sex.FEMALE
    assert parse_enum(Sex, "female", field="sex") is Sex.FEMALE
    assert parse_enum(Sex, 2, field="sex") is Sex.FEMALE
    assert parse_enum(Sex, 2.0, field="sex") is Sex.FEMALE
    assert parse_enum(Sex, Sex.MALE, field="sex") is Sex.MALE


def test_parse_enum_lists_the_allowed_labels() -> None:
    with pytest.raises(ValidationError) as info:
        parse_enum(Sex, "男孩", field="sex")
    assert "男、女" in info.value.message.zh
    assert "Male, Female" in info.value.message.en
    assert info.value.field_label.zh == "性别"


def test_parse_codes_dedupes_and_orders() -> None:
    assert parse_codes(Assistance, "特困、低保，低保", field="assistance") == ["dibao", "tekun"]
    assert parse_codes(
        Category, ["orphan", "农村留守儿童", Category.ORPHAN], field="categories"
    ) == [
        "left_behind",
        "orphan",
    ]
    assert parse_codes(Assistance, None, field="assistance") == []
    assert parse_codes(Assistance, "", field="assistance") == []
    # A label with commas in it is one choice, not three.
    situation = "Unknown origin, missing or trafficked"
    assert parse_codes(ReportSituation, situation, field="situation") == ["missing_trafficked"]


def test_parse_codes_refuses_unknown_and_empty_required() -> None:
    with pytest.raises(ValidationError, match="低保"):
        parse_codes(Assistance, "低保;彩票", field="assistance")
    with pytest.raises(ValidationError, match="至少"):
        parse_codes(Category, [], field="categories", required=True)


# ---------------------------------------------------------------- text and names


def test_normalize_width() -> None:
    assert normalize_width("ＡＢｃ１２３\u3000（Ｘ）") == "ABc123 (X)"
    assert normalize_width("张三") == "张三"


def test_clean_text() -> None:
    assert clean_text("  ａｂｃ\u3000 \t d\u200b ", field="notes") == "abc d"
    assert clean_text(None, field="notes") == ""
    assert clean_text(12.0, field="notes") == "12"
    assert clean_text("那\ue08b村", field="address") == "那\ue08b村"
    assert clean_text("一\r\n\r\n\r\n\r\n二  三", field="notes", multiline=True) == "一\n\n二 三"
    with pytest.raises(ValidationError, match="控制字符"):
        clean_text("a\x07b", field="notes")
    with pytest.raises(ValidationError, match="不能超过3个字"):
        clean_text("abcd", field="notes", max_len=3)
    with pytest.raises(ValidationError, match="不能为空"):
        clean_text("   ", field="school_name", required=True)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("张三", "张三"),
        (" 张  三 ", "张三"),
        ("覃 小 红", "覃小红"),
        ("阿卜杜·买买提", "阿卜杜·买买提"),
        ("阿卜杜•买买提", "阿卜杜·买买提"),
        ("阿卜杜.买买提", "阿卜杜·买买提"),
        ("John Smith", "John Smith"),
        ("𡌶", "𡌶"),
        (
            "韦\ue08b",
            "韦\ue08b",
        ),  # a rare character in the private-use area, as in the division data
    ],
)
def test_names(value: str, expected: str) -> None:
    assert parse_name(value) == expected


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("张3", "不能有"),
        ("·张三", "间隔号"),
        ("张··三", "间隔号"),
        ("", "不能为空"),
        ("张" * 31, "1至30"),
    ],
)
def test_bad_names(value: str, fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        parse_name(value, field="caregiver_name")


@pytest.mark.parametrize("digit", ["\u07c0", "\u0660", "\u0966"])
def test_non_ascii_digits_are_refused(digit: str) -> None:
    # N'Ko, Arabic-Indic and Devanagari zeros pass str.isdigit() but are not ID characters.
    value = "11010519491231002X".replace("0", digit, 1)
    with pytest.raises(ValidationError):
        parse_id_number(value, today=TODAY)
    with pytest.raises(ValidationError):
        parse_phone("1381234567" + digit)
    with pytest.raises(ValidationError):
        parse_division_code("45012410020" + digit)
