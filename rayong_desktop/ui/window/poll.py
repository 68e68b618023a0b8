"""Changes made elsewhere (another clerk on a server database, the command line): the window
looks every 15 seconds and has the screens on show load again when the data moved. A look that
succeeds also tells every screen the database is reachable: one left stale by an outage loads
again, and figures keyed during the outage are stored."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from rayong_desktop.domain.changes import Changes
from rayong_desktop.ui.page import Page
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
        """Reload what is on show when others changed the database since the last look: only
        the kinds of data they changed, and never for the desk's own writes (their audit
        entries are in ctx.own_markers; the screen that wrote already shows them)."""
        if not self.ctx.ready or self.ctx.closed:
            return  # not open yet, or shut down with its window: nothing to look at
        from rayong_desktop.services import ops

        last = self._last_marker
        own = frozenset(self.ctx.own_markers)

        def look() -> ops.Feed:
            if last is None:
                return ops.Feed(Changes(), ops.newest_marker(self.ctx.db))
            return ops.changes_since(self.ctx.db, last, own=own)

        def done(feed: ops.Feed) -> None:
            self.ctx.announce(feed.changes, OTHERS)
            self._last_marker = feed.upto
            self.ctx.own_markers -= {m for m in own if m <= feed.upto}
            for page in self.findChildren(Page):
                page.server_reachable()

        self.ctx.reads.submit(look, done, lambda _e: None)
