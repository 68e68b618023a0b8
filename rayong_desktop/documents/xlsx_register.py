"""The outgoing register as a workbook for the office's own book (ทะเบียนหนังสือส่ง).

One sheet, one row per letter in the order of the register, with the book's columns: the
number, its date, to whom, the subject, what the desk adds (the week, the clerk), how it was
sent and a remark (spoiled, and why; what it replaces). Text only, never formulas.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

from rayong_desktop.documents.xlsx_common import (
    BORDER,
    CENTER,
    HEADER_FILL,
    WRAP,
    a4_setup,
    font,
    put,
    save_workbook,
    set_widths,
)
from rayong_desktop.domain import calendar
from rayong_desktop.domain.letter_register import SENT_CHANNELS, RegisterEntry
from rayong_desktop.domain.thaidate import thai_date, thai_datetime

SHEET = "ทะเบียนหนังสือส่ง"
HEADERS = (
    "ลำดับ",
    "ที่",
    "ลงวันที่",
    "ถึง",
    "เรื่อง",
    "สัปดาห์",
    "ผู้ออกเลข",
    "การส่ง",
    "หมายเหตุ",
)
WIDTHS = [7.0, 20.0, 16.0, 28.0, 48.0, 13.0, 14.0, 24.0, 30.0]
LINE_POINTS = 24  # one line of 14 pt Thai, with room for marks above and below
CHARS_PER_WIDTH = 0.8  # characters (marks counted) per unit of column width at 14 pt


def lines_needed(values: Sequence[object]) -> int:
    """How many lines the row's widest wrapped cell takes (openpyxl does not size rows)."""
    return max(
        1,
        *(
            -(-len(str(v)) // int(w * CHARS_PER_WIDTH))
            for v, w in zip(values, WIDTHS, strict=True)
            if v is not None
        ),
    )


def sent_text(e: RegisterEntry) -> str:
    if e.sent_by is None or e.sent_at is None:
        return ""
    how = SENT_CHANNELS.get(e.sent_by, e.sent_by)
    return f"{how} {thai_datetime(e.sent_at.astimezone(calendar.BANGKOK))}"


def remark_text(e: RegisterEntry, by_id: dict[int, RegisterEntry]) -> str:
    parts = []
    if not e.in_force:
        parts.append(f"ยกเลิก: {e.spoil_reason or ''}".strip())
    if e.replaced_by is not None and e.replaced_by in by_id:
        parts.append(f"ใช้ฉบับลงวันที่ {thai_date(by_id[e.replaced_by].issued_on)} แทน")
    if e.replaces is not None:
        parts.append("ใช้แทนฉบับที่ยกเลิก")
    return "; ".join(parts)


def register_workbook(entries: Sequence[RegisterEntry], out: Path, *, printed_at: datetime) -> None:
    """Write the register's ``entries`` to ``out`` (.xlsx, all at once)."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    title = put(ws, 1, 1, SHEET)
    title.font = font(bold=True, size=16)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    printed = put(ws, 2, 1, f"พิมพ์เมื่อ {thai_datetime(printed_at.astimezone(calendar.BANGKOK))}")
    printed.font = font()
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADERS))
    for column, text in enumerate(HEADERS, start=1):
        cell = put(ws, 3, column, text)
        cell.font = font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = CENTER
        cell.border = BORDER
    by_id = {e.id: e for e in entries}
    for index, e in enumerate(entries, start=1):
        values: tuple[object, ...] = (
            index,
            e.reference,
            thai_date(e.issued_on, short=True),
            e.addressee,
            e.subject,
            calendar.week_label(e.week),
            e.clerk,
            sent_text(e),
            remark_text(e, by_id),
        )
        for column, value in enumerate(values, start=1):
            cell = put(ws, 3 + index, column, value)
            cell.font = font()
            cell.alignment = CENTER if column in (1, 3, 6) else WRAP
            cell.border = BORDER
        ws.row_dimensions[3 + index].height = LINE_POINTS * lines_needed(values)
    set_widths(ws, WIDTHS)
    ws.freeze_panes = "A4"
    a4_setup(ws, landscape=True, title_rows="3:3")
    save_workbook(wb, out)
