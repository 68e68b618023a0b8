"""The province's picture over a scripted month (2020-W19 .. 2020-W22), through the services.

The scenario below is the only source of truth: a dict of (unit, week) -> (count, received time),
the few events around it (a wrong figure corrected later, a fall and a big rise confirmed, a unit
retired, a unit added with a later start) and the seed file's quotas. `expected_week` works out
from those alone, by the rules of the letter and the plan, what the week's status must say:

* local administrations (plan row 3) owe their report by Thursday 12:00 Bangkok, every other unit
  by Friday 12:00; a report at 12:00:00 is on time, one at 12:01 is late by 1 minute;
* a unit is expected in a week when its deadline falls on/after its start date and before its
  retirement date (all four weeks lie after the first deadlines and inside the campaign);
* received = expected units that reported; on time = those received by the deadline;
  missing = expected - received; the JSON gives the two rates as ratios rounded to 4 places;
* counts are cumulative: a unit without a report this week keeps its last count in the totals,
  and a unit that never reported adds nothing;
* the province's quota is the sum of the plan rows' quotas (241,000), not the printed 231,000.

The CLI tests (tests/test_cli_reports.py) replay the same month through the command line and
check it with the same expectations.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest

from rayong_desktop.db.engine import Database
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.errors import NeedsConfirmation
from rayong_desktop.paths import resource_path
from rayong_desktop.services import oa, registry, reports, status
from rayong_desktop.services.startup import open_database

SEED: dict[str, Any] = json.loads(resource_path("seed", "plan.json").read_text(encoding="utf-8"))
ROW_QUOTA: dict[int, int] = {r["number"]: r["quota"] for r in SEED["plan_rows"]}
LA_MINIMUM = 300  # the letter's minimum per local administration (and district office)

W18, W19, W20, W21, W22 = (date(2020, 4, 27) + timedelta(weeks=i) for i in range(5))
WEEKS = (W19, W20, W21, W22)
LABEL = {W18: "2020-W18", W19: "2020-W19", W20: "2020-W20", W21: "2020-W21", W22: "2020-W22"}


@dataclass(frozen=True)
class ScenarioUnit:
    code: str
    name: str
    plan_row: int
    quota: int
    weekday: int  # of the deadline: 3 Thursday (letter), 4 Friday (plan)
    active_from: date | None = None
    retired_on: date | None = None


def _seed_units() -> dict[str, ScenarioUnit]:
    schedules = {s["code"]: s for s in SEED["schedules"]}
    letter_kinds = {k for s in SEED["schedules"] for k in s["unit_kinds"]}
    units = {}
    for row in SEED["plan_rows"]:
        lone = len(row["units"]) == 1
        for u in row["units"]:
            if u["kind"] in letter_kinds:
                sched = next(s for s in SEED["schedules"] if u["kind"] in s["unit_kinds"])
            else:
                sched = schedules[row["schedule"]]
            quota = row["quota"] if lone else LA_MINIMUM
            units[u["code"]] = ScenarioUnit(
                u["code"], u["name"], row["number"], quota, sched["weekday"]
            )
    return units


SEEDED = _seed_units()

# The registry's changes during the month (made on Wednesday 20 May, between W20 and W21).
CHANGES_AT = "2020-05-20 09:00"
RETIRED = "TM-BCH"  # retired from 20 May: owes W19 (due 7 May) and W20 (14 May), not W21 (21 May)
ADDED = ScenarioUnit(
    code="SAO-NONGBUA",
    name="องค์การบริหารส่วนตำบลหนองบัว",
    plan_row=3,
    quota=LA_MINIMUM,
    weekday=3,
    active_from=date(2020, 5, 22),  # W21's Thursday deadline (21 May) is before it; W22's is not
)
ADDED_KIND, ADDED_DISTRICT = "sao", "บ้านค่าย"


def all_units() -> dict[str, ScenarioUnit]:
    units = dict(SEEDED)
    units[RETIRED] = replace(SEEDED[RETIRED], retired_on=date(2020, 5, 20))
    units[ADDED.code] = ADDED
    return units


# The final state of every report: (unit, week) -> (count, received, Bangkok wall clock).
# Keyed week by week in this order. Comments give the deadline and what the clerk sees.
REPORTS: dict[tuple[str, date], tuple[int, str]] = {
    # W19: Thursday 7 May 12:00 (row 3), Friday 8 May 12:00 (others)
    ("R01", W19): (500, "2020-05-08 10:00:00"),  # on time
    ("R02", W19): (12_000, "2020-05-08 12:00:00"),  # exactly at the deadline: on time
    ("R09", W19): (20_000, "2020-05-08 12:01:00"),  # late by 1 minute
    ("R11", W19): (3_000, "2020-05-08 16:45:00"),  # late by 4 h 45
    ("LAO-MRY", W19): (120, "2020-05-07 09:30:00"),
    ("LAO-KLG", W19): (80, "2020-05-07 12:01:00"),  # Thursday deadline: late by 1 minute
    ("TN-RY", W19): (150, "2020-05-06 15:00:00"),
    ("TM-BCH", W19): (60, "2020-05-07 11:00:00"),
    # W20: Thursday 14 May, Friday 15 May; R09 missing (carries 20,000)
    ("R01", W20): (900, "2020-05-15 11:59:00"),
    ("R02", W20): (25_000, "2020-05-15 09:00:00"),
    ("R11", W20): (6_000, "2020-05-15 08:00:00"),
    ("LAO-MRY", W20): (200, "2020-05-14 12:00:00"),  # exactly at the Thursday deadline
    ("LAO-KLG", W20): (150, "2020-05-14 10:00:00"),
    ("TN-RY", W20): (260, "2020-05-13 14:00:00"),
    ("TM-BCH", W20): (90, "2020-05-15 09:00:00"),  # Friday morning is a day late for row 3
    # W21: Thursday 21 May, Friday 22 May; LAO-MRY missing; TM-BCH retired; SAO not yet due
    ("R01", W21): (1_350, "2020-05-22 10:00:00"),  # first keyed as 1,400, corrected later
    ("R02", W21): (24_000, "2020-05-22 11:00:00"),  # fewer than last week: confirmed
    ("R09", W21): (26_000, "2020-05-22 14:30:00"),  # late by 150 minutes
    ("R11", W21): (9_500, "2020-05-22 12:00:00"),
    ("LAO-KLG", W21): (210, "2020-05-21 11:00:00"),
    ("TN-RY", W21): (400, "2020-05-21 12:01:00"),
    # W22: Thursday 28 May, Friday 29 May; LAO-KLG missing
    ("R01", W22): (1_800, "2020-05-29 11:00:00"),
    ("R02", W22): (30_000, "2020-05-29 12:00:00"),
    ("R09", W22): (33_000, "2020-05-29 10:00:00"),
    ("R11", W22): (12_000, "2020-05-29 13:00:00"),  # late by 60 minutes
    ("LAO-MRY", W22): (320, "2020-05-28 11:30:00"),
    ("TN-RY", W22): (12_000, "2020-05-28 10:00:00"),  # quota 300, was 400: big rise, confirmed
    ("SAO-NONGBUA", W22): (40, "2020-05-28 10:00:00"),
}
FIRST_KEYED = {("R01", W21): 1_400}  # the wrong figure, corrected on 30 May
CORRECTED_AT, CORRECTED_BY = "2020-05-30 09:00", "clerk-b"
CORRECTION_REASON = "หน่วยโทรแจ้งแก้ไข: พิมพ์ผิด"
CONFIRMED = {("R02", W21): "below_previous", ("TN-RY", W22): "big_rise"}

# OA figures read from LINE OA Manager: (friends, blocked, sent this month).
OA_STATS = {
    date(2020, 5, 10): (100_000, 800, 400_000),
    date(2020, 5, 29): (60_000, 1_500, 1_200_000),
}
MONTHLY_QUOTA = 3_800_000


def keyed_at(week: date) -> str:
    """When the clerk keys a week's reports: Friday 17:00 of that week."""
    return f"{week + timedelta(days=4)} 17:00"


def bkk(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BANGKOK)


# ---------------------------------------------------------------- the expectations


@dataclass(frozen=True)
class ExpectedUnit:
    code: str
    name: str
    plan_row: int
    quota: int
    expected: bool
    reported: bool
    count: int | None
    increase: int | None
    on_time: bool
    late_by_minutes: int | None
    missing: bool


@dataclass(frozen=True)
class ExpectedTotals:
    quota: int
    count: int
    expected: int
    received: int
    on_time: int
    missing: int
    reporting_rate: float | None
    on_time_rate: float | None


def _late(received: datetime, due: datetime) -> int:
    seconds = (received - due).total_seconds()
    return 0 if seconds <= 0 else math.ceil(seconds / 60)


def expected_unit(u: ScenarioUnit, week: date) -> ExpectedUnit:
    due = datetime.combine(week + timedelta(days=u.weekday), time(12, 0), BANGKOK)
    owes = (u.active_from is None or due.date() >= u.active_from) and (
        u.retired_on is None or due.date() < u.retired_on
    )
    this = REPORTS.get((u.code, week))
    earlier = [REPORTS[(u.code, w)][0] for w in WEEKS if w < week and (u.code, w) in REPORTS]
    previous = earlier[-1] if earlier else None
    count = this[0] if this else previous
    if count is None:
        increase = None
    else:
        increase = count - (previous or 0)
    late = _late(bkk(this[1]), due) if this else None
    return ExpectedUnit(
        code=u.code,
        name=u.name,
        plan_row=u.plan_row,
        quota=u.quota,
        expected=owes,
        reported=this is not None,
        count=count,
        increase=increase,
        on_time=late == 0,
        late_by_minutes=late,
        missing=owes and this is None,
    )


def _ratio(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 4)


def expected_totals(quota: int, units: list[ExpectedUnit]) -> ExpectedTotals:
    expected = [u for u in units if u.expected]
    received = [u for u in expected if u.reported]
    on_time = [u for u in received if u.on_time]
    return ExpectedTotals(
        quota=quota,
        count=sum(u.count or 0 for u in units),
        expected=len(expected),
        received=len(received),
        on_time=len(on_time),
        missing=len(expected) - len(received),
        reporting_rate=_ratio(len(received), len(expected)),
        on_time_rate=_ratio(len(on_time), len(expected)),
    )


@dataclass(frozen=True)
class ExpectedWeek:
    units: dict[str, ExpectedUnit]
    rows: dict[int, ExpectedTotals]
    totals: ExpectedTotals


def expected_week(week: date) -> ExpectedWeek:
    units = {code: expected_unit(u, week) for code, u in all_units().items()}
    rows = {
        n: expected_totals(q, [u for u in units.values() if u.plan_row == n])
        for n, q in ROW_QUOTA.items()
    }
    return ExpectedWeek(units, rows, expected_totals(sum(ROW_QUOTA.values()), list(units.values())))


UNIT_KEYS = (
    "code",
    "name",
    "plan_row",
    "quota",
    "count",
    "reported",
    "on_time",
    "late_by_minutes",
    "increase",
)
TOTAL_KEYS = (
    "quota",
    "count",
    "expected",
    "received",
    "on_time",
    "missing",
    "reporting_rate",
    "on_time_rate",
)


def _totals_of(data: dict[str, Any]) -> ExpectedTotals:
    return ExpectedTotals(**{k: data[k] for k in TOTAL_KEYS})


def check_status_json(data: dict[str, Any], week: date) -> None:
    """Compare `status --json` (or status_json) with what the scenario says about the week."""
    want = expected_week(week)
    assert data["week"] == LABEL[week]
    assert data["week_start"] == week.isoformat()
    got_units = {u["code"]: u for u in data["units"]}
    assert set(got_units) == set(want.units)
    for code, w in want.units.items():
        got = got_units[code]
        assert set(UNIT_KEYS) <= set(got), code
        assert {k: got[k] for k in UNIT_KEYS} == {k: getattr(w, k) for k in UNIT_KEYS}, code
        assert (got["expected"], got["missing"]) == (w.expected, w.missing), code
    got_rows = {r["number"]: r for r in data["plan_rows"]}
    assert set(got_rows) == set(ROW_QUOTA)
    for number, totals in want.rows.items():
        assert _totals_of(got_rows[number]) == totals, f"plan row {number}"
    assert _totals_of(data["totals"]) == want.totals
    assert data["totals"]["quota"] == 241_000
    assert data["totals"]["stated_quota"] == SEED["stated_total"] == 231_000
    missing = {code for code, u in want.units.items() if u.missing}
    assert {c["code"] for c in data["call_list"]} == missing


# ---------------------------------------------------------------- playing the month


def play_month(
    key: Callable[..., None],
    set_now: Callable[[str], None],
    add_and_retire: Callable[[], None],
    correct: Callable[[str, date, int], None],
) -> None:
    """Key the scenario in the order a clerk would. `key(code, week, count, received, confirm)`
    must store the figure; when `confirm` names a concern, it must first show that keying without
    confirmation is held back and stores nothing."""
    for week in WEEKS:
        if week == W21:
            set_now(CHANGES_AT)
            add_and_retire()
        set_now(keyed_at(week))
        for (code, w), (count, received) in REPORTS.items():
            if w != week:
                continue
            first = FIRST_KEYED.get((code, w), count)
            key(code, w, first, received, CONFIRMED.get((code, w)))
    set_now(CORRECTED_AT)
    for code, w in FIRST_KEYED:
        correct(code, w, REPORTS[(code, w)][0])


@pytest.fixture
def set_now(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    def setter(text: str) -> None:
        monkeypatch.setenv("RAYONG_NOW", text)

    setter(CORRECTED_AT)
    return setter


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The month keyed once per module through the services; the tests only read it."""
    folder = tmp_path_factory.mktemp("month")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("RAYONG_HOME", str(folder / "home"))
        mp.setenv("RAYONG_CLERK", "test-clerk")
        for name in ("RAYONG_DB", "RAYONG_LANG", "RAYONG_NOW"):
            mp.delenv(name, raising=False)
        db = open_database(folder / "month.sqlite3")

        def set_now(text: str) -> None:
            mp.setenv("RAYONG_NOW", text)

        def key(code: str, week: date, count: int, received: str, confirm: str | None) -> None:
            if confirm:
                with pytest.raises(NeedsConfirmation) as info:
                    reports.record_report(
                        db, unit_code=code, week=week, count=str(count), received_at=bkk(received)
                    )
                assert [c.code for c in info.value.concerns] == [confirm]
            result = reports.record_report(
                db,
                unit_code=code,
                week=week,
                count=f"{count:,}",
                received_at=bkk(received),
                confirm=bool(confirm),
            )
            assert (result.outcome, result.version, result.count) == ("stored", 1, count)
            assert result.confirmed == ((confirm,) if confirm else ())

        def add_and_retire() -> None:
            registry.add_unit(
                db,
                code=ADDED.code,
                name=ADDED.name,
                plan_row=ADDED.plan_row,
                kind=ADDED_KIND,
                district=ADDED_DISTRICT,
                active_from=ADDED.active_from,
            )
            registry.retire_unit(db, RETIRED, reason="รวมกับเทศบาลอื่น")  # today: 20 May

        def correct(code: str, week: date, count: int) -> None:
            result = reports.record_report(
                db,
                unit_code=code,
                week=week,
                count=count,
                reason=CORRECTION_REASON,
                actor=CORRECTED_BY,
            )
            assert (result.outcome, result.version, result.count) == ("corrected", 2, count)

        play_month(key, set_now, add_and_retire, correct)
        for day, (friends, blocked, sent) in OA_STATS.items():
            oa.record_oa_stat(db, on=day, friends=friends, blocked=blocked, sent_this_month=sent)
    yield db
    db.dispose()


# ---------------------------------------------------------------- the tests


def test_the_scenario_is_what_the_issue_asks_for() -> None:
    """Guards the scenario itself: several units over at least three plan rows, every case."""
    units = all_units()
    assert len({units[code].plan_row for code, _ in REPORTS}) >= 3
    assert {w for _, w in REPORTS} == set(WEEKS)
    lates = {
        key: _late(
            bkk(r),
            datetime.combine(key[1] + timedelta(days=units[key[0]].weekday), time(12), BANGKOK),
        )
        for key, (_, r) in REPORTS.items()
    }
    assert 0 in lates.values() and 1 in lates.values()
    assert any(r.endswith("12:00:00") and lates[k] == 0 for k, (_, r) in REPORTS.items())
    assert units[RETIRED].retired_on and ADDED.active_from


@pytest.mark.parametrize("week", WEEKS, ids=[LABEL[w] for w in WEEKS])
def test_status_json_matches_the_scenario(month: Database, week: date) -> None:
    check_status_json(status.status_json(status.week_summary(month, week)), week)


def test_week_21_by_hand(month: Database) -> None:
    """The same week worked out on paper, so the expectations above are checked too."""
    data = status.status_json(status.week_summary(month, W21))
    t = data["totals"]
    # 1,350 + 24,000 + 26,000 + 9,500 + 210 + 400 reported; LAO-MRY carries 200; TM-BCH 90
    assert t["count"] == 61_750
    assert (t["quota"], t["expected"], t["received"], t["on_time"], t["missing"]) == (
        241_000,
        21,  # 22 seeded units less TM-BCH (retired 20 May); SAO-NONGBUA starts 22 May
        6,
        4,  # R01, R02, R11 (12:00:00), LAO-KLG; R09 and TN-RY (12:01) are late
        15,
    )
    assert (t["reporting_rate"], t["on_time_rate"]) == (0.2857, 0.1905)
    units = {u["code"]: u for u in data["units"]}
    assert units["R01"]["count"] == 1_350 and units["R01"]["on_time"] is True
    assert units["TN-RY"]["late_by_minutes"] == 1
    assert units["R11"]["late_by_minutes"] == 0
    assert (units["LAO-MRY"]["count"], units["LAO-MRY"]["reported"]) == (200, False)
    assert units["LAO-MRY"]["missing"] is True and units["LAO-MRY"]["increase"] == 0
    assert units["TM-BCH"]["expected"] is False and units["TM-BCH"]["count"] == 90
    assert units["SAO-NONGBUA"]["expected"] is False and units["SAO-NONGBUA"]["count"] is None
    assert units["R02"]["increase"] == -1_000
    row3 = next(r for r in data["plan_rows"] if r["number"] == 3)
    # 12 seeded units, TM-BCH retired; LAO-KLG and TN-RY reported, TN-RY late
    assert (row3["quota"], row3["count"], row3["expected"], row3["received"]) == (
        20_000,
        200 + 210 + 400 + 90,
        11,
        2,
    )
    assert (row3["on_time"], row3["missing"]) == (1, 9)


def test_week_22_by_hand(month: Database) -> None:
    t = status.status_json(status.week_summary(month, W22))["totals"]
    assert t["count"] == 1_800 + 30_000 + 33_000 + 12_000 + 320 + 210 + 12_000 + 90 + 40
    # 22 seeded - TM-BCH + SAO-NONGBUA; received R01 R02 R09 R11 LAO-MRY TN-RY SAO; R11 late
    assert (t["expected"], t["received"], t["on_time"], t["missing"]) == (22, 7, 6, 15)
    assert (t["reporting_rate"], t["on_time_rate"]) == (round(7 / 22, 4), round(6 / 22, 4))


def test_retired_unit_is_expected_only_before_its_retirement(month: Database) -> None:
    expected = {
        week: next(
            u
            for u in status.status_json(status.week_summary(month, week))["units"]
            if u["code"] == RETIRED
        )
        for week in WEEKS
    }
    assert [expected[w]["expected"] for w in WEEKS] == [True, True, False, False]
    assert [expected[w]["missing"] for w in WEEKS] == [False, False, False, False]
    assert expected[W20]["late_by_minutes"] == 21 * 60  # Friday 09:00 vs Thursday 12:00


def test_unit_added_later_is_not_expected_before_its_start(month: Database) -> None:
    summaries = {w: status.week_summary(month, w) for w in WEEKS}
    for week in (W19, W20, W21):
        unit = next(u for u in summaries[week].units if u.unit.code == ADDED.code)
        assert (unit.expected, unit.missing, unit.count) == (False, False, None)
        assert ADDED.code not in {c.code for c in summaries[week].call_list}
    unit = next(u for u in summaries[W22].units if u.unit.code == ADDED.code)
    assert (unit.expected, unit.reported, unit.on_time, unit.count) == (True, True, True, 40)


def test_corrected_report_keeps_its_history_and_totals_use_the_new_figure(
    month: Database,
) -> None:
    _, revisions = reports.unit_history(month, "R01")
    w21 = [r for r in revisions if r.week == W21]
    assert [(r.version, r.count, r.current) for r in w21] == [(1, 1_400, False), (2, 1_350, True)]
    first, second = w21
    assert (first.clerk, first.reason) == ("test-clerk", None)
    assert first.entered_at == bkk(keyed_at(W21))
    assert (second.clerk, second.reason, second.previous_count) == (
        CORRECTED_BY,
        CORRECTION_REASON,
        1_400,
    )
    assert second.entered_at == bkk(CORRECTED_AT)
    # The correction changed the figure, not when the unit reported.
    assert second.received_at == first.received_at == bkk(REPORTS[("R01", W21)][1])
    r01 = next(u for u in status.week_summary(month, W21).units if u.unit.code == "R01")
    assert (r01.count, r01.on_time) == (1_350, True)
    # The next week's rise is measured from the corrected figure.
    r01_next = next(u for u in status.week_summary(month, W22).units if u.unit.code == "R01")
    assert (r01_next.previous_count, r01_next.increase) == (1_350, 450)


def test_confirmed_figures_are_marked(month: Database) -> None:
    for (code, week), concern in CONFIRMED.items():
        _, revisions = reports.unit_history(month, code)
        (rev,) = [r for r in revisions if r.week == week]
        assert rev.confirmed == (concern,)
        assert rev.as_json()["confirmed"] == [concern]


@pytest.mark.parametrize(
    ("week", "friends", "over"),
    [(W19, 100_000, False), (W20, 100_000, False), (W22, 60_000, True)],
    ids=["W19", "W20", "W22"],
)
def test_oa_part_uses_the_latest_figures_of_the_week(
    month: Database, week: date, friends: int, over: bool
) -> None:
    day = max(d for d in OA_STATS if d <= week + timedelta(days=6))
    friends_, blocked, sent = OA_STATS[day]
    assert friends_ == friends
    province = expected_week(week).totals.count
    data = status.status_json(status.week_summary(month, week))["oa"]
    assert data["date"] == day.isoformat()
    assert data["friends"] == friends
    assert data["reported_total"] == province
    assert data["reported_over_friends"] is over is (province > friends)
    assert data["monthly_quota"] == MONTHLY_QUOTA
    assert data["sent_this_month"] == sent
    assert data["reach_per_broadcast"] == friends - blocked
    assert data["broadcasts_left"] == (MONTHLY_QUOTA - sent) // (friends - blocked)


def test_broadcasts_left_worked_out(month: Database) -> None:
    data = status.status_json(status.week_summary(month, W22))["oa"]
    # (3,800,000 - 1,200,000) / (60,000 - 1,500) = 44.4...: 44 whole broadcasts
    assert data["broadcasts_left"] == 44


def test_week_without_deadlines_expects_nobody(db: Database) -> None:
    data = status.status_json(status.week_summary(db, W18))
    t = data["totals"]
    assert (t["expected"], t["received"], t["missing"], t["count"]) == (0, 0, 0, 0)
    assert (t["reporting_rate"], t["on_time_rate"]) == (None, None)
    assert data["call_list"] == []
    assert data["oa"]["friends"] is None and data["oa"]["reported_over_friends"] is False


def test_empty_week_every_unit_missing(db: Database, set_now: Callable[[str], None]) -> None:
    data = status.status_json(status.week_summary(db, W22))
    t = data["totals"]
    n = len(SEEDED)
    assert (t["expected"], t["received"], t["on_time"], t["missing"]) == (n, 0, 0, n)
    assert (t["reporting_rate"], t["on_time_rate"], t["count"]) == (0.0, 0.0, 0)
    assert all(u["count"] is None and u["increase"] is None for u in data["units"])
    assert all(u["late_by_minutes"] is None and u["on_time"] is False for u in data["units"])


def test_current_week_follows_the_clock(db: Database, set_now: Callable[[str], None]) -> None:
    assert status.current_week(db) == (W22, True)
    set_now("2020-04-20 09:00")
    assert status.current_week(db) == (W18, False)  # before the campaign: its first week
    set_now("2020-09-01 09:00")
    assert status.current_week(db) == (date(2020, 7, 27), False)  # after: its last week
