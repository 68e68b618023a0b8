"""The command line of weekly reports: `report`, `status`, `history`, `weeks`, `oa-stats`.

Exit codes: 0 done, 2 refused (one line on stderr, nothing stored), 3 needs confirmation (nothing
stored; repeat with --confirm). It is Saturday 30 May 2020, 09:00 Bangkok (RAYONG_NOW) unless a
test moves the clock; the current week is 2020-W22 (25-31 May).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from rayong_desktop.db.engine import Database
from rayong_desktop.paths import resource_path
from tests.helpers import CliResult, dump
from tests.services.test_status import (
    ADDED,
    ADDED_DISTRICT,
    CORRECTED_AT,
    CORRECTED_BY,
    CORRECTION_REASON,
    FIRST_KEYED,
    LABEL,
    OA_STATS,
    REPORTS,
    RETIRED,
    W21,
    W22,
    WEEKS,
    check_status_json,
    expected_week,
    play_month,
)

Cli = Callable[..., CliResult]
SEED = json.loads(resource_path("seed", "plan.json").read_text(encoding="utf-8"))
NOW = "2020-05-30 09:00"


@pytest.fixture(autouse=True)
def _saturday_morning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAYONG_NOW", NOW)


def one_line(result: CliResult) -> str:
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    return lines[0]


def refused(result: CliResult) -> str:
    assert result.code == 2, (result.code, result.out, result.err)
    assert result.out == ""
    return one_line(result)


def held(result: CliResult) -> str:
    assert result.code == 3, (result.code, result.out, result.err)
    line = one_line(result)
    assert line.startswith("needs confirmation:") and "--confirm" in line
    return line


def ok(result: CliResult) -> CliResult:
    assert result.code == 0, (result.code, result.out, result.err)
    return result


def history(cli: Cli, unit: str) -> list[dict[str, object]]:
    data = ok(cli("history", unit, "--json")).json()
    assert data["unit"] == unit
    reports: list[dict[str, object]] = data["reports"]
    return reports


# ---------------------------------------------------------------- the month, through the CLI


def test_the_scripted_month_through_the_cli(
    cli: Cli, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The month of tests/services/test_status.py keyed as a clerk would at the command line,
    then every week's `status --json` compared with what the scenario says."""
    ok(cli("units"))

    def set_now(text: str) -> None:
        monkeypatch.setenv("RAYONG_NOW", text)

    def week_arg(code: str, week: date) -> str:
        # Row 3 clerks name the week by its Thursday, the others by its ISO label.
        return (
            (week + timedelta(days=3)).isoformat() if code.startswith(("LAO", "T")) else LABEL[week]
        )

    def key(code: str, week: date, count: int, received: str, confirm: str | None) -> None:
        args = ("report", code, f"{count:,}", "--week", week_arg(code, week))
        args += ("--received", received[:16], "--json")
        if confirm:
            before = dump(db_path)
            line = held(cli(*args))
            assert code in line and LABEL[week] in line
            assert dump(db_path) == before
            args += ("--confirm",)
        data = ok(cli(*args)).json()
        assert (data["unit"], data["week"], data["count"]) == (code, LABEL[week], count)
        assert (data["outcome"], data["version"]) == ("stored", 1)
        assert data["confirmed"] == ([confirm] if confirm else [])

    def add_and_retire() -> None:
        ok(
            cli(
                "unit", "add", "--code", ADDED.code, "--name", ADDED.name, "--plan-row", "3",
                "--kind", "อบต.", "--district", ADDED_DISTRICT,
                "--active-from", str(ADDED.active_from),
            )
        )  # fmt: skip
        ok(cli("unit", "retire", RETIRED, "--reason", "รวมกับเทศบาลอื่น"))

    def correct(code: str, week: date, count: int) -> None:
        args = ("report", code, str(count), "--week", LABEL[week])
        before = dump(db_path)
        line = refused(cli(*args))  # a different figure without a reason
        assert code in line and LABEL[week] in line
        assert dump(db_path) == before
        data = ok(
            cli("--clerk", CORRECTED_BY, *args, "--reason", CORRECTION_REASON, "--json")
        ).json()
        assert (data["outcome"], data["version"], data["count"]) == ("corrected", 2, count)

    play_month(key, set_now, add_and_retire, correct)
    for day, (friends, blocked, sent) in OA_STATS.items():
        ok(
            cli(
                "oa-stats", "add", "--date", str(day), "--friends", f"{friends:,}",
                "--blocked", str(blocked), "--sent", f"{sent:,}",
            )
        )  # fmt: skip

    for week in WEEKS:
        check_status_json(ok(cli("status", "--week", LABEL[week], "--json")).json(), week)
    # Without --week it is the current week, W22.
    check_status_json(ok(cli("status", "--json")).json(), W22)

    w21 = [r for r in history(cli, "R01") if r["week"] == LABEL[W21]]
    (code, week), first_count = next(iter(FIRST_KEYED.items()))
    assert code == "R01" and week == W21
    assert [(r["version"], r["count"], r["current"]) for r in w21] == [
        (1, first_count, False),
        (2, REPORTS[(code, week)][0], True),
    ]
    assert (w21[0]["clerk"], w21[0]["reason"]) == ("test-clerk", None)
    assert (w21[1]["clerk"], w21[1]["reason"]) == (CORRECTED_BY, CORRECTION_REASON)
    assert w21[1]["previous_count"] == first_count
    assert w21[1]["entered_at"] == CORRECTED_AT.replace(" ", "T") + ":00+07:00"
    assert w21[0]["received_at"] == w21[1]["received_at"] == "2020-05-22T10:00:00+07:00"

    oa = ok(cli("status", "--week", "2020-W22", "--json")).json()["oa"]
    friends, blocked, sent = OA_STATS[date(2020, 5, 29)]
    province = expected_week(W22).totals.count
    assert (oa["friends"], oa["reported_total"]) == (friends, province)
    assert oa["reported_over_friends"] is True and province > friends
    assert oa["broadcasts_left"] == (3_800_000 - sent) // (friends - blocked)


# ---------------------------------------------------------------- report: stored


def test_report_text_and_json(cli: Cli) -> None:
    result = ok(
        cli(
            "report", "R01", "500", "--week", "2020-W19", "--received", "2020-05-08 12:00",
            "--channel", "โทรสาร", "--by", "สมศรี", "--phone", "038-111111", "--note", "แฟกซ์",
        )
    )  # fmt: skip
    assert result.out == "stored: R01 2020-W19 count 500 (version 1, on time)\n"
    result = ok(
        cli("report", "R02", "12,000", "--week", "2020-W19", "--received", "2020-05-08 12:01")
    )
    assert result.out == "stored: R02 2020-W19 count 12,000 (version 1, late by 1 min)\n"
    data = ok(
        cli(
            "report", "LAO-MRY", "120", "--week", "2020-05-07", "--received",
            "2020-05-07 12:00:00", "--json",
        )
    ).json()  # fmt: skip
    assert data["due_at"] == "2020-05-07T12:00:00+07:00"
    assert (data["on_time"], data["late_by_minutes"], data["week_start"]) == (
        True,
        0,
        "2020-05-04",
    )
    (first,) = history(cli, "R01")
    assert (first["channel"], first["reporter"], first["reporter_phone"], first["note"]) == (
        "fax",
        "สมศรี",
        "038-111111",
        "แฟกซ์",
    )


def test_report_defaults_to_this_week_and_now_when_said(cli: Cli) -> None:
    # Saturday 09:00, past R04's deadline: the received time must be said, never assumed.
    line = refused(cli("report", "R04", "40"))
    assert "--received" in line and "R04" in line
    assert history(cli, "R04") == []
    data = ok(cli("report", "R04", "40", "--received", "now", "--json")).json()
    assert (data["week"], data["received_at"]) == ("2020-W22", "2020-05-30T09:00:00+07:00")
    assert data["late_by_minutes"] == 21 * 60  # Friday 29 May 12:00 -> Saturday 09:00
    assert history(cli, "R04")[0]["channel"] == "phone"


def test_a_past_week_takes_the_fax_time_or_on_time_and_says_so(cli: Cli) -> None:
    fax = ok(cli("report", "R05", "70", "--week", "2020-W21", "--received", "2020-05-22 10:15"))
    assert "on time" in fax.out
    on_time = ok(
        cli("report", "R06", "80", "--week", "2020-W21", "--received", "on-time", "--json")
    ).json()
    # Recorded as the deadline itself, and marked as the clerk's word, not a real time.
    assert on_time["received_at"] == "2020-05-22T12:00:00+07:00"
    assert on_time["on_time"] is True and "received_on_time" in on_time["confirmed"]
    assert history(cli, "R06")[0]["confirmed"] == ["received_on_time"]
    line = refused(cli("report", "R07", "90", "--week", "2020-W21", "--received", "yesterday"))
    assert "yesterday" in line


def test_before_the_deadline_now_is_the_default(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-05-28T10:00:00")
    data = ok(cli("report", "R04", "40", "--json")).json()
    assert (data["received_at"], data["on_time"]) == ("2020-05-28T10:00:00+07:00", True)


def test_thai_digits_and_spaces_are_accepted(cli: Cli) -> None:
    for unit, typed in (("R11", "๑,๒๕๐"), ("R10", " 1,250 "), ("R08", "1250"), ("R07", "๑๒๕๐")):
        data = ok(
            cli("report", unit, typed, "--week", "2020-W21", "--received", "now", "--json")
        ).json()
        assert data["count"] == 1250, typed


# ---------------------------------------------------------------- report: refused


def test_refused_counts_exit_2_naming_unit_week_and_value(
    cli: Cli, db: Database, db_path: Path
) -> None:
    ok(cli("report", "R09", "20,000", "--week", "2020-W20", "--received", "2020-05-15 09:00"))
    before = dump(db_path)
    for typed in ("-5", "abc", "", "1.5", "๑.๕", "1,000,001"):
        line = refused(cli("report", "R09", typed, "--week", "2020-W21"))
        assert line.startswith("refused:"), typed
        assert "R09" in line and "2020-W21" in line, line
        assert f"'{typed}'" in line or typed == "", line
        assert dump(db_path) == before, typed


def test_refused_count_in_thai(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAYONG_LANG", "th")
    line = refused(cli("report", "R09", "-5", "--week", "2020-W21"))
    assert "R09" in line and "2020-W21" in line and "ติดลบ" in line


def test_the_count_ceiling_is_a_setting(cli: Cli, db: Database, db_path: Path) -> None:
    # At the default ceiling 1,000,000 itself is a count (held only as an implausible rise).
    before = dump(db_path)
    held(cli("report", "R09", "1,000,000", "--week", "2020-W21", "--received", "now"))
    assert dump(db_path) == before
    ok(cli("settings", "--set", "count_ceiling", "50000"))
    before = dump(db_path)
    line = refused(cli("report", "R09", "50,001", "--week", "2020-W21"))
    assert "R09" in line and "50,001" in line
    assert dump(db_path) == before
    stored = ok(cli("report", "R09", "50,000", "--week", "2020-W21", "--received", "now", "--json"))
    assert stored.json()["count"] == 50_000


OTHER_REFUSALS = [
    ("R99", "100", "--week", "2020-W21"),  # unknown unit
    ("R01", "100", "--week", "2020-W23"),  # next week
    ("R01", "100", "--week", "2020-06-01"),  # next week, by date
    ("R01", "100", "--week", "2020-04-20"),  # before the campaign
    ("R01", "100", "--week", "2020-W60"),  # no such week
    ("R01", "100", "--week", "next week"),
    ("R01", "100", "--week", "2020-W22", "--received", "2020-05-30 10:00"),  # future
    ("R01", "100", "--week", "2020-W22", "--received", "2020-05-24 23:59"),  # before Monday
    ("R01", "100", "--week", "2020-W22", "--received", "29/05/2020 10:00"),
    ("R01", "100", "--week", "2020-W22", "--received", "2020-05-29 10h00"),
    ("R01", "100", "--week", "2020-W22", "--received", "yesterday"),
    ("R01", "100", "--week", "2020-W22", "--channel", "pigeon"),
    ("R01", "100", "--week", "2020-W22", "--bogus"),  # argparse
    ("R01",),  # no count
]


def test_other_refusals_exit_2_and_change_nothing(cli: Cli, db: Database, db_path: Path) -> None:
    before = dump(db_path)
    for args in OTHER_REFUSALS:
        refused(cli("report", *args))
        assert dump(db_path) == before, args


def test_keyed_again_identical_is_unchanged_different_needs_a_reason(
    cli: Cli, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-05-22 10:05")
    first = ("report", "R01", "1,400", "--week", "2020-W21", "--received", "2020-05-22 10:00")
    ok(cli(*first, "--channel", "fax"))
    before = dump(db_path)

    line = refused(cli("report", "R01", "1,350", "--week", "2020-W21"))
    assert "R01" in line and "2020-W21" in line and "reason" in line
    assert dump(db_path) == before

    again = ok(cli(*first, "--channel", "fax"))
    assert again.out.startswith("unchanged: R01 2020-W21 count 1,400 (version 1, on time")
    # The same figure typed again later that day, without the details: still unchanged.
    monkeypatch.setenv("RAYONG_NOW", "2020-05-22 16:00")
    data = ok(cli("report", "R01", "1400", "--week", "2020-W21", "--json")).json()
    assert (data["outcome"], data["version"], data["on_time"]) == ("unchanged", 1, True)
    assert dump(db_path) == before
    assert len(history(cli, "R01")) == 1

    data = ok(
        cli("report", "R01", "1350", "--week", "2020-W21", "--reason", "typo", "--json")
    ).json()
    assert (data["outcome"], data["version"], data["count"], data["on_time"]) == (
        "corrected",
        2,
        1350,
        True,
    )
    assert [(r["version"], r["count"], r["reason"]) for r in history(cli, "R01")] == [
        (1, 1400, None),
        (2, 1350, "typo"),
    ]


# ---------------------------------------------------------------- report: confirmation


def test_a_fall_exits_3_then_is_stored_with_confirm(cli: Cli, db_path: Path) -> None:
    ok(cli("report", "R02", "25,000", "--week", "2020-W20", "--received", "2020-05-15 09:00"))
    args = ("report", "R02", "24,000", "--week", "2020-W21", "--received", "2020-05-22 09:00")
    before = dump(db_path)
    line = held(cli(*args))
    assert "R02" in line and "2020-W21" in line and "24,000" in line and "25,000" in line
    assert dump(db_path) == before
    data = ok(cli(*args, "--confirm", "--json")).json()
    assert (data["outcome"], data["count"], data["confirmed"]) == (
        "stored",
        24_000,
        ["below_previous"],
    )
    assert history(cli, "R02")[0]["confirmed"] == ["below_previous"]
    status = ok(cli("status", "--week", "2020-W21", "--json")).json()
    r02 = next(u for u in status["units"] if u["code"] == "R02")
    assert (r02["count"], r02["increase"]) == (24_000, -1_000)


def test_a_big_rise_exits_3_then_is_stored_with_confirm(cli: Cli, db_path: Path) -> None:
    quota = 300  # PAO-RY, a local administration at the letter's minimum
    ok(cli("report", "PAO-RY", "250", "--week", "2020-W19", "--received", "2020-05-07 09:00"))
    jump = 250 + 150 * max(300, 5 * quota)  # far above the limit, far below the ceiling
    assert jump < 1_000_000
    args = ("report", "PAO-RY", str(jump), "--week", "2020-W20", "--received", "2020-05-14 09:00")
    before = dump(db_path)
    line = held(cli(*args))
    assert "PAO-RY" in line and "2020-W20" in line
    assert dump(db_path) == before
    assert ok(cli(*args, "--confirm", "--json")).json()["confirmed"] == ["big_rise"]
    assert history(cli, "PAO-RY")[0]["confirmed"] == ["big_rise"]


# ---------------------------------------------------------------- status, weeks, history


STATUS_KEYS = {"week", "units", "plan_rows", "totals"}
UNIT_KEYS = {
    "code",
    "name",
    "plan_row",
    "quota",
    "count",
    "reported",
    "on_time",
    "late_by_minutes",
    "increase",
}
TOTAL_KEYS = {
    "quota",
    "count",
    "expected",
    "received",
    "on_time",
    "missing",
    "reporting_rate",
    "on_time_rate",
}


def test_status_json_has_the_stable_keys(cli: Cli) -> None:
    data = ok(cli("status", "--json")).json()
    assert set(data) >= STATUS_KEYS
    assert data["week"] == "2020-W22"
    assert all(set(u) >= UNIT_KEYS for u in data["units"])
    assert len(data["units"]) == sum(len(r["units"]) for r in SEED["plan_rows"]) == 22
    assert all(set(r) >= TOTAL_KEYS for r in data["plan_rows"])
    assert [r["number"] for r in data["plan_rows"]] == list(range(1, 12))
    totals = data["totals"]
    assert TOTAL_KEYS | {"stated_quota"} <= set(totals)
    assert totals["quota"] == sum(r["quota"] for r in SEED["plan_rows"]) == 241_000
    assert totals["stated_quota"] == 231_000
    assert (totals["expected"], totals["received"], totals["missing"]) == (22, 0, 22)
    assert (totals["reporting_rate"], totals["on_time_rate"]) == (0.0, 0.0)
    assert {"friends", "reported_over_friends", "broadcasts_left"} <= set(data["oa"])


def test_status_counts_the_overdue_apart_from_the_not_yet_due(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Thursday 28 May 14:30: the 12 letter recipients are past noon, the 10 agencies due Friday.
    monkeypatch.setenv("RAYONG_NOW", "2020-05-28T14:30:00")
    data = ok(cli("status", "--json")).json()
    assert data["call_list_counts"] == {"overdue": 12, "not_yet_due": 10}
    assert data["totals"]["missing"] == 22


def test_status_rates_are_ratios_rounded_to_4_places(cli: Cli) -> None:
    for code, when in (("R01", "11:00"), ("R02", "12:00"), ("R09", "12:01")):
        ok(cli("report", code, "100", "--week", "2020-W22", "--received", f"2020-05-29 {when}"))
    totals = ok(cli("status", "--json")).json()["totals"]
    assert (totals["expected"], totals["received"], totals["on_time"]) == (22, 3, 2)
    assert totals["reporting_rate"] == round(3 / 22, 4) == 0.1364
    assert totals["on_time_rate"] == round(2 / 22, 4) == 0.0909


def test_week_by_date_or_iso_week_is_the_same(cli: Cli) -> None:
    ok(cli("report", "R01", "500", "--week", "2020-05-07", "--received", "2020-05-08 10:00"))
    by_date = ok(cli("status", "--week", "2020-05-07", "--json")).json()
    assert by_date["week"] == "2020-W19"
    for other in ("2020-W19", "2020-05-04", "2020-05-10", "2020-w19", "2020W19", "๒๐๒๐-W๑๙"):
        assert ok(cli("status", "--week", other, "--json")).json() == by_date, other
    assert history(cli, "R01")[0]["week"] == "2020-W19"
    data = ok(cli("report", "R01", "500", "--week", "2020-W19", "--json")).json()
    assert data["outcome"] == "unchanged"


def test_status_text_names_who_to_call(cli: Cli) -> None:
    ok(cli("report", "R01", "500", "--week", "2020-W22", "--received", "2020-05-29 10:00"))
    out = ok(cli("status")).out
    assert "2020-W22" in out
    assert "241,000" in out and "231,000" in out
    assert "to call" in out and "R02" in out and "LAO-KLG" in out


def test_weeks_lists_the_campaign_and_marks_this_week(cli: Cli) -> None:
    rows = ok(cli("weeks", "--json")).json()
    # 1 May - 31 July 2020: from the week of Monday 27 April to the week of Monday 27 July.
    starts = [date.fromisoformat(r["week_start"]) for r in rows]
    assert starts[0] == date(2020, 4, 27) and starts[-1] == date(2020, 7, 27)
    assert starts == [date(2020, 4, 27) + timedelta(weeks=i) for i in range(14)]
    assert [r["week"] for r in rows][:2] == ["2020-W18", "2020-W19"]
    assert [r["week"] for r in rows if r["current"]] == ["2020-W22"]
    assert "<- now" in ok(cli("weeks")).out


def test_history_text_and_unknown_unit(cli: Cli) -> None:
    ok(cli("report", "TN-RY", "150", "--week", "2020-W19", "--received", "2020-05-06 15:00"))
    ok(cli("report", "TN-RY", "160", "--week", "2020-W19", "--reason", "แก้"))
    out = ok(cli("history", "tn-ry")).out
    assert out.splitlines()[0].startswith("TN-RY ")
    assert "แก้" in out and "2020-W19" in out
    refused(cli("history", "NOPE"))


# ---------------------------------------------------------------- oa-stats


def test_oa_stats_add_list_and_status(cli: Cli) -> None:
    ok(cli("report", "R09", "40,000", "--week", "2020-W22", "--received", "2020-05-29 10:00"))
    ok(cli("report", "R02", "30,000", "--week", "2020-W22", "--received", "2020-05-29 10:00"))
    out = ok(
        cli("oa-stats", "add", "--date", "2020-05-29", "--friends", "๖๕,๐๐๐",
            "--blocked", "2,000", "--sent", "1,500,000", "--note", "จาก OA Manager")
    ).out  # fmt: skip
    assert "2020-05-29" in out and "65,000" in out
    listed = ok(cli("oa-stats", "list", "--json")).json()
    assert [(s["date"], s["friends"], s["blocked"], s["sent_this_month"]) for s in listed] == [
        ("2020-05-29", 65_000, 2_000, 1_500_000)
    ]
    assert listed[0]["reach"] is None
    assert "65000" in ok(cli("oa-stats", "list")).out

    oa = ok(cli("status", "--json")).json()["oa"]
    assert (oa["date"], oa["friends"], oa["reported_total"]) == ("2020-05-29", 65_000, 70_000)
    assert oa["reported_over_friends"] is True  # 70,000 reported > 65,000 friends
    assert oa["broadcasts_left"] == (3_800_000 - 1_500_000) // (65_000 - 2_000) == 36

    # The same day read again later: corrected in place.
    ok(cli("oa-stats", "add", "--date", "2020-05-29", "--friends", "71000", "--sent", "1500000"))
    oa = ok(cli("status", "--json")).json()["oa"]
    assert (oa["friends"], oa["reported_over_friends"]) == (71_000, False)
    assert oa["broadcasts_left"] == (3_800_000 - 1_500_000) // 71_000 == 32
    assert len(ok(cli("oa-stats", "list", "--json")).json()) == 1


OA_REFUSALS = [
    ("--date", "2020-05-31", "--friends", "100"),  # tomorrow
    ("--date", "2020-05-29", "--friends", "-100"),
    ("--date", "2020-05-29", "--friends", "abc"),
    ("--date", "2020-05-29", "--friends", "100", "--blocked", "1.5"),
    ("--date", "2020-13-01", "--friends", "100"),
    ("--date", "2020-05-29"),
]


def test_oa_stats_refusals_change_nothing(cli: Cli, db: Database, db_path: Path) -> None:
    before = dump(db_path)
    for args in OA_REFUSALS:
        refused(cli("oa-stats", "add", *args))
        assert dump(db_path) == before, args


def test_settings_refuse_a_link_in_the_id_box_and_an_id_in_the_link_box(
    cli: Cli, db_path: Path
) -> None:
    ok(cli("settings", "--set", "oa_id", "@RayongFightCovid"))
    before = dump(db_path)
    line = refused(cli("settings", "--set", "oa_add_friend_url", "@rayongfightcovid"))
    assert "line.me/R/ti/p" in line and "lin.ee" in line
    line = refused(cli("settings", "--set", "oa_add_friend_url", "https://line.me/R/ti/p/%40other"))
    assert "@other" in line and "@rayongfightcovid" in line
    assert "@" in refused(cli("settings", "--set", "oa_id", "rayongfightcovid"))
    assert dump(db_path) == before
    ok(cli("settings", "--set", "oa_add_friend_url", "https://lin.ee/AbC12xy"))
    shown = ok(cli("settings", "--json")).json()
    assert (shown["oa_id"], shown["oa_add_friend_url"]) == (
        "@rayongfightcovid",
        "https://lin.ee/AbC12xy",
    )
