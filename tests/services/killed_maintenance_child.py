"""Child process for the kill tests: a backup or a restore that stops half-way (then is killed).

python killed_maintenance_child.py backup DB         the copy is written, then it waits
python killed_maintenance_child.py restore DB FILE   the safety copy is taken under the
                                                     database's write lock, then it waits
Prints "waiting" when it is at the point where the test kills it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from rayong_desktop.db import backup
from rayong_desktop.services import maintenance


def wait_forever() -> None:
    print("waiting", flush=True)
    while True:
        time.sleep(1)


def main() -> None:
    what, db_path = sys.argv[1], Path(sys.argv[2])
    if what == "backup":
        real_write = backup.atomic_write

        def write_then_stop(dest: Path, content: Any, **kw: Any) -> Path:
            def writer(tmp: Path) -> None:
                content(tmp)  # the whole copy, under its temporary name
                wait_forever()

            return real_write(dest, writer, **kw)

        backup.atomic_write = write_then_stop  # type: ignore[assignment]
        maintenance.make_backup(db_path, "manual")
    else:
        real_backup = maintenance.make_backup

        def backup_then_stop(path: Path, reason: str, **kw: Any) -> backup.BackupFile:
            made = real_backup(path, reason, **kw)
            if reason == "prerestore":
                wait_forever()
            return made

        maintenance.make_backup = backup_then_stop  # type: ignore[assignment]
        maintenance.restore(db_path, Path(sys.argv[3]))


if __name__ == "__main__":
    main()
