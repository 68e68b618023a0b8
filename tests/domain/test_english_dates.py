"""Dates written the English way, for the desk in English (domain/thaidate.py beside the Thai)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.thaidate import (
    english_date,
    english_datetime,
    english_time,
    english_week_range,
    english_weekday,
    thai_datetime,
    thai_time,
)


def test_english_dates_use_the_common_era_and_english_names() -> None:
    d = date(2020, 5, 7)
    assert english_date(d) == "7 May 2020"
    assert english_date(date(2020, 9, 30), short=True) == "30 Sep 2020"
    assert english_date(date(2020, 9, 30), short=True, year=False) == "30 Sep"
    assert english_weekday(d) == "Thursday"
    assert english_weekday(d, short=True) == "Thu"


def test_english_times_are_bangkok_time_on_a_24_hour_clock() -> None:
    # 05:30 UTC is 12:30 in Bangkok; seconds are dropped, never rounded up.
    moment = datetime(2020, 5, 7, 5, 30, 59, tzinfo=UTC)
    assert english_time(moment) == "12:30"
    assert english_datetime(moment) == "7 May 2020 12:30"
    assert thai_time(moment) == "12.30 น."
    assert thai_datetime(moment).endswith(thai_time(moment))
    # Late in the UTC evening it is already the next day in Bangkok.
    assert english_datetime(datetime(2020, 5, 7, 20, 0, tzinfo=UTC)) == "8 May 2020 03:00"
    assert english_datetime(datetime(2020, 5, 7, 9, 5, tzinfo=BANGKOK), short=False) == (
        "7 May 2020 09:05"
    )


def test_english_week_ranges_within_and_across_months_and_years() -> None:
    assert english_week_range(date(2020, 5, 4)) == "4–10 May 2020"
    assert english_week_range(date(2020, 4, 27)) == "27 April – 3 May 2020"
    assert english_week_range(date(2020, 12, 28)) == "28 December 2020 – 3 January 2021"
    with pytest.raises(ValueError, match="Monday"):
        english_week_range(date(2020, 5, 5))
