"""Database work off the GUI thread, results back on it.

A `TaskQueue` owns one worker thread and runs its jobs one after another, in the order they were
submitted: the writes queue keeps a clerk's figures in the order typed (a correction never
overtakes the figure it corrects, an undo never overtakes its entry), and the reads queue keeps
a slow chart from delaying a figure's save. Callbacks run on the GUI thread, where models are
changed. Refusals (RefusedError, NeedsConfirmation) go to the job's error callback; anything
else is a bug and goes to sys.excepthook first (pytest-qt turns it into a failed test), then to
the error callback so the screen does not stay waiting.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QThread, QTimer, Signal, Slot

from rayong_desktop.domain.errors import NeedsConfirmation, RefusedError

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class _Worker(QObject):
    finished = Signal(int, object, object)
    changed = Signal(object)  # the Changes a job's writes made (a writes queue only)

    def __init__(self, collect_changes: bool) -> None:
        super().__init__()
        self._collect = collect_changes

    @Slot(int, object)
    def run(self, job_id: int, fn: Callable[[], Any]) -> None:
        try:
            if self._collect:
                from rayong_desktop.services import ops

                op = ops.run(fn)
                result = op.result
                if op.changes:
                    self.changed.emit(op.changes)
            else:
                result = fn()
        except Exception as exc:
            self.finished.emit(job_id, None, exc)
        else:
            self.finished.emit(job_id, result, None)


class TaskQueue(QObject):
    _submit = Signal(int, object)
    busyChanged = Signal(bool)  # noqa: N815 (Qt signal naming)
    idle = Signal()

    changesMade = Signal(object)  # noqa: N815 (Qt signal naming; a Changes, before the job's callback)

    def __init__(
        self, name: str, parent: QObject | None = None, *, collect_changes: bool = False
    ) -> None:
        """`collect_changes`: every job runs as an operation (services.ops.run) and what its
        writes changed is announced (changesMade) before its callback runs."""
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName(name)
        self._worker = _Worker(collect_changes)
        self._worker.changed.connect(self.changesMade)
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.run)
        self._worker.finished.connect(self._finished)
        self._callbacks: dict[int, tuple[Done | None, Failed | None]] = {}
        self._next = 0
        self._thread.start()

    def submit(
        self, fn: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None
    ) -> int:
        self._next += 1
        self._callbacks[self._next] = (on_done, on_error)
        if len(self._callbacks) == 1:
            self.busyChanged.emit(True)
        self._submit.emit(self._next, fn)
        return self._next

    def pending(self) -> int:
        return len(self._callbacks)

    @Slot(int, object, object)
    def _finished(self, job_id: int, result: Any, error: BaseException | None) -> None:
        on_done, on_error = self._callbacks.pop(job_id, (None, None))
        try:
            if error is None:
                if on_done is not None:
                    on_done(result)
            else:
                if isinstance(error, RefusedError):
                    logging.getLogger(__name__).info("refused (%s): %s", error.code, error.en)
                elif not isinstance(error, NeedsConfirmation):
                    # A bug, not a refusal: report it loudly, then let the screen recover.
                    sys.excepthook(type(error), error, error.__traceback__)
                if on_error is not None:
                    on_error(error)
        finally:
            if not self._callbacks:
                self.busyChanged.emit(False)
                self.idle.emit()

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """Run the event loop until every job has finished (closing the window, tests)."""
        if not self._callbacks:
            return True
        loop = QEventLoop()
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        self.idle.connect(loop.quit)
        timer.start(timeout_ms)
        loop.exec()
        timer.stop()
        self.idle.disconnect(loop.quit)
        return not self._callbacks

    def shutdown(self) -> None:
        self.wait_idle()
        self._thread.quit()
        self._thread.wait()
