"""Which backups to keep: the newest few, then one a day for a month, one a week for a year."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RetentionPolicy:
    newest: int = 10
    daily_days: int = 31
    weekly_weeks: int = 52


def backups_to_keep(
    taken: Iterable[tuple[str, datetime]], *, now: datetime, policy: RetentionPolicy
) -> set[str]:
    """Names to keep among (name, time taken); everything else may be deleted.

    Within each day (for the last `daily_days`) and each ISO week (for the last `weekly_weeks`)
    the newest backup is kept, so the thinning never leaves a recent day without a copy.
    """
    ordered = sorted(taken, key=lambda item: item[1], reverse=True)
    keep = {name for name, _ in ordered[: policy.newest]}
    seen_days: set[tuple[int, int, int]] = set()
    seen_weeks: set[tuple[int, int]] = set()
    for name, at in ordered:
        age = now - at
        day = (at.year, at.month, at.day)
        if age <= timedelta(days=policy.daily_days) and day not in seen_days:
            seen_days.add(day)
            keep.add(name)
        iso = at.isocalendar()
        week = (iso.year, iso.week)
        if age <= timedelta(weeks=policy.weekly_weeks) and week not in seen_weeks:
            seen_weeks.add(week)
            keep.add(name)
    return keep
