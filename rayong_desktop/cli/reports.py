"""Command-line commands for weekly reports, the week's status and the OA's figures."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from rayong_desktop.cli.output import (
    EXIT_CONFIRM,
    EXIT_OK,
    ArgumentParser,
    emit_json,
    lang_th,
    on_database,
    print_table,
)
from rayong_desktop.domain import calendar, reporting
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.errors import NeedsConfirmation, RefusedError
from rayong_desktop.domain.numbers import format_int, format_percent
from rayong_desktop.domain.thaidate import thai_week_range

if TYPE_CHECKING:  # loaded when one of these commands runs, not to build the parser
    from rayong_desktop.db.engine import Database


def add_commands(sub: Any) -> None:
    p = sub.add_parser("report", help="key in a unit's cumulative member count for a week")
    p.add_argument("unit", help="unit code")
    p.add_argument("count", help="cumulative members (Thai or Arabic digits, commas allowed)")
    p.add_argument(
        "--week",
        help="any date in the week (2020-05-07) or ISO week (2020-W19); "
        "default: the current reporting week",
    )
    p.add_argument(
        "--received",
        help='when the call or fax came: "YYYY-MM-DD HH:MM" Bangkok time, "on-time" (before the '
        'deadline: recorded as the deadline, marked so) or "now"; required for a first report '
        "keyed after the unit's deadline (a correction keeps the time first received)",
    )
    p.add_argument(
        "--channel",
        help=f"one of {', '.join(reporting.CHANNELS)} (default phone; a correction keeps it)",
    )
    p.add_argument("--by", help="the reporter's name")
    p.add_argument("--phone", help="the reporter's phone")
    p.add_argument("--note")
    p.add_argument("--confirm", action="store_true", help="store a figure that needs confirmation")
    p.add_argument("--reason", help="why: required to correct a figure already stored")
    p.add_argument(
        "--expected-version",
        type=_version,
        metavar="N",
        help="the version you looked at (0: none yet); if the stored report is another, "
        "nothing is stored and the other figure is shown (exit 2)",
    )
    p.add_argument("--json", action="store_true")
    on_database(p, cmd_report)

    p = sub.add_parser("status", help="the week's picture: counts, quotas, who is late")
    p.add_argument("--week", help="any date in the week or ISO week (default: current week)")
    p.add_argument("--json", action="store_true")
    on_database(p, cmd_status, reads_only=True)

    p = sub.add_parser("history", help="every report and correction of a unit")
    p.add_argument("unit")
    p.add_argument("--json", action="store_true")
    on_database(p, cmd_history, reads_only=True)

    p = sub.add_parser("weeks", help="the campaign's reporting weeks")
    p.add_argument("--json", action="store_true")
    on_database(p, cmd_weeks, reads_only=True)

    p = sub.add_parser("oa-stats", help="the OA's own figures from LINE OA Manager")
    osub = p.add_subparsers(dest="oa_command", required=True, parser_class=ArgumentParser)
    add = osub.add_parser("add", help="record the figures read on a date")
    add.add_argument("--date", required=True, type=_iso_date)
    add.add_argument("--friends", required=True)
    add.add_argument("--blocked")
    add.add_argument("--reach", help="targeted reach")
    add.add_argument("--sent", help="messages sent this month")
    add.add_argument("--note")
    on_database(add, cmd_oa_add)
    lst = osub.add_parser("list", help="every recorded day")
    lst.add_argument("--json", action="store_true")
    on_database(lst, cmd_oa_list, reads_only=True)


def _version(text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        value = -1
    if not 0 <= value < 2**31:
        raise argparse.ArgumentTypeError(f"'{text}' is not a version number (0, 1, 2, ...)")
    return value


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def _week(db: Database, text: str | None) -> date:
    if text is not None:  # given, even blank: a blank week is refused, not taken as this week
        return calendar.parse_week(text)
    from rayong_desktop.services import status

    return status.current_week(db)[0]


def _reception(text: str | None) -> tuple[reporting.Reception, datetime | None]:
    if text is None:
        return reporting.Reception.UNSTATED, None
    return reporting.parse_reception(text)


def cmd_report(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services import reports

    week = _week(db, args.week)
    reception, received_at = _reception(args.received)
    try:
        result = reports.record_report(
            db,
            unit_code=args.unit,
            week=week,
            count=args.count,
            received_at=received_at,
            reception=reception,
            channel=args.channel,
            reporter=args.by,
            reporter_phone=args.phone,
            note=args.note,
            confirm=args.confirm,
            reason=args.reason,
            expected_version=args.expected_version,
            allow_correction=args.reason is not None,
        )
    except NeedsConfirmation as exc:
        message = exc.th if lang_th() else exc.en
        sys.stderr.write(
            "needs confirmation: " + message.replace("\n", " ") + " (repeat with --confirm)\n"
        )
        return EXIT_CONFIRM
    if args.json:
        emit_json(result.as_json())
    else:
        timing = (
            "on time" if result.late_by_minutes == 0 else f"late by {result.late_by_minutes} min"
        )
        confirmed = f", confirmed: {' '.join(result.confirmed)}" if result.confirmed else ""
        sys.stdout.write(
            f"{result.outcome}: {result.unit} {calendar.week_label(result.week)} "
            f"count {result.count:,} (version {result.version}, {timing}{confirmed})\n"
        )
        if result.replaced is not None:
            was = result.replaced
            stored_at = was.at.astimezone(BANGKOK).strftime("%Y-%m-%d %H:%M")
            sys.stdout.write(
                f"replaced: count {was.count:,} (version {was.version}) "
                f"stored by {was.by} at {stored_at}\n"
            )
    return EXIT_OK


def cmd_status(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services import status

    week = _week(db, args.week)
    summary = status.week_summary(db, week)
    if args.json:
        emit_json(status.status_report(db, week, summary))
        return EXIT_OK
    t = summary.totals
    out = sys.stdout
    out.write(f"week {calendar.week_label(week)} ({thai_week_range(week)})\n\n")
    print_table(
        [
            "row",
            "quota",
            "count",
            "%",
            "rise",
            "expected",
            "received",
            "on time",
            "late",
            "missing",
        ],
        [
            [
                r.row.number,
                format_int(r.totals.quota),
                format_int(r.totals.count),
                format_percent(r.totals.pct_of_quota),
                format_int(r.totals.increase),
                r.totals.expected,
                r.totals.received,
                r.totals.on_time,
                r.totals.late,
                r.totals.missing,
            ]
            for r in summary.plan_rows
        ],
    )
    out.write(
        f"\nprovince: {format_int(t.count)} of {format_int(t.quota)} "
        f"({format_percent(t.pct_of_quota)}), rise {format_int(t.increase)}"
    )
    if summary.stated_quota is not None and summary.stated_quota != t.quota:
        out.write(f"; the plan's printed total is {format_int(summary.stated_quota)}")
    out.write(
        f"\nreports: expected {t.expected}, received {t.received}, on time {t.on_time}, "
        f"late {t.late}, missing {t.missing}; reporting rate "
        f"{format_percent(t.reporting_rate)}, on-time rate {format_percent(t.on_time_rate)}\n"
    )
    if summary.oa.friends is not None:
        out.write(
            f"OA friends {format_int(summary.oa.friends)} vs reported "
            f"{format_int(summary.oa.reported_total)}"
            + (
                " (reports exceed friends: double counting?)"
                if summary.oa.reported_over_friends
                else ""
            )
            + "\n"
        )
    if summary.call_list:
        out.write("\nto call (not yet reported):\n")
        print_table(
            ["code", "contact", "phone", "fax", "last count", "name"],
            [
                [
                    c.code,
                    c.contact,
                    c.phone,
                    c.fax,
                    "" if c.last_count is None else format_int(c.last_count),
                    c.name,
                ]
                for c in summary.call_list
            ],
        )
    return EXIT_OK


def cmd_history(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services import reports

    unit, revisions = reports.unit_history(db, args.unit)
    if args.json:
        emit_json(
            {"unit": unit.code, "name": unit.name, "reports": [r.as_json() for r in revisions]}
        )
        return EXIT_OK
    sys.stdout.write(f"{unit.code} {unit.name}\n")
    print_table(
        ["week", "v", "count", "was", "received", "channel", "clerk", "confirmed", "reason"],
        [
            [
                calendar.week_label(r.week),
                r.version,
                format_int(r.count),
                "" if r.previous_count is None else format_int(r.previous_count),
                r.received_at.astimezone(BANGKOK).strftime("%Y-%m-%d %H:%M"),
                r.channel,
                r.clerk,
                " ".join(r.confirmed),
                r.reason,
            ]
            for r in revisions
        ],
    )
    return EXIT_OK


def cmd_weeks(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services import closed_weeks, status

    campaign = status.campaign_info(db)
    weeks = calendar.campaign_weeks(campaign.start, campaign.end)
    current, inside = status.current_week(db)
    closed = closed_weeks.closed_weeks(db)
    rows = [
        {
            "week": calendar.week_label(w),
            "week_start": w.isoformat(),
            "range_th": thai_week_range(w),
            "current": w == current and inside,
            "closed": w in closed,
        }
        for w in weeks
    ]
    if args.json:
        emit_json(rows)
    else:
        print_table(
            ["week", "start", "dates", ""],
            [
                [r["week"], r["week_start"], r["range_th"], "<- now" if r["current"] else ""]
                for r in rows
            ],
        )
    return EXIT_OK


# OA figures are read during the campaign; a baseline may be read up to a year before it.
OA_BEFORE_CAMPAIGN = timedelta(days=366)


def cmd_oa_add(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services import oa, status

    start = status.campaign_info(db).start
    if args.date < start - OA_BEFORE_CAMPAIGN:
        raise RefusedError(
            f"วันที่ {args.date.isoformat()} อยู่ก่อนโครงการเริ่ม ({start.isoformat()}) นานเกินไป",
            f"{args.date.isoformat()} is long before the campaign started ({start.isoformat()})",
            code="bad_date",
        )
    view = oa.record_oa_stat(
        db,
        on=args.date,
        friends=args.friends,
        blocked=args.blocked,
        reach=args.reach,
        sent_this_month=args.sent,
        note=args.note,
    )
    sys.stdout.write(f"OA figures of {view.date}: friends {view.friends:,}\n")
    return EXIT_OK


def cmd_oa_list(db: Database, args: argparse.Namespace) -> int:
    from rayong_desktop.services import oa

    stats = oa.list_oa_stats(db)
    if args.json:
        emit_json([s.as_json() for s in stats])
    else:
        print_table(
            ["date", "friends", "blocked", "reach", "sent this month"],
            [[s.date, s.friends, s.blocked, s.reach, s.sent_this_month] for s in stats],
        )
    return EXIT_OK
