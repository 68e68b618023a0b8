"""Trends: the province's cumulative members week by week against the quota, the OA's friend
count beside it, and one small chart per plan row; the same figures as a table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHeaderView,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from rayong_desktop.domain import calendar
from rayong_desktop.domain.numbers import format_int, format_percent
from rayong_desktop.domain.thaidate import thai_week_range
from rayong_desktop.services import trends
from rayong_desktop.ui import theme
from rayong_desktop.ui.chart import ChartData, Guide, Line, TrendChart
from rayong_desktop.ui.context import OA, REGISTRY, REPORTS, SETTINGS, DeskContext
from rayong_desktop.ui.page import Page
from rayong_desktop.ui.tablemodel import RIGHT, Column, RowsModel
from rayong_desktop.ui.widgets import count_text, label, short_date, tidy_table

SMALL_COLUMNS = 3


@dataclass(frozen=True)
class WeekLine:
    index: int
    trend: trends.Trend

    def value(self, series: trends.Series) -> int | None:
        return series.values[self.index]


class TrendsPage(Page):
    watches = (REPORTS, REGISTRY, OA, SETTINGS)
    follows_week = False

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__(ctx)
        self.trend: trends.Trend | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 14, 18, 10)
        outer.setSpacing(8)
        outer.addWidget(label(self.tr("แนวโน้มจำนวนสมาชิกสะสม"), "title"))
        self.summary = label("", "subtitle", wrap=True)
        outer.addWidget(self.summary)
        self.tabs = QTabWidget()
        outer.addWidget(self.tabs, 1)

        charts = QWidget()
        grid = QVBoxLayout(charts)
        grid.setContentsMargins(0, 6, 8, 6)
        grid.setSpacing(12)
        self.province_chart = TrendChart()
        self.province_chart.setObjectName("provinceChart")
        self.province_chart.setMinimumHeight(400)
        grid.addWidget(self.province_chart)
        grid.addWidget(label(self.tr("รายแผน: สมาชิกสะสมเทียบเป้าหมายของแต่ละแผน"), "section"))
        self.small_grid = QGridLayout()
        self.small_grid.setSpacing(10)
        grid.addLayout(self.small_grid)
        grid.addStretch(1)
        self.row_charts: list[TrendChart] = []
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(charts)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.tabs.addTab(scroll, self.tr("กราฟ"))

        self.table_model: RowsModel[WeekLine] = RowsModel([])
        self.table = QTableView()
        self.table.setObjectName("trendTable")
        self.table.setModel(self.table_model)
        tidy_table(self.table, row_height_factor=1.6)
        self.tabs.addTab(self.table, self.tr("ตาราง"))

    def focus_target(self) -> QWidget | None:
        return self.province_chart

    def fetch(self) -> trends.Trend:
        return trends.campaign_trend(self.ctx.db, now=self.ctx.now())

    def apply(self, t: trends.Trend) -> None:
        self.trend = t
        current = t.weeks.index(t.current_week) if t.current_week in t.weeks else None
        guides = [Guide(self.tr("เป้าหมายรวม"), t.province.quota, theme.QUOTA_RED)]
        if t.stated_quota is not None and t.stated_quota != t.province.quota:
            guides.append(
                Guide(self.tr("ตามที่พิมพ์ในแผน"), t.stated_quota, "#8792a2", Qt.PenStyle.DotLine)
            )
        latest = t.province.latest
        self.province_chart.set_data(
            ChartData(
                weeks=t.weeks,
                lines=[
                    Line(self.tr("สมาชิกสะสมตามรายงาน"), t.province.values, theme.PRIMARY, 3.0),
                    Line(self.tr("เพื่อนใน LINE OA"), t.oa_friends, theme.LINE_GREEN, 2.2),
                ],
                guides=guides,
                title=self.tr("ทั้งจังหวัด"),
                subtitle=self.tr("รายสัปดาห์")
                + f" {short_date(t.weeks[0])} – {short_date(t.weeks[-1] + timedelta(days=6))}",
                current=current,
            )
        )
        while len(self.row_charts) < len(t.rows):
            chart = TrendChart(compact=True)
            chart.setObjectName(f"rowChart{len(self.row_charts)}")
            chart.setMinimumHeight(220)
            n = len(self.row_charts)
            self.small_grid.addWidget(chart, n // SMALL_COLUMNS, n % SMALL_COLUMNS)
            self.row_charts.append(chart)
        for chart, series in zip(self.row_charts, t.rows, strict=False):
            pct = (
                ""
                if series.latest is None or not series.quota
                else " · " + format_percent(100 * series.latest / series.quota)
            )
            chart.set_data(
                ChartData(
                    weeks=t.weeks,
                    lines=[Line(self.tr("สมาชิกสะสม"), series.values, theme.PRIMARY, 2.4)],
                    guides=[Guide(self.tr("เป้า"), series.quota, theme.QUOTA_RED)],
                    title=self.tr("แผน") + f" {series.key}: {series.label}",
                    subtitle=f"{count_text(series.latest)} / {format_int(series.quota)}{pct}",
                    current=current,
                )
            )
        if latest is not None:
            pct = format_percent(100 * latest / t.province.quota) if t.province.quota else "–"
            self.summary.setText(
                self.tr("ล่าสุด")
                + f" {format_int(latest)} "
                + self.tr("คน")
                + f" ({pct} "
                + self.tr("ของเป้าหมาย")
                + f" {format_int(t.province.quota)}) · "
                + self.tr("ชี้เมาส์หรือกดลูกศรซ้าย/ขวาบนกราฟเพื่อดูตัวเลขแต่ละสัปดาห์")
            )
        self._fill_table(t)

    def _fill_table(self, t: trends.Trend) -> None:
        columns: list[Column[WeekLine]] = [
            Column(self.tr("สัปดาห์"), lambda r: calendar.week_label(r.trend.weeks[r.index])),
            Column(self.tr("ช่วงวันที่"), lambda r: thai_week_range(r.trend.weeks[r.index])),
            Column(
                self.tr("ทั้งจังหวัด"),
                lambda r: count_text(r.value(r.trend.province)),
                align=RIGHT,
                bold=lambda r: True,
            ),
            Column(
                self.tr("% เป้าหมาย"),
                lambda r: (
                    "–"
                    if r.value(r.trend.province) is None or not r.trend.province.quota
                    else format_percent(
                        100 * (r.value(r.trend.province) or 0) / r.trend.province.quota
                    )
                ),
                align=RIGHT,
            ),
            Column(
                self.tr("เพื่อน LINE OA"),
                lambda r: count_text(r.trend.oa_friends[r.index]),
                align=RIGHT,
            ),
        ]
        for series in t.rows:
            columns.append(_row_column(self.tr("แผน") + f" {series.key}", series))
        self.table_model = RowsModel(columns, [WeekLine(i, t) for i in range(len(t.weeks))])
        self.table.setModel(self.table_model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)


def _row_column(title: str, series: trends.Series) -> Column[Any]:
    return Column(
        title,
        lambda r: count_text(series.values[r.index]),
        align=RIGHT,
        tooltip=lambda r: series.label,
    )
