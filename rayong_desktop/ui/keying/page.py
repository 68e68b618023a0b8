"""Key in reports: a grid of units where the clerk types a count and moves on.

The count column takes the keyboard: typing any digit (Arabic or Thai) opens the cell, Enter,
Tab, Up and Down store it and move on, so sixty figures go in without the mouse. Each figure is
saved as soon as it leaves the cell (on the writes queue, so typing never waits for the disk);
the cell shows it "saving" until the service answers, then stored, refused (with the reason in
Thai), waiting for confirmation (F9 confirms) or in conflict with someone else's newer figure
(F9 keeps the clerk's figure, Esc takes theirs). Ctrl+Z takes back the last stored figure and
Ctrl+Y puts it back.

This module lays the screen out and wires it; `rows` decides what a row shows, `model` and
`view` draw and drive the grid, `writer` stores the figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from rayong_desktop.domain import calendar
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.services import closed_weeks, desk, registry
from rayong_desktop.services.reports import Reception
from rayong_desktop.ui import i18n, prompts, theme
from rayong_desktop.ui.context import REGISTRY, REPORTS, DeskContext
from rayong_desktop.ui.elide import WordElideDelegate
from rayong_desktop.ui.formats import count_text
from rayong_desktop.ui.keying import rows
from rayong_desktop.ui.keying.bars import FilterBar, ReceivedBar
from rayong_desktop.ui.keying.model import KeyingFilter, KeyingModel
from rayong_desktop.ui.keying.rows import (
    COL_CHANNEL,
    COL_CODE,
    COL_COUNT,
    COL_DISTRICT,
    COL_NAME,
    COL_PHONE,
    COL_PREV,
    COL_RECEIVED,
    COL_REPORTER,
    COL_ROW,
    COL_STATE,
    SAVING,
    KeyRow,
)
from rayong_desktop.ui.keying.view import CellDelegate, KeyingView
from rayong_desktop.ui.keying.writer import KeyingWriter
from rayong_desktop.ui.page import Page
from rayong_desktop.ui.widgets import Banner, label, tidy_table


@dataclass(frozen=True)
class KeyingData:
    week: date
    rows: list[desk.GridRow]
    plan_rows: list[tuple[int, str]]
    closed: bool = False  # the week is closed (its figures were sent)


class KeyingPage(Page):
    watches = (REPORTS, REGISTRY)
    undoChanged = Signal()  # noqa: N815

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__(ctx)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 14, 18, 10)
        outer.setSpacing(8)
        self.heading = label(self.tr("บันทึกรายงานประจำสัปดาห์"), "title")
        self.subheading = label("", "subtitle")
        outer.addWidget(self.heading)
        outer.addWidget(self.subheading)

        self.filters = FilterBar()
        self.plan_filter = self.filters.plan_filter
        self.district_filter = self.filters.district_filter
        self.missing_filter = self.filters.missing_filter
        self.search = self.filters.search
        outer.addWidget(self.filters)
        self.received = ReceivedBar(ctx.now)
        outer.addWidget(self.received)
        self.closed_banner = Banner("warn")
        self.closed_banner.setObjectName("weekClosedBanner")
        outer.addWidget(self.closed_banner)
        self.closed = False

        self.model = KeyingModel()
        self.writer = KeyingWriter(ctx, self.model, self.received.reception, self)
        self.proxy = KeyingFilter()
        self.proxy.setSourceModel(self.model)
        self.view = KeyingView()
        self.view.setObjectName("keyingGrid")
        self.view.setModel(self.proxy)
        tidy_table(self.view, row_height_factor=1.8)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectItems)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.delegate = CellDelegate(self.view)
        self.view.setItemDelegate(self.delegate)
        # Long names give way in the middle, at word boundaries (full name in the tooltip).
        self.view.setItemDelegateForColumn(COL_NAME, WordElideDelegate(self.view))
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        em = self.fontMetrics().horizontalAdvance("0")
        self.widths = {
            COL_CODE: 11 * em,
            COL_NAME: 34 * em,
            COL_ROW: 5 * em,
            COL_DISTRICT: 10 * em,
            COL_PREV: 9 * em,
            COL_COUNT: 11 * em,
            COL_STATE: 22 * em,
            COL_CHANNEL: 12 * em,
            COL_REPORTER: 17 * em,
            COL_PHONE: 13 * em,
            COL_RECEIVED: 16 * em,
        }
        for col, width in self.widths.items():
            self.view.setColumnWidth(col, width)
        outer.addWidget(self.view, 1)

        self.message_bar = QLabel()
        self.message_bar.setObjectName("keyingMessage")
        self.message_bar.setWordWrap(True)
        self.message_bar.setMinimumHeight(self.fontMetrics().height() * 2 + 14)
        outer.addWidget(self.message_bar)
        self.totals = label("", "hint")
        outer.addWidget(self.totals)

        self.confirm_action = QAction(self.tr("ยืนยันตัวเลขที่รอยืนยัน"), self)
        self.confirm_action.setShortcut(QKeySequence(Qt.Key.Key_F9))
        self.confirm_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.confirm_action.triggered.connect(self.confirm_current)
        self.addAction(self.confirm_action)
        self.search_action = QAction(self.tr("ค้นหาหน่วย"), self)
        self.search_action.setShortcut(QKeySequence.StandardKey.Find)
        self.search_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.search_action.triggered.connect(self.filters.focus_search)
        self.addAction(self.search_action)

        self.model.countEntered.connect(self._count_entered)
        self.model.detailEntered.connect(self._detail_entered)
        self.writer.rowSettled.connect(self._after_row_change)
        self.writer.historyChanged.connect(self.undoChanged)
        self.view.discardRequested.connect(self.discard_current)
        self.view.confirmRequested.connect(self.confirm_current)
        self.view.selectionModel().currentChanged.connect(self._show_current_message)
        self.filters.changed.connect(self._filters_changed)
        self.search.returnPressed.connect(self._focus_grid)

    @property
    def week(self) -> date | None:
        """The week on show (None before the first load)."""
        return self.writer.week

    # ---------------------------------------------------------------- loading

    def fetch(self) -> KeyingData:
        week = self.ctx.week
        rows = desk.grid_rows(self.ctx.db, week)
        plan = [(r.number, r.name) for r in registry.plan_overview(self.ctx.db).rows]
        closed = week in closed_weeks.closed_weeks(self.ctx.db)
        return KeyingData(week, rows, plan, closed)

    def reload(self) -> None:
        # A reload resets the model, which would close an open cell and drop what is typed.
        if self.view.state() == QAbstractItemView.State.EditingState:
            self.stale = True
            self._debounce.start(400)
            return
        super().reload()

    def apply(self, data: KeyingData) -> None:
        same_week = data.week == self.week
        keep = {r.code: r for r in self.model.rows if r.draft is not None} if same_week else {}
        current = self._current_code()
        column = self.view.currentIndex().column() if self.view.currentIndex().isValid() else -1
        self.writer.week = data.week
        self.closed = data.closed
        self.closed_banner.show_text(
            self.tr(
                "สัปดาห์นี้ปิดแล้ว: ส่งตัวเลขไปแล้ว การบันทึกหรือแก้ไขทุกครั้งต้องระบุเหตุผล "
                "และจะแสดงเป็นการเปลี่ยนแปลงหลังปิดสัปดาห์"
            )
            if data.closed
            else ""
        )
        shown = []
        for g in data.rows:
            row = KeyRow.from_grid(g)
            kept = keep.get(g.code)
            if kept is not None:  # typed figures outlive a refresh caused by someone else
                rows.carry_over(row, kept)
            shown.append(row)
        self.model.editable = not self.ctx.read_only
        self.model.set_rows(shown)
        self.filters.fill_plan_rows(data.plan_rows)
        if shown:
            longest = max(self.view.fontMetrics().horizontalAdvance(r.code) for r in shown)
            self.widths[COL_CODE] = max(self.widths[COL_CODE], longest + 24)
            self.view.setColumnWidth(COL_CODE, self.widths[COL_CODE])
            self._fit_name_column()
        if not same_week or self.missing_filter.isChecked():
            self.proxy.take_missing()
            self.proxy.refresh()
        self.subheading.setText(
            self.tr(
                "สัปดาห์ {0} · "
                "พิมพ์ตัวเลขแล้วกด Enter หรือ Tab หรือลูกศร เพื่อบันทึกและไปหน่วยถัดไป · "
                "รับเลขไทยได้ · F9 ยืนยัน · Esc ยกเลิกตัวเลขที่พิมพ์ · Ctrl+Z เลิกทำ · Ctrl+Y ทำซ้ำ"
            ).format(calendar.week_label(data.week))
        )
        if self.received.choice() is Reception.AT and not same_week:
            self.received.default_time()
        self._select(current if same_week else None, column if same_week else COL_COUNT)
        self._update_totals()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_name_column()

    def _fit_name_column(self) -> None:
        """The unit's name takes what the other columns leave, but never less than it needs to
        be recognised; beyond that the grid scrolls sideways."""
        others = sum(w for col, w in self.widths.items() if col != COL_NAME)
        room = self.view.viewport().width() - others - 2
        self.view.setColumnWidth(COL_NAME, max(self.widths[COL_NAME], room))

    def _select(self, code: str | None, column: int) -> None:
        col = column if column >= 0 else COL_COUNT
        target = None
        for i in range(self.proxy.rowCount()):
            r = self.model.rows[self.proxy.mapToSource(self.proxy.index(i, 0)).row()]
            if code is not None and r.code == code:
                target = i
                break
            if code is None and target is None and r.count is None and r.base.expected:
                target = i
                break
        if target is None and self.proxy.rowCount():
            target = 0
        if target is not None:
            index = self.proxy.index(target, col)
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)

    def focus_target(self) -> QWidget | None:
        return self.view

    def _current_code(self) -> str | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        source = self.proxy.mapToSource(index)
        if not source.isValid() or source.row() >= len(self.model.rows):
            return None
        return self.model.rows[source.row()].code

    def _current_row(self) -> tuple[int, KeyRow] | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        source = self.proxy.mapToSource(index)
        if not source.isValid():
            return None
        return source.row(), self.model.rows[source.row()]

    # ---------------------------------------------------------------- filters

    def _filters_changed(self, *_args: Any) -> None:
        code = self._current_code()
        self.filters.apply_to(self.proxy)
        self._select(code, COL_COUNT)
        self._update_totals()

    def _focus_grid(self) -> None:
        self.view.setFocus()
        if not self.view.currentIndex().isValid():
            self._select(None, COL_COUNT)

    # ---------------------------------------------------------------- keying

    def _count_entered(self, source_row: int, text: str) -> None:
        row = self.model.rows[source_row]
        action = rows.entry_action(row, text)
        if action == rows.DISCARD:
            self._discard(source_row)
        elif action == rows.SAME:
            row.draft = None
            self.model.row_changed(source_row)
        elif action == rows.SUBMIT:
            if rows.needs_reason(row, self.closed):
                # Asked once the cell has closed (not from inside the grid's commit).
                row.draft = text.strip()
                self.model.row_changed(source_row)
                QTimer.singleShot(0, partial(self._ask_reason, row.code, text.strip(), False))
                return
            self.writer.submit(source_row, text.strip(), confirm=False)

    def _ask_reason(self, code: str, typed: str, received: bool) -> None:
        """Ask why a stored figure (or its received time, `received`) or a closed week's
        figure changes; then store it with that reason, or leave it typed and say why not."""
        i = self.model.row_of(code)
        if i is None:
            return
        row = self.model.rows[i]
        if self.closed:
            question = self.tr("สัปดาห์นี้ปิดแล้ว (ส่งตัวเลขไปแล้ว) เหตุผลที่บันทึก") + f" {code}:"
        elif received:
            question = self.tr("เหตุผลที่แก้เวลารับรายงานของ") + f" {code}:"
        else:
            question = (
                self.tr("เหตุผลที่แก้ไข")
                + f" {code} "
                + self.tr("จาก")
                + f" {count_text(row.count)} "
                + self.tr("เป็น")
                + f" {typed}:"
            )
        reason = prompts.ask_text(self, self.tr("เหตุผลการแก้ไข"), question)
        i = self.model.row_of(code)  # the week may have reloaded while the clerk answered
        if i is None:
            return
        row = self.model.rows[i]
        if reason is None or not reason.strip():
            if received:
                row.reception = None
                self.ctx.message.emit(self.tr("ไม่ได้แก้เวลารับรายงาน: ต้องระบุเหตุผล"))
            else:
                rows.mark_reason_missing(row, typed, self.closed, QCoreApplication.translate)
            self.model.row_changed(i)
            self._after_row_change(i)
            return
        row.reason = reason.strip()
        if received:
            self.writer.details(i)
        else:
            self.writer.submit(i, typed, confirm=False)

    def _received_entered(self, source_row: int, value: Any) -> None:
        row = self.model.rows[source_row]
        try:
            action = rows.set_received(row, "" if value is None else str(value))
        except RefusedError as exc:
            # Said once the grid has moved on from the cell: the clerk is taken back to it.
            QTimer.singleShot(0, partial(self._refuse_received, row.code, i18n.error_text(exc)))
            return
        self.model.row_changed(source_row)
        if action == rows.RESUBMIT and row.draft is not None:
            if rows.needs_reason(row, self.closed):
                QTimer.singleShot(0, partial(self._ask_reason, row.code, row.draft, False))
            else:
                self.writer.submit(source_row, row.draft, confirm=False)
        elif action == rows.CORRECT:
            QTimer.singleShot(0, partial(self._ask_reason, row.code, "", True))

    def _refuse_received(self, code: str, message: str) -> None:
        self._select(code, COL_RECEIVED)
        self._set_message(f"{code}: {message}", "error")

    def _detail_entered(self, source_row: int, column: int, value: Any) -> None:
        if column == COL_RECEIVED:
            self._received_entered(source_row, value)
            return
        row = self.model.rows[source_row]
        if not rows.set_detail(row, column, value):
            return
        self.model.row_changed(source_row)
        if rows.details_correct_stored(row):
            self.writer.details(source_row)
        # else used with the figure still to come (or still pending)

    def confirm_current(self) -> None:
        """F9: confirm the figure on the current row, else the latest one waiting."""
        candidates: list[int] = []
        current = self._current_row()
        if current is not None and rows.awaiting_confirmation(current[1]):
            candidates.append(current[0])
        else:
            candidates.extend(
                i for i, r in enumerate(self.model.rows) if rows.awaiting_confirmation(r)
            )
        if not candidates:
            self.ctx.message.emit(self.tr("ไม่มีตัวเลขที่รอยืนยัน"))
            return
        i = candidates[-1]
        row = self.model.rows[i]
        assert row.draft is not None
        # A conflict is settled by keying the clerk's figure against the version now stored.
        self.writer.submit(i, row.draft, confirm=row.state == rows.CONFIRM)

    def discard_current(self) -> None:
        current = self._current_row()
        if current is not None and current[1].draft is not None and current[1].state != SAVING:
            self._discard(current[0])

    def _discard(self, source_row: int) -> None:
        rows.discard(self.model.rows[source_row], QCoreApplication.translate)
        self.model.row_changed(source_row)
        self._after_row_change(source_row)

    def _after_row_change(self, source_row: int) -> None:
        current = self._current_row()
        if current is not None and current[0] == source_row:
            self._show_current_message()
        self._update_totals()

    def _show_current_message(self, *_args: Any) -> None:
        current = self._current_row()
        hint = self.tr(
            "พิมพ์ตัวเลขสะสม (เลขไทยได้) แล้วกด Enter · Tab/↑/↓ เลื่อน · "
            "F9 ยืนยัน · Esc/Delete ยกเลิกตัวเลขที่พิมพ์ · Ctrl+Z เลิกทำ · Ctrl+Y ทำซ้ำ"
        )
        if current is None:
            self._set_message(hint, None)
            return
        self._set_message(*rows.row_message(current[1], hint, QCoreApplication.translate))

    def _set_message(self, text: str, kind: str | None) -> None:
        fg, bg = {
            "error": (theme.ERROR, theme.ERROR_SOFT),
            "warn": (theme.WARN, theme.WARN_SOFT),
            "conflict": (theme.CONFLICT, theme.CONFLICT_SOFT),
        }.get(kind or "", ("#1d2733", "#f3f5f8"))
        self.message_bar.setStyleSheet(
            f"QLabel {{ color: {fg}; background: {bg}; padding: 6px 10px; border-radius: 6px; }}"
        )
        self.message_bar.setText(text)

    def _update_totals(self) -> None:
        counted = rows.totals(self.model.rows)
        shown = self.proxy.rowCount()
        text = (
            self.tr("แสดง")
            + f" {shown} "
            + self.tr("จาก")
            + f" {counted.rows} "
            + self.tr("หน่วย · ส่งแล้ว")
            + f" {counted.done}/{counted.expected}"
        )
        if counted.waiting:
            text += " · " + self.tr("ยังไม่ได้บันทึก") + f" {counted.waiting} " + self.tr("รายการ")
        self.totals.setText(text)

    def unsettled(self) -> list[KeyRow]:
        return rows.unsettled(self.model.rows)

    def confirm_all(self) -> None:
        for i, r in enumerate(self.model.rows):
            if rows.awaiting_confirmation(r) and r.draft is not None:
                self.writer.submit(i, r.draft, confirm=r.state == rows.CONFIRM)

    def commit_open_editor(self) -> None:
        self.delegate.commit_open_editor()

    # ---------------------------------------------------------------- undo / redo

    def can_undo(self) -> bool:
        return self.writer.history.can_undo()

    def can_redo(self) -> bool:
        return self.writer.history.can_redo()

    def undo(self) -> None:
        self.writer.undo()

    def redo(self) -> None:
        self.writer.redo()
