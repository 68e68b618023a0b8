"""A large synthetic province for the benchmarks: ~1,000 units, ~3 years of weekly reports.

    python tests/benchmarks/generate.py --out PATH [--units 1000] [--years 3] [--seed 1]
    python tests/benchmarks/generate.py --out PATH --quick      (200 units, 1 year)

The database is created through the app's own schema and seed (services.startup.open_database)
and its campaign set through services.settings.update_setting. Units, reports, their revisions,
the OA's figures and the audit trail are then written in bulk with SQLAlchemy Core (calling
record_report ~156,000 times would take far too long), keeping to what the services write:

* one weekly_report row per unit-week holding the current version, and one report_revision row
  per version (1, or 2 for the ~2% corrected), with the audit entries record_report makes
  ("report" / "correct", key CODE/WEEK, field count);
* times go through the models' UTCDateTime type: aware UTC in, naive UTC stored;
* `confirmed` holds the concerns domain.validation.check_plausibility raises for the value as it
  was entered (reports are entered in time order, so no later count exists yet);
* ids follow the order of entry, as they would in a database filled week by week;
* each unit's last channel and reporter are those of its last report.

Everything is drawn from random.Random(seed) and the clock is pinned (RAYONG_NOW) while the app's
own services run, so the same arguments give the same database.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time as timer
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, bindparam, func, insert, select, update
from sqlalchemy.orm import selectinload

from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import (
    AuditLog,
    OAStat,
    PlanRow,
    ReportRevision,
    Schedule,
    Unit,
    WeeklyReport,
)
from rayong_desktop.domain import calendar
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.registry import DISTRICTS
from rayong_desktop.domain.validation import PlausibilityRules, check_plausibility
from rayong_desktop.services.registry import schedule_for, schedules_by_kind
from rayong_desktop.services.settings import get_settings, update_setting
from rayong_desktop.services.startup import open_database

CAMPAIGN_START = date(2020, 5, 1)
GENERATOR = "bench-generator"
CLERKS = ("clerk-a", "clerk-b", "clerk-c")
CHANNELS = (("phone", 50), ("fax", 22), ("line", 16), ("email", 7), ("paper", 5))
CORRECTION_REASONS = (
    "หน่วยแจ้งแก้ไขตัวเลข",
    "บันทึกตัวเลขผิด",
    "unit phoned a corrected figure",
)
CHUNK = 20_000

WEEKLY_REPORT: Table = WeeklyReport.__table__  # type: ignore[assignment]
REPORT_REVISION: Table = ReportRevision.__table__  # type: ignore[assignment]
AUDIT_LOG: Table = AuditLog.__table__  # type: ignore[assignment]
UNIT: Table = Unit.__table__  # type: ignore[assignment]
OA_STAT: Table = OAStat.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class Params:
    units: int = 1000  # units added to the 22 the seed registers
    years: int = 3
    seed: int = 1

    @property
    def campaign_months(self) -> int:
        return 12 * self.years


FULL = Params()
QUICK = Params(units=200, years=1)


@dataclass
class Stats:
    params: dict[str, int]
    seconds: float = 0.0
    units: int = 0
    weeks: int = 0
    reports: int = 0
    revisions: int = 0
    corrected: int = 0
    late: int = 0
    missing: int = 0
    oa_stats: int = 0
    audit_rows: int = 0
    size_bytes: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


@contextmanager
def pinned_env(**values: str) -> Iterator[None]:
    """Set environment variables for the app's services, restoring them afterwards."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def bangkok(d: date, hour: int, minute: int = 0) -> datetime:
    """A Bangkok wall-clock time as an aware UTC datetime."""
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=BANGKOK).astimezone(UTC)


def weighted(rng: random.Random, choices: Sequence[tuple[str, int]]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def phone_number(rng: random.Random) -> str:
    return f"038-{rng.randint(600, 699)}-{rng.randint(100, 999)}"


# ------------------------------------------------------------------------------------ units


@dataclass
class NewUnit:
    code: str
    name: str
    plan_row: int
    kind: str
    district: str | None
    quota: int
    contact: str | None
    phone: str | None
    fax: str | None
    email: str | None
    active_from: date | None
    retired_on: date | None
    own_schedule: str | None  # a schedule code overriding kind and plan row, rarely


def plan_units(rng: random.Random, params: Params, campaign_end: date) -> list[NewUnit]:
    """~88% local administrations under plan row 3 (SAOs and tambon municipalities across the
    8 districts), the rest agencies under the other rows; a few join late, a few retire."""
    n_la = round(params.units * 0.88)
    units: list[NewUnit] = []
    per_district: dict[str, int] = {}
    span_weeks = max(8, (campaign_end - CAMPAIGN_START).days // 7)
    for i in range(params.units):
        district: str | None
        own: str | None
        if i < n_la:
            code_d, district = DISTRICTS[rng.choices(range(8), weights=(5, 2, 5, 2, 3, 3, 2, 2))[0]]
            kind = "sao" if rng.random() < 0.65 else "subdistrict"
            n = per_district[code_d] = per_district.get(code_d, 0) + 1
            prefix, th = ("SAO", "องค์การบริหารส่วนตำบล") if kind == "sao" else ("TT", "เทศบาลตำบล")
            code = f"{prefix}-{code_d}-{n:03d}"
            name = f"{th}หน่วยทดสอบที่ {n} อำเภอ{district}"
            plan_row = 3
            quota = 300
            own = None
        else:
            plan_row = rng.choices(
                (1, 2, 4, 5, 6, 7, 8, 9, 10, 11), weights=(4, 6, 2, 2, 1, 1, 1, 1, 1, 1)
            )[0]
            code = f"AG{plan_row:02d}-{i - n_la + 1:03d}"
            name = f"หน่วยงานทดสอบที่ {i - n_la + 1} (แผนลำดับที่ {plan_row})"
            kind = "agency"
            district = rng.choice([None, *(d for _, d in DISTRICTS)])
            quota = rng.choice((100, 200, 300, 500, 1000, 2000))
            own = "letter" if rng.random() < 0.05 else None
        active_from: date | None = None
        retired_on: date | None = None
        roll = rng.random()
        if roll < 0.06:
            active_from = CAMPAIGN_START + timedelta(weeks=rng.randint(4, span_weeks * 2 // 3))
        elif roll < 0.07:
            retired_on = CAMPAIGN_START + timedelta(weeks=rng.randint(span_weeks // 2, span_weeks))
        units.append(
            NewUnit(
                code=code,
                name=name,
                plan_row=plan_row,
                kind=kind,
                district=district,
                quota=quota,
                contact="ปลัด/ผู้ประสานงาน" if rng.random() < 0.8 else None,
                phone=phone_number(rng) if rng.random() < 0.9 else None,
                fax=phone_number(rng) if rng.random() < 0.5 else None,
                email=f"{code.lower()}@example.go.th" if rng.random() < 0.3 else None,
                active_from=active_from,
                retired_on=retired_on,
                own_schedule=own,
            )
        )
    return units


def insert_units(conn: Connection, rng: random.Random, new: list[NewUnit]) -> list[dict[str, Any]]:
    """Insert the units as add_unit would (and audit them); returns the retire audit entries,
    which belong later in the trail."""
    rows = {r.number: r.id for r in conn.execute(select(PlanRow.number, PlanRow.id))}
    schedules = {s.code: s.id for s in conn.execute(select(Schedule.code, Schedule.id))}
    next_id = (conn.scalar(select(func.max(Unit.id))) or 0) + 1
    unit_rows: list[dict[str, Any]] = []
    audit_rows: list[dict[str, Any]] = []
    retire_audit: list[dict[str, Any]] = []
    registered = bangkok(CAMPAIGN_START - timedelta(days=3), 9)
    for i, u in enumerate(new):
        created = (
            bangkok(u.active_from - timedelta(days=rng.randint(1, 6)), 10)
            if u.active_from
            else registered + timedelta(minutes=2 * i)
        )
        unit_rows.append(
            {
                "id": next_id + i,
                "code": u.code,
                "name": u.name,
                "plan_row_id": rows[u.plan_row],
                "kind": u.kind,
                "district": u.district,
                "quota": u.quota,
                "contact": u.contact,
                "phone": u.phone,
                "fax": u.fax,
                "email": u.email,
                "note": None,
                "active": u.retired_on is None,
                "active_from": u.active_from,
                "retired_on": u.retired_on,
                "schedule_id": schedules[u.own_schedule] if u.own_schedule else None,
                "last_channel": None,
                "last_reporter": None,
                "last_reporter_phone": None,
                "created_at": created,
            }
        )
        snapshot = {
            "name": u.name,
            "plan_row": u.plan_row,
            "kind": u.kind,
            "district": u.district,
            "quota": u.quota,
            "contact": u.contact,
            "phone": u.phone,
            "fax": u.fax,
            "email": u.email,
            "note": None,
            "active_from": u.active_from.isoformat() if u.active_from else None,
        }
        audit_rows.append(
            audit_row(
                created,
                GENERATOR,
                "add",
                "unit",
                u.code,
                new=json.dumps(snapshot, ensure_ascii=False),
            )
        )
        if u.retired_on is not None:
            at = bangkok(u.retired_on, 9)
            reason = "ยุบรวมกับหน่วยอื่น"
            retire_audit.append(
                audit_row(
                    at, CLERKS[0], "retire", "unit", u.code, "active", "True", "False", reason
                )
            )
            retire_audit.append(
                audit_row(
                    at,
                    CLERKS[0],
                    "retire",
                    "unit",
                    u.code,
                    "retired_on",
                    None,
                    u.retired_on.isoformat(),
                    reason,
                )
            )
    conn.execute(insert(UNIT), unit_rows)
    conn.execute(insert(AUDIT_LOG), audit_rows)
    return retire_audit


def audit_row(
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    key: str,
    field_: str | None = None,
    old: str | None = None,
    new: str | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    return {
        "at": at,
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_key": key,
        "field": field_,
        "old": old,
        "new": new,
        "reason": reason,
    }


# ---------------------------------------------------------------------------------- reports


@dataclass(frozen=True)
class UnitPlan:
    id: int
    code: str
    quota: int
    schedule: calendar.Schedule
    schedule_code: str
    active_from: date | None
    retired_on: date | None


@dataclass
class Version:
    """One version of one unit-week, as record_report would store it."""

    unit_id: int
    week: date
    version: int
    count: int
    received_at: datetime
    entered_at: datetime
    channel: str
    reporter: str | None
    reporter_phone: str | None
    clerk: str
    confirmed: str
    reason: str | None
    old_count: int | None


def load_unit_plans(db: Database) -> list[UnitPlan]:
    """Every unit with the schedule the app resolves for it (registry.schedule_for)."""
    with db.reading() as session:
        by_kind, default = schedules_by_kind(session)
        units = session.scalars(
            select(Unit)
            .options(selectinload(Unit.plan_row).selectinload(PlanRow.schedule))
            .options(selectinload(Unit.schedule))
            .order_by(Unit.id)
        )
        plans = []
        for u in units:
            s = schedule_for(u, by_kind, default)
            plans.append(
                UnitPlan(
                    id=u.id,
                    code=u.code,
                    quota=u.quota,
                    schedule=calendar.Schedule(s.weekday, s.cutoff, s.first_due),
                    schedule_code=s.code,
                    active_from=u.active_from,
                    retired_on=None if u.active else u.retired_on,
                )
            )
        return plans


def wrong_figure(rng: random.Random, count: int) -> int:
    """A keying slip that a correction later fixes."""
    slip = rng.random()
    if slip < 0.35 and count >= 10:
        return count * 10  # an extra zero
    if slip < 0.55 and count >= 100:
        return count // 10  # a dropped digit
    digits = str(count)
    if slip < 0.75 and len(digits) >= 2 and digits[-1] != digits[-2]:
        return int(digits[:-2] + digits[-1] + digits[-2])  # swapped last digits
    return max(0, count + rng.choice((-1, 1)) * rng.randint(1, 60))


def concerns(
    value: int, quota: int, previous: int | None, max_rise: int | None, rules: PlausibilityRules
) -> str:
    """What record_report stores in `confirmed` for a value keyed in week order."""
    found = check_plausibility(
        value,
        quota=quota,
        previous_count=previous,
        max_previous_rise=max_rise,
        later_count=None,
        rules=rules,
    )
    return " ".join(c.code for c in found)


def unit_versions(
    rng: random.Random,
    unit: UnitPlan,
    weeks: Sequence[date],
    campaign_end: date,
    rules: PlausibilityRules,
    stats: Stats,
) -> list[Version]:
    """Every version of every report of one unit, in week order."""
    # How this unit behaves: its final figure, how fast it gets there, how reliable it is.
    target = max(20, round(unit.quota * rng.uniform(0.5, 1.7)))
    start = round(target * rng.uniform(0.0, 0.3))
    tau = rng.uniform(3.0, 30.0)
    p_missing = 0.12 if rng.random() < 0.12 else 0.015
    p_late = rng.choice((0.03, 0.08, 0.15, 0.35))
    channel = weighted(rng, CHANNELS)
    reporter = f"ผู้ประสานงาน {unit.code}"
    reporter_phone = phone_number(rng)

    versions: list[Version] = []
    earlier: list[int] = []
    max_rise: int | None = None
    t = 0
    for week in weeks:
        if not calendar.is_expected(
            unit.schedule,
            week,
            campaign_start=CAMPAIGN_START,
            campaign_end=campaign_end,
            active_from=unit.active_from,
            retired_on=unit.retired_on,
        ):
            continue
        t += 1
        if rng.random() < p_missing:
            stats.missing += 1
            continue
        model = start + (target - start) * (1 - math.exp(-t / tau))
        count = round(model + rng.gauss(0, max(1.0, target * 0.01)))
        previous = earlier[-1] if earlier else None
        if previous is not None and rng.random() > 0.003:
            count = max(previous, count)  # cumulative; once in a while members leave
        count = max(0, count)

        due = calendar.due_at(unit.schedule, week).astimezone(UTC)
        if rng.random() < p_late:
            stats.late += 1
            received = due + timedelta(
                minutes=rng.choice((rng.randint(1, 240), rng.randint(1, 4320)))
            )
        else:
            received = due - timedelta(minutes=rng.randint(0, 72 * 60))
        received = received.replace(second=0, microsecond=0)
        this_channel = channel if rng.random() < 0.85 else weighted(rng, CHANNELS)
        lag = rng.randint(0, 20) if this_channel in ("phone", "line") else rng.randint(5, 600)
        entered = received + timedelta(minutes=lag, seconds=rng.randint(0, 59))
        clerk = rng.choice(CLERKS)

        corrected = rng.random() < 0.02
        first = wrong_figure(rng, count) if corrected else count
        versions.append(
            Version(
                unit.id,
                week,
                1,
                first,
                received,
                entered,
                this_channel,
                reporter,
                reporter_phone,
                clerk,
                concerns(first, unit.quota, previous, max_rise, rules),
                None,
                None,
            )
        )
        if corrected:
            stats.corrected += 1
            versions.append(
                Version(
                    unit.id,
                    week,
                    2,
                    count,
                    received,
                    entered + timedelta(minutes=rng.randint(30, 3 * 24 * 60)),
                    this_channel,
                    reporter,
                    reporter_phone,
                    rng.choice(CLERKS),
                    concerns(count, unit.quota, previous, max_rise, rules),
                    rng.choice(CORRECTION_REASONS),
                    first,
                )
            )
        if previous is not None:
            rise = count - previous
            max_rise = rise if max_rise is None else max(max_rise, rise)
        earlier.append(count)
    return versions


def oa_rows(
    rng: random.Random, weeks: Sequence[date], totals: dict[date, int], campaign_end: date
) -> list[dict[str, Any]]:
    """The OA's figures read every Friday: friends near the units' reported total."""
    rows = []
    for week in weeks:
        day = week + timedelta(days=4)
        if day < CAMPAIGN_START or day > campaign_end or not totals.get(week):
            continue
        friends = max(0, round(totals.get(week, 0) * rng.uniform(0.85, 1.05)))
        blocked = round(friends * rng.uniform(0.01, 0.05))
        reach = friends - blocked
        broadcasts = 2 * ((day.day + 6) // 7)
        rows.append(
            {
                "date": day,
                "friends": friends,
                "blocked": blocked,
                "reach": reach,
                "sent_this_month": broadcasts * reach,
                "entered_at": bangkok(day, 16, rng.randint(0, 59)),
                "clerk": rng.choice(CLERKS),
                "note": None,
            }
        )
    return rows


def carried_totals(versions: Sequence[Version], weeks: Sequence[date]) -> dict[date, int]:
    """The province's total per week with last counts carried (for plausible OA figures)."""
    current: dict[tuple[int, date], int] = {}
    for v in versions:
        current[(v.unit_id, v.week)] = v.count
    by_unit: dict[int, dict[date, int]] = {}
    for (unit_id, week), count in current.items():
        by_unit.setdefault(unit_id, {})[week] = count
    totals = dict.fromkeys(weeks, 0)
    for series in by_unit.values():
        last = 0
        for week in weeks:
            last = series.get(week, last)
            totals[week] += last
    return totals


def insert_chunked(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    for i in range(0, len(rows), CHUNK):
        conn.execute(insert(table), list(rows[i : i + CHUNK]))


def write_reports(
    db: Database,
    plans: Sequence[UnitPlan],
    versions: Sequence[Version],
    oa: Sequence[dict[str, Any]],
    retire_audit: Sequence[dict[str, Any]],
    stats: Stats,
) -> None:
    """Reports, revisions, OA figures and the audit trail, ids in order of entry."""
    codes = {p.id: p.code for p in plans}
    ordered = sorted(versions, key=lambda v: (v.entered_at, v.unit_id, v.week, v.version))
    report_ids: dict[tuple[int, date], int] = {}
    current: dict[int, Version] = {}
    revisions: list[dict[str, Any]] = []
    trail: list[tuple[datetime, int, dict[str, Any]]] = []
    with db.engine.begin() as conn:
        next_report = (conn.scalar(select(func.max(WeeklyReport.id))) or 0) + 1
        for seq, v in enumerate(ordered):
            key = (v.unit_id, v.week)
            if key not in report_ids:
                report_ids[key] = next_report
                next_report += 1
            report_id = report_ids[key]
            current[report_id] = v
            revisions.append(
                {
                    "report_id": report_id,
                    "version": v.version,
                    "count": v.count,
                    "received_at": v.received_at,
                    "entered_at": v.entered_at,
                    "channel": v.channel,
                    "reporter": v.reporter,
                    "reporter_phone": v.reporter_phone,
                    "clerk": v.clerk,
                    "note": None,
                    "confirmed": v.confirmed,
                    "reason": v.reason,
                }
            )
            trail.append(
                (
                    v.entered_at,
                    seq,
                    audit_row(
                        v.entered_at,
                        v.clerk,
                        "report" if v.version == 1 else "correct",
                        "report",
                        f"{codes[v.unit_id]}/{v.week.isoformat()}",
                        "count",
                        None if v.old_count is None else str(v.old_count),
                        str(v.count),
                        v.reason,
                    ),
                )
            )
        reports = [
            {
                "id": report_id,
                "unit_id": v.unit_id,
                "week": v.week,
                "count": v.count,
                "received_at": v.received_at,
                "entered_at": v.entered_at,
                "channel": v.channel,
                "reporter": v.reporter,
                "reporter_phone": v.reporter_phone,
                "clerk": v.clerk,
                "note": None,
                "confirmed": v.confirmed,
                "version": v.version,
            }
            for report_id, v in sorted(current.items())
        ]
        base = len(trail)
        for i, row in enumerate(oa):
            trail.append(
                (
                    row["entered_at"],
                    base + i,
                    audit_row(
                        row["entered_at"],
                        row["clerk"],
                        "add",
                        "oa_stat",
                        row["date"].isoformat(),
                        new=str(row["friends"]),
                    ),
                )
            )
        base = len(trail)
        for i, row in enumerate(retire_audit):
            trail.append((row["at"], base + i, row))
        trail.sort(key=lambda item: (item[0], item[1]))

        insert_chunked(conn, WEEKLY_REPORT, reports)
        insert_chunked(conn, REPORT_REVISION, revisions)
        insert_chunked(conn, OA_STAT, list(oa))
        insert_chunked(conn, AUDIT_LOG, [row for _, _, row in trail])

        last_by_unit: dict[int, Version] = {}
        for v in ordered:
            last_by_unit[v.unit_id] = v
        conn.execute(
            update(UNIT)
            .where(UNIT.c.id == bindparam("b_id"))
            .values(
                last_channel=bindparam("b_channel"),
                last_reporter=bindparam("b_reporter"),
                last_reporter_phone=bindparam("b_phone"),
            ),
            [
                {
                    "b_id": unit_id,
                    "b_channel": v.channel,
                    "b_reporter": v.reporter,
                    "b_phone": v.reporter_phone,
                }
                for unit_id, v in sorted(last_by_unit.items())
            ],
        )
    stats.reports = len(reports)
    stats.revisions = len(revisions)
    stats.oa_stats = len(oa)


# ------------------------------------------------------------------------------------ whole


def meta_path(out: Path) -> Path:
    """The sidecar written last: its presence marks a complete database made with these
    parameters (run.py reuses such a database)."""
    return out.with_name(out.name + ".params.json")


def remove_database(out: Path) -> None:
    for path in (out, *(out.with_name(out.name + s) for s in ("-wal", "-shm", ".params.json"))):
        path.unlink(missing_ok=True)


def generate(out: Path, params: Params, *, log: bool = True) -> Stats:
    """Create the province at `out` (which must not exist yet)."""
    out = Path(out)
    if out.exists():
        raise FileExistsError(f"{out} exists; remove it or pass --force")
    stats = Stats(params=asdict(params))
    began = timer.perf_counter()

    def say(text: str) -> None:
        if log:
            print(f"[{timer.perf_counter() - began:6.1f}s] {text}", flush=True)

    rng = random.Random(params.seed)
    try:
        # The services stamp entries with "now" and the clerk: pin both for a repeatable file.
        with pinned_env(RAYONG_NOW="2020-04-27T09:00:00", RAYONG_CLERK=GENERATOR):
            db = open_database(out)
            # No daily backup of a file still being filled (it would land beside --out).
            db.before_write = None
            try:
                update_setting(db, "campaign_start", CAMPAIGN_START.isoformat())
                update_setting(db, "campaign_months", str(params.campaign_months))
                settings = get_settings(db)
                rules = PlausibilityRules(
                    rise_quota_factor=settings.rise_quota_factor,
                    rise_history_factor=settings.rise_history_factor,
                    rise_floor=settings.rise_floor,
                )
                end = calendar.campaign_end(settings.campaign_start, settings.campaign_months)
                weeks = calendar.campaign_weeks(settings.campaign_start, end)
                stats.weeks = len(weeks)
                say(
                    f"schema and seed ready; campaign {CAMPAIGN_START} .. {end}, {len(weeks)} weeks"
                )

                with db.engine.begin() as conn:
                    retire_audit = insert_units(conn, rng, plan_units(rng, params, end))
                plans = load_unit_plans(db)
                stats.units = len(plans)
                say(f"{len(plans)} units registered")

                versions: list[Version] = []
                for plan in plans:
                    versions.extend(unit_versions(rng, plan, weeks, end, rules, stats))
                say(f"{len(versions)} report versions drawn")
                oa = oa_rows(rng, weeks, carried_totals(versions, weeks), end)
                write_reports(db, plans, versions, oa, retire_audit, stats)
                with db.reading() as session:
                    stats.audit_rows = session.scalar(select(func.count(AuditLog.id))) or 0
                say(f"{stats.reports} reports, {stats.revisions} revisions written")
            finally:
                db.dispose()
    except BaseException:
        remove_database(out)
        raise
    stats.seconds = round(timer.perf_counter() - began, 2)
    stats.size_bytes = out.stat().st_size
    meta_path(out).write_text(json.dumps(asdict(stats), indent=2) + "\n", encoding="utf-8")
    say(f"done: {stats.size_bytes / 1e6:.1f} MB")
    return stats


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="generate a large synthetic province database")
    parser.add_argument("--out", type=Path, required=True, help="the database file to create")
    parser.add_argument(
        "--units", type=int, default=None, help=f"units to add (default {FULL.units})"
    )
    parser.add_argument(
        "--years", type=int, default=None, help=f"campaign years (default {FULL.years})"
    )
    parser.add_argument("--seed", type=int, default=FULL.seed)
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK.units} units x {QUICK.years} year"
    )
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    args = parser.parse_args(argv)
    base = QUICK if args.quick else FULL
    params = Params(
        units=args.units if args.units is not None else base.units,
        years=args.years if args.years is not None else base.years,
        seed=args.seed,
    )
    if params.units < 0 or not 1 <= params.years <= 10:
        parser.error("--units must be >= 0 and --years 1..10")
    if args.force:
        remove_database(args.out)
    stats = generate(args.out, params)
    print(json.dumps(asdict(stats), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
