"""The QApplication with the bundled Thai font, so Thai never shows as boxes."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from rayong_desktop.fonts import sarabun_path
from rayong_desktop.ui.geometry import install_screen_fitter

UI_FONT_SIZE_PT = 10


def load_thai_font() -> str:
    """Register the bundled Sarabun faces with Qt; return the family name."""
    family = ""
    for style in ("Regular", "Bold"):
        font_id = QFontDatabase.addApplicationFont(str(sarabun_path(style)))
        if font_id < 0:
            raise RuntimeError(f"Qt could not load Sarabun-{style}.ttf")
        family = QFontDatabase.applicationFontFamilies(font_id)[0]
    return family


def create_application(argv: Sequence[str]) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        app = QApplication(list(argv))
    app.setApplicationName("Rayong Fight Covid Desk")
    app.setOrganizationName("RayongProvince")
    family = load_thai_font()
    app.setFont(QFont(family, UI_FONT_SIZE_PT))
    install_screen_fitter(app)  # no window or dialog opens beyond the screen's edges
    collect_on_gui_thread(app)
    if not app.property("deskLanguageSet"):
        # Once per process: tests create the application many times over.
        from rayong_desktop.ui.i18n import install_translator

        install_translator(app)
        app.setProperty("deskLanguageSet", True)
    return app


# How often the GUI thread looks whether Python's cyclic garbage is due for collecting.
COLLECT_EVERY_MS = 250


class _GuiThreadCollector(QObject):
    """Python's cyclic garbage collector, run by the GUI thread only.

    Left automatic, the collector runs in whichever thread happens to allocate when it is due:
    often a queue's worker thread (loading figures). A closed dialog or window left in a cycle
    of Python references is then freed there, and Qt objects deleted off the GUI thread crash
    the process (seen as a segmentation fault while a worker thread was collecting). So the
    automatic collector is off and this timer collects, on the GUI thread, the generations that
    are due by Python's own thresholds. Objects without cycles are freed at once, as ever."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        gc.disable()
        # What exists now (the modules, Qt's wrappers, the application) lives as long as the
        # process: moved out of the collector's sight, so that no later collection walks it.
        gc.freeze()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.collect)
        self.timer.start(COLLECT_EVERY_MS)

    def collect(self) -> None:
        collect_due()


def collect_due() -> None:
    """Collect the generations that Python's own thresholds say are due (what the automatic
    collector would have done by now); nothing when none is."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    if counts[0] <= thresholds[0]:
        return
    generation = 0
    if counts[1] > thresholds[1]:
        generation = 2 if counts[2] > thresholds[2] else 1
    gc.collect(generation)


def collect_on_gui_thread(app: QApplication) -> None:
    """Once per application: the cyclic garbage collector runs on its GUI thread only."""
    if app.findChild(_GuiThreadCollector) is None:
        _GuiThreadCollector(app)


def show_error(message: str) -> None:
    """A message box when there is a screen; under offscreen tests stderr already said it."""
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen" or QGuiApplication.platformName() in (
        "offscreen",
        "minimal",
    ):
        return
    QMessageBox.critical(None, "Rayong Fight Covid", message)


def probe_when_ready(window: Any, report: Callable[[str], None]) -> None:
    """Tell `report` "ready" once the home screen shows its figures (kept from the last session
    or read), then "attached" once the database is open and the home screen has read it."""
    home = window.page("home")
    told: list[str] = []

    def poll() -> None:
        shown = getattr(home, "data", None) is not None and not getattr(home, "loading", True)
        if shown and not told:
            told.append("ready")
            report("ready")
        if shown and window.ctx.ready and not home.stale and len(told) == 1:
            told.append("attached")
            report("attached")
            return
        QTimer.singleShot(5, poll)

    QTimer.singleShot(0, poll)
