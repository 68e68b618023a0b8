"""Every window and dialog of the desk fits the screen it opens on.

Office PCs have 1366x768 laptops and 1280x720 projectors: a window sized for a big monitor, or
remembered from one, must still open with its edges, buttons and status bar on the screen.
`fit_to_screen` gives a window its preferred size capped to the available screen area (the
taskbar left out) and places it inside; `keep_on_screen` brings a window that is already sized
(restored geometry, a dialog that sized itself) back inside. `ScreenFitter`, installed on the
application once, applies `keep_on_screen` to every top-level window as it is shown, so no
dialog, message box or progress window can open off the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QApplication, QWidget

# Room kept for the window manager's title bar and borders before a window has shown (once it
# has, its real frame is measured).
FRAME_ALLOWANCE = QSize(16, 40)


def screen_of(widget: QWidget) -> QScreen | None:
    """The screen the widget is (or will be) on: its own, its parent window's, or the primary."""
    parent = widget.parentWidget()
    for candidate in (widget, parent.window() if parent is not None else None):
        if candidate is not None and candidate.isVisible():
            screen = candidate.screen()
            if screen is not None:
                return screen
    return QGuiApplication.primaryScreen()


def available_geometry(widget: QWidget) -> QRect:
    """The part of the widget's screen that windows may use (without the taskbar)."""
    screen = screen_of(widget)
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 720)


def _frame_margins(widget: QWidget) -> QSize:
    """How much the frame adds to the window's size (estimated until it has shown)."""
    if widget.isVisible():
        frame, inner = widget.frameGeometry(), widget.geometry()
        extra = QSize(frame.width() - inner.width(), frame.height() - inner.height())
        if extra.width() > 0 or extra.height() > 0:
            return extra
        if widget.testAttribute(Qt.WidgetAttribute.WA_Mapped):
            return extra  # shown with no frame (no window manager): nothing to allow for
    return FRAME_ALLOWANCE


def fitted_size(preferred: QSize, room: QRect, frame: QSize) -> QSize:
    """`preferred` capped so that the window with its frame fits inside `room`."""
    return QSize(
        max(1, min(preferred.width(), room.width() - frame.width())),
        max(1, min(preferred.height(), room.height() - frame.height())),
    )


def placed_inside(frame: QRect, room: QRect) -> QRect:
    """`frame` moved (not resized) so that as much of it as possible lies inside `room`."""
    x = max(room.left(), min(frame.left(), room.right() - frame.width() + 1))
    y = max(room.top(), min(frame.top(), room.bottom() - frame.height() + 1))
    return QRect(x, y, frame.width(), frame.height())


def fit_to_screen(widget: QWidget, preferred: QSize) -> None:
    """Size a window to `preferred`, capped to the available screen, and put it inside the
    screen: centred over its parent window if it has one, else on the screen."""
    room = available_geometry(widget)
    frame = _frame_margins(widget)
    widget.resize(fitted_size(preferred, room, frame))
    parent = widget.parentWidget()
    anchor = parent.window().frameGeometry() if parent is not None else room
    outer = QRect(0, 0, widget.width() + frame.width(), widget.height() + frame.height())
    outer.moveCenter(anchor.center())
    widget.move(placed_inside(outer, room).topLeft())


def keep_on_screen(widget: QWidget) -> None:
    """A window already sized (restored, or sized by its own contents) shrunk and moved as
    little as needed to lie inside the available screen; a maximised window is left alone."""
    if widget.isMaximized() or widget.isFullScreen():
        return
    room = available_geometry(widget)
    frame = _frame_margins(widget)
    size = fitted_size(widget.size(), room, frame)
    if size != widget.size():
        widget.resize(size)
    outer = widget.frameGeometry() if widget.isVisible() else widget.geometry()
    outer = QRect(
        outer.topLeft(), QSize(size.width() + frame.width(), size.height() + frame.height())
    )
    inside = placed_inside(outer, room)
    if inside.topLeft() != outer.topLeft():
        widget.move(inside.topLeft())


def lies_within(widget: QWidget) -> bool:
    """Whether the window's frame lies wholly inside the available screen (what tests check)."""
    return available_geometry(widget).contains(widget.frameGeometry())


class ScreenFitter(QObject):
    """Keeps every top-level window on the screen as it shows (installed on the application)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QWidget)
            and watched.isWindow()
            and watched.windowType() in (Qt.WindowType.Window, Qt.WindowType.Dialog)
        ):
            keep_on_screen(watched)
            # Once the window manager has framed it, its real frame is known: check again.
            QTimer.singleShot(0, watched, lambda w=watched: keep_on_screen(w))
        return False


def install_screen_fitter(app: QApplication) -> None:
    """Install the fitter once per application."""
    if app.findChild(ScreenFitter, "screenFitter") is None:
        fitter = ScreenFitter(app)
        fitter.setObjectName("screenFitter")
        app.installEventFilter(fitter)
