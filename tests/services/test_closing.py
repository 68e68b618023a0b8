"""Closing a week: what was sent stays what was sent.

On the document scenario (tests/documents/scenario.py: Friday 22 May 2020, 15:00, week
2020-W21 past both deadlines) the letter goes out, the week is closed, then a district corrects
a figure and a late unit reports: the closed week's summary and letter still print the figures
that were sent, `--live` prints today's and says they differ, and the changes are listed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select, update

from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import AuditLog, WeekClose
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.services import archive, reports, status, transfer
from rayong_desktop.services.startup import open_database
from tests.documents import pdftools
from tests.documents.fixtures import scenario_db, scenario_file
from tests.documents.scenario import W20, W21
from tests.helpers import CliResult

__all__ = ["scenario_db", "scenario_file"]

Cli = Callable[..., CliResult]
PRINTED = re.compile(r"พิมพ์เมื่อ.*")
REASON = "อำเภอโทรแจ้งแก้ไขตัวเลข"


def ok(result: CliResult) -> CliResult:
    assert result.code == 0, (result.code, result.out, result.err)
    return result


def refused(result: CliResult) -> str:
    assert result.code == 2, (result.code, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    return lines[0]


def pages_text(path: Path) -> str:
    """The PDF's text without the print time."""
    return PRINTED.sub("", pdftools.text(path))


def status_of(cli: Cli, week: str = "2020-W21") -> dict[str, object]:
    data = ok(cli("status", "--week", week, "--json")).json()
    assert isinstance(data, dict)
    return data


@pytest.fixture
def closed(scenario_db: Database, cli: Cli, tmp_path: Path) -> dict[str, object]:
    """The letter of W21 issued (number 1), the summary printed, then the week closed."""
    ok(cli("letter", "--week", "2020-W21", "--out", str(tmp_path / "letter-sent.pdf")))
    ok(cli("summary", "--week", "2020-W21", "--out", str(tmp_path / "summary-sent.pdf")))
    done = ok(cli("week", "close", "2020-W21", "--note", "ส่งผู้ว่าแล้ว", "--json")).json()
    assert isinstance(done, dict)
    return done


def test_closing_freezes_the_week_with_who_when_and_a_checksum(
    scenario_db: Database, cli: Cli, closed: dict[str, object]
) -> None:
    assert closed["outcome"] == "closed"
    assert closed["letter_number"] == 1  # the letter just issued for the week
    assert closed["by"] == "test-clerk"
    assert closed["at"] == "2020-05-22T15:00:00+07:00"
    with scenario_db.reading() as session:
        row = session.scalars(select(WeekClose)).one()
        assert hashlib.sha256(row.snapshot.encode("utf-8")).hexdigest() == closed["checksum"]
        entry = session.scalars(select(AuditLog).where(AuditLog.entity == "week")).one()
        assert (entry.action, entry.entity_key, entry.reason) == (
            "close",
            "2020-05-18",
            "ส่งผู้ว่าแล้ว",
        )
    data = status_of(cli)
    assert data["closed"] == {
        "at": "2020-05-22T15:00:00+07:00",
        "by": "test-clerk",
        "note": "ส่งผู้ว่าแล้ว",
        "checksum": closed["checksum"],
        "verified": True,
        "letter_number": 1,
        "totals": {k: v for k, v in data["totals"].items() if k != "stated_quota"},  # type: ignore[union-attr]
    }
    assert data["changes_since_close"] == []
    assert status_of(cli, "2020-W20")["closed"] is None
    marks = {w["week"]: w["closed"] for w in ok(cli("weeks", "--json")).json()}
    assert marks["2020-W21"] is True
    assert not any(v for k, v in marks.items() if k != "2020-W21")
    assert "already closed" in refused(cli("week", "close", "2020-W21"))
    assert "not come yet" in refused(cli("week", "close", "2020-W23"))


def test_a_change_to_a_closed_week_needs_a_reason_and_is_listed(
    scenario_db: Database, cli: Cli, closed: dict[str, object]
) -> None:
    before = status_of(cli)
    with pytest.raises(RefusedError) as info:
        reports.record_report(scenario_db, unit_code="R01", week=W21, count=1_500)
    assert info.value.code == "week_closed"
    with pytest.raises(RefusedError) as info:  # a late first report changes the figures too
        reports.record_report(scenario_db, unit_code="LAO-MRY", week=W21, count=260)
    assert info.value.code == "week_closed"
    assert "reason" in refused(cli("report", "LAO-MRY", "260", "--week", "2020-W21"))
    assert status_of(cli) == before  # nothing stored

    late = ("--reason", "แฟกซ์มาช้า", "--received", "now")  # said when it came, and why
    ok(cli("report", "LAO-MRY", "260", "--week", "2020-W21", *late))
    ok(cli("--clerk", "somsri", "report", "R01", "1500", "--week", "2020-W21", "--reason", REASON))
    after = status_of(cli)
    assert after["totals"]["count"] == before["totals"]["count"] + 150 + 60  # type: ignore[index]
    assert after["closed"] == before["closed"]  # the frozen totals stay
    assert after["changes_since_close"] == [
        {
            "unit": "LAO-MRY",
            "before": None,
            "after": 260,
            "who": "test-clerk",
            "when": "2020-05-22T15:00:00+07:00",
            "why": "แฟกซ์มาช้า",
            "action": "report",
        },
        {
            "unit": "R01",
            "before": 1_350,
            "after": 1_500,
            "who": "somsri",
            "when": "2020-05-22T15:00:00+07:00",
            "why": REASON,
            "action": "correct",
        },
    ]


def test_a_closed_week_reprints_as_sent_and_live_says_it_differs(
    scenario_db: Database,
    cli: Cli,
    closed: dict[str, object],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sent_summary = pages_text(tmp_path / "summary-sent.pdf")
    sent_letter = pdftools.text(tmp_path / "letter-sent.pdf")
    # Corrections after the close: W21's figure, and W20's (on the summary's trend chart).
    ok(cli("report", "R01", "1500", "--week", "2020-W21", "--reason", REASON))
    ok(cli("report", "R09", "22000", "--week", "2020-W20", "--reason", REASON, "--confirm"))
    monkeypatch.setenv("RAYONG_NOW", "2020-05-25 09:30")  # reprinted on Monday

    ok(cli("summary", "--week", "2020-W21", "--out", str(tmp_path / "again.pdf")))
    assert pages_text(tmp_path / "again.pdf") == sent_summary
    monkeypatch.setenv("RAYONG_NOW", "2020-05-22 15:00")  # the letter's date is its issue day
    ok(cli("letter", "--week", "2020-W21", "--number", "1", "--out", str(tmp_path / "l2.pdf")))
    assert pdftools.text(tmp_path / "l2.pdf") == sent_letter

    ok(cli("summary", "--week", "2020-W21", "--live", "--out", str(tmp_path / "live.pdf")))
    live = " ".join(pages_text(tmp_path / "live.pdf").split())
    assert live != " ".join(sent_summary.split())
    assert "ต่างจากตัวเลขที่ปิดสัปดาห์" in live
    ok(
        cli(
            "letter",
            "--week",
            "2020-W21",
            "--live",
            "--number",
            "1",
            "--out",
            str(tmp_path / "ll.pdf"),
        )
    )
    assert "ต่างจากตัวเลขที่ปิดสัปดาห์" in " ".join(pdftools.text(tmp_path / "ll.pdf").split())
    # An open week's documents carry no such line.
    ok(cli("summary", "--week", "2020-W20", "--out", str(tmp_path / "w20.pdf")))
    assert "ปิดสัปดาห์" not in pdftools.text(tmp_path / "w20.pdf")


def _workbook_counts(path: Path) -> tuple[dict[str, int], dict[tuple[str, str], int], list[str]]:
    """The summary workbook's unit counts (code -> count), its history's counts ((code, week
    label) -> count) and the title lines above each sheet's table."""
    from openpyxl import load_workbook

    from rayong_desktop.documents import xlsx_summary as xs

    wb = load_workbook(path)
    try:
        keys = [c[0] for c in xs.UNIT_COLUMNS]
        units_ws = wb[xs.UNITS_SHEET]
        units = {
            str(row[keys.index("code")]): int(row[keys.index("count")])
            for row in units_ws.iter_rows(min_row=xs.UNITS_HEADER_ROW + 1, values_only=True)
            if row[keys.index("code")] and row[keys.index("count")] is not None
        }
        hkeys = [c[0] for c in xs.HISTORY_COLUMNS]
        history = {
            (str(row[hkeys.index("code")]), str(row[hkeys.index("week")])): int(
                row[hkeys.index("count")]
            )
            for row in wb[xs.HISTORY_SHEET].iter_rows(min_row=2, values_only=True)
            if row[hkeys.index("count")] is not None
        }
        titles = [
            str(wb[name].cell(row=r, column=1).value or "")
            for name, header in (
                (xs.UNITS_SHEET, xs.UNITS_HEADER_ROW),
                (xs.PLAN_SHEET, xs.PLAN_HEADER_ROW),
                (xs.DISTRICT_SHEET, xs.DISTRICT_HEADER_ROW),
            )
            for r in range(1, header)
        ]
    finally:
        wb.close()
    return units, history, titles


def test_a_closed_weeks_workbook_shows_the_figures_sent_and_live_says_it_differs(
    scenario_db: Database, cli: Cli, closed: dict[str, object], tmp_path: Path
) -> None:
    sent = {u["code"]: u["count"] for u in status_of(cli)["units"]}  # type: ignore[attr-defined]
    sent_w20 = {u["code"]: u["count"] for u in status_of(cli, "2020-W20")["units"]}  # type: ignore[attr-defined]
    ok(cli("report", "R01", "1500", "--week", "2020-W21", "--reason", REASON))
    ok(cli("report", "R09", "22000", "--week", "2020-W20", "--reason", REASON, "--confirm"))
    assert sent["R01"] != 1500 and sent_w20["R09"] != 22000
    # A unit registered since the close, with a report of an earlier week.
    ok(cli("unit", "add", "--code", "R77", "--name", "หน่วยใหม่หลังปิดสัปดาห์", "--plan-row", "3"))
    ok(cli("report", "R77", "120", "--week", "2020-W20", "--received", "on-time", "--confirm"))

    ok(cli("summary", "--week", "2020-W21", "--out", str(tmp_path / "closed.xlsx")))
    units, history, titles = _workbook_counts(tmp_path / "closed.xlsx")
    assert units == {code: n for code, n in sent.items() if n is not None}  # as closed
    assert history[("R01", "2020-W21")] == sent["R01"]  # the closed week's lines: as closed
    assert history[("R09", "2020-W20")] == 22000  # an earlier week: as it stands today
    assert history[("R77", "2020-W20")] == 120  # for the units as they stand today
    assert "R77" not in units and ("R77", "2020-W21") not in history  # not in the closed week
    assert not any("ปิดสัปดาห์" in t for t in titles)

    ok(cli("summary", "--week", "2020-W21", "--live", "--out", str(tmp_path / "live.xlsx")))
    units, history, titles = _workbook_counts(tmp_path / "live.xlsx")
    assert units["R01"] == 1500 and history[("R01", "2020-W21")] == 1500
    notices = [t for t in titles if "ต่างจากตัวเลขที่ปิดสัปดาห์" in t]
    assert len(notices) == 3  # under the title of each sheet of figures

    ok(cli("summary", "--week", "2020-W20", "--out", str(tmp_path / "open.xlsx")))
    assert not any("ปิดสัปดาห์" in t for t in _workbook_counts(tmp_path / "open.xlsx")[2])


def test_reopening_needs_a_reason_and_is_audited(
    scenario_db: Database, cli: Cli, closed: dict[str, object]
) -> None:
    assert refused(cli("week", "reopen", "2020-W21"))  # --reason is required
    assert "reason" in refused(cli("week", "reopen", "2020-W21", "--reason", "  "))
    assert "not closed" in refused(cli("week", "reopen", "2020-W20", "--reason", "ผิด"))
    done = ok(cli("week", "reopen", "2020-W21", "--reason", "ปิดผิดสัปดาห์", "--json")).json()
    assert (done["outcome"], done["checksum"]) == ("reopened", closed["checksum"])
    assert status_of(cli)["closed"] is None
    assert not any(w["closed"] for w in ok(cli("weeks", "--json")).json())
    # Open again: a late report needs no reason.
    reports.record_report(scenario_db, unit_code="LAO-MRY", week=W21, count=260)
    with scenario_db.reading() as session:
        actions = [
            (a.action, a.reason)
            for a in session.scalars(
                select(AuditLog).where(AuditLog.entity == "week").order_by(AuditLog.id)
            )
        ]
        kept = session.scalars(select(WeekClose)).one()
        assert (kept.reopened_by, kept.reopen_reason) == ("test-clerk", "ปิดผิดสัปดาห์")
    assert actions == [("close", "ส่งผู้ว่าแล้ว"), ("reopen", "ปิดผิดสัปดาห์")]
    again = ok(cli("week", "close", "2020-W21", "--json")).json()
    assert again["checksum"] != closed["checksum"]  # LAO-MRY's report is in the new snapshot
    assert status_of(cli)["closed"]["checksum"] == again["checksum"]  # type: ignore[index]


def test_archive_and_migrate_data_carry_the_closed_week(
    scenario_db: Database, cli: Cli, closed: dict[str, object], tmp_path: Path
) -> None:
    ok(cli("report", "R01", "1500", "--week", "2020-W21", "--reason", REASON))
    want = status.status_report(scenario_db, W21)
    out = tmp_path / "office.zip"
    archive.export_archive(scenario_db, out)
    archive.import_archive(out, tmp_path / "restored.sqlite3")
    transfer.migrate_data(tmp_path / "restored.sqlite3", tmp_path / "moved.sqlite3")
    for name in ("restored.sqlite3", "moved.sqlite3"):
        other = open_database(tmp_path / name)
        try:
            got = status.status_report(other, W21)
        finally:
            other.dispose()
        assert got["closed"] == want["closed"], name
        assert got["changes_since_close"] == want["changes_since_close"], name
        assert got["closed"]["checksum"] == closed["checksum"]


def test_an_altered_snapshot_is_refused_not_printed(
    scenario_db: Database, cli: Cli, closed: dict[str, object], tmp_path: Path
) -> None:
    with scenario_db.transaction() as session:
        text = session.scalars(select(WeekClose.snapshot)).one()
        session.execute(update(WeekClose).values(snapshot=text.replace("1350", "1950", 1)))
    message = refused(cli("summary", "--week", "2020-W21", "--out", str(tmp_path / "x.pdf")))
    assert "checksum" in message
    assert status_of(cli)["closed"]["verified"] is False  # type: ignore[index]
    assert not (tmp_path / "x.pdf").exists()
    assert W20  # the scenario's weeks are the ones named above
