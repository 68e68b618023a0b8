"""The desk and the support log: a bug in a screen is logged and the clerk told, in one line."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt, QTimer, QUrl, qWarning
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from rayong_desktop import logs
from rayong_desktop.ui import crash, prompts
from rayong_desktop.ui.window import MainWindow
from tests.ui.conftest import press

pytestmark = pytest.mark.gui


@pytest.fixture
def desk_hooks(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The hooks as the desk installs them at start (app.run_gui), undone after the test."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    logs.setup_logging()
    crash.install()
    yield
    for box in crash_boxes():
        box.close()


def crash_boxes() -> list[QMessageBox]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == "crash_message" and w.isVisible()
    ]


def log_text() -> str:
    return logs.log_file().read_text(encoding="utf-8")


@pytest.mark.usefixtures("desk_hooks")
def test_an_exception_in_a_slot_is_logged_and_the_clerk_told_in_thai(
    qtbot: QtBot, open_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()

    def broken(*_args: object) -> None:
        raise RuntimeError("induced in the shortcuts slot")

    monkeypatch.setattr(prompts, "inform", broken)
    press(qtbot, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: len(crash_boxes()) == 1)
    text = log_text()
    assert "ERROR rayong_desktop [MainThread] unexpected error: induced in the shortcuts" in text
    assert "Traceback (most recent call last):" in text
    assert "in _show_keys" in text
    [box] = crash_boxes()
    message = box.text()
    assert message == f"เกิดข้อผิดพลาดที่ไม่คาดคิด รายละเอียดบันทึกไว้ในบันทึกการทำงานที่ {logs.log_file()}"
    assert "\n" not in message and "Traceback" not in message
    # The desk goes on; a second failure while the box shows adds to the log, not another box.
    QTimer.singleShot(0, window._show_keys)
    qtbot.waitUntil(lambda: log_text().count("unexpected error: induced") == 2)
    assert len(crash_boxes()) == 1
    assert window.isVisible()


@pytest.mark.usefixtures("desk_hooks")
def test_a_bug_in_a_background_job_is_logged_with_its_traceback(
    qtbot: QtBot, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window()
    failed: list[BaseException] = []
    window.ctx.writes.submit(lambda: 1 // 0, on_error=failed.append)
    qtbot.waitUntil(lambda: bool(failed))
    assert isinstance(failed[0], ZeroDivisionError)
    assert "unexpected error: integer division or modulo by zero" in log_text()
    assert "ZeroDivisionError" in log_text()
    qtbot.waitUntil(lambda: len(crash_boxes()) == 1)


@pytest.mark.usefixtures("desk_hooks")
def test_qt_warnings_go_to_the_log() -> None:
    qWarning("a warning from Qt itself")
    assert "WARNING rayong_desktop.qt [MainThread] a warning from Qt itself" in log_text()


def test_help_opens_the_log_folder(
    open_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    window = open_window()
    help_menu = window.menuBar().actions()[-1].menu()
    assert window.log_folder_action in help_menu.actions()
    assert window.log_folder_action.text() == "เปิดโฟลเดอร์บันทึกการทำงาน (&O)"  # Alt+O
    window.log_folder_action.trigger()
    assert [u.toLocalFile() for u in opened] == [str(logs.log_dir())]
    assert logs.log_dir().is_dir()
