"""The demo database: a living desk for newcomers and training, never the office's real data.

`python main.py --demo` opens its own file (paths.default_db_path(demo=True)); on first open it
is filled here with generated sample reports over the whole campaign up to today. Everything
generated is plainly fake: extra units are named by kind and district with "(ตัวอย่าง)", contacts
are job titles, phone numbers have a digit too many to be dialled, and the database carries a
mark (setting `demo_database`) that the window shows as a banner and in its title.

Generation is deterministic: the same seed and the same clock give the same database.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import (
    OAStat,
    PlanRow,
    Setting,
    Unit,
    WeeklyReport,
)
from rayong_desktop.domain import calendar
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.domain.numbers import to_thai_digits
from rayong_desktop.domain.registry import DISTRICTS, KIND_BY_CODE
from rayong_desktop.domain.reporting import Keyed
from rayong_desktop.services.common import audit, now_utc
from rayong_desktop.services.registry import due_schedule, schedules_by_kind
from rayong_desktop.services.report_writer import ReportWriter
from rayong_desktop.services.settings import load_settings, save_setting

DEMO_MARK = "demo_database"
DEMO_ACTOR = "ตัวอย่าง"
DEFAULT_SEED = 2563
# Kinds of the extra local administrations, cycled per district.
DEMO_KINDS = ("subdistrict", "sao", "sao")
CHANNELS = (("phone", 50), ("fax", 25), ("line", 15), ("email", 6), ("paper", 4))
REPORTERS = (
    "เจ้าหน้าที่ประชาสัมพันธ์ (ตัวอย่าง)",
    "ปลัด (ตัวอย่าง)",
    "นักวิเคราะห์นโยบายและแผน (ตัวอย่าง)",
    "เจ้าพนักงานธุรการ (ตัวอย่าง)",
)
CALL_NOTES = (
    "รับปากส่งก่อน 15.00 น.",
    "โทรแล้วไม่มีผู้รับสาย จะโทรอีกครั้งช่วงบ่าย",
    "แจ้งว่าส่งโทรสารแล้ว รอตรวจสอบเครื่องรับ",
)
CORRECTION_REASON = "หน่วยแจ้งแก้ไขตัวเลข (ตัวอย่าง)"


@dataclass(frozen=True)
class DemoResult:
    units_added: int
    reports: int
    corrections: int
    oa_stats: int
    call_notes: int


def is_demo(db: Database) -> bool:
    with db.reading() as session:
        return session.get(Setting, DEMO_MARK) is not None


def _fake_phone(n: int) -> str:
    # Ten digits after the 038 area code's zero: one more than a Thai landline has.
    return f"038-000-{n:04d}"


def _check_empty(session: Session) -> None:
    """Refuse to generate anything into a database that holds real work."""
    reports = session.scalar(select(func.count(WeeklyReport.id))) or 0
    stats = session.scalar(select(func.count(OAStat.id))) or 0
    if reports or stats:
        raise RefusedError(
            "ฐานข้อมูลนี้มีข้อมูลรายงานอยู่แล้ว จึงไม่สร้างข้อมูลตัวอย่างปนลงไป",
            "this database already holds reports; demo data is never mixed into it",
            code="not_empty",
        )


def _add_demo_units(session: Session, created: datetime) -> list[Unit]:
    row3 = session.scalar(select(PlanRow).where(PlanRow.number == 3))
    if row3 is None:
        raise RefusedError("ไม่พบแผนลำดับที่ 3", "plan row 3 is missing", code="unknown_plan_row")
    la_quota = load_settings(session).default_la_quota
    added: list[Unit] = []
    for d_index, (d_code, d_name) in enumerate(DISTRICTS):
        for n, kind in enumerate(DEMO_KINDS, start=1):
            short = KIND_BY_CODE[kind].short_th
            unit = Unit(
                code=f"DEMO-{d_code}-{n}",
                name=f"{short} (ตัวอย่าง) {d_name} {to_thai_digits(str(n))}",
                plan_row=row3,
                kind=kind,
                district=d_name,
                quota=la_quota,
                contact="นักประชาสัมพันธ์ (ตัวอย่าง)",
                phone=_fake_phone(200 + d_index * 10 + n),
                fax=_fake_phone(600 + d_index * 10 + n),
                note="หน่วยตัวอย่างในฐานข้อมูลสาธิต",
                active=True,
                created_at=created,
            )
            session.add(unit)
            added.append(unit)
    # One joins the campaign late and one leaves it early, as real registries do.
    added[4].active_from = date(2020, 5, 25)
    added[10].active = False
    added[10].retired_on = date(2020, 6, 22)
    return added


def _received_time(rng: random.Random, due: datetime, week: date, punctual: float) -> datetime:
    """When the call or fax came: office hours, on time mostly, some hours or a day late."""
    local_due = due.astimezone(BANGKOK)
    if rng.random() < punctual:
        day = local_due.date() - timedelta(days=rng.choice((0, 0, 0, 1, 1, 2)))
        latest = local_due.time() if day == local_due.date() else time(16, 30)
        minutes = rng.randint(8 * 60 + 30, latest.hour * 60 + latest.minute - 1)
    else:
        day = local_due.date() + timedelta(days=rng.choice((0, 0, 0, 1)))
        earliest = local_due.time() if day == local_due.date() else time(8, 30)
        minutes = rng.randint(earliest.hour * 60 + earliest.minute + 1, 16 * 60 + 30)
    moment = datetime.combine(day, time(minutes // 60, minutes % 60), BANGKOK)
    opens = datetime.combine(week, time(8, 30), BANGKOK)
    return max(moment, opens)


def fill_demo(db: Database, *, seed: int = DEFAULT_SEED, now: datetime | None = None) -> DemoResult:
    """Fill an empty database with the demo province; refused when it holds any report."""
    moment = now or now_utc()
    rng = random.Random(seed)
    today = moment.astimezone(BANGKOK)
    this_week = calendar.week_start(today.date())
    with db.transaction() as session:
        if session.get(Setting, DEMO_MARK) is not None:
            raise RefusedError(
                "ฐานข้อมูลตัวอย่างนี้สร้างไว้แล้ว", "the demo data is already there", code="demo_done"
            )
        _check_empty(session)
        settings = load_settings(session)
        start = settings.campaign_start
        end = calendar.campaign_end(start, settings.campaign_months)
        added = _add_demo_units(session, moment)
        session.flush()
        units = list(
            session.scalars(
                select(Unit)
                .options(
                    selectinload(Unit.plan_row).selectinload(PlanRow.schedule),
                    selectinload(Unit.schedule),
                )
                .order_by(Unit.id)
            )
        )
        for i, u in enumerate(units):
            if u.contact is None:
                u.contact = "งานประชาสัมพันธ์ (ตัวอย่าง)"
                u.phone = _fake_phone(100 + i)
                u.fax = _fake_phone(500 + i)
        by_kind, default = schedules_by_kind(session)
        # Every figure goes through the one report writer, as if keyed at `entered`; it knows
        # the database is empty, so it needs no query per figure.
        writer = ReportWriter(session, actor=DEMO_ACTOR, now=moment)
        writer.knows_everything()
        weeks = [w for w in calendar.campaign_weeks(start, end) if w <= this_week]
        last_week = weeks[-1] if weeks else None

        reports = 0
        corrections = 0
        totals_by_week: dict[date, int] = {}
        missing_last_week: list[Unit] = []
        for u in units:
            sched = due_schedule(u, by_kind, default)
            final = u.quota * rng.uniform(0.55, 1.35)
            first = final * rng.uniform(0.04, 0.2)
            punctual = rng.uniform(0.6, 0.97)
            diligence = rng.uniform(0.8, 0.98)
            counts: list[int] = []
            carried = 0
            due_weeks = [
                w
                for w in weeks
                if calendar.is_expected(
                    sched,
                    w,
                    campaign_start=start,
                    campaign_end=end,
                    active_from=u.active_from,
                    retired_on=u.retired_on,
                )
            ]
            span = max(1, len(calendar.campaign_weeks(start, end)) - 1)
            for w in weeks:
                if w in due_weeks:
                    due = calendar.due_at(sched, w)
                    chance = diligence if w != last_week else diligence * 0.8
                    received = _received_time(rng, due, w, punctual)
                    if rng.random() < chance and received <= moment:
                        progress = (w - due_weeks[0]).days / 7 / span
                        curve = (1 - math.exp(-3 * progress)) / (1 - math.exp(-3))
                        value = int(first + (final - first) * curve * rng.uniform(0.93, 1.05))
                        if counts and rng.random() < 0.9:
                            value = max(value, counts[-1])  # members rarely leave
                        value = max(0, value)

                        entered = min(moment, received + timedelta(minutes=rng.randint(2, 180)))
                        channel = rng.choices(
                            [c for c, _ in CHANNELS], weights=[w_ for _, w_ in CHANNELS]
                        )[0]
                        reporter = REPORTERS[(u.id + len(counts)) % len(REPORTERS)]
                        # A misplaced zero now and then, phoned in again and corrected.
                        typo = rng.random() < 0.03 and 0 < value * 10 <= settings.count_ceiling
                        writer.write(
                            u,
                            w,
                            Keyed(
                                count=value * 10 if typo else value,
                                received_at=received,
                                channel=channel,
                                reporter=reporter,
                            ),
                            confirm=True,
                            at=entered,
                        )
                        if typo:
                            fixed = min(moment, entered + timedelta(minutes=rng.randint(20, 600)))
                            writer.write(
                                u,
                                w,
                                Keyed(count=value, reason=CORRECTION_REASON),
                                confirm=True,
                                at=fixed,
                            )
                            corrections += 1
                        counts.append(value)
                        carried = value
                        reports += 1
                    elif w == last_week and u.active:
                        missing_last_week.append(u)
                totals_by_week[w] = totals_by_week.get(w, 0) + carried

        writer.flush()
        stats = _oa_stats(session, rng, weeks, totals_by_week, moment)
        notes = 0
        if last_week is not None:
            for n, u in enumerate(missing_last_week[: len(CALL_NOTES)]):
                audit(
                    session,
                    actor=DEMO_ACTOR,
                    action="note",
                    entity="call_note",
                    key=f"{u.code}/{last_week.isoformat()}",
                    new=CALL_NOTES[n],
                    at=min(moment, calendar.due_at(due_schedule(u, by_kind, default), last_week)),
                )
                notes += 1
        save_setting(
            session,
            DEMO_MARK,
            {"seed": seed, "generated_at": moment.astimezone(BANGKOK).isoformat()},
        )
        audit(session, actor=DEMO_ACTOR, action="demo", entity="database", key="demo", new=seed)
        return DemoResult(len(added), reports, corrections, stats, notes)


def _oa_stats(
    session: Session,
    rng: random.Random,
    weeks: list[date],
    totals: dict[date, int],
    moment: datetime,
) -> int:
    """The OA's figures read every Friday: a few more friends than the units report (people
    join on their own), a few blocks, two broadcasts a week to everyone reachable."""
    made = 0
    sent_by_month: dict[tuple[int, int], int] = {}
    for w in weeks:
        friday = w + timedelta(days=4)
        if friday > moment.astimezone(BANGKOK).date():
            break
        friends = int(totals.get(w, 0) * rng.uniform(1.02, 1.1))
        blocked = int(friends * rng.uniform(0.02, 0.04))
        reach = friends - blocked
        month = (friday.year, friday.month)
        sent_by_month[month] = sent_by_month.get(month, 0) + 2 * reach
        session.add(
            OAStat(
                date=friday,
                friends=friends,
                blocked=blocked,
                reach=reach,
                sent_this_month=sent_by_month[month],
                entered_at=datetime.combine(friday, time(15, 0), BANGKOK),
                clerk=DEMO_ACTOR,
                note="ตัวเลขตัวอย่าง",
            )
        )
        made += 1
    return made


def demo_mark(db: Database) -> dict[str, object] | None:
    with db.reading() as session:
        row = session.get(Setting, DEMO_MARK)
        return None if row is None else dict(json.loads(row.value))
