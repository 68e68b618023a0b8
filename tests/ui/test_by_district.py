"""The home and trends screens by plan row or by district, and where the campaign is heading
(issue 18): the district rows add up to the province, the forecast shown is the forecast
`status --json` gives, and units projected to miss their quota are flagged in the call list.

Thursday 21 May 2020 at 10:00 (campaign week 4 of 14; the last week is 2020-W31).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from rayong_desktop.db.engine import Database
from rayong_desktop.domain.numbers import format_int, format_percent
from rayong_desktop.services import reports, status
from rayong_desktop.ui.home_page import BY_DISTRICT, BY_PLAN, GROUP_BY_KEY, HomePage
from rayong_desktop.ui.state import ui_settings
from rayong_desktop.ui.trends_page import TrendsPage, projection_values
from rayong_desktop.ui.window import MainWindow
from tests.ui.conftest import bkk

pytestmark = pytest.mark.gui

W19, W20, W21 = date(2020, 5, 4), date(2020, 5, 11), date(2020, 5, 18)
LAST = date(2020, 7, 27)


def keyed(db: Database) -> None:
    """Counts in four districts and for two provincial agencies, over three weeks."""
    for code, week, count, day in (
        ("R09", W19, 10_000, "2020-05-07 09:00"),
        ("R09", W21, 25_000, "2020-05-21 09:00"),
        ("R02", W20, 4_000, "2020-05-14 09:00"),
        ("TN-RY", W19, 120, "2020-05-07 09:00"),
        ("TN-RY", W21, 180, "2020-05-21 08:00"),
        ("TM-MTP", W19, 300, "2020-05-07 09:00"),  # its quota reached; missing this week
        ("LAO-MRY", W19, 10, "2020-05-07 09:00"),  # 5 a week: 70 of 300 at the end
        ("LAO-KLG", W20, 90, "2020-05-14 09:00"),
        ("TM-BCH", W21, 40, "2020-05-21 09:30"),
    ):
        reports.record_report(db, unit_code=code, week=week, count=count, received_at=bkk(day))


def open_page(qtbot: QtBot, window: MainWindow, name: str) -> HomePage | TrendsPage:
    page = window.show_screen(name)
    assert isinstance(page, HomePage | TrendsPage)
    qtbot.waitUntil(lambda: not page.loading and not page.stale and _has_data(page))
    return page


def _has_data(page: HomePage | TrendsPage) -> bool:
    return page.data is not None if isinstance(page, HomePage) else page.view is not None


def test_by_district_the_rows_add_up_to_the_province_and_the_choice_is_remembered(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow]
) -> None:
    keyed(db)
    ui_settings().setValue(GROUP_BY_KEY, BY_PLAN)
    window = open_window()
    home = open_page(qtbot, window, "home")
    assert isinstance(home, HomePage)
    assert [r.key for r in home.row_model.rows] == [str(n) for n in range(1, 12)]

    home.group_by.setCurrentIndex(home.group_by.findData(BY_DISTRICT))
    rows = home.row_model.rows
    assert home.rows_title.text() == "ความคืบหน้ารายอำเภอ"
    assert len(rows) == 9 and rows[-1].key == "ไม่สังกัดอำเภอ"
    assert {r.key: r.totals.count for r in rows}["เมืองระยอง"] == 180 + 300 + 10
    assert home.data is not None
    province = home.data.summary.totals
    for figure in ("quota", "count", "increase", "expected", "received", "on_time", "late"):
        assert sum(getattr(r.totals, figure) for r in rows) == getattr(province, figure), figure
    assert sum(r.totals.missing for r in rows) == province.missing
    json_rows = status.status_report(db, W21)["districts"]
    assert [r.totals.count for r in rows] == [d["count"] for d in json_rows]
    assert ui_settings().value(GROUP_BY_KEY) == BY_DISTRICT

    # The trends screen opens by district too, and its curves add up to the province's.
    trends_page = open_page(qtbot, window, "trends")
    assert isinstance(trends_page, TrendsPage) and trends_page.by_district()
    assert trends_page.view is not None
    t = trends_page.view.trend
    i21 = t.weeks.index(W21)
    shown = [c for c in trends_page.row_charts if not c.isHidden()]
    assert len(shown) == 9
    assert sum(c.data.lines[0].values[i21] or 0 for c in shown) == t.province.values[i21] == 29_620
    assert sum(s.quota for s in trends_page.view.districts) == t.province.quota
    assert shown[0].data.title == "เมืองระยอง"


def test_the_forecast_shown_is_the_forecast_of_status_json(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow]
) -> None:
    keyed(db)
    expected = status.status_report(db, W21)
    fc = expected["forecast"]
    window = open_window()
    home = open_page(qtbot, window, "home")
    assert isinstance(home, HomePage) and home.data is not None and home.data.forecast
    shown = home.data.forecast
    assert shown.province.at_end == fc["at_end"] > 0
    assert shown.province.weekly_needed == fc["weekly_needed"]
    assert sorted(shown.units_behind) == sorted(fc["units_behind"])
    line = home.province_forecast.text()
    assert format_int(fc["at_end"]) in line
    # The JSON rounds the share to two places; the screen shows the same share to one.
    assert shown.province.pct_of_quota_at_end == pytest.approx(fc["pct_of_quota_at_end"], abs=0.005)
    assert format_percent(shown.province.pct_of_quota_at_end) in line
    assert format_int(fc["weekly_needed"]) in home.province_forecast.toolTip()
    assert "31 ก.ค. 2563" in line  # the campaign's last day
    by_row = dict(shown.plan_rows)
    for row in expected["plan_rows"]:
        assert by_row[row["number"]].at_end == row["forecast"]["at_end"]

    # The trends chart's dashed projection runs to the last week and ends at the same figure.
    trends_page = open_page(qtbot, window, "trends")
    assert isinstance(trends_page, TrendsPage)
    data = trends_page.province_chart.data
    dashed = data.lines[-1]
    assert dashed.label == "คาดการณ์ถึงสิ้นโครงการ"
    weeks = list(data.weeks)
    assert dashed.values[weeks.index(LAST)] == fc["at_end"]
    assert dashed.values[weeks.index(W21)] == data.lines[0].values[weeks.index(W21)]
    assert dashed.values[weeks.index(W20)] is None


def test_units_projected_to_miss_by_more_than_the_margin_are_flagged_in_the_call_list(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow]
) -> None:
    keyed(db)
    window = open_window()
    home = open_page(qtbot, window, "home")
    assert isinstance(home, HomePage)
    flag = len(home.call_model.columns) - 1
    flags = {
        r.entry.code: home.call_model.index(i, flag).data()
        for i, r in enumerate(home.call_model.rows)
    }
    assert flags["LAO-MRY"] == "ต้องเร่ง"  # 10 in week 2: 5 a week, 70 of 300 at the end
    assert flags["LAO-BKI"] == "ต้องเร่ง"  # nothing reported yet: 0 at the end
    assert flags["TM-MTP"] == ""  # 300 of 300 already, though missing this week
    assert flags["LAO-KLG"] == ""  # 90 in week 3: 30 a week, 420 of 300 at the end


def test_the_projection_is_a_straight_line_from_the_status_week_to_the_last() -> None:
    weeks = tuple(date(2020, 5, 4 + 7 * i) if i < 4 else date(2020, 6, 1) for i in range(4))
    assert projection_values(weeks, (1, 10, 20, None), weeks[2], weeks[3], 40) == [
        None,
        None,
        20,
        40,
    ]
    assert projection_values(weeks, (1, 10, None, None), weeks[2], weeks[3], 40) == [None] * 4
