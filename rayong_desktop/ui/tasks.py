"""Work off the GUI thread, results back on it: the desk's one way to run background work.

A `TaskQueue` owns one worker thread and runs its jobs one after another, in the order they were
submitted: the writes queue keeps a clerk's figures in the order typed (a correction never
overtakes the figure it corrects, an undo never overtakes its entry), and the reads queue keeps
a slow chart from delaying a figure's save. Every piece of database work the desk does, and the
rendering of documents (the print dialog builds and renders PDFs on the reads queue), goes
through the context's two queues (ui/context.py); nothing else in ui/ starts a thread, spins an
event loop of its own or calls processEvents (tests/ui/test_tasks.py checks).

Callbacks run on the GUI thread, where models are changed. A job may report its progress
(`on_progress`: it is called with `progress=`, a function of (done, total) it may call from
the worker). Refusals (RefusedError, NeedsConfirmation) go to the job's error callback; anything
else is a bug and goes to sys.excepthook first (pytest-qt turns it into a failed test), then to
the error callback so the screen does not stay waiting.

Waiting is never done by blocking the GUI thread: `drain(then)` calls `then` once every job
submitted so far has finished. Only `shutdown`, once the window has closed, waits for the thread
to finish what it was given.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from rayong_desktop.domain.errors import NeedsConfirmation, RefusedError
from rayong_desktop.runtime import plain_imports

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]
Progressed = Callable[[int, int], None]

# How long closing the desk waits for the last job before it gives up on it (a database that
# is gone fails at once; this bounds a hung network connection).
SHUTDOWN_WAIT_MS = 30_000


class _Worker(QObject):
    finished = Signal(int, object, object)
    changed = Signal(int, object)  # a job's id and the Changes its writes made (writes queue)
    progressed = Signal(int, int, int)  # a job's id, done, total

    def __init__(self, collect_changes: bool) -> None:
        super().__init__()
        self._collect = collect_changes

    @Slot(int, object)
    def run(self, job_id: int, job: tuple[Callable[..., Any], bool] | None) -> None:
        if job is None:  # shutdown: every job before this one has run
            thread = QThread.currentThread()
            if thread is not None:
                thread.quit()
            return
        fn, reports_progress = job
        call: Callable[[], Any] = fn
        if reports_progress:
            call = self._with_progress(job_id, fn)
        try:
            if self._collect:
                with plain_imports():  # the database layer, the first time (see there)
                    from rayong_desktop.services import ops

                op = ops.run(call)
                result = op.result
                if op.changes:
                    self.changed.emit(job_id, op.changes)
            else:
                result = call()
        except Exception as exc:
            self.finished.emit(job_id, None, exc)
        else:
            self.finished.emit(job_id, result, None)

    def _with_progress(self, job_id: int, fn: Callable[..., Any]) -> Callable[[], Any]:
        shown = [-1]

        def progress(done: int, total: int) -> None:
            # A signal per percent, not per row: a 1,000-row file would flood the event queue.
            percent = 100 if total <= 0 else done * 100 // total
            if percent != shown[0]:
                shown[0] = percent
                self.progressed.emit(job_id, done, total)

        return lambda: fn(progress=progress)


class TaskQueue(QObject):
    _submit = Signal(int, object)
    busyChanged = Signal(bool)  # noqa: N815 (Qt signal naming)
    idle = Signal()

    # What a job's writes changed (a Changes) and the origin it was submitted with, before the
    # job's callback runs.
    changesMade = Signal(object, object)  # noqa: N815 (Qt signal naming)

    def __init__(
        self, name: str, parent: QObject | None = None, *, collect_changes: bool = False
    ) -> None:
        """`collect_changes`: every job runs as an operation (services.ops.run) and what its
        writes changed is announced (changesMade) before its callback runs."""
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName(name)
        self._worker = _Worker(collect_changes)
        self._worker.changed.connect(self._changed)
        self._worker.progressed.connect(self._progressed)
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.run)
        self._worker.finished.connect(self._finished)
        self._callbacks: dict[int, tuple[Done | None, Failed | None]] = {}
        self._origins: dict[int, object] = {}
        self._progress: dict[int, Progressed] = {}
        self._drains: list[tuple[int, Callable[[], None]]] = []
        self._next = 0
        self._stopped = False
        self._thread.start()

    def submit(
        self,
        fn: Callable[..., Any],
        on_done: Done | None = None,
        on_error: Failed | None = None,
        *,
        origin: object = None,
        on_progress: Progressed | None = None,
    ) -> int:
        """Run `fn` on the worker. `origin`: the screen that asked, which already shows what
        the job changes (passed on with its changes). With `on_progress` the job is called
        with `progress=` and what it reports arrives at `on_progress` on the GUI thread."""
        if self._stopped:
            raise RuntimeError("the desk is closing: no more work is taken")
        self._next += 1
        self._callbacks[self._next] = (on_done, on_error)
        if origin is not None:
            self._origins[self._next] = origin
        if on_progress is not None:
            self._progress[self._next] = on_progress
        if len(self._callbacks) == 1:
            self.busyChanged.emit(True)
        self._submit.emit(self._next, (fn, on_progress is not None))
        return self._next

    def pending(self) -> int:
        return len(self._callbacks)

    @property
    def stopped(self) -> bool:
        """Shut down: the queue takes no more work."""
        return self._stopped

    def drain(self, then: Callable[[], None]) -> None:
        """Call `then` (on the GUI thread) once every job submitted so far has finished and its
        callback has run: at once if there is none."""
        if not self._callbacks:
            then()
        else:
            self._drains.append((self._next, then))

    @Slot(int, object)
    def _changed(self, job_id: int, changes: object) -> None:
        self.changesMade.emit(changes, self._origins.get(job_id))

    @Slot(int, int, int)
    def _progressed(self, job_id: int, done: int, total: int) -> None:
        report = self._progress.get(job_id)
        if report is not None:
            report(done, total)

    @Slot(int, object, object)
    def _finished(self, job_id: int, result: Any, error: BaseException | None) -> None:
        on_done, on_error = self._callbacks.pop(job_id, (None, None))
        self._origins.pop(job_id, None)
        self._progress.pop(job_id, None)
        try:
            if error is None:
                if on_done is not None:
                    on_done(result)
            else:
                # Imported here: the first screen shows before the database layer loads.
                from rayong_desktop.services.database import is_connection_error

                if isinstance(error, RefusedError):
                    logging.getLogger(__name__).info("refused (%s): %s", error.code, error.en)
                elif is_connection_error(error):  # an outage: the screen says so and retries
                    logging.getLogger(__name__).warning("database unreachable: %s", error)
                elif not isinstance(error, NeedsConfirmation):
                    # A bug, not a refusal: report it loudly, then let the screen recover.
                    sys.excepthook(type(error), error, error.__traceback__)
                if on_error is not None:
                    on_error(error)
        finally:
            if not self._callbacks:
                self.busyChanged.emit(False)
                self.idle.emit()
            # Jobs run in order: this one finished, so every earlier one has too.
            due = [then for upto, then in self._drains if upto <= job_id]
            self._drains = [(upto, then) for upto, then in self._drains if upto > job_id]
            for then in due:
                then()

    def shutdown(self) -> None:
        """Finish what was submitted (callbacks no longer run) and stop the thread; taken no
        more work. Called once the window has closed, after it drained the queue."""
        if self._stopped:
            return
        self._stopped = True
        self._submit.emit(0, None)
        if not self._thread.wait(SHUTDOWN_WAIT_MS):
            logging.getLogger(__name__).error(
                "%s: a job still running after %d ms at shutdown",
                self._thread.objectName(),
                SHUTDOWN_WAIT_MS,
            )
