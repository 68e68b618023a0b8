"""Trends: the province's cumulative members week by week against the quota, the OA's friend
count beside it, and one small chart per plan row or per district, each with a dashed
projection to the campaign's end at the recent pace (domain.forecast); the same figures as a
table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from rayong_desktop.domain import calendar, districts, forecast
from rayong_desktop.domain.numbers import format_int, format_percent
from rayong_desktop.domain.thaidate import thai_week_range
from rayong_desktop.services import status, trends
from rayong_desktop.ui import theme
from rayong_desktop.ui.chart import ChartData, Guide, Line, TrendChart
from rayong_desktop.ui.context import OA, REGISTRY, REPORTS, SETTINGS, DeskContext
from rayong_desktop.ui.home_page import BY_DISTRICT, group_by_box, remember_group_by
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


@dataclass(frozen=True)
class TrendView:
    """What the screen shows: the curves and where each is heading."""

    trend: trends.Trend
    districts: tuple[trends.Series, ...]
    forecast: status.WeekForecast | None  # as of the week holding today, inside the campaign
    forecast_week: date | None


def projection_values(
    weeks: tuple[date, ...], values: tuple[int | None, ...], start: date, end: date, at_end: int
) -> list[int | None]:
    """The dashed line: from the figure of week ``start`` straight to ``at_end`` in week
    ``end`` (None elsewhere, and all None when either week is off the chart)."""
    out: list[int | None] = [None] * len(weeks)
    if start not in weeks or end not in weeks or end <= start:
        return out
    a, b = weeks.index(start), weeks.index(end)
    first = values[a]
    if first is None:
        return out
    for i in range(a, b + 1):
        out[i] = round(first + (at_end - first) * (i - a) / (b - a))
    return out


class TrendsPage(Page):
    watches = (REPORTS, REGISTRY, OA, SETTINGS)
    follows_week = False

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__(ctx)
        self.trend: trends.Trend | None = None
        self.view: TrendView | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 14, 18, 10)
        outer.setSpacing(8)
        head = QHBoxLayout()
        head.addWidget(label(self.tr("แนวโน้มจำนวนสมาชิกสะสม"), "title"), 1)
        self.group_by = group_by_box(self)
        self.group_by.setToolTip(self.tr("ดูกราฟรายแผนหรือรายอำเภอ"))
        self.group_by.currentIndexChanged.connect(self._group_by_changed)
        head.addWidget(self.group_by)
        outer.addLayout(head)
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
        self.small_title = label("", "section")
        grid.addWidget(self.small_title)
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

    def fetch(self) -> TrendView:
        db = self.ctx.db
        t = trends.campaign_trend(db, now=self.ctx.now())
        week, inside = status.current_week(db, now=self.ctx.now())
        fc = None
        if inside:
            s = status.week_summary(db, week)
            fc = status.week_forecast(db, s, districts.by_district(s))
        return TrendView(t, trends.district_series(db, t), fc, week if inside else None)

    def _group_by_changed(self, _index: int) -> None:
        remember_group_by(str(self.group_by.currentData()))
        if self.view is not None:
            self.apply(self.view)

    def by_district(self) -> bool:
        return bool(self.group_by.currentData() == BY_DISTRICT)

    def _projection(self, series: trends.Series, f: forecast.Forecast | None) -> Line | None:
        v = self.view
        if v is None or f is None or v.forecast is None or v.forecast_week is None:
            return None
        values = projection_values(
            v.trend.weeks, series.values, v.forecast_week, v.forecast.last_week, f.at_end
        )
        if all(x is None for x in values):
            return None
        return Line(
            self.tr("คาดการณ์ถึงสิ้นโครงการ"),
            values,
            theme.WARN,
            2.0,
            Qt.PenStyle.DashLine,
            markers=False,
        )

    def _forecast_of(self, series: trends.Series) -> forecast.Forecast | None:
        fc = self.view.forecast if self.view is not None else None
        if fc is None:
            return None
        if self.by_district():
            return next((f for d, f in fc.districts if (d.district or "") == series.key), None)
        return fc.plan_rows.get(int(series.key)) if series.key.isdigit() else None

    def apply(self, view: TrendView) -> None:
        self.view = view
        t = view.trend
        self.trend = t
        current = t.weeks.index(t.current_week) if t.current_week in t.weeks else None
        guides = [Guide(self.tr("เป้าหมายรวม"), t.province.quota, theme.QUOTA_RED)]
        if t.stated_quota is not None and t.stated_quota != t.province.quota:
            guides.append(
                Guide(self.tr("ตามที่พิมพ์ในแผน"), t.stated_quota, "#8792a2", Qt.PenStyle.DotLine)
            )
        latest = t.province.latest
        lines = [
            Line(self.tr("สมาชิกสะสมตามรายงาน"), t.province.values, theme.PRIMARY, 3.0),
            Line(self.tr("เพื่อนใน LINE OA"), t.oa_friends, theme.LINE_GREEN, 2.2),
        ]
        ahead = self._projection(
            t.province, view.forecast.province if view.forecast is not None else None
        )
        if ahead is not None:
            lines.append(ahead)
        self.province_chart.set_data(
            ChartData(
                weeks=t.weeks,
                lines=lines,
                guides=guides,
                title=self.tr("ทั้งจังหวัด"),
                subtitle=self.tr("รายสัปดาห์")
                + f" {short_date(t.weeks[0])} – {short_date(t.weeks[-1] + timedelta(days=6))}",
                current=current,
            )
        )
        groups = view.districts if self.by_district() else t.rows
        self.small_title.setText(
            self.tr("รายอำเภอ: สมาชิกสะสมเทียบเป้าหมายของแต่ละอำเภอ")
            if self.by_district()
            else self.tr("รายแผน: สมาชิกสะสมเทียบเป้าหมายของแต่ละแผน")
        )
        while len(self.row_charts) < len(groups):
            chart = TrendChart(compact=True)
            chart.setObjectName(f"rowChart{len(self.row_charts)}")
            chart.setMinimumHeight(220)
            n = len(self.row_charts)
            self.small_grid.addWidget(chart, n // SMALL_COLUMNS, n % SMALL_COLUMNS)
            self.row_charts.append(chart)
        for chart in self.row_charts[len(groups) :]:
            chart.setVisible(False)
        for chart, series in zip(self.row_charts, groups, strict=False):
            chart.setVisible(True)
            lines = [Line(self.tr("สมาชิกสะสม"), series.values, theme.PRIMARY, 2.4)]
            f = self._forecast_of(series)
            ahead = self._projection(series, f)
            if ahead is not None:
                lines.append(ahead)
            pct = (
                ""
                if series.latest is None or not series.quota
                else " · " + format_percent(100 * series.latest / series.quota)
            )
            chart.set_data(
                ChartData(
                    weeks=t.weeks,
                    lines=lines,
                    guides=[Guide(self.tr("เป้า"), series.quota, theme.QUOTA_RED)],
                    title=self._series_title(series),
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
        if view.forecast is not None:
            p = view.forecast.province
            self.summary.setText(
                self.summary.text()
                + " · "
                + self.tr("คาดการณ์เมื่อสิ้นโครงการ {0} คน ({1} ของเป้าหมาย)").format(
                    format_int(p.at_end), format_percent(p.pct_of_quota_at_end)
                )
            )
        self._fill_table(t, groups)

    def _series_title(self, series: trends.Series) -> str:
        if self.by_district():
            return series.key or self.tr("ไม่สังกัดอำเภอ (หน่วยงานระดับจังหวัด)")
        return self.tr("แผน") + f" {series.key}: {series.label}"

    def _fill_table(self, t: trends.Trend, groups: tuple[trends.Series, ...]) -> None:
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
        for series in groups:
            title = (
                series.key or self.tr("ไม่สังกัดอำเภอ")
                if self.by_district()
                else self.tr("แผน") + f" {series.key}"
            )
            columns.append(_row_column(title, series))
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
