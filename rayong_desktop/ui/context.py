"""What every screen shares: the database, the clock, the week on show, the background queues.

Screens never talk to each other. What a write on the writes queue changed (the Changes that
services.ops collects from its audit entries) is announced here by kind (`dataChanged`), with
the screen that submitted it as origin, and every screen showing such data reloads when it is
next visible. Nothing in ui/ announces a kind by hand: the poll announces what other clerks
changed (`announce`), and swapping the whole database (a restore) is the one "everything" case
(`everything_changed`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from rayong_desktop.domain import calendar
from rayong_desktop.domain.changes import ALL_KINDS, NOTES, OA, REGISTRY, REPORTS, SETTINGS, Changes
from rayong_desktop.runtime import now_utc
from rayong_desktop.ui import i18n
from rayong_desktop.ui.tasks import TaskQueue

if TYPE_CHECKING:  # the database layer loads after the window shows (see `attach`)
    from rayong_desktop.services.database import Database
    from rayong_desktop.services.desk import DeskCalendar
    from rayong_desktop.services.home_snapshot import DeskOpening

Clock = Callable[[], datetime]

# What a change touches (domain.changes names the kinds); screens subscribe to those they show.
__all__ = ["ALL_KINDS", "NOTES", "OA", "REGISTRY", "REPORTS", "SETTINGS", "DeskContext"]


class DeskContext(QObject):
    weekChanged = Signal(object)  # noqa: N815 (Qt signal naming)
    dataChanged = Signal(str, object)  # noqa: N815 (kind, the screen that made the change)
    message = Signal(str)
    openHistory = Signal(str)  # noqa: N815 (a unit code; the window switches screens)

    attached = Signal()  # the database is open: every screen may load
    campaignChanged = Signal()  # noqa: N815 (the campaign's dates and weeks were read again)

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
        self.writes.changesMade.connect(self._forward)
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

    def _take(self, db: Database, weeks: DeskCalendar | None = None) -> None:
        """Take the database and its calendar (`weeks`: read already, off the GUI thread;
        else read here)."""
        if weeks is None:
            from rayong_desktop.services import desk

            weeks = desk.desk_calendar(db, now=self.clock())
        # Read once (and again when settings change) so that the week bar never queries; taken
        # only once all of it was read: a failed read leaves the context as it was.
        self.week, self.inside = weeks.week, weeks.inside
        self.weeks, self.campaign = list(weeks.weeks), weeks.campaign
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

    def detach(self) -> Database:
        """The database is about to be swapped under the window (a restore): until it is given
        back (`db = ...`) screens do not load and the poll does not look."""
        db = self.db
        self._db = None
        return db

    def attach(self, db: Database, weeks: DeskCalendar | None = None) -> None:
        """The database has opened: take its week, weeks and campaign (`weeks`, when they were
        read with the opening; the kept ones were checked against it, so they agree unless the
        calendar turned meanwhile)."""
        previous_week = self.week
        self._take(db, weeks)
        self.attached.emit()
        if self.week != previous_week:
            self.weekChanged.emit(self.week)

    def _refresh_campaign(self, kind: str, _origin: object) -> None:
        """The campaign's dates may have moved with the settings: read them again (on the reads
        queue), then say so (`campaignChanged`: the week bar shows its weeks again)."""
        if kind != SETTINGS or not self.ready:
            return
        from rayong_desktop.services import desk, status

        db, now = self.db, self.clock()

        def read() -> tuple[Any, list[date]]:
            return status.campaign_info(db), desk.week_choices(db, now=now)

        def done(read_: tuple[Any, list[date]]) -> None:
            self.campaign, self.weeks = read_
            self.campaignChanged.emit()

        self.reads.submit(read, done, lambda exc: self.message.emit(i18n.error_text(exc)))

    def _forward(self, changes: Changes, origin: object) -> None:
        """What one of the desk's own writes changed: its markers are the desk's own (the poll
        skips them), its kinds go to the screens, with the screen that wrote as origin."""
        self.own_markers |= changes.markers
        self.announce(changes, origin)

    def announce(self, changes: Changes, origin: object = None) -> None:
        """Changes made elsewhere (the poll) or by a write: each kind once."""
        for kind in sorted(changes.kinds):
            self.dataChanged.emit(kind, origin)

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

    def everything_changed(self) -> None:
        """The whole database was swapped under the window (a restore from a backup): every
        kind of data on every screen comes from it again."""
        for kind in sorted(ALL_KINDS):
            self.dataChanged.emit(kind, None)

    @property
    def read_only(self) -> bool:
        return self._db is None or self._db.read_only

    @property
    def closed(self) -> bool:
        """The desk has shut its queues down (its window closed)."""
        return self.writes.stopped

    def shutdown(self) -> None:
        self.writes.shutdown()
        self.reads.shutdown()
