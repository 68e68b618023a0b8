"""A screen of the desk: loads its data in the background when shown, reloads when stale.

A screen names the kinds of change it shows (`watches`); a change of that kind, or another week,
makes it stale, and it reloads the next time it is visible (at once if it is). Loads run on the
reads queue; a result that arrives after a newer load was started is dropped, so a fast clerk
paging through weeks never sees an older week's figures land last.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QWidget

from rayong_desktop.ui.context import DeskContext


class Page(QWidget):
    loaded = Signal()
    watches: tuple[str, ...] = ()
    follows_week = True

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.stale = True
        self.loading = False
        self._generation = 0
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(120)
        self._debounce.timeout.connect(self._reload_if_visible)
        ctx.dataChanged.connect(self._on_data_changed)
        ctx.weekChanged.connect(self._on_week_changed)
        ctx.attached.connect(self._on_attached)

    # Subclasses implement these two: `fetch` runs on the reads thread and must only call
    # services; `apply` runs on the GUI thread with what `fetch` returned.
    def fetch(self) -> Any:
        return None

    def apply(self, data: Any) -> None:
        pass

    def load_failed(self, exc: BaseException) -> None:
        """A load failed (the status bar has said why); what is on show stays."""

    def title(self) -> str:
        return ""

    def focus_target(self) -> QWidget | None:
        return None

    def reload(self) -> None:
        if not self.ctx.ready:  # the database is still opening: load once it has
            self.stale = True
            return
        self._generation += 1
        generation = self._generation
        self.stale = False
        self.loading = True
        fetch: Callable[[], Any] = self.fetch

        def done(data: Any) -> None:
            if generation != self._generation:
                return
            self.loading = False
            self.apply(data)
            self.loaded.emit()

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self.loading = False
                self.ctx.message.emit(getattr(exc, "th", str(exc)))
                self.load_failed(exc)

        self.ctx.reads.submit(fetch, done, failed)

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        if self.stale:
            self.reload()

    def _on_attached(self) -> None:
        self.stale = True
        self._reload_if_visible()

    def _reload_if_visible(self) -> None:
        if self.isVisible():
            self.reload()

    def _on_data_changed(self, kind: str, origin: object) -> None:
        if kind in self.watches and origin is not self:
            self.stale = True
            self._debounce.start()

    def _on_week_changed(self, _week: object) -> None:
        if self.follows_week:
            self.stale = True
            self._debounce.start()
