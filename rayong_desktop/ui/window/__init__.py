"""The main window, in parts: see `shell`."""

from rayong_desktop.ui.window.screens import SCREENS
from rayong_desktop.ui.window.shell import MainWindow

__all__ = ["SCREENS", "MainWindow"]
