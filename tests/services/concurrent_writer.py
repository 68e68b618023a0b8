"""Child process for the concurrency tests: one clerk's desk storing reports.

python concurrent_writer.py TARGET GO_FILE JOB... where JOB is UNIT:WEEK:COUNT[:EXPECTED_VERSION].
Waits until GO_FILE exists (so all children start together), then stores each job and prints
"stored UNIT WEEK COUNT VERSION" or "conflict UNIT WEEK THEIR_COUNT THEIR_VERSION".
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

from rayong_desktop.db.engine import Database, is_server_url
from rayong_desktop.services.reports import ConflictError, record_report


def main() -> None:
    target = sys.argv[1]
    db = Database(target if is_server_url(target) else Path(target))
    go = Path(sys.argv[2])
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.005)
    for job in sys.argv[3:]:
        unit, week, count, *rest = job.split(":")
        expected = int(rest[0]) if rest else None
        try:
            r = record_report(
                db,
                unit_code=unit,
                week=date.fromisoformat(week),
                count=int(count),
                confirm=True,
                reason="concurrent",
                allow_correction=True,
                expected_version=expected,
            )
            print(f"stored {unit} {week} {r.count} {r.version}", flush=True)
        except ConflictError as exc:
            print(f"conflict {unit} {week} {exc.current_count} {exc.current_version}", flush=True)
    db.dispose()


if __name__ == "__main__":
    main()
