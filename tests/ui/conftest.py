"""The desk's GUI tests: a scripted clock, keys that carry Thai text, a window on a temp database.

Thai text is sent as QKeyEvents carrying the text (qtbot.keyClicks aborts the process on
non-ASCII characters); ASCII keys and shortcuts go through qtbot.keyClick, which also fires
shortcuts the way a real key press does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from rayong_desktop.db.engine import Database
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.ui.application import create_application
from rayong_desktop.ui.window import MainWindow


class ScriptedClock:
    """The desk's clock in a test: it stands still until the test moves it."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


def bkk(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BANGKOK)


class UnexpectedDialogError(AssertionError):
    pass


@pytest.fixture(autouse=True)
def _no_unexpected_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A modal dialog nobody answers would hang the run: every prompt the desk shows must be
    expected by the test, which replaces it; any other fails the test at once."""
    from rayong_desktop.ui import prompts

    shown: list[str] = []

    def refuse(name: str) -> Callable[..., object]:
        def dialog(*args: object, **kwargs: object) -> object:
            shown.append(f"{name}: {args[1:]}")
            raise UnexpectedDialogError(f"unexpected {name} dialog: {args[1:]}")

        return dialog

    for name in ("ask_yes_no", "ask_choice", "inform", "warn", "ask_text", "choose_backup_file"):
        monkeypatch.setattr(prompts, name, refuse(name))
    return shown


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> ScriptedClock:
    """Thursday 21 May 2020 (week 2020-W21), 10:00 in Bangkok, for the desk and the services."""
    monkeypatch.setenv("RAYONG_NOW", "2020-05-21 10:00")
    return ScriptedClock(bkk("2020-05-21 10:00"))


@pytest.fixture
def open_window(
    qtbot: QtBot, db: Database, clock: ScriptedClock
) -> Iterator[Callable[..., MainWindow]]:
    create_application([])
    windows: list[MainWindow] = []

    def make(**kwargs: object) -> MainWindow:
        window = MainWindow(kwargs.pop("database", db), clock=clock, **kwargs)  # type: ignore[arg-type]
        # Not qtbot.addWidget: its teardown closes and deletes at once, and a window closes
        # only once its writes queue has drained (below).
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        # Shortcuts reach only the active window, as on a real desktop.
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        windows.append(window)
        return window

    yield make
    for w in windows:
        if shiboken6.isValid(w):
            if not w.ctx.closed:
                close_window(qtbot, w)
            w.deleteLater()


def close_window(qtbot: QtBot, window: MainWindow) -> None:
    """Close the window as a clerk does, and wait until it has closed: closing drains the
    writes queue, keeps the home figures and makes the exit backup on it first."""
    window.close()
    qtbot.waitUntil(lambda: window.ctx.closed, timeout=20_000)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def type_text(text: str) -> None:
    """Type into whatever has the focus, one key event per character, carrying its text."""
    for ch in text:
        # Arabic digits carry their key code; anything else (Thai) only its text, as an input
        # method delivers it.
        key = Qt.Key.Key_0 + int(ch) if ch in "0123456789" else 0
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                focused(), QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch)
            )


def press(
    qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    qtbot.keyClick(focused(), key, modifier)
