"""What the parts of the main window share: its state and widgets, and the few calls one part
makes on another. The parts are built one on the other (screens, week bar, poll, menus,
opening, maintenance), each seeing the ones below it; `shell.MainWindow` is the last and builds
the window.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QListWidget,
    QMainWindow,
    QProgressBar,
    QStackedWidget,
)

from rayong_desktop.ui.context import DeskContext
from rayong_desktop.ui.i18n import QT_TRANSLATE_NOOP
from rayong_desktop.ui.page import Page
from rayong_desktop.ui.widgets import Banner

# Shown through self.tr(TITLE): the window translates it in its base class's context.
TITLE = QT_TRANSLATE_NOOP("WindowBase", "Rayong Fight Covid — โต๊ะงานรายงานสมาชิก LINE OA")


class WindowBase(QMainWindow):
    # The desk
    ctx: DeskContext
    lock: Any
    pages: dict[str, Page]
    demo: bool
    exit_code: int
    _target: str  # the database file shown while it opens
    _asked_demo: bool
    _pending_open: Callable[[], None] | None
    _opening_notes: list[QLabel]
    # The shell
    demo_banner: Banner
    banner: Banner
    week_banner: Banner
    nav: QListWidget
    stack: QStackedWidget
    busy_bar: QProgressBar
    saving_label: QLabel
    db_label: QLabel
    _busy_delay: QTimer
    # The week bar
    week_combo: QComboBox
    clock_label: QLabel
    clerk_label: QLabel
    _clock_timer: QTimer
    prev_week_action: QAction
    next_week_action: QAction
    today_action: QAction
    choose_week_action: QAction
    # The menus
    print_action: QAction  # the summary's entry
    print_actions: dict[str, QAction]  # the print entries by the document they make
    menu_key_action: QAction  # F10
    export_action: QAction
    import_forms_action: QAction
    import_units_action: QAction
    backup_action: QAction
    restore_action: QAction
    undo_action: QAction
    redo_action: QAction
    screen_actions: dict[str, QAction]
    # The poll for other clerks' changes
    _others_timer: QTimer
    _last_marker: int | None

    def _undo_changed(self) -> None:
        """The keying screen's undo history changed (the menus part enables Undo and Redo)."""
        raise NotImplementedError

    def _first_run_step(self, step: str) -> None:
        """A step of the home screen's first-run checklist was chosen (the menus part opens
        its screen or dialog)."""
        raise NotImplementedError
