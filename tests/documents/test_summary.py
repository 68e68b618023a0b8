"""The weekly summary PDF carries the week's figures exactly as `status --json` reports them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from rayong_desktop.db.engine import Database
from rayong_desktop.documents.summary import DISTRICT_TITLE
from rayong_desktop.domain.numbers import format_int, format_percent, to_arabic_digits
from rayong_desktop.services import printing, status
from rayong_desktop.services.settings import update_setting
from tests.documents import pdftools
from tests.documents.scenario import W19, W20, W21
from tests.helpers import CliResult

Cli = Callable[..., CliResult]


def status_json(cli: Cli, week: str = "2020-W21") -> dict[str, Any]:
    result = cli("status", "--week", week, "--json")
    assert result.code == 0, result.err
    data: dict[str, Any] = result.json()
    return data


def pct(count: int | None, quota: int) -> str:
    return format_percent(None if count is None or quota == 0 else 100 * count / quota)


def signed(n: int | None) -> str:
    return "–" if n is None else ("+" if n > 0 else "") + format_int(n)


def count(n: int | None) -> str:
    return "–" if n is None else format_int(n)


def row_of(words: list[pdftools.Word], first: str) -> list[str]:
    """The cells on the table line whose first cell is ``first`` (a unit code, "ลำดับที่ 3",
    the total row), read from word boxes: marks above the line do not disturb it."""
    label = pdftools.normalized(first).split()
    for i, w in enumerate(words):
        if [x.text for x in words[i : i + len(label)]] == label:
            line = [
                x for x in words if x.page == w.page and abs(x.y1 - w.y1) < 2.5 and x.x0 > w.x0 - 1
            ]
            return [x.text for x in sorted(line, key=lambda x: x.x0)]
    raise AssertionError(f"no line starts with {first!r}")


def figures(cells: list[str]) -> list[str]:
    return [c for c in cells if c[0].isdigit() or c[0] in "+-–"]


def test_the_summary_shows_every_unit_and_total_as_status_reports_them(
    scenario_db: Database, cli: Cli, tmp_path: Path
) -> None:
    week = status_json(cli)
    out = tmp_path / "summary.pdf"
    printing.save_pdf(printing.summary_pdf(scenario_db, week=W21), out)
    text = pdftools.check(out)
    assert pdftools.info(out)["Page size"].endswith("(A4)")
    words = pdftools.bbox_words(out)

    for u in week["units"]:
        cells = row_of(words, u["code"])
        numbers = figures(cells[1:])
        expected = [
            format_int(u["quota"]),
            count(u["count"]),
            pct(u["count"], u["quota"]),
            signed(u["increase"]),
        ]
        assert numbers[:4] == expected, (u["code"], cells)
        marks = numbers[4:]
        if u["reported"] or u["missing"]:
            assert marks == ["1"], (u["code"], cells)  # in its on time / late / missing column

    t = week["totals"]
    total = row_of(words, "รวมทั้งจังหวัด")[1:]
    assert total == [
        format_int(t["quota"]),
        format_int(t["count"]),
        pct(t["count"], t["quota"]),
        signed(t["increase"]),
        str(t["on_time"]),
        str(t["late"]),
        str(t["missing"]),
    ]
    for r in week["plan_rows"]:
        numbers = figures(row_of(words, f"ลำดับที่ {r['number']}")[2:])
        assert numbers == [
            format_int(r["quota"]),
            format_int(r["count"]),
            pct(r["count"], r["quota"]),
            signed(r["increase"]),
            str(r["on_time"]),
            str(r["late"]),
            str(r["missing"]),
        ], r["number"]

    flat = " ".join(text.split())
    n = pdftools.normalized
    # The rates: ratios in the JSON, percentages on paper.
    assert f"อัตราการรายงาน {format_percent(100 * t['reporting_rate'])}" in flat
    assert f"อัตราการรายงานตรงเวลา {format_percent(100 * t['on_time_rate'])}" in flat
    assert f"ยังไม่รายงาน {t['missing']} แห่ง" in flat
    assert f"ยอดรวมที่พิมพ์ไว้ในแผน {format_int(t['stated_quota'])} ราย" in flat
    friends = row_of(words, "เพื่อนใน LINE OA ณ 21 พ.ค. 2563")
    assert friends[-2:] == [format_int(week["oa"]["friends"]), "ราย"], friends
    # The week in Buddhist Era dates, page numbers and the print time.
    assert n("ประจำสัปดาห์ระหว่างวันที่ 18–24 พฤษภาคม 2563") in flat
    # The plan table runs over two pages, the district table on the third.
    assert "หน้า 1 จาก 3" in flat and "หน้า 3 จาก 3" in flat
    assert "พิมพ์เมื่อ 22 พ.ค. 2563 15.00 น." in flat


def test_numbers_are_right_aligned_in_their_columns(scenario_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"
    printing.save_pdf(printing.summary_pdf(scenario_db, week=W21), out)
    words = pdftools.bbox_words(out)
    head = next(w for w in words if w.text == pdftools.normalized(DISTRICT_TITLE))
    by_text: dict[str, list[pdftools.Word]] = {}
    for w in words:
        if (w.page, w.y0) >= (head.page, head.y0):
            continue  # the district table has its own columns (test_summary_districts)
        by_text.setdefault(w.text, []).append(w)
    # Local administrations' quota (300) in the quota column, across both pages.
    quota_edges = {round(w.x1, 1) for w in by_text["300"]}
    assert len(by_text["300"]) >= 8 and len(quota_edges) == 1, quota_edges
    # Counts of different widths in the count column end at the same place.
    count_edges = {round(w.x1, 1) for t in ("210", "200", "400", "1,350") for w in by_text[t]}
    assert len(count_edges) == 1, count_edges
    # Percentages likewise.
    pct_edges = {round(w.x1, 1) for t in ("70.0%", "66.7%", "133.3%") for w in by_text[t]}
    assert len(pct_edges) == 1, pct_edges


def test_thai_digits_print_the_same_figures(
    scenario_db: Database, cli: Cli, tmp_path: Path
) -> None:
    update_setting(scenario_db, "document_digits", "thai")
    out = tmp_path / "summary-thai.pdf"
    printing.save_pdf(printing.summary_pdf(scenario_db, week=W21), out)
    text = pdftools.check(out)
    t = status_json(cli)["totals"]
    assert format_int(t["count"], thai_digits=True) in text
    assert "๑๘–๒๔ พฤษภาคม ๒๕๖๓" in " ".join(text.split())
    assert format_int(t["count"]) in to_arabic_digits(text)
    total = row_of(pdftools.bbox_words(out), "รวมทั้งจังหวัด")[1:]
    assert total[0] == format_int(t["quota"], thai_digits=True), total


def test_the_trend_matches_each_weeks_status(scenario_db: Database) -> None:
    points = printing.province_trend(scenario_db, W21)
    assert [p.week for p in points][-3:] == [W19, W20, W21]
    for p in points:
        assert p.count == status.week_summary(scenario_db, p.week).totals.count, p
    # The campaign's first week (27 April - 3 May) holds no deadline and no report.
    assert points[0].count == 0
