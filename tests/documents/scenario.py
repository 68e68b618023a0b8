"""A small province for the document tests: three weeks of reports keyed under RAYONG_NOW.

It is Friday 22 May 2020, 15:00 Bangkok: both deadlines of 2020-W21 (Thursday 21 May 12:00 for
plan row 3, Friday 22 May 12:00 for the others) have passed. In W21 some units reported on
time, some late, some not at all; the latter carry their last count into the totals and are the
ones a reminder goes to.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.services import oa, registry, reports
from rayong_desktop.services.settings import update_setting
from rayong_desktop.services.startup import open_database

NOW = "2020-05-22 15:00"
W19, W20, W21 = date(2020, 5, 4), date(2020, 5, 11), date(2020, 5, 18)
OA_ID = "desk-test-oa"
ADD_FRIEND_URL = "https://line.me/R/ti/p/%40desk-test-oa"

# (unit, week) -> (cumulative count, received, Bangkok wall clock)
REPORTS: dict[tuple[str, date], tuple[int, str]] = {
    ("R01", W19): (500, "2020-05-08 10:00"),
    ("R02", W19): (12_000, "2020-05-08 12:00"),
    ("R09", W19): (20_000, "2020-05-08 12:01"),
    ("LAO-MRY", W19): (120, "2020-05-07 09:30"),
    ("LAO-KLG", W19): (80, "2020-05-07 12:01"),
    ("TN-RY", W19): (150, "2020-05-06 15:00"),
    ("R01", W20): (900, "2020-05-15 11:59"),
    ("R02", W20): (25_000, "2020-05-15 09:00"),
    ("R09", W20): (21_500, "2020-05-15 10:00"),
    ("LAO-MRY", W20): (200, "2020-05-14 12:00"),
    ("LAO-KLG", W20): (150, "2020-05-14 10:00"),
    ("TN-RY", W20): (260, "2020-05-13 14:00"),
    ("R11", W20): (6_000, "2020-05-15 08:00"),
    # W21: R01, R02 and LAO-KLG on time; R09 late by 150 minutes, R11 by 3 hours, TN-RY by
    # 1 minute; LAO-MRY (last count 200) and every other unit missing.
    ("R01", W21): (1_350, "2020-05-22 10:00"),
    ("R02", W21): (31_250, "2020-05-22 11:00"),
    ("R09", W21): (26_000, "2020-05-22 14:30"),
    ("R11", W21): (9_500, "2020-05-22 15:00"),
    ("LAO-KLG", W21): (210, "2020-05-21 11:00"),
    ("TN-RY", W21): (400, "2020-05-21 12:01"),
}
CONTACTS = {
    "LAO-MRY": ("งานประชาสัมพันธ์ สถ.อ.เมืองระยอง", "038-611-001", "038-611-002"),
    "R04": ("ฝ่ายประชาสัมพันธ์ หอการค้า", "038-800-400", None),
}
OA_FRIENDS = (date(2020, 5, 21), 61_000)


@contextmanager
def rayong_now(moment: str) -> Iterator[None]:
    old = os.environ.get("RAYONG_NOW")
    os.environ["RAYONG_NOW"] = moment
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("RAYONG_NOW", None)
        else:
            os.environ["RAYONG_NOW"] = old


def build(path: Path) -> None:
    """Create the scenario's database at ``path`` (seeded, reports keyed, OA ID set)."""
    with rayong_now(NOW):
        db = open_database(path)
        try:
            for code, (contact, phone, fax) in CONTACTS.items():
                registry.edit_unit(db, code, {"contact": contact, "phone": phone, "fax": fax})
            for (code, week), (count, received) in REPORTS.items():
                reports.record_report(
                    db,
                    unit_code=code,
                    week=week,
                    count=count,
                    received_at=datetime.fromisoformat(received).replace(tzinfo=BANGKOK),
                    confirm=True,
                )
            oa.record_oa_stat(db, on=OA_FRIENDS[0], friends=OA_FRIENDS[1])
            update_setting(db, "oa_id", "@" + OA_ID)
            update_setting(db, "document_digits", "arabic")
        finally:
            db.dispose()
