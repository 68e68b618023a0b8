"""What every screen shares: the database, the clock, the week on show, the background queues.

Screens never talk to each other. A change made on one screen is announced here
(`changed("reports")`) and every screen showing such data reloads when it is next visible.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from rayong_desktop.domain import calendar
from rayong_desktop.runtime import now_utc
from rayong_desktop.ui.tasks import TaskQueue

if TYPE_CHECKING:  # the database layer loads after the window shows (see `attach`)
    from rayong_desktop.domain.changes import Changes
    from rayong_desktop.services.database import Database
    from rayong_desktop.services.home_snapshot import DeskOpening

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

    attached = Signal()  # the database is open: every screen may load

    def __init__(
        self,
        db: Database | None,
        *,
        clock: Clock | None = None,
        opening: DeskOpening | None = None,
        parent: QObject | None = None,
    ) -> None:
        """A context on an open database, or (db None) on the figures the desk kept from its
        last session (`opening`) while the database opens in the background."""
        super().__init__(parent)
        self.clock: Clock = clock or now_utc
        self.writes = TaskQueue("desk-writes", self, collect_changes=True)
        # The audit entries this desk's own writes made: its poll for others' changes skips them.
        self.own_markers: set[int] = set()
        self.writes.changesMade.connect(self._remember_own)
        self.reads = TaskQueue("desk-reads", self)
        self.dataChanged.connect(self._refresh_campaign)
        self._db: Database | None = None
        if db is not None:
            self._take(db)
        elif opening is not None:
            self.week, self.inside = opening.week, opening.inside
            self.weeks = list(opening.weeks)
            self.campaign = opening.campaign
        else:
            raise ValueError("a desk context needs a database or the figures kept for it")

    def _take(self, db: Database) -> None:
        from rayong_desktop.services import desk, status

        week, inside = status.current_week(db, now=self.clock())
        weeks = desk.week_choices(db, now=self.clock())
        # Read once (and again when settings change) so that the week bar never queries.
        campaign = status.campaign_info(db)
        # Taken only once all of it was read: a failed read leaves the context as it was.
        self.week, self.inside, self.weeks, self.campaign = week, inside, weeks, campaign
        self._db = db

    @property
    def ready(self) -> bool:
        """The database is open (screens other than the kept home figures can load)."""
        return self._db is not None

    @property
    def db(self) -> Database:
        if self._db is None:
            raise RuntimeError("the database is still opening")
        return self._db

    @db.setter
    def db(self, db: Database) -> None:  # a restore swaps the file under the window
        self._db = db

    def attach(self, db: Database) -> None:
        """The database has opened: take its week, weeks and campaign (the kept ones were
        checked against it, so they agree unless the calendar turned meanwhile)."""
        previous_week = self.week
        self._take(db)
        self.attached.emit()
        if self.week != previous_week:
            self.weekChanged.emit(self.week)

    def _refresh_campaign(self, kind: str, _origin: object) -> None:
        if kind == SETTINGS and self.ready:
            from rayong_desktop.services import desk, status

            self.campaign = status.campaign_info(self.db)
            self.weeks = desk.week_choices(self.db, now=self.clock())

    def _remember_own(self, changes: Changes) -> None:
        self.own_markers |= changes.markers

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
        return self._db is None or self._db.read_only

    def shutdown(self) -> None:
        self.writes.shutdown()
        self.reads.shutdown()
