"""Eliding names before the word segmenter is loaded: letter clusters, then words."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtGui import QFontMetrics, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QTableView

from rayong_desktop.documents import words
from rayong_desktop.ui import elide

NAME = "สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอเมืองระยอง"


@pytest.fixture
def unloaded() -> Iterator[None]:
    """The segmenter as at start: its dictionary not yet in memory."""
    words.word_list.cache_clear()
    elide._pieces.cache_clear()
    yield
    words.load_segmenter()


def _name_column() -> tuple[QTableView, elide.WordElideDelegate]:
    """A narrow column showing NAME through the eliding delegate."""
    model = QStandardItemModel(1, 1)
    model.setItem(0, 0, QStandardItem(NAME))
    view = QTableView()
    view.setModel(model)
    view.setColumnWidth(0, 120)
    delegate = elide.WordElideDelegate(view)
    view.setItemDelegateForColumn(0, delegate)
    return view, delegate


def test_before_the_dictionary_loads_names_keep_their_start_cut_between_clusters(
    qapp: QApplication, unloaded: None
) -> None:
    metrics = QFontMetrics(qapp.font())
    cut = 0
    for width in range(60, metrics.horizontalAdvance(NAME), 9):
        shown = elide.elide_words(NAME, metrics, width)
        if shown == NAME:
            continue
        head, ellipsis, tail = shown.partition("…")
        assert ellipsis and not tail and NAME.startswith(head)
        assert metrics.horizontalAdvance(shown) <= width
        # Never a leading vowel left without its letter, never a mark cut from its base.
        rest = NAME[len(head) :]
        assert head[-1] not in "เแโใไ"
        assert unicodedata.category(rest[0]) != "Mn" and rest[0] != "ำ"
        cut += 1
    assert cut > 5
    assert not words.segmenter_loaded()  # eliding did not load it (never in a paint)


def test_a_column_drawn_by_clusters_is_drawn_again_by_words_once_loaded(
    qapp: QApplication, unloaded: None
) -> None:
    view, delegate = _name_column()
    view.resize(200, 80)
    view.grab()  # paints the cell
    assert delegate in elide._provisional
    elide.warm_up()
    assert words.segmenter_loaded()
    elide.repaint_provisional()
    assert delegate not in elide._provisional
    view.grab()
    assert delegate not in elide._provisional  # drawn by words now


def test_a_column_closed_while_the_segmenter_loaded_is_skipped(
    qapp: QApplication, unloaded: None
) -> None:
    view, delegate = _name_column()
    view.grab()
    assert delegate in elide._provisional
    shiboken6.delete(view)  # the dialog closed: its view and the delegate are gone
    elide.warm_up()
    elide.repaint_provisional()  # does not touch what was deleted
    assert not elide._provisional
