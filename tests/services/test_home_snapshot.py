"""The home screen's figures kept between starts: written when the desk closes, used at the next
start only while the database file, the program and the week are still the same.

It is Thursday 21 May 2020, 10:00 in Bangkok (RAYONG_NOW and `NOW`) unless a test moves it.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from rayong_desktop.db.engine import Database
from rayong_desktop.db.peek import data_marker
from rayong_desktop.domain import calendar
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.paths import data_dir
from rayong_desktop.services import demo, desk, home_snapshot, oa, reports, status
from rayong_desktop.services.home_snapshot import DeskOpening, capture, forget, load
from rayong_desktop.services.startup import open_read_only
from tests.helpers import dump

# About the SQLite file itself (the snapshot is kept per file): deselected on PostgreSQL.
pytestmark = pytest.mark.sqlite_only

NOW = datetime(2020, 5, 21, 10, 0, tzinfo=BANGKOK)
WEEK = calendar.week_start(NOW.date())
NOTE = "รับปากส่งก่อน 15.00 น."


@pytest.fixture(autouse=True)
def _thursday(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAYONG_NOW", NOW.isoformat())


@pytest.fixture
def keyed(db: Database) -> Database:
    """The seeded database with a few of the week's reports, an OA figure and a call note."""
    reports.record_report(
        db, unit_code="TN-RY", week=WEEK, count=120, received_at=NOW - timedelta(hours=2)
    )
    reports.record_report(
        db, unit_code="PAO-RY", week=WEEK, count=400, received_at=NOW - timedelta(days=1)
    )
    reports.record_report(
        db,
        unit_code="TN-RY",
        week=WEEK - timedelta(weeks=1),
        count=90,
        received_at=NOW - timedelta(days=7),
    )
    oa.record_oa_stat(db, on=NOW.date() - timedelta(days=1), friends=5_000, reach=4_000)
    desk.add_call_note(db, unit_code="R01", week=WEEK, text=NOTE)
    return db


def captured(db: Database, now: datetime = NOW) -> Path:
    path = capture(db, now)
    assert path is not None and path.is_file()
    return path


def fresh_opening(db: Database, now: datetime) -> DeskOpening:
    """What the desk would show when opening the database itself."""
    week, inside = status.current_week(db, now=now)
    return DeskOpening(
        week=week,
        inside=inside,
        weeks=desk.week_choices(db, now=now),
        campaign=status.campaign_info(db),
        demo=demo.is_demo(db),
        home=desk.home_figures(db, week),
    )


# ---------------------------------------------------------------- what is kept


def test_a_captured_opening_is_what_the_database_shows(keyed: Database, db_path: Path) -> None:
    captured(keyed)
    opening = load(db_path, NOW)
    assert opening is not None

    assert opening.home == desk.home_figures(keyed, opening.week)
    assert (opening.week, opening.inside) == status.current_week(keyed, now=NOW)
    assert opening.weeks == desk.week_choices(keyed, now=NOW)
    assert opening.campaign == status.campaign_info(keyed)
    assert opening.demo == demo.is_demo(keyed)
    assert opening == fresh_opening(keyed, NOW)

    # The week is today's (Bangkok), and the keyed figures are in it.
    assert opening.week == WEEK and opening.inside
    assert opening.home.week == WEEK
    assert opening.home.summary.totals.received >= 2
    assert [n.text for n in opening.home.notes["R01"]] == [NOTE]
    assert opening.home.summary.oa.stat is not None
    assert isinstance(opening.home.summary.call_list, tuple)
    assert all(d.due_at.utcoffset() is not None for d in opening.home.deadlines)


def test_the_snapshot_lives_in_the_data_folder_under_rayong_home(
    keyed: Database, db_path: Path, tmp_path: Path
) -> None:
    path = captured(keyed)
    home = Path(os.environ["RAYONG_HOME"])
    assert home.is_relative_to(tmp_path)
    assert data_dir() == home
    assert path == home_snapshot.snapshot_path(db_path)
    assert path.is_relative_to(home / "cache")
    assert not path.is_relative_to(db_path.parent / "backups")
    # Nothing but the snapshot itself is left in the cache folder (no temporary file).
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_capturing_does_not_change_the_database(keyed: Database, db_path: Path) -> None:
    before, marker = dump(db_path), data_marker(db_path)
    captured(keyed)
    captured(keyed)
    assert dump(db_path) == before
    assert data_marker(db_path) == marker


def test_a_read_only_database_keeps_no_snapshot(keyed: Database, db_path: Path) -> None:
    keyed.dispose()
    before = dump(db_path)
    read_only = open_read_only(db_path)
    try:
        assert read_only.read_only
        assert capture(read_only, NOW) is None
    finally:
        read_only.dispose()
    assert not home_snapshot.snapshot_path(db_path).exists()
    assert not (data_dir() / "cache").exists() or not any((data_dir() / "cache").iterdir())
    assert load(db_path, NOW) is None
    assert dump(db_path) == before


def test_a_capture_replaces_the_one_before(keyed: Database, db_path: Path) -> None:
    captured(keyed)
    reports.record_report(
        keyed, unit_code="R01", week=WEEK, count=700, received_at=NOW - timedelta(hours=1)
    )
    assert load(db_path, NOW) is None
    captured(keyed)
    opening = load(db_path, NOW)
    assert opening is not None
    assert opening.home == desk.home_figures(keyed, WEEK)
    r01 = [c.code for c in opening.home.summary.call_list]
    assert "R01" not in r01  # it has reported now


# ---------------------------------------------------------------- when it no longer holds


def test_nothing_is_loaded_without_a_snapshot(keyed: Database, db_path: Path) -> None:
    assert load(db_path, NOW) is None
    assert not home_snapshot.snapshot_path(db_path).exists()


@pytest.mark.parametrize(
    "change",
    [
        lambda db: reports.record_report(db, unit_code="R01", week=WEEK, count=700),
        lambda db: reports.record_report(db, unit_code="TN-RY", week=WEEK, count=130, reason="ผิด"),
        lambda db: reports.undo_report(db, unit_code="TN-RY", week=WEEK, expected_version=1),
        lambda db: desk.add_call_note(db, unit_code="R01", week=WEEK, text=NOTE),
        lambda db: oa.record_oa_stat(db, on=NOW.date(), friends=5_100),
    ],
    ids=["report", "correction", "undo", "call-note", "oa-stat"],
)
def test_nothing_is_loaded_after_a_change(
    keyed: Database, db_path: Path, change: Callable[[Database], Any]
) -> None:
    captured(keyed)
    assert load(db_path, NOW) is not None
    change(keyed)
    assert load(db_path, NOW) is None


@pytest.mark.parametrize(
    "later",
    [
        NOW + timedelta(days=7),
        NOW - timedelta(days=7),
        NOW + timedelta(days=30),
        # Monday 00:30 in Bangkok is still Sunday in UTC: the week is Bangkok's.
        datetime(2020, 5, 25, 0, 30, tzinfo=BANGKOK),
    ],
    ids=["next-week", "last-week", "next-month", "monday-just-after-midnight"],
)
def test_nothing_is_loaded_in_another_week(keyed: Database, db_path: Path, later: datetime) -> None:
    captured(keyed)
    assert calendar.week_start(later.astimezone(BANGKOK).date()) != WEEK
    assert load(db_path, later) is None


@pytest.mark.parametrize(
    "later",
    [
        NOW + timedelta(hours=1, minutes=59),  # 11:59, the Thursday deadline still ahead
        NOW - timedelta(days=3, hours=10),  # Monday 00:00 in Bangkok
        NOW.astimezone(UTC) + timedelta(hours=1),  # the same moment range, told in UTC
    ],
    ids=["before-the-deadline", "monday-midnight", "utc"],
)
def test_a_later_moment_before_the_next_deadline_still_loads(
    keyed: Database, db_path: Path, later: datetime
) -> None:
    captured(keyed)
    first = load(db_path, NOW)
    assert first is not None
    assert calendar.week_start(later.astimezone(BANGKOK).date()) == WEEK
    assert load(db_path, later) == first


@pytest.mark.parametrize(
    "later",
    [
        NOW + timedelta(hours=2),  # Thursday 12:00: the letter's deadline itself
        NOW + timedelta(hours=3),
        NOW + timedelta(days=1, hours=2, minutes=30),  # Friday 12:30
        NOW + timedelta(days=3, hours=13, minutes=59),  # Sunday 23:59, the same week
    ],
    ids=["at-the-deadline", "three-hours-later", "friday-afternoon", "sunday-night"],
)
def test_nothing_is_loaded_once_a_deadline_has_passed_since(
    keyed: Database, db_path: Path, later: datetime
) -> None:
    """Who is overdue changes when a deadline passes, so kept figures do not cross one."""
    captured(keyed)
    assert load(db_path, NOW) is not None
    assert calendar.week_start(later.astimezone(BANGKOK).date()) == WEEK
    assert load(db_path, later) is None


def test_a_snapshot_taken_late_on_sunday_is_not_used_on_monday(
    keyed: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sunday = datetime(2020, 5, 24, 23, 0, tzinfo=BANGKOK)
    monkeypatch.setenv("RAYONG_NOW", sunday.isoformat())
    captured(keyed, sunday)
    assert load(db_path, sunday + timedelta(minutes=30)) is not None
    monday = sunday + timedelta(hours=1, minutes=30)
    assert monday.astimezone(UTC).date() == sunday.astimezone(UTC).date()  # one UTC day
    assert load(db_path, monday) is None


def test_a_copy_of_the_database_does_not_use_the_originals_snapshot(
    keyed: Database, db_path: Path, tmp_path: Path
) -> None:
    original = captured(keyed)
    keyed.dispose()
    copy = tmp_path / "copy" / db_path.name
    copy.parent.mkdir()
    shutil.copyfile(db_path, copy)
    assert data_marker(copy) == data_marker(db_path)  # the same data: only the path differs
    assert load(copy, NOW) is None
    # Even with the snapshot file itself copied to where the copy's would be.
    target = home_snapshot.snapshot_path(copy)
    assert target != original
    shutil.copyfile(original, target)
    assert load(copy, NOW) is None
    # The original still loads.
    assert load(db_path, NOW) is not None


def test_the_same_file_named_another_way_loads(
    keyed: Database, db_path: Path, tmp_path: Path
) -> None:
    captured(keyed)
    (tmp_path / "elsewhere").mkdir()
    roundabout = tmp_path / "elsewhere" / ".." / db_path.name
    assert home_snapshot.snapshot_path(roundabout) == home_snapshot.snapshot_path(db_path)
    assert load(roundabout, NOW) == load(db_path, NOW) is not None


def test_a_database_restored_from_a_backup_does_not_use_the_snapshot(
    keyed: Database, db_path: Path
) -> None:
    from rayong_desktop.services import maintenance

    saved = maintenance.make_backup(db_path, "manual")
    desk.add_call_note(keyed, unit_code="R02", week=WEEK, text=NOTE)
    captured(keyed)
    keyed.dispose()
    maintenance.restore(db_path, saved.path)
    assert load(db_path, NOW) is None


def test_forget_removes_the_snapshot(keyed: Database, db_path: Path) -> None:
    path = captured(keyed)
    assert load(db_path, NOW) is not None
    forget(db_path)
    assert not path.exists()
    assert load(db_path, NOW) is None
    forget(db_path)  # nothing to forget: no error
    forget(db_path.parent / "never-opened.sqlite3")


# ---------------------------------------------------------------- damaged or foreign files


def _rewrite(path: Path, change: Callable[[dict[str, Any]], Any]) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    replaced = change(document)
    path.write_text(json.dumps(document if replaced is None else replaced), encoding="utf-8")


def _drop(*keys: str) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        where = document
        for k in keys[:-1]:
            where = where[k]
        del where[keys[-1]]

    return change


def _set(value: Any, *keys: str) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        where = document
        for k in keys[:-1]:
            where = where[k]
        where[keys[-1]] = value

    return change


TAMPERINGS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "not-a-dict": lambda d: [d],
    "a-string": lambda d: "opening",
    "a-number": lambda d: 0,
    "other-version": _set("0.0.0+other", "version"),
    "no-version": _drop("version"),
    "other-format": _set(99, "format"),
    "format-as-text": _set("1", "format"),
    "other-database": _set("/elsewhere/desk.sqlite3", "database"),
    "other-marker": _set("abc|1|2020-05-21 03:00:00|report|report|X/2020-05-18", "marker"),
    "no-marker": _drop("marker"),
    "other-week": _set("2020-05-11", "today_week"),
    "no-opening": _drop("opening"),
    "opening-is-null": _set(None, "opening"),
    "opening-field-removed": _drop("opening", "campaign"),
    "home-field-removed": _drop("opening", "home", "summary", "oa"),
    "opening-field-added": _set(True, "opening", "stale"),
    "opening-field-retyped": _set("3", "opening", "home", "summary", "totals", "expected"),
    "week-as-a-moment": _set("2020-05-18T00:00:00+07:00", "opening", "week"),
}


@pytest.mark.parametrize("tamper", list(TAMPERINGS.values()), ids=list(TAMPERINGS))
def test_a_tampered_snapshot_is_not_used(
    keyed: Database, db_path: Path, tamper: Callable[[dict[str, Any]], Any]
) -> None:
    path = captured(keyed)
    _rewrite(path, lambda d: None)  # rewritten unchanged: still used
    assert load(db_path, NOW) is not None
    _rewrite(path, tamper)
    assert load(db_path, NOW) is None


@pytest.mark.parametrize(
    "content",
    [b"", b"{", b"not json at all", b"\xff\xfe\x00garbage", b"[]", b"null", b"42", b'"x"'],
    ids=["empty", "cut", "text", "binary", "list", "null", "number", "string"],
)
def test_a_garbage_snapshot_is_not_used(keyed: Database, db_path: Path, content: bytes) -> None:
    path = captured(keyed)
    path.write_bytes(content)
    assert load(db_path, NOW) is None


def test_a_snapshot_cut_short_is_not_used(keyed: Database, db_path: Path) -> None:
    path = captured(keyed)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert load(db_path, NOW) is None


def test_a_snapshot_of_a_deleted_database_is_not_used(keyed: Database, db_path: Path) -> None:
    captured(keyed)
    keyed.dispose()
    db_path.unlink()
    assert load(db_path, NOW) is None


# ---------------------------------------------------------------- the marker is read first


def test_a_change_made_while_capturing_leaves_no_usable_snapshot(
    keyed: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another writer changing the file just after the figures were read: the snapshot must
    look older than the file (so it is not used), never as new as it."""
    real = desk.home_figures

    def figures_then_someone_keys(db: Database, week: Any) -> Any:
        figures = real(db, week)
        reports.record_report(db, unit_code="R05", week=WEEK, count=333)
        return figures

    monkeypatch.setattr(desk, "home_figures", figures_then_someone_keys)
    captured(keyed)
    monkeypatch.setattr(desk, "home_figures", real)
    assert load(db_path, NOW) is None


def test_a_failed_write_leaves_no_temporary_file(keyed: Database, db_path: Path) -> None:
    target = home_snapshot.snapshot_path(db_path)
    target.mkdir(parents=True)  # a folder where the file goes: the final rename fails
    with pytest.raises(OSError):
        capture(keyed, NOW)
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]
