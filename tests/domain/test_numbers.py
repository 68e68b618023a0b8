from __future__ import annotations

import pytest

from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.domain.numbers import (
    NO_VALUE,
    THAI_DIGITS,
    CountError,
    format_int,
    format_percent,
    parse_count,
    to_arabic_digits,
    to_thai_digits,
)

CEILING = 1_000_000


def test_thai_digits_are_the_unicode_thai_digit_block() -> None:
    assert [ord(c) for c in THAI_DIGITS] == list(range(0x0E50, 0x0E5A))


def test_digit_conversion_maps_only_digits() -> None:
    assert to_thai_digits("1,250 คน 2563") == "๑,๒๕๐ คน ๒๕๖๓"
    assert to_arabic_digits("๑,๒๕๐ คน ๒๕๖๓") == "1,250 คน 2563"
    assert to_arabic_digits("abc ๙") == "abc 9"
    assert to_thai_digits(to_arabic_digits(THAI_DIGITS)) == THAI_DIGITS


@pytest.mark.parametrize(
    ("n", "arabic", "thai"),
    [
        (231_000, "231,000", "๒๓๑,๐๐๐"),
        (0, "0", "๐"),
        (999, "999", "๙๙๙"),
        (1_000, "1,000", "๑,๐๐๐"),
        (1_234_567, "1,234,567", "๑,๒๓๔,๕๖๗"),
        (-4_500, "-4,500", "-๔,๕๐๐"),
    ],
)
def test_format_int(n: int, arabic: str, thai: str) -> None:
    assert format_int(n) == arabic
    assert format_int(n, thai_digits=True) == thai


def test_format_percent() -> None:
    assert format_percent(45.3) == "45.3%"
    assert format_percent(45.3, thai_digits=True) == "๔๕.๓%"
    assert format_percent(100.0 * 5 / 7) == "71.4%"
    assert format_percent(100.0 * 5 / 7, decimals=0) == "71%"
    assert format_percent(12.3456, decimals=2) == "12.35%"
    assert format_percent(0.0) == "0.0%"


def test_format_percent_no_value_and_no_negative_zero() -> None:
    assert NO_VALUE == "\u2013"
    assert format_percent(None) == NO_VALUE
    assert format_percent(float("nan")) == NO_VALUE
    assert format_percent(float("inf")) == NO_VALUE
    assert format_percent(-0.01) == "0.0%"
    assert format_percent(-2.5, decimals=0) == "-2%"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1250", 1250),
        ("1,250", 1250),
        ("๑,๒๕๐", 1250),
        ("๑๒๕๐", 1250),
        (" 1250 ", 1250),
        ("\t1,250\n", 1250),
        ("\u00a01250\u00a0", 1250),
        ("999,999", 999_999),
        ("0", 0),
        ("000", 0),
        ("0042", 42),
        ("1250.0", 1250),
        ("1,250.00", 1250),
        ("๑๒๕๐.๐", 1250),
        ("1,000,000", CEILING),
        (1250, 1250),
        (0, 0),
        (1250.0, 1250),
        (-0.0, 0),
        (CEILING, CEILING),
    ],
)
def test_parse_count_accepts(text: str | int | float, expected: int) -> None:
    assert parse_count(text, ceiling=CEILING) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (None, "blank"),
        ("", "blank"),
        ("   ", "blank"),
        ("\u00a0\t", "blank"),
        ("-5", "negative"),
        ("\u22125", "negative"),
        ("-1,250", "negative"),
        ("-๕", "negative"),
        ("-0", "negative"),
        (-5, "negative"),
        (-5.0, "negative"),
        ("abc", "not_a_number"),
        ("12a", "not_a_number"),
        ("-abc", "not_a_number"),
        ("-", "not_a_number"),
        ("+5", "not_a_number"),
        ("1 250", "not_a_number"),
        ("1,25,0", "not_a_number"),
        ("12,50", "not_a_number"),
        ("1250,", "not_a_number"),
        (",250", "not_a_number"),
        ("1,2500", "not_a_number"),
        ("0,250", "not_a_number"),
        ("1_250", "not_a_number"),
        ("1e3", "not_a_number"),
        ("5.", "not_a_number"),
        ("1.000", "not_a_number"),
        ("\u0661\u0662", "not_a_number"),
        ("\uff11\uff12", "not_a_number"),
        (True, "not_a_number"),
        (float("nan"), "not_a_number"),
        (float("inf"), "not_a_number"),
        ("1.5", "fraction"),
        ("๑.๕", "fraction"),
        ("1,250.50", "fraction"),
        ("0.5", "fraction"),
        (1.5, "fraction"),
        ("1,000,001", "too_large"),
        (CEILING + 1, "too_large"),
        (float(CEILING + 1), "too_large"),
        ("9" * 5000, "too_large"),
    ],
)
def test_parse_count_refuses(text: str | int | float | None, reason: str) -> None:
    with pytest.raises(CountError) as info:
        parse_count(text, ceiling=CEILING)
    assert info.value.reason == reason
    assert info.value.code == f"count_{reason}"
    assert info.value.value is text


def test_count_error_is_a_refusal_with_both_languages() -> None:
    with pytest.raises(RefusedError) as info:
        parse_count("1.5", ceiling=CEILING)
    error = info.value
    assert error.th == "จำนวนต้องเป็นจำนวนเต็ม ไม่ใช่ทศนิยม: '1.5'"
    assert "'1.5'" in error.en
    assert str(error) == error.en


def test_too_large_message_names_the_ceiling() -> None:
    with pytest.raises(CountError) as info:
        parse_count("2,000,000", ceiling=CEILING)
    assert "1,000,000" in info.value.th
    assert "1,000,000" in info.value.en
    assert "'2,000,000'" in info.value.en


def test_messages_show_a_shortened_single_line_value() -> None:
    pasted = "12a\n" + "x" * 100
    with pytest.raises(CountError) as info:
        parse_count(pasted, ceiling=CEILING)
    assert "\n" not in info.value.en
    assert "x" * 40 not in info.value.en
    assert info.value.value == pasted


def test_zero_ceiling_allows_only_zero() -> None:
    assert parse_count("0", ceiling=0) == 0
    with pytest.raises(CountError):
        parse_count("1", ceiling=0)


def test_negative_ceiling_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        parse_count("1", ceiling=-1)
