"""Dates and times written the Thai official way: Buddhist Era years, Thai month names."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.numbers import to_thai_digits

THAI_MONTHS: tuple[str, ...] = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_SHORT: tuple[str, ...] = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)

THAI_WEEKDAYS: tuple[str, ...] = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")
THAI_WEEKDAYS_SHORT: tuple[str, ...] = ("จ.", "อ.", "พ.", "พฤ.", "ศ.", "ส.", "อา.")

_BE_OFFSET = 543
# A year typed from here on is a Buddhist Era year (2563 for 2020).
_BE_FROM_YEAR = 2400
_EN_DASH = "\u2013"


def _digits(text: str, thai_digits: bool) -> str:
    return to_thai_digits(text) if thai_digits else text


def _local(d: date) -> date:
    # An aware datetime passed as a date must show the Bangkok calendar day, not the UTC one.
    if isinstance(d, datetime) and d.tzinfo is not None:
        return d.astimezone(BANGKOK).date()
    return d


def be_year(d: date) -> int:
    """Buddhist Era year: 2020 -> 2563."""
    return _local(d).year + _BE_OFFSET


def ce_year(year: int) -> int:
    """A year as a clerk types it, in the common era: 2563 -> 2020; 2020 stays 2020."""
    return year - _BE_OFFSET if year >= _BE_FROM_YEAR else year


def thai_weekday(d: date, *, short: bool = False) -> str:
    """The Thai name of the day of the week: "จันทร์" (Monday), or short "จ."."""
    return (THAI_WEEKDAYS_SHORT if short else THAI_WEEKDAYS)[_local(d).weekday()]


def _month(d: date, short: bool) -> str:
    return (THAI_MONTHS_SHORT if short else THAI_MONTHS)[d.month - 1]


def thai_date(d: date, *, thai_digits: bool = False, short: bool = False, year: bool = True) -> str:
    """Letter-style date: "7 พฤษภาคม 2563", "๗ พฤษภาคม ๒๕๖๓", short "7 พ.ค. 2563", or without
    the year "7 พ.ค." (for axes and compact cells).

    No leading zero on the day and no "พ.ศ.", as the correspondence regulation writes it.
    """
    local = _local(d)
    text = f"{local.day} {_month(local, short)}"
    if year:
        text += f" {be_year(local)}"
    return _digits(text, thai_digits)


def thai_datetime(dt: datetime, *, thai_digits: bool = False, short: bool = True) -> str:
    """Official-style date and time, e.g. "7 พ.ค. 2563 12.00 น.", in Bangkok time.

    Seconds are dropped, not rounded, so a time never shows a minute that has not begun.

    Aware datetimes are converted to Bangkok first; a naive one is taken as Bangkok time already.
    """
    local = dt.astimezone(BANGKOK) if dt.tzinfo is not None else dt
    text = f"{thai_date(local.date(), short=short)} {local.hour:02d}.{local.minute:02d} น."
    return _digits(text, thai_digits)


def thai_week_range(monday: date, *, thai_digits: bool = False) -> str:
    """Monday-to-Sunday span with full Thai month names, joined by an en dash.

    "4–10 พฤษภาคม 2563" within a month; "27 เมษายน – 3 พฤษภาคม 2563" across months;
    "28 ธันวาคม 2563 – 3 มกราคม 2564" across years.
    """
    if monday.weekday() != 0:
        raise ValueError(f"expected the Monday of a week, got {monday.isoformat()}")
    sunday = monday + timedelta(days=6)
    if monday.year != sunday.year:
        text = f"{thai_date(monday)} {_EN_DASH} {thai_date(sunday)}"
    elif monday.month != sunday.month:
        text = f"{monday.day} {_month(monday, False)} {_EN_DASH} {thai_date(sunday)}"
    else:
        text = f"{monday.day}{_EN_DASH}{thai_date(sunday)}"
    return _digits(text, thai_digits)


# The same dates written the English way, for the desk in English: common-era years, English
# month names, a 24-hour clock with a colon ("18 May 2020 14:30").

ENGLISH_MONTHS: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
ENGLISH_WEEKDAYS: tuple[str, ...] = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)


def _english_month(d: date, short: bool) -> str:
    name = ENGLISH_MONTHS[d.month - 1]
    return name[:3] if short else name


def english_weekday(d: date, *, short: bool = False) -> str:
    """The English name of the day of the week: "Monday", or short "Mon"."""
    name = ENGLISH_WEEKDAYS[_local(d).weekday()]
    return name[:3] if short else name


def english_date(d: date, *, short: bool = False, year: bool = True) -> str:
    """ "7 May 2020", short "7 Sep 2020", or without the year "7 Sep"."""
    local = _local(d)
    text = f"{local.day} {_english_month(local, short)}"
    return f"{text} {local.year}" if year else text


def thai_time(dt: datetime, *, thai_digits: bool = False) -> str:
    """ "14.30 น." in Bangkok time (seconds dropped); a naive datetime is taken as Bangkok time."""
    local = dt.astimezone(BANGKOK) if dt.tzinfo is not None else dt
    return _digits(f"{local.hour:02d}.{local.minute:02d} น.", thai_digits)


def english_time(dt: datetime) -> str:
    """ "14:30" in Bangkok time (seconds dropped, as thai_datetime does)."""
    local = dt.astimezone(BANGKOK) if dt.tzinfo is not None else dt
    return f"{local.hour:02d}:{local.minute:02d}"


def english_datetime(dt: datetime, *, short: bool = True) -> str:
    """ "7 May 2020 12:00" in Bangkok time; a naive datetime is taken as Bangkok time."""
    local = dt.astimezone(BANGKOK) if dt.tzinfo is not None else dt
    return f"{english_date(local.date(), short=short)} {english_time(local)}"


def english_week_range(monday: date) -> str:
    """ "4–10 May 2020"; "27 April – 3 May 2020"; "28 December 2020 – 3 January 2021"."""
    if monday.weekday() != 0:
        raise ValueError(f"expected the Monday of a week, got {monday.isoformat()}")
    sunday = monday + timedelta(days=6)
    if monday.year != sunday.year:
        return f"{english_date(monday)} {_EN_DASH} {english_date(sunday)}"
    if monday.month != sunday.month:
        return f"{monday.day} {_english_month(monday, False)} {_EN_DASH} {english_date(sunday)}"
    return f"{monday.day}{_EN_DASH}{english_date(sunday)}"
