"""Child process for the crash test: keys reports in a loop, acknowledging each after commit.

Usage: python crash_writer.py DB_PATH START_COUNT. Prints "ack UNIT WEEK COUNT VERSION" only
after record_report has returned (the transaction is committed).
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

from rayong_desktop.services.reports import record_report
from rayong_desktop.services.startup import open_database

UNITS = ["TN-RY", "TM-MTP", "TM-BCH", "PAO-RY", "R01", "R08", "LAO-KLG"]
WEEKS = [date(2020, 5, 4) + timedelta(weeks=i) for i in range(10)]


def main() -> None:
    db = open_database(Path(sys.argv[1]))
    count = int(sys.argv[2])
    i = 0
    print("ready", flush=True)
    while True:
        unit = UNITS[i % len(UNITS)]
        week = WEEKS[(i // len(UNITS)) % len(WEEKS)]
        count += 1
        result = record_report(
            db,
            unit_code=unit,
            week=week,
            count=count,
            confirm=True,
            reason="crash test",
            allow_correction=True,
        )
        print(f"ack {unit} {week.isoformat()} {result.count} {result.version}", flush=True)
        i += 1


if __name__ == "__main__":
    main()
