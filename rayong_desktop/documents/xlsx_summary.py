"""The week's summary as a workbook the office can check and pivot.

Sheet "สรุปรายแผน" has a line per plan row and the province, every total a formula over the unit
lines of sheet "รายหน่วย" (SUM over the row's unit range, percentages as divisions), so a clerk
can click any figure and see where it comes from. Sheet "ประวัติรายสัปดาห์" is the history in long
format (one line per unit and week) as an Excel table, ready for a pivot table.

Plain data in; the service computes the figures (services.status.week_summary). The workbook is
written in openpyxl's write-only mode: the sheets of figures (about a thousand lines) are held
and measured before they are streamed (HeldSheet), and the history, up to ~150,000 lines in a
big province, is streamed line by line from the iterable it comes as, never held.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from rayong_desktop.documents.xlsx_common import (
    BORDER,
    CENTER,
    HEADER_FILL,
    TOTAL_FILL,
    WRAP,
    Cached,
    FormulaValues,
    HeldSheet,
    a4_setup,
    fit_column_widths,
    fit_row_heights,
    font,
    put,
    save_workbook,
    set_widths,
    streamed,
)
from rayong_desktop.domain import calendar
from rayong_desktop.domain.districts import NO_DISTRICT_TH
from rayong_desktop.domain.registry import DISTRICT_NAMES, KIND_BY_CODE
from rayong_desktop.domain.thaidate import thai_week_range

PLAN_SHEET = "สรุปรายแผน"
UNITS_SHEET = "รายหน่วย"
HISTORY_SHEET = "ประวัติรายสัปดาห์"
DISTRICT_SHEET = "สรุปรายอำเภอ"
DISTRICT_HEADER_ROW = 4
PLAN_HEADER_ROW = 5
UNITS_HEADER_ROW = 4
INT_FORMAT = "#,##0"
PCT_FORMAT = "0.0%"
TIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class SummaryUnit:
    plan_row: int
    code: str
    name: str
    kind: str
    district: str | None
    quota: int
    count: int | None  # this week's report, else the last one carried (as in the totals)
    reported_count: int | None
    previous_count: int | None
    increase: int | None
    expected: bool
    received: bool  # expected and reported (DHIS2 "received")
    on_time: bool  # received by the deadline
    missing: bool
    received_at: datetime | None  # naive Bangkok wall time (Excel has no time zones)
    late_by_minutes: int | None


@dataclass(frozen=True)
class SummaryPlanRow:
    number: int
    name: str
    quota: int


@dataclass(frozen=True)
class HistoryRow:
    code: str
    name: str
    plan_row: int
    week: date
    count: int | None
    expected: bool
    reported: bool
    on_time: bool | None  # None when not reported
    late_by_minutes: int | None


@dataclass(frozen=True)
class SummaryBook:
    week: date
    oa_name: str
    office_name: str
    stated_quota: int | None
    plan_rows: tuple[SummaryPlanRow, ...]
    units: tuple[SummaryUnit, ...]  # sorted by plan row, then code
    history: Iterable[HistoryRow]  # in order; read once, as the history sheet is written
    generated_at: datetime  # naive Bangkok wall time
    # Today's figures of a closed week say so (closed_weeks.live_notice) under each title.
    notice: str | None = None


# (key, Thai header, least width, number format). The widths keep every sheet readable on A4
# landscape (at 85 % of full size or more); a column is widened where a code, figure or date
# would not fit (fit_column_widths).
UNIT_COLUMNS: tuple[tuple[str, str, float, str | None], ...] = (
    ("plan_row", "ลำดับแผน", 8, None),
    ("code", "รหัสหน่วย", 10, None),
    ("name", "ชื่อหน่วยงาน", 28, None),
    ("kind", "ประเภท", 11, None),
    ("district", "อำเภอ", 10, None),
    ("quota", "เป้าหมาย", 9, INT_FORMAT),
    ("count", "ผู้เข้าร่วมกลุ่มสะสม", 10, INT_FORMAT),
    ("reported_count", "รายงานสัปดาห์นี้", 10, INT_FORMAT),
    ("previous_count", "ยอดครั้งก่อน", 9, INT_FORMAT),
    ("increase", "เพิ่มขึ้น", 8, INT_FORMAT),
    ("pct", "ร้อยละของเป้า", 8, PCT_FORMAT),
    ("expected", "ต้องส่ง", 6, None),
    ("received", "ส่งแล้ว", 6, None),
    ("on_time", "ตรงเวลา", 6, None),
    ("missing", "ขาดส่ง", 6, None),
    ("received_at", "เวลารับรายงาน", 16, TIME_FORMAT),
    ("late", "ช้า (นาที)", 6, INT_FORMAT),
)
PLAN_COLUMNS: tuple[tuple[str, str, float, str | None], ...] = (
    ("number", "ลำดับ", 7, None),
    ("name", "เป้าหมาย/หน่วยงานรับผิดชอบ", 40, None),
    ("quota", "เป้าหมายตามแผน", 11, INT_FORMAT),
    ("units_quota", "รวมเป้าหน่วย", 11, INT_FORMAT),
    ("count", "ผู้เข้าร่วมกลุ่มสะสม", 10, INT_FORMAT),
    ("previous_count", "ยอดครั้งก่อน", 10, INT_FORMAT),
    ("increase", "เพิ่มขึ้น", 9, INT_FORMAT),
    ("pct", "ร้อยละของเป้า", 9, PCT_FORMAT),
    ("expected", "ต้องส่ง", 6, None),
    ("received", "ส่งแล้ว", 6, None),
    ("on_time", "ตรงเวลา", 6, None),
    ("late", "ส่งช้า", 6, None),
    ("missing", "ขาดส่ง", 6, None),
    ("reporting_rate", "อัตราการส่ง", 9, PCT_FORMAT),
    ("on_time_rate", "อัตราส่งตรงเวลา", 9, PCT_FORMAT),
)
# The district sheet: a district's name and quota, then the plan sheet's figures from the count on.
DISTRICT_COLUMNS: tuple[tuple[str, str, float, str | None], ...] = (
    ("name", "อำเภอ", 30, None),
    ("quota", "เป้าหมาย", 11, INT_FORMAT),
    *PLAN_COLUMNS[4:],
)
HISTORY_COLUMNS: tuple[tuple[str, str, float, str | None], ...] = (
    ("code", "รหัสหน่วย", 12, None),
    ("name", "ชื่อหน่วยงาน", 45, None),
    ("plan_row", "ลำดับแผน", 8, None),
    ("week", "สัปดาห์", 10, None),
    ("week_start", "วันจันทร์ของสัปดาห์", 11, DATE_FORMAT),
    ("count", "ผู้เข้าร่วมกลุ่มสะสม", 10, INT_FORMAT),
    ("expected", "ต้องส่ง", 6, None),
    ("reported", "ส่งแล้ว", 6, None),
    ("on_time", "ตรงเวลา", 6, None),
    ("late", "ช้า (นาที)", 6, INT_FORMAT),
)
# Columns whose text wraps onto more lines (the row grows to fit); every other cell is one line.
WRAPPED = frozenset({"name"})
TOP = Alignment(vertical="top")
MIDDLE = Alignment(vertical="top", horizontal="center")  # a plan row's number beside a code
CENTERED = frozenset({"number", "plan_row"})
TOTAL_LABEL = "รวมทั้งจังหวัด"

Columns = tuple[tuple[str, str, float, str | None], ...]


def kind_label(code: str) -> str:
    """The unit kind as the office writes it (อบต., ทต., สถ.อ., หน่วยงาน ...)."""
    kind = KIND_BY_CODE.get(code)
    return kind.short_th if kind is not None else code


def _letters(columns: Columns) -> dict[str, str]:
    return {key: get_column_letter(i) for i, (key, *_rest) in enumerate(columns, start=1)}


def _header(ws: Any, row: int, columns: Columns) -> None:
    for index, (_key, th, _width, _fmt) in enumerate(columns, start=1):
        cell = put(ws, row, index, th)
        cell.font = font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = CENTER
    set_widths(ws, [c[2] for c in columns])


def _title(ws: Any, lines: list[str], last_column: int, notice: str | None = None) -> None:
    """The title lines from the sheet's first row; a notice, in bold, on the line left empty
    between them and the table's header."""
    for row, text in enumerate(lines, start=1):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_column)
        cell = put(ws, row, 1, text)
        cell.font = font(bold=row == 1, size=16 if row == 1 else 14)
        cell.alignment = WRAP
    if notice:
        row = len(lines) + 1
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_column)
        cell = put(ws, row, 1, notice)
        cell.font = font(bold=True, size=14)
        cell.alignment = WRAP


def _style_row(ws: Any, row: int, columns: Columns, *, total: bool = False) -> None:
    body = font(bold=total)
    for index, (key, _th, _width, fmt) in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=index)
        cell.font = body
        cell.border = BORDER
        cell.alignment = WRAP if key in WRAPPED else MIDDLE if key in CENTERED else TOP
        if fmt:
            cell.number_format = fmt
        if total:
            cell.fill = TOTAL_FILL


def _flag(value: bool) -> int:
    # 1/0 rather than text so that SUM and pivot tables count them.
    return 1 if value else 0


Number = int | float


class _Cells:
    """Every figure written to the workbook, so that each formula's cached value is computed
    from the very cells the formula reads (FormulaValues writes it beside the formula)."""

    def __init__(self) -> None:
        self.values = FormulaValues()
        self.grid: dict[tuple[str, str], object] = {}

    def put(self, ws: Any, row: int, column: int, value: object) -> Any:
        cell = put(ws, row, column, value)
        self.grid[(ws.title, cell.coordinate)] = value
        return cell

    def formula(self, ws: Any, row: int, column: int, formula: str, value: Cached) -> Any:
        cell = self.values.put(ws, row, column, formula, value)
        self.grid[(ws.title, cell.coordinate)] = value
        return cell

    def number(self, sheet: str, coordinate: str) -> Number:
        """A cell as arithmetic reads it: blank and text are 0."""
        value = self.grid.get((sheet, coordinate))
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        return 0

    def total(self, sheet: str, letter: str, first: int, last: int) -> Number:
        """SUM(letter first : letter last): numbers only, as SUM skips text and blanks."""
        return sum(
            v
            for r in range(first, last + 1)
            if isinstance(v := self.grid.get((sheet, f"{letter}{r}")), int | float)
        )

    def sum_if(self, sheet: str, key: str, match: str, value: str, first: int, last: int) -> Number:
        """SUMIF(key first:last, match, value first:last): a blank key matches ""."""
        total: Number = 0
        for r in range(first, last + 1):
            k = self.grid.get((sheet, f"{key}{r}"))
            v = self.grid.get((sheet, f"{value}{r}"))
            if (k or "") == match and isinstance(v, int | float) and not isinstance(v, bool):
                total += v
        return total

    def ratio(self, ws: Any, row: int, column: int, sheet: str, part: str, whole: str) -> None:
        # Blank rather than #DIV/0! when nothing is expected or there is no quota.
        divisor = self.number(sheet, whole)
        value: Cached = "" if divisor == 0 else self.number(sheet, part) / divisor
        self.formula(ws, row, column, f'=IF({whole}=0,"",{part}/{whole})', value)

    def difference(self, ws: Any, row: int, column: int, sheet: str, a: str, b: str) -> Any:
        value = self.number(sheet, a) - self.number(sheet, b)
        return self.formula(ws, row, column, f"={a}-{b}", value)


def build_summary(out: Path, book: SummaryBook) -> None:
    wb = Workbook(write_only=True)
    plan_ws = HeldSheet(wb.create_sheet(PLAN_SHEET))
    units_ws = HeldSheet(wb.create_sheet(UNITS_SHEET))
    history_ws = HeldSheet(wb.create_sheet(HISTORY_SHEET))
    cells = _Cells()
    week_text = f"สัปดาห์ {calendar.week_label(book.week)} ({thai_week_range(book.week)})"
    generated = f"จัดทำเมื่อ {book.generated_at:%Y-%m-%d %H:%M} น. โดย {book.office_name}"

    # ---- units: one line per unit, then a total line
    u = _letters(UNIT_COLUMNS)
    _title(
        units_ws,
        [
            f"จำนวนผู้เข้าร่วมกลุ่ม LINE OA “{book.oa_name}” รายหน่วย",
            f"{week_text}  ·  {generated}",
        ],
        len(UNIT_COLUMNS),
        book.notice,
    )
    _header(units_ws, UNITS_HEADER_ROW, UNIT_COLUMNS)
    first = UNITS_HEADER_ROW + 1
    # Each plan row's units must be adjacent: its totals are SUMs over one range.
    units = sorted(book.units, key=lambda x: (x.plan_row, x.code))
    ranges: dict[int, tuple[int, int]] = {}  # plan row -> (first, last) line on the units sheet
    for offset, unit in enumerate(units):
        r = first + offset
        low, _high = ranges.get(unit.plan_row, (r, r))
        ranges[unit.plan_row] = (low, r)
        values: dict[str, object] = {
            "plan_row": unit.plan_row,
            "code": unit.code,
            "name": unit.name,
            "kind": kind_label(unit.kind),
            "district": unit.district,
            "quota": unit.quota,
            "count": unit.count,
            "reported_count": unit.reported_count,
            "previous_count": unit.previous_count,
            "increase": unit.increase,
            "expected": _flag(unit.expected),
            "received": _flag(unit.received),
            "on_time": _flag(unit.on_time),
            "missing": _flag(unit.missing),
            "received_at": unit.received_at,
            "late": unit.late_by_minutes,
        }
        for index, (key, *_rest) in enumerate(UNIT_COLUMNS, start=1):
            if key in values:
                cells.put(units_ws, r, index, values[key])
        if unit.count is not None and unit.quota > 0:
            pct = f"={u['count']}{r}/{u['quota']}{r}"
            cells.formula(units_ws, r, _index(UNIT_COLUMNS, "pct"), pct, unit.count / unit.quota)
        _style_row(units_ws, r, UNIT_COLUMNS)
    last = first + len(units) - 1
    total_row = last + 1
    cells.put(units_ws, total_row, 3, TOTAL_LABEL)
    if units:
        for key in (
            "quota",
            "count",
            "reported_count",
            "previous_count",
            "expected",
            "received",
            "on_time",
            "missing",
        ):
            col = u[key]
            cells.formula(
                units_ws,
                total_row,
                _index(UNIT_COLUMNS, key),
                f"=SUM({col}{first}:{col}{last})",
                cells.total(UNITS_SHEET, col, first, last),
            )
        cells.difference(
            units_ws,
            total_row,
            _index(UNIT_COLUMNS, "increase"),
            UNITS_SHEET,
            f"{u['count']}{total_row}",
            f"{u['previous_count']}{total_row}",
        )
        cells.ratio(
            units_ws,
            total_row,
            _index(UNIT_COLUMNS, "pct"),
            UNITS_SHEET,
            f"{u['count']}{total_row}",
            f"{u['quota']}{total_row}",
        )
    _style_row(units_ws, total_row, UNIT_COLUMNS, total=True)
    units_ws.freeze_panes = f"D{first}"
    units_ws.auto_filter.ref = f"A{UNITS_HEADER_ROW}:{get_column_letter(len(UNIT_COLUMNS))}{last}"
    a4_setup(units_ws, landscape=True, title_rows=f"{UNITS_HEADER_ROW}:{UNITS_HEADER_ROW}")
    _fit(units_ws, range(UNITS_HEADER_ROW, total_row + 1), cells.values)
    units_ws.flush()

    # ---- plan rows: formulas over each row's unit lines
    p = _letters(PLAN_COLUMNS)
    _title(
        plan_ws,
        [
            f"สรุปจำนวนผู้เข้าร่วมกลุ่ม LINE OA “{book.oa_name}” ตามแผน",
            f"{week_text}  ·  {generated}",
            "ตัวเลขรวมทุกช่องเป็นสูตรจากแผ่นงาน “รายหน่วย” คลิกที่ช่องเพื่อดูที่มา (หน่วยที่ยังไม่ส่งสัปดาห์นี้ใช้ยอดครั้งล่าสุด)",
        ],
        len(PLAN_COLUMNS),
        book.notice,
    )
    _header(plan_ws, PLAN_HEADER_ROW, PLAN_COLUMNS)
    sums = {
        "units_quota": "quota",
        "count": "count",
        "previous_count": "previous_count",
        "expected": "expected",
        "received": "received",
        "on_time": "on_time",
        "missing": "missing",
    }
    plan_first = PLAN_HEADER_ROW + 1
    for offset, plan_row in enumerate(book.plan_rows):
        r = plan_first + offset
        cells.put(plan_ws, r, 1, plan_row.number)
        cells.put(plan_ws, r, 2, plan_row.name)
        cells.put(plan_ws, r, 3, plan_row.quota)
        span = ranges.get(plan_row.number)
        for key, unit_key in sums.items():
            column = _index(PLAN_COLUMNS, key)
            if span is None:
                cells.put(plan_ws, r, column, 0)  # no units: nothing to add up
            else:
                ref = f"'{UNITS_SHEET}'!{u[unit_key]}{span[0]}:{u[unit_key]}{span[1]}"
                added = cells.total(UNITS_SHEET, u[unit_key], *span)
                cells.formula(plan_ws, r, column, f"=SUM({ref})", added)
        _plan_derived(cells, plan_ws, r, p)
        _style_row(plan_ws, r, PLAN_COLUMNS)
    plan_last = plan_first + len(book.plan_rows) - 1
    plan_total = plan_last + 1
    cells.put(plan_ws, plan_total, 2, TOTAL_LABEL)
    for key in ("quota", *sums):
        col = p[key]
        cells.formula(
            plan_ws,
            plan_total,
            _index(PLAN_COLUMNS, key),
            f"=SUM({col}{plan_first}:{col}{plan_last})",
            cells.total(PLAN_SHEET, col, plan_first, plan_last),
        )
    _plan_derived(cells, plan_ws, plan_total, p)
    _style_row(plan_ws, plan_total, PLAN_COLUMNS, total=True)
    last_plan_line = plan_total
    if book.stated_quota is not None:
        note = plan_total + 2
        cells.put(plan_ws, note, 2, "ยอดรวมตามที่พิมพ์ในแผน").font = font()
        stated = cells.put(plan_ws, note, 3, book.stated_quota)
        stated.number_format, stated.font = INT_FORMAT, font()
        cells.put(plan_ws, note + 1, 2, "ผลรวมรายแถว ต่างจากยอดที่พิมพ์").font = font()
        diff = cells.difference(
            plan_ws, note + 1, 3, PLAN_SHEET, f"{p['quota']}{plan_total}", f"C{note}"
        )
        diff.number_format, diff.font = INT_FORMAT, font()
        last_plan_line = note + 1
    plan_ws.freeze_panes = f"C{plan_first}"
    a4_setup(plan_ws, landscape=True, title_rows=f"{PLAN_HEADER_ROW}:{PLAN_HEADER_ROW}")
    _fit(plan_ws, range(PLAN_HEADER_ROW, last_plan_line + 1), cells.values)
    plan_ws.flush()

    # ---- districts: SUMIFs over the units sheet's district column
    _district_sheet(
        cells,
        HeldSheet(wb.create_sheet(DISTRICT_SHEET, 1)),
        units,
        (first, last),
        f"{p['quota']}{plan_total}",
        [f"จำนวนผู้เข้าร่วมกลุ่ม LINE OA “{book.oa_name}” รายอำเภอ", f"{week_text}  ·  {generated}"],
        book.notice,
    )

    # ---- weekly history, long format
    _header(history_ws, 1, HISTORY_COLUMNS)
    history_ws.freeze_panes = "A2"
    a4_setup(history_ws, landscape=True, title_rows="1:1")
    _fit(history_ws, range(1, 2))
    history_ws.flush()
    lines = _stream_history(history_ws.ws, book.history)
    if lines:
        ref = f"A1:{get_column_letter(len(HISTORY_COLUMNS))}{lines + 1}"
        table = Table(displayName="weekly_history", ref=ref, autoFilter=AutoFilter(ref=ref))
        # Named here, with the filter buttons: openpyxl makes both from the sheet's header
        # cells, which a streamed sheet cannot give back.
        table.tableColumns = [
            TableColumn(id=i, name=th) for i, (_key, th, *_rest) in enumerate(HISTORY_COLUMNS, 1)
        ]
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        with warnings.catch_warnings():
            # openpyxl reminds of that on every write-only sheet, named or not.
            warnings.filterwarnings("ignore", "In write-only mode you must add table columns")
            history_ws.add_table(table)
    save_workbook(wb, out, values=cells.values)


def _stream_history(ws: Any, history: Iterable[HistoryRow]) -> int:
    """Append the history's lines below the header; how many there were.

    Data for pivot tables: the lines keep the default style and height (no border, no measuring),
    only the date and the count carry their number formats."""
    week_start = WriteOnlyCell(ws)
    week_start.number_format = DATE_FORMAT
    count = WriteOnlyCell(ws)
    count.number_format = INT_FORMAT
    labels: dict[date, str] = {}  # a week's label, made once
    texts: dict[str, object] = {}  # a code's or a name's safe text, made once
    lines = 0
    for h in history:
        label = labels.get(h.week)
        if label is None:
            label = labels[h.week] = calendar.week_label(h.week)
        code = texts.get(h.code)
        if code is None:
            code = texts[h.code] = streamed(ws, h.code)
        name = texts.get(h.name)
        if name is None:
            name = texts[h.name] = streamed(ws, h.name)
        # The two styled cells are written as soon as the line is appended, so one of each
        # serves every line.
        week_start.value = h.week
        count.value = h.count
        ws.append(
            (
                code,
                name,
                h.plan_row,
                label,
                week_start,
                count,
                _flag(h.expected),
                _flag(h.reported),
                None if h.on_time is None else _flag(h.on_time),
                h.late_by_minutes,
            )
        )
        lines += 1
    return lines


def _fit(ws: Any, table: range, values: FormulaValues | None = None) -> None:
    """Columns wide enough for the table's one-line values, then every row (the title lines
    above the table too) as tall as its wrapped text."""
    fit_column_widths(ws, table, values)
    fit_row_heights(ws, range(1, table.stop))


def _col(columns: Columns, key: str) -> tuple[str, str, float, str | None]:
    return next(c for c in columns if c[0] == key)


def _index(columns: Columns, key: str) -> int:
    return columns.index(_col(columns, key)) + 1


def _plan_derived(cells: _Cells, ws: Any, r: int, p: dict[str, str]) -> None:
    sheet = PLAN_SHEET

    def at(key: str) -> str:
        return f"{p[key]}{r}"

    cells.difference(
        ws, r, _index(PLAN_COLUMNS, "increase"), sheet, at("count"), at("previous_count")
    )
    cells.ratio(ws, r, _index(PLAN_COLUMNS, "pct"), sheet, at("count"), at("quota"))
    cells.difference(ws, r, _index(PLAN_COLUMNS, "late"), sheet, at("received"), at("on_time"))
    cells.ratio(
        ws, r, _index(PLAN_COLUMNS, "reporting_rate"), sheet, at("received"), at("expected")
    )
    cells.ratio(ws, r, _index(PLAN_COLUMNS, "on_time_rate"), sheet, at("on_time"), at("expected"))


def _derived(cells: _Cells, ws: Any, r: int, columns: Columns, sheet: str) -> None:
    """The increase, share of quota, late count and rates of line ``r`` from its sums."""
    letters = _letters(columns)

    def at(key: str) -> str:
        return f"{letters[key]}{r}"

    cells.difference(ws, r, _index(columns, "increase"), sheet, at("count"), at("previous_count"))
    cells.ratio(ws, r, _index(columns, "pct"), sheet, at("count"), at("quota"))
    cells.difference(ws, r, _index(columns, "late"), sheet, at("received"), at("on_time"))
    cells.ratio(ws, r, _index(columns, "reporting_rate"), sheet, at("received"), at("expected"))
    cells.ratio(ws, r, _index(columns, "on_time_rate"), sheet, at("on_time"), at("expected"))


def _district_sheet(
    cells: _Cells,
    ws: Any,
    units: list[SummaryUnit],
    span: tuple[int, int],
    plan_quota: str,  # the plan's total quota: its cell on the plan sheet
    title: list[str],
    notice: str | None,
) -> None:
    """The 8 districts, any other district named on a unit, the units without one, then the
    province: the same sums as a plan row (domain.districts), SUMIF over the units sheet. The
    districts' quota is their units'; the no-district line takes the rest of the plan's quota,
    so the lines add up to the province."""
    u = _letters(UNIT_COLUMNS)
    d = _letters(DISTRICT_COLUMNS)
    _title(ws, title, len(DISTRICT_COLUMNS), notice)
    _header(ws, DISTRICT_HEADER_ROW, DISTRICT_COLUMNS)
    named = list(DISTRICT_NAMES)
    named += sorted({x.district for x in units if x.district and x.district not in named})
    groups: list[tuple[str, str]] = [(n, n) for n in named] + [("", NO_DISTRICT_TH)]
    first, last = span
    top = DISTRICT_HEADER_ROW + 1
    sums = ("count", "previous_count", "expected", "received", "on_time", "missing")
    for offset, (match, label) in enumerate(groups):
        r = top + offset
        cells.put(ws, r, 1, label)
        keyed = ("quota", *sums) if match else sums
        for key in keyed:
            key_range = f"'{UNITS_SHEET}'!{u['district']}{first}:{u['district']}{last}"
            value_range = f"'{UNITS_SHEET}'!{u[key]}{first}:{u[key]}{last}"
            cells.formula(
                ws,
                r,
                _index(DISTRICT_COLUMNS, key),
                f'=SUMIF({key_range},"{match}",{value_range})',
                cells.sum_if(UNITS_SHEET, u["district"], match, u[key], first, last),
            )
        if not match:
            col = d["quota"]
            named_quota = cells.total(DISTRICT_SHEET, col, top, r - 1)
            rest = cells.number(PLAN_SHEET, plan_quota) - named_quota
            cells.formula(
                ws,
                r,
                _index(DISTRICT_COLUMNS, "quota"),
                f"=MAX(0,'{PLAN_SHEET}'!{plan_quota}-SUM({col}{top}:{col}{r - 1}))",
                max(0, rest),
            )
        _derived(cells, ws, r, DISTRICT_COLUMNS, DISTRICT_SHEET)
        _style_row(ws, r, DISTRICT_COLUMNS)
    bottom = top + len(groups) - 1
    total = bottom + 1
    cells.put(ws, total, 1, TOTAL_LABEL)
    for key in ("quota", *sums):
        col = d[key]
        cells.formula(
            ws,
            total,
            _index(DISTRICT_COLUMNS, key),
            f"=SUM({col}{top}:{col}{bottom})",
            cells.total(DISTRICT_SHEET, col, top, bottom),
        )
    _derived(cells, ws, total, DISTRICT_COLUMNS, DISTRICT_SHEET)
    _style_row(ws, total, DISTRICT_COLUMNS, total=True)
    ws.freeze_panes = f"B{top}"
    a4_setup(ws, landscape=True, title_rows=f"{DISTRICT_HEADER_ROW}:{DISTRICT_HEADER_ROW}")
    _fit(ws, range(DISTRICT_HEADER_ROW, total + 1), cells.values)
    ws.flush()
