"""Parsers for user and Excel input: each returns a clean value or raises ValidationError."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TypeVar

from .divisions import LEVEL_LENGTHS, load_divisions
from .enums import LabeledEnum, Sex
from .errors import ValidationError
from .labels import field_label
from .text import Text

E = TypeVar("E", bound=LabeledEnum)

_WIDTH_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# Copy-paste from web pages and WeChat brings these in; they are invisible, so drop them.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def normalize_width(text: str) -> str:
    """Full-width ASCII (Ｘ１２) to half-width, ideographic space to a plain space."""
    return text.translate(_WIDTH_TABLE)


def _fail(field: str, zh: str, en: str, /, **values: object) -> ValidationError:
    return ValidationError(field, Text(zh, en).format(**values), field_label=field_label(field))


def _digits(text: str) -> bool:
    # str.isdigit() also accepts Arabic-Indic, N'Ko and other digits; codes use 0-9 only.
    return text.isascii() and text.isdigit()


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number_text(value: int | float | Decimal) -> str:
    """Text of a number an Excel cell held, without a spurious ".0"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))
    return str(value)


# ---------------------------------------------------------------- text


def clean_text(
    value: object,
    *,
    field: str,
    max_len: int = 200,
    required: bool = False,
    multiline: bool = False,
) -> str:
    """Trim, normalise width, collapse runs of spaces; refuse control characters.

    With multiline=True line breaks are kept (notes, findings); other whitespace still collapses.
    """
    if _is_blank(value):
        if required:
            raise _fail(field, "不能为空", "is required")
        return ""
    if isinstance(value, bool):
        raise _fail(field, "应为文字，不是是/否", "must be text, not yes/no")
    if isinstance(value, int | float | Decimal):
        text = _number_text(value)
    elif isinstance(value, str):
        text = value
    else:
        raise _fail(field, "应为文字", "must be text")
    text = normalize_width(text).translate(_INVISIBLE)
    if multiline:
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        text = "\n".join(" ".join(line.split()) for line in lines).strip("\n")
        text = re.sub(r"\n{3,}", "\n\n", text)
    else:
        text = " ".join(text.split())
    for ch in text:
        # Private-use characters stay: government systems encode rare name characters there.
        if ch != "\n" and unicodedata.category(ch) in ("Cc", "Cs"):
            raise _fail(
                field,
                "含有无法显示的控制字符（U+{code:04X}），请删除后重新输入",
                "contains an invisible control character (U+{code:04X}); remove it and retype",
                code=ord(ch),
            )
    if required and not text:
        raise _fail(field, "不能为空", "is required")
    if len(text) > max_len:
        raise _fail(
            field,
            "不能超过{max}个字（现有{n}个）",
            "must be at most {max} characters (has {n})",
            max=max_len,
            n=len(text),
        )
    return text


_DOTS = dict.fromkeys(map(ord, "•・‧∙⋅●﹒．.。"), "·")


def _is_han(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("CJK ")


def parse_name(value: object, *, field: str = "name") -> str:
    """A person's name: Chinese characters (rare ones too), · between parts of minority names.

    Latin letters are accepted for foreign names. Spaces padding Chinese names are removed.
    """
    text = clean_text(value, field=field, max_len=60, required=True)
    text = text.translate(_DOTS)
    # Excel sheets pad two-character names to align them ("张  三"): spaces touching a
    # Chinese character or the dot are padding; spaces between Latin words are kept.
    parts = text.split(" ")
    joined: list[str] = [parts[0]]
    for part in parts[1:]:
        if _is_han(joined[-1][-1]) or _is_han(part[0]) or joined[-1][-1] == "·" or part[0] == "·":
            joined[-1] += part
        else:
            joined.append(part)
    name = " ".join(joined)
    for ch in name:
        if ch in "· " or unicodedata.category(ch)[0] == "L" or unicodedata.category(ch) == "Co":
            continue
        raise _fail(
            field,
            "姓名中不能有“{ch}”，只能是汉字、字母和间隔号“·”",
            "must not contain '{ch}': only Chinese characters, letters and the dot '·'",
            ch=ch,
        )
    if name.startswith("·") or name.endswith("·") or "··" in name:
        raise _fail(
            field,
            "间隔号“·”只能放在名字中间",
            "the dot '·' may only stand between parts of the name",
        )
    if not 1 <= len(name) <= 30:
        raise _fail(field, "姓名应为1至30个字", "must be 1 to 30 characters long")
    return name


# ---------------------------------------------------------------- citizen ID number

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"[0-9]{17}[0-9X]")
# First two digits of GB/T 2260 provinces, plus 83 (Taiwan residents' mainland IDs) and
# 9x (foreigners' permanent-residence IDs since 2023, same check scheme).
_ID_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
ID_EARLIEST_BIRTH = date(1800, 1, 1)  # the standard's own example 440524188001010014 is 1880
_EXCEL_NUMBER_RE = re.compile(r"[0-9](\.[0-9]+)?E\+?[0-9]+|[0-9]{15,18}\.0+", re.IGNORECASE)


@dataclass(frozen=True)
class IdNumber:
    value: str
    area_code: str
    birth_date: date
    sex: Sex


def id_check_char(first17: str) -> str:
    """The GB 11643-1999 check character of the first 17 digits."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def _excel_rounded(field: str) -> ValidationError:
    return _fail(
        field,
        "身份证号被Excel当作数字保存，后几位已被改动；请把该单元格设为“文本”格式，"
        "再按原件重新输入号码",
        "Excel stored the ID number as a number and rounded its last digits; format the "
        "cell as Text and re-enter the number from the original document",
    )


def parse_id_number(
    value: object, *, field: str = "id_number", today: date | None = None
) -> IdNumber:
    """An 18-character citizen ID number (GB 11643-1999), checked and normalised."""
    if isinstance(value, bool):
        raise _fail(field, "应为18位身份证号", "must be an 18-character ID number")
    if isinstance(value, int | float | Decimal):
        raise _excel_rounded(field)
    if _is_blank(value):
        raise _fail(field, "请填写身份证号", "is required")
    if not isinstance(value, str):
        raise _fail(field, "应为18位身份证号", "must be an 18-character ID number")
    text = "".join(normalize_width(value).translate(_INVISIBLE).split()).upper()
    if _EXCEL_NUMBER_RE.fullmatch(text):
        raise _excel_rounded(field)
    if len(text) == 15 and _digits(text):
        raise _fail(
            field,
            "这是15位旧身份证号，请填写18位新号码",
            "this is an old 15-digit ID number; enter the 18-character one",
        )
    if len(text) != 18:
        raise _fail(
            field,
            "应为18位，现在是{n}位",
            "must have 18 characters, has {n}",
            n=len(text),
        )
    if not _ID_RE.fullmatch(text):
        raise _fail(
            field,
            "前17位应为数字，最后一位为数字或X",
            "the first 17 characters must be digits and the last a digit or X",
        )
    if text[:2] not in _ID_PROVINCES and text[0] != "9":
        raise _fail(
            field,
            "前两位“{p}”不是省级行政区划代码",
            "the first two digits '{p}' are not a province code",
            p=text[:2],
        )
    try:
        birth = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise _fail(
            field,
            "第7至14位的出生日期{d}不存在",
            "the birth date in digits 7-14 ({d}) does not exist",
            d=text[6:14],
        ) from None
    today = today or date.today()
    if birth > today:
        raise _fail(
            field,
            "出生日期{d}在今天之后",
            "the birth date {d} is in the future",
            d=birth.isoformat(),
        )
    if birth < ID_EARLIEST_BIRTH:
        raise _fail(
            field, "出生日期{d}过早", "the birth date {d} is too early", d=birth.isoformat()
        )
    if id_check_char(text[:17]) != text[17]:
        if text.endswith("000"):
            raise _fail(
                field,
                "校验位不对，末尾几位是0，可能被Excel改动过；请按原件以文本格式重新输入",
                "the check character is wrong and the number ends in zeros, so Excel may "
                "have rounded it; re-enter it as text from the original document",
            )
        raise _fail(
            field,
            "校验位（最后一位）不对，请对照原件检查是否有数字输错",
            "the check character (last one) is wrong; compare the number with the original",
        )
    sex = Sex.MALE if int(text[16]) % 2 else Sex.FEMALE
    return IdNumber(value=text, area_code=text[:6], birth_date=birth, sex=sex)


def check_id_matches(
    id_number: IdNumber,
    *,
    birth_date: date | None,
    sex: Sex | None,
    field: str = "id_number",
) -> None:
    """Refuse a form whose birth date or sex contradicts the ID number."""
    if birth_date is not None and birth_date != id_number.birth_date:
        raise _fail(
            field,
            "身份证号中的出生日期是{id_date}，与填写的出生日期{form_date}不一致",
            "the ID number gives the birth date {id_date}, the form says {form_date}",
            id_date=id_number.birth_date.isoformat(),
            form_date=birth_date.isoformat(),
        )
    # "Unknown" and "not stated" are not claims that could contradict the number.
    if sex in (Sex.MALE, Sex.FEMALE) and sex is not id_number.sex:
        raise _fail(
            field,
            "身份证号第17位表示{id_sex}性，与填写的性别“{form_sex}”不一致",
            "digit 17 of the ID number means {id_sex_en}, the form says {form_sex_en}",
            id_sex=id_number.sex.label.zh,
            form_sex=sex.label.zh if sex else "",
            id_sex_en=id_number.sex.label.en.lower(),
            form_sex_en=sex.label.en.lower() if sex else "",
        )


# ---------------------------------------------------------------- dates

EARLIEST_DATE = date(1900, 1, 1)
# Day 0 of Excel serials from 1900-03-01 on (Excel counts a 1900-02-29 that never was).
_EXCEL_EPOCH = date(1899, 12, 30)
# Smaller numbers are far likelier a bare year (2015) or a typo than a date before 1927.
_EXCEL_SERIAL_MIN = 10000  # 1927-05-18
_EXCEL_SERIAL_MAX = 73050  # 2099-12-31
_DATE_RE = re.compile(r"([0-9]{4})\s*[-./年]\s*([0-9]{1,2})\s*[-./月]\s*([0-9]{1,2})\s*日?")
_COMPACT_RE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_TIME_SUFFIX_RE = re.compile(
    r"(?:[T ]|\s+)[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?$"
)
_SERIAL_RE = re.compile(r"[0-9]{5}(?:\.[0-9]+)?")


def _from_serial(serial: float, field: str) -> date:
    if not _EXCEL_SERIAL_MIN <= serial < _EXCEL_SERIAL_MAX + 1:
        raise _fail(
            field,
            "无法把数字{v}识别为日期，请写成 2015-03-04",
            "cannot read the number {v} as a date; write it like 2015-03-04",
            v=_number_text(serial),
        )
    return _EXCEL_EPOCH + timedelta(days=math.floor(serial))


def _ymd(year: str, month: str, day: str, field: str, raw: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise _fail(
            field,
            "日期“{v}”不存在（请检查月份和日）",
            "the date '{v}' does not exist (check month and day)",
            v=raw,
        ) from None


def parse_date(
    value: object, *, field: str, allow_future: bool = False, today: date | None = None
) -> date:
    """A calendar date from a form or an Excel cell.

    Accepts date/datetime objects, 2015-03-04, 2015.3.4, 2015/3/4, 20150304, 2015年3月4日
    (full-width digits and stray spaces too), and Excel serial numbers.
    """
    if isinstance(value, bool):
        raise _fail(field, "应为日期", "must be a date")
    if isinstance(value, datetime):
        result = value.date()
    elif isinstance(value, date):
        result = value
    elif isinstance(value, int | float | Decimal):
        number = float(value)
        if number.is_integer() and 18000101 <= number <= 21001231:
            # A yyyymmdd typed into a cell Excel took for a number.
            digits = str(int(number))
            result = _ymd(digits[:4], digits[4:6], digits[6:], field, digits)
        else:
            result = _from_serial(number, field)
    elif isinstance(value, str):
        raw = value
        text = normalize_width(value).translate(_INVISIBLE).strip()
        if not text:
            raise _fail(field, "请填写日期", "is required")
        text = _TIME_SUFFIX_RE.sub("", text)
        match = _DATE_RE.fullmatch(text)
        compact = "".join(text.split())
        if match:
            year, month, day = match.groups()
            result = _ymd(year, month, day, field, raw.strip())
        elif m := _COMPACT_RE.fullmatch(compact):
            year, month, day = m.groups()
            result = _ymd(year, month, day, field, raw.strip())
        elif _SERIAL_RE.fullmatch(compact):
            result = _from_serial(float(compact), field)
        else:
            raise _fail(
                field,
                "无法识别日期“{v}”，请写成 2015-03-04",
                "cannot read the date '{v}'; write it like 2015-03-04",
                v=raw.strip(),
            )
    elif value is None:
        raise _fail(field, "请填写日期", "is required")
    else:
        raise _fail(field, "应为日期", "must be a date")
    if result < EARLIEST_DATE:
        raise _fail(field, "日期{d}过早", "the date {d} is too early", d=result.isoformat())
    if not allow_future and result > (today or date.today()):
        raise _fail(
            field,
            "日期{d}在今天之后",
            "the date {d} is in the future",
            d=result.isoformat(),
        )
    return result


_MONTH_RE = re.compile(r"([0-9]{4})(?:\s*[-./年]\s*([0-9]{1,2})\s*月?|([0-9]{2}))")


def parse_month(value: object, *, field: str) -> date:
    """A calendar month (benefit start/end) as its first day: 2022-01, 2022.1, 202201, 2022年1月.

    A full date or an Excel date cell gives its month.
    """
    if isinstance(value, str):
        text = normalize_width(value).translate(_INVISIBLE).strip()
        match = _MONTH_RE.fullmatch(text)
        if match:
            year, month = int(match.group(1)), int(match.group(2) or match.group(3))
            if not 1 <= month <= 12:
                raise _fail(field, "月份“{v}”不存在", "the month '{v}' does not exist", v=text)
            result = date(year, month, 1)
            if not EARLIEST_DATE <= result <= date(2100, 12, 1):
                raise _fail(field, "月份{v}超出范围", "the month {v} is out of range", v=text)
            return result
    day = parse_date(value, field=field, allow_future=True)
    return day.replace(day=1)


# ---------------------------------------------------------------- phone numbers

_MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE_RE = re.compile(r"(0[0-9]{2,3})-?([0-9]{7,8})")


def parse_phone(value: object, *, field: str = "phone") -> str:
    """A mobile number (13812345678) or a landline with area code, returned as 0771-1234567."""
    if isinstance(value, bool):
        raise _fail(field, "应为电话号码", "must be a phone number")
    if isinstance(value, int | float | Decimal):
        text = _number_text(value)
    elif isinstance(value, str):
        text = value
    elif value is None:
        raise _fail(field, "请填写电话号码", "is required")
    else:
        raise _fail(field, "应为电话号码", "must be a phone number")
    raw = text.strip()
    text = normalize_width(text).translate(_INVISIBLE)
    text = re.sub(r"[\s()（）—–]", lambda m: "-" if m.group(0) in ")）" else "", text)
    text = text.strip("-")
    if not text:
        raise _fail(field, "请填写电话号码", "is required")
    digits = text.replace("-", "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif len(digits) == 13 and digits.startswith("86") and digits[2] == "1":
        digits = digits[2:]
    if _MOBILE_RE.fullmatch(digits):
        return digits
    if _digits(digits) and digits.startswith("0"):
        if "-" in text.lstrip("+"):
            area, _, local = text.rpartition("-")
            area = area.replace("-", "").removeprefix("+86").removeprefix("0086")
            candidate = f"{area}-{local}"
        else:
            # Area codes are 010 and 02x with three digits, every other one has four.
            cut = 3 if digits.startswith(("010", "02")) else 4
            candidate = f"{digits[:cut]}-{digits[cut:]}"
        match = _LANDLINE_RE.fullmatch(candidate)
        if match:
            return f"{match.group(1)}-{match.group(2)}"
    if _digits(digits) and len(digits) in (7, 8) and not digits.startswith("0"):
        raise _fail(
            field,
            "固定电话请加区号，例如 0771-1234567",
            "add the area code to the landline number, e.g. 0771-1234567",
        )
    raise _fail(
        field,
        "“{v}”不是有效的电话号码（11位手机号，或带区号的固定电话如 0771-1234567）",
        "'{v}' is not a valid phone number (11-digit mobile, or landline with area code "
        "such as 0771-1234567)",
        v=raw,
    )


# ---------------------------------------------------------------- division codes


def parse_division_code(
    value: object, *, field: str = "division_code", level: int | None = 5
) -> str:
    """A Guangxi division code of the given level (None: any level), known to the data."""
    if isinstance(value, bool) or _is_blank(value):
        raise _fail(field, "请填写区划代码", "is required")
    if isinstance(value, int | float | Decimal):
        text = _number_text(value)
    elif isinstance(value, str):
        text = "".join(normalize_width(value).split())
    else:
        raise _fail(field, "应为区划代码", "must be a division code")
    if not _digits(text):
        raise _fail(field, "区划代码“{v}”只能是数字", "division code '{v}' must be digits", v=text)
    # Statistical tables pad higher levels to 12 digits (450102000000 is 兴宁区).
    if len(text) == 12 and level != 5:
        for lvl in (4, 3, 2, 1):
            length = LEVEL_LENGTHS[lvl]
            if (level is None or level == lvl) and text[length:] == "0" * (12 - length):
                text = text[:length]
                break
    if level is not None and len(text) != LEVEL_LENGTHS[level]:
        raise _fail(
            field,
            "区划代码应为{n}位，“{v}”是{m}位",
            "the division code must have {n} digits; '{v}' has {m}",
            n=LEVEL_LENGTHS[level],
            v=text,
            m=len(text),
        )
    if level is None and len(text) not in LEVEL_LENGTHS.values():
        raise _fail(
            field,
            "区划代码应为2、4、6、9或12位，“{v}”是{m}位",
            "a division code has 2, 4, 6, 9 or 12 digits; '{v}' has {m}",
            v=text,
            m=len(text),
        )
    if text not in load_divisions():
        raise _fail(
            field,
            "广西区划中没有代码“{v}”",
            "there is no division '{v}' in Guangxi",
            v=text,
        )
    return text


# ---------------------------------------------------------------- code lists


def _allowed(enum_cls: type[LabeledEnum]) -> tuple[str, str]:
    return "、".join(m.label.zh for m in enum_cls), ", ".join(m.label.en for m in enum_cls)


def _match_member(enum_cls: type[E], text: str) -> E | None:
    try:
        return enum_cls.parse(text)
    except ValueError:
        pass
    folded = text.casefold()
    for member in enum_cls:
        if folded in (member.value.casefold(), member.label.en.casefold(), member.name.casefold()):
            return member
    return None


def parse_enum(enum_cls: type[E], value: object, *, field: str) -> E:
    """One member of a code list, from a member, its code, or its Chinese/English label."""
    if isinstance(value, enum_cls):
        return value
    if _is_blank(value):
        zh, en = _allowed(enum_cls)
        raise _fail(field, "请选择：{zh}", "choose one of: {en}", zh=zh, en=en)
    text = " ".join(normalize_width(str(value)).split())
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    member = _match_member(enum_cls, text)
    if member is None:
        zh, en = _allowed(enum_cls)
        raise _fail(
            field,
            "“{v}”不是可选项，可选：{zh}",
            "'{v}' is not one of: {en}",
            v=text,
            zh=zh,
            en=en,
        )
    return member


_LIST_SPLIT_RE = re.compile(r"[、,，;；|/\n]+")


def parse_codes(
    enum_cls: type[LabeledEnum], values: object, *, field: str, required: bool = False
) -> list[str]:
    """A multi-select: codes of the chosen members, without repeats, in the code list's order.

    values may be a list of codes/labels/members or one text listing them ("低保、特困").
    """
    items: list[object]
    if values is None:
        items = []
    elif isinstance(values, str):
        text = " ".join(normalize_width(values).split())
        # A whole label may itself contain a comma; only split text that is not one.
        if not text or _match_member(enum_cls, text) is not None:
            items = [text] if text else []
        else:
            items = [part for part in _LIST_SPLIT_RE.split(text) if part.strip()]
    elif isinstance(values, Iterable):
        items = list(values)
    else:
        items = [values]
    chosen = {parse_enum(enum_cls, item, field=field) for item in items if not _is_blank(item)}
    if required and not chosen:
        zh, en = _allowed(enum_cls)
        raise _fail(field, "请至少选择一项：{zh}", "choose at least one of: {en}", zh=zh, en=en)
    return [member.value for member in enum_cls if member in chosen]
