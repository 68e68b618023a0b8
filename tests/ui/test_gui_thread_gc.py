"""Cyclic garbage is collected on the GUI thread only (ui.application.collect_on_gui_thread)."""

from __future__ import annotations

import gc
import threading
from typing import ClassVar

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from rayong_desktop.ui.application import COLLECT_EVERY_MS, create_application
from tests.helpers import python_output


class Cycle:
    """An object in a reference cycle that says on which thread it was freed."""

    freed_on: ClassVar[list[str]] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        Cycle.freed_on.append(threading.current_thread().name)


def test_a_worker_thread_allocating_never_collects_cycles(qapp: QApplication) -> None:
    create_application([])
    assert not gc.isenabled()
    Cycle.freed_on.clear()
    Cycle()  # unreachable at once, freed only by the cyclic collector

    def allocate() -> None:
        junk = [[i] for i in range(200_000)]  # far past the collector's thresholds
        del junk

    worker = threading.Thread(target=allocate, name="worker")
    worker.start()
    worker.join()
    assert Cycle.freed_on == []
    gc.collect()
    assert Cycle.freed_on == ["MainThread"]


def test_the_gui_thread_collects_what_is_due(qapp: QApplication, qtbot: QtBot) -> None:
    create_application([])
    Cycle.freed_on.clear()
    Cycle()
    # The young generation due (kept alive: freeing them would take the count back down).
    junk = [[i] for i in range(gc.get_threshold()[0] * 3)]
    assert Cycle.freed_on == []  # nothing collects it until the GUI thread's timer
    qtbot.waitUntil(lambda: bool(Cycle.freed_on), timeout=COLLECT_EVERY_MS * 20)
    assert Cycle.freed_on and set(Cycle.freed_on) == {threading.current_thread().name}
    assert len(junk) > 0


def test_what_exists_when_the_collector_takes_over_is_left_out_of_collections() -> None:
    """In a fresh process: nothing is frozen before the application starts; its collector
    freezes what exists then (the modules, Qt's wrappers), so no later collection walks it,
    and what is made afterwards is still collected."""
    code = (
        "import gc, os\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from rayong_desktop.ui.application import create_application\n"
        "assert gc.get_freeze_count() == 0\n"
        "app = create_application([])\n"
        "frozen = gc.get_freeze_count()\n"
        "class Cycle:\n"
        "    def __init__(self): self.me = self\n"
        "Cycle()\n"
        "print(frozen, gc.collect(), gc.isenabled())\n"
    )
    output = python_output(code, timeout=120)
    frozen, collected, enabled = output.split()
    assert int(frozen) > 10_000  # before: 0 (no freeze when the collector took over)
    assert int(collected) >= 1 and enabled == "False"
