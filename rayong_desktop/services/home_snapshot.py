"""The home screen's figures kept between starts, so the desk shows them before its database
layer has loaded.

When the desk closes it writes what its home screen would show next time: the current week, the
week list, the campaign and the week's summary, deadlines and call notes, with the database's
data marker (`db.peek.data_marker`) read *before* the figures. At the next start the snapshot is
used only if all of these still hold:

* the same program version and the same database file;
* the file's data marker is unchanged (every change is audited, so nothing was keyed, imported,
  corrected, restored or migrated since; a marker read before the figures can only make a
  snapshot look older than it is, never newer);
* today falls in the same week (the current week and the week list follow the calendar) and no
  deadline of the week has passed since (the call list marks who is overdue; the countdowns
  themselves tick from the clock).

Anything else (a missing, damaged or foreign file, another version, any doubt) means no snapshot,
and the desk opens the database first as it always has. The snapshot is a cache: deleting it
loses nothing. This module imports no database layer so that loading it costs milliseconds; the
capturing side imports the services when it runs (they are loaded by then).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rayong_desktop import __version__
from rayong_desktop.db.peek import data_marker
from rayong_desktop.domain import calendar, codec, summaries
from rayong_desktop.domain.desk import HomeFigures
from rayong_desktop.files import atomic_write
from rayong_desktop.paths import data_dir

if TYPE_CHECKING:
    from rayong_desktop.db.engine import Database

FORMAT = 2  # 2: the districts and the forecast


@dataclass(frozen=True)
class DeskOpening:
    """What the window needs to show the home screen before the database is open."""

    week: date
    inside: bool
    weeks: list[date]
    campaign: summaries.CampaignInfo
    demo: bool
    home: HomeFigures


def snapshot_path(db_file: Path) -> Path:
    """Where the snapshot of `db_file` lives: the user's data folder, one file per database."""
    key = hashlib.sha256(str(db_file.resolve()).encode("utf-8")).hexdigest()[:24]
    return data_dir() / "cache" / f"home-{key}.json"


def capture(db: Database, now: datetime) -> Path | None:
    """Write the snapshot for the week current at `now`; returns its path, or None when this
    database keeps none (a server database, a read-only or unreadable file)."""
    from rayong_desktop.services import demo, desk, status

    if not db.is_sqlite or db.read_only or db.path is None:
        return None
    marker = data_marker(db.path)  # before the figures: see the module's note
    if marker is None:
        return None
    week, inside = status.current_week(db, now=now)
    opening = DeskOpening(
        week=week,
        inside=inside,
        weeks=desk.week_choices(db, now=now),
        campaign=status.campaign_info(db),
        demo=demo.is_demo(db),
        home=desk.home_figures(db, week),
    )
    document = {
        "format": FORMAT,
        "version": __version__,
        "database": str(db.path.resolve()),
        "marker": marker,
        "today_week": _today_week(now).isoformat(),
        "captured_at": now.isoformat(),
        "opening": codec.encode(opening),
    }
    path = snapshot_path(db.path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write(path, json.dumps(document, ensure_ascii=False, separators=(",", ":")))


def load(db_file: Path, now: datetime) -> DeskOpening | None:
    """The kept opening for `db_file` if it still holds at `now` (see the module's note)."""
    path = snapshot_path(db_file)
    try:
        document: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict):
        return None
    if (
        document.get("format") != FORMAT
        or document.get("version") != __version__
        or document.get("database") != str(db_file.resolve())
        or document.get("today_week") != _today_week(now).isoformat()
    ):
        return None
    marker = data_marker(db_file)
    if marker is None or document.get("marker") != marker:
        return None
    try:
        opening: DeskOpening = codec.decode(DeskOpening, document.get("opening"))
        captured = datetime.fromisoformat(str(document.get("captured_at")))
    except (codec.CodecError, ValueError, TypeError, KeyError):
        return None
    if captured.tzinfo is None:
        return None
    # Whom the call list marks overdue changes when a deadline passes: not across one.
    early, late = min(captured, now), max(captured, now)
    if any(early < d.due_at <= late for d in opening.home.deadlines):
        return None
    return opening


def forget(db_file: Path) -> None:
    """Remove the snapshot of `db_file`, if any."""
    snapshot_path(db_file).unlink(missing_ok=True)


def _today_week(now: datetime) -> date:
    return calendar.week_start(now.astimezone(calendar.BANGKOK).date())
