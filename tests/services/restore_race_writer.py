"""Child process for the restore race: a writer storing one row per transaction.

python restore_race_writer.py DB NAME STOP_FILE: stores setting rows "race-NAME-N" through
Database.transaction until STOP_FILE exists, printing "ok N" once each is committed (an
acknowledged write) or "refused N" when the write was refused (nothing stored).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import Setting
from rayong_desktop.domain.errors import RefusedError


def main() -> None:
    db = Database(Path(sys.argv[1]))
    name, stop = sys.argv[2], Path(sys.argv[3])
    print("ready", flush=True)
    n = 0
    while not stop.exists():
        n += 1
        try:
            with db.transaction() as session:
                session.add(Setting(key=f"race-{name}-{n}", value="1"))
        except RefusedError:
            print(f"refused {n}", flush=True)
            continue
        print(f"ok {n}", flush=True)
        time.sleep(0.002)
    db.dispose()


if __name__ == "__main__":
    main()
