"""The desk's side of the support log: Qt's own messages, and the clerk told of a bug.

`install()` (once, when the desk starts; `rayong_desktop.logs.setup_logging` has run) sends Qt's
warnings to the log and replaces the exception hook: an exception nobody caught (in a slot, a
timer, or a background job handed back by `tasks.TaskQueue`) is written to the log with its
traceback, and the clerk sees one line in Thai saying where the details are. The box does not
block: the desk goes on (the screen that failed is no worse off than before), and a burst of
errors shows one box, not a pile of them.
"""

from __future__ import annotations

import logging
import sys
from types import TracebackType

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QMessageLogContext,
    Qt,
    QThread,
    QtMsgType,
    QUrl,
    qInstallMessageHandler,
)
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox

from rayong_desktop.logs import log_dir, log_file, log_unexpected, output_goes_to_log

qt_log = logging.getLogger("rayong_desktop.qt")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}

_shown: list[QMessageBox] = []  # the box on screen, if any (one at a time)


def install() -> None:
    qInstallMessageHandler(qt_message)
    sys.excepthook = report_unexpected


def qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's warnings into the log (and still on the console when there is one)."""
    level = _QT_LEVELS.get(kind, logging.WARNING)
    qt_log.log(level, "%s", message)
    if level >= logging.WARNING and not output_goes_to_log() and sys.stderr is not None:
        sys.stderr.write(message + "\n")


def report_unexpected(
    kind: type[BaseException], value: BaseException, tb: TracebackType | None
) -> None:
    """sys.excepthook of the desk: the traceback to the log, one line in Thai to the clerk."""
    log_unexpected((kind, value, tb))
    if not output_goes_to_log() and sys.stderr is not None:
        sys.stderr.write(f"unexpected error: {kind.__name__}: {value} (details in {log_file()})\n")
    app = QApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        return  # no window to speak in, or not the GUI thread: the log has it
    if any(shiboken6.isValid(box) and box.isVisible() for box in _shown):
        return
    _shown.clear()
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "Rayong Fight Covid",
        crash_message(),
        parent=QApplication.activeWindow(),
    )
    box.addButton(QCoreApplication.translate("Crash", "ตกลง"), QMessageBox.ButtonRole.AcceptRole)
    box.setObjectName("crash_message")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _shown.append(box)
    box.open()  # modal to the window, but it does not stop the event loop (or a test)


def crash_message() -> str:
    return QCoreApplication.translate(
        "Crash", "เกิดข้อผิดพลาดที่ไม่คาดคิด รายละเอียดบันทึกไว้ในบันทึกการทำงานที่ {0}"
    ).format(log_file())


def open_log_folder() -> QUrl:
    """Show the log folder in the computer's file manager (Help menu)."""
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    url = QUrl.fromLocalFile(str(folder))
    QDesktopServices.openUrl(url)
    return url
