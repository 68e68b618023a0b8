"""A fast typist: keys that reach the keying grid back to back, before the cell each first key
opens has taken the focus, all land in that cell (issue: ๑๒๕๐ stored as ๑๕๐).

Thursday 21 May 2020, 10:00 (week 2020-W21); the seeded registry's first unit still to report
is R01. The keys are queued on the grid all at once and only then delivered, as a window system
delivers them to a busy desk; nothing here waits a set time.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from rayong_desktop.db.engine import Database
from rayong_desktop.ui.keying.rows import SAVING
from rayong_desktop.ui.window import MainWindow
from tests.ui.test_keying import W21, current, open_keying, stored

pytestmark = pytest.mark.gui


def queue_keys(target: object, text: str) -> None:
    """Post every key of `text` (then Enter) to `target` without letting Qt process any."""
    for ch in text:
        key = Qt.Key.Key_0 + int(ch) if ch in "0123456789" else 0
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.postEvent(
                target,  # type: ignore[arg-type]
                QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch),
            )
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.postEvent(
            target,  # type: ignore[arg-type]
            QKeyEvent(kind, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r"),
        )


@pytest.mark.parametrize("typed", ["๑๒๕๐", "1250", "๑2๕0"])
def test_keys_queued_back_to_back_are_all_kept(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow], typed: str
) -> None:
    window, page = open_keying(qtbot, open_window)
    code = current(page).code
    queue_keys(page.view, typed)
    qtbot.waitUntil(
        lambda: (
            window.ctx.writes.pending() == 0
            and code in stored(db, W21)
            and all(r.state != SAVING for r in page.model.rows)
        )
    )
    assert stored(db, W21)[code] == (1250, 1)
    assert current(page).code != code  # Enter moved on to the next unit


def test_a_key_the_open_cell_does_not_take_comes_back_once_and_typing_goes_on(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow]
) -> None:
    """A key the cell ignores (here F13; under X a remapped Thai keysym) goes up to the grid,
    its parent: the grid must not send it to the cell again (that recursed until Python's
    limit, an error box for the clerk, and the rest of the figure lost)."""
    window, page = open_keying(qtbot, open_window)
    code = current(page).code
    press = QEvent.Type.KeyPress
    QApplication.sendEvent(
        page.view, QKeyEvent(press, Qt.Key.Key_1, Qt.KeyboardModifier.NoModifier, "1")
    )
    assert page.view.open_editor() is not None
    QApplication.sendEvent(
        page.view, QKeyEvent(press, Qt.Key.Key_F13, Qt.KeyboardModifier.NoModifier, "")
    )
    queue_keys(page.view, "250")
    qtbot.waitUntil(
        lambda: (
            window.ctx.writes.pending() == 0
            and code in stored(db, W21)
            and all(r.state != SAVING for r in page.model.rows)
        )
    )
    assert stored(db, W21)[code] == (1250, 1)
