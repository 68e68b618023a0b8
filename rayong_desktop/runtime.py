"""Who is acting and what time it is: RAYONG_CLERK and RAYONG_NOW, else the login and the clock;
and how this process imports modules that do not use Qt once Qt is loaded.

Kept apart from the services (which load the database layer) so that the desk's window can name
the clerk and tick its clock before the database is open.
"""

from __future__ import annotations

import builtins
import getpass
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
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


# The interpreter's own import, as it was when this module loaded (before Qt, when the desk
# starts: `app` imports this module first). See `plain_imports`.
_PLAIN_IMPORT = builtins.__import__
_swapping = threading.RLock()


@contextmanager
def plain_imports() -> Iterator[None]:
    """Import without PySide6's import hook, for modules that do not use Qt.

    Once loaded, PySide6 replaces `__import__` and, for every module imported after it, reads
    the module's whole source and keeps it in memory to see whether it names PySide6 (its
    opt-in `__feature__` switches, which this desk does not use; a module it has not seen gets
    the default, no switch). For the database layer, loaded behind the window at a start with
    kept figures, that is some 250 files read, about a tenth of its loading time and 17 MB of
    source text held for nothing. While this is active the interpreter's own import is used;
    it is put back afterwards. A no-op where Qt was loaded before this module (the tests)."""
    with _swapping:
        hooked = builtins.__import__
        builtins.__import__ = _PLAIN_IMPORT
        try:
            yield
        finally:
            builtins.__import__ = hooked
