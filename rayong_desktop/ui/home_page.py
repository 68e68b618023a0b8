"""This week: the deadlines ticking down, who has reported, whom to call, the province's total."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QProgressBar,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from rayong_desktop.domain import calendar, summaries
from rayong_desktop.domain.desk import CallNote, Deadline, HomeFigures, HomeSummary, PlanRowTotals
from rayong_desktop.domain.numbers import format_int, format_percent
from rayong_desktop.ui import i18n, theme
from rayong_desktop.ui.context import NOTES, OA, REGISTRY, REPORTS, SETTINGS, DeskContext
from rayong_desktop.ui.page import Page
from rayong_desktop.ui.tablemodel import CENTER, RIGHT, Column, RowsModel
from rayong_desktop.ui.widgets import (
    Card,
    ProgressDelegate,
    StatTile,
    count_text,
    label,
    local_time,
    short_date,
    short_unit_name,
    tidy_table,
)

# Past this, "overdue by 40 days" helps nobody: the deadline is simply closed.
OVERDUE_SHOWN = timedelta(days=7)


def countdown(due: datetime, now: datetime) -> tuple[str, str]:
    """The countdown's text and urgency ("ok", "soon", "urgent", "late", "closed")."""
    left = due - now
    if left > timedelta(0):
        seconds = int(left.total_seconds())
        days, rest = divmod(seconds, 86_400)
        hours, rest = divmod(rest, 3_600)
        minutes, secs = divmod(rest, 60)
        clock = f"{hours:02d}:{minutes:02d}:{secs:02d}"
        text = (
            QCoreApplication.translate("HomePage", "อีก {0} วัน {1}").format(days, clock)
            if days
            else QCoreApplication.translate("HomePage", "อีก {0}").format(clock)
        )
        if left <= timedelta(hours=2):
            return text, "urgent"
        return text, "soon" if left <= timedelta(days=1) else "ok"
    over = now - due
    if over > OVERDUE_SHOWN:
        return QCoreApplication.translate("HomePage", "ครบกำหนดแล้ว"), "closed"
    minutes_total = int(over.total_seconds()) // 60
    days, rest = divmod(minutes_total, 1_440)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(QCoreApplication.translate("HomePage", "{0} วัน").format(days))
    if hours or days:
        parts.append(QCoreApplication.translate("HomePage", "{0} ชม.").format(hours))
    parts.append(QCoreApplication.translate("HomePage", "{0} นาที").format(minutes))
    return QCoreApplication.translate("HomePage", "เลยกำหนดมาแล้ว {0}").format(
        " ".join(parts)
    ), "late"


URGENCY_COLOUR = {
    "ok": theme.OK,
    "soon": theme.WARN,
    "urgent": theme.ERROR,
    "late": theme.ERROR,
    "closed": theme.MUTED,
}


def due_text(due: datetime) -> str:
    local = due.astimezone(calendar.BANGKOK)
    return QCoreApplication.translate("HomePage", "วัน{0}ที่ {1} เวลา {2}").format(
        i18n.weekday_text(local), short_date(local.date()), local_time(due)
    )


def week_title(week: date, campaign_weeks: list[date]) -> str:
    if week in campaign_weeks:
        n = campaign_weeks.index(week) + 1
        return QCoreApplication.translate("HomePage", "สัปดาห์ที่ {0} ของโครงการ · {1}").format(
            n, i18n.week_range_text(week)
        )
    return QCoreApplication.translate("HomePage", "สัปดาห์ {0}").format(i18n.week_range_text(week))


@dataclass(frozen=True)
class CallRow:
    entry: summaries.CallListEntry
    notes: tuple[CallNote, ...]

    @property
    def last_note(self) -> str:
        if not self.notes:
            return ""
        n = self.notes[-1]
        more = f"  (+{len(self.notes) - 1})" if len(self.notes) > 1 else ""
        return f"{local_time(n.at)} {n.text}{more}"


# What the screen shows: the same figures whether read now or kept from the last session.
HomeData = HomeFigures


class DeadlineCard(Card):
    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(2)
        self.when = label("", "section")
        self.who = label("", "hint", wrap=True)
        self.clock = label("", "tileValue")
        self.progress = label("", "hint")
        for w in (self.when, self.who, self.clock, self.progress):
            layout.addWidget(w)
        self.deadline: Deadline | None = None

    def set_deadline(self, d: Deadline) -> None:
        self.deadline = d
        self.when.setText(self.tr("กำหนดส่ง {0}").format(due_text(d.due_at)))
        self.who.setText(self.tr("{0} · {1} หน่วย").format(d.name.split(":")[0].strip(), d.expected))
        self.progress.setText(
            self.tr("ส่งแล้ว {0} จาก {1} · ยังไม่ส่ง {2}").format(d.received, d.expected, d.missing)
        )

    def tick(self, now: datetime) -> str:
        if self.deadline is None:
            return ""
        text, urgency = countdown(self.deadline.due_at, now)
        if urgency in ("late", "closed") and self.deadline.missing == 0:
            urgency = "closed"  # nobody left to chase: nothing to be alarmed about
        self.clock.setText(text)
        self.clock.setStyleSheet(f"color: {URGENCY_COLOUR[urgency]};")
        return text


class HomePage(Page):
    watches = (REPORTS, REGISTRY, OA, SETTINGS, NOTES)

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__(ctx)
        self.data: HomeData | None = None
        self.kept = False  # what is on show was kept from the last session, not read
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 14, 18, 14)
        outer.setSpacing(10)

        self.heading = label("", "title")
        self.subheading = label("", "subtitle")
        outer.addWidget(self.heading)
        outer.addWidget(self.subheading)

        self.deadline_row = QHBoxLayout()
        self.deadline_row.setSpacing(10)
        self.cards: list[DeadlineCard] = []
        outer.addLayout(self.deadline_row)

        tiles = QHBoxLayout()
        tiles.setSpacing(10)
        self.tile_expected = StatTile(self.tr("ต้องส่งสัปดาห์นี้"))
        self.tile_received = StatTile(self.tr("ส่งแล้ว"))
        self.tile_on_time = StatTile(self.tr("ตรงเวลา"))
        self.tile_late = StatTile(self.tr("ส่งช้า"))
        self.tile_missing = StatTile(self.tr("ยังไม่ส่ง"))
        for t in (
            self.tile_expected,
            self.tile_received,
            self.tile_on_time,
            self.tile_late,
            self.tile_missing,
        ):
            tiles.addWidget(t)
        outer.addLayout(tiles)

        province = Card()
        grid = QGridLayout(province)
        grid.setContentsMargins(14, 10, 14, 10)
        self.province_figure = label("", "section")
        self.province_bar = QProgressBar()
        self.province_bar.setRange(0, 1000)
        self.province_bar.setTextVisible(True)
        self.province_detail = label("", "hint", wrap=True)
        grid.addWidget(self.province_figure, 0, 0)
        grid.addWidget(self.province_bar, 1, 0)
        grid.addWidget(self.province_detail, 2, 0)
        outer.addWidget(province)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)

        calls = QWidget()
        calls_layout = QVBoxLayout(calls)
        calls_layout.setContentsMargins(0, 0, 0, 0)
        self.calls_title = label(self.tr("รายชื่อที่ต้องโทรตาม"), "section")
        calls_layout.addWidget(self.calls_title)
        self.call_model: RowsModel[CallRow] = RowsModel(self._call_columns())
        self.call_table = QTableView()
        self.call_table.setObjectName("callList")
        self.call_table.setModel(self.call_model)
        tidy_table(self.call_table)
        self.call_table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.call_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        calls_layout.addWidget(self.call_table, 1)
        note_row = QHBoxLayout()
        self.note_label = label(self.tr("บันทึกการโทร:"))
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("callNote")
        self.note_edit.setPlaceholderText(
            self.tr("เช่น รับปากส่งก่อน 15.00 น. — พิมพ์แล้วกด Enter (เลือกหน่วยจากรายชื่อด้านบน)")
        )
        self.note_edit.returnPressed.connect(self.save_note)
        note_row.addWidget(self.note_label)
        note_row.addWidget(self.note_edit, 1)
        calls_layout.addLayout(note_row)
        split.addWidget(calls)

        rows = QWidget()
        rows_layout = QVBoxLayout(rows)
        rows_layout.setContentsMargins(0, 0, 0, 0)
        rows_layout.addWidget(label(self.tr("ความคืบหน้ารายแผน"), "section"))
        self.row_model: RowsModel[PlanRowTotals] = RowsModel(self._row_columns())
        self.row_table = QTableView()
        self.row_table.setObjectName("planProgress")
        self.row_table.setModel(self.row_model)
        tidy_table(self.row_table)
        self.row_table.setItemDelegateForColumn(1, ProgressDelegate(self.row_table))
        rh = self.row_table.horizontalHeader()
        rh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        rh.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.row_table.setToolTip(self.tr("ชี้ที่แถวเพื่อดูชื่อหน่วยงานในแผน"))
        rows_layout.addWidget(self.row_table, 1)
        split.addWidget(rows)
        split.setStretchFactor(0, 7)
        split.setStretchFactor(1, 3)
        split.setSizes([1400, 600])
        outer.addWidget(split, 1)

        # Typing while the call list has focus goes straight into the note: no mouse needed.
        self.call_table.installEventFilter(self)
        self.call_table.selectionModel().currentRowChanged.connect(self._on_call_selected)

        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    # ---------------------------------------------------------------- columns

    def _call_columns(self) -> list[Column[CallRow]]:
        return [
            Column(
                self.tr("หน่วย"),
                lambda r: short_unit_name(r.entry.name),
                tooltip=lambda r: self.tr("{0} {1} (แผนลำดับที่ {2})").format(
                    r.entry.code, r.entry.name, r.entry.plan_row
                ),
            ),
            Column(self.tr("ผู้ประสานงาน"), lambda r: r.entry.contact or "–"),
            Column(self.tr("โทรศัพท์"), lambda r: r.entry.phone or "–"),
            Column(self.tr("โทรสาร"), lambda r: r.entry.fax or "–"),
            Column(
                self.tr("ยอดครั้งก่อน"),
                lambda r: count_text(r.entry.last_count),
                align=RIGHT,
                sort=lambda r: r.entry.last_count or -1,
            ),
            Column(
                self.tr("กำหนดส่ง"),
                lambda r: (
                    i18n.weekday_text(r.entry.due_at, short=True) + " " + local_time(r.entry.due_at)
                ),
                align=CENTER,
            ),
            Column(
                self.tr("บันทึกการโทรล่าสุด"),
                lambda r: r.last_note,
                tooltip=lambda r: (
                    "\n".join(f"{local_time(n.at)} {n.clerk}: {n.text}" for n in r.notes) or None
                ),
            ),
        ]

    def _row_columns(self) -> list[Column[PlanRowTotals]]:
        return [
            Column(
                self.tr("แผน"),
                lambda r: str(r.row.number),
                align=CENTER,
                tooltip=lambda r: r.row.name,
            ),
            Column(
                self.tr("สมาชิกเทียบเป้าหมาย"),
                lambda r: (
                    f"{format_percent(r.totals.pct_of_quota)} · "
                    f"{format_int(r.totals.count)} / {format_int(r.row.quota)}"
                ),
                tooltip=lambda r: r.row.name,
                value=lambda r: r.totals.pct_of_quota,
            ),
            Column(
                self.tr("รายงาน"),
                lambda r: f"{r.totals.received}/{r.totals.expected}",
                align=CENTER,
                foreground=lambda r: theme.ERROR if r.totals.missing else None,
                tooltip=lambda r: self.tr("ส่งแล้ว {0} จาก {1} หน่วย").format(
                    r.totals.received, r.totals.expected
                ),
            ),
        ]

    # ---------------------------------------------------------------- loading

    def fetch(self) -> HomeData:
        from rayong_desktop.services import desk

        return desk.home_figures(self.ctx.db, self.ctx.week)

    def show_kept(self, figures: HomeData) -> None:
        """Show the figures kept from the last session (checked against the database file)
        while the database opens; they are read again once it has."""
        self.apply(figures)
        self.kept = True
        self.stale = True

    def load_failed(self, exc: BaseException) -> None:
        if self.kept:  # never let last session's figures pass for what the file holds now
            self.subheading.setText(
                self.tr("ตัวเลขบนหน้านี้เก็บไว้เมื่อปิดโปรแกรมครั้งก่อน อ่านจากฐานข้อมูลตอนนี้ไม่ได้:")
                + f" {getattr(exc, 'th', exc)}"
            )
            self.subheading.setStyleSheet(f"color: {theme.ERROR};")

    def apply(self, data: HomeData) -> None:
        self.data = data
        self.kept = False
        self.subheading.setStyleSheet("")
        s = data.summary
        self.heading.setText(week_title(data.week, data.campaign_weeks))
        self.subheading.setText(
            f"{calendar.week_label(data.week)} · "
            + self.tr("ข้อมูล ณ")
            + f" {short_date(self.ctx.now().astimezone(calendar.BANGKOK).date())}"
            f" {local_time(self.ctx.now())}"
        )
        self._set_deadlines(data.deadlines)
        t = s.totals
        self.tile_expected.set(str(t.expected), self.tr("หน่วยที่ถึงกำหนดรายงาน"))
        self.tile_received.set(
            str(t.received), self.tr("อัตราการส่ง") + " " + format_percent(t.reporting_rate)
        )
        self.tile_on_time.set(
            str(t.on_time),
            self.tr("ส่งทันเวลา") + " " + format_percent(t.on_time_rate),
            theme.OK if t.on_time else None,
        )
        self.tile_late.set(str(t.late), self.tr("ส่งหลังกำหนด"), theme.WARN if t.late else None)
        self.tile_missing.set(
            str(t.missing), self.tr("ต้องโทรตาม"), theme.ERROR if t.missing else theme.OK
        )
        self._set_province(s)
        selected = self._selected_code()
        self.call_model.set_rows(
            # Whoever's deadline comes first is called first.
            [
                CallRow(c, tuple(data.notes.get(c.code, ())))
                for c in sorted(s.call_list, key=lambda c: (c.due_at, c.plan_row, c.code))
            ]
        )
        self.calls_title.setText(self.tr("รายชื่อที่ต้องโทรตาม ({0} หน่วย)").format(len(s.call_list)))
        self._reselect(selected)
        self.row_model.set_rows(list(s.plan_rows))
        self.tick()

    def _set_deadlines(self, deadlines: list[Deadline]) -> None:
        while len(self.cards) < len(deadlines):
            card = DeadlineCard()
            card.setObjectName(f"deadline{len(self.cards)}")
            self.cards.append(card)
            self.deadline_row.addWidget(card)
        for card, d in zip(self.cards, deadlines, strict=False):
            card.set_deadline(d)
            card.setVisible(True)
        for card in self.cards[len(deadlines) :]:
            card.setVisible(False)

    def _set_province(self, s: HomeSummary) -> None:
        t = s.totals
        self.province_figure.setText(
            self.tr("สมาชิกสะสมทั้งจังหวัด")
            + f" {format_int(t.count)} "
            + self.tr("คน จากเป้าหมาย")
            + f" {format_int(t.quota)} "
            + self.tr("คน")
        )
        pct = t.pct_of_quota or 0.0
        self.province_bar.setValue(int(min(pct, 100.0) * 10))
        self.province_bar.setFormat(format_percent(t.pct_of_quota))
        parts = [
            self.tr("เพิ่มขึ้นจากสัปดาห์ก่อน") + f" {format_int(t.increase)} " + self.tr("คน"),
            self.tr("ยังขาด") + f" {format_int(t.shortfall)} " + self.tr("คน"),
        ]
        if s.stated_quota is not None and s.stated_quota != t.quota:
            parts.append(
                self.tr("เป้าหมายรวมตามที่พิมพ์ในแผน")
                + f" {format_int(s.stated_quota)} "
                + self.tr("คน (เป้าหมายคำนวณจากรายแผนต่างไป")
                + f" {format_int(t.quota - s.stated_quota)} "
                + self.tr("คน)")
            )
        oa = s.oa
        if oa.friends is not None and oa.stat is not None:
            parts.append(
                self.tr("เพื่อนใน LINE OA")
                + f" {format_int(oa.friends)} "
                + self.tr("คน (ณ")
                + f" {short_date(oa.stat.date)})"
            )
        self.province_detail.setText(" · ".join(parts))

    # ---------------------------------------------------------------- countdown

    def tick(self) -> None:
        now = self.ctx.now()
        for card in self.cards:
            if card.isVisible() or card.deadline is not None:
                card.tick(now)

    def countdown_texts(self) -> list[str]:
        return [c.clock.text() for c in self.cards if not c.isHidden()]

    # ---------------------------------------------------------------- call notes

    def _selected_code(self) -> str | None:
        index = self.call_table.currentIndex()
        if not index.isValid() or index.row() >= len(self.call_model.rows):
            return None
        return self.call_model.row(index.row()).entry.code

    def _reselect(self, code: str | None) -> None:
        for i, r in enumerate(self.call_model.rows):
            if r.entry.code == code:
                self.call_table.selectRow(i)
                return
        if self.call_model.rows:
            self.call_table.selectRow(0)
        self._on_call_selected()

    def _on_call_selected(self, *_args: Any) -> None:
        code = self._selected_code()
        row = next((r for r in self.call_model.rows if r.entry.code == code), None)
        if row is None:
            self.note_label.setText(self.tr("บันทึกการโทร:"))
            self.note_edit.setEnabled(False)
        else:
            self.note_label.setText(self.tr("บันทึกการโทรถึง") + f" {row.entry.code}:")
            self.note_label.setToolTip(row.entry.name)
            self.note_edit.setEnabled(not self.ctx.read_only)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.call_table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            text = event.text()
            if (
                text
                and text.isprintable()
                and not text.isspace()
                and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
                and self.note_edit.isEnabled()
            ):
                self.note_edit.setFocus()
                self.note_edit.insert(text)
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.note_edit.isEnabled():
                self.note_edit.setFocus()
                return True
        return super().eventFilter(watched, event)

    def save_note(self) -> None:
        code = self._selected_code()
        text = self.note_edit.text().strip()
        if code is None or not text:
            return
        if not self.ctx.ready:
            return
        from rayong_desktop.services import desk

        week = self.ctx.week
        db = self.ctx.db

        def done(_note: CallNote) -> None:
            self.ctx.message.emit(self.tr("บันทึกการโทรถึง") + f" {code} " + self.tr("แล้ว"))

        def failed(exc: BaseException) -> None:
            self.ctx.message.emit(getattr(exc, "th", str(exc)))

        self.note_edit.clear()
        self.call_table.setFocus()
        self.ctx.writes.submit(
            lambda: desk.add_call_note(db, unit_code=code, week=week, text=text), done, failed
        )

    def focus_target(self) -> QWidget | None:
        return self.call_table
