"""Storing what the clerk keys: each figure goes to the services on the writes queue (typing never
waits for the disk), and its answer is written back on the row; undo and redo go the same way,
after every figure typed before them has been stored. What each write changed is announced by
the writes queue, with the keying page as its origin (it shows its own figures already).

A figure whose write fails because the database cannot be reached (an outage) is not lost: it
stays typed in its cell, marked as waiting, and is sent again when the database answers (the
window's poll, a screen's load) or at the next retry, later and later. A retry of a figure whose
first write was stored after all (the answer was lost with the connection) comes back as
"unchanged": the expected version makes sure it is never stored twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from rayong_desktop.domain import calendar
from rayong_desktop.domain.numbers import CountError, format_int, parse_count
from rayong_desktop.services import desk, reports
from rayong_desktop.services.database import Database, is_connection_error
from rayong_desktop.ui import i18n
from rayong_desktop.ui.context import DeskContext
from rayong_desktop.ui.keying import rows
from rayong_desktop.ui.keying.history import Key, UndoEntry, UndoHistory, WriteBook
from rayong_desktop.ui.keying.model import KeyingModel
from rayong_desktop.ui.keying.rows import KeyRow
from rayong_desktop.ui.page import RETRY_DELAYS_MS, Page

CORRECTION_REASON = "แก้ไขจากหน้าบันทึก"  # only when keeping one's figure over another's
DETAIL_REASON = "แก้ไขช่องทาง/ผู้รายงานจากหน้าบันทึก"
REDO_REASON = "ทำซ้ำ (redo) จากหน้าบันทึก"


@dataclass(frozen=True)
class Queued:
    """A write that failed for an outage, to be made again as it was."""

    seen: int
    call: Callable[[int], reports.ReportResult]
    typed: str
    before: int | None


class KeyingWriter(QObject):
    """Writes the keying grid's figures; the page tells it the week and the received time."""

    rowSettled = Signal(int)  # noqa: N815 (source row: an answer changed what it shows)
    historyChanged = Signal()  # noqa: N815

    def __init__(
        self,
        ctx: DeskContext,
        model: KeyingModel,
        reception: Callable[[], tuple[reports.Reception, datetime | None]],
        origin: QObject,
    ) -> None:
        super().__init__(origin)
        self.origin = origin  # the page: it shows its own changes already
        self.ctx = ctx
        self.model = model
        self.reception = reception  # the session's received time (the bar above the grid)
        self.week: date | None = None
        self.history = UndoHistory()
        self.book = WriteBook()
        self.queued: dict[Key, Queued] = {}  # figures waiting for the database to come back
        self._retries = 0
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self.retry_queued)
        if isinstance(origin, Page):
            origin.reachable.connect(self.retry_queued)

    def submit(self, source_row: int, typed: str, *, confirm: bool) -> None:
        row = self.model.rows[source_row]
        week = self.week
        assert week is not None
        rows.start_saving(row, typed)
        self.model.row_changed(source_row)
        db = self.ctx.db
        # The row's own received time, else the session's for a first figure; a correction
        # keeps the time first received unless one is typed in its row.
        unstated = (reports.Reception.UNSTATED, None)
        mode, received = row.reception or (self.reception() if row.version is None else unstated)
        code, channel, reporter, phone = row.code, row.channel, row.reporter, row.reporter_phone
        before, reason = row.count, row.reason

        def call(seen: int) -> reports.ReportResult:
            return reports.record_report(
                db,
                unit_code=code,
                week=week,
                count=typed,
                received_at=received,
                reception=mode,
                channel=channel,
                reporter=reporter,
                reporter_phone=phone,
                confirm=confirm,
                reason=reason or (CORRECTION_REASON if seen else None),
                # 0 for "I saw none": a figure someone else stored meanwhile is a conflict.
                expected_version=seen,
                allow_correction=True,
            )

        self._write(code, week, row.version or 0, call, typed, before)

    def details(self, source_row: int) -> None:
        """Changing how or by whom an already stored figure came is a correction of it; so is
        a received time typed in its row (with the reason the clerk gave)."""
        row = self.model.rows[source_row]
        week = self.week
        assert week is not None and row.count is not None and row.version is not None
        db, code, count, seen = self.ctx.db, row.code, row.count, row.version
        channel, reporter, phone = row.channel, row.reporter or "", row.reporter_phone or ""
        mode, received = row.reception or (reports.Reception.UNSTATED, None)
        reason = row.reason or DETAIL_REASON
        typed = str(count)
        row.draft, row.state = typed, rows.SAVING
        self.model.row_changed(source_row)

        def call(version: int) -> reports.ReportResult:
            return reports.record_report(
                db,
                unit_code=code,
                week=week,
                count=count,
                received_at=received,
                reception=mode,
                channel=channel,
                reporter=reporter,
                reporter_phone=phone,
                confirm=True,  # the figure itself is unchanged and was accepted before
                reason=reason,
                expected_version=version,
                allow_correction=True,
            )

        self._write(code, week, seen, call, typed, count)

    def _write(
        self,
        code: str,
        week: date,
        seen: int,
        call: Callable[[int], reports.ReportResult],
        typed: str,
        before: int | None,
        *,
        retry: bool = False,
    ) -> None:
        """Run `call(expected_version)` on the writes queue; the answer goes to the row."""
        key = (code, week)
        self.queued.pop(key, None)  # a newer figure for the unit-week replaces a waiting one
        self.book.start(key)
        db = self.ctx.db

        def job() -> reports.ReportResult:
            try:
                result = call(self.book.expected_version(key, seen))
            except reports.ConflictError as exc:
                if not (retry and exc.current_count == _value(typed)):
                    raise
                # Stored already: by the try whose answer the outage lost (or the same figure
                # by someone else). Either way it is there once, as typed.
                result = _already_stored(db, code, week)
            self.book.wrote(key, result.version)
            return result

        def done(result: reports.ReportResult) -> None:
            self.book.settle(key)
            if not self.queued:
                self._retries = 0
            self._stored(code, week, typed, before, result)

        def failed(exc: BaseException) -> None:
            self.book.settle(key)
            if is_connection_error(exc):
                self._queue(key, Queued(seen, call, typed, before))
            else:
                self._not_stored(code, week, typed, exc)

        self.ctx.writes.submit(job, done, failed, origin=self.origin)

    def _queue(self, key: Key, queued: Queued) -> None:
        """The database could not be reached: the figure waits, marked in its cell."""
        self.queued[key] = queued
        self.ctx.message.emit(self.tr("เชื่อมต่อฐานข้อมูลไม่ได้"))
        found = self._find(*key)
        if found is not None and found[1].draft == queued.typed:
            i, row = found
            row.state = rows.FAILED
            row.message = self.tr("เชื่อมต่อฐานข้อมูลไม่ได้ · รอส่งใหม่")
            self.model.row_changed(i)
            self.rowSettled.emit(i)
        if not self._retry.isActive():
            self._retry.start(RETRY_DELAYS_MS[min(self._retries, len(RETRY_DELAYS_MS) - 1)])
            self._retries += 1

    def retry_queued(self) -> None:
        """Send again the figures that waited for the database (the ones still as typed)."""
        self._retry.stop()
        for key, q in list(self.queued.items()):
            found = self._find(*key)
            if found is not None:
                i, row = found
                if row.draft != q.typed:  # typed again or dropped (Esc) meanwhile
                    del self.queued[key]
                    continue
                rows.start_saving(row, q.typed)
                self.model.row_changed(i)
            self._write(key[0], key[1], q.seen, q.call, q.typed, q.before, retry=True)

    def _find(self, code: str, week: date) -> tuple[int, KeyRow] | None:
        if week != self.week:
            return None
        i = self.model.row_of(code)
        return None if i is None else (i, self.model.rows[i])

    def _stored(
        self, code: str, week: date, typed: str, before: int | None, result: reports.ReportResult
    ) -> None:
        if result.outcome != "unchanged":
            self.history.stored(UndoEntry(code, week, result.count, result.version, before))
            self.historyChanged.emit()
        found = self._find(code, week)
        if found is None:
            return
        i, row = found
        rows.mark_stored(row, typed, result)
        self.model.row_changed(i)
        self.rowSettled.emit(i)

    def _not_stored(self, code: str, week: date, typed: str, exc: BaseException) -> None:
        found = self._find(code, week)
        if found is None:
            self.ctx.message.emit(i18n.error_text(exc))
            return
        i, row = found
        if rows.mark_not_stored(row, typed, exc, QCoreApplication.translate, i18n.error_text):
            self.model.row_changed(i)
            self.rowSettled.emit(i)

    # ---------------------------------------------------------------- undo / redo

    def undo(self) -> None:
        # The figure just typed may still be on its way: undo must take back that one.
        self.ctx.writes.drain(self._undo)

    def _undo(self) -> None:
        entry = self.history.take_undo()
        if entry is None:
            self.ctx.message.emit(self.tr("ไม่มีรายการให้เลิกทำ"))
            return
        self.historyChanged.emit()
        db = self.ctx.db

        def job() -> reports.ReportResult | None:
            return reports.undo_report(
                db, unit_code=entry.code, week=entry.week, expected_version=entry.version
            )

        def done(result: reports.ReportResult | None) -> None:
            self.history.undone(entry, None if result is None else result.version)
            self.historyChanged.emit()
            found = self._find(entry.code, entry.week)
            if found is not None:
                i, row = found
                rows.mark_undone(row, entry.count, result, QCoreApplication.translate)
                self.model.row_changed(i)
                self.rowSettled.emit(i)
            self.ctx.message.emit(self.tr("เลิกทำแล้ว:") + f" {entry.code} {format_int(entry.count)}")

        self.ctx.writes.submit(job, done, self._tell_failure, origin=self.origin)

    def redo(self) -> None:
        self.ctx.writes.drain(self._redo)

    def _redo(self) -> None:
        entry = self.history.take_redo()
        if entry is None:
            self.ctx.message.emit(self.tr("ไม่มีรายการให้ทำซ้ำ"))
            return
        self.historyChanged.emit()
        db = self.ctx.db
        seen = entry.undone_version

        def job() -> reports.ReportResult:
            return reports.record_report(
                db,
                unit_code=entry.code,
                week=entry.week,
                count=entry.count,
                confirm=True,  # it was accepted (and confirmed if it had to be) before
                reason=REDO_REASON if seen is not None else None,
                expected_version=seen or 0,
                allow_correction=True,
            )

        def done(result: reports.ReportResult) -> None:
            self.history.redone(entry, result.count, result.version)
            self.historyChanged.emit()
            found = self._find(entry.code, entry.week)
            if found is not None:
                i, row = found
                rows.mark_redone(row, result)
                self.model.row_changed(i)
                self.rowSettled.emit(i)
            self.ctx.message.emit(self.tr("ทำซ้ำแล้ว:") + f" {entry.code} {format_int(entry.count)}")

        self.ctx.writes.submit(job, done, self._tell_failure, origin=self.origin)

    def _tell_failure(self, exc: BaseException) -> None:
        if is_connection_error(exc):
            self.ctx.message.emit(self.tr("เชื่อมต่อฐานข้อมูลไม่ได้"))
        else:
            self.ctx.message.emit(i18n.error_text(exc))


def _value(typed: str) -> int | None:
    try:
        return parse_count(typed, ceiling=10**12)
    except CountError:
        return None


def _already_stored(db: Database, code: str, week: date) -> reports.ReportResult:
    """The unit-week's stored figure, as the answer to a write that found it already there."""
    (g,) = desk.grid_rows(db, week, codes=[code])
    assert g.count is not None and g.version is not None and g.received_at is not None
    return reports.ReportResult(
        unit=code,
        week=week,
        count=g.count,
        version=g.version,
        outcome="unchanged",
        confirmed=(reports.RECEIVED_ON_TIME,) if g.received_on_time else (),
        due_at=g.due_at,
        received_at=g.received_at,
        late_by_minutes=calendar.late_minutes(g.received_at, g.due_at),
    )
