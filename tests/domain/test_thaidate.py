from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.thaidate import (
    THAI_MONTHS,
    THAI_MONTHS_SHORT,
    be_year,
    ce_year,
    thai_date,
    thai_datetime,
    thai_week_range,
    thai_weekday,
)

EN_DASH = "\u2013"


def test_month_tables() -> None:
    assert len(THAI_MONTHS) == 12
    assert len(THAI_MONTHS_SHORT) == 12
    assert THAI_MONTHS[0] == "มกราคม"
    assert THAI_MONTHS[4] == "พฤษภาคม"
    assert THAI_MONTHS[11] == "ธันวาคม"
    assert THAI_MONTHS_SHORT[4] == "พ.ค."
    assert THAI_MONTHS_SHORT[1] == "ก.พ."
    assert all(short.endswith(".") for short in THAI_MONTHS_SHORT)


def test_be_year_is_ce_plus_543() -> None:
    assert be_year(date(2020, 5, 7)) == 2563
    assert be_year(date(1957, 1, 1)) == 2500


def test_thai_date_letter_style() -> None:
    assert thai_date(date(2020, 5, 7)) == "7 พฤษภาคม 2563"
    assert thai_date(date(2020, 5, 7), thai_digits=True) == "๗ พฤษภาคม ๒๕๖๓"
    assert thai_date(date(2020, 5, 7), short=True) == "7 พ.ค. 2563"
    assert thai_date(date(2020, 12, 31), short=True, thai_digits=True) == "๓๑ ธ.ค. ๒๕๖๓"
    assert "พ.ศ." not in thai_date(date(2020, 5, 7))


def test_thai_date_every_month_uses_its_own_name() -> None:
    for month in range(1, 13):
        assert thai_date(date(2021, month, 1)) == f"1 {THAI_MONTHS[month - 1]} 2564"


def test_thai_date_of_aware_datetime_uses_the_bangkok_day() -> None:
    # 18:30 UTC on 6 May is 01:30 on 7 May in Bangkok (UTC+7).
    late_evening_utc = datetime(2020, 5, 6, 18, 30, tzinfo=UTC)
    assert thai_date(late_evening_utc) == "7 พฤษภาคม 2563"
    new_year_utc = datetime(2020, 12, 31, 17, 0, tzinfo=UTC)
    assert be_year(new_year_utc) == 2564


def test_thai_datetime_official_time_style() -> None:
    noon = datetime(2020, 5, 7, 12, 0, tzinfo=BANGKOK)
    assert thai_datetime(noon) == "7 พ.ค. 2563 12.00 น."
    assert thai_datetime(noon, thai_digits=True) == "๗ พ.ค. ๒๕๖๓ ๑๒.๐๐ น."
    assert thai_datetime(noon, short=False) == "7 พฤษภาคม 2563 12.00 น."
    morning = datetime(2020, 5, 7, 9, 5, tzinfo=BANGKOK)
    assert thai_datetime(morning) == "7 พ.ค. 2563 09.05 น."


def test_thai_datetime_converts_to_bangkok_and_drops_seconds() -> None:
    # 05:00:59 UTC = 12:00:59 Bangkok; seconds are not rounded up into 12.01.
    assert thai_datetime(datetime(2020, 5, 7, 5, 0, 59, tzinfo=UTC)) == "7 พ.ค. 2563 12.00 น."
    # 23:30 at UTC-05:00 on 6 May = 04:30 UTC on 7 May = 11:30 Bangkok on 7 May.
    eastern = timezone(timedelta(hours=-5))
    assert thai_datetime(datetime(2020, 5, 6, 23, 30, tzinfo=eastern)) == "7 พ.ค. 2563 11.30 น."


def test_thai_datetime_naive_is_taken_as_bangkok() -> None:
    assert thai_datetime(datetime(2020, 5, 8, 12, 0)) == "8 พ.ค. 2563 12.00 น."


def test_week_range_within_a_month() -> None:
    assert thai_week_range(date(2020, 5, 4)) == f"4{EN_DASH}10 พฤษภาคม 2563"
    assert thai_week_range(date(2020, 5, 4), thai_digits=True) == f"๔{EN_DASH}๑๐ พฤษภาคม ๒๕๖๓"


def test_week_range_across_months() -> None:
    assert thai_week_range(date(2020, 4, 27)) == f"27 เมษายน {EN_DASH} 3 พฤษภาคม 2563"


def test_week_range_across_years_names_both_years() -> None:
    assert thai_week_range(date(2020, 12, 28)) == f"28 ธันวาคม 2563 {EN_DASH} 3 มกราคม 2564"


def test_week_range_refuses_a_non_monday() -> None:
    with pytest.raises(ValueError):
        thai_week_range(date(2020, 5, 7))


def test_thai_date_without_the_year_for_compact_cells() -> None:
    assert thai_date(date(2020, 5, 18), short=True, year=False) == "18 พ.ค."
    assert thai_date(date(2020, 5, 7), short=True, year=False, thai_digits=True) == "๗ พ.ค."
    # 23:30 UTC on 31 May is already 1 June in Rayong: the day and month follow Bangkok.
    late = datetime(2020, 5, 31, 23, 30, tzinfo=UTC)
    assert thai_date(late, short=True, year=False) == "1 มิ.ย."


def test_weekday_names_follow_the_bangkok_day() -> None:
    assert thai_weekday(date(2020, 5, 18)) == "จันทร์"
    assert thai_weekday(date(2020, 5, 24)) == "อาทิตย์"
    assert thai_weekday(date(2020, 5, 21), short=True) == "พฤ."
    assert thai_weekday(datetime(2020, 5, 17, 18, 0, tzinfo=UTC), short=True) == "จ."


def test_ce_year_reads_a_buddhist_era_year_as_meant() -> None:
    assert ce_year(2563) == 2020
    assert ce_year(2400) == 1857
    assert ce_year(2020) == 2020
    assert ce_year(2399) == 2399
