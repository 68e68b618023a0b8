"""Storing what the clerk keys: each figure goes to the services on the writes queue (typing never
waits for the disk), and its answer is written back on the row; undo and redo go the same way,
after every figure typed before them has been stored. What each write changed is announced by
the writes queue, with the keying page as its origin (it shows its own figures already).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QCoreApplication, QObject, Signal

from rayong_desktop.domain.numbers import format_int
from rayong_desktop.services import reports
from rayong_desktop.ui.context import DeskContext
from rayong_desktop.ui.keying import rows
from rayong_desktop.ui.keying.history import UndoEntry, UndoHistory, WriteBook
from rayong_desktop.ui.keying.model import KeyingModel
from rayong_desktop.ui.keying.rows import KeyRow

CORRECTION_REASON = "แก้ไขจากหน้าบันทึก"  # only when keeping one's figure over another's
DETAIL_REASON = "แก้ไขช่องทาง/ผู้รายงานจากหน้าบันทึก"
REDO_REASON = "ทำซ้ำ (redo) จากหน้าบันทึก"


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
    ) -> None:
        """Run `call(expected_version)` on the writes queue; the answer goes to the row."""
        key = (code, week)
        self.book.start(key)

        def job() -> reports.ReportResult:
            result = call(self.book.expected_version(key, seen))
            self.book.wrote(key, result.version)
            return result

        def done(result: reports.ReportResult) -> None:
            self.book.settle(key)
            self._stored(code, week, typed, before, result)

        def failed(exc: BaseException) -> None:
            self.book.settle(key)
            self._not_stored(code, week, typed, exc)

        self.ctx.writes.submit(job, done, failed, origin=self.origin)

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
            self.ctx.message.emit(getattr(exc, "th", str(exc)))
            return
        i, row = found
        if rows.mark_not_stored(row, typed, exc, QCoreApplication.translate):
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
        self.ctx.message.emit(getattr(exc, "th", str(exc)))
