"""Excel in and out through the services: forms round trip into the week's status, bad files
change nothing, the summary's formulas agree with status, the unit list imports all or nothing.

It is Saturday 30 May 2020, 09:00 in Bangkok (RAYONG_NOW) unless a test moves the clock.
W19 = 4 May ... W22 = 25 May (the current week), as in tests/services/test_status.py, whose
scripted month is replayed here through filled forms.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select

from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import AuditLog
from rayong_desktop.documents import xlsx_forms, xlsx_summary, xlsx_units
from rayong_desktop.documents.xlsx_common import WorkbookError
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.errors import NeedsConfirmation, RefusedError
from rayong_desktop.services import excel_io, registry, reports, status
from tests.documents.test_xlsx_safety import BAD_FILES
from tests.documents.test_xlsx_summary import Formulas, plan_lines
from tests.helpers import dump
from tests.services.test_status import (
    ADDED,
    ADDED_DISTRICT,
    ADDED_KIND,
    CHANGES_AT,
    CONFIRMED,
    CORRECTED_AT,
    CORRECTED_BY,
    FIRST_KEYED,
    REPORTS,
    RETIRED,
    W19,
    W20,
    W21,
    W22,
    WEEKS,
    check_status_json,
    keyed_at,
    month,  # noqa: F401 - the scripted month (a fixture)
)

NOW = "2020-05-30 09:00"
HOSTILE = '=HYPERLINK("http://example.com","x")'
FORM = xlsx_forms.FORM_SHEET
COL = {c.key: c.letter for c in xlsx_forms.FORM_COLUMNS}


@pytest.fixture(autouse=True)
def _saturday_morning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAYONG_NOW", NOW)


def bkk(day: int, hour: int, minute: int = 0, month_: int = 5) -> datetime:
    return datetime(2020, month_, day, hour, minute, tzinfo=BANGKOK)


def export(
    db: Database, tmp_path: Path, week: date = W21, name: str = "form.xlsx", **kw: Any
) -> Path:
    out = tmp_path / name
    excel_io.export_form(db, out, week=week, **kw)
    return out


def fill(form: Path, figures: dict[str, Any], out: Path | None = None) -> Path:
    """Fill a form as an agency would: {code: count} or {code: {column key: value}}."""
    wb = openpyxl.load_workbook(form)
    ws = wb[FORM]
    rows = {ws[f"A{r}"].value: r for r in range(xlsx_forms.FIRST_ROW, ws.max_row + 1)}
    for code, values in figures.items():
        if not isinstance(values, dict):
            values = {"count": values}
        for key, value in values.items():
            ws[f"{COL[key]}{rows[code]}"] = value
    target = out or form
    wb.save(target)
    return target


def units_json(db: Database, week: date = W21) -> dict[str, dict[str, Any]]:
    return {u["code"]: u for u in status.status_json(status.week_summary(db, week))["units"]}


def refused_import(db: Database, path: Path, **kw: Any) -> RefusedError:
    before = dump(db.path)
    with pytest.raises(RefusedError) as caught:
        excel_io.import_forms(db, path, **kw)
    assert dump(db.path) == before, "a refused file changed the database"
    return caught.value


# ---------------------------------------------------------------- round trip


def test_a_filled_form_round_trips_into_the_weeks_status(db: Database, tmp_path: Path) -> None:
    form = export(db, tmp_path)
    fill(
        form,
        {
            "R01": {
                "count": 1250,
                "received": datetime(2020, 5, 22, 10, 30),
                "reporter": "ผู้ประสานงาน",
                "phone": "038000000",
            },
            "LAO-KLG": {"count": "๑,๒๕๐", "received": "2020-05-21 11:00"},
            "TN-RY": {"count": "  1,400 ", "received": "๒๕๖๓-๐๕-๒๑ ๑๒:๐๑", "note": "ส่งทางโทรสาร"},
            "R09": {"count": 300.0},  # Excel stores whole numbers as floats; no received time
        },
    )  # fmt: skip
    preview = excel_io.preview_forms(db, form)
    assert preview.week == W21 and not preview.committed
    assert preview.counts["new"] == 4 and preview.counts["blank"] == 18
    assert units_json(db)["R01"]["count"] is None  # a preview writes nothing

    result = excel_io.import_forms(db, form)
    assert result.committed and result.counts == preview.counts
    got = units_json(db)
    assert (got["R01"]["count"], got["R01"]["on_time"]) == (1250, True)
    assert got["R01"]["received_at"] == "2020-05-22T10:30:00+07:00"
    assert (got["LAO-KLG"]["count"], got["LAO-KLG"]["on_time"]) == (1250, True)
    assert (got["TN-RY"]["count"], got["TN-RY"]["late_by_minutes"]) == (1400, 1)  # BE year
    # No time given: received now (Saturday 09:00), a day late for a Friday deadline.
    assert got["R09"]["count"] == 300
    assert got["R09"]["received_at"] == "2020-05-30T09:00:00+07:00"
    _, history = reports.unit_history(db, "R01")
    assert [(h.channel, h.reporter, h.reporter_phone, h.clerk) for h in history] == [
        ("import", "ผู้ประสานงาน", "038000000", "test-clerk")
    ]
    _, history = reports.unit_history(db, "TN-RY")
    assert history[0].note == "ส่งทางโทรสาร"


def test_the_scripted_month_through_excel_forms(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """tests/services/test_status.py's month, each week returned as one filled form; every
    week's status then says what the scenario says."""

    def set_now(text: str) -> None:
        monkeypatch.setenv("RAYONG_NOW", text)

    for week in WEEKS:
        if week == W21:
            set_now(CHANGES_AT)
            registry.add_unit(
                db, code=ADDED.code, name=ADDED.name, plan_row=ADDED.plan_row, kind=ADDED_KIND,
                district=ADDED_DISTRICT, active_from=ADDED.active_from,
            )  # fmt: skip
            registry.retire_unit(db, RETIRED)
        set_now(keyed_at(week))
        form = export(db, tmp_path, week, f"{week}.xlsx")
        figures: dict[str, Any] = {}
        for index, ((code, w), (count, received)) in enumerate(REPORTS.items()):
            if w == week:
                first = FIRST_KEYED.get((code, w), count)
                # Half the times as Excel date-times, half as typed text.
                when: Any = datetime.fromisoformat(received) if index % 2 else received[:16]
                figures[code] = {"count": f"{first:,}", "received": when}
        fill(form, figures)
        held = {
            (r.unit, week): r.concerns
            for r in excel_io.preview_forms(db, form).rows
            if r.status == excel_io.CONFIRM
        }
        assert held == {k: (v,) for k, v in CONFIRMED.items() if k[1] == week}  # fmt: skip
        if held:
            question = refused_or_held(db, form)
            assert isinstance(question, excel_io.ImportNeedsConfirmation)
        result = excel_io.import_forms(db, form, confirm=bool(held))
        assert result.counts["new"] == len(figures) and result.counts["refused"] == 0

    # The correction: the unit sends its form for W21 again with the right figure.
    set_now(CORRECTED_AT)
    monkeypatch.setenv("RAYONG_CLERK", CORRECTED_BY)
    for code, w in FIRST_KEYED:
        form = export(db, tmp_path, w, "again.xlsx", unit=code)
        fill(form, {code: REPORTS[(code, w)][0]})
        question = refused_or_held(db, form)
        assert isinstance(question, excel_io.ImportNeedsConfirmation)
        assert "replaces the stored 1,400 with 1,350" in question.en
        result = excel_io.import_forms(db, form, confirm=True)
        assert [(r.status, r.previous, r.count) for r in result.rows] == [("changed", 1400, 1350)]
        _, history = reports.unit_history(db, code)
        versions = [(h.count, h.version, h.clerk, h.reason) for h in history if h.week == w]
        assert versions == [
            (1400, 1, "test-clerk", None),
            (1350, 2, CORRECTED_BY, "นำเข้าจากไฟล์ again.xlsx"),
        ]
    for week in WEEKS:
        check_status_json(status.status_json(status.week_summary(db, week)), week)


def refused_or_held(db: Database, path: Path) -> Exception:
    before = dump(db.path)
    with pytest.raises((RefusedError, NeedsConfirmation)) as caught:
        excel_io.import_forms(db, path)
    assert dump(db.path) == before
    return caught.value


def test_importing_the_same_form_again_changes_nothing(db: Database, tmp_path: Path) -> None:
    form = fill(
        export(db, tmp_path), {"R01": {"count": 800, "received": "2020-05-22 10:00"}, "R02": 5000}
    )
    excel_io.import_forms(db, form)
    before = dump(db.path)
    again = excel_io.import_forms(db, form)
    assert again.counts["unchanged"] == 2 and again.counts["new"] == 0
    assert dump(db.path) == before


def test_a_typed_figure_repeated_on_a_form_is_unchanged_and_keeps_its_channel(
    db: Database, tmp_path: Path
) -> None:
    reports.record_report(
        db, unit_code="R01", week=W21, count=800, received_at=bkk(22, 9), channel="fax"
    )
    form = fill(export(db, tmp_path), {"R01": 800})
    before = dump(db.path)
    result = excel_io.import_forms(db, form)
    assert [r.status for r in result.rows if r.unit == "R01"] == ["unchanged"]
    assert dump(db.path) == before


def test_a_figure_needing_confirmation_holds_the_whole_file(db: Database, tmp_path: Path) -> None:
    reports.record_report(db, unit_code="R01", week=W20, count=1000, received_at=bkk(15, 9))
    form = fill(export(db, tmp_path), {"R01": 900, "R02": 5000})
    preview = excel_io.preview_forms(db, form)
    held = [r for r in preview.rows if r.status == excel_io.CONFIRM]
    assert [(r.unit, r.concerns, r.column) for r in held] == [("R01", ("below_previous",), "E")]
    assert held[0].en.startswith(
        f"sheet {FORM}, row {xlsx_forms.FIRST_ROW}, column E (count): R01, week 2020-W21"
    )
    question = refused_or_held(db, form)
    assert isinstance(question, excel_io.ImportNeedsConfirmation)
    result = excel_io.import_forms(db, form, confirm=True)
    assert result.counts["new"] == 2
    got = units_json(db)
    assert (got["R01"]["count"], got["R02"]["count"]) == (900, 5000)
    _, history = reports.unit_history(db, "R01")
    assert history[0].confirmed == ("below_previous",)


def test_a_unit_is_found_by_its_exact_name_when_the_code_is_missing(
    db: Database, tmp_path: Path
) -> None:
    form = export(db, tmp_path)
    wb = openpyxl.load_workbook(form)
    ws = wb[FORM]
    ws.protection.sheet = False
    row = next(r for r in range(xlsx_forms.FIRST_ROW, ws.max_row + 1) if ws[f"A{r}"].value == "R07")
    ws[f"A{row}"] = None
    ws[f"E{row}"] = 777
    wb.save(form)
    excel_io.import_forms(db, form)
    assert units_json(db)["R07"]["count"] == 777


# ---------------------------------------------------------------- bad files change nothing


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_a_bad_file_is_refused_and_changes_nothing(db: Database, tmp_path: Path, name: str) -> None:
    build, code, words = BAD_FILES[name]
    path = build(tmp_path / "in.xlsx")
    error = refused_import(db, path)
    assert error.code == code and words in error.en
    with pytest.raises(WorkbookError):
        excel_io.preview_forms(db, path)


def row_of(form: Path, code: str) -> int:
    ws = openpyxl.load_workbook(form)[FORM]
    return next(r for r in range(xlsx_forms.FIRST_ROW, ws.max_row + 1) if ws[f"A{r}"].value == code)


def unlocked(form: Path, change: Callable[[Any], None]) -> Path:
    """Change the locked part of a form, as someone who removed the protection would."""
    wb = openpyxl.load_workbook(form)
    change(wb[FORM])
    wb.save(form)
    return form


def test_an_unknown_unit_refuses_the_file(db: Database, tmp_path: Path) -> None:
    form = fill(export(db, tmp_path), {"R01": 100, "R02": 200})
    row = row_of(form, "R02")

    def rename(ws: Any) -> None:
        ws[f"A{row}"] = "NOPE-9"
        ws[f"B{row}"] = "หน่วยที่ไม่มีในทะเบียน"  # no exact name to fall back on either

    unlocked(form, rename)
    error = refused_import(db, form)
    assert error.en.startswith(
        f"sheet {FORM}, row {row}, column A (unit code): no unit with code or name 'NOPE-9'"
    )
    assert "nothing was imported" in error.en
    assert f"แผ่นงาน {FORM} แถว {row} คอลัมน์ A (รหัสหน่วย)" in error.th


def test_the_same_unit_twice_refuses_the_file(db: Database, tmp_path: Path) -> None:
    form = fill(export(db, tmp_path), {"R01": 100, "R02": 200})
    row = row_of(form, "R02")
    unlocked(form, lambda ws: ws.__setitem__(f"A{row}", "r01"))
    error = refused_import(db, form)
    assert (
        f"row {row}, column A (unit code): unit R01 appears twice (also row {xlsx_forms.FIRST_ROW})"
        in error.en
    )


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (-5, "cannot be negative"),
        ("-1,250", "cannot be negative"),
        ("หนึ่งพัน", "not a number"),
        (12.5, "whole number"),
        (5_000_000, "too large"),
        (True, "not a number"),
    ],
)
def test_a_bad_count_refuses_the_file_naming_the_cell(
    db: Database, tmp_path: Path, value: object, words: str
) -> None:
    form = fill(export(db, tmp_path), {"R01": 100, "R02": value})
    row = row_of(form, "R02")
    error = refused_import(db, form)
    assert error.en.startswith(f"sheet {FORM}, row {row}, column E (count): R02, week 2020-W21: ")
    assert words in error.en


def test_thai_digit_counts_are_accepted(db: Database, tmp_path: Path) -> None:
    form = fill(export(db, tmp_path), {"R01": "๑,๒๕๐", "R02": "๓๐๐", "R04": "1,250"})
    result = excel_io.import_forms(db, form)
    assert [(r.unit, r.count) for r in result.rows if r.status == "new"] == [
        ("R01", 1250),
        ("R02", 300),
        ("R04", 1250),
    ]
    got = units_json(db)
    assert (got["R01"]["count"], got["R02"]["count"], got["R04"]["count"]) == (1250, 300, 1250)


@pytest.mark.parametrize(
    ("received", "words"),
    [
        ("2020-05-31 10:00", "is in the future"),
        ("2020-05-17 10:00", "before the week it reports on"),
        ("22/5/2020 10:00", "cannot read the time"),
    ],
)
def test_a_bad_received_time_refuses_the_file_naming_the_cell(
    db: Database, tmp_path: Path, received: str, words: str
) -> None:
    form = fill(export(db, tmp_path), {"R01": 100, "R02": {"count": 200, "received": received}})
    error = refused_import(db, form)
    assert error.en.startswith(
        f"sheet {FORM}, row {row_of(form, 'R02')}, column F (received time): "
    )
    assert words in error.en


def test_a_row_filled_in_without_a_count_refuses_the_file(db: Database, tmp_path: Path) -> None:
    form = fill(export(db, tmp_path), {"R01": 100, "R02": {"reporter": "ผู้รายงาน"}})
    error = refused_import(db, form)
    assert (
        f"row {row_of(form, 'R02')}, column E (count): the row is filled in but the count is blank"
        in error.en
    )


def test_every_refused_row_is_listed_in_the_preview(db: Database, tmp_path: Path) -> None:
    form = fill(export(db, tmp_path), {"R01": -1, "R02": 200, "R04": "x", "R05": 50})
    preview = excel_io.preview_forms(db, form)
    assert preview.counts["refused"] == 2 and preview.counts["new"] == 2
    assert [r.unit for r in preview.refused] == ["R01", "R04"]
    error = refused_import(db, form)
    assert "(and 1 more rows)" in error.en


@pytest.mark.sqlite_only  # a read-only open is a SQLite file mode
def test_nothing_is_imported_into_a_database_open_read_only(db: Database, tmp_path: Path) -> None:
    from rayong_desktop.services.startup import open_read_only

    form = fill(export(db, tmp_path), {"R01": 100})
    damaged = open_read_only(db.path)
    try:
        for attempt in (excel_io.preview_forms, excel_io.import_forms):
            with pytest.raises(RefusedError) as caught:
                attempt(damaged, form)
            assert caught.value.code == "read_only"
    finally:
        damaged.dispose()


def test_a_form_for_a_week_not_yet_come_is_refused(db: Database, tmp_path: Path) -> None:
    form = fill(export(db, tmp_path, date(2020, 6, 1)), {"R01": 100})
    error = refused_import(db, form)
    assert "column D (week)" in error.en and "has not come yet" in error.en


# ---------------------------------------------------------------- the same as typed entry


def _keyed_history(db: Database) -> None:
    reports.record_report(db, unit_code="LAO-KLG", week=W19, count=100, received_at=bkk(7, 9))
    reports.record_report(db, unit_code="LAO-KLG", week=W20, count=180, received_at=bkk(14, 9))
    reports.record_report(db, unit_code="R01", week=W20, count=1000, received_at=bkk(15, 9))
    reports.record_report(db, unit_code="R04", week=W22, count=700, received_at=bkk(29, 8))
    reports.record_report(
        db,
        unit_code="TN-RY",
        week=W21,
        count=400,
        received_at=bkk(21, 10),
        channel="fax",
        reporter="ก",
    )
    reports.record_report(
        db,
        unit_code="TM-BCH",
        week=W21,
        count=250,
        received_at=bkk(21, 9),
        reporter="ข",
        note="ปกติ",
    )


FIGURES: dict[str, dict[str, Any]] = {
    "R01": {"count": "1,100", "received": "2020-05-22 10:00", "reporter": "ค", "phone": "038-1"},
    "R02": {"count": "๑,๒๕๐", "received": datetime(2020, 5, 22, 12, 1), "note": "ช้า"},
    "R04": {"count": 900},  # above a later week's 700: confirmed
    "LAO-KLG": {"count": 5000, "received": "2020-05-21 09:00"},  # a big rise: confirmed
    "TN-RY": {"count": 450},  # a correction: keeps the time, channel and reporter
    "TM-BCH": {"count": 250},  # the same figure: unchanged
    "LAO-MRY": {"count": 0, "phone": "0812345678"},  # zero is a count; received now
}


def test_an_import_stores_each_row_as_typed_entry_would(db: Database, tmp_path: Path) -> None:
    """What a row leaves blank stays as first reported, the file is the channel of a new
    figure, a repeated figure is unchanged, and each stored row has its revision and audit
    entry naming the file."""
    _keyed_history(db)
    form = fill(export(db, tmp_path), FIGURES)
    result = excel_io.import_forms(db, form, confirm=True)
    assert {r.unit: r.status for r in result.rows if r.status != "blank"} == {
        "R01": "new", "R02": "new", "R04": "new", "LAO-KLG": "new",
        "TN-RY": "changed", "TM-BCH": "unchanged", "LAO-MRY": "new",
    }  # fmt: skip
    assert {r.unit: r.concerns for r in result.rows if r.concerns} == {
        "R04": ("above_later",),
        "LAO-KLG": ("big_rise",),
    }
    _unit, history = reports.unit_history(db, "TN-RY")
    corrected = [v for v in history if v.week == W21]
    assert [(v.version, v.count) for v in corrected] == [(1, 400), (2, 450)]
    latest = corrected[-1]
    # A new figure came by the file; when and by whom it was first reported stays.
    assert (latest.received_at, latest.channel, latest.reporter) == (bkk(21, 10), "import", "ก")
    assert latest.reason == "นำเข้าจากไฟล์ form.xlsx"
    _unit, history = reports.unit_history(db, "R01")
    new = next(v for v in history if v.week == W21)
    assert (new.count, new.channel, new.reporter, new.reporter_phone, new.reason) == (
        1100,
        "import",
        "ค",
        "038-1",
        None,
    )
    assert new.received_at == bkk(22, 10)
    _unit, history = reports.unit_history(db, "TM-BCH")
    assert [v.version for v in history if v.week == W21] == [1]  # unchanged: no new version
    with db.reading() as session:
        trail = {
            (a.entity_key, a.action, a.old, a.new)
            for a in session.scalars(select(AuditLog).where(AuditLog.entity == "report"))
        }
    assert ("TN-RY/2020-05-18", "correct", "400", "450") in trail
    assert ("R01/2020-05-18", "report", None, "1100") in trail
    assert not any(k == "TM-BCH/2020-05-18" and act == "correct" for k, act, _o, _n in trail)


def test_refusals_and_questions_say_what_typed_entry_says(db: Database, tmp_path: Path) -> None:
    reports.record_report(db, unit_code="R01", week=W20, count=1000, received_at=bkk(15, 9))
    cases = {
        "R01": 10,
        "R02": -3,
        "R04": {"count": 5, "received": "2020-06-01 10:00"},
        "R05": "1.000",
    }
    form = fill(export(db, tmp_path), cases)
    preview = {r.unit: r for r in excel_io.preview_forms(db, form).rows}
    for code, value in cases.items():
        count = value["count"] if isinstance(value, dict) else value
        received = datetime(2020, 6, 1, 10, tzinfo=BANGKOK) if isinstance(value, dict) else None
        with pytest.raises((RefusedError, NeedsConfirmation)) as caught:
            reports.record_report(db, unit_code=code, week=W21, count=count, received_at=received)
        typed_message = caught.value.en.replace("\n", "; ")
        assert preview[code].en.endswith(": " + typed_message), (code, preview[code].en)


# ---------------------------------------------------------------- exporting forms


def test_forms_for_all_units_a_plan_row_or_one_unit(db: Database, tmp_path: Path) -> None:
    registry.retire_unit(db, "R10")
    active = [u.code for u in registry.list_units(db, include_retired=False)]
    out = tmp_path / "f.xlsx"
    assert excel_io.export_form(db, out, week=W21) == len(active) == 21
    assert all(r.blank for r in xlsx_forms.read_form(out).rows)  # nothing filled in yet
    ws = openpyxl.load_workbook(out)[FORM]
    codes = [ws[f"A{r}"].value for r in range(xlsx_forms.FIRST_ROW, ws.max_row + 1)]
    assert codes == active and "R10" not in codes
    assert excel_io.export_form(db, out, week=W21, plan_row=3) == 12
    ws = openpyxl.load_workbook(out)[FORM]
    assert ws[f"A{xlsx_forms.FIRST_ROW}"].value == "LAO-BCH"
    assert "แผนลำดับที่ 3" in ws["A2"].value
    assert excel_io.export_form(db, out, week=date(2020, 5, 21), unit="tn-ry") == 1
    form = openpyxl.load_workbook(out)
    assert form[FORM][f"A{xlsx_forms.FIRST_ROW}"].value == "TN-RY"
    assert form[xlsx_forms.META_SHEET]["B3"].value == "2020-05-18"  # any day names its week


@pytest.mark.parametrize(
    ("kw", "code"),
    [
        ({"unit": "NOPE"}, "unknown_unit"),
        ({"plan_row": 99}, "unknown_plan_row"),
        ({"unit": "R01", "plan_row": 1}, "bad_choice"),
    ],
)
def test_form_choices_that_cannot_be_made_are_refused(
    db: Database, tmp_path: Path, kw: dict[str, Any], code: str
) -> None:
    with pytest.raises(RefusedError) as caught:
        excel_io.export_form(db, tmp_path / "f.xlsx", week=W21, **kw)
    assert caught.value.code == code
    assert not (tmp_path / "f.xlsx").exists()


def test_a_unit_named_like_a_formula_exports_as_text(db: Database, tmp_path: Path) -> None:
    registry.add_unit(db, code="EVIL", name=HOSTILE, plan_row=1, quota=10)
    form = export(db, tmp_path, unit="EVIL")
    summary = tmp_path / "summary.xlsx"
    excel_io.export_summary(db, summary, week=W21)
    for path in (form, summary):
        wb = openpyxl.load_workbook(path)
        cells = [
            c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == HOSTILE
        ]
        assert cells and all(c.data_type == "s" for c in cells), path
        with zipfile.ZipFile(path) as archive:
            xml = b"".join(
                archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")
            )
        assert b"<f>HYPERLINK" not in xml
    # And the form still imports: the name is read as text.
    fill(form, {"EVIL": 5})
    assert excel_io.import_forms(db, form).counts["new"] == 1


def test_writing_into_a_folder_that_cannot_be_written_is_refused(
    db: Database, tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(RefusedError) as caught:
        excel_io.export_form(db, blocker / "f.xlsx", week=W21)
    assert caught.value.code == "cannot_write"


# ---------------------------------------------------------------- the summary


@pytest.mark.parametrize("week", [W20, W21, W22])
def test_summary_formulas_agree_with_status(
    month: Database,  # noqa: F811 - the imported fixture
    tmp_path: Path,
    week: date,
) -> None:
    out = tmp_path / "summary.xlsx"
    excel_io.export_summary(month, out, week=week)
    data = status.status_json(status.week_summary(month, week))
    lines = plan_lines(out)
    for row in data["plan_rows"]:
        _same_totals(lines[str(row["number"])], row)
    _same_totals(lines["total"], data["totals"])
    assert lines["total"]["quota"] == 241_000

    # Each unit line holds the unit's figures as status gives them.
    wb = openpyxl.load_workbook(out)
    keys = [c[0] for c in xlsx_summary.UNIT_COLUMNS]
    ws = wb[xlsx_summary.UNITS_SHEET]
    lines_by_code = {}
    for r in range(xlsx_summary.UNITS_HEADER_ROW + 1, ws.max_row):
        values = dict(zip(keys, (c.value for c in ws[r]), strict=False))
        lines_by_code[values["code"]] = values
    for unit in data["units"]:
        line = lines_by_code[unit["code"]]
        assert (line["count"], line["quota"], line["late"]) == (
            unit["count"],
            unit["quota"],
            unit["late_by_minutes"],
        )
        assert line["missing"] == int(unit["missing"])


def _same_totals(line: dict[str, Any], totals: dict[str, Any]) -> None:
    for key in ("quota", "units_quota", "count", "previous_count", "increase", "expected",
                "received", "on_time", "late", "missing"):  # fmt: skip
        assert line[key] == totals[key], key
    if totals["pct_of_quota"] is None:
        assert line["pct"] == ""
    else:
        assert line["pct"] * 100 == pytest.approx(totals["pct_of_quota"], abs=0.005)
    for key in ("reporting_rate", "on_time_rate"):
        if totals[key] is None:
            assert line[key] == ""
        else:
            assert line[key] == pytest.approx(totals[key], abs=0.00005)


def test_the_history_sheet_is_every_weeks_status_in_long_format(
    month: Database,  # noqa: F811 - the imported fixture
    tmp_path: Path,
) -> None:
    out = tmp_path / "summary.xlsx"
    excel_io.export_summary(month, out, week=W22)
    ws = openpyxl.load_workbook(out)[xlsx_summary.HISTORY_SHEET]
    keys = [c[0] for c in xlsx_summary.HISTORY_COLUMNS]
    rows = [dict(zip(keys, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert {r["week"] for r in rows} == {"2020-W19", "2020-W20", "2020-W21", "2020-W22"}
    for week in (W19, W20, W21, W22):
        label = f"2020-W{week.isocalendar()[1]:02d}"
        data = status.status_json(status.week_summary(month, week))
        want = {
            u["code"]: (
                u["count"],
                int(u["reported"]),
                None if not u["reported"] else int(u["on_time"]),
            )
            for u in data["units"]
            if u["expected"] or u["reported"]
        }
        got = {
            r["code"]: (r["count"], r["reported"], r["on_time"]) for r in rows if r["week"] == label
        }
        assert got == want, label
    # The retired unit appears only in the weeks it was expected.
    assert sorted(r["week"] for r in rows if r["code"] == RETIRED) == ["2020-W19", "2020-W20"]


def test_the_summary_totals_are_formulas_not_figures(
    month: Database,  # noqa: F811 - the imported fixture
    tmp_path: Path,
) -> None:
    out = tmp_path / "summary.xlsx"
    excel_io.export_summary(month, out, week=W21)
    ws = openpyxl.load_workbook(out)[xlsx_summary.PLAN_SHEET]
    formulas = [
        c.value
        for row in ws.iter_rows(min_row=xlsx_summary.PLAN_HEADER_ROW + 1)
        for c in row
        if c.data_type == "f"
    ]
    assert len(formulas) > 11 * 10
    assert all(f.startswith(("=SUM(", "=IF(", "=")) for f in formulas)
    assert Formulas(out).value(xlsx_summary.PLAN_SHEET, "A1") is not None


# ---------------------------------------------------------------- the unit list


def unit_list(
    tmp_path: Path, db: Database, rows: list[dict[str, Any]], name: str = "units.xlsx"
) -> Path:
    path = tmp_path / name
    excel_io.export_units_template(db, path)
    wb = openpyxl.load_workbook(path)
    ws = wb[xlsx_units.UNITS_SHEET]
    keys = [c.key for c in xlsx_units.UNIT_COLUMNS]
    for r, values in enumerate(rows, start=2):
        for key, value in values.items():
            ws.cell(row=r, column=keys.index(key) + 1, value=value)
    wb.save(path)
    return path


NEW_UNITS = [
    {"code": "SAO-KLG-01", "name": "องค์การบริหารส่วนตำบลกร่ำ", "plan_row": 3, "kind": "อบต.",
     "district": "แกลง", "contact": "ผู้ประสานงานตำบล", "phone": "038000001"},
    {"code": "TT-PLD-01", "name": "เทศบาลตำบลปลวกแดง", "plan_row": 3.0, "kind": "ทต.",
     "district": "อ.ปลวกแดง", "quota": 450, "email": "saraban@example.org"},
    {"code": "R01", "phone": "038-694-000", "contact": "ฝ่ายบริหารทั่วไป"},  # update an existing unit
    {"code": "R02"},  # listed, nothing to change
]  # fmt: skip


def test_the_unit_list_imports_new_units_and_updates_listed_ones(
    db: Database, tmp_path: Path
) -> None:
    path = unit_list(tmp_path, db, NEW_UNITS)
    before = dump(db.path)
    preview = excel_io.preview_units(db, path)
    assert dump(db.path) == before
    assert [(r.code, r.status, r.changes) for r in preview.rows] == [
        ("SAO-KLG-01", "new", ()),
        ("TT-PLD-01", "new", ()),
        ("R01", "changed", ("contact", "phone")),
        ("R02", "unchanged", ()),
    ]
    result = excel_io.import_units(db, path)
    assert result.committed and result.counts == {
        "refused": 0,
        "new": 2,
        "changed": 1,
        "unchanged": 1,
    }
    sao = registry.get_unit(db, "SAO-KLG-01")
    assert (sao.kind, sao.district, sao.quota, sao.plan_row, sao.phone) == (
        "sao",
        "แกลง",
        300,
        3,
        "038000001",
    )
    tt = registry.get_unit(db, "TT-PLD-01")
    assert (tt.kind, tt.district, tt.quota, tt.email) == (
        "subdistrict",
        "ปลวกแดง",
        450,
        "saraban@example.org",
    )
    r01 = registry.get_unit(db, "R01")
    assert (r01.phone, r01.contact, r01.quota) == ("038-694-000", "ฝ่ายบริหารทั่วไป", 2000)
    # The new units are on the next form.
    form = export(db, tmp_path, plan_row=3)
    assert "SAO-KLG-01" in [
        r for r in (openpyxl.load_workbook(form)[FORM][f"A{i}"].value for i in range(7, 30)) if r
    ]


BASE = {"code": "SAO-X", "name": "อบต.ทดสอบ", "plan_row": 3}


@pytest.mark.parametrize(
    ("bad", "column", "words"),
    [
        ({**BASE, "kind": "หมู่บ้าน"}, "D (kind)", "unknown unit kind"),
        ({**BASE, "district": "ชลบุรี"}, "E (district)", "not one of Rayong's districts"),
        ({**BASE, "plan_row": 42}, "C (plan_row)", "no plan row number 42"),
        ({**BASE, "plan_row": "สาม"}, "C (plan_row)", "whole number"),
        ({**BASE, "quota": -5}, "F (quota)", "not valid"),
        ({**BASE, "code": "ไม่ใช่รหัส"}, "A (code)", "not valid"),
        ({"code": "SAO-X", "plan_row": 3}, "B (name)", "name is blank"),
        ({**BASE, "code": "SAO-KLG-01"}, "A (code)", "appears twice"),
        ({"name": "ไม่มีรหัส", "plan_row": 3}, "A (code)", "code is blank"),
        ({**BASE, "name": "ก" * 301}, "B (name)", "longer than 300"),
    ],
)
def test_one_bad_unit_row_refuses_the_whole_list(
    db: Database, tmp_path: Path, bad: dict[str, Any], column: str, words: str
) -> None:
    path = unit_list(tmp_path, db, [*NEW_UNITS, bad])
    preview = excel_io.preview_units(db, path)
    assert [r.status for r in preview.rows].count("refused") == 1
    before = dump(db.path)
    with pytest.raises(RefusedError) as caught:
        excel_io.import_units(db, path)
    assert dump(db.path) == before
    sheet = xlsx_units.UNITS_SHEET
    assert caught.value.en.startswith(f"sheet {sheet}, row 6, column {column}: "), caught.value.en
    assert words in caught.value.en


def test_a_unit_list_from_elsewhere_with_english_headers_imports(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "province.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["รายชื่อ อปท. จังหวัดระยอง"])  # a title row above the header
    ws.append(["Code", "Name", "Plan_Row", "Kind", "District", "Phone"])
    ws.append(["SAO-BKI-01", "องค์การบริหารส่วนตำบลบางบุตร", 3, "sao", "BKI", "038111111"])
    wb.save(path)
    result = excel_io.import_units(db, path)
    assert result.counts["new"] == 1
    unit = registry.get_unit(db, "SAO-BKI-01")
    assert (unit.district, unit.phone, unit.quota) == ("บ้านค่าย", "038111111", 300)


def test_the_unit_list_template_explains_itself(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    excel_io.export_units_template(db, path)
    wb = openpyxl.load_workbook(path)
    ws = wb[xlsx_units.UNITS_SHEET]
    assert [c.value for c in ws[1]] == [c.th for c in xlsx_units.UNIT_COLUMNS]
    # Codes and phone numbers are text columns: a phone keeps its leading zero.
    assert [ws.column_dimensions[c].number_format for c in "AHI"] == ["@", "@", "@"]
    kinds = next(dv for dv in ws.data_validations.dataValidation if dv.type == "list")
    assert kinds.formula1.startswith(f"'{xlsx_units.HELP_SHEET}'!")
    help_text = [c.value for row in wb[xlsx_units.HELP_SHEET].iter_rows() for c in row if c.value]
    assert "อบต." in help_text and "แกลง" in help_text and 3 in help_text
    # An empty template imports as nothing.
    assert excel_io.import_units(db, path).rows == ()
