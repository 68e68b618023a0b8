"""A screen of the desk: loads its data in the background when shown, reloads when stale.

A screen names the kinds of change it shows (`watches`); a change of that kind, or another week,
makes it stale, and it reloads the next time it is visible (at once if it is). Loads run on the
reads queue; a result that arrives after a newer load was started is dropped, so a fast clerk
paging through weeks never sees an older week's figures land last.

A load that fails because the database cannot be reached (an outage) is tried again, later and
later (RETRY_DELAYS_MS, the last one repeating), and until one succeeds a strip over the screen
says from when its figures are: the same for every screen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QWidget

from rayong_desktop.ui import i18n
from rayong_desktop.ui.context import DeskContext
from rayong_desktop.ui.widgets import Banner, local_time

# After a load failed for an outage: wait this long before the next try (the last repeats).
RETRY_DELAYS_MS = (5_000, 15_000, 30_000)


class Page(QWidget):
    loaded = Signal()
    reachable = Signal()  # the database answered again (a load or the window's poll)
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
        self.loaded_at: datetime | None = None  # when the figures on show were read
        self.outage = False  # the last load failed for want of the database
        self._retries = 0
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._retry_load)
        self.outage_note = Banner("warn", self)  # over the screen, whatever its layout

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
            self.loaded_at = self.ctx.now()
            self._end_outage()
            self.apply(data)
            self.loaded.emit()

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self.loading = False
                # Imported here: the first screen shows before the database layer loads.
                from rayong_desktop.services.database import is_connection_error

                if is_connection_error(exc):
                    self._start_outage()
                else:
                    self.ctx.message.emit(i18n.error_text(exc))
                self.load_failed(exc)

        self.ctx.reads.submit(fetch, done, failed)

    # ---------------------------------------------------------------- outages

    def outage_text(self) -> str:
        """What the strip over the screen says during an outage ("" when there is none)."""
        return self.outage_note.text() if self.outage else ""

    def server_reachable(self) -> None:
        """The database answered (the window's poll): a screen left stale by an outage loads
        again at once rather than at its next retry."""
        self.reachable.emit()
        if self.outage:
            self._retry.stop()
            self._retry_load()

    def _start_outage(self) -> None:
        self.outage = True
        self.stale = True  # whatever happens to the retries, the next showing loads again
        problem = self.tr("เชื่อมต่อฐานข้อมูลไม่ได้ กำลังลองใหม่")
        if self.loaded_at is None:
            text = self.tr("ยังไม่มีตัวเลข") + " — " + problem
        else:
            text = self.tr("ตัวเลข ณ") + f" {local_time(self.loaded_at)} — " + problem
        self.outage_note.show_text(text)
        self._place_outage_note()
        self.outage_note.raise_()
        self.ctx.message.emit(self.tr("เชื่อมต่อฐานข้อมูลไม่ได้"))
        delay = RETRY_DELAYS_MS[min(self._retries, len(RETRY_DELAYS_MS) - 1)]
        self._retries += 1
        self._retry.start(delay)

    def _end_outage(self) -> None:
        was = self.outage
        self.outage, self._retries = False, 0
        self._retry.stop()
        self.outage_note.show_text("")
        if was:
            self.reachable.emit()

    def _retry_load(self) -> None:
        if self.isVisible():
            self.reload()
        else:
            self.stale = True  # loads when next shown; the strip stays until then

    def _place_outage_note(self) -> None:
        note = self.outage_note
        height = max(note.heightForWidth(self.width()), note.sizeHint().height())
        note.setGeometry(0, 0, self.width(), height)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.outage:
            self._place_outage_note()

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
