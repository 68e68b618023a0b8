"""Thai/Arabic digits, number formatting, and the one parser for member counts."""

from __future__ import annotations

import math
import re
from typing import Literal

from rayong_desktop.domain.errors import RefusedError

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_ARABIC_DIGITS = "0123456789"
_TO_THAI = str.maketrans(_ARABIC_DIGITS, THAI_DIGITS)
_TO_ARABIC = str.maketrans(THAI_DIGITS, _ARABIC_DIGITS)

# Word processors and fax OCR turn a typed hyphen into any of these; all of them mean "minus".
_MINUS_SIGNS = frozenset("-\u2212\u2012\u2013\ufe63\uff0d")

# Explicit [0-9] rather than \d: \d also matches Arabic-Indic, fullwidth and other digits that
# int() would silently accept.
_INTEGER = r"(?:[0-9]+|[1-9][0-9]{0,2}(?:,[0-9]{3})+)"
_INTEGER_RE = re.compile(_INTEGER)
_DECIMAL_RE = re.compile(rf"({_INTEGER})?\.([0-9]+)")

_SHOWN_MAX = 30

# What a table cell shows for "no figure": an en dash, not a hyphen that reads as minus.
NO_VALUE = "\u2013"

CountReason = Literal["blank", "negative", "not_a_number", "fraction", "too_large"]


def to_thai_digits(s: str) -> str:
    """Replace ASCII digits by Thai digits; every other character is kept."""
    return s.translate(_TO_THAI)


def to_arabic_digits(s: str) -> str:
    """Replace Thai digits by ASCII digits; every other character is kept."""
    return s.translate(_TO_ARABIC)


def format_int(n: int, *, thai_digits: bool = False) -> str:
    """231000 -> "231,000" or "๒๓๑,๐๐๐"; the comma stays ASCII, as Thai letters write it."""
    text = f"{n:,}"
    return to_thai_digits(text) if thai_digits else text


def format_percent(x: float | None, *, thai_digits: bool = False, decimals: int = 1) -> str:
    """45.3 -> "45.3%". ``x`` is already a percentage (0-100), not a ratio.

    None, NaN and infinities give NO_VALUE (an en dash) so a cell never shows "nan%".
    """
    if x is None or not math.isfinite(x):
        return NO_VALUE
    rounded = round(x, decimals)
    # Avoid printing "-0.0%" for a tiny negative that rounds to zero.
    if rounded == 0:
        rounded = 0.0
    text = f"{rounded:.{decimals}f}%"
    return to_thai_digits(text) if thai_digits else text


class CountError(RefusedError):
    """A member count that cannot be stored. ``reason`` says which rule it broke."""

    def __init__(self, reason: CountReason, th: str, en: str, *, value: object) -> None:
        super().__init__(th, en, code=f"count_{reason}")
        self.reason: CountReason = reason
        self.value = value


def _shown(value: object) -> str:
    # Collapse whitespace so a pasted cell with line breaks cannot break the message layout.
    text = " ".join(str(value).split())
    if len(text) > _SHOWN_MAX:
        text = text[:_SHOWN_MAX] + "…"
    return text


def _blank(value: object) -> CountError:
    return CountError("blank", "ไม่ได้กรอกจำนวน", "The count is blank.", value=value)


def _negative(value: object) -> CountError:
    shown = _shown(value)
    return CountError(
        "negative",
        f"จำนวนต้องไม่ติดลบ: '{shown}'",
        f"The count cannot be negative: '{shown}'.",
        value=value,
    )


def _not_a_number(value: object) -> CountError:
    shown = _shown(value)
    return CountError(
        "not_a_number",
        f"จำนวนไม่ใช่ตัวเลขที่อ่านได้: '{shown}' (ตัวอย่างที่ถูก: 1250 หรือ 1,250)",
        f"The count is not a number: '{shown}' (write e.g. 1250 or 1,250).",
        value=value,
    )


def _ambiguous_point(value: object) -> CountError:
    shown = _shown(value)
    return CountError(
        "not_a_number",
        f"จำนวนไม่ชัดเจน: '{shown}' (ใช้จุลภาคคั่นหลักพัน เช่น 1,000)",
        f"The count is ambiguous: '{shown}' (use a comma for thousands, e.g. 1,000).",
        value=value,
    )


def _fraction(value: object) -> CountError:
    shown = _shown(value)
    return CountError(
        "fraction",
        f"จำนวนต้องเป็นจำนวนเต็ม ไม่ใช่ทศนิยม: '{shown}'",
        f"The count must be a whole number, not a fraction: '{shown}'.",
        value=value,
    )


def _too_large(value: object, ceiling: int) -> CountError:
    shown = _shown(value)
    return CountError(
        "too_large",
        f"จำนวนมากเกินกว่าที่เป็นไปได้: '{shown}' (ไม่เกิน {format_int(ceiling)})",
        f"The count is too large to be real: '{shown}' (at most {format_int(ceiling)}).",
        value=value,
    )


def parse_count(text: str | int | float | None, *, ceiling: int) -> int:
    """Read a member count typed by a clerk or taken from an Excel cell.

    Accepts Arabic or Thai digits, with or without comma thousands separators in correct
    positions ("1,250", "๑,๒๕๐"), surrounding whitespace, ints, and integral floats (Excel stores
    every number as a float). A decimal point followed by one or two zeros ("1250.0") is accepted
    because spreadsheets export whole numbers that way.

    Refused with CountError: blank, any minus sign, anything that is not a plain count (including
    space-grouped "1 250", whose grouping cannot be checked, and "1.000", which may mean one
    thousand), fractions, and values above ``ceiling``. Zero is a valid count.
    """
    if ceiling < 0:
        raise ValueError(f"ceiling must not be negative, got {ceiling}")

    if text is None:
        raise _blank(text)
    # bool is an int subclass; a TRUE cell is not a count.
    if isinstance(text, bool):
        raise _not_a_number(text)
    if isinstance(text, int):
        if text < 0:
            raise _negative(text)
        if text > ceiling:
            raise _too_large(text, ceiling)
        return text
    if isinstance(text, float):
        if not math.isfinite(text):
            raise _not_a_number(text)
        if text < 0:
            raise _negative(text)
        if not text.is_integer():
            raise _fraction(text)
        if text > ceiling:
            raise _too_large(text, ceiling)
        return int(text)
    if not isinstance(text, str):
        raise _not_a_number(text)

    s = to_arabic_digits(text.strip())
    if not s:
        raise _blank(text)

    negative = s[0] in _MINUS_SIGNS
    if negative:
        s = s[1:]

    integer_match = _INTEGER_RE.fullmatch(s)
    decimal_match = None if integer_match else _DECIMAL_RE.fullmatch(s)
    if integer_match is None and decimal_match is None:
        raise _not_a_number(text)
    # Checked only once the rest is known to be numeric, so "-abc" is reported as not a number.
    if negative:
        raise _negative(text)

    if decimal_match is not None:
        integer_part, fraction_digits = decimal_match.group(1), decimal_match.group(2)
        if fraction_digits.strip("0"):
            raise _fraction(text)
        if len(fraction_digits) > 2:
            raise _ambiguous_point(text)
        s = integer_part or "0"

    digits = s.replace(",", "").lstrip("0") or "0"
    # Compare lengths first: int() refuses strings above ~4300 digits with a ValueError.
    if len(digits) > len(str(ceiling)):
        raise _too_large(text, ceiling)
    value = int(digits)
    if value > ceiling:
        raise _too_large(text, ceiling)
    return value
