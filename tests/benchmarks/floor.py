"""Floors: the least work that yields a job's figures, in raw SQL through the stdlib `sqlite3`.

A floor is what the job would cost if only the database did the work: no ORM, no dataclasses,
no JSON. The benchmark reports each job's time as a multiple of its floor measured in the same
run, so the ratio travels between machines better than seconds do.

This module imports nothing but the standard library so that running it as a script
(`python tests/benchmarks/floor.py --db PATH --week 2021-10-25`) also gives the floor of a
command-line start: interpreter start, one connection, one query.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

# AppSettings' defaults, used when a database has not stored these settings.
DEFAULT_CAMPAIGN_START = "2020-05-01"
DEFAULT_CAMPAIGN_MONTHS = 3

# Bangkok keeps +07:00 all year (no daylight saving), so a local deadline is UTC - 7 hours.
BANGKOK_TO_UTC = "-7 hours"

# The province's totals for one week, as services.status.week_summary computes them:
# * each unit's schedule is its own, else the first schedule (by id) naming its kind, else its
#   plan row's, else the last schedule (registry.schedule_for);
# * a unit is expected when its due date is on or after the schedule's first due date, inside
#   the campaign, on or after active_from and, for a retired unit, before retired_on
#   (calendar.is_expected);
# * count is this week's report, else the unit's last earlier one (carried);
# * on time: received at or before the Bangkok deadline. Datetimes are stored naive UTC as
#   'YYYY-MM-DD HH:MM:SS.ffffff', so the deadline is rendered in that form and compared as text.
# Each CTE is MATERIALIZED (SQLite >= 3.35) so that it is computed once, not once per use.
# The campaign's end follows calendar.campaign_end: the day before the same day-number
# `months` later, or the end of the target month when that month is too short.
STATUS_TOTALS_SQL = f"""
WITH
campaign AS MATERIALIZED (
    SELECT
        start,
        min(date(start, '+' || months || ' months', '-1 day'),
            date(start, 'start of month', '+' || (months + 1) || ' months', '-1 day')) AS end_
    FROM (
        SELECT
            COALESCE((SELECT json_extract(value, '$') FROM setting WHERE key = 'campaign_start'),
                     :default_start) AS start,
            COALESCE((SELECT json_extract(value, '$') FROM setting WHERE key = 'campaign_months'),
                     :default_months) AS months
    )
),
sched AS MATERIALIZED (
    SELECT
        id,
        first_due,
        date(:week, '+' || weekday || ' days') AS due_day,
        strftime('%Y-%m-%d %H:%M:%f', date(:week, '+' || weekday || ' days') || ' ' || cutoff,
                 '{BANGKOK_TO_UTC}') || '000' AS due_utc
    FROM schedule
),
units AS MATERIALIZED (
    SELECT
        u.id,
        u.quota,
        u.active_from,
        CASE WHEN u.active THEN NULL ELSE u.retired_on END AS retired_on,
        COALESCE(
            u.schedule_id,
            (SELECT s.id FROM schedule AS s
              WHERE instr(' ' || s.unit_kinds || ' ', ' ' || u.kind || ' ') > 0
              ORDER BY s.id LIMIT 1),
            p.schedule_id,
            (SELECT max(id) FROM schedule)
        ) AS schedule_id,
        (SELECT l.count FROM weekly_report AS l
          WHERE l.unit_id = u.id AND l.week < :week
          ORDER BY l.week DESC LIMIT 1) AS last_count
    FROM unit AS u
    JOIN plan_row AS p ON p.id = u.plan_row_id
),
this_week AS MATERIALIZED (
    SELECT unit_id, count, received_at FROM weekly_report WHERE week = :week
),
unit_week AS (
    SELECT
        x.quota,
        x.last_count,
        s.due_day >= s.first_due
            AND s.due_day BETWEEN c.start AND c.end_
            AND (x.active_from IS NULL OR s.due_day >= x.active_from)
            AND (x.retired_on IS NULL OR s.due_day < x.retired_on) AS expected,
        r.count AS this_count,
        r.received_at <= s.due_utc AS on_time
    FROM units AS x
    JOIN sched AS s ON s.id = x.schedule_id
    CROSS JOIN campaign AS c
    LEFT JOIN this_week AS r ON r.unit_id = x.id
)
SELECT
    COALESCE(sum(quota), 0) AS units_quota,
    COALESCE(sum(COALESCE(this_count, last_count, 0)), 0) AS count,
    COALESCE(sum(COALESCE(last_count, 0)), 0) AS previous_count,
    COALESCE(sum(expected), 0) AS expected,
    COALESCE(sum(expected AND this_count IS NOT NULL), 0) AS received,
    COALESCE(sum(expected AND this_count IS NOT NULL AND on_time), 0) AS on_time
FROM unit_week
"""

TOTAL_KEYS = ("units_quota", "count", "previous_count", "expected", "received", "on_time")


def status_totals(conn: sqlite3.Connection, week: str) -> dict[str, int]:
    """The province's totals for the week starting on Monday `week` (ISO date), in one query."""
    row = conn.execute(
        STATUS_TOTALS_SQL,
        {
            "week": week,
            "default_start": DEFAULT_CAMPAIGN_START,
            "default_months": DEFAULT_CAMPAIGN_MONTHS,
        },
    ).fetchone()
    return {key: int(value) for key, value in zip(TOTAL_KEYS, row, strict=True)}


def connect(path: Path) -> sqlite3.Connection:
    """A plain read connection (the file must exist: never create an empty database)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def stack_totals(path: Path, week: str) -> dict[str, int]:
    """The same query on the same connection, after loading what any command of the desk that
    reads the database loads first: SQLAlchemy with its ORM and the desk's models (configured,
    as the first ORM query configures them). The share of `status --json` its stack costs."""
    import gc

    gc.disable()  # as the desk's commands load it: no collection walks what the imports made
    from sqlalchemy import create_engine
    from sqlalchemy.orm import configure_mappers

    import rayong_desktop.db.models  # noqa: F401

    configure_mappers()
    engine = create_engine("sqlite://", creator=lambda: connect(path))
    try:
        with engine.connect() as sa:
            dbapi = sa.connection.dbapi_connection
            assert isinstance(dbapi, sqlite3.Connection)
            return status_totals(dbapi, week)
    finally:
        engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="print the raw-SQL status totals of a week")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--week", required=True, help="the week's Monday, ISO date")
    parser.add_argument(
        "--stack",
        action="store_true",
        help="first import SQLAlchemy's ORM and the desk's models, and ask through an engine",
    )
    args = parser.parse_args(argv)
    if args.stack:
        totals = stack_totals(args.db, args.week)
    else:
        conn = connect(args.db)
        try:
            totals = status_totals(conn, args.week)
        finally:
            conn.close()
    sys.stdout.write(json.dumps({"totals": totals}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
