"""Who is acting and what time it is: RAYONG_CLERK and RAYONG_NOW, else the login and the clock.

Kept apart from the services (which load the database layer) so that the desk's window can name
the clerk and tick its clock before the database is open.
"""

from __future__ import annotations

import getpass
import os
from datetime import UTC, datetime

from rayong_desktop.domain.calendar import BANGKOK


def current_clerk() -> str:
    """The clerk's name for the audit trail: RAYONG_CLERK, else the computer's login name."""
    name = os.environ.get("RAYONG_CLERK", "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # no login name (service account, container): still record something
        return "unknown"


def now_utc() -> datetime:
    """Now, or the moment RAYONG_NOW names (training and tests; naive means Bangkok time)."""
    fixed = os.environ.get("RAYONG_NOW", "").strip()
    if fixed:
        moment = datetime.fromisoformat(fixed)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=BANGKOK)
        return moment.astimezone(UTC)
    return datetime.now(UTC)
