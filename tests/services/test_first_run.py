"""The first run's checklist ticks each step from what the database holds."""

from __future__ import annotations

from datetime import date, datetime

from rayong_desktop.db.engine import Database
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.services import first_run, registry, reports
from rayong_desktop.services.settings import update_setting


def done(db: Database) -> dict[str, bool]:
    return {s.key: s.done for s in first_run.checklist(db).steps}


def test_a_new_database_has_every_step_to_do(db: Database) -> None:
    checklist = first_run.checklist(db)
    assert [s.key for s in checklist.steps] == list(first_run.STEPS)
    assert not any(s.done for s in checklist.steps) and not checklist.complete
    active = [u for u in registry.list_units(db, include_retired=False)]
    assert checklist.step("contacts").missing == len(active) > 0


def test_each_step_ticks_itself_once_the_database_shows_it_done(db: Database) -> None:
    update_setting(db, "oa_id", "@rayongfightcovid")
    assert not done(db)["office"]  # the office's address is still blank
    update_setting(db, "office_address", "ศาลากลางจังหวัดระยอง ถนนสุขุมวิท")
    assert done(db)["office"]

    units = registry.list_units(db, include_retired=False)
    for unit in units[:-1]:
        registry.edit_unit(db, unit.code, {"phone": "038-000-000"})
    assert first_run.checklist(db).step("contacts").missing == 1
    registry.edit_unit(db, units[-1].code, {"contact": "นางสาวตัวอย่าง"})
    assert done(db)["contacts"]

    assert not done(db)["local_administrations"]
    row = next(u.plan_row for u in units if u.kind == "district_office")
    registry.add_unit(
        db,
        code="SAO-T1",
        name="องค์การบริหารส่วนตำบลทดสอบ",
        plan_row=row,
        kind="sao",
        phone="038-111-111",
    )
    assert done(db)["local_administrations"]

    assert not done(db)["reports"]
    week = date(2020, 5, 18)
    received = datetime(2020, 5, 21, 9, 0, tzinfo=BANGKOK)
    reports.record_report(db, unit_code=units[0].code, week=week, count=10, received_at=received)
    assert done(db)["reports"]
    assert first_run.checklist(db).complete
