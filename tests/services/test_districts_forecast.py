"""`status --json`'s districts and forecast over the scripted month (tests/services/test_status.py).

The districts are a second way of cutting the same units: for every week their totals add up to
the province's. The forecast is checked by hand on a unit whose figure was corrected.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from rayong_desktop.db.engine import Database
from rayong_desktop.domain.registry import DISTRICT_NAMES
from rayong_desktop.services import settings as settings_service
from rayong_desktop.services import status
from tests.services.test_status import LABEL, W21, W22, WEEKS, all_units, month

__all__ = ["month"]

ADDITIVE = (
    "quota",
    "units_quota",
    "count",
    "previous_count",
    "increase",
    "expected",
    "received",
    "on_time",
    "late",
    "missing",
    "overdue",
)


def report(db: Database, week: date) -> dict[str, Any]:
    return status.status_report(db, week)


@pytest.mark.parametrize("week", WEEKS, ids=[LABEL[w] for w in WEEKS])
def test_the_districts_add_up_to_the_province_every_week(month: Database, week: date) -> None:
    data = report(month, week)
    groups = data["districts"]
    assert [g["district"] for g in groups] == [*DISTRICT_NAMES, None]
    for key in ADDITIVE:
        assert sum(g[key] for g in groups) == data["totals"][key], key
    assert data["totals"]["quota"] == 241_000
    # Every unit counted in the district it is registered in, and in no other.
    units = all_units()
    registered = {u["code"]: u["district"] for u in data["units"]}
    assert set(registered) == set(units)
    for g in groups:
        mine = [u for u in data["units"] if u["district"] == g["district"]]
        assert g["count"] == sum(u["count"] or 0 for u in mine)
        assert g["expected"] == sum(1 for u in mine if u["expected"])
        if g["district"] is not None:
            assert g["quota"] == sum(u["quota"] for u in mine)
        rate = None if g["expected"] == 0 else round(g["received"] / g["expected"], 4)
        assert g["reporting_rate"] == rate


def test_klaeng_in_week_21_by_hand(month: Database) -> None:
    klg = next(g for g in report(month, W21)["districts"] if g["code"] == "KLG")
    # LAO-KLG is แกลง's only unit: 210 on time on Thursday 21 May (150 the week before).
    assert (klg["district"], klg["label"], klg["quota"], klg["count"], klg["increase"]) == (
        "แกลง",
        "แกลง",
        300,
        210,
        60,
    )
    assert (klg["expected"], klg["received"], klg["on_time"], klg["missing"]) == (1, 1, 1, 0)


def test_the_forecast_uses_the_corrected_figure(month: Database) -> None:
    data = report(month, W21)
    r01 = next(u for u in data["units"] if u["code"] == "R01")
    # R01: 500 (W19), 900 (W20), 1,400 corrected to 1,350 (W21): three reports, measured from
    # zero in the week of 20 April, 4 weeks before W21 -> 337.5 a week; 10 weeks to 2020-W31.
    assert r01["forecast"] == {
        "at_end": 1_350 + 3_375,
        "pct_of_quota_at_end": round(100 * 4_725 / 2_000, 2),
        "weekly_needed": r01["pace_needed"],
        "weekly_pace": 337.5,
        "behind": False,
    }
    # 650 short of 2,000 with 10 Friday deadlines after W21's.
    assert r01["pace_needed"] == -(-(2_000 - 1_350) // 10) == 65
    fc = data["forecast"]
    assert fc["rule"] == "mean_weekly_rise_last_3_reports"
    assert fc["end_week"] == "2020-W31"
    assert fc["margin_pct"] == 10
    assert fc["at_end"] == sum(u["forecast"]["at_end"] for u in data["units"])
    assert fc["at_end"] == sum(r["forecast"]["at_end"] for r in data["plan_rows"])
    assert fc["at_end"] == sum(d["forecast"]["at_end"] for d in data["districts"])
    # The province needs its shortfall over the 10 weeks after W21.
    assert fc["weekly_needed"] == -(-(241_000 - data["totals"]["count"]) // 10)
    assert fc["units_behind"] == [u["code"] for u in data["units"] if u["forecast"]["behind"]]


def test_the_margin_is_a_setting(month: Database) -> None:
    before = report(month, W22)["forecast"]["units_behind"]
    settings_service.update_setting(month, "forecast_margin_pct", "100")
    try:
        assert report(month, W22)["forecast"]["units_behind"] == []
        assert report(month, W22)["forecast"]["margin_pct"] == 100
    finally:
        settings_service.update_setting(month, "forecast_margin_pct", "10")
    assert before, "some unit is behind at 10 %"
