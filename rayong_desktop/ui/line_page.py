"""LINE figures: the OA's friend counts and messages sent, as read from LINE OA Manager, and the
month's message budget."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from rayong_desktop.domain import calendar, summaries
from rayong_desktop.domain.numbers import format_int
from rayong_desktop.services import oa, status
from rayong_desktop.ui import i18n, theme
from rayong_desktop.ui.context import OA, REPORTS, SETTINGS, DeskContext
from rayong_desktop.ui.page import Page
from rayong_desktop.ui.tablemodel import CENTER, RIGHT, Column, RowsModel
from rayong_desktop.ui.widgets import (
    Card,
    StatTile,
    as_date,
    count_text,
    label,
    short_date,
    tidy_table,
)


@dataclass(frozen=True)
class LineData:
    stats: list[oa.OAStatView]
    budget: summaries.OASummary
    week: object


class LinePage(Page):
    watches = (OA, REPORTS, SETTINGS)

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__(ctx)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 14, 18, 10)
        outer.setSpacing(10)
        outer.addWidget(label(self.tr("ตัวเลขจากบัญชี LINE Official Account"), "title"))
        outer.addWidget(
            label(
                self.tr(
                    "คัดลอกจากหน้าสถิติของ LINE OA Manager: จำนวนเพื่อน ผู้บล็อก "
                    "กลุ่มเป้าหมายที่เข้าถึงได้ และข้อความที่ส่งแล้วในเดือนนี้"
                ),
                "subtitle",
                wrap=True,
            )
        )
        top = QHBoxLayout()
        top.setSpacing(12)
        form_card = Card()
        form = QFormLayout(form_card)
        form.setContentsMargins(14, 12, 14, 12)
        self.date = QDateEdit()
        self.date.setObjectName("oaDate")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.friends = QLineEdit()
        self.friends.setObjectName("oaFriends")
        self.blocked = QLineEdit()
        self.blocked.setObjectName("oaBlocked")
        self.reach = QLineEdit()
        self.reach.setObjectName("oaReach")
        self.sent = QLineEdit()
        self.sent.setObjectName("oaSent")
        self.note = QLineEdit()
        for w in (self.friends, self.blocked, self.reach, self.sent):
            w.setPlaceholderText(self.tr("ตัวเลข (เลขไทยได้)"))
        self.date_be = label("", "hint")
        form.addRow(self.tr("วันที่อ่านตัวเลข"), self.date)
        form.addRow("", self.date_be)
        form.addRow(self.tr("จำนวนเพื่อน"), self.friends)
        form.addRow(self.tr("จำนวนที่บล็อก"), self.blocked)
        form.addRow(self.tr("กลุ่มเป้าหมายที่เข้าถึงได้"), self.reach)
        form.addRow(self.tr("ข้อความที่ส่งแล้วในเดือนนี้"), self.sent)
        form.addRow(self.tr("หมายเหตุ"), self.note)
        self.error = label("", "error", wrap=True)
        self.error.setObjectName("oaError")
        form.addRow(self.error)
        self.save_button = QPushButton(self.tr("บันทึกตัวเลข (Enter)"))
        self.save_button.setObjectName("oaSave")
        self.save_button.clicked.connect(self.save)
        form.addRow(self.save_button)
        for w in (self.friends, self.blocked, self.reach, self.sent, self.note):
            w.returnPressed.connect(self.save)
        self.date.dateChanged.connect(self._show_date_be)
        top.addWidget(form_card, 2)

        budget = QVBoxLayout()
        budget.addWidget(label(self.tr("งบข้อความของเดือน"), "section"))
        tiles = QHBoxLayout()
        self.tile_friends = StatTile(self.tr("เพื่อนใน OA"))
        self.tile_left = StatTile(self.tr("ส่งถึงทุกคนได้อีก"))
        self.tile_sent = StatTile(self.tr("ส่งแล้วเดือนนี้"))
        for t in (self.tile_friends, self.tile_left, self.tile_sent):
            tiles.addWidget(t)
        budget.addLayout(tiles)
        self.budget_detail = label("", "hint", wrap=True)
        self.budget_detail.setObjectName("budgetDetail")
        budget.addWidget(self.budget_detail)
        budget.addStretch(1)
        holder = QWidget()
        holder.setLayout(budget)
        top.addWidget(holder, 3)
        outer.addLayout(top)

        outer.addWidget(label(self.tr("ตัวเลขที่บันทึกไว้"), "section"))
        self.model: RowsModel[oa.OAStatView] = RowsModel(
            [
                Column(self.tr("วันที่"), lambda s: short_date(s.date)),
                Column(self.tr("เพื่อน"), lambda s: format_int(s.friends), align=RIGHT),
                Column(self.tr("บล็อก"), lambda s: count_text(s.blocked), align=RIGHT),
                Column(self.tr("เข้าถึงได้"), lambda s: count_text(s.reach), align=RIGHT),
                Column(self.tr("ส่งแล้วเดือนนี้"), lambda s: count_text(s.sent_this_month), align=RIGHT),
                Column(self.tr("ผู้บันทึก"), lambda s: s.clerk, align=CENTER),
                Column(self.tr("หมายเหตุ"), lambda s: s.note or ""),
            ]
        )
        self.table = QTableView()
        self.table.setObjectName("oaTable")
        self.table.setModel(self.model)
        tidy_table(self.table, row_height_factor=1.6)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        outer.addWidget(self.table, 1)
        self._reset_date()
        if ctx.read_only:
            self.save_button.setEnabled(False)

    def _reset_date(self) -> None:
        today = self.ctx.now().astimezone(calendar.BANGKOK).date()
        self.date.setDate(QDate(today.year, today.month, today.day))
        self._show_date_be()

    def _show_date_be(self, *_args: object) -> None:
        self.date_be.setText(short_date(as_date(self.date.date())))

    def focus_target(self) -> QWidget | None:
        return self.friends

    def fetch(self) -> LineData:
        week = self.ctx.week
        summary = status.week_summary(self.ctx.db, week)
        return LineData(oa.list_oa_stats(self.ctx.db), summary.oa, week)

    def apply(self, data: LineData) -> None:
        self.model.set_rows(list(reversed(data.stats)))
        b = data.budget
        self.tile_friends.set(count_text(b.friends), short_date(b.stat.date) if b.stat else "")
        self.tile_left.set(
            count_text(b.broadcasts_left),
            self.tr("ครั้ง (ครั้งละ") + f" {count_text(b.reach_per_broadcast)} " + self.tr("ข้อความ)"),
            theme.ERROR if b.broadcasts_left == 0 else None,
        )
        self.tile_sent.set(
            count_text(b.sent_this_month),
            self.tr("จากโควตา") + f" {format_int(b.monthly_quota)}",
        )
        parts = []
        if b.runs_out_on is not None:
            parts.append(self.tr("ในอัตรานี้ โควตาข้อความจะหมดวันที่") + f" {short_date(b.runs_out_on)}")
        elif b.sent_this_month is not None:
            parts.append(self.tr("ในอัตรานี้ โควตาข้อความพอถึงสิ้นเดือน"))
        parts.append(
            self.tr("ยอดสมาชิกที่หน่วยรายงานรวม") + f" {format_int(b.reported_total)} " + self.tr("คน")
        )
        if b.reported_over_friends:
            parts.append(self.tr("⚠ ยอดที่หน่วยรายงานรวมกันมากกว่าจำนวนเพื่อนใน OA: อาจนับซ้ำกัน"))
        if b.stat is None:
            parts = [self.tr("ยังไม่มีตัวเลขจาก LINE OA: บันทึกตัวเลขทางซ้ายก่อน")]
        self.budget_detail.setText("\n".join(parts))

    def save(self) -> None:
        if self.ctx.read_only:
            return
        on = as_date(self.date.date())

        def value(edit: QLineEdit) -> str | None:
            text = edit.text().strip()
            return text or None

        friends = value(self.friends) or ""
        blocked, reach, sent = value(self.blocked), value(self.reach), value(self.sent)
        note = value(self.note)
        db = self.ctx.db
        self.error.setText("")
        self.save_button.setEnabled(False)

        def done(_stat: oa.OAStatView) -> None:
            self.save_button.setEnabled(True)
            for w in (self.friends, self.blocked, self.reach, self.sent, self.note):
                w.clear()
            self.ctx.message.emit(self.tr("บันทึกตัวเลข LINE OA แล้ว"))
            self.friends.setFocus()

        def failed(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            self.error.setText(i18n.error_text(exc))

        self.ctx.writes.submit(
            lambda: oa.record_oa_stat(
                db,
                on=on,
                friends=friends,
                blocked=blocked,
                reach=reach,
                sent_this_month=sent,
                note=note,
            ),
            done,
            failed,
        )
