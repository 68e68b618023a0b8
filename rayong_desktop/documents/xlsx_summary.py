"""The week's summary as a workbook the office can check and pivot.

Sheet "สรุปรายแผน" has a line per plan row and the province, every total a formula over the unit
lines of sheet "รายหน่วย" (SUM over the row's unit range, percentages as divisions), so a clerk
can click any figure and see where it comes from. Sheet "ประวัติรายสัปดาห์" is the history in long
format (one line per unit and week) as an Excel table, ready for a pivot table.

Plain data in; the service computes the figures (services.status.week_summary).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from rayong_desktop.documents.xlsx_common import (
    BORDER,
    CENTER,
    HEADER_FILL,
    TOTAL_FILL,
    WRAP,
    a4_setup,
    font,
    put,
    put_formula,
    save_workbook,
    set_widths,
)
from rayong_desktop.domain import calendar
from rayong_desktop.domain.thaidate import thai_week_range

PLAN_SHEET = "สรุปรายแผน"
UNITS_SHEET = "รายหน่วย"
HISTORY_SHEET = "ประวัติรายสัปดาห์"
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
    history: tuple[HistoryRow, ...]
    generated_at: datetime  # naive Bangkok wall time


# (key, Thai header, width, number format)
UNIT_COLUMNS: tuple[tuple[str, str, float, str | None], ...] = (
    ("plan_row", "ลำดับแผน", 8, None),
    ("code", "รหัสหน่วย", 12, None),
    ("name", "ชื่อหน่วยงาน", 40, None),
    ("kind", "ประเภท", 12, None),
    ("district", "อำเภอ", 12, None),
    ("quota", "เป้าหมาย", 11, INT_FORMAT),
    ("count", "จำนวนสมาชิกสะสม", 13, INT_FORMAT),
    ("reported_count", "รายงานสัปดาห์นี้", 13, INT_FORMAT),
    ("previous_count", "ยอดครั้งก่อน", 12, INT_FORMAT),
    ("increase", "เพิ่มขึ้น", 11, INT_FORMAT),
    ("pct", "ร้อยละของเป้า", 10, PCT_FORMAT),
    ("expected", "ต้องส่ง", 8, None),
    ("received", "ส่งแล้ว", 8, None),
    ("on_time", "ตรงเวลา", 8, None),
    ("missing", "ขาดส่ง", 8, None),
    ("received_at", "เวลารับรายงาน", 17, TIME_FORMAT),
    ("late", "ช้า (นาที)", 9, INT_FORMAT),
)
PLAN_COLUMNS: tuple[tuple[str, str, float, str | None], ...] = (
    ("number", "ลำดับ", 7, None),
    ("name", "เป้าหมาย/หน่วยงานรับผิดชอบ", 44, None),
    ("quota", "เป้าหมายตามแผน", 12, INT_FORMAT),
    ("units_quota", "รวมเป้าหน่วย", 12, INT_FORMAT),
    ("count", "จำนวนสมาชิกสะสม", 13, INT_FORMAT),
    ("previous_count", "ยอดครั้งก่อน", 12, INT_FORMAT),
    ("increase", "เพิ่มขึ้น", 11, INT_FORMAT),
    ("pct", "ร้อยละของเป้า", 10, PCT_FORMAT),
    ("expected", "ต้องส่ง", 8, None),
    ("received", "ส่งแล้ว", 8, None),
    ("on_time", "ตรงเวลา", 8, None),
    ("late", "ส่งช้า", 8, None),
    ("missing", "ขาดส่ง", 8, None),
    ("reporting_rate", "อัตราการส่ง", 10, PCT_FORMAT),
    ("on_time_rate", "อัตราส่งตรงเวลา", 11, PCT_FORMAT),
)
HISTORY_COLUMNS: tuple[tuple[str, str, float, str | None], ...] = (
    ("code", "รหัสหน่วย", 12, None),
    ("name", "ชื่อหน่วยงาน", 40, None),
    ("plan_row", "ลำดับแผน", 9, None),
    ("week", "สัปดาห์", 10, None),
    ("week_start", "วันจันทร์ของสัปดาห์", 13, DATE_FORMAT),
    ("count", "จำนวนสมาชิกสะสม", 13, INT_FORMAT),
    ("expected", "ต้องส่ง", 8, None),
    ("reported", "ส่งแล้ว", 8, None),
    ("on_time", "ตรงเวลา", 8, None),
    ("late", "ช้า (นาที)", 9, INT_FORMAT),
)


def _letters(columns: tuple[tuple[str, str, float, str | None], ...]) -> dict[str, str]:
    return {key: get_column_letter(i) for i, (key, *_rest) in enumerate(columns, start=1)}


def _header(ws: Any, row: int, columns: tuple[tuple[str, str, float, str | None], ...]) -> None:
    for index, (_key, th, _width, _fmt) in enumerate(columns, start=1):
        cell = put(ws, row, index, th)
        cell.font = font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = CENTER
    ws.row_dimensions[row].height = 40
    set_widths(ws, [c[2] for c in columns])


def _title(ws: Any, lines: list[str], last_column: int) -> None:
    for row, text in enumerate(lines, start=1):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_column)
        cell = put(ws, row, 1, text)
        cell.font = font(bold=row == 1, size=16 if row == 1 else 14)
        cell.alignment = WRAP


def _style_row(
    ws: Any,
    row: int,
    columns: tuple[tuple[str, str, float, str | None], ...],
    *,
    total: bool = False,
) -> None:
    body = font(bold=total)
    for index, (_key, _th, _width, fmt) in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=index)
        cell.font = body
        cell.border = BORDER
        if fmt:
            cell.number_format = fmt
        if total:
            cell.fill = TOTAL_FILL


def _flag(value: bool) -> int:
    # 1/0 rather than text so that SUM and pivot tables count them.
    return 1 if value else 0


def build_summary(out: Path, book: SummaryBook) -> None:
    wb = Workbook()
    plan_ws = wb.active
    plan_ws.title = PLAN_SHEET
    units_ws = wb.create_sheet(UNITS_SHEET)
    history_ws = wb.create_sheet(HISTORY_SHEET)
    week_text = f"สัปดาห์ {calendar.week_label(book.week)} ({thai_week_range(book.week)})"
    generated = f"จัดทำเมื่อ {book.generated_at:%Y-%m-%d %H:%M} น. โดย {book.office_name}"

    # ---- units: one line per unit, then a total line
    u = _letters(UNIT_COLUMNS)
    _title(
        units_ws,
        [f"จำนวนสมาชิก LINE OA “{book.oa_name}” รายหน่วย", f"{week_text}  ·  {generated}"],
        len(UNIT_COLUMNS),
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
            "kind": unit.kind,
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
                put(units_ws, r, index, values[key])
        if unit.count is not None and unit.quota > 0:
            pct = f"={u['count']}{r}/{u['quota']}{r}"
            put_formula(units_ws, r, _index(UNIT_COLUMNS, "pct"), pct)
        _style_row(units_ws, r, UNIT_COLUMNS)
    last = first + len(units) - 1
    total_row = last + 1
    put(units_ws, total_row, 3, "รวมทั้งจังหวัด")
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
            put_formula(
                units_ws, total_row, _index(UNIT_COLUMNS, key), f"=SUM({col}{first}:{col}{last})"
            )
        put_formula(
            units_ws,
            total_row,
            _index(UNIT_COLUMNS, "increase"),
            f"={u['count']}{total_row}-{u['previous_count']}{total_row}",
        )
        put_formula(
            units_ws,
            total_row,
            _index(UNIT_COLUMNS, "pct"),
            _ratio(f"{u['count']}{total_row}", f"{u['quota']}{total_row}"),
        )
    _style_row(units_ws, total_row, UNIT_COLUMNS, total=True)
    units_ws.freeze_panes = f"D{first}"
    units_ws.auto_filter.ref = f"A{UNITS_HEADER_ROW}:{get_column_letter(len(UNIT_COLUMNS))}{last}"
    a4_setup(units_ws, landscape=True, title_rows=f"{UNITS_HEADER_ROW}:{UNITS_HEADER_ROW}")

    # ---- plan rows: formulas over each row's unit lines
    p = _letters(PLAN_COLUMNS)
    _title(
        plan_ws,
        [
            f"สรุปจำนวนสมาชิก LINE OA “{book.oa_name}” ตามแผน",
            f"{week_text}  ·  {generated}",
            "ตัวเลขรวมทุกช่องเป็นสูตรจากแผ่นงาน “รายหน่วย” คลิกที่ช่องเพื่อดูที่มา (หน่วยที่ยังไม่ส่งสัปดาห์นี้ใช้ยอดครั้งล่าสุด)",
        ],
        len(PLAN_COLUMNS),
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
        put(plan_ws, r, 1, plan_row.number)
        put(plan_ws, r, 2, plan_row.name).alignment = WRAP
        put(plan_ws, r, 3, plan_row.quota)
        span = ranges.get(plan_row.number)
        for key, unit_key in sums.items():
            column = _index(PLAN_COLUMNS, key)
            if span is None:
                put(plan_ws, r, column, 0)  # no units: nothing to add up
            else:
                ref = f"'{UNITS_SHEET}'!{u[unit_key]}{span[0]}:{u[unit_key]}{span[1]}"
                put_formula(plan_ws, r, column, f"=SUM({ref})")
        _plan_derived(plan_ws, r, p)
        _style_row(plan_ws, r, PLAN_COLUMNS)
    plan_last = plan_first + len(book.plan_rows) - 1
    plan_total = plan_last + 1
    put(plan_ws, plan_total, 2, "รวมทั้งจังหวัด")
    for key in ("quota", *sums):
        col = p[key]
        put_formula(
            plan_ws,
            plan_total,
            _index(PLAN_COLUMNS, key),
            f"=SUM({col}{plan_first}:{col}{plan_last})",
        )
    _plan_derived(plan_ws, plan_total, p)
    _style_row(plan_ws, plan_total, PLAN_COLUMNS, total=True)
    if book.stated_quota is not None:
        note = plan_total + 2
        put(plan_ws, note, 2, "ยอดรวมตามที่พิมพ์ในแผน").font = font()
        put(plan_ws, note, 3, book.stated_quota).number_format = INT_FORMAT
        put(plan_ws, note + 1, 2, "ผลรวมรายแถว ต่างจากยอดที่พิมพ์").font = font()
        diff = put_formula(plan_ws, note + 1, 3, f"={p['quota']}{plan_total}-C{note}")
        diff.number_format = INT_FORMAT
    plan_ws.freeze_panes = f"C{plan_first}"
    a4_setup(plan_ws, landscape=True, title_rows=f"{PLAN_HEADER_ROW}:{PLAN_HEADER_ROW}")

    # ---- weekly history, long format
    _header(history_ws, 1, HISTORY_COLUMNS)
    for offset, h in enumerate(book.history):
        r = 2 + offset
        line = (
            h.code,
            h.name,
            h.plan_row,
            calendar.week_label(h.week),
            h.week,
            h.count,
            _flag(h.expected),
            _flag(h.reported),
            None if h.on_time is None else _flag(h.on_time),
            h.late_by_minutes,
        )
        for index, value in enumerate(line, start=1):
            put(history_ws, r, index, value)
        history_ws.cell(row=r, column=5).number_format = DATE_FORMAT
        history_ws.cell(row=r, column=6).number_format = INT_FORMAT
    if book.history:
        ref = f"A1:{get_column_letter(len(HISTORY_COLUMNS))}{len(book.history) + 1}"
        table = Table(displayName="weekly_history", ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        history_ws.add_table(table)
    history_ws.freeze_panes = "A2"
    a4_setup(history_ws, landscape=False, title_rows="1:1")
    save_workbook(wb, out)


def _col(
    columns: tuple[tuple[str, str, float, str | None], ...], key: str
) -> tuple[str, str, float, str | None]:
    return next(c for c in columns if c[0] == key)


def _index(columns: tuple[tuple[str, str, float, str | None], ...], key: str) -> int:
    return columns.index(_col(columns, key)) + 1


def _ratio(part: str, whole: str) -> str:
    # Blank rather than #DIV/0! when nothing is expected or there is no quota.
    return f'=IF({whole}=0,"",{part}/{whole})'


def _plan_derived(ws: Any, r: int, p: dict[str, str]) -> None:
    put_formula(
        ws, r, _index(PLAN_COLUMNS, "increase"), f"={p['count']}{r}-{p['previous_count']}{r}"
    )
    put_formula(ws, r, _index(PLAN_COLUMNS, "pct"), _ratio(f"{p['count']}{r}", f"{p['quota']}{r}"))
    put_formula(ws, r, _index(PLAN_COLUMNS, "late"), f"={p['received']}{r}-{p['on_time']}{r}")
    put_formula(
        ws,
        r,
        _index(PLAN_COLUMNS, "reporting_rate"),
        _ratio(f"{p['received']}{r}", f"{p['expected']}{r}"),
    )
    put_formula(
        ws,
        r,
        _index(PLAN_COLUMNS, "on_time_rate"),
        _ratio(f"{p['on_time']}{r}", f"{p['expected']}{r}"),
    )
