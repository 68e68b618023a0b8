"""One entry for every Excel workbook the desk writes: a report form for the units to fill, the
week's summary, the empty unit list to import.

The desk's export dialog and the command line (`form`/`summary --out F.xlsx`, `units-template`)
both build a ``WorkbookRequest`` and call ``export_workbook``; the workbooks themselves are
made by services.excel_io.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rayong_desktop.db.engine import Database
from rayong_desktop.domain import calendar
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.services import excel_io, status

WORKBOOK_KINDS = ("form", "summary", "template")


@dataclass(frozen=True)
class WorkbookRequest:
    """``kind``: form, summary or template. ``week``: any day of the week (None: the current
    reporting week; a template has none). ``unit`` / ``plan_row``: whose form (neither: every
    active unit). ``live``: the summary of a closed week with today's figures (and the line
    saying so) instead of those frozen at closing."""

    kind: str
    week: date | None = None
    unit: str | None = None
    plan_row: int | None = None
    live: bool = False  # a closed week's summary with today's figures, not the frozen ones


@dataclass(frozen=True)
class Workbook:
    path: Path
    rows: int | None = None  # a form's unit rows


def export_workbook(db: Database, request: WorkbookRequest, out: Path) -> Workbook:
    """Write the requested workbook to ``out``."""
    r = request
    if r.kind not in WORKBOOK_KINDS:
        raise RefusedError(
            f"ไม่รู้จักไฟล์ Excel '{r.kind}'", f"no such workbook: '{r.kind}'", code="bad_arguments"
        )
    out = Path(out)
    if r.kind == "template":
        excel_io.export_units_template(db, out)
        return Workbook(out)
    week = calendar.week_start(r.week) if r.week is not None else status.current_week(db)[0]
    if r.kind == "summary":
        excel_io.export_summary(db, out, week=week, live=r.live)
        return Workbook(out)
    rows = excel_io.export_form(db, out, week=week, unit=r.unit, plan_row=r.plan_row)
    return Workbook(out, rows)
