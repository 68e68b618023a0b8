"""Report weeks, deadlines and the campaign period.

A report week is a calendar week, Monday to Sunday, identified by its Monday. Deadlines are
Bangkok wall-clock times (Thailand has no daylight saving, so every local time exists once).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.domain.numbers import to_arabic_digits

BANGKOK = ZoneInfo("Asia/Bangkok")

_ISO_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_ISO_WEEK_RE = re.compile(r"([0-9]{4})-?[Ww]([0-9]{1,2})")
_WEEK = timedelta(days=7)
_MINUTE_US = 60_000_000


@dataclass(frozen=True)
class Schedule:
    """When a unit owes its weekly report."""

    weekday: int  # 0 = Monday ... 6 = Sunday
    cutoff: time  # local Bangkok time, e.g. time(12, 0)
    first_due: date  # first due date, e.g. date(2020, 5, 7)

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0..6, got {self.weekday}")
        if self.cutoff.tzinfo is not None:
            # The cutoff is combined with BANGKOK; a second zone here would be silently dropped.
            raise ValueError("cutoff must be a naive local (Bangkok) time")


def week_start(d: date) -> date:
    """The Monday of the calendar week holding ``d``."""
    return d - timedelta(days=d.weekday())


def _require_monday(d: date) -> None:
    # Weeks are stored by their Monday; any other date here is a caller's bug, not user input.
    if d.weekday() != 0:
        raise ValueError(f"expected the Monday of a week, got {d.isoformat()} ({d:%A})")


def _week_refused(text: str) -> RefusedError:
    shown = " ".join(text.split())[:30]
    return RefusedError(
        f"ไม่เข้าใจสัปดาห์ '{shown}': ใช้วันที่ เช่น 2020-05-07 หรือเลขสัปดาห์ เช่น 2020-W19",
        f"Cannot read the week '{shown}': give a date such as 2020-05-07 "
        "or an ISO week such as 2020-W19.",
        code="bad_week",
    )


def parse_week(text: str) -> date:
    """Read a week as any ISO date inside it ("2020-05-07") or as an ISO week ("2020-W19",
    "2020w19"); return its Monday. Thai digits are accepted.

    Raises RefusedError for anything else, including impossible dates and week numbers the
    year does not have (2020 has 53 ISO weeks, 2021 only 52).
    """
    s = to_arabic_digits(text.strip())
    date_match = _ISO_DATE_RE.fullmatch(s)
    if date_match is not None:
        year, month, day = (int(g) for g in date_match.groups())
        try:
            return week_start(date(year, month, day))
        except ValueError:
            raise _week_refused(text) from None
    week_match = _ISO_WEEK_RE.fullmatch(s)
    if week_match is not None:
        year, week = int(week_match.group(1)), int(week_match.group(2))
        try:
            return date.fromisocalendar(year, week, 1)
        except ValueError:
            raise _week_refused(text) from None
    raise _week_refused(text)


def week_label(monday: date) -> str:
    """ISO week label, e.g. "2020-W19". Near New Year the ISO year may differ from the calendar
    year: the week of 2019-12-30 is "2020-W01"."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def due_at(schedule: Schedule, monday: date) -> datetime:
    """The deadline of the week starting ``monday``, as an aware Bangkok datetime."""
    _require_monday(monday)
    due_day = monday + timedelta(days=schedule.weekday)
    return datetime.combine(due_day, schedule.cutoff, tzinfo=BANGKOK)


def _first_of_next_month(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1)


def campaign_end(start: date, months: int) -> date:
    """Last day of a campaign of ``months`` months starting on ``start``.

    The campaign ends the day before the same day-number ``months`` later: 1 May 2020 + 3 months
    ends 31 July 2020. When the target month lacks that day (31 January + 1 month) the campaign
    runs to the end of the target month (29 February 2020), rather than losing the last days of
    a short month to clamping.
    """
    if months < 1:
        raise ValueError(f"a campaign lasts at least one month, got {months}")
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last_of_target = _first_of_next_month(year, month) - timedelta(days=1)
    if start.day > last_of_target.day:
        return last_of_target
    return date(year, month, start.day) - timedelta(days=1)


def is_expected(
    schedule: Schedule,
    monday: date,
    *,
    campaign_start: date,
    campaign_end: date,
    active_from: date | None,
    retired_on: date | None,
) -> bool:
    """Whether a unit owes a report in the week starting ``monday``.

    Decided by the week's due date alone, so a week that merely overlaps the campaign start
    (the week of 27 April 2020 holds 1 May) owes nothing when its deadline falls before it.
    """
    due = due_at(schedule, monday).date()
    if due < schedule.first_due:
        return False
    if not campaign_start <= due <= campaign_end:
        return False
    if active_from is not None and due < active_from:
        return False
    return retired_on is None or due < retired_on


def campaign_weeks(start: date, end: date) -> list[date]:
    """Mondays of every calendar week that overlaps [start, end]."""
    if end < start:
        raise ValueError(f"campaign ends ({end}) before it starts ({start})")
    first, last = week_start(start), week_start(end)
    count = (last - first).days // 7 + 1
    return [first + i * _WEEK for i in range(count)]


def current_week(today: date, weeks: list[date]) -> tuple[date, bool]:
    """The week on show when the desk opens: this week's Monday, or the nearest campaign week
    when today is outside the campaign. Returns (week, inside_campaign)."""
    this = week_start(today)
    if this in weeks:
        return this, True
    return (weeks[0] if this < weeks[0] else weeks[-1]), False


def remaining_due_weeks(schedule: Schedule, monday: date, *, campaign_end: date) -> int:
    """How many deadlines fall strictly after this week's, on or after ``schedule.first_due``
    and on or before ``campaign_end``: the number of reports left to close a gap."""
    _require_monday(monday)
    this_due = monday + timedelta(days=schedule.weekday)
    # Deadlines after this one are this_due + k weeks, k >= 1; find the allowed range of k.
    lowest = 1
    if schedule.first_due > this_due:
        lowest = max(lowest, -(-(schedule.first_due - this_due).days // 7))
    highest = (campaign_end - this_due).days // 7
    return max(0, highest - lowest + 1)


def _require_aware(dt: datetime, name: str) -> None:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {dt!r}")


def late_minutes(received_at: datetime, due: datetime) -> int:
    """Whole minutes late, rounded up; 0 when received at or before the deadline.

    Rounded up so that a report one second after noon is visibly late (1 minute), never
    "0 minutes late".
    """
    _require_aware(received_at, "received_at")
    _require_aware(due, "due")
    delta = received_at - due
    if delta <= timedelta(0):
        return 0
    # Integer microseconds avoid float rounding at exact minute boundaries.
    micros = delta // timedelta(microseconds=1)
    return -(-micros // _MINUTE_US)


def now_bangkok() -> datetime:
    """The current time as an aware Bangkok datetime."""
    return datetime.now(BANGKOK)
