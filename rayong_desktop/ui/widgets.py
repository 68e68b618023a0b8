"""Small pieces every screen uses: banners, tiles, headings, a progress-bar cell, formatting."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from rayong_desktop.domain.numbers import NO_VALUE, format_percent
from rayong_desktop.ui import i18n, theme
from rayong_desktop.ui.formats import count_text as count_text  # the screens take it from here
from rayong_desktop.ui.tablemodel import VALUE_ROLE

BANNER_COLOURS = {
    "info": (theme.INFO, theme.INFO_SOFT),
    "warn": (theme.WARN, theme.WARN_SOFT),
    "error": (theme.ERROR, theme.ERROR_SOFT),
    "demo": (theme.DEMO, theme.DEMO_SOFT),
    "ok": (theme.OK, theme.OK_SOFT),
}


# The long kind names that begin most local administrations' names, and the short forms
# officials write: "องค์การบริหารส่วนตำบลบ้านแลง" is "อบต.บ้านแลง" in any list.
SHORT_KIND_PREFIXES = (
    ("องค์การบริหารส่วนจังหวัด", "อบจ."),
    ("องค์การบริหารส่วนตำบล", "อบต."),
    ("เทศบาลตำบล", "ทต."),
    ("เทศบาลเมือง", "ทม."),
    ("เทศบาลนคร", "ทน."),
)


def short_unit_name(name: str) -> str:
    """A unit's name as a list shows it: the kind shortened so the place name stays visible."""
    for long, short in SHORT_KIND_PREFIXES:
        if name.startswith(long):
            return short + name[len(long) :].lstrip()
    return name


def percent_text(p: float | None) -> str:
    return format_percent(p)


def when_text(dt: datetime | None) -> str:
    return NO_VALUE if dt is None else i18n.datetime_text(dt)


def short_day(d: date) -> str:
    """ "18 พ.ค." / "18 May" — the day and short month, for axes and compact cells."""
    return i18n.date_text(d, short=True, year=False)


def as_date(q: QDate) -> date:
    """The date a date field shows (PySide's toPython is typed as returning any object)."""
    return date(q.year(), q.month(), q.day())


def short_date(d: date) -> str:
    return i18n.date_text(d, short=True)


def local_time(dt: datetime) -> str:
    return i18n.time_text(dt)


class Banner(QLabel):
    """A full-width coloured strip stating something the clerk must not miss."""

    def __init__(self, kind: str = "info", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.set_kind(kind)
        self.setVisible(False)

    def set_kind(self, kind: str) -> None:
        fg, bg = BANNER_COLOURS[kind]
        self.kind = kind
        self.setStyleSheet(
            f"QLabel {{ background: {bg}; color: {fg}; padding: 7px 12px;"
            f" border-bottom: 1px solid {fg}33; }}"
        )

    def show_text(self, text: str, kind: str | None = None) -> None:
        if kind is not None:
            self.set_kind(kind)
        self.setText(text)
        self.setVisible(bool(text))


def label(text: str = "", role: str | None = None, *, wrap: bool = False) -> QLabel:
    widget = QLabel(text)
    if role:
        widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    return widget


class Card(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setFrameShape(QFrame.Shape.StyledPanel)


class StatTile(Card):
    """A figure with its caption: "ยังไม่ส่ง 7"."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(2)
        self.title = label(title, "tileTitle")
        self.value = label("–", "tileValue")
        self.value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.caption = label("", "hint")
        layout.addWidget(self.title)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set(self, value: str, caption: str = "", colour: str | None = None) -> None:
        self.value.setText(value)
        self.caption.setText(caption)
        self.value.setStyleSheet(f"color: {colour};" if colour else "")


def row_of(*widgets: QWidget, spacing: int = 10) -> QWidget:
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(spacing)
    for w in widgets:
        layout.addWidget(w)
    return holder


def tidy_table(view: QTableView, *, row_height_factor: float = 1.9) -> None:
    """The desk's table look: no row numbers, comfortable Thai line height, whole-row select."""
    view.verticalHeader().setVisible(False)
    # Thai stacks vowels and tone marks above and below the line: give rows room for them.
    view.verticalHeader().setDefaultSectionSize(
        int(view.fontMetrics().height() * row_height_factor)
    )
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setMinimumSectionSize(40)


class ProgressDelegate(QStyledItemDelegate):
    """A cell drawn as a bar: the percentage from VALUE_ROLE, the text from DisplayRole."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        value: Any = index.data(VALUE_ROLE)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, QColor("#cfe0f5"))
        # The bar takes the left part and the figures sit beside it in dark text: text laid
        # over a half-filled bar would be half white and half black, and hard to read.
        cell = QRectF(option.rect).adjusted(6, 0, -6, 0)
        bar_width = max(40.0, min(100.0, cell.width() * 0.3))
        bar = QRectF(cell.left(), cell.center().y() - 6, bar_width, 12)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#e3e8ef"))
        painter.drawRoundedRect(bar, 6, 6)
        pct = 0.0 if value is None else max(0.0, float(value))
        filled = QRectF(bar)
        filled.setWidth(bar.width() * min(pct, 100.0) / 100.0)
        painter.setBrush(QColor(theme.OK if pct >= 100 else theme.PRIMARY))
        if filled.width() > 0:
            painter.drawRoundedRect(filled, 6, 6)
        painter.setPen(QPen(QColor("#1d2733")))
        text_rect = QRectF(
            bar.right() + 8, cell.top(), cell.right() - bar.right() - 8, cell.height()
        )
        painter.drawText(
            text_rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            option.fontMetrics.elidedText(
                text, Qt.TextElideMode.ElideRight, int(text_rect.width())
            ),
        )
        painter.restore()

    def sizeHint(  # noqa: N802
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        base = super().sizeHint(option, index)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        return QSize(
            max(base.width(), option.fontMetrics.horizontalAdvance(text) + 36), base.height()
        )
