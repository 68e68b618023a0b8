"""The summary workbook on a generated province: every cell is the status figure it shows.

The workbook is written in write-only mode with the history streamed from the database
(documents/xlsx_summary.py); these tests read every sheet back and compare each cell with the
services' own figures (status.week_summary, status_json, status_report), computed here week by
week, never with numbers typed into the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from rayong_desktop.db.engine import Database
from rayong_desktop.documents import xlsx_summary as xs
from rayong_desktop.domain import calendar
from rayong_desktop.services import excel_io, status
from rayong_desktop.services.startup import open_database
from tests.benchmarks import generate

NOW = "2021-05-03 09:00"


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A small generated province (the benchmark's generator: 62 units, a year of reports with
    late, missing and corrected ones); the tests only read it."""
    folder = tmp_path_factory.mktemp("province")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RAYONG_HOME", str(folder / "home"))
        mp.setenv("RAYONG_NOW", NOW)
        path = folder / "province.sqlite3"
        generate.generate(path, generate.Params(units=40, years=1, seed=3), log=False)
        db = open_database(path)
        try:
            yield db
        finally:
            db.dispose()


def weeks_of(db: Database) -> list[date]:
    campaign = status.campaign_info(db)
    return calendar.campaign_weeks(campaign.start, campaign.end)


@pytest.fixture(params=["middle", "last"])
def week(request: pytest.FixtureRequest, province: Database) -> date:
    weeks = weeks_of(province)
    return weeks[len(weeks) // 2] if request.param == "middle" else weeks[-1]


@pytest.fixture
def workbook(
    province: Database, week: date, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    monkeypatch.setenv("RAYONG_NOW", NOW)
    out = tmp_path / "summary.xlsx"
    excel_io.export_summary(province, out, week=week)
    return out


def lines(ws: Any, first: int) -> list[dict[str, Any]]:
    """The sheet's lines from ``first`` on (cached values), keyed by its columns' keys."""
    keys = {
        xs.UNITS_SHEET: xs.UNIT_COLUMNS,
        xs.PLAN_SHEET: xs.PLAN_COLUMNS,
        xs.DISTRICT_SHEET: xs.DISTRICT_COLUMNS,
        xs.HISTORY_SHEET: xs.HISTORY_COLUMNS,
    }[ws.title]
    return [
        dict(zip([c[0] for c in keys], row, strict=True))
        for row in ws.iter_rows(min_row=first, max_col=len(keys), values_only=True)
    ]


def bangkok(iso: str | None) -> datetime | None:
    return None if iso is None else datetime.fromisoformat(iso).replace(tzinfo=None)


def share(part: float, whole: float) -> float | None:
    return None if not whole else part / whole


def test_every_cell_of_the_figure_sheets_is_the_status_figure(
    province: Database, week: date, workbook: Path
) -> None:
    data = status.status_report(province, week)
    wb = openpyxl.load_workbook(workbook, data_only=True)  # as a viewer that does not recalculate
    assert wb.sheetnames == [xs.PLAN_SHEET, xs.DISTRICT_SHEET, xs.UNITS_SHEET, xs.HISTORY_SHEET]
    for ws, header in (
        (wb[xs.PLAN_SHEET], xs.PLAN_HEADER_ROW),
        (wb[xs.DISTRICT_SHEET], xs.DISTRICT_HEADER_ROW),
        (wb[xs.UNITS_SHEET], xs.UNITS_HEADER_ROW),
    ):
        title = ws.cell(row=2, column=1).value
        assert title.startswith(f"สัปดาห์ {data['week']} "), ws.title
        assert list(lines(ws, header)[0].values()) == [
            c[1]
            for c in {
                xs.PLAN_SHEET: xs.PLAN_COLUMNS,
                xs.DISTRICT_SHEET: xs.DISTRICT_COLUMNS,
                xs.UNITS_SHEET: xs.UNIT_COLUMNS,
            }[ws.title]
        ]

    # The unit sheet: a line per unit in plan-row and code order, then the province's line.
    units = sorted(data["units"], key=lambda u: (u["plan_row"], u["code"]))
    *got, total = lines(wb[xs.UNITS_SHEET], xs.UNITS_HEADER_ROW + 1)
    assert len(got) == len(units) > 50
    for line, u in zip(got, units, strict=True):
        received = u["expected"] and u["reported"]
        want = {
            "plan_row": u["plan_row"],
            "code": u["code"],
            "name": u["name"],
            "kind": xs.kind_label(u["kind"]),
            "district": u["district"],
            "quota": u["quota"],
            "count": u["count"],
            "reported_count": u["reported_count"],
            "previous_count": u["previous_count"],
            "increase": u["increase"],
            "expected": int(u["expected"]),
            "received": int(received),
            "on_time": int(received and u["on_time"]),
            "missing": int(u["missing"]),
            "received_at": bangkok(u["received_at"]),
            "late": u["late_by_minutes"],
        }
        pct = line.pop("pct")
        assert line == want, u["code"]
        if u["count"] is None or not u["quota"]:
            assert pct is None, u["code"]
        else:
            assert pct == pytest.approx(u["count"] / u["quota"]), u["code"]
    figures = data["totals"]
    assert total["name"] == xs.TOTAL_LABEL
    for key in ("quota", "count", "previous_count", "increase", "expected", "on_time", "missing"):
        assert total[key] == (figures["units_quota"] if key == "quota" else figures[key]), key
    assert total["received"] == figures["received"]
    assert total["pct"] == pytest.approx(share(figures["count"], figures["units_quota"]))

    # The plan sheet and the district sheet: every figure of every line, the province last.
    def check(line: dict[str, Any], want: dict[str, Any], label: str) -> None:
        for key in ("count", "previous_count", "increase", "expected", "received", "on_time"):
            assert line[key] == want[key], (label, key)
        assert (line["late"], line["missing"]) == (want["late"], want["missing"]), label
        for key, part, whole in (
            ("pct", want["count"], want["quota"]),
            ("reporting_rate", want["received"], want["expected"]),
            ("on_time_rate", want["on_time"], want["expected"]),
        ):
            value = share(part, whole)
            if value is None:
                assert line[key] in ("", None), (label, key)
            else:
                assert line[key] == pytest.approx(value), (label, key)

    plan = lines(wb[xs.PLAN_SHEET], xs.PLAN_HEADER_ROW + 1)
    rows = data["plan_rows"]
    for line, row in zip(plan, rows, strict=False):
        assert (line["number"], line["name"]) == (row["number"], row["name"])
        assert (line["quota"], line["units_quota"]) == (row["quota"], row["units_quota"])
        check(line, row, f"plan row {row['number']}")
    province_line = plan[len(rows)]
    assert province_line["name"] == xs.TOTAL_LABEL and province_line["quota"] == figures["quota"]
    check(province_line, figures, "province")

    *groups, district_total = [
        line
        for line in lines(wb[xs.DISTRICT_SHEET], xs.DISTRICT_HEADER_ROW + 1)
        if line["name"] is not None
    ]
    assert [g["name"] for g in groups] == [d["label"] for d in data["districts"]]
    for line, d in zip(groups, data["districts"], strict=True):
        assert line["quota"] == d["quota"], d["label"]
        check(line, d, d["label"])
    assert district_total["name"] == xs.TOTAL_LABEL
    assert district_total["quota"] == figures["quota"]
    check(district_total, figures, "districts' province")


def test_the_history_sheet_holds_exactly_each_weeks_unit_weeks(
    province: Database, week: date, workbook: Path
) -> None:
    want: list[dict[str, Any]] = []
    for w in (w for w in weeks_of(province) if w <= week):
        units = status.status_json(status.week_summary(province, w))["units"]
        for u in sorted(units, key=lambda u: (u["plan_row"], u["code"])):
            if not (u["expected"] or u["reported"]):
                continue
            want.append(
                {
                    "code": u["code"],
                    "name": u["name"],
                    "plan_row": u["plan_row"],
                    "week": calendar.week_label(w),
                    "week_start": datetime(w.year, w.month, w.day),
                    "count": u["count"],
                    "expected": int(u["expected"]),
                    "reported": int(u["reported"]),
                    "on_time": int(u["on_time"]) if u["reported"] else None,
                    "late": u["late_by_minutes"],
                }
            )
    wb = openpyxl.load_workbook(workbook)
    ws = wb[xs.HISTORY_SHEET]
    assert [c.value for c in ws[1]] == [c[1] for c in xs.HISTORY_COLUMNS]
    got = lines(ws, 2)
    assert len(got) == len(want) > 500
    for line, expected in zip(got, want, strict=True):
        assert line == expected
    # The pivot table covers exactly those lines, with the header's names and filter buttons.
    table = ws.tables["weekly_history"]
    ref = f"A1:{get_column_letter(len(xs.HISTORY_COLUMNS))}{len(want) + 1}"
    assert (table.ref, table.autoFilter.ref) == (ref, ref)
    assert [c.name for c in table.tableColumns] == [c[1] for c in xs.HISTORY_COLUMNS]
    # Formats as before: the week's Monday a date, the count with thousands.
    assert ws.cell(row=2, column=5).number_format == xs.DATE_FORMAT
    assert ws.cell(row=2, column=6).number_format == xs.INT_FORMAT
    assert ws.freeze_panes == "A2" and ws.print_title_rows == "$1:$1"


def test_the_history_is_read_from_the_database_as_it_is_written(
    province: Database, tmp_path: Path
) -> None:
    weeks = weeks_of(province)
    book = excel_io.summary_book(province, weeks[len(weeks) // 2])
    assert not hasattr(book.history, "__len__")  # not held as a list
    first, again = list(book.history), list(book.history)
    assert first == again and len(first) > 500  # read afresh each time it is written
    # A history given as a one-shot generator is written once, all of it.
    out = tmp_path / "summary.xlsx"
    xs.build_summary(out, xs.SummaryBook(**{**book.__dict__, "history": iter(first)}))
    ws = openpyxl.load_workbook(out)[xs.HISTORY_SHEET]
    assert [line["code"] for line in lines(ws, 2)] == [h.code for h in first]
