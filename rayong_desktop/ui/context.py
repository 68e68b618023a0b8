"""What every screen shares: the database, the clock, the week on show, the background queues.

Screens never talk to each other. A change made on one screen is announced here
(`changed("reports")`) and every screen showing such data reloads when it is next visible.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QObject, Signal

from rayong_desktop.db.engine import Database
from rayong_desktop.domain import calendar
from rayong_desktop.services import desk, status
from rayong_desktop.services.common import now_utc
from rayong_desktop.ui.tasks import TaskQueue

Clock = Callable[[], datetime]

# What a change touches; screens subscribe to the kinds they show.
REPORTS = "reports"
REGISTRY = "registry"
OA = "oa"
SETTINGS = "settings"
NOTES = "notes"


class DeskContext(QObject):
    weekChanged = Signal(object)  # noqa: N815 (Qt signal naming)
    dataChanged = Signal(str, object)  # noqa: N815 (kind, the screen that made the change)
    message = Signal(str)
    openHistory = Signal(str)  # noqa: N815 (a unit code; the window switches screens)

    def __init__(
        self, db: Database, *, clock: Clock | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.clock: Clock = clock or now_utc
        self.writes = TaskQueue("desk-writes", self)
        self.reads = TaskQueue("desk-reads", self)
        self.week, self.inside = status.current_week(db, now=self.clock())
        self.weeks = desk.week_choices(db, now=self.clock())
        # Read once (and again when settings change) so that the week bar never queries.
        self.campaign = status.campaign_info(db)
        self.dataChanged.connect(self._refresh_campaign)

    def _refresh_campaign(self, kind: str, _origin: object) -> None:
        if kind == SETTINGS:
            self.campaign = status.campaign_info(self.db)
            self.weeks = desk.week_choices(self.db, now=self.clock())

    def now(self) -> datetime:
        return self.clock()

    def today_week(self) -> date:
        return calendar.week_start(self.now().astimezone(calendar.BANGKOK).date())

    def set_week(self, week: date) -> None:
        week = calendar.week_start(week)
        if week == self.week:
            return
        self.week = week
        if week not in self.weeks:
            self.weeks = sorted({*self.weeks, week})
        self.weekChanged.emit(week)

    def changed(self, kind: str, origin: object = None) -> None:
        """Announce a change; `origin` (the screen that made it) already shows it."""
        self.dataChanged.emit(kind, origin)

    @property
    def read_only(self) -> bool:
        return self.db.read_only

    def shutdown(self) -> None:
        self.writes.shutdown()
        self.reads.shutdown()
