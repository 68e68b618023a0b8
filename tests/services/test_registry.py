from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import AuditLog, PlanRow, Schedule, Unit
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.paths import resource_path
from rayong_desktop.services import registry
from rayong_desktop.services.startup import open_database
from tests.helpers import CliResult, dump

SEED = json.loads(resource_path("seed", "plan.json").read_text(encoding="utf-8"))


def _counts(db: Database) -> tuple[int, int, int]:
    with db.reading() as s:
        return (
            s.scalar(select(func.count(PlanRow.id))) or 0,
            s.scalar(select(func.count(Unit.id))) or 0,
            s.scalar(select(func.count(Schedule.id))) or 0,
        )


def test_new_database_is_seeded_from_the_resource_file(db: Database) -> None:
    overview = registry.plan_overview(db)
    assert [r.number for r in overview.rows] == list(range(1, 12))
    assert overview.computed_quota == sum(r["quota"] for r in SEED["plan_rows"])
    assert overview.stated_quota == SEED["stated_total"]
    units = registry.list_units(db)
    assert len(units) == sum(len(r["units"]) for r in SEED["plan_rows"])
    row3 = [u for u in units if u.plan_row == 3]
    assert {u.kind for u in row3} == {"district_office", "pao", "city", "town"}
    assert {u.district for u in row3 if u.kind == "district_office"} == {
        "เมืองระยอง",
        "บ้านฉาง",
        "แกลง",
        "วังจันทร์",
        "บ้านค่าย",
        "ปลวกแดง",
        "เขาชะเมา",
        "นิคมพัฒนา",
    }
    # Letter recipients report on Thursdays, the rest on the plan's Fridays.
    assert {u.schedule for u in row3} == {"letter"}
    assert {u.schedule for u in units if u.plan_row != 3} == {"plan"}
    # A unit standing for its whole row holds the row's quota; local administrations 300.
    for u in units:
        row_quota = next(r["quota"] for r in SEED["plan_rows"] if r["number"] == u.plan_row)
        assert u.quota == (300 if u.plan_row == 3 else row_quota)


def test_seeding_twice_adds_nothing(db_path: Path) -> None:
    db = open_database(db_path)
    first = _counts(db)
    assert registry.seed(db) is False
    db.dispose()
    db = open_database(db_path)
    assert _counts(db) == first
    db.dispose()


def test_plan_json_reports_computed_and_stated_totals(cli: Callable[..., CliResult]) -> None:
    result = cli("plan", "--json")
    assert result.code == 0
    data = result.json()
    assert len(data["rows"]) == 11
    assert data["totals"]["computed_quota"] == sum(r["quota"] for r in data["rows"]) == 241000
    assert data["totals"]["stated_quota"] == 231000
    assert {"number", "name", "quota", "units_quota"} <= set(data["rows"][0])


def test_units_json_has_the_stable_keys(cli: Callable[..., CliResult]) -> None:
    result = cli("units", "--json")
    assert result.code == 0
    first = result.json()[0]
    for key in ("code", "name", "plan_row", "kind", "district", "quota", "phone", "fax", "active"):
        assert key in first


def _audit(db: Database, key: str) -> list[AuditLog]:
    with db.reading() as s:
        return list(
            s.scalars(select(AuditLog).where(AuditLog.entity_key == key).order_by(AuditLog.id))
        )


def test_add_edit_retire_each_leave_audit_entries(db: Database) -> None:
    registry.add_unit(
        db,
        code="sao-nongla",
        name="อบต.ทดสอบ",
        plan_row=3,
        kind="อบต.",
        district="อ.แกลง",
        actor="clerk-a",
    )
    view = registry.get_unit(db, "SAO-NONGLA")
    assert (view.kind, view.district, view.quota, view.schedule) == ("sao", "แกลง", 300, "letter")
    registry.edit_unit(
        db,
        "SAO-NONGLA",
        {"quota": "1,200", "phone": "038-000000", "name": "อบต.ทดสอบ"},
        actor="clerk-b",
        reason="โทรแจ้ง",
    )
    registry.retire_unit(db, "SAO-NONGLA", actor="clerk-c", reason="รวมกับเทศบาล")
    entries = _audit(db, "SAO-NONGLA")
    assert [(e.actor, e.action, e.field) for e in entries] == [
        ("clerk-a", "add", None),
        ("clerk-b", "edit", "quota"),
        ("clerk-b", "edit", "phone"),  # the unchanged name is not logged
        ("clerk-c", "retire", "active"),
        ("clerk-c", "retire", "retired_on"),
    ]
    quota_entry = entries[1]
    assert (quota_entry.old, quota_entry.new, quota_entry.reason) == ("300", "1200", "โทรแจ้ง")
    assert registry.get_unit(db, "SAO-NONGLA").active is False


def test_plan_row_quota_change_is_audited_and_totals_follow(db: Database) -> None:
    before = registry.plan_overview(db).computed_quota
    registry.set_plan_row_quota(db, 7, 6000, actor="clerk")
    assert registry.plan_overview(db).computed_quota == before + 1000
    entry = _audit(db, "7")[-1]
    assert (entry.entity, entry.field, entry.old, entry.new) == (
        "plan_row",
        "quota",
        "5000",
        "6000",
    )


@pytest.mark.parametrize(
    ("action", "code"),
    [
        (lambda db: registry.add_unit(db, code="R01", name="x", plan_row=1), "duplicate_code"),
        (lambda db: registry.add_unit(db, code="NEW1", name="x", plan_row=12), "unknown_plan_row"),
        (
            lambda db: registry.add_unit(db, code="NEW2", name="x", plan_row=1, quota=-1),
            "bad_quota",
        ),
        (lambda db: registry.add_unit(db, code="NEW3", name=" ", plan_row=1), "blank_name"),
        (lambda db: registry.add_unit(db, code="ไทย", name="x", plan_row=1), "bad_code"),
        (
            lambda db: registry.add_unit(db, code="NEW4", name="x", plan_row=1, district="ชลบุรี"),
            "unknown_district",
        ),
        (lambda db: registry.edit_unit(db, "R01", {"quota": "-5"}), "bad_quota"),
        (lambda db: registry.edit_unit(db, "R01", {"phone": "1", "quota": "abc"}), "bad_quota"),
        (lambda db: registry.edit_unit(db, "R01", {"plan_row": 99}), "unknown_plan_row"),
        (lambda db: registry.edit_unit(db, "NOPE", {"quota": 5}), "unknown_unit"),
        (lambda db: registry.set_plan_row_quota(db, 1, -10), "bad_quota"),
        (lambda db: registry.retire_unit(db, "NOPE"), "unknown_unit"),
    ],
)
def test_refused_edits_change_nothing(
    db: Database, db_path: Path, action: Callable[[Database], object], code: str
) -> None:
    before = dump(db_path)
    with pytest.raises(RefusedError) as info:
        action(db)
    assert info.value.code == code
    assert info.value.th and info.value.en
    assert dump(db_path) == before


def test_refused_cli_edit_exits_2_with_one_line(
    cli: Callable[..., CliResult], db_path: Path
) -> None:
    assert cli("units").code == 0
    before = dump(db_path)
    for args in (
        ("unit", "add", "--code", "R02", "--name", "dup", "--plan-row", "2"),
        ("unit", "add", "--code", "X9", "--name", "x", "--plan-row", "42"),
        ("unit", "edit", "R02", "--quota", "-3"),
    ):
        result = cli(*args)
        assert result.code == 2, args
        assert len(result.err.strip().splitlines()) == 1
        assert result.err.startswith("refused:")
    assert dump(db_path) == before


def test_cli_add_edit_retire_round_trip(cli: Callable[..., CliResult]) -> None:
    assert (
        cli(
            "unit",
            "add",
            "--code",
            "TT-1",
            "--name",
            "เทศบาลตำบลทดสอบ",
            "--plan-row",
            "3",
            "--kind",
            "ทต.",
            "--district",
            "ปลวกแดง",
            "--phone",
            "038-111111",
        ).code
        == 0
    )
    assert cli("unit", "edit", "TT-1", "--quota", "450", "--fax", "038-222222").code == 0
    assert cli("unit", "retire", "TT-1", "--on", "2020-06-01").code == 0
    unit = next(u for u in cli("units", "--json").json() if u["code"] == "TT-1")
    assert unit["kind"] == "subdistrict"
    assert (unit["quota"], unit["phone"], unit["fax"]) == (450, "038-111111", "038-222222")
    assert unit["active"] is False and unit["retired_on"] == "2020-06-01"
