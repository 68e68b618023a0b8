"""The summary workbook: totals are formulas, and the formulas give the right figures.

No spreadsheet program is installed here, so `Formulas` below evaluates the few kinds of formula
the desk writes (SUM over ranges and references, + - * /, IF(x=0,"",a/b)); anything else fails
the test, so a new kind of formula cannot slip in unchecked.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string, get_column_letter

from rayong_desktop.documents import xlsx_summary as xs
from rayong_desktop.documents.xlsx_common import (
    FormulaValues,
    formulas_without_value,
    line_points,
    print_scale,
    save_workbook,
    text_lines,
)
from rayong_desktop.services import excel_io, status
from tests.services.test_status import W20, W22, month  # noqa: F401 - a fixture

HOSTILE = '=HYPERLINK("http://example.com","x")'

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>\"[^\"]*\")"
    r"|(?P<ref>(?:'[^']+'!)?\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)"
    r"|(?P<func>[A-Z]+)\(|(?P<op>[-+*/(),=]))"
)


class Formulas:
    """Evaluate the desk's formulas in a workbook loaded with formulas (not data_only)."""

    def __init__(self, path: Path) -> None:
        self.wb = openpyxl.load_workbook(path)
        self.memo: dict[tuple[str, str], Any] = {}

    def value(self, sheet: str, coordinate: str) -> Any:
        key = (sheet, coordinate.replace("$", ""))
        if key not in self.memo:
            cell = self.wb[sheet][key[1]]
            if cell.data_type == "f":
                self.memo[key] = _Parser(self, cell.value[1:], sheet).run()
            else:
                self.memo[key] = cell.value
        return self.memo[key]


class _Parser:
    """One formula: expression := comparison; SUM(...), IF(c,a,b), refs, numbers, strings."""

    def __init__(self, formulas: Formulas, text: str, sheet: str) -> None:
        self.formulas, self.text, self.sheet = formulas, text, sheet
        self.tokens: list[tuple[str | None, str]] = []
        pos = 0
        while pos < len(text):
            match = _TOKEN.match(text, pos)
            assert match and match.end() > pos, f"cannot read formula {text!r} at {pos}"
            self.tokens.append((match.lastgroup, match.group(match.lastgroup or "")))
            pos = match.end()
        self.at = 0
        self.skipping = 0  # > 0 while parsing the branch an IF does not take

    def run(self) -> Any:
        result = self._comparison()
        assert self.at == len(self.tokens), f"left over in {self.text!r}"
        return result

    def _peek(self) -> tuple[str | None, str]:
        return self.tokens[self.at] if self.at < len(self.tokens) else (None, "")

    def _take(self, op: str | None = None) -> tuple[str | None, str]:
        token = self._peek()
        if op is not None:
            assert token == ("op", op), f"expected {op}, got {token} in {self.text!r}"
        self.at += 1
        return token

    def _comparison(self) -> Any:
        left = self._expr()
        if self._peek() == ("op", "="):
            self._take()
            return _num(left) == _num(self._expr())
        return left

    def _expr(self) -> Any:
        value = self._term()
        while self._peek() in (("op", "+"), ("op", "-")):
            op = self._take()[1]
            right = self._term()
            value = _num(value) + _num(right) if op == "+" else _num(value) - _num(right)
        return value

    def _term(self) -> Any:
        value = self._factor()
        while self._peek() in (("op", "*"), ("op", "/")):
            op = self._take()[1]
            right = self._factor()
            if self.skipping:
                value = 0.0
            else:
                value = _num(value) * _num(right) if op == "*" else _num(value) / _num(right)
        return value

    def _factor(self) -> Any:
        kind, text = self._take()
        if kind == "num":
            return float(text)
        if kind == "str":
            return text[1:-1]
        if kind == "ref":
            sheet, ref = self._split(text)
            assert ":" not in ref, f"a range outside SUM: {text}"
            return self.formulas.value(sheet, ref)
        if kind == "op" and text == "(":
            value = self._comparison()
            self._take(")")
            return value
        if kind == "op" and text == "-":
            return -_num(self._factor())
        if kind == "func" and text == "SUM":
            total = 0.0
            while True:
                total += self._sum_argument()
                if self._take()[1] == ")":
                    return total
        if kind == "func" and text == "IF":
            condition = self._comparison()
            self._take(",")
            yes = self._branch(taken=bool(condition))
            self._take(",")
            no = self._branch(taken=not condition)
            self._take(")")
            return yes if condition else no
        raise AssertionError(f"the desk does not write {kind} {text!r} ({self.text!r})")

    def _branch(self, *, taken: bool) -> Any:
        self.skipping += 0 if taken else 1
        try:
            return self._comparison()
        finally:
            self.skipping -= 0 if taken else 1

    def _sum_argument(self) -> float:
        kind, text = self._peek()
        if kind == "ref" and ":" in text:
            self._take()
            sheet, ref = self._split(text)
            first, last = ref.split(":")
            (c1, r1), (c2, r2) = _split_ref(first), _split_ref(last)
            values = [
                self.formulas.value(sheet, f"{openpyxl.utils.get_column_letter(c)}{r}")
                for r in range(r1, r2 + 1)
                for c in range(c1, c2 + 1)
            ]
            # SUM skips text and blanks, as Excel does.
            return sum(v for v in values if isinstance(v, int | float) and not isinstance(v, bool))
        value = self._expr()
        return value if isinstance(value, int | float) else 0.0

    def _split(self, text: str) -> tuple[str, str]:
        if "!" in text:
            sheet, ref = text.rsplit("!", 1)
            return sheet.strip("'"), ref.replace("$", "")
        return self.sheet, text.replace("$", "")


def _split_ref(ref: str) -> tuple[int, int]:
    match = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    assert match, ref
    return column_index_from_string(match.group(1)), int(match.group(2))


def _num(value: Any) -> float:
    if value is None or value == "":
        return 0.0
    assert isinstance(value, int | float), f"not a number: {value!r}"
    return float(value)


def plan_lines(path: Path) -> dict[str, dict[str, Any]]:
    """Each line of the plan sheet by its first column ("1".."11", "total"), every column
    evaluated, keyed by the column keys of xlsx_summary.PLAN_COLUMNS."""
    formulas = Formulas(path)
    ws = formulas.wb[xs.PLAN_SHEET]
    keys = [c[0] for c in xs.PLAN_COLUMNS]
    lines: dict[str, dict[str, Any]] = {}
    for row in range(xs.PLAN_HEADER_ROW + 1, ws.max_row + 1):
        first, second = ws.cell(row=row, column=1).value, ws.cell(row=row, column=2).value
        if first is None and second != "รวมทั้งจังหวัด":
            continue
        label = "total" if first is None else str(first)
        lines[label] = {
            key: formulas.value(xs.PLAN_SHEET, f"{openpyxl.utils.get_column_letter(i)}{row}")
            for i, key in enumerate(keys, start=1)
        }
        if label == "total":
            break
    return lines


# ---------------------------------------------------------------- the pure workbook


def unit(
    code: str,
    plan_row: int,
    quota: int,
    count: int | None,
    *,
    previous: int | None = None,
    expected: bool = True,
    reported: bool = True,
    on_time: bool = True,
    name: str | None = None,
) -> xs.SummaryUnit:
    received = expected and reported
    return xs.SummaryUnit(
        plan_row=plan_row,
        code=code,
        name=name or f"หน่วย {code}",
        kind="agency",
        district=None,
        quota=quota,
        count=count,
        reported_count=count if reported else None,
        previous_count=previous,
        increase=None if count is None else count - (previous or 0),
        expected=expected,
        received=received,
        on_time=received and on_time,
        missing=expected and not reported,
        received_at=datetime(2020, 5, 21, 10, 30) if reported else None,
        late_by_minutes=(0 if on_time else 45) if reported else None,
    )


UNITS = (
    unit("A1", 1, 1000, 400, previous=300),
    unit("A2", 1, 500, 250, previous=250, reported=False),  # carried figure, missing
    unit("B1", 2, 0, 30, on_time=False, name=HOSTILE),  # quota 0: no percentage
    unit("B2", 2, 300, None, reported=False),  # never reported
    unit("B3", 2, 300, 120, expected=False),  # reported though not expected yet
)
PLAN_ROWS = (
    xs.SummaryPlanRow(1, "แถวหนึ่ง", 2000),
    xs.SummaryPlanRow(2, "แถวสอง", 1000),
    xs.SummaryPlanRow(3, "แถวที่ไม่มีหน่วย", 700),
)


def book(units: tuple[xs.SummaryUnit, ...] = UNITS) -> xs.SummaryBook:
    return xs.SummaryBook(
        week=date(2020, 5, 18),
        oa_name="Rayong Fight Covid",
        office_name="สำนักงานทดสอบ",
        stated_quota=3500,
        plan_rows=PLAN_ROWS,
        units=units,
        history=(
            xs.HistoryRow("A1", "หน่วย A1", 1, date(2020, 5, 11), 300, True, True, True, 0),
            xs.HistoryRow("A1", "หน่วย A1", 1, date(2020, 5, 18), 400, True, True, False, 5),
            xs.HistoryRow("B1", HOSTILE, 2, date(2020, 5, 18), 30, True, False, None, None),
        ),
        generated_at=datetime(2020, 5, 30, 9, 0),
    )


def test_plan_and_province_totals_are_formulas_giving_the_figures(tmp_path: Path) -> None:
    out = tmp_path / "summary.xlsx"
    xs.build_summary(out, book())
    lines = plan_lines(out)
    assert set(lines) == {"1", "2", "3", "total"}
    one, two, three, total = lines["1"], lines["2"], lines["3"], lines["total"]
    assert (one["quota"], one["units_quota"], one["count"], one["previous_count"]) == (
        2000,
        1500,
        650,
        550,
    )
    assert one["increase"] == 100
    assert one["pct"] == pytest.approx(650 / 2000)
    # expected, received (expected and reported), on time, late, missing
    assert [one[k] for k in ("expected", "received", "on_time", "late", "missing")] == [
        2,
        1,
        1,
        0,
        1,
    ]
    assert one["reporting_rate"] == pytest.approx(0.5)
    assert two["count"] == 150 and two["units_quota"] == 600
    assert [two[k] for k in ("expected", "received", "on_time", "late", "missing")] == [
        2,
        1,
        0,
        1,
        1,
    ]
    assert two["on_time_rate"] == 0
    # A plan row without units: zeros, and no division by zero.
    assert three["count"] == 0 and three["expected"] == 0
    assert three["reporting_rate"] == "" and three["pct"] == 0
    assert total["quota"] == 3700 and total["count"] == 800 and total["units_quota"] == 2100
    assert total["expected"] == 4 and total["received"] == 2 and total["missing"] == 2
    assert total["pct"] == pytest.approx(800 / 3700)

    wb = openpyxl.load_workbook(out)
    plan = wb[xs.PLAN_SHEET]
    # The clerk can see each total is a SUM over the unit lines.
    count_col = openpyxl.utils.get_column_letter([c[0] for c in xs.PLAN_COLUMNS].index("count") + 1)
    assert plan[f"{count_col}{xs.PLAN_HEADER_ROW + 1}"].value.startswith(
        f"=SUM('{xs.UNITS_SHEET}'!"
    )
    assert plan[f"{count_col}{xs.PLAN_HEADER_ROW + 4}"].value.startswith("=SUM(")
    assert int(plan.page_setup.paperSize) == 9  # A4
    assert plan.page_setup.orientation == "landscape"


def test_the_unit_sheet_total_line_adds_up(tmp_path: Path) -> None:
    out = tmp_path / "summary.xlsx"
    xs.build_summary(out, book())
    formulas = Formulas(out)
    ws = formulas.wb[xs.UNITS_SHEET]
    keys = [c[0] for c in xs.UNIT_COLUMNS]
    total_row = xs.UNITS_HEADER_ROW + 1 + len(UNITS)
    assert ws.cell(row=total_row, column=3).value == "รวมทั้งจังหวัด"

    def at(key: str, row: int) -> Any:
        letter = openpyxl.utils.get_column_letter(keys.index(key) + 1)
        return formulas.value(xs.UNITS_SHEET, f"{letter}{row}")

    assert at("count", total_row) == 800
    assert at("quota", total_row) == 2100
    assert at("missing", total_row) == 2
    first = xs.UNITS_HEADER_ROW + 1
    assert at("pct", first) == pytest.approx(0.4)  # A1: 400 of 1000, a formula
    assert at("pct", first + 2) is None  # B1 has quota 0: left blank
    assert at("pct", first + 3) is None  # B2 has no count


def test_history_is_a_long_table_for_pivots(tmp_path: Path) -> None:
    out = tmp_path / "summary.xlsx"
    xs.build_summary(out, book())
    wb = openpyxl.load_workbook(out)
    ws = wb[xs.HISTORY_SHEET]
    header = [c.value for c in ws[1]]
    assert header == [c[1] for c in xs.HISTORY_COLUMNS]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert rows[0][:4] == ["A1", "หน่วย A1", 1, "2020-W20"]
    assert rows[0][4] == datetime(2020, 5, 11)
    assert rows[1][5:] == [400, 1, 1, 0, 5]
    assert rows[2][1] == HOSTILE and rows[2][8] is None
    assert list(ws.tables) == ["weekly_history"]
    assert ws.tables["weekly_history"].ref == "A1:J4"


def test_text_from_the_registry_is_never_a_formula(tmp_path: Path) -> None:
    out = tmp_path / "summary.xlsx"
    xs.build_summary(out, book())
    wb = openpyxl.load_workbook(out)
    for sheet in (xs.UNITS_SHEET, xs.HISTORY_SHEET):
        cells = [c for row in wb[sheet].iter_rows() for c in row if c.value == HOSTILE]
        assert cells, sheet
        assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    with zipfile.ZipFile(out) as archive:
        xml = "".join(
            archive.read(n).decode("utf-8")
            for n in archive.namelist()
            if n.startswith("xl/worksheets/sheet")
        )
    assert "HYPERLINK" in xml and "<f>HYPERLINK" not in xml


# ---------------------------------------------------------------- cached values, print layout


def test_every_formula_carries_its_value_for_viewers_that_do_not_recalculate(
    tmp_path: Path,
) -> None:
    out = tmp_path / "summary.xlsx"
    xs.build_summary(out, book())
    formulas = Formulas(out)
    cached = openpyxl.load_workbook(out, data_only=True)
    checked = 0
    blank: list[tuple[str, str]] = []
    for sheet in (xs.PLAN_SHEET, xs.UNITS_SHEET):
        for row in formulas.wb[sheet].iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                want = formulas.value(sheet, cell.coordinate)
                got = cached[sheet][cell.coordinate].value
                if want == "":
                    assert got in ("", None), cell.coordinate  # IF(x=0,"",...) shows blank
                    blank.append((sheet, cell.coordinate))
                else:
                    assert got == pytest.approx(want), f"{sheet}!{cell.coordinate}"
                checked += 1
    assert checked > 50
    # The import's own scan finds a saved value for every formula but the blank results.
    assert blank
    unvalued = [(sheet, ref) for sheet, ref, _f in formulas_without_value(out)]
    assert [x for x in unvalued if x[0] != xs.DISTRICT_SHEET] == blank
    # The district sheet (SUMIF, checked against status in its own test): only a share or a
    # rate of a line with nothing to divide by is left blank.
    letters = {get_column_letter(i) for i, c in enumerate(xs.DISTRICT_COLUMNS, start=1)
               if c[0] in ("pct", "reporting_rate", "on_time_rate")}  # fmt: skip
    assert {ref.rstrip("0123456789") for sheet, ref in unvalued if sheet == xs.DISTRICT_SHEET} <= (
        letters
    )


def test_cached_values_are_the_figures(tmp_path: Path) -> None:
    out = tmp_path / "summary.xlsx"
    xs.build_summary(out, book())
    ws = openpyxl.load_workbook(out, data_only=True)[xs.PLAN_SHEET]
    keys = [c[0] for c in xs.PLAN_COLUMNS]
    total = next(
        [c.value for c in row]
        for row in ws.iter_rows(min_row=xs.PLAN_HEADER_ROW + 1)
        if row[1].value == "รวมทั้งจังหวัด"
    )
    line = dict(zip(keys, total, strict=True))
    assert (line["quota"], line["units_quota"], line["count"], line["missing"]) == (
        3700,
        2100,
        800,
        2,
    )
    assert line["pct"] == pytest.approx(800 / 3700)


def test_a_workbook_whose_formulas_lack_values_is_refused_by_the_saver(tmp_path: Path) -> None:
    from openpyxl import Workbook

    values = FormulaValues()
    wb = Workbook()
    values.put(wb.active, 1, 1, "=1+1", 2)
    wb.active.title = "renamed"  # the values were recorded for a sheet that is not saved
    with pytest.raises(ValueError, match="not in the workbook"):
        save_workbook(wb, tmp_path / "x.xlsx", values=values)
    assert not (tmp_path / "x.xlsx").exists()


LONG_NAME = "สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอเมืองระยอง สำนักงานพัฒนาชุมชนจังหวัดระยอง"


def test_rows_grow_with_wrapped_names_and_kinds_print_in_thai(tmp_path: Path) -> None:
    units = (
        unit("A1", 1, 1000, 400, previous=300),
        unit("A2", 1, 500, 250, name=LONG_NAME),
        unit("B1", 2, 300, 30, name=LONG_NAME * 2),
    )
    out = tmp_path / "summary.xlsx"
    xs.build_summary(out, book(units))
    ws = openpyxl.load_workbook(out)[xs.UNITS_SHEET]
    first = xs.UNITS_HEADER_ROW + 1
    name_col = [c[0] for c in xs.UNIT_COLUMNS].index("name") + 1
    heights = [ws.row_dimensions[first + i].height for i in range(3)]
    assert heights[0] < heights[1] < heights[2]
    width = ws.column_dimensions[openpyxl.utils.get_column_letter(name_col)].width
    for offset, u in enumerate(units):
        cell = ws.cell(row=first + offset, column=name_col)
        assert cell.alignment.wrap_text
        lines = text_lines(u.name, width)
        assert heights[offset] == pytest.approx(lines * line_points(14) + 3, abs=0.2)
    assert text_lines(LONG_NAME, width) >= 2
    # Even a one-line row is tall enough for 14 pt Thai with its stacked marks (not 15 pt).
    assert heights[0] >= 14 * 1.5
    kind_col = [c[0] for c in xs.UNIT_COLUMNS].index("kind") + 1
    assert ws.cell(row=first, column=kind_col).value == "หน่วยงาน"


@pytest.mark.parametrize(
    ("code", "label"),
    [("agency", "หน่วยงาน"), ("sao", "อบต."), ("district_office", "สถ.อ."), ("city", "ทน.")],
)
def test_kind_labels_are_the_registrys_thai_short_names(code: str, label: str) -> None:
    assert xs.kind_label(code) == label


def test_every_sheet_prints_on_a4_at_a_readable_size(tmp_path: Path) -> None:
    out = tmp_path / "summary.xlsx"
    xs.build_summary(out, book())
    wb = openpyxl.load_workbook(out)
    for ws in wb.worksheets:
        assert int(ws.page_setup.paperSize) == 9, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert (int(ws.page_setup.fitToWidth), int(ws.page_setup.fitToHeight)) == (1, 0)
        assert ws.print_title_rows, ws.title  # the header row repeats on every page
        assert print_scale(ws) >= 0.8, ws.title


@pytest.mark.parametrize("week", [W20, W22])
def test_cached_values_read_without_recalculating_equal_the_status_figures(
    month: Any,  # noqa: F811 - the scripted month (a fixture)
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    week: date,
) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-05-30 09:00")
    out = tmp_path / "summary.xlsx"
    excel_io.export_summary(month, out, week=week)
    data = status.status_json(status.week_summary(month, week))
    ws = openpyxl.load_workbook(out, data_only=True)[xs.PLAN_SHEET]  # as a phone shows it
    keys = [c[0] for c in xs.PLAN_COLUMNS]
    lines = {}
    for row in ws.iter_rows(min_row=xs.PLAN_HEADER_ROW + 1, values_only=True):
        line = dict(zip(keys, row, strict=True))
        if line["number"] is not None:
            lines[str(line["number"])] = line
        elif line["name"] == "รวมทั้งจังหวัด":
            lines["total"] = line
    wanted = [(str(r["number"]), r) for r in data["plan_rows"]] + [("total", data["totals"])]
    for label, figures in wanted:
        line = lines[label]
        for key in ("quota", "units_quota", "count", "previous_count", "increase", "expected",
                    "received", "on_time", "late", "missing"):  # fmt: skip
            assert line[key] == figures[key], (label, key)
        for key, theirs in (("pct", "pct_of_quota"), ("reporting_rate", "reporting_rate")):
            if figures[theirs] is None:
                assert line[key] in ("", None), (label, key)
            else:
                scale = 100 if key == "pct" else 1
                assert line[key] * scale == pytest.approx(figures[theirs], abs=0.005), label
    assert lines["total"]["count"] > 0


@pytest.mark.parametrize("week", [W20, W22])
def test_the_district_sheet_adds_up_to_the_province_as_status_reports(
    month: Any,  # noqa: F811 - the scripted month (a fixture)
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    week: date,
) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-05-30 09:00")
    out = tmp_path / "summary.xlsx"
    excel_io.export_summary(month, out, week=week)
    report = status.status_report(month, week)
    formulas = openpyxl.load_workbook(out)[xs.DISTRICT_SHEET]
    ws = openpyxl.load_workbook(out, data_only=True)[xs.DISTRICT_SHEET]  # the cached values
    keys = [c[0] for c in xs.DISTRICT_COLUMNS]
    lines = [
        dict(zip(keys, row, strict=True))
        for row in ws.iter_rows(min_row=xs.DISTRICT_HEADER_ROW + 1, values_only=True)
        if row[0] is not None
    ]
    *groups, province = lines
    assert province["name"] == "รวมทั้งจังหวัด"
    assert [g["name"] for g in groups] == [d["label"] for d in report["districts"]]
    counted = ("quota", "count", "previous_count", "increase", "expected", "received")
    for key in (*counted, "on_time", "late", "missing"):
        assert sum(g[key] for g in groups) == province[key] == report["totals"][key], key
        for g, d in zip(groups, report["districts"], strict=True):
            assert g[key] == d[key], (d["label"], key)
    for g, d in zip([*groups, province], [*report["districts"], report["totals"]], strict=True):
        if d["reporting_rate"] is None:
            assert g["reporting_rate"] in ("", None), d
        else:
            assert g["reporting_rate"] == pytest.approx(d["reporting_rate"], abs=0.005), d
    # Every figure is a formula over the units sheet, not a typed number.
    sums = [formulas.cell(row=r, column=3).value for r in range(5, 5 + len(lines))]
    assert all(isinstance(f, str) and f.startswith(("=SUMIF(", "=SUM(")) for f in sums), sums
    assert sum(1 for g in groups if g["count"]) >= 2


def test_a_formulas_computed_value_is_measured_for_its_column_width() -> None:
    """A percentage over 100% computed by a formula is wider than the typed figures beside
    it: measured by its value, the column prints it instead of "###"."""
    import openpyxl

    from rayong_desktop.documents.xlsx_common import (
        FormulaValues,
        column_width,
        fit_column_widths,
        text_width,
    )

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"] = 26526, 2000
    values = FormulaValues()
    cell = values.put(ws, 1, 3, "=A1/B1", 13.263)
    cell.number_format = "0.0%"
    fit_column_widths(ws, [1])
    unmeasured = column_width(ws, "C")
    fit_column_widths(ws, [1], values)
    needed = text_width("1326.3%", size=float(cell.font.sz))
    assert column_width(ws, "C") >= needed > unmeasured
