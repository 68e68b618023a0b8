"""The weekly report form as an Excel workbook: built for agencies to fill, read back when returned.

Plain data in and out; the service decides which units, checks figures and stores them.

Layout of sheet "แบบรายงาน": a title block (rows 1-4), the header on row 6, one row per unit from
row 7. Columns A-D (code, name, quota, week) are locked; E-I (count, received time, reporter,
phone, remarks) are the only editable cells. The week the form is for lives in the hidden,
structure-locked sheet "meta" (and is shown on row 2 and in column D for people), so an import
never has to guess it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from rayong_desktop.documents.xlsx_common import (
    BORDER,
    CENTER,
    HEADER_FILL,
    INPUT_FILL,
    MAX_COLUMNS,
    MAX_ROWS,
    WRAP,
    WorkbookError,
    a4_setup,
    cell_text,
    fit_column_widths,
    fit_row_heights,
    font,
    open_workbook,
    put,
    save_workbook,
    set_widths,
    too_many_rows,
)
from rayong_desktop.domain import calendar
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.numbers import to_arabic_digits
from rayong_desktop.domain.thaidate import ce_year, thai_week_range

FORM_SHEET = "แบบรายงาน"
META_SHEET = "meta"
META_MARK = "rayong-desk-form"
FORM_VERSION = 1
HEADER_ROW = 6
FIRST_ROW = HEADER_ROW + 1
RECEIVED_FORMAT = "yyyy-mm-dd hh:mm"
FONT_BODY = 14
_RECEIVED_RE = re.compile(
    r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})[ T]+([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?"
)


@dataclass(frozen=True)
class FormColumn:
    key: str
    letter: str
    th: str
    en: str
    editable: bool
    width: float  # the least width; fit_column_widths widens a column its values need
    short_th: str  # the column's name in messages
    older: tuple[str, ...] = ()  # headers earlier versions of the form wrote (still read)

    @property
    def label(self) -> tuple[str, str]:
        return self.en, self.short_th


FORM_COLUMNS: tuple[FormColumn, ...] = (
    FormColumn("code", "A", "รหัสหน่วย", "unit code", False, 10, "รหัสหน่วย"),
    FormColumn("name", "B", "ชื่อหน่วยงาน", "unit name", False, 34, "ชื่อหน่วยงาน"),
    FormColumn("quota", "C", "เป้าหมาย (ราย)", "quota", False, 9, "เป้าหมาย", ("เป้าหมาย (คน)",)),
    FormColumn("week", "D", "สัปดาห์ที่รายงาน", "week", False, 19, "สัปดาห์"),
    FormColumn(
        "count",
        "E",
        "จำนวนผู้เข้าร่วมกลุ่มสะสม (ราย)",
        "count",
        True,
        13,
        "จำนวนสมาชิก",
        ("จำนวนสมาชิกสะสม (คน)",),
    ),
    FormColumn(
        "received",
        "F",
        "วันเวลาที่รายงาน (ค.ศ. ปปปป-ดด-วว ชช:นน)",
        "received time",
        True,
        20,
        "วันเวลาที่รายงาน",
    ),
    FormColumn("reporter", "G", "ผู้รายงาน", "reporter", True, 16, "ผู้รายงาน"),
    FormColumn("phone", "H", "โทรศัพท์", "phone", True, 13, "โทรศัพท์"),
    FormColumn("note", "I", "หมายเหตุ", "remarks", True, 18, "หมายเหตุ"),
)
COLUMN = {c.key: c for c in FORM_COLUMNS}
# A typed remark may spill over; a unit name and the week must not (the week into the count).
WRAPPED = frozenset({"name", "week"})
TOP = Alignment(vertical="top")


def count_rule(cell: str, ceiling: int) -> str:
    """The count cells' validation: a whole number from 0 to ``ceiling``, or text.

    The instruction row invites "๑,๒๕๐"; no spreadsheet reads Thai digits or a typed thousands
    separator as a number in every locale, so such an entry stays text and a "whole number"
    rule would mark it invalid. Text is accepted here and checked by the import, which reads
    Thai and Arabic digits with separators and refuses anything else naming the cell.
    IF, not OR: INT of text is an error, and OR(TRUE, error) is an error, which fails the rule.
    """
    number = f"AND({cell}>=0,{cell}<={ceiling},INT({cell})={cell})"
    return f"IF(ISNUMBER({cell}),{number},ISTEXT({cell}))"


INPUT_KEYS = tuple(c.key for c in FORM_COLUMNS if c.editable)


@dataclass(frozen=True)
class FormUnit:
    code: str
    name: str
    quota: int


@dataclass(frozen=True)
class FormHeading:
    week: date  # Monday
    scope: str  # who the form is for, in Thai: "ทุกหน่วย", a plan row, or one unit
    office_name: str
    office_phone: str
    oa_name: str
    count_ceiling: int


@dataclass(frozen=True)
class FormRow:
    """One filled row as read: raw count (the service validates it), parsed received time."""

    row: int
    code: str | None
    name: str | None
    count: str | int | float | None
    received: datetime | None  # aware, Bangkok; None when blank
    reporter: str | None
    phone: str | None
    note: str | None
    # A cell that could not be read: (column key, Thai, English). The row is then refused.
    problem: tuple[str, str, str] | None = None

    @property
    def blank(self) -> bool:
        return all(
            v is None
            for v in (self.count, self.received, self.reporter, self.phone, self.note, self.problem)
        )


@dataclass(frozen=True)
class FormFile:
    week: date
    sheet: str
    rows: tuple[FormRow, ...]
    # The week line above the table as the clerk sees it (cell A2), to check the hidden marker.
    shown_week: str | None = None


# ---------------------------------------------------------------- building


def build_form(out: Path, heading: FormHeading, units: list[FormUnit]) -> int:
    """Write the form; returns the number of unit rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = FORM_SHEET
    last_col = FORM_COLUMNS[-1].letter
    week_text = f"{calendar.week_label(heading.week)} ({thai_week_range(heading.week)})"

    title = f"แบบรายงานจำนวนผู้เข้าร่วมกลุ่ม LINE Official Account “{heading.oa_name}”"
    lines = (
        (title, True, 18),
        (f"สัปดาห์ที่รายงาน {week_text}  ·  {heading.scope}", True, FONT_BODY),
        (
            f"ส่งคืน {heading.office_name}"
            + (f" โทร. {heading.office_phone}" if heading.office_phone else ""),
            False,
            FONT_BODY,
        ),
        (
            "กรอกเฉพาะช่องสีเหลือง: จำนวนผู้เข้าร่วมกลุ่มสะสมเป็นตัวเลข (เช่น 1250 หรือ ๑,๒๕๐), "
            "วันเวลาที่รายงานแบบ ค.ศ. ปปปป-ดด-วว ชช:นน (เช่น 2020-05-07 10:30) "
            "ผู้รายงาน โทรศัพท์ และหมายเหตุ  ห้ามแก้ไขรหัสหน่วยและแผ่นงานนี้",
            False,
            FONT_BODY - 2,
        ),
    )
    for row, (text, bold, size) in enumerate(lines, start=1):
        ws.merge_cells(f"A{row}:{last_col}{row}")
        cell = put(ws, row, 1, text)
        cell.font = font(bold=bold, size=size)
        cell.alignment = WRAP

    for index, col in enumerate(FORM_COLUMNS, start=1):
        cell = put(ws, HEADER_ROW, index, col.th)
        cell.font = font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = CENTER
    set_widths(ws, [c.width for c in FORM_COLUMNS])

    body, unlocked = font(), Protection(locked=False)
    week_cell = thai_week_range(heading.week)
    for offset, unit in enumerate(units):
        row = FIRST_ROW + offset
        values: dict[str, object] = {
            "code": unit.code,
            "name": unit.name,
            "quota": unit.quota,
            "week": week_cell,
        }
        for index, col in enumerate(FORM_COLUMNS, start=1):
            cell = put(ws, row, index, values.get(col.key))
            cell.font = body
            cell.border = BORDER
            cell.alignment = WRAP if col.key in WRAPPED else TOP
            if col.editable:
                cell.fill = INPUT_FILL
                cell.protection = unlocked
            if col.key in ("quota", "count"):
                cell.number_format = "#,##0"
            elif col.key == "received":
                cell.number_format = RECEIVED_FORMAT
            elif col.key in ("phone", "reporter", "note"):
                cell.number_format = "@"  # phone numbers keep their leading 0

    last_row = FIRST_ROW + max(len(units), 1) - 1
    count = COLUMN["count"].letter
    check = DataValidation(
        type="custom",
        formula1=count_rule(f"{count}{FIRST_ROW}", heading.count_ceiling),
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle="จำนวนไม่ถูกต้อง",
        error=(
            f"กรอกจำนวนเต็มตั้งแต่ 0 ถึง {heading.count_ceiling:,} "
            "เป็นเลขอารบิกหรือเลขไทย เช่น 1250 หรือ ๑,๒๕๐"
        ),
        promptTitle="จำนวนผู้เข้าร่วมกลุ่มสะสม",
        prompt="ยอดรวมผู้เข้าร่วมกลุ่มทั้งหมดจนถึงสัปดาห์นี้ เช่น 1250 หรือ ๑,๒๕๐",
    )
    check.add(f"{count}{FIRST_ROW}:{count}{last_row}")
    ws.add_data_validation(check)

    ws.freeze_panes = f"C{FIRST_ROW}"
    # Protected without a password: it stops accidental edits of the layout; a password kept in
    # this program's source would protect nothing more.
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # let people widen a column to read a long name
    ws.protection.formatRows = False
    a4_setup(ws, landscape=True, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    fit_column_widths(ws, range(HEADER_ROW, last_row + 1))
    fit_row_heights(ws, range(1, last_row + 1))
    # "&" starts a header code (page number, font); the OA's name must print as written.
    header = f"{title} สัปดาห์ {calendar.week_label(heading.week)}".replace("&", "&&")
    ws.oddHeader.center.text = header

    meta = wb.create_sheet(META_SHEET)
    for row, (key, value) in enumerate(
        (
            ("form", META_MARK),
            ("version", FORM_VERSION),
            ("week", heading.week.isoformat()),
            ("sheet", FORM_SHEET),
        ),
        start=1,
    ):
        meta.cell(row=row, column=1, value=key)
        meta.cell(row=row, column=2, value=value)
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    wb.security.lockStructure = True  # the hidden sheet cannot be shown or deleted by accident
    save_workbook(wb, out)
    return len(units)


# ---------------------------------------------------------------- reading


def _not_a_form(path: Path, th: str, en: str) -> WorkbookError:
    return WorkbookError(
        f"ไฟล์ {path.name}: {th} (ใช้แบบรายงานที่ส่งออกจากโปรแกรมนี้)",
        f"file {path.name}: {en} (use a form exported by the desk)",
        code="not_a_form",
    )


def _read_week(path: Path, wb: Any) -> date:
    if META_SHEET not in wb.sheetnames:
        raise _not_a_form(path, "ไม่พบข้อมูลสัปดาห์ของแบบรายงาน", "it has no week marker")
    meta: dict[str, object] = {}
    for row in wb[META_SHEET].iter_rows(min_row=1, max_row=20, max_col=2, values_only=True):
        if row and row[0] is not None:
            meta[str(row[0]).strip()] = row[1] if len(row) > 1 else None
    if meta.get("form") != META_MARK:
        raise _not_a_form(path, "ไม่ใช่แบบรายงานของโปรแกรม", "it is not a desk form")
    raw = meta.get("week")
    try:
        week = date.fromisoformat(str(raw).strip())
    except ValueError:
        raise _not_a_form(
            path, f"ข้อมูลสัปดาห์ '{raw}' ไม่ถูกต้อง", f"its week marker '{raw}' is not a date"
        ) from None
    if week.weekday() != 0:
        raise _not_a_form(
            path, f"ข้อมูลสัปดาห์ '{raw}' ไม่ใช่วันจันทร์", f"its week marker '{raw}' is not a Monday"
        )
    return week


HEADER_SEARCH_ROWS = 20
WEEK_LINE_ROW = 2  # "สัปดาห์ที่รายงาน 2020-W21 (...)" in the title block


def _header_of(row: tuple[Any, ...]) -> dict[str, int] | None:
    """Where each known column is, if this row is the header row (code and count present)."""
    by_th = {th: c.key for c in FORM_COLUMNS for th in (c.th, *c.older)}
    found = {by_th[t]: i for i, v in enumerate(row) if (t := cell_text(v)) in by_th}
    return found if "code" in found and "count" in found else None


def parse_received(value: object) -> datetime | None:
    """An Excel date-time or text "YYYY-MM-DD HH:MM" (Bangkok time); blank gives None.

    Raises ValueError with a reason for anything else.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        raise ValueError("date without a time")
    elif isinstance(value, time):
        raise ValueError("time without a date")
    elif isinstance(value, str):
        match = _RECEIVED_RE.fullmatch(to_arabic_digits(value.strip()))
        if match is None:
            raise ValueError("not in the form YYYY-MM-DD HH:MM")
        year, month, day, hour, minute = (int(g) for g in match.groups()[:5])
        second = int(match.group(6) or 0)
        moment = datetime(year, month, day, hour, minute, second)
    else:
        raise ValueError("not a date and time")
    # A Buddhist Era year typed into a date (2563 for 2020) is read as what the clerk meant.
    moment = moment.replace(year=ce_year(moment.year))
    if moment.tzinfo is None:
        return moment.replace(tzinfo=BANGKOK)
    return moment.astimezone(BANGKOK)


def _read_row(number: int, cells: tuple[Any, ...], where: dict[str, int]) -> FormRow:
    def get(key: str) -> Any:
        index = where.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    count = get("count")
    if isinstance(count, str) and not count.strip():
        count = None
    problem: tuple[str, str, str] | None = None
    try:
        received = parse_received(get("received"))
    except ValueError as exc:
        received = None
        shown = " ".join(str(get("received")).split())[:30]
        problem = (
            "received",
            f"อ่านวันเวลา '{shown}' ไม่ได้ ใช้รูปแบบ ค.ศ. ปปปป-ดด-วว ชช:นน เช่น 2020-05-07 10:30",
            f"cannot read the time '{shown}' ({exc}); write e.g. 2020-05-07 10:30",
        )
    return FormRow(
        row=number,
        code=cell_text(get("code")),
        name=cell_text(get("name")),
        count=count,
        received=received,
        reporter=cell_text(get("reporter")),
        phone=cell_text(get("phone")),
        note=cell_text(get("note")),
        problem=problem,
    )


def read_form(path: Path) -> FormFile:
    """Read a returned form. Refuses (WorkbookError) a file that is unsafe or not a form."""
    labels = {FORM_SHEET: {c.letter: c.label for c in FORM_COLUMNS}}
    with open_workbook(path, labels=labels) as wb:
        week = _read_week(path, wb)
        if FORM_SHEET not in wb.sheetnames:
            raise _not_a_form(path, f"ไม่พบแผ่นงาน {FORM_SHEET}", f"it has no sheet {FORM_SHEET}")
        ws = wb[FORM_SHEET]
        # The stored dimension may be wrong (too small: rows lost; absurdly large: a million
        # empty rows); read the rows actually present instead.
        ws.reset_dimensions()
        where: dict[str, int] | None = None
        rows: list[FormRow] = []
        shown_week: str | None = None
        # One pass over the sheet: the header near the top, then the unit rows.
        for number, cells in enumerate(
            ws.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1
        ):
            if number > MAX_ROWS:
                raise too_many_rows(path, ws.title, MAX_ROWS)
            if number == WEEK_LINE_ROW and cells:
                shown_week = cell_text(cells[0])
            if where is None:
                where = _header_of(cells)
                if where is None and number >= HEADER_SEARCH_ROWS:
                    break
                continue
            row = _read_row(number, cells, where)
            if row.blank and row.code is None and row.name is None:
                continue  # empty rows below the table
            rows.append(row)
        if where is None:
            raise _not_a_form(
                path,
                f"ไม่พบแถวหัวตาราง (รหัสหน่วย, จำนวนสมาชิกสะสม) ในแผ่นงาน {ws.title}",
                f"no header row (unit code, count) in sheet {ws.title}",
            )
        return FormFile(week=week, sheet=ws.title, rows=tuple(rows), shown_week=shown_week)
