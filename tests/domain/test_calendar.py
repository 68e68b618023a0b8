from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta

import pytest

from rayong_desktop.domain.calendar import (
    BANGKOK,
    Schedule,
    campaign_end,
    campaign_weeks,
    due_at,
    is_expected,
    late_minutes,
    now_bangkok,
    parse_week,
    remaining_due_weeks,
    week_label,
    week_start,
)
from rayong_desktop.domain.errors import RefusedError

# The letter: local administrations report Thursday 12:00 from 7 May 2020.
THURSDAY = Schedule(weekday=3, cutoff=time(12, 0), first_due=date(2020, 5, 7))
# The plan: plan rows report Friday 12:00 from 8 May 2020.
FRIDAY = Schedule(weekday=4, cutoff=time(12, 0), first_due=date(2020, 5, 8))
CAMPAIGN_START = date(2020, 5, 1)
CAMPAIGN_END = date(2020, 7, 31)
PLUS7 = timedelta(hours=7)


def expected(
    schedule: Schedule,
    monday: date,
    *,
    active_from: date | None = None,
    retired_on: date | None = None,
) -> bool:
    return is_expected(
        schedule,
        monday,
        campaign_start=CAMPAIGN_START,
        campaign_end=CAMPAIGN_END,
        active_from=active_from,
        retired_on=retired_on,
    )


def test_week_start_is_the_monday() -> None:
    monday = date(2020, 5, 4)
    for offset in range(7):
        assert week_start(monday + timedelta(days=offset)) == monday
    assert week_start(date(2020, 5, 11)) == date(2020, 5, 11)
    # Sunday 3 May belongs to the week starting Monday 27 April.
    assert week_start(date(2020, 5, 3)) == date(2020, 4, 27)
    # Friday 1 January 2021 belongs to the week starting Monday 28 December 2020.
    assert week_start(date(2021, 1, 1)) == date(2020, 12, 28)


@pytest.mark.parametrize(
    ("text", "monday"),
    [
        ("2020-05-07", date(2020, 5, 4)),
        ("2020-05-04", date(2020, 5, 4)),
        ("2020-05-10", date(2020, 5, 4)),
        (" 2020-05-11 ", date(2020, 5, 11)),
        ("๒๐๒๐-๐๕-๐๗", date(2020, 5, 4)),
        ("2020-W19", date(2020, 5, 4)),
        ("2020w19", date(2020, 5, 4)),
        ("2020W19", date(2020, 5, 4)),
        ("2020-w19", date(2020, 5, 4)),
        ("2020-W1", date(2019, 12, 30)),
        ("2020-W01", date(2019, 12, 30)),
        ("2020-W53", date(2020, 12, 28)),
    ],
)
def test_parse_week_accepts(text: str, monday: date) -> None:
    assert parse_week(text) == monday


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "2020-W54",
        "2021-W53",
        "2020-W00",
        "2020-13-01",
        "2020-02-30",
        "2020-5-7",
        "20200507",
        "7/5/2020",
        "2020-W19-4",
        "week 19",
        "0000-W01",
    ],
)
def test_parse_week_refuses(text: str) -> None:
    with pytest.raises(RefusedError) as info:
        parse_week(text)
    assert info.value.code == "bad_week"
    assert text.strip() in info.value.th
    assert text.strip() in info.value.en


def test_week_label_uses_the_iso_week_year() -> None:
    assert week_label(date(2020, 5, 4)) == "2020-W19"
    assert week_label(date(2019, 12, 30)) == "2020-W01"
    assert week_label(date(2020, 12, 28)) == "2020-W53"
    assert week_label(date(2021, 1, 4)) == "2021-W01"
    for monday in (date(2020, 5, 4), date(2019, 12, 30), date(2020, 12, 28)):
        assert parse_week(week_label(monday)) == monday


def test_due_at_thursday_and_friday_noon() -> None:
    thursday_due = due_at(THURSDAY, date(2020, 5, 4))
    assert thursday_due == datetime(2020, 5, 7, 5, 0, tzinfo=UTC)
    assert thursday_due.tzinfo is BANGKOK
    assert thursday_due.utcoffset() == PLUS7
    assert (thursday_due.date(), thursday_due.time()) == (date(2020, 5, 7), time(12, 0))
    friday_due = due_at(FRIDAY, date(2020, 5, 4))
    assert (friday_due.date(), friday_due.time()) == (date(2020, 5, 8), time(12, 0))


def test_due_at_requires_a_monday() -> None:
    with pytest.raises(ValueError):
        due_at(THURSDAY, date(2020, 5, 7))


def test_schedule_validates_its_fields() -> None:
    with pytest.raises(ValueError):
        Schedule(weekday=7, cutoff=time(12), first_due=date(2020, 5, 7))
    with pytest.raises(ValueError):
        Schedule(weekday=3, cutoff=time(12, tzinfo=UTC), first_due=date(2020, 5, 7))


def test_campaign_end() -> None:
    assert campaign_end(date(2020, 5, 1), 3) == CAMPAIGN_END
    assert campaign_end(date(2020, 5, 15), 1) == date(2020, 6, 14)
    assert campaign_end(date(2020, 11, 15), 3) == date(2021, 2, 14)
    assert campaign_end(date(2020, 12, 1), 1) == date(2020, 12, 31)
    assert campaign_end(date(2020, 1, 1), 12) == date(2020, 12, 31)


def test_campaign_end_from_a_month_end_runs_to_the_end_of_the_target_month() -> None:
    # 31 January + 1 month has no 31 February: the campaign keeps all of February.
    assert campaign_end(date(2020, 1, 31), 1) == date(2020, 2, 29)
    assert campaign_end(date(2021, 1, 31), 1) == date(2021, 2, 28)
    assert campaign_end(date(2020, 1, 30), 1) == date(2020, 2, 29)
    # 29 February exists in 2020, so a 29 January start ends the day before it.
    assert campaign_end(date(2020, 1, 29), 1) == date(2020, 2, 28)
    assert campaign_end(date(2020, 3, 31), 1) == date(2020, 4, 30)
    assert campaign_end(date(2020, 8, 31), 1) == date(2020, 9, 30)


def test_campaign_end_needs_at_least_a_month() -> None:
    with pytest.raises(ValueError):
        campaign_end(date(2020, 5, 1), 0)


def test_campaign_weeks_cover_every_overlapping_week() -> None:
    weeks = campaign_weeks(CAMPAIGN_START, CAMPAIGN_END)
    # Friday 1 May sits in the week of 27 April; Friday 31 July in the week of 27 July.
    assert weeks[0] == date(2020, 4, 27)
    assert weeks[-1] == date(2020, 7, 27)
    assert len(weeks) == (date(2020, 7, 27) - date(2020, 4, 27)).days // 7 + 1 == 14
    assert all(w.weekday() == 0 for w in weeks)
    assert all(b - a == timedelta(days=7) for a, b in itertools.pairwise(weeks))


def test_campaign_weeks_single_day_and_reversed() -> None:
    assert campaign_weeks(date(2020, 5, 7), date(2020, 5, 7)) == [date(2020, 5, 4)]
    with pytest.raises(ValueError):
        campaign_weeks(date(2020, 5, 8), date(2020, 5, 7))


def test_week_holding_may_first_owes_nothing() -> None:
    # The week of 27 April holds 1 May, but its deadlines (30 April, 1 May) precede first_due.
    assert date(2020, 4, 27) in campaign_weeks(CAMPAIGN_START, CAMPAIGN_END)
    assert not expected(THURSDAY, date(2020, 4, 27))
    assert not expected(FRIDAY, date(2020, 4, 27))


def test_first_due_week_and_last_week_are_expected() -> None:
    assert expected(THURSDAY, date(2020, 5, 4))  # due 7 May, the first due date
    assert expected(FRIDAY, date(2020, 5, 4))  # due 8 May
    assert expected(THURSDAY, date(2020, 7, 27))  # due 30 July
    assert expected(FRIDAY, date(2020, 7, 27))  # due 31 July, the last campaign day
    assert not expected(THURSDAY, date(2020, 8, 3))  # due 6 August, after the campaign


def test_active_from_and_retired_on_bound_the_due_date() -> None:
    # Due Thursday 14 May: active from that very day owes it, from the next day does not.
    assert expected(THURSDAY, date(2020, 5, 11), active_from=date(2020, 5, 14))
    assert not expected(THURSDAY, date(2020, 5, 11), active_from=date(2020, 5, 15))
    # Retired on the due day owes nothing; retired the day after still owes it.
    assert not expected(THURSDAY, date(2020, 5, 11), retired_on=date(2020, 5, 14))
    assert expected(THURSDAY, date(2020, 5, 11), retired_on=date(2020, 5, 15))


def test_remaining_due_weeks_from_the_first_week() -> None:
    # Thursdays after 7 May up to 31 July: 14, 21, 28 May; 4, 11, 18, 25 June;
    # 2, 9, 16, 23, 30 July.
    thursdays_after = [date(2020, 5, d) for d in (14, 21, 28)]
    thursdays_after += [date(2020, 6, d) for d in (4, 11, 18, 25)]
    thursdays_after += [date(2020, 7, d) for d in (2, 9, 16, 23, 30)]
    assert remaining_due_weeks(THURSDAY, date(2020, 5, 4), campaign_end=CAMPAIGN_END) == len(
        thursdays_after
    )
    # Fridays after 8 May: 15, 22, 29 May; 5, 12, 19, 26 June; 3, 10, 17, 24, 31 July.
    assert remaining_due_weeks(FRIDAY, date(2020, 5, 4), campaign_end=CAMPAIGN_END) == 3 + 4 + 5


def test_remaining_due_weeks_before_first_due_counts_from_first_due() -> None:
    # From the week of 27 April every Thursday from 7 May to 30 July is still to come.
    assert remaining_due_weeks(THURSDAY, date(2020, 4, 27), campaign_end=CAMPAIGN_END) == 13
    # A week far before the campaign gives the same count.
    assert remaining_due_weeks(THURSDAY, date(2020, 1, 6), campaign_end=CAMPAIGN_END) == 13


def test_remaining_due_weeks_at_and_after_the_end() -> None:
    # Last week: Thursday 30 July and Friday 31 July are this week's; none follow.
    assert remaining_due_weeks(THURSDAY, date(2020, 7, 27), campaign_end=CAMPAIGN_END) == 0
    assert remaining_due_weeks(FRIDAY, date(2020, 7, 27), campaign_end=CAMPAIGN_END) == 0
    # One week before: exactly one deadline left.
    assert remaining_due_weeks(FRIDAY, date(2020, 7, 20), campaign_end=CAMPAIGN_END) == 1
    assert remaining_due_weeks(THURSDAY, date(2020, 8, 10), campaign_end=CAMPAIGN_END) == 0


def test_remaining_due_weeks_agrees_with_counting_expected_weeks() -> None:
    weeks = campaign_weeks(CAMPAIGN_START, CAMPAIGN_END)
    for schedule in (THURSDAY, FRIDAY):
        for i, monday in enumerate(weeks):
            later_expected = sum(1 for w in weeks[i + 1 :] if expected(schedule, w))
            assert (
                remaining_due_weeks(schedule, monday, campaign_end=CAMPAIGN_END) == later_expected
            )


@pytest.mark.parametrize(
    ("received", "minutes"),
    [
        (time(9, 15), 0),
        (time(11, 59, 59), 0),
        (time(12, 0, 0), 0),
        (time(12, 0, 0, 1), 1),
        (time(12, 0, 1), 1),
        (time(12, 1, 0), 1),
        (time(12, 1, 1), 2),
        (time(13, 0, 0), 60),
    ],
)
def test_late_minutes_rounds_up(received: time, minutes: int) -> None:
    due = due_at(THURSDAY, date(2020, 5, 4))
    received_at = datetime.combine(date(2020, 5, 7), received, tzinfo=BANGKOK)
    assert late_minutes(received_at, due) == minutes


def test_late_minutes_across_zones_and_days() -> None:
    due = due_at(THURSDAY, date(2020, 5, 4))
    # 05:00:00 UTC is exactly 12:00 in Bangkok: on time.
    assert late_minutes(datetime(2020, 5, 7, 5, 0, tzinfo=UTC), due) == 0
    assert late_minutes(datetime(2020, 5, 7, 5, 30, tzinfo=UTC), due) == 30
    # Friday 08:00 Bangkok: 20 hours late.
    assert late_minutes(datetime(2020, 5, 8, 8, 0, tzinfo=BANGKOK), due) == 20 * 60
    # A day early is simply on time.
    assert late_minutes(datetime(2020, 5, 6, 12, 0, tzinfo=BANGKOK), due) == 0


def test_late_minutes_refuses_naive_times() -> None:
    due = due_at(THURSDAY, date(2020, 5, 4))
    with pytest.raises(ValueError):
        late_minutes(datetime(2020, 5, 7, 12, 30), due)
    with pytest.raises(ValueError):
        late_minutes(due, datetime(2020, 5, 7, 12, 0))


def test_now_bangkok_is_aware_and_current() -> None:
    now = now_bangkok()
    assert now.utcoffset() == PLUS7
    assert abs(now - datetime.now(UTC)) < timedelta(minutes=1)
