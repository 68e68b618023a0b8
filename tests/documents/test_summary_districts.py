"""The summary's district table and forecast line: the districts add up to the province, as
`status --json` reports them, and a closed week keeps both as they were printed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rayong_desktop.db.engine import Database
from rayong_desktop.documents.summary import DISTRICT_TITLE
from rayong_desktop.domain.numbers import format_int, format_percent
from rayong_desktop.services import closing, printing, status
from tests.documents import pdftools
from tests.documents.scenario import W21

RATES = ("reporting_rate", "on_time_rate")  # ratios in the JSON, percentages printed
COUNTS = ("quota", "count", "increase", "expected", "received", "on_time", "late", "missing")


def district_rows(path: Path) -> list[list[str]]:
    """The district table's lines (figures only, in column order), the province's last: every
    line under the heading on its page with the table's eleven figures."""
    words = pdftools.bbox_words(path)
    head = next(w for w in words if w.text == pdftools.normalized(DISTRICT_TITLE))
    below = [w for w in words if w.page == head.page and w.y0 > head.y1]
    lines: dict[int, list[pdftools.Word]] = {}
    for w in below:
        lines.setdefault(round(w.y1), []).append(w)
    rows = []
    for _, line in sorted(lines.items()):
        cells = [w.text for w in sorted(line, key=lambda w: w.x0)]
        numbers = [c for c in cells if c[0].isdigit() or c[0] in "+-–"]
        if len(numbers) == 11:
            rows.append(numbers)
    return rows


def value(cell: str) -> int:
    return int(cell.replace(",", "").replace("+", ""))


def expected_row(t: dict[str, Any]) -> list[str]:
    rise = t["increase"]
    return [
        format_int(t["quota"]),
        format_int(t["count"]),
        ("+" if rise > 0 else "") + format_int(rise),
        *(format_int(t[k]) for k in COUNTS[3:]),
        format_percent(None if t["quota"] == 0 else 100 * t["count"] / t["quota"]),
        *(format_percent(None if t[k] is None else 100 * t[k]) for k in RATES),
    ]


def test_the_district_table_adds_up_to_the_province(scenario_db: Database, tmp_path: Path) -> None:
    report = status.status_report(scenario_db, W21)
    out = tmp_path / "summary.pdf"
    printing.save_pdf(printing.summary_pdf(scenario_db, week=W21), out)
    rows = district_rows(out)
    assert len(rows) == 9 + 1  # 8 districts, no district, the province
    *groups, province = rows
    for col, key in enumerate(COUNTS):
        assert sum(value(r[col]) for r in groups) == value(province[col]) == report["totals"][key]
    assert province == expected_row(report["totals"])
    assert groups == [expected_row(d) for d in report["districts"]]
    # Every figure column right-aligned: the quotas of 300 end at one edge.
    words = pdftools.bbox_words(out)
    page = max(w.page for w in words if w.text == pdftools.normalized(DISTRICT_TITLE))
    edges = {round(w.x1, 1) for w in words if w.page == page and w.text == "300"}
    assert len(edges) == 1, edges
    # The scenario spreads its units: the check is not over empty districts only.
    assert sum(1 for r in groups if value(r[1]) > 0) >= 3


def test_the_forecast_line_prints_the_provinces_forecast(
    scenario_db: Database, tmp_path: Path
) -> None:
    fc = status.status_report(scenario_db, W21)["forecast"]
    out = tmp_path / "summary.pdf"
    printing.save_pdf(printing.summary_pdf(scenario_db, week=W21), out)
    text = " ".join(pdftools.text(out).split())
    assert f"คาดการณ์ ณ สิ้นโครงการ ({fc['end_week']}): {format_int(fc['at_end'])} ราย" in text
    assert f"ร้อยละ {format_percent(fc['pct_of_quota_at_end'])} ของเป้าหมาย" in text
    assert f"ต้องเพิ่มสัปดาห์ละ {format_int(fc['weekly_needed'])} ราย" in text
    assert "หลักการ" in text and fc["rule"] not in text  # the rule in words, not its key


def test_a_closed_week_keeps_its_district_table_and_forecast(
    scenario_db: Database, tmp_path: Path
) -> None:
    before = tmp_path / "before.pdf"
    printing.save_pdf(printing.summary_pdf(scenario_db, week=W21), before)
    closing.close_week(scenario_db, W21)
    frozen = printing.week_figures(scenario_db, W21)
    assert frozen.frozen and frozen.outlook == status.province_outlook(scenario_db, frozen.summary)
    after = tmp_path / "after.pdf"
    printing.save_pdf(printing.summary_pdf(scenario_db, week=W21), after)
    assert district_rows(after) == district_rows(before)
    assert "คาดการณ์ ณ สิ้นโครงการ" in pdftools.text(after)
