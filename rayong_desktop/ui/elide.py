"""Long Thai names cut at word boundaries, never inside a letter cluster.

Qt elides by characters: "สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอเมืองระยอง" could come out as
"สำนักงานส่ง…มืองระยอง", the leading vowel of "เมือง" dropped. Here a name is cut into the same
unbreakable pieces the documents wrap Thai at (documents.words.pieces: words, never a split
cluster), and the middle pieces give way to "…": the kind at the start and the place name at
the end stay readable. The full name is the cell's tooltip.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from functools import lru_cache

import shiboken6
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from rayong_desktop.documents.words import clusters, load_segmenter, pieces, segmenter_loaded
from rayong_desktop.runtime import plain_imports

ELLIPSIS = "…"


@lru_cache(maxsize=4096)
def _pieces(text: str) -> tuple[str, ...]:
    return tuple(pieces(text))


def _start_by_clusters(text: str, advance: Callable[[str], int], width: int) -> str:
    """As much of the start as fits with "…", cut between letter clusters: a mark stays with its
    letter, a leading vowel with the letter after it (documents.words.clusters, which needs no
    dictionary). Also the last resort for a first word wider than the room."""
    kept = ""
    for cluster in clusters(text):
        if advance(kept + cluster + ELLIPSIS) > width:
            break
        kept += cluster
    return kept.rstrip() + ELLIPSIS


# Delegates that painted while the segmenter was loading, cut by letter clusters instead.
_provisional: weakref.WeakSet[WordElideDelegate] = weakref.WeakSet()


def warm_up() -> None:
    """Load the word segmenter (a tenth of a second, once): run on the reads queue, off screen,
    never in a paint. Until it is loaded, names are cut between letter clusters; then
    `repaint_provisional` (on the GUI thread) draws them again cut between words."""
    with plain_imports():  # PyThaiNLP does not use Qt
        load_segmenter()


def repaint_provisional(_result: object = None) -> None:
    """Draw again every column that was elided by clusters while the segmenter loaded."""
    for delegate in list(_provisional):
        if not shiboken6.isValid(delegate):  # its view was closed and deleted meanwhile
            continue
        view = delegate.parent()
        if isinstance(view, QAbstractItemView):
            view.viewport().update()
    _provisional.clear()


def elide_words(text: str, metrics: QFontMetrics, width: int) -> str:
    """`text` as it fits in `width`: whole, or its first piece and as many of its last pieces
    as fit, joined by "…"."""
    advance: Callable[[str], int] = metrics.horizontalAdvance
    if advance(text) <= width:
        return text
    if not segmenter_loaded():
        # For the moment until it is: the start kept, cut after a whole letter cluster (never
        # a start and an end cut out of the middle of words).
        return _start_by_clusters(text, advance, width)
    parts = _pieces(text)
    if len(parts) < 2:
        return _start_by_clusters(text, advance, width)
    head, tail = parts[0].rstrip(), ""
    if advance(head + ELLIPSIS) > width:
        return _start_by_clusters(text, advance, width)
    # The end (the place) first, then more of the start while room is left.
    left, right = 1, len(parts)
    while right - 1 > left and advance(head + ELLIPSIS + parts[right - 1] + tail) <= width:
        right -= 1
        tail = parts[right] + tail
    while left < right and advance(head + parts[left] + ELLIPSIS + tail.lstrip()) <= width:
        head += parts[left]
        left += 1
    return head.rstrip() + ELLIPSIS + tail.lstrip()


class WordElideDelegate(QStyledItemDelegate):
    """Draws a column's text elided at Thai word boundaries (see `elide_words`); its size hint
    stays the full text's, so a column sized to its contents still fits whole names."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        shown = QStyleOptionViewItem(option)
        self.initStyleOption(shown, index)
        text: str = shown.text
        widget: QWidget | None = shown.widget
        style = widget.style() if widget is not None else QApplication.style()
        if text:
            room = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, shown, widget)
            # Qt keeps a small margin inside the text rectangle: leave it the same room.
            margin = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
            shown.text = elide_words(text, QFontMetrics(shown.font), room.width() - margin)
            if shown.text != text and not segmenter_loaded():
                _provisional.add(self)
            shown.textElideMode = Qt.TextElideMode.ElideNone
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, shown, painter, widget)
