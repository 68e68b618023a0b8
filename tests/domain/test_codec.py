"""Plain data to JSON and back: real week summaries survive exactly; anything that does not fit
the type it is read back as is refused (`CodecError`), never half read.

The round trips go through `json.dumps` / `json.loads`, as the home screen's snapshot does.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any, Optional

import pytest

from rayong_desktop.db.engine import Database
from rayong_desktop.domain import calendar, summaries
from rayong_desktop.domain.calendar import BANGKOK, Schedule
from rayong_desktop.domain.codec import CodecError, decode, encode
from rayong_desktop.domain.desk import CallNote, Deadline, HomeFigures
from rayong_desktop.services import desk, oa, reports, status

NOW = datetime(2020, 5, 21, 10, 0, tzinfo=BANGKOK)  # Thursday of the week of 18 May 2020
WEEK = calendar.week_start(NOW.date())
LAST_WEEK = WEEK - timedelta(weeks=1)
EAST_COAST = timezone(timedelta(hours=-5))  # an offset that is neither Bangkok's nor UTC's


def through_json(kind: Any, value: Any) -> Any:
    return decode(kind, json.loads(json.dumps(encode(value), ensure_ascii=False)))


def all_values(value: Any) -> list[Any]:
    """Every value inside `value` (dataclasses, tuples, lists, dicts), depth first."""
    found = [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            found += all_values(getattr(value, f.name))
    elif isinstance(value, list | tuple):
        for v in value:
            found += all_values(v)
    elif isinstance(value, dict):
        for v in value.values():
            found += all_values(v)
    return found


def assert_same_shape(original: Any, back: Any) -> None:
    """Equal, and also the same containers, offsets and types all the way down (equality alone
    would let a list pass for a tuple and 12:00+07:00 for 05:00+00:00)."""
    assert back == original
    left, right = all_values(original), all_values(back)
    assert len(left) == len(right)
    for a, b in zip(left, right, strict=True):
        assert type(a) is type(b), (a, b)
        if isinstance(a, datetime):
            assert b.utcoffset() == a.utcoffset(), (a, b)
            assert b.isoformat() == a.isoformat()
        elif isinstance(a, time):
            assert b.isoformat() == a.isoformat()


# ---------------------------------------------------------------- a week built by the domain


def week_summary() -> summaries.WeekSummary:
    thursday = Schedule(weekday=3, cutoff=time(12, 0), first_due=date(2020, 5, 7))
    # A cutoff with seconds and microseconds: a time of day must survive to the microsecond.
    friday = Schedule(weekday=4, cutoff=time(16, 30, 15, 250), first_due=date(2020, 5, 8))
    rows = [
        summaries.PlanRowInfo(1, "องค์กรปกครองส่วนท้องถิ่น", 2_000),
        summaries.PlanRowInfo(2, "ส่วนราชการ", 1_000),
    ]

    def unit(uid: int, row: int, schedule: Schedule, **kw: Any) -> summaries.UnitInfo:
        fields: dict[str, Any] = {
            "id": uid,
            "code": f"U{uid:02d}",
            "name": f"หน่วย {uid}",
            "plan_row": row,
            "kind": "local" if row == 1 else "agency",
            "district": "เมืองระยอง",
            "quota": 500,
            "contact": None,
            "phone": f"038-000-{uid:03d}",
            "fax": None,
            "active_from": None,
            "retired_on": None,
            "schedule": schedule,
        }
        fields.update(kw)
        return summaries.UnitInfo(**fields)

    units = [
        unit(1, 1, thursday),
        unit(2, 1, thursday, quota=0),  # no quota: percentages are None
        unit(3, 2, friday, active_from=date(2020, 6, 1)),  # not expected yet
        unit(4, 2, friday, retired_on=date(2020, 7, 1), fax="038-111-004"),
        unit(5, 1, thursday),  # never reported: on the call list
    ]
    this_week = {
        1: summaries.ReportInfo(1, WEEK, 420, datetime(2020, 5, 21, 2, 15, tzinfo=UTC)),
        2: summaries.ReportInfo(2, WEEK, 30, datetime(2020, 5, 20, 21, 0, tzinfo=EAST_COAST)),
        4: summaries.ReportInfo(4, WEEK, 260, datetime(2020, 5, 22, 17, 0, 1, 7, tzinfo=BANGKOK)),
    }
    previous = {
        1: summaries.ReportInfo(1, LAST_WEEK, 300, datetime(2020, 5, 14, 9, 0, tzinfo=BANGKOK)),
        4: summaries.ReportInfo(4, LAST_WEEK, 200, datetime(2020, 5, 15, 3, 0, tzinfo=UTC)),
    }
    return summaries.summarize_week(
        WEEK,
        units=units,
        plan_rows=rows,
        this_week=this_week,
        previous=previous,
        campaign=summaries.CampaignInfo(date(2020, 5, 1), date(2020, 7, 31), None),
        oa_stat=summaries.OAStat(date(2020, 5, 20), 12_345, None, 9_000, 40_000),
        now=NOW,
    )


def test_a_week_summary_built_by_the_domain_survives_json_exactly() -> None:
    summary = week_summary()
    # The scenario exercises what it is meant to: Optional fields both ways, a call list,
    # several offsets and the odd cutoff.
    assert summary.call_list and summary.oa.stat is not None
    assert any(u.pct_of_quota is None for u in summary.units)
    assert any(u.received_at is None for u in summary.units)
    offsets = {u.received_at.utcoffset() for u in summary.units if u.received_at is not None}
    assert len(offsets) == 3

    back = through_json(summaries.WeekSummary, summary)

    assert_same_shape(summary, back)
    assert isinstance(back.units, tuple) and isinstance(back.plan_rows[0].units, tuple)
    assert isinstance(back.call_list, tuple)
    assert [u.received_at.utcoffset() if u.received_at else None for u in back.units] == [
        u.received_at.utcoffset() if u.received_at else None for u in summary.units
    ]
    assert [u.unit.schedule.cutoff for u in back.units] == [
        u.unit.schedule.cutoff for u in summary.units
    ]
    assert {u.unit.schedule.cutoff.microsecond for u in back.units} >= {250}


def test_a_schedule_keeps_its_cutoff_time() -> None:
    schedule = Schedule(weekday=4, cutoff=time(23, 59, 59, 999_999), first_due=date(2020, 5, 8))
    back = through_json(Schedule, schedule)
    assert back == schedule and isinstance(back.cutoff, time)
    assert back.cutoff.tzinfo is None


# ---------------------------------------------------------------- a week read from the database


@pytest.fixture
def keyed(db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    """The seeded database with a few reports, a correction, an OA figure and call notes."""
    monkeypatch.setenv("RAYONG_NOW", NOW.isoformat())
    reports.record_report(
        db, unit_code="TN-RY", week=LAST_WEEK, count=90, received_at=NOW - timedelta(days=7)
    )
    reports.record_report(
        db, unit_code="TN-RY", week=WEEK, count=120, received_at=NOW - timedelta(hours=2)
    )
    reports.record_report(
        db, unit_code="PAO-RY", week=WEEK, count=400, received_at=NOW - timedelta(days=1)
    )
    reports.record_report(db, unit_code="PAO-RY", week=WEEK, count=410, reason="พิมพ์ผิด")
    oa.record_oa_stat(db, on=NOW.date() - timedelta(days=1), friends=5_000, reach=4_000)
    desk.add_call_note(db, unit_code="R01", week=WEEK, text="รับปากส่งก่อน 15.00 น.")
    desk.add_call_note(db, unit_code="R01", week=WEEK, text="ส่งโทรสารแล้ว")
    return db


def test_a_week_summary_read_from_the_database_survives_json_exactly(keyed: Database) -> None:
    summary = status.week_summary(keyed, WEEK)
    assert summary.totals.received >= 2 and summary.call_list and summary.oa.stat is not None
    assert_same_shape(summary, through_json(summaries.WeekSummary, summary))


def test_the_home_figures_survive_json_exactly(keyed: Database) -> None:
    figures = desk.home_figures(keyed, WEEK)
    assert figures.deadlines and figures.notes and figures.summary.call_list
    back = through_json(HomeFigures, figures)
    assert_same_shape(figures, back)
    assert [n.text for n in back.notes["R01"]] == [n.text for n in figures.notes["R01"]]
    assert [d.due_at.utcoffset() for d in back.deadlines] == [
        d.due_at.utcoffset() for d in figures.deadlines
    ]


# ---------------------------------------------------------------- what is refused on the way out


def test_a_naive_datetime_is_refused_on_encode() -> None:
    with pytest.raises(CodecError):
        encode(datetime(2020, 5, 21, 10, 0))
    note = CallNote("TN-RY", WEEK, "โทรแล้ว", datetime(2020, 5, 21, 10, 0), "clerk")
    with pytest.raises(CodecError):
        encode(note)
    with pytest.raises(CodecError):
        encode({"notes": [note]})
    # The same moment with its zone is kept.
    assert encode(NOW) == NOW.isoformat()


@pytest.mark.parametrize(
    "value",
    [
        {1: "a non-text key"},
        {"fine": {date(2020, 5, 18): 1}},
        {"a", "set"},
        b"bytes",
        object(),
        Schedule,  # a dataclass itself, not one of its values
    ],
    ids=["int-key", "nested-date-key", "set", "bytes", "object", "dataclass-class"],
)
def test_what_json_cannot_hold_exactly_is_refused_on_encode(value: Any) -> None:
    with pytest.raises(CodecError):
        encode(value)


# ---------------------------------------------------------------- what is refused on the way in


def _deadline() -> Deadline:
    return Deadline("letter", "ทุกวันพฤหัสบดี", NOW.replace(hour=12), 12, 3, 9)


def test_a_field_missing_or_extra_is_refused() -> None:
    data = encode(_deadline())
    assert decode(Deadline, data) == _deadline()
    missing = dict(data)
    del missing["received"]
    with pytest.raises(CodecError):
        decode(Deadline, missing)
    extra = dict(data, overdue=0)
    with pytest.raises(CodecError):
        decode(Deadline, extra)
    renamed = dict(missing, recieved=data["received"])
    with pytest.raises(CodecError):
        decode(Deadline, renamed)


def test_a_field_missing_deep_inside_is_refused() -> None:
    summary = week_summary()
    data = json.loads(json.dumps(encode(summary)))
    del data["plan_rows"][1]["units"][0]["unit"]["schedule"]["cutoff"]
    with pytest.raises(CodecError):
        decode(summaries.WeekSummary, data)


@pytest.mark.parametrize(
    ("field_name", "value"),
    [
        ("expected", "12"),  # text where a number is expected
        ("expected", True),  # a bool is an int in Python, but not a count
        ("expected", 12.0),  # a float is not an int either
        ("expected", None),  # not Optional
        ("schedule", 3),
        ("due_at", "2020-05-21"),  # a date where a moment is expected: no zone
        ("due_at", "2020-05-21T12:00:00"),  # a moment without its zone
        ("due_at", 1_590_037_200),
    ],
)
def test_a_field_of_the_wrong_type_is_refused(field_name: str, value: Any) -> None:
    data = dict(encode(_deadline()), **{field_name: value})
    with pytest.raises(CodecError):
        decode(Deadline, data)


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        (int, True),
        (int, False),
        (int, "5"),
        (int, 5.0),
        (float, True),
        (float, "1.5"),
        (bool, 1),
        (bool, "true"),
        (str, 5),
        (str, None),
        (date, "2020-05-21T10:00:00+07:00"),  # a moment where a day is expected
        (date, 20200521),
        (datetime, "2020-05-21"),
        (datetime, "2020-05-21T10:00:00"),
        (datetime, None),
        (time, 1200),
        (type(None), 0),
        (list[int], {"0": 1}),
        (list[int], [1, "2"]),
        (tuple[int, ...], "12"),
        (dict[str, int], [["a", 1]]),
        (dict[str, int], {"a": True}),
        (int | None, "5"),
        (int | None, True),
        (Optional[date], "2020-05-21T10:00:00+07:00"),  # noqa: UP045 - the old spelling too
        (Deadline, [1, 2, 3]),
        (Deadline, None),
    ],
)
def test_data_that_does_not_fit_its_type_is_refused(kind: Any, data: Any) -> None:
    with pytest.raises(CodecError):
        decode(kind, data)


@pytest.mark.parametrize(
    "data",
    [[], [1], [1, "a", 2], "1a", {"0": 1, "1": "a"}],
    ids=["empty", "short", "long", "text", "mapping"],
)
def test_a_fixed_tuple_needs_exactly_its_items(data: Any) -> None:
    assert decode(tuple[int, str], [1, "a"]) == (1, "a")
    with pytest.raises(CodecError):
        decode(tuple[int, str], data)


def test_optional_fields_accept_none_and_their_type() -> None:
    assert decode(int | None, None) is None
    assert decode(Optional[int], None) is None  # noqa: UP045
    assert decode(int | None, 7) == 7
    assert decode(date | None, "2020-05-18") == date(2020, 5, 18)
    assert decode(datetime | None, None) is None
    campaign = summaries.CampaignInfo(date(2020, 5, 1), date(2020, 7, 31), None)
    back = through_json(summaries.CampaignInfo, campaign)
    assert back == campaign and back.stated_quota is None
    stat = summaries.OAStat(date(2020, 5, 20), 100, None, None, None)
    assert through_json(summaries.OAStat, stat) == stat
    # ... but a field that is not Optional does not.
    with pytest.raises(CodecError):
        decode(summaries.OAStat, dict(encode(stat), friends=None))


def test_numbers_keep_their_kind() -> None:
    totals = week_summary().totals
    back = through_json(summaries.GroupTotals, totals)
    assert back == totals
    for f in dataclasses.fields(totals):
        assert type(getattr(back, f.name)) is type(getattr(totals, f.name)), f.name
    # A whole float written by JSON as an int still reads back as a float.
    assert decode(float, 100) == 100.0 and type(decode(float, 100)) is float


# ---------------------------------------------------------------- found while writing these tests


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        (date, "2020-13-45"),
        (datetime, "not a moment at all"),
        (time, "25:99"),
        (Schedule, {"weekday": 9, "cutoff": "12:00:00", "first_due": "2020-05-07"}),
    ],
    ids=["bad-date", "bad-datetime", "bad-time", "dataclass-own-check"],
)
def test_malformed_values_are_refused_as_codec_errors(kind: Any, data: Any) -> None:
    """`CodecError` is what the codec promises for data that does not fit its type; a plain
    ValueError from `fromisoformat` or a dataclass's own check escapes it today."""
    with pytest.raises(CodecError):
        decode(kind, data)


@dataclass(frozen=True)
class WithDerived:
    """A frozen dataclass with a field computed from the others (not an __init__ argument)."""

    count: int
    quota: int
    shortfall: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "shortfall", max(0, self.quota - self.count))


def test_a_dataclass_with_a_derived_field_round_trips() -> None:
    value = WithDerived(120, 300)
    assert through_json(WithDerived, value) == value
