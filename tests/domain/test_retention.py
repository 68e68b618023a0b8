from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rayong_desktop.domain.retention import RetentionPolicy, backups_to_keep

NOW = datetime(2021, 6, 30, 12, 0, tzinfo=UTC)


def test_keeps_newest_then_one_per_day_then_one_per_week() -> None:
    policy = RetentionPolicy(newest=3, daily_days=7, weekly_weeks=4)
    # Four backups a day (at 08, 11, 14, 17 h) for 60 days back.
    taken = [
        (f"b{d:02d}-{h}", NOW - timedelta(days=d, hours=h))
        for d in range(60)
        for h in (1, 4, 7, 10)
    ]
    keep = backups_to_keep(taken, now=NOW, policy=policy)
    newest_three = {name for name, _ in sorted(taken, key=lambda t: t[1], reverse=True)[:3]}
    assert newest_three <= keep
    by_name = dict(taken)
    for day_back in range(7):
        day = (NOW - timedelta(days=day_back)).date()
        assert any(by_name[n].date() == day for n in keep), day
    # Older than the daily window: at most one per ISO week, and nothing beyond 4 weeks.
    old = [by_name[n] for n in keep if NOW - by_name[n] > timedelta(days=7)]
    weeks = [t.isocalendar()[:2] for t in old]
    assert len(weeks) == len(set(weeks))
    assert all(NOW - t <= timedelta(weeks=4) for t in old)
    assert len(keep) < len(taken)


def test_few_backups_are_all_kept() -> None:
    taken = [(f"x{i}", NOW - timedelta(days=400 + i)) for i in range(5)]
    assert backups_to_keep(taken, now=NOW, policy=RetentionPolicy()) == {n for n, _ in taken}
