"""Excel in and out: report forms for agencies, filled forms back in, the unit list, the summary.

Imports are all-or-nothing and previewed. The whole file is read and checked before anything is
kept; then every row goes through the checks of typed entry inside ONE database transaction:

* a filled form: every row through the ReportWriter, the one path that stores reports (typed
  entry uses it too), which reads the week for the whole file at once;
* a unit list: registry.add_unit_in / edit_unit_in, the cores of typed registry edits, each row
  in a savepoint of the one transaction.

A preview runs exactly the same code and rolls back. A real import commits only when no row is
refused (and, unless confirmed, none needs confirmation or would replace a stored figure);
otherwise it rolls back and nothing is written. What the preview shows is what the import does.
"""

from __future__ import annotations

import logging
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import PlanRow, Schedule, Setting, Unit, WeeklyReport
from rayong_desktop.documents import xlsx_forms, xlsx_summary, xlsx_units
from rayong_desktop.documents.xlsx_common import where
from rayong_desktop.domain import calendar, summaries
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.errors import Concern, NeedsConfirmation, RefusedError
from rayong_desktop.domain.numbers import CountError, format_int, parse_count, to_arabic_digits
from rayong_desktop.domain.registry import DISTRICTS, KINDS, normalize_code
from rayong_desktop.domain.reporting import Keyed, parse_channel
from rayong_desktop.services import registry, staging, status
from rayong_desktop.services.common import now_utc
from rayong_desktop.services.registry import (
    TEXT_LIMITS,
    find_plan_row,
    find_unit,
)
from rayong_desktop.services.report_writer import ReportResult, ReportWriter, Written
from rayong_desktop.services.settings import load_settings

Progress = Callable[[int, int], None]

# Row outcomes, as keys (JSON, tests) and as the preview shows them.
NEW, CHANGED, UNCHANGED, REFUSED, CONFIRM, BLANK = (
    "new",
    "changed",
    "unchanged",
    "refused",
    "needs_confirmation",
    "blank",
)
STATUS_TH = {
    NEW: "ใหม่",
    CHANGED: "เปลี่ยนแปลง",
    UNCHANGED: "เหมือนเดิม",
    REFUSED: "ไม่รับ",
    CONFIRM: "ต้องยืนยัน",
    BLANK: "ว่าง",
}
STATUS_ORDER = (REFUSED, CONFIRM, CHANGED, NEW, UNCHANGED, BLANK)


# ---------------------------------------------------------------- one transaction


@contextmanager
def _session(db: Database, *, commit: bool) -> Iterator[Session]:
    """A write transaction that commits (a real import) or always rolls back (a preview)."""
    if db.read_only:
        # Even a preview writes (then undoes) its rows; a damaged database is never written.
        raise RefusedError(
            "ฐานข้อมูลเปิดแบบอ่านอย่างเดียว นำเข้าไฟล์ไม่ได้ (กู้คืนจากไฟล์สำรองก่อน)",
            "the database is open read-only; nothing can be imported (restore a backup first)",
            code="read_only",
        )
    if commit:
        with db.transaction() as session:
            yield session
        return
    # A preview takes the write lock like an import (its rows are really written, then undone)
    # but skips db.before_write: the daily backup is for a change, and a preview changes nothing.
    with Session(db.engine, expire_on_commit=False) as session:
        session.begin()
        try:
            yield session
        finally:
            session.rollback()


# ---------------------------------------------------------------- filled forms: results


@dataclass(frozen=True)
class RowOutcome:
    """What one row of a filled form does (or would do)."""

    row: int
    status: str
    unit: str | None
    name: str | None
    count: int | None  # the figure stored or to be stored
    previous: int | None  # the figure stored for this unit-week before the import
    column: str | None  # the column a refusal or question is about
    th: str = ""
    en: str = ""
    concerns: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "status": self.status,
            "unit": self.unit,
            "name": self.name,
            "count": self.count,
            "previous": self.previous,
            "column": self.column,
            "message": self.en or None,
            "message_th": self.th or None,
            "concerns": list(self.concerns),
        }


@dataclass(frozen=True)
class FormImport:
    file: str
    sheet: str
    week: date
    rows: tuple[RowOutcome, ...]
    committed: bool
    confirmed: bool = False

    def with_status(self, status_key: str) -> list[RowOutcome]:
        return [r for r in self.rows if r.status == status_key]

    @property
    def counts(self) -> dict[str, int]:
        return {s: len(self.with_status(s)) for s in STATUS_ORDER}

    @property
    def refused(self) -> list[RowOutcome]:
        return self.with_status(REFUSED)

    @property
    def to_confirm(self) -> list[RowOutcome]:
        """Rows a real import stores only when confirmed: plausibility questions, corrections."""
        if self.confirmed:
            return []
        return self.with_status(CONFIRM) + self.with_status(CHANGED)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "week": calendar.week_label(self.week),
            "week_start": self.week.isoformat(),
            "committed": self.committed,
            "counts": self.counts,
            "rows": [r.as_json() for r in self.rows if r.status != BLANK],
        }


class ImportRefusedError(RefusedError):
    """A file with refused rows: nothing was written. ``result`` has every row's outcome."""

    def __init__(self, result: FormImport | UnitsImport) -> None:
        bad = [r for r in result.rows if r.status == REFUSED]
        first = bad[0]
        more_th = f" (และอีก {len(bad) - 1} แถว)" if len(bad) > 1 else ""
        more_en = f" (and {len(bad) - 1} more rows)" if len(bad) > 1 else ""
        super().__init__(
            f"{first.th}{more_th}; ไม่ได้นำเข้าข้อมูลใดจากไฟล์ {result.file}",
            f"{first.en}{more_en}; nothing was imported from {result.file}",
            code="import_refused",
        )
        self.result = result


class ImportNeedsConfirmation(NeedsConfirmation):
    """Rows needing the clerk's confirmation; nothing was written. ``result`` has every row."""

    def __init__(self, result: FormImport) -> None:
        super().__init__(Concern("import", r.th, r.en) for r in result.to_confirm)
        self.result = result


# ---------------------------------------------------------------- filled forms: import


_FORM_COLUMN_BY_CODE = {
    "unknown_unit": "code",
    "future_week": "week",
    "before_campaign": "week",
    "received_in_future": "received",
    "received_before_week": "received",
    "unknown_channel": "count",
    "bad_reporter": "reporter",
    "bad_reporter_phone": "phone",
    "bad_note": "note",
}


def _form_column(code: str) -> xlsx_forms.FormColumn:
    if code.startswith("count_"):
        return xlsx_forms.COLUMN["count"]
    return xlsx_forms.COLUMN[_FORM_COLUMN_BY_CODE.get(code, "count")]


def _at(sheet: str, row: int, key: str, th: str, en: str) -> tuple[str, str, str]:
    col = xlsx_forms.COLUMN[key]
    where_th, where_en = where(sheet, row, col.letter, col.label)
    return col.letter, f"{where_th}: {th}", f"{where_en}: {en}"


@dataclass(frozen=True)
class _Entry:
    """A form row matched to a unit, ready for the checks of record_report."""

    row: xlsx_forms.FormRow
    unit_id: int
    channel: str | None
    reason: str | None


_Outcome = ReportResult | RefusedError | NeedsConfirmation


def _record_all(
    session: Session,
    week: date,
    entries: list[_Entry],
    *,
    confirm: bool,
    progress: Progress | None,
) -> dict[int, _Outcome]:
    """Store the form's figures through the report writer, inside the caller's session.

    The same writer as typed entry (one path for every report); what the import adds is that
    the writer reads the week's reports for the whole file at once and writes the rows' history
    in one round. Returns the outcome per form row number: a ReportResult, or the refusal or
    question.
    """
    writer = ReportWriter(session)
    ids = [e.unit_id for e in entries]
    units = writer.units(ids)
    writer.prefetch_week(week, ids)
    outcomes: dict[int, _Outcome] = {}
    written: list[tuple[int, Written]] = []
    for index, entry in enumerate(entries):
        if progress is not None:
            progress(index, len(entries))
        row = entry.row
        try:
            keyed = Keyed(
                count=row.count,
                received_at=row.received,
                channel=parse_channel(entry.channel) if entry.channel else None,
                reporter=row.reporter,
                reporter_phone=row.phone,
                note=row.note,
                reason=entry.reason,
            )
            unit = units[entry.unit_id]
            written.append((row.row, writer.write(unit, week, keyed, confirm=confirm)))
        except (RefusedError, NeedsConfirmation) as exc:
            outcomes[row.row] = exc
    writer.flush()
    for number, w in written:
        outcomes[number] = w.result()
    return outcomes


def _run_form(
    session: Session,
    form: xlsx_forms.FormFile,
    *,
    file_name: str,
    confirm: bool,
    progress: Progress | None,
) -> list[RowOutcome]:
    ceiling = load_settings(session).count_ceiling
    units = {
        code: (uid, name)
        for uid, code, name in session.execute(select(Unit.id, Unit.code, Unit.name))
    }
    by_name: dict[str, list[str]] = {}
    for unit_code, (_uid, unit_name) in units.items():
        by_name.setdefault(unit_name.strip(), []).append(unit_code)
    stored: dict[int, int] = {
        unit_id: count
        for unit_id, count in session.execute(
            select(WeeklyReport.unit_id, WeeklyReport.count).where(WeeklyReport.week == form.week)
        )
    }
    reason = f"นำเข้าจากไฟล์ {file_name}"
    sheet = form.sheet
    seen: dict[str, int] = {}
    # Row number -> outcome; rows that reach record_report's checks are filled in below.
    outcomes: dict[int, RowOutcome] = {}
    entries: list[_Entry] = []
    codes: dict[int, str] = {}

    def refuse(row: xlsx_forms.FormRow, code: str | None, key: str, th: str, en: str) -> None:
        letter, full_th, full_en = _at(sheet, row.row, key, th, en)
        outcomes[row.row] = RowOutcome(
            row.row, REFUSED, code, row.name, None, None, letter, full_th, full_en
        )

    for row in form.rows:
        # Which unit: the code, else (no code at all) an exact name: a form retyped by hand
        # may lack codes. A code that is no unit is refused, whatever name stands beside it.
        code = row.code.strip().upper() if row.code else None
        if code is None and row.name is not None:
            named = by_name.get(row.name.strip(), [])
            if len(named) == 1:
                code = named[0]
        if code is None or code not in units:
            shown = row.code or row.name or ""
            refuse(
                row,
                row.code,
                "code",
                f"ไม่พบหน่วยรหัส/ชื่อ '{shown}' ในทะเบียน",
                f"no unit with code or name '{shown}' in the registry",
            )
            continue
        if code in seen:
            refuse(
                row,
                code,
                "code",
                f"หน่วย {code} ซ้ำกับแถว {seen[code]}",
                f"unit {code} appears twice (also row {seen[code]})",
            )
            continue
        seen[code] = row.row
        if row.problem is not None:
            key, th, en = row.problem
            refuse(row, code, key, th, en)
            continue
        unit_id, name = units[code]
        previous = stored.get(unit_id)
        if row.count is None:
            if row.blank:
                outcomes[row.row] = RowOutcome(row.row, BLANK, code, name, None, previous, None)
            else:
                refuse(
                    row,
                    code,
                    "count",
                    "กรอกรายละเอียดไว้แต่ไม่ได้กรอกจำนวนสมาชิก",
                    "the row is filled in but the count is blank",
                )
            continue
        try:
            value: int | None = parse_count(row.count, ceiling=ceiling)
        except CountError:
            value = None  # refused below with the unit and week named, as typed entry does
        # A form repeating the stored figure keeps the report's channel (it is unchanged);
        # a new or different figure came by this file.
        channel = None if previous is not None and previous == value else "import"
        entries.append(_Entry(row, unit_id, channel, reason if previous is not None else None))
        codes[row.row] = code

    results = _record_all(session, form.week, entries, confirm=confirm, progress=progress)
    for entry in entries:
        row, code = entry.row, codes[entry.row.row]
        name = units[code][1]
        previous = stored.get(entry.unit_id)
        result = results[row.row]
        if isinstance(result, NeedsConfirmation):
            letter, th, en = _at(
                sheet,
                row.row,
                "count",
                result.th.replace("\n", "; "),
                result.en.replace("\n", "; "),
            )
            outcomes[row.row] = RowOutcome(
                row.row,
                CONFIRM,
                code,
                name,
                parse_count(row.count, ceiling=ceiling),
                previous,
                letter,
                th,
                en,
                tuple(c.code for c in result.concerns),
            )
        elif isinstance(result, RefusedError):
            col = _form_column(result.code)
            letter, th, en = _at(sheet, row.row, col.key, result.th, result.en)
            outcomes[row.row] = RowOutcome(
                row.row, REFUSED, code, name, None, previous, letter, th, en
            )
        else:
            status_key = {"stored": NEW, "corrected": CHANGED}.get(result.outcome, UNCHANGED)
            th = en = ""
            if status_key == CHANGED:
                _letter, th, en = _at(
                    sheet,
                    row.row,
                    "count",
                    f"{code}: แก้ไขยอดที่บันทึกไว้ {format_int(previous or 0)} "
                    f"เป็น {format_int(result.count)}",
                    f"{code}: replaces the stored {format_int(previous or 0)} "
                    f"with {format_int(result.count)}",
                )
            outcomes[row.row] = RowOutcome(
                row.row,
                status_key,
                code,
                name,
                result.count,
                previous,
                None,
                th,
                en,
                result.confirmed,
            )
    if progress is not None:
        progress(len(entries), len(entries))
    return [outcomes[r.row] for r in form.rows]


_T = TypeVar("_T")


def _read_file(path: Path, read: Callable[[Path], _T]) -> _T:
    """`read(path)`, refused in one message when `path` is a folder or its compressed data is
    damaged (which the container checks cannot see: they read only the zip's directory)."""
    if path.is_dir():
        raise RefusedError(
            f"{path} เป็นโฟลเดอร์ ไม่ใช่ไฟล์ Excel",
            f"{path} is a folder, not an Excel file",
            code="not_a_file",
        )
    try:
        return read(path)
    except (zlib.error, zipfile.BadZipFile, EOFError) as exc:
        raise RefusedError(
            f"ไฟล์ {path.name} เสียหาย อ่านไม่ได้ (อาจดาวน์โหลดไม่สมบูรณ์)",
            f"file {path.name} is damaged and cannot be read ({exc})",
            code="damaged_xlsx",
        ) from exc


_WEEK_LABEL_RE = re.compile(r"\b(\d{4})\s*-?\s*[Ww]\s*(\d{1,2})\b")


def _check_shown_week(form: xlsx_forms.FormFile) -> None:
    """The hidden week marker must be the week the form shows (its title's ISO week): a form
    whose two disagree is refused, never stored in either week by guess."""
    found = _WEEK_LABEL_RE.search(to_arabic_digits(form.shown_week or ""))
    if found is None:
        return  # no week shown (a form built before the line existed): the marker decides
    shown = f"{found.group(1)}-W{int(found.group(2)):02d}"
    marker = calendar.week_label(form.week)
    if shown != marker:
        where_th, where_en = where(form.sheet, xlsx_forms.WEEK_LINE_ROW, "A")
        raise RefusedError(
            f"{where_th}: แบบรายงานแสดงสัปดาห์ {shown} แต่ข้อมูลสัปดาห์ที่ซ่อนไว้คือ {marker} "
            f"({form.week.isoformat()}) ไฟล์อาจถูกแก้ไข กรุณาใช้แบบรายงานที่ส่งออกใหม่",
            f"{where_en}: the form shows week {shown} but its hidden week marker is {marker} "
            f"({form.week.isoformat()}); the file was altered: use a newly exported form",
            code="week_mismatch",
        )


def _form_outcome(
    db: Database, path: Path, *, confirm: bool, commit: bool, progress: Progress | None
) -> FormImport:
    path = Path(path)
    form = _read_file(path, xlsx_forms.read_form)
    _check_shown_week(form)
    with _session(db, commit=commit) as session:
        rows = _run_form(session, form, file_name=path.name, confirm=confirm, progress=progress)
        result = FormImport(
            path.name, form.sheet, form.week, tuple(rows), committed=commit, confirmed=confirm
        )
        # Raised inside the transaction so that it rolls back: all or nothing.
        if commit and result.refused:
            raise ImportRefusedError(_uncommitted(result))
        if commit and result.to_confirm:
            raise ImportNeedsConfirmation(_uncommitted(result))
    return result


def _uncommitted(result: FormImport) -> FormImport:
    return FormImport(
        result.file,
        result.sheet,
        result.week,
        result.rows,
        committed=False,
        confirmed=result.confirmed,
    )


def preview_forms(
    db: Database, path: Path, *, confirm: bool = False, progress: Progress | None = None
) -> FormImport:
    """What importing the filled form would do, row by row; nothing is written.

    Refuses (WorkbookError) a file that is unsafe or not a form; row problems are outcomes.
    """
    return _form_outcome(db, path, confirm=confirm, commit=False, progress=progress)


def import_forms(
    db: Database, path: Path, *, confirm: bool = False, progress: Progress | None = None
) -> FormImport:
    """Import a filled form in one transaction.

    Raises ImportRefusedError if any row is refused and ImportNeedsConfirmation if, without
    ``confirm``, a figure needs confirmation or would replace one already stored; in both cases
    nothing is written. ``confirm`` accepts both kinds of row.
    """
    done = _form_outcome(db, path, confirm=confirm, commit=True, progress=progress)
    logging.getLogger(__name__).info("imported forms from %s: %s", path, done.counts)
    return done


# ---------------------------------------------------------------- unit list


@dataclass(frozen=True)
class UnitOutcome:
    row: int
    status: str  # new | changed | unchanged | refused
    code: str | None
    name: str | None
    changes: tuple[str, ...] = ()  # fields an existing unit would change
    column: str | None = None
    th: str = ""
    en: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "status": self.status,
            "code": self.code,
            "name": self.name,
            "changes": list(self.changes),
            "column": self.column,
            "message": self.en or None,
            "message_th": self.th or None,
        }


@dataclass(frozen=True)
class UnitsImport:
    file: str
    sheet: str
    rows: tuple[UnitOutcome, ...]
    committed: bool
    views: tuple[registry.UnitView, ...] = field(default=(), repr=False)

    @property
    def counts(self) -> dict[str, int]:
        return {
            s: sum(1 for r in self.rows if r.status == s)
            for s in (REFUSED, NEW, CHANGED, UNCHANGED)
        }

    @property
    def refused(self) -> list[UnitOutcome]:
        return [r for r in self.rows if r.status == REFUSED]

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "committed": self.committed,
            "counts": self.counts,
            "rows": [r.as_json() for r in self.rows],
        }


_UNIT_COLUMN_BY_CODE = {
    "bad_code": "code",
    "duplicate_code": "code",
    "unknown_unit": "code",
    "blank_name": "name",
    "unknown_plan_row": "plan_row",
    "unknown_kind": "kind",
    "unknown_district": "district",
    "bad_quota": "quota",
}
_UNIT_TH = {c.key: c.th for c in xlsx_units.UNIT_COLUMNS}
# The registry's editable fields, less the start date (the unit sheet has no column for it).
_UNIT_EDITABLE = tuple(f for f in registry.EDITABLE if f != "active_from")


def _unit_column(code: str, values: dict[str, str]) -> str | None:
    if code == "too_long":
        return next((k for k, limit in TEXT_LIMITS.items() if len(values.get(k, "")) > limit), None)
    return _UNIT_COLUMN_BY_CODE.get(code)


def _run_units(
    db: Database,
    session: Session,
    sheet: xlsx_units.UnitSheet,
    *,
    file_name: str,
    progress: Progress | None,
) -> tuple[list[UnitOutcome], list[registry.UnitView]]:
    before = {v.code: v for v in registry.units_in(session)}
    reason = f"นำเข้าจากไฟล์ {file_name}"
    seen: dict[str, int] = {}
    outcomes: list[UnitOutcome] = []
    views: list[registry.UnitView] = []
    total = len(sheet.rows)

    def refuse(row: xlsx_units.UnitSheetRow, key: str | None, th: str, en: str) -> None:
        letter = sheet.columns.get(key) if key else None
        label = (key, _UNIT_TH[key]) if key else None
        where_th, where_en = where(sheet.sheet, row.row, letter, label)
        outcomes.append(
            UnitOutcome(
                row.row,
                REFUSED,
                row.values.get("code"),
                row.values.get("name"),
                (),
                letter,
                f"{where_th}: {th}",
                f"{where_en}: {en}",
            )
        )

    for index, row in enumerate(sheet.rows):
        if progress is not None:
            progress(index, total)
        values = row.values
        if row.problem is not None:
            key, th, en = row.problem
            refuse(row, key, th, en)
            continue
        raw_code = values.get("code")
        if raw_code is None:
            refuse(row, "code", "ไม่ได้กรอกรหัสหน่วย", "the unit code is blank")
            continue
        try:
            code = normalize_code(raw_code)
        except RefusedError as exc:
            refuse(row, "code", exc.th, exc.en)
            continue
        if code in seen:
            refuse(
                row,
                "code",
                f"รหัส {code} ซ้ำกับแถว {seen[code]}",
                f"code {code} appears twice (also row {seen[code]})",
            )
            continue
        seen[code] = row.row
        fields: dict[str, Any] = {k: v for k, v in values.items() if k in _UNIT_EDITABLE}
        if row.plan_row is not None:
            fields["plan_row"] = row.plan_row
        try:
            if code in before:
                # Blank cells keep what the registry has: a partial list only updates.
                with session.begin_nested():  # a refused row leaves no trace
                    view = registry.edit_unit_in(session, code, fields, reason=reason)
                old, new = before[code].as_json(), view.as_json()
                changed = tuple(k for k in _UNIT_EDITABLE if old[k] != new[k])
                status_key = CHANGED if changed else UNCHANGED
            else:
                if "name" not in fields:
                    refuse(row, "name", "ไม่ได้กรอกชื่อหน่วยงาน", "the unit name is blank")
                    continue
                if "plan_row" not in fields:
                    refuse(row, "plan_row", "ไม่ได้กรอกลำดับแผน", "the plan row is blank")
                    continue
                with session.begin_nested():
                    view = registry.add_unit_in(
                        session,
                        code=code,
                        name=fields["name"],
                        plan_row=fields["plan_row"],
                        kind=fields.get("kind"),
                        district=fields.get("district"),
                        quota=fields.get("quota"),
                        contact=fields.get("contact"),
                        phone=fields.get("phone"),
                        fax=fields.get("fax"),
                        email=fields.get("email"),
                        note=fields.get("note"),
                    )
                changed, status_key = (), NEW
        except RefusedError as exc:
            refuse(row, _unit_column(exc.code, values), exc.th, exc.en)
            continue
        views.append(view)
        outcomes.append(UnitOutcome(row.row, status_key, code, view.name, changed))
    if progress is not None:
        progress(total, total)
    return outcomes, views


# What a units import reads besides the units: a change to these meanwhile refuses its write.
_UNITS_DEPEND_ON = [staging.table_of(m) for m in (Unit, PlanRow, Schedule, Setting)]


def _units_outcome(
    db: Database, path: Path, *, commit: bool, progress: Progress | None
) -> UnitsImport:
    path = Path(path)
    sheet = _read_file(path, xlsx_units.read_units)

    def run(session: Session) -> UnitsImport:
        rows, views = _run_units(db, session, sheet, file_name=path.name, progress=progress)
        result = UnitsImport(path.name, sheet.sheet, tuple(rows), commit, tuple(views))
        if commit and result.refused:
            raise ImportRefusedError(
                UnitsImport(path.name, sheet.sheet, tuple(rows), False, tuple(views))
            )
        return result

    if db.is_sqlite and not db.read_only:
        # The rows' checks run on a copy; the file's write lock is held for the final write only
        # (a preview never takes it): other clerks' writes do not wait minutes behind a long list.
        if not commit:
            return staging.run_on_copy(db, run)
        return staging.write_via_copy(
            db, run, tables=[staging.table_of(Unit)], depends_on=_UNITS_DEPEND_ON
        )
    with _session(db, commit=commit) as session:
        return run(session)


def preview_units(db: Database, path: Path, *, progress: Progress | None = None) -> UnitsImport:
    """What importing the unit list would do, row by row; nothing is written."""
    return _units_outcome(db, path, commit=False, progress=progress)


def import_units(db: Database, path: Path, *, progress: Progress | None = None) -> UnitsImport:
    """Add the new units and update the listed existing ones, all in one transaction.

    Raises ImportRefusedError, writing nothing, if any row is refused.
    """
    done = _units_outcome(db, path, commit=True, progress=progress)
    logging.getLogger(__name__).info("imported units from %s: %s", path, done.counts)
    return done


def export_units_template(db: Database, out: Path) -> None:
    with db.reading() as session:
        rows = [
            (r.number, r.name) for r in session.scalars(select(PlanRow).order_by(PlanRow.number))
        ]
    xlsx_units.build_units_template(
        Path(out),
        plan_rows=rows,
        kinds=[(k.code, k.th, k.short_th) for k in KINDS],
        districts=list(DISTRICTS),
    )


# ---------------------------------------------------------------- exports


def export_form(
    db: Database,
    out: Path,
    *,
    week: date,
    unit: str | None = None,
    plan_row: int | None = None,
) -> int:
    """Write a report form for one unit, one plan row's active units, or every active unit.

    Returns the number of unit rows written.
    """
    if unit is not None and plan_row is not None:
        raise RefusedError(
            "เลือกได้อย่างใดอย่างหนึ่ง: หน่วยหรือลำดับแผน",
            "give either a unit or a plan row, not both",
            code="bad_choice",
        )
    week = calendar.week_start(week)
    with db.reading() as session:
        settings = load_settings(session)
        query = (
            select(Unit.code, Unit.name, Unit.quota)
            .join(PlanRow, PlanRow.id == Unit.plan_row_id)
            .order_by(PlanRow.number, Unit.code)
        )
        if unit is not None:
            found = find_unit(session, unit)
            query = query.where(Unit.id == found.id)
            scope = f"{found.code} {found.name}"
        elif plan_row is not None:
            row = find_plan_row(session, plan_row)
            query = query.where(Unit.plan_row_id == row.id, Unit.active.is_(True))
            scope = f"แผนลำดับที่ {row.number}"
        else:
            query = query.where(Unit.active.is_(True))
            scope = "ทุกหน่วย"
        units = [xlsx_forms.FormUnit(c, n, q) for c, n, q in session.execute(query)]
    if not units:
        raise RefusedError(
            "ไม่มีหน่วยที่ยังใช้งานให้ใส่ในแบบรายงาน",
            "there are no active units to put on the form",
            code="no_units",
        )
    heading = xlsx_forms.FormHeading(
        week=week,
        scope=scope,
        office_name=settings.office_name,
        office_phone=settings.office_phone,
        oa_name=settings.oa_name,
        count_ceiling=settings.count_ceiling,
    )
    return xlsx_forms.build_form(Path(out), heading, units)


def _local(moment: datetime | None) -> datetime | None:
    # Excel cells have no time zone: write the Bangkok wall-clock time the office reads.
    return None if moment is None else moment.astimezone(BANGKOK).replace(tzinfo=None)


def weekly_history(
    db: Database,
    week: date,
    *,
    summary: summaries.WeekSummary | None = None,
    closed: bool = False,
) -> Iterator[xlsx_summary.HistoryRow]:
    """Every unit-week from the campaign's first week to ``week`` in which the unit was expected
    or reported, figured exactly as the week's status figures it (summaries.summarize_week),
    week by week in order. ``summary``: the week's status (status.week_summary), if at hand;
    with ``closed``, the figures frozen when the week was closed, which are then the lines of
    ``week`` itself (the earlier weeks are figured from the reports as they stand).

    Streamed: the reports are read in week order in batches and each campaign week is figured
    as soon as its reports are in, so only the units' latest reports are held, never the whole
    history (~150,000 reports in a big province)."""
    week = calendar.week_start(week)
    if summary is None:
        summary = status.week_summary(db, week)
    # The earlier weeks are figured for the units and plan rows as they stand, as an open
    # week's history is (a unit registered since the close keeps its earlier lines).
    live = status.week_summary(db, week) if closed else summary
    campaign = status.campaign_info(db)
    units = [u.unit for u in live.units]
    plan_rows = [r.row for r in live.plan_rows]
    weeks = [w for w in calendar.campaign_weeks(campaign.start, campaign.end) if w <= week]
    if not weeks:
        return
    query = (
        select(
            WeeklyReport.week,
            WeeklyReport.unit_id,
            WeeklyReport.count,
            WeeklyReport.received_at,
        )
        .where(WeeklyReport.week <= weeks[-1])
        .order_by(WeeklyReport.week)
        .execution_options(yield_per=_HISTORY_BATCH)
    )
    last: dict[int, summaries.ReportInfo] = {}
    with db.reading() as session:
        by_week = groupby(session.execute(query), key=lambda line: line.week)
        pending = next(by_week, None)
        for w in weeks:
            this_week: dict[int, summaries.ReportInfo] = {}
            while pending is not None and pending[0] <= w:
                reported, lines = pending
                reports = {
                    unit_id: summaries.ReportInfo(unit_id, reported, count, received)
                    for _w, unit_id, count, received in lines
                }
                if reported == w:
                    this_week = reports
                elif reported < weeks[0]:
                    # Reports before the campaign's first week still count as a unit's earlier
                    # figure (a report of any other week outside the campaign does not).
                    last.update(reports)
                pending = next(by_week, None)
            picture = (
                summary
                if closed and w == week
                else summaries.summarize_week(
                    w,
                    units=units,
                    plan_rows=plan_rows,
                    this_week=this_week,
                    previous=dict(last),
                    campaign=campaign,
                )
            )
            for uw in picture.units:
                if uw.expected or uw.reported:
                    yield xlsx_summary.HistoryRow(
                        code=uw.unit.code,
                        name=uw.unit.name,
                        plan_row=uw.unit.plan_row,
                        week=w,
                        count=uw.count,
                        expected=uw.expected,
                        reported=uw.reported,
                        on_time=uw.on_time if uw.reported else None,
                        late_by_minutes=uw.late_by_minutes,
                    )
            last.update(this_week)


_HISTORY_BATCH = 5000  # reports fetched at a time


@dataclass(frozen=True)
class _History:
    """The summary workbook's history: weekly_history, read afresh each time it is iterated
    (the workbook streams it once, as it writes the history sheet)."""

    db: Database
    week: date
    summary: summaries.WeekSummary
    closed: bool  # the summary is the week's frozen figures

    def __iter__(self) -> Iterator[xlsx_summary.HistoryRow]:
        return weekly_history(self.db, self.week, summary=self.summary, closed=self.closed)


def summary_book(db: Database, week: date, *, live: bool = False) -> xlsx_summary.SummaryBook:
    """The summary workbook's contents: a closed week's frozen figures unless ``live``, as its
    summary PDF and letter print them (status.week_picture); its history is read from the
    database as it is written (build_summary), not here."""
    week = calendar.week_start(week)
    picture = status.week_picture(db, week, live=live)
    summary = picture.summary
    with db.reading() as session:
        settings = load_settings(session)
    units = tuple(
        xlsx_summary.SummaryUnit(
            plan_row=uw.unit.plan_row,
            code=uw.unit.code,
            name=uw.unit.name,
            kind=uw.unit.kind,
            district=uw.unit.district,
            quota=uw.unit.quota,
            count=uw.count,
            reported_count=uw.reported_count,
            previous_count=uw.previous_count,
            increase=uw.increase,
            expected=uw.expected,
            received=uw.expected and uw.reported,
            on_time=uw.expected and uw.reported and uw.on_time,
            missing=uw.missing,
            received_at=_local(uw.received_at),
            late_by_minutes=uw.late_by_minutes,
        )
        for uw in summary.units
    )
    plan_rows = tuple(
        xlsx_summary.SummaryPlanRow(r.row.number, r.row.name, r.row.quota)
        for r in summary.plan_rows
    )
    generated = _local(now_utc())
    assert generated is not None
    return xlsx_summary.SummaryBook(
        week=week,
        oa_name=settings.oa_name,
        office_name=settings.office_name,
        stated_quota=summary.stated_quota,
        plan_rows=plan_rows,
        units=units,
        history=_History(db, week, summary, closed=picture.frozen is not None),
        generated_at=generated,
        notice=picture.notice,
    )


def export_summary(db: Database, out: Path, *, week: date, live: bool = False) -> None:
    """The week's summary workbook: plan rows and province as formulas over the unit lines,
    and the weekly history in long format; a closed week's frozen figures unless ``live``."""
    xlsx_summary.build_summary(Path(out), summary_book(db, week, live=live))
