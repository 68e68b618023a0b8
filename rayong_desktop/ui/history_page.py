"""History of a unit: every report and every correction, with who, when and why."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from rayong_desktop.domain import calendar
from rayong_desktop.domain.numbers import format_int
from rayong_desktop.services import registry, reports
from rayong_desktop.ui import i18n, theme
from rayong_desktop.ui.context import REGISTRY, REPORTS, DeskContext
from rayong_desktop.ui.i18n import QT_TRANSLATE_NOOP
from rayong_desktop.ui.page import Page
from rayong_desktop.ui.tablemodel import CENTER, RIGHT, Column, RowsModel
from rayong_desktop.ui.widgets import count_text, label, short_day, tidy_table, when_text

CONCERNS = {
    "below_previous": QT_TRANSLATE_NOOP("HistoryPage", "ต่ำกว่าครั้งก่อน"),
    "big_rise": QT_TRANSLATE_NOOP("HistoryPage", "เพิ่มขึ้นมากผิดปกติ"),
    "above_later": QT_TRANSLATE_NOOP("HistoryPage", "สูงกว่าสัปดาห์ถัดไป"),
}


@dataclass(frozen=True)
class HistoryData:
    units: list[registry.UnitView]
    code: str | None
    unit_name: str
    revisions: list[reports.RevisionView]


class HistoryPage(Page):
    watches = (REPORTS, REGISTRY)
    follows_week = False

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__(ctx)
        self.code: str | None = None
        self.units: list[registry.UnitView] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 14, 18, 10)
        outer.setSpacing(8)
        outer.addWidget(label(self.tr("ประวัติการรายงานของหน่วย"), "title"))
        bar = QHBoxLayout()
        bar.addWidget(label(self.tr("หน่วย:")))
        self.unit_combo = QComboBox()
        self.unit_combo.setObjectName("historyUnit")
        self.unit_combo.setEditable(True)
        self.unit_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.unit_combo.setMinimumContentsLength(40)
        # Sized by that length, not by measuring a thousand Thai names on every load.
        self.unit_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        completer = QCompleter(self.unit_combo.model(), self.unit_combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.unit_combo.setCompleter(completer)
        self.unit_combo.activated.connect(self._unit_chosen)
        bar.addWidget(self.unit_combo, 1)
        outer.addLayout(bar)
        self.summary = label("", "subtitle", wrap=True)
        outer.addWidget(self.summary)
        self.model: RowsModel[reports.RevisionView] = RowsModel(self._columns())
        self.proxy = QSortFilterProxyModel()
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("historyTable")
        self.table.setModel(self.proxy)
        tidy_table(self.table, row_height_factor=1.7)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        outer.addWidget(self.table, 1)

    def _columns(self) -> list[Column[reports.RevisionView]]:
        def change(r: reports.RevisionView) -> str:
            if r.previous_count is None:
                return self.tr("บันทึกครั้งแรก")
            diff = r.count - r.previous_count
            return f"{format_int(r.previous_count)} → {format_int(r.count)} ({diff:+,})"

        return [
            Column(
                self.tr("สัปดาห์"),
                lambda r: f"{calendar.week_label(r.week)} ({short_day(r.week)})",
                bold=lambda r: r.current,
            ),
            Column(
                self.tr("ฉบับ"), lambda r: str(r.version) + (" ✓" if r.current else ""), align=CENTER
            ),
            Column(
                self.tr("จำนวนสะสม"),
                lambda r: format_int(r.count),
                align=RIGHT,
                bold=lambda r: r.current,
                foreground=lambda r: None if r.current else theme.MUTED,
            ),
            Column(self.tr("การเปลี่ยนแปลง"), change),
            Column(self.tr("เวลารับรายงาน"), lambda r: when_text(r.received_at)),
            Column(self.tr("บันทึกเมื่อ"), lambda r: when_text(r.entered_at)),
            Column(self.tr("ช่องทาง"), lambda r: i18n.channel_name(r.channel)),
            Column(
                self.tr("ผู้รายงาน"),
                lambda r: " ".join(x for x in (r.reporter, r.reporter_phone) if x) or "–",
            ),
            Column(self.tr("ผู้บันทึก"), lambda r: r.clerk),
            Column(
                self.tr("ยืนยันแล้วว่า"),
                lambda r: (
                    ", ".join(self.tr(CONCERNS[c]) if c in CONCERNS else c for c in r.confirmed)
                    or "–"
                ),
                foreground=lambda r: theme.WARN if r.confirmed else None,
            ),
            Column(
                self.tr("เหตุผล / หมายเหตุ"),
                lambda r: " · ".join(x for x in (r.reason, r.note) if x) or "–",
            ),
        ]

    def focus_target(self) -> QWidget | None:
        return self.unit_combo

    def show_unit(self, code: str) -> None:
        self.code = code
        self.reload()

    def _unit_chosen(self, index: int) -> None:
        code = self.unit_combo.itemData(index)
        if isinstance(code, str):
            self.show_unit(code)
            self.table.setFocus()

    def fetch(self) -> HistoryData:
        units = registry.list_units(self.ctx.db)
        code = self.code or (units[0].code if units else None)
        if code is None:
            return HistoryData(units, None, "", [])
        unit, revisions = reports.unit_history(self.ctx.db, code)
        return HistoryData(units, unit.code, unit.name, revisions)

    def apply(self, data: HistoryData) -> None:
        self.units = data.units
        self.code = data.code
        self.unit_combo.blockSignals(True)
        if self.unit_combo.count() != len(data.units):
            # One model handed over at once: adding a thousand items one by one is slow.
            model = QStandardItemModel(self.unit_combo)
            for u in data.units:
                suffix = "" if u.active else self.tr(" (ยกเลิกแล้ว)")
                item = QStandardItem(f"{u.code}  {u.name}{suffix}")
                item.setData(u.code, Qt.ItemDataRole.UserRole)
                model.appendRow(item)
            self.unit_combo.setModel(model)
            completer = self.unit_combo.completer()
            if completer is not None:
                completer.setModel(model)
        i = self.unit_combo.findData(data.code)
        if i >= 0:
            self.unit_combo.setCurrentIndex(i)
        self.unit_combo.blockSignals(False)
        self.model.set_rows(data.revisions)
        weeks = {r.week for r in data.revisions}
        corrections = sum(1 for r in data.revisions if r.version > 1)
        latest = next((r for r in data.revisions if r.current), None)
        text = (
            f"{data.code} {data.unit_name} · "
            + self.tr("รายงาน")
            + f" {len(weeks)} "
            + self.tr("สัปดาห์ · แก้ไข")
            + f" {corrections} "
            + self.tr("ครั้ง")
        )
        if latest is not None:
            text += (
                " · "
                + self.tr("ล่าสุด")
                + f" {count_text(latest.count)} "
                + self.tr("คน")
                + f" ({calendar.week_label(latest.week)})"
            )
        self.summary.setText(text)

    def rows(self) -> list[reports.RevisionView]:
        return list(self.model.rows)
