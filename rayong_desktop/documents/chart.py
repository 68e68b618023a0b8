"""The small weekly-trend chart of the summary: the province's cumulative count against its quota.

Drawn with ReportLab's graphics shapes rather than its chart widgets because every label is Thai
and must be a shaped string; the widgets make their own unshaped labels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors

from rayong_desktop.documents.text import ThaiText

BAR = colors.HexColor("#7fcf9d")
BAR_CURRENT = colors.HexColor("#06a04a")
QUOTA = colors.HexColor("#c62828")
AXIS = colors.HexColor("#444444")
GRID = colors.HexColor("#dddddd")


@dataclass(frozen=True)
class TrendPoint:
    week: date  # Monday
    count: int  # the province's cumulative count that week (last counts carried)


def _nice_step(top: float, ticks: int = 4) -> int:
    """A round step (1, 2, 2.5 or 5 x 10^n) giving about ``ticks`` gridlines up to ``top``."""
    raw = max(top, 1) / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return max(1, int(factor * power))
    return int(10 * power)


def trend_chart(
    points: Sequence[TrendPoint],
    *,
    quota: int,
    text: ThaiText,
    width: float,
    height: float,
    title: str = "ผู้เข้าร่วมกลุ่มสะสมรายสัปดาห์ เทียบกับเป้าหมาย",
) -> Drawing:
    """Bars of the cumulative count per week (the last one darker), a dashed quota line."""
    drawing = Drawing(width, height)
    font = text.font()
    size = text.size(11)
    # The renderer starts every drawing in Helvetica, which would then sit unembedded in the
    # PDF's font list; start it in our own font instead.
    drawing.initialFontName = font
    drawing.initialFontSize = size
    label_h = size * 1.6
    left = text.width(text.number(max(quota, 10) * 10), font, size) + 4
    bottom = label_h + 2
    # Title, then a legend row: the quota's label sits outside the plot, where no bar can
    # run over it.
    top = height - 2 * label_h - 2
    plot_w = width - left - 4
    plot_h = top - bottom

    def label(x: float, y: float, s: str, anchor: str = "start", bold: bool = False) -> None:
        f = text.font(bold)
        shaped = text.shaped(s, f, size)
        w = text.width(s, f, size)
        if anchor == "end":
            x -= w
        elif anchor == "middle":
            x -= w / 2
        drawing.add(String(x, y, shaped, fontName=f, fontSize=size, fillColor=AXIS))

    label(0, height - size * 1.1, title, bold=True)
    legend_y = height - label_h - size * 1.1
    quota_text = f"เป้าหมาย {text.number(quota)}"
    legend_x = width - text.width(quota_text, font, size)
    label(legend_x, legend_y, quota_text)
    drawing.add(
        Line(
            legend_x - 22,
            legend_y + size * 0.35,
            legend_x - 4,
            legend_y + size * 0.35,
            strokeColor=QUOTA,
            strokeWidth=1,
            strokeDashArray=[4, 2],
        )
    )
    count_text = "ยอดสะสม"
    count_x = legend_x - 34 - text.width(count_text, font, size)
    label(count_x, legend_y, count_text)
    drawing.add(Rect(count_x - 12, legend_y, 8, size * 0.75, fillColor=BAR, strokeColor=None))

    highest = max([quota, *(p.count for p in points)], default=quota)
    step = _nice_step(highest * 1.05)
    y_max = step * math.ceil(highest * 1.05 / step) if highest > 0 else step * 4

    def y_of(v: float) -> float:
        return bottom + plot_h * v / y_max

    tick = 0
    while tick <= y_max:
        y = y_of(tick)
        drawing.add(Line(left, y, left + plot_w, y, strokeColor=GRID, strokeWidth=0.4))
        label(left - 3, y - size * 0.35, text.number(tick), anchor="end")
        tick += step

    n = len(points)
    if n:
        slot = plot_w / n
        bar_w = max(0.6, slot * 0.7)
        for i, p in enumerate(points):
            x = left + i * slot + (slot - bar_w) / 2
            fill = BAR_CURRENT if i == n - 1 else BAR
            drawing.add(
                Rect(x, bottom, bar_w, y_of(p.count) - bottom, fillColor=fill, strokeColor=None)
            )
        # Date labels under some bars: always the last (this week), then going left every
        # few weeks, each only where it clears its right-hand neighbour.
        every = max(1, math.ceil(n / 6))
        placed_left = math.inf
        for i in range(n - 1, -1, -1):
            if i != n - 1 and i % every:
                continue
            s_date = text.short_date(points[i].week, year=False)
            w = text.width(s_date, font, size)
            centre = left + (i + 0.5) * slot
            if centre + w / 2 + 4 > placed_left:
                continue
            label(centre, bottom - size * 1.25, s_date, anchor="middle")
            placed_left = centre - w / 2
    qy = y_of(quota)
    drawing.add(
        Line(left, qy, left + plot_w, qy, strokeColor=QUOTA, strokeWidth=1, strokeDashArray=[4, 2])
    )
    drawing.add(Line(left, bottom, left + plot_w, bottom, strokeColor=AXIS, strokeWidth=0.6))
    drawing.add(Line(left, bottom, left, top, strokeColor=AXIS, strokeWidth=0.6))
    return drawing
