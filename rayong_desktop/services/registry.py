"""The registry of plan rows and reporting units: reading, seeding, editing with an audit trail.

Every function is one user action in one transaction; a refused change raises RefusedError before
anything is written, and the transaction rolls back whatever else happened.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import PlanRow, Schedule, Setting, Unit
from rayong_desktop.domain import calendar
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.domain.registry import (
    KIND_BY_CODE,
    default_quota,
    normalize_code,
    parse_district,
    parse_kind,
)
from rayong_desktop.domain.validation import INT64_MAX, check_text, check_whole_number
from rayong_desktop.paths import resource_path
from rayong_desktop.services.common import audit, current_clerk, now_utc
from rayong_desktop.services.settings import load_settings, save_setting

SEED_FILE = ("seed", "plan.json")
SEED_MARK = "seed_version"


@dataclass(frozen=True)
class UnitView:
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
    note: str | None
    active: bool
    active_from: date | None
    retired_on: date | None
    schedule: str

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "plan_row": self.plan_row,
            "kind": self.kind,
            "district": self.district,
            "quota": self.quota,
            "contact": self.contact,
            "phone": self.phone,
            "fax": self.fax,
            "email": self.email,
            "note": self.note,
            "active": self.active,
            "active_from": self.active_from.isoformat() if self.active_from else None,
            "retired_on": self.retired_on.isoformat() if self.retired_on else None,
            "schedule": self.schedule,
        }


@dataclass(frozen=True)
class PlanRowView:
    number: int
    name: str
    quota: int
    units_quota: int
    unit_count: int
    actions: str
    quota_note: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "name": self.name,
            "quota": self.quota,
            "units_quota": self.units_quota,
            "unit_count": self.unit_count,
            "actions": self.actions,
            "quota_note": self.quota_note,
        }


@dataclass(frozen=True)
class PlanOverview:
    rows: tuple[PlanRowView, ...]
    computed_quota: int
    stated_quota: int | None

    @property
    def difference(self) -> int | None:
        return None if self.stated_quota is None else self.computed_quota - self.stated_quota

    def as_json(self) -> dict[str, Any]:
        return {
            "rows": [r.as_json() for r in self.rows],
            "totals": {
                "computed_quota": self.computed_quota,
                "stated_quota": self.stated_quota,
                "difference": self.difference,
            },
        }


# ---------------------------------------------------------------- schedules


def resolve_schedule(
    own: Schedule | None,
    kind: str,
    row: Schedule | None,
    by_kind: dict[str, Schedule],
    default: Schedule,
) -> Schedule:
    """A unit's own schedule, else the one for its kind, else its plan row's, else the default."""
    if own is not None:
        return own
    if kind in by_kind:
        return by_kind[kind]
    if row is not None:
        return row
    return default


def schedule_for(unit: Unit, by_kind: dict[str, Schedule], default: Schedule) -> Schedule:
    return resolve_schedule(unit.schedule, unit.kind, unit.plan_row.schedule, by_kind, default)


def due_schedule(unit: Unit, by_kind: dict[str, Schedule], default: Schedule) -> calendar.Schedule:
    """The deadline rule of a unit's reports (schedule_for, as the calendar uses it)."""
    return schedule_for(unit, by_kind, default).rule()


def schedules_by_kind(session: Session) -> tuple[dict[str, Schedule], Schedule]:
    schedules = list(session.scalars(select(Schedule).order_by(Schedule.id)))
    if not schedules:
        raise RefusedError(
            "ยังไม่มีกำหนดการรายงานในฐานข้อมูล",
            "the database has no reporting schedule",
            code="no_schedule",
        )
    by_kind: dict[str, Schedule] = {}
    for s in schedules:
        for kind in s.unit_kinds.split():
            by_kind.setdefault(kind, s)
    return by_kind, schedules[-1]


# ---------------------------------------------------------------- reading


def _view(unit: Unit, schedule: Schedule) -> UnitView:
    return UnitView(
        code=unit.code,
        name=unit.name,
        plan_row=unit.plan_row.number,
        kind=unit.kind,
        district=unit.district,
        quota=unit.quota,
        contact=unit.contact,
        phone=unit.phone,
        fax=unit.fax,
        email=unit.email,
        note=unit.note,
        active=unit.active,
        active_from=unit.active_from,
        retired_on=unit.retired_on,
        schedule=schedule.code,
    )


def _units_query() -> Any:
    return (
        select(Unit)
        .join(Unit.plan_row)
        .options(selectinload(Unit.plan_row).selectinload(PlanRow.schedule))
        .options(selectinload(Unit.schedule))
        .order_by(PlanRow.number, Unit.code)
    )


def list_units(db: Database, *, include_retired: bool = True) -> list[UnitView]:
    with db.reading() as session:
        return units_in(session, include_retired=include_retired)


def units_in(session: Session, *, include_retired: bool = True) -> list[UnitView]:
    """list_units inside the caller's session."""
    by_kind, default = schedules_by_kind(session)
    query = _units_query()
    if not include_retired:
        query = query.where(Unit.active.is_(True))
    return [_view(u, schedule_for(u, by_kind, default)) for u in session.scalars(query)]


def get_unit(db: Database, code: str) -> UnitView:
    with db.reading() as session:
        unit = find_unit(session, code)
        by_kind, default = schedules_by_kind(session)
        return _view(unit, schedule_for(unit, by_kind, default))


def plan_overview(db: Database) -> PlanOverview:
    with db.reading() as session:
        unit_sums: dict[int, int] = dict(
            session.execute(
                select(Unit.plan_row_id, func.coalesce(func.sum(Unit.quota), 0))
                .where(Unit.active.is_(True))
                .group_by(Unit.plan_row_id)
            ).all()
        )
        unit_counts: dict[int, int] = dict(
            session.execute(
                select(Unit.plan_row_id, func.count(Unit.id))
                .where(Unit.active.is_(True))
                .group_by(Unit.plan_row_id)
            ).all()
        )
        rows = tuple(
            PlanRowView(
                number=r.number,
                name=r.name,
                quota=r.quota,
                units_quota=int(unit_sums.get(r.id, 0)),
                unit_count=int(unit_counts.get(r.id, 0)),
                actions=r.actions,
                quota_note=r.quota_note,
            )
            for r in session.scalars(select(PlanRow).order_by(PlanRow.number))
        )
        stated = load_settings(session).plan_stated_total
    return PlanOverview(rows, sum(r.quota for r in rows), stated)


# ---------------------------------------------------------------- seeding


def seed(db: Database) -> bool:
    """Fill a new database from resources/seed/plan.json once; later calls add nothing."""
    data = json.loads(resource_path(*SEED_FILE).read_text(encoding="utf-8"))
    with db.transaction() as session:
        if session.get(Setting, SEED_MARK) is not None:
            return False
        if session.scalar(select(func.count(PlanRow.id))):
            # Rows exist without the mark (made by hand or imported): never mix the seed in.
            save_setting(session, SEED_MARK, data["seed_version"])
            return False
        schedules: dict[str, Schedule] = {}
        for s in data["schedules"]:
            hour, minute = (int(x) for x in s["cutoff"].split(":"))
            schedules[s["code"]] = Schedule(
                code=s["code"],
                name=s["name"],
                weekday=int(s["weekday"]),
                cutoff=time(hour, minute),
                first_due=date.fromisoformat(s["first_due"]),
                unit_kinds=" ".join(s["unit_kinds"]),
                source=s.get("source"),
            )
            session.add(schedules[s["code"]])
        la_quota = load_settings(session).default_la_quota
        created = now_utc()
        for r in data["plan_rows"]:
            row = PlanRow(
                number=int(r["number"]),
                name=r["name"],
                quota=int(r["quota"]),
                actions=r.get("actions", ""),
                quota_note=r.get("quota_note"),
                schedule=schedules[r["schedule"]],
            )
            session.add(row)
            lone = len(r["units"]) == 1 and r["units"][0]["kind"] == "agency"
            for u in r["units"]:
                # A unit standing for the whole row holds the row's quota; letter recipients
                # hold the letter's minimum.
                quota = int(r["quota"]) if lone else default_quota(u["kind"], la_quota) or 0
                session.add(
                    Unit(
                        code=u["code"],
                        name=u["name"],
                        plan_row=row,
                        kind=u["kind"],
                        district=u.get("district"),
                        quota=quota,
                        active=True,
                        created_at=created,
                    )
                )
        save_setting(session, "plan_stated_total", data["stated_total"])
        save_setting(session, SEED_MARK, data["seed_version"])
        audit(
            session, actor="seed", action="seed", entity="registry", key="plan", new=data["source"]
        )
    return True


# ---------------------------------------------------------------- editing

TEXT_LIMITS = {"name": 300, "contact": 200, "phone": 100, "fax": 100, "email": 200, "note": 2000}
EDITABLE = (
    "name",
    "plan_row",
    "kind",
    "district",
    "quota",
    "contact",
    "phone",
    "fax",
    "email",
    "note",
    "active_from",
)


def find_unit(session: Session, code: str) -> Unit:
    unit = session.scalar(select(Unit).where(Unit.code == code.strip().upper()))
    if unit is None:
        raise RefusedError(
            f"ไม่พบหน่วยรหัส '{code}'", f"no unit with code '{code}'", code="unknown_unit"
        )
    return unit


def find_plan_row(session: Session, number: int) -> PlanRow:
    fits = -INT64_MAX - 1 <= number <= INT64_MAX  # a larger number is no row (and no query)
    row = session.scalar(select(PlanRow).where(PlanRow.number == number)) if fits else None
    if row is None:
        raise RefusedError(
            f"ไม่มีแผนลำดับที่ {number}", f"no plan row number {number}", code="unknown_plan_row"
        )
    return row


def _check_quota(quota: Any) -> int:
    try:
        value = int(str(quota).replace(",", "").strip())
    except ValueError:
        value = -1
        bad = True
    else:
        bad = value < 0
    if bad:
        raise RefusedError(
            f"เป้าหมาย '{quota}' ใช้ไม่ได้: ต้องเป็นจำนวนเต็มตั้งแต่ 0 ขึ้นไป",
            f"quota '{quota}' is not valid: it must be a whole number of 0 or more",
            code="bad_quota",
        )
    return check_whole_number(value, th="เป้าหมาย", en="the quota")


def _clean_text(field: str, value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if field == "name" and not text:
        raise RefusedError("ชื่อหน่วยต้องไม่ว่าง", "the unit name must not be blank", code="blank_name")
    check_text(
        text,
        th=f"ข้อความในช่อง {field}",
        en=field,
        limit=TEXT_LIMITS[field],
        multiline=field == "note",
    )
    return text or None


def _normalized(session: Session, field: str, value: Any) -> Any:
    """One field's new value, checked: the same rules for add and edit."""
    if field == "plan_row":
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise RefusedError(
                f"ลำดับแผน '{value}' ใช้ไม่ได้",
                f"plan row '{value}' is not a number",
                code="unknown_plan_row",
            ) from None
        return find_plan_row(session, number)
    if field == "kind":
        return parse_kind(str(value))
    if field == "district":
        return parse_district(value)
    if field == "quota":
        return _check_quota(value)
    if field == "active_from":
        return value if value is None or isinstance(value, date) else date.fromisoformat(value)
    return _clean_text(field, value)


def add_unit(
    db: Database,
    *,
    code: str,
    name: str,
    plan_row: int,
    kind: str | None = None,
    district: str | None = None,
    quota: int | str | None = None,
    contact: str | None = None,
    phone: str | None = None,
    fax: str | None = None,
    email: str | None = None,
    note: str | None = None,
    active_from: date | None = None,
    actor: str | None = None,
) -> UnitView:
    """Register a new unit, in a transaction of its own."""
    with db.transaction() as session:
        return add_unit_in(
            session,
            code=code,
            name=name,
            plan_row=plan_row,
            kind=kind,
            district=district,
            quota=quota,
            contact=contact,
            phone=phone,
            fax=fax,
            email=email,
            note=note,
            active_from=active_from,
            actor=actor,
        )


def add_unit_in(
    session: Session,
    *,
    code: str,
    name: str,
    plan_row: int,
    kind: str | None = None,
    district: str | None = None,
    quota: int | str | None = None,
    contact: str | None = None,
    phone: str | None = None,
    fax: str | None = None,
    email: str | None = None,
    note: str | None = None,
    active_from: date | None = None,
    actor: str | None = None,
) -> UnitView:
    """add_unit inside the caller's session (the units import adds many in one transaction)."""
    actor = actor or current_clerk()
    clean_code = normalize_code(code)
    if session.scalar(select(Unit.id).where(Unit.code == clean_code)) is not None:
        raise RefusedError(
            f"รหัสหน่วย '{clean_code}' มีอยู่แล้ว",
            f"unit code '{clean_code}' is already taken",
            code="duplicate_code",
        )
    row = find_plan_row(session, plan_row)
    the_kind = parse_kind(kind) if kind else "agency"
    if quota is None:
        the_quota = default_quota(the_kind, load_settings(session).default_la_quota) or 0
    else:
        the_quota = _check_quota(quota)
    unit = Unit(
        code=clean_code,
        name=_clean_text("name", name),
        plan_row=row,
        kind=the_kind,
        district=parse_district(district),
        quota=the_quota,
        contact=_clean_text("contact", contact),
        phone=_clean_text("phone", phone),
        fax=_clean_text("fax", fax),
        email=_clean_text("email", email),
        note=_clean_text("note", note),
        active=True,
        active_from=active_from,
        created_at=now_utc(),
    )
    session.add(unit)
    session.flush()
    audit(
        session,
        actor=actor,
        action="add",
        entity="unit",
        key=clean_code,
        new=json.dumps(_snapshot(unit), ensure_ascii=False),
    )
    by_kind, default = schedules_by_kind(session)
    return _view(unit, schedule_for(unit, by_kind, default))


def _snapshot(unit: Unit) -> dict[str, Any]:
    return {f: _field_value(unit, f) for f in EDITABLE}


def _field_value(unit: Unit, field: str) -> Any:
    if field == "plan_row":
        return unit.plan_row.number
    value = getattr(unit, field)
    return value.isoformat() if isinstance(value, date) else value


def edit_unit(
    db: Database,
    code: str,
    changes: dict[str, Any],
    *,
    actor: str | None = None,
    reason: str | None = None,
) -> UnitView:
    """Change the given fields; each changed field gets its own audit entry."""
    with db.transaction() as session:
        return edit_unit_in(session, code, changes, actor=actor, reason=reason)


def edit_unit_in(
    session: Session,
    code: str,
    changes: dict[str, Any],
    *,
    actor: str | None = None,
    reason: str | None = None,
) -> UnitView:
    """edit_unit inside the caller's session."""
    actor = actor or current_clerk()
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise RefusedError(
            f"แก้ไขช่อง {', '.join(sorted(unknown))} ไม่ได้",
            f"cannot edit {', '.join(sorted(unknown))}",
            code="bad_field",
        )
    unit = find_unit(session, code)
    at = now_utc()
    for field, raw in changes.items():
        new = _normalized(session, field, raw)
        old_value = _field_value(unit, field)
        if field == "plan_row":
            new_value: Any = new.number
        elif isinstance(new, date):
            new_value = new.isoformat()
        else:
            new_value = new
        if old_value == new_value:
            continue
        setattr(unit, field, new)
        audit(
            session,
            actor=actor,
            action="edit",
            entity="unit",
            key=unit.code,
            field=field,
            old=old_value,
            new=new_value,
            reason=reason,
            at=at,
        )
    session.flush()
    by_kind, default = schedules_by_kind(session)
    return _view(unit, schedule_for(unit, by_kind, default))


def retire_unit(
    db: Database,
    code: str,
    *,
    on: date | None = None,
    actor: str | None = None,
    reason: str | None = None,
) -> UnitView:
    """Retire a unit from `on` (default today): its reports stay; it is no longer expected."""
    actor = actor or current_clerk()
    with db.transaction() as session:
        unit = find_unit(session, code)
        if not unit.active:
            raise RefusedError(
                f"หน่วย '{unit.code}' ถูกยกเลิกไปแล้ว",
                f"unit '{unit.code}' is already retired",
                code="already_retired",
            )
        day = on or now_utc().astimezone(BANGKOK).date()
        unit.active = False
        unit.retired_on = day
        audit(
            session,
            actor=actor,
            action="retire",
            entity="unit",
            key=unit.code,
            field="active",
            old=True,
            new=False,
            reason=reason,
        )
        audit(
            session,
            actor=actor,
            action="retire",
            entity="unit",
            key=unit.code,
            field="retired_on",
            old=None,
            new=day.isoformat(),
            reason=reason,
        )
        by_kind, default = schedules_by_kind(session)
        return _view(unit, schedule_for(unit, by_kind, default))


def reactivate_unit(
    db: Database, code: str, *, actor: str | None = None, reason: str | None = None
) -> UnitView:
    actor = actor or current_clerk()
    with db.transaction() as session:
        unit = find_unit(session, code)
        if unit.active:
            raise RefusedError(
                f"หน่วย '{unit.code}' ยังใช้งานอยู่",
                f"unit '{unit.code}' is active",
                code="already_active",
            )
        old_day = unit.retired_on
        unit.active = True
        unit.retired_on = None
        audit(
            session,
            actor=actor,
            action="reactivate",
            entity="unit",
            key=unit.code,
            field="active",
            old=False,
            new=True,
            reason=reason,
        )
        audit(
            session,
            actor=actor,
            action="reactivate",
            entity="unit",
            key=unit.code,
            field="retired_on",
            old=old_day.isoformat() if old_day else None,
            new=None,
            reason=reason,
        )
        by_kind, default = schedules_by_kind(session)
        return _view(unit, schedule_for(unit, by_kind, default))


def set_plan_row_quota(
    db: Database,
    number: int,
    quota: int | str,
    *,
    actor: str | None = None,
    reason: str | None = None,
) -> PlanRowView:
    actor = actor or current_clerk()
    with db.transaction() as session:
        row = find_plan_row(session, number)
        new = _check_quota(quota)
        if new != row.quota:
            audit(
                session,
                actor=actor,
                action="edit",
                entity="plan_row",
                key=str(row.number),
                field="quota",
                old=row.quota,
                new=new,
                reason=reason,
            )
            row.quota = new
    return next(r for r in plan_overview(db).rows if r.number == number)


def kinds_known() -> list[str]:
    return list(KIND_BY_CODE)
