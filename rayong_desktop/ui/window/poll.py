"""Changes made elsewhere (another clerk on a server database, the command line): the window
looks every 15 seconds and has the screens on show load again when the data moved."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from rayong_desktop.ui.context import NOTES, OA, REGISTRY, REPORTS, SETTINGS
from rayong_desktop.ui.window.weekbar import WeekBarPart

# How often the desk looks for changes made elsewhere (another clerk, the command line).
OTHERS_POLL_MS = 15_000
OTHERS = object()  # the origin of changes made outside this window


class PollPart(WeekBarPart):
    def _start_poll(self) -> None:
        self._last_marker = None
        self._others_timer = QTimer(self)
        self._others_timer.setInterval(OTHERS_POLL_MS)
        self._others_timer.timeout.connect(self.check_for_others)
        self._others_timer.start()

    def check_for_others(self) -> None:
        """Reload what is on show when the database changed since the last look."""
        if not self.ctx.ready:
            return
        from rayong_desktop.services import desk

        def done(marker: int) -> None:
            if self._last_marker is not None and marker != self._last_marker:
                for kind in (REPORTS, REGISTRY, OA, SETTINGS, NOTES):
                    self.ctx.changed(kind, OTHERS)
            self._last_marker = marker

        self.ctx.reads.submit(lambda: desk.change_marker(self.ctx.db), done, lambda _e: None)
