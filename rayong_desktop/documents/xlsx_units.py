"""The province's list of reporting units as a simple sheet: a template to fill, and its reader.

One row per unit under a header row. Columns are found by their header, in Thai (as the template
writes them) or by the English key, so a list kept elsewhere can be imported after renaming its
headers. Only code, name and plan row are required.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from rayong_desktop.documents.xlsx_common import (
    BORDER,
    CENTER,
    HEADER_FILL,
    MAX_COLUMNS,
    MAX_ROWS,
    WRAP,
    WorkbookError,
    a4_setup,
    cell_text,
    font,
    open_workbook,
    put,
    save_workbook,
    set_widths,
    too_many_rows,
)
from rayong_desktop.domain.numbers import to_arabic_digits

UNITS_SHEET = "รายชื่อหน่วย"
HELP_SHEET = "คำอธิบาย"
TEMPLATE_ROWS = 2000  # rows prepared with drop-down lists; more can be added below


@dataclass(frozen=True)
class UnitColumn:
    key: str
    th: str
    required: bool
    width: float
    hint: str


UNIT_COLUMNS: tuple[UnitColumn, ...] = (
    UnitColumn("code", "รหัสหน่วย", True, 14, "อักษรอังกฤษ ตัวเลข - _ . ไม่เกิน 20 ตัว เช่น SAO-KLG-01"),
    UnitColumn("name", "ชื่อหน่วยงาน", True, 40, "ชื่อเต็ม เช่น องค์การบริหารส่วนตำบล..."),
    UnitColumn("plan_row", "ลำดับแผน", True, 10, "ลำดับที่ในแผน (1-11) ที่หน่วยนี้รายงานในนาม"),
    UnitColumn("kind", "ประเภท", False, 12, "อบจ. ทน. ทม. ทต. อบต. สถ.อ. หรือ หน่วยงาน"),
    UnitColumn("district", "อำเภอ", False, 14, "ชื่ออำเภอในจังหวัดระยอง"),
    UnitColumn("quota", "เป้าหมาย (คน)", False, 12, "ว่างไว้ = ขั้นต่ำตามหนังสือสำหรับ อปท."),
    UnitColumn("contact", "ผู้ประสานงาน", False, 24, "ชื่อผู้ประสานงาน"),
    UnitColumn("phone", "โทรศัพท์", False, 16, ""),
    UnitColumn("fax", "โทรสาร", False, 16, ""),
    UnitColumn("email", "อีเมล", False, 24, ""),
    UnitColumn("note", "หมายเหตุ", False, 30, ""),
)
UNIT_KEYS = tuple(c.key for c in UNIT_COLUMNS)


@dataclass(frozen=True)
class UnitSheetRow:
    """One unit as read. Text as typed (trimmed); blank cells are absent from ``values``."""

    row: int
    values: dict[str, str]
    plan_row: int | None
    # A cell that could not be read: (column key, Thai, English). The row is then refused.
    problem: tuple[str, str, str] | None = None


@dataclass(frozen=True)
class UnitSheet:
    sheet: str
    header_row: int
    columns: dict[str, str]  # key -> column letter, for messages
    rows: tuple[UnitSheetRow, ...]


# ---------------------------------------------------------------- template


def build_units_template(
    out: Path,
    *,
    plan_rows: list[tuple[int, str]],
    kinds: list[tuple[str, str, str]],
    districts: list[tuple[str, str]],
) -> None:
    """An empty list to fill, with drop-downs and a sheet explaining every column.

    ``kinds`` are (code, Thai name, Thai short form); ``districts`` (code, Thai name).
    """
    wb = Workbook()
    ws = wb.active
    ws.title = UNITS_SHEET
    for index, col in enumerate(UNIT_COLUMNS, start=1):
        cell = put(ws, 1, index, col.th)
        cell.font = font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = CENTER
    set_widths(ws, [c.width for c in UNIT_COLUMNS])
    ws.freeze_panes = "A2"
    last = TEMPLATE_ROWS + 1
    letters = {c.key: _letter(i) for i, c in enumerate(UNIT_COLUMNS)}
    for key in ("code", "phone", "fax"):
        # Text columns keep the leading zeros of phone numbers (a column style, not 6,000 cells).
        ws.column_dimensions[letters[key]].number_format = "@"

    # Lists live on the help sheet so the drop-downs stay within Excel's 255-character limit.
    help_ws = wb.create_sheet(HELP_SHEET)
    help_ws.column_dimensions["A"].width = 22
    help_ws.column_dimensions["B"].width = 70
    row = 1
    put(help_ws, row, 1, "วิธีกรอกรายชื่อหน่วย").font = font(bold=True, size=16)
    row += 1
    put(
        help_ws,
        row,
        1,
        "หนึ่งแถวต่อหนึ่งหน่วย ช่องที่ต้องกรอก: รหัสหน่วย ชื่อหน่วยงาน ลำดับแผน "
        "หน่วยที่มีรหัสอยู่แล้วจะถูกปรับตามช่องที่กรอก (ช่องว่างคงค่าเดิม) "
        "หัวคอลัมน์ใช้ชื่อภาษาอังกฤษในวงเล็บแทนได้",
    ).alignment = WRAP
    help_ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    help_ws.row_dimensions[row].height = 48
    row += 2
    for col in UNIT_COLUMNS:
        put(help_ws, row, 1, f"{col.th} ({col.key})").font = font(bold=col.required)
        put(help_ws, row, 2, ("ต้องกรอก  " if col.required else "") + col.hint).font = font()
        row += 1
    row += 1
    put(help_ws, row, 1, "ประเภท").font = font(bold=True)
    kinds_from = row + 1
    for code, th, short in kinds:
        row += 1
        put(help_ws, row, 1, short)
        put(help_ws, row, 2, f"{th} ({code})")
    kinds_to = row
    row += 2
    put(help_ws, row, 1, "อำเภอ").font = font(bold=True)
    districts_from = row + 1
    for code, name in districts:
        row += 1
        put(help_ws, row, 1, name)
        put(help_ws, row, 2, code)
    districts_to = row
    row += 2
    put(help_ws, row, 1, "ลำดับแผน").font = font(bold=True)
    for number, name in plan_rows:
        row += 1
        put(help_ws, row, 1, number)
        put(help_ws, row, 2, name).alignment = WRAP

    def choice(column: str, first: int, last_row: int) -> DataValidation:
        dv = DataValidation(
            type="list",
            formula1=f"'{HELP_SHEET}'!$A${first}:$A${last_row}",
            allow_blank=True,
            showErrorMessage=False,  # other spellings (codes, full names) are accepted too
        )
        dv.add(f"{letters[column]}2:{letters[column]}{last}")
        return dv

    ws.add_data_validation(choice("kind", kinds_from, kinds_to))
    ws.add_data_validation(choice("district", districts_from, districts_to))
    quota_check = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        error="เป้าหมายต้องเป็นจำนวนเต็มตั้งแต่ 0 ขึ้นไป",
    )
    quota_check.add(f"{letters['quota']}2:{letters['quota']}{last}")
    ws.add_data_validation(quota_check)
    a4_setup(ws, landscape=True, title_rows="1:1")
    save_workbook(wb, out)


# ---------------------------------------------------------------- reading


def _names(col: UnitColumn) -> set[str]:
    return {col.th.casefold(), col.key.casefold(), f"{col.th} ({col.key})".casefold()}


def _find_header(path: Path, ws: Any) -> tuple[int, dict[str, int]]:
    wanted = {name: col.key for col in UNIT_COLUMNS for name in _names(col)}
    rows = ws.iter_rows(min_row=1, max_row=10, max_col=MAX_COLUMNS, values_only=True)
    for number, row in enumerate(rows, start=1):
        found: dict[str, int] = {}
        for index, value in enumerate(row):
            text = (cell_text(value) or "").rstrip("*").strip().casefold()
            if text in wanted and wanted[text] not in found:
                found[wanted[text]] = index
        if "code" in found and "name" in found:
            missing = [c.th for c in UNIT_COLUMNS if c.required and c.key not in found]
            if missing:
                raise WorkbookError(
                    f"ไฟล์ {path.name} แผ่นงาน {ws.title}: ไม่มีคอลัมน์ {', '.join(missing)}",
                    f"file {path.name}, sheet {ws.title}: no column "
                    + ", ".join(c.key for c in UNIT_COLUMNS if c.required and c.key not in found),
                    code="missing_column",
                )
            return number, found
    raise WorkbookError(
        f"ไฟล์ {path.name}: ไม่พบแถวหัวตาราง (รหัสหน่วย ชื่อหน่วยงาน ลำดับแผน) ในแผ่นงาน {ws.title}",
        f"file {path.name}: no header row (code, name, plan_row) in sheet {ws.title}",
        code="not_a_unit_list",
    )


def _plan_row(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = to_arabic_digits(str(value).strip())
    if not text.isascii() or not text.isdigit():
        raise ValueError
    return int(text)


def read_units(path: Path) -> UnitSheet:
    """Read a unit list: the sheet named like the template's, else the first sheet."""
    with open_workbook(path) as wb:
        name = UNITS_SHEET if UNITS_SHEET in wb.sheetnames else wb.sheetnames[0]
        ws = wb[name]
        ws.reset_dimensions()  # read the rows present, not what the stored dimension claims
        header, where = _find_header(path, ws)
        width = max(where.values()) + 1
        rows: list[UnitSheetRow] = []
        for number, cells in enumerate(
            ws.iter_rows(min_row=header + 1, max_col=width, values_only=True), start=header + 1
        ):
            if number > MAX_ROWS:
                raise too_many_rows(path, ws.title, MAX_ROWS)
            values: dict[str, str] = {}
            raw_plan_row: object = None
            for key, index in where.items():
                raw = cells[index] if index < len(cells) else None
                text = cell_text(raw)
                if text is not None:
                    values[key] = text
                    if key == "plan_row":
                        raw_plan_row = raw
            if not values:
                continue
            plan_row: int | None = None
            problem: tuple[str, str, str] | None = None
            if raw_plan_row is not None:
                try:
                    plan_row = _plan_row(raw_plan_row)
                except ValueError:
                    shown = values["plan_row"][:30]
                    problem = (
                        "plan_row",
                        f"ลำดับแผน '{shown}' ต้องเป็นตัวเลขจำนวนเต็ม",
                        f"plan row '{shown}' must be a whole number",
                    )
            rows.append(UnitSheetRow(number, values, plan_row, problem))
        letters = {key: _letter(index) for key, index in where.items()}
        return UnitSheet(sheet=ws.title, header_row=header, columns=letters, rows=tuple(rows))


def _letter(index: int) -> str:
    return str(get_column_letter(index + 1))
