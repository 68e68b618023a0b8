"""A line chart drawn with QPainter: weeks across, members up, target lines, a hover read-out.

QtCharts is not in PySide6-Essentials, and a chart this plain is clearer drawn by hand: crisp
antialiased lines, Thai labels in the app's font, numbers with thousands separators, and the
week under the mouse (or chosen with the arrow keys) read out in a box.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from rayong_desktop.domain.numbers import NO_VALUE, format_int
from rayong_desktop.ui import i18n, theme
from rayong_desktop.ui.widgets import short_day


@dataclass(frozen=True)
class Line:
    label: str
    values: Sequence[int | None]
    colour: str
    width: float = 2.4
    style: Qt.PenStyle = Qt.PenStyle.SolidLine
    markers: bool = True


@dataclass(frozen=True)
class Guide:
    """A horizontal line: a quota."""

    label: str
    value: int
    colour: str
    style: Qt.PenStyle = Qt.PenStyle.DashLine


@dataclass
class ChartData:
    weeks: Sequence[date] = ()
    lines: Sequence[Line] = ()
    guides: Sequence[Guide] = ()
    title: str = ""
    subtitle: str = ""
    current: int | None = None  # index of the current week, shaded
    extras: dict[str, str] = field(default_factory=dict)


def nice_step(span: float, ticks: int = 5) -> float:
    """A round tick step (1, 2, 2.5 or 5 x 10^k) giving about `ticks` intervals over `span`."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * power:
            return float(m * power)
    return float(10 * power)


class TrendChart(QWidget):
    def __init__(self, *, compact: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.compact = compact
        self.data = ChartData()
        self.hover: int | None = None
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(200 if compact else 320)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(360, 230) if self.compact else QSize(900, 420)

    def set_data(self, data: ChartData) -> None:
        self.data = data
        if self.hover is not None and self.hover >= len(data.weeks):
            self.hover = None
        self.update()

    # ---------------------------------------------------------------- geometry

    def _fonts(self) -> tuple[QFont, QFont, QFont]:
        base = QFont(self.font())
        small = QFont(base)
        small.setPointSizeF(base.pointSizeF() * (0.8 if self.compact else 0.9))
        title = QFont(base)
        title.setBold(True)
        title.setPointSizeF(base.pointSizeF() * (1.0 if self.compact else 1.2))
        return base, small, title

    def _y_max(self) -> float:
        values = [v for line in self.data.lines for v in line.values if v is not None]
        values += [g.value for g in self.data.guides]
        top = max(values, default=0)
        return max(top * 1.08, 10.0)

    def _plot_rect(self) -> tuple[QRectF, float, float]:
        _base, small, title = self._fonts()
        sm = QFontMetricsF(small)
        tm = QFontMetricsF(title)
        step = nice_step(self._y_max(), 4 if self.compact else 6)
        y_top = math.ceil(self._y_max() / step) * step
        label_w = max(sm.horizontalAdvance(format_int(int(y_top))), sm.horizontalAdvance("0"))
        top = 10 + tm.height() * 1.25
        if self.data.subtitle:
            top += sm.height() * 1.1
        if not self.compact:
            top += sm.height() * 1.6  # legend row
        top += sm.height() * 0.6  # the top tick's label is centred on the top line
        left = 12 + label_w + 8
        bottom = sm.height() * 2.0 + 6
        rect = QRectF(left, top, max(10.0, self.width() - left - 18), 0)
        rect.setBottom(max(top + 10, self.height() - bottom))
        return rect, step, y_top

    def _x(self, rect: QRectF, i: int) -> float:
        n = len(self.data.weeks)
        if n <= 1:
            return rect.center().x()
        return rect.left() + rect.width() * i / (n - 1)

    @staticmethod
    def _y(rect: QRectF, value: float, y_top: float) -> float:
        return rect.bottom() - rect.height() * (value / y_top if y_top else 0)

    # ---------------------------------------------------------------- painting

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        base, small, title = self._fonts()
        p.fillRect(self.rect(), QColor("white"))
        p.setPen(QPen(QColor(theme.GRID), 1))
        p.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)
        d = self.data
        tm, sm = QFontMetricsF(title), QFontMetricsF(small)
        p.setFont(title)
        p.setPen(QColor("#1d2733"))
        p.drawText(QPointF(14, 10 + tm.ascent()), self._elide(tm, d.title, self.width() - 28))
        y_cursor = 10 + tm.height() * 1.25
        if d.subtitle:
            p.setFont(small)
            p.setPen(QColor(theme.MUTED))
            p.drawText(
                QPointF(14, y_cursor + sm.ascent()), self._elide(sm, d.subtitle, self.width() - 28)
            )
            y_cursor += sm.height() * 1.1
        if not self.compact:
            self._legend(p, small, y_cursor)
        if not d.weeks:
            p.setFont(base)
            p.setPen(QColor(theme.MUTED))
            p.drawText(self.rect(), int(Qt.AlignmentFlag.AlignCenter), self.tr("ยังไม่มีข้อมูล"))
            p.end()
            return
        rect, step, y_top = self._plot_rect()
        self._grid(p, small, rect, step, y_top)
        self._current_band(p, small, rect)
        taken: list[QRectF] = []
        for g in sorted(d.guides, key=lambda g: -g.value):
            taken.append(self._guide(p, small, rect, g, y_top, taken))
        for line in d.lines:
            self._line(p, rect, line, y_top)
        if self.hover is not None:
            self._hover(p, small, rect, y_top)
        p.end()

    @staticmethod
    def _elide(metrics: QFontMetricsF, text: str, width: float) -> str:
        return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)

    def _legend(self, p: QPainter, font: QFont, y: float) -> None:
        fm = QFontMetricsF(font)
        p.setFont(font)
        x = 14.0
        items: list[tuple[str, str, Qt.PenStyle]] = [
            (line.label, line.colour, line.style) for line in self.data.lines
        ]
        items += [(g.label, g.colour, g.style) for g in self.data.guides]
        for text, colour, style in items:
            p.setPen(QPen(QColor(colour), 2.6, style))
            mid = y + fm.height() / 2
            p.drawLine(QPointF(x, mid), QPointF(x + 22, mid))
            p.setPen(QColor("#1d2733"))
            p.drawText(QPointF(x + 28, y + fm.ascent()), text)
            x += 28 + fm.horizontalAdvance(text) + 20

    def _grid(self, p: QPainter, font: QFont, rect: QRectF, step: float, y_top: float) -> None:
        fm = QFontMetricsF(font)
        p.setFont(font)
        value = 0.0
        while value <= y_top + 1e-6:
            y = self._y(rect, value, y_top)
            p.setPen(QPen(QColor("#eef1f5") if value else QColor("#9aa5b1"), 1))
            p.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
            p.setPen(QColor(theme.MUTED))
            text = format_int(int(value))
            p.drawText(
                QRectF(0, y - fm.height() / 2, rect.left() - 8, fm.height()),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                text,
            )
            value += step
        weeks = self.data.weeks
        label_w = fm.horizontalAdvance(short_day(date(2020, 5, 30))) + 14
        every = max(1, math.ceil(len(weeks) * label_w / max(rect.width(), 1)))
        p.setPen(QColor(theme.MUTED))
        for i, w in enumerate(weeks):
            x = self._x(rect, i)
            p.setPen(QPen(QColor("#c3cad3"), 1))
            p.drawLine(QPointF(x, rect.bottom()), QPointF(x, rect.bottom() + 4))
            if i % every == 0 or (i == len(weeks) - 1 and (i % every) > every / 2):
                p.setPen(QColor(theme.MUTED))
                text = short_day(w)
                tw = fm.horizontalAdvance(text)
                left = min(max(x - tw / 2, rect.left() - 8), self.width() - tw - 4)
                p.drawText(QPointF(left, rect.bottom() + 6 + fm.ascent()), text)

    def _current_band(self, p: QPainter, font: QFont, rect: QRectF) -> None:
        i = self.data.current
        if i is None or not 0 <= i < len(self.data.weeks):
            return
        n = len(self.data.weeks)
        half = rect.width() / max(n - 1, 1) / 2
        x = self._x(rect, i)
        band = QRectF(max(rect.left(), x - half), rect.top(), 0, rect.height())
        band.setRight(min(rect.right(), x + half))
        p.fillRect(band, QColor(31, 95, 168, 22))
        if not self.compact:
            p.setFont(font)
            p.setPen(QColor(theme.PRIMARY))
            fm = QFontMetricsF(font)
            text = self.tr("สัปดาห์นี้")
            p.drawText(QPointF(x - fm.horizontalAdvance(text) / 2, rect.top() + fm.ascent()), text)

    def _guide(
        self,
        p: QPainter,
        font: QFont,
        rect: QRectF,
        g: Guide,
        y_top: float,
        taken: list[QRectF],
    ) -> QRectF:
        """Draw a target line with its label above it at the left, where cumulative curves
        start low and leave room; below it when a higher target's label already sits there
        (the computed and the printed plan totals are close)."""
        y = self._y(rect, g.value, y_top)
        p.setPen(QPen(QColor(g.colour), 1.6, g.style))
        p.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
        p.setFont(font)
        fm = QFontMetricsF(font)
        text = f"{g.label} {format_int(g.value)}"
        tw = fm.horizontalAdvance(text)
        box = QRectF(rect.left() + 10, y - fm.height() - 2, tw + 6, fm.height())
        if any(box.intersects(other) for other in taken):
            box.moveTop(y + 2)
        p.fillRect(box, QColor(255, 255, 255, 225))
        p.setPen(QColor(g.colour))
        p.drawText(box, int(Qt.AlignmentFlag.AlignCenter), text)
        return box

    def _line(self, p: QPainter, rect: QRectF, line: Line, y_top: float) -> None:
        path = QPainterPath()
        started = False
        points: list[QPointF] = []
        for i, v in enumerate(line.values):
            if v is None:
                started = False
                continue
            pt = QPointF(self._x(rect, i), self._y(rect, v, y_top))
            points.append(pt)
            if started:
                path.lineTo(pt)
            else:
                path.moveTo(pt)
                started = True
        pen = QPen(QColor(line.colour), line.width * (0.8 if self.compact else 1.0), line.style)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        if line.markers and len(points) <= 60:
            p.setBrush(QColor("white"))
            p.setPen(QPen(QColor(line.colour), 1.8))
            r = 2.6 if self.compact else 3.4
            for pt in points:
                p.drawEllipse(pt, r, r)

    def _hover(self, p: QPainter, font: QFont, rect: QRectF, y_top: float) -> None:
        i = self.hover
        assert i is not None
        x = self._x(rect, i)
        p.setPen(QPen(QColor("#6b7785"), 1, Qt.PenStyle.DotLine))
        p.drawLine(QPointF(x, rect.top()), QPointF(x, rect.bottom()))
        rows = [i18n.week_range_text(self.data.weeks[i])]
        for line in self.data.lines:
            v = line.values[i] if i < len(line.values) else None
            rows.append(f"{line.label}: {NO_VALUE if v is None else format_int(v)}")
        for g in self.data.guides:
            v = next(
                (line.values[i] for line in self.data.lines if line.values[i] is not None), None
            )
            pct = "" if v is None or not g.value else f" ({100 * v / g.value:.1f}%)"
            rows.append(f"{g.label}: {format_int(g.value)}{pct}")
        fm = QFontMetricsF(font)
        width = max(fm.horizontalAdvance(r) for r in rows) + 20
        height = fm.height() * len(rows) + 12
        left = x + 12 if x + 12 + width < self.width() - 4 else x - 12 - width
        box = QRectF(left, rect.top() + 6, width, height)
        p.setPen(QPen(QColor(theme.GRID), 1))
        p.setBrush(QColor(255, 255, 255, 240))
        p.drawRoundedRect(box, 6, 6)
        p.setFont(font)
        for n, text in enumerate(rows):
            p.setPen(QColor("#1d2733") if n == 0 else QColor("#333"))
            p.drawText(
                QPointF(box.left() + 10, box.top() + 6 + fm.ascent() + n * fm.height()), text
            )
        for line in self.data.lines:
            v = line.values[i] if i < len(line.values) else None
            if v is not None:
                p.setBrush(QColor(line.colour))
                p.setPen(QPen(QColor("white"), 1.5))
                p.drawEllipse(QPointF(x, self._y(rect, v, y_top)), 4.5, 4.5)

    # ---------------------------------------------------------------- interaction

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if not self.data.weeks:
            return
        rect, _step, _top = self._plot_rect()
        n = len(self.data.weeks)
        x = event.position().x()
        if n == 1:
            self.hover = 0
        else:
            self.hover = max(0, min(n - 1, round((x - rect.left()) / rect.width() * (n - 1))))
        self.update()

    def leaveEvent(self, _event: object) -> None:  # noqa: N802
        if not self.hasFocus():
            self.hover = None
            self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        n = len(self.data.weeks)
        if n and event.key() in (
            Qt.Key.Key_Left,
            Qt.Key.Key_Right,
            Qt.Key.Key_Home,
            Qt.Key.Key_End,
        ):
            i = self.hover if self.hover is not None else (self.data.current or n - 1)
            i = {
                Qt.Key.Key_Left: i - 1,
                Qt.Key.Key_Right: i + 1,
                Qt.Key.Key_Home: 0,
                Qt.Key.Key_End: n - 1,
            }[Qt.Key(event.key())]
            self.hover = max(0, min(n - 1, i))
            self.update()
            return
        super().keyPressEvent(event)
