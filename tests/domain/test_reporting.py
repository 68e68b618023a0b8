"""The decision for one keyed weekly figure (domain.reporting.decide), without a database.

It is Saturday 30 May 2020, 09:00 in Bangkok. Weeks are named by their Monday: W17 = 20 April,
W18 = 27 April, W19 = 4 May, ..., W22 = 25 May (the current week), W23 = 1 June. The campaign
starts on Friday 1 May. The unit has a quota of 1,000, so a rise is questioned above
max(300, 5 x 1,000) = 5,000 (or 4x the unit's largest earlier rise, when that is larger).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.errors import NeedsConfirmation, RefusedError
from rayong_desktop.domain.reporting import (
    CHANNELS,
    RECEIVED_ON_TIME,
    ConflictError,
    Decision,
    Keyed,
    Neighbours,
    Outcome,
    Reception,
    Rules,
    StoredReport,
    UnitRef,
    decide,
    parse_channel,
    parse_reception,
)
from rayong_desktop.domain.validation import PlausibilityRules

W17, W18, W19, W20, W21, W22, W23 = (date(2020, 4, 20) + timedelta(weeks=i) for i in range(7))
NOW = datetime(2020, 5, 30, 9, 0, tzinfo=BANGKOK)
UNIT = UnitRef("R09", "หน่วยทดสอบ", 1_000)
RULES = Rules(
    count_ceiling=1_000_000,
    campaign_start=date(2020, 5, 1),
    plausibility=PlausibilityRules(),
)
NO_NEIGHBOURS = Neighbours(previous=None, later=None)
LIMIT = 5_000  # the big-rise limit for UNIT without history


def bkk(day: int, hour: int, minute: int = 0, month: int = 5) -> datetime:
    return datetime(2020, month, day, hour, minute, tzinfo=BANGKOK)


def run(
    keyed: Keyed,
    *,
    week: date = W21,
    current: StoredReport | None = None,
    neighbours: Neighbours = NO_NEIGHBOURS,
    **kw: Any,
) -> Decision:
    return decide(
        UNIT, week, keyed, current=current, neighbours=neighbours, rules=RULES, now=NOW, **kw
    )


STORED = StoredReport(
    count=500,
    received_at=bkk(22, 9),
    channel="fax",
    reporter="นางสาวสมศรี",
    reporter_phone="081-111-2222",
    note="ส่งทางโทรสาร",
    version=1,
)


def refused(decision: Decision) -> RefusedError:
    assert decision.outcome is Outcome.REFUSED
    assert isinstance(decision.problem, RefusedError)
    assert not decision.writes
    return decision.problem


def question(decision: Decision) -> NeedsConfirmation:
    assert decision.outcome is Outcome.NEEDS_CONFIRMATION
    assert isinstance(decision.problem, NeedsConfirmation)
    assert not decision.writes
    assert decision.count is None  # nothing to store until confirmed
    return decision.problem


def names_unit_and_week(problem: RefusedError | NeedsConfirmation, week: date = W21) -> None:
    label = f"{week.isocalendar()[0]}-W{week.isocalendar()[1]:02d}"
    assert "R09" in problem.en and label in problem.en
    assert "R09" in problem.th and "หน่วยทดสอบ" in problem.th and label in problem.th


# ---------------------------------------------------------------- stored, corrected, unchanged


def test_a_first_report_is_stored_with_the_defaults() -> None:
    decision = run(Keyed(count="1,250"))
    assert decision.outcome is Outcome.STORED and decision.writes
    assert decision.count == 1250
    assert decision.received_at == NOW
    assert decision.channel == "phone"
    assert (decision.reporter, decision.reporter_phone, decision.note) == (None, None, None)
    assert (decision.reason, decision.confirmed, decision.problem) == (None, (), None)
    decision.raise_problem()  # nothing to raise


def test_a_first_report_keeps_what_was_given_cleaned() -> None:
    decision = run(
        Keyed(
            count=1250,
            received_at=bkk(22, 10),
            channel="line",
            reporter="  นายสมชาย  ",
            reporter_phone=" 089 ",
            note=" ส่งช้า ",
            reason=" แก้ไข ",
        )
    )
    assert decision.outcome is Outcome.STORED
    assert (decision.received_at, decision.channel) == (bkk(22, 10), "line")
    assert (decision.reporter, decision.reporter_phone, decision.note) == (
        "นายสมชาย",
        "089",
        "ส่งช้า",
    )
    assert decision.reason == "แก้ไข"


def test_whitespace_only_texts_are_stored_as_none() -> None:
    decision = run(Keyed(count=10, reporter="   ", reporter_phone="\t", note=" \n ", reason="  "))
    assert decision.outcome is Outcome.STORED
    assert (decision.reporter, decision.reporter_phone, decision.note, decision.reason) == (
        None,
        None,
        None,
        None,
    )


def test_a_correction_keeps_what_it_does_not_give() -> None:
    decision = run(Keyed(count="600", reason="พิมพ์ผิด"), current=STORED)
    assert decision.outcome is Outcome.CORRECTED and decision.writes
    assert decision.count == 600
    assert decision.received_at == STORED.received_at  # not moved to now (not made late)
    assert decision.channel == "fax"
    assert (decision.reporter, decision.reporter_phone, decision.note) == (
        "นางสาวสมศรี",
        "081-111-2222",
        "ส่งทางโทรสาร",
    )
    assert decision.reason == "พิมพ์ผิด"


def test_a_correction_takes_what_it_gives() -> None:
    decision = run(
        Keyed(
            count=600,
            received_at=bkk(23, 8),
            channel="email",
            reporter="นายสมชาย",
            reporter_phone="082",
            note="ใหม่",
        ),
        current=STORED,
    )
    assert decision.outcome is Outcome.CORRECTED
    assert (decision.received_at, decision.channel) == (bkk(23, 8), "email")
    assert (decision.reporter, decision.reporter_phone, decision.note) == (
        "นายสมชาย",
        "082",
        "ใหม่",
    )


@pytest.mark.parametrize(
    "keyed",
    [
        Keyed(count=500),
        Keyed(count="500"),
        Keyed(count="๕๐๐"),
        Keyed(
            count=500,
            received_at=bkk(22, 9),
            channel="fax",
            reporter=" นางสาวสมศรี ",
            reporter_phone="081-111-2222",
            note="ส่งทางโทรสาร",
        ),
    ],
)
def test_the_same_figure_again_is_unchanged(keyed: Keyed) -> None:
    decision = run(keyed, current=STORED)
    assert decision.outcome is Outcome.UNCHANGED and not decision.writes
    assert decision.count == 500
    assert decision.problem is None
    # Not a correction either, so a form keyed twice is not refused.
    assert run(keyed, current=STORED, allow_correction=False).outcome is Outcome.UNCHANGED


@pytest.mark.parametrize(
    "keyed",
    [
        Keyed(count=500, received_at=bkk(22, 10)),
        Keyed(count=500, channel="phone"),
        Keyed(count=500, reporter="นายสมชาย"),
        Keyed(count=500, note="แก้หมายเหตุ"),
    ],
)
def test_the_same_figure_with_other_details_is_a_correction(keyed: Keyed) -> None:
    decision = run(keyed, current=STORED)
    assert decision.outcome is Outcome.CORRECTED
    assert decision.count == 500


def test_a_correction_can_be_refused_as_already_reported() -> None:
    problem = refused(run(Keyed(count=600), current=STORED, allow_correction=False))
    assert problem.code == "already_reported"
    assert "500" in problem.en and "500" in problem.th
    names_unit_and_week(problem)


# ---------------------------------------------------------------- conflicts


def test_a_stale_expected_version_is_a_conflict() -> None:
    current = StoredReport(**{**STORED.__dict__, "count": 700, "version": 2})
    decision = run(Keyed(count=600), current=current, expected_version=1)
    problem = refused(decision)
    assert isinstance(problem, ConflictError)
    assert problem.code == "conflict"
    assert (problem.current_count, problem.current_version) == (700, 2)
    names_unit_and_week(problem)
    with pytest.raises(ConflictError):
        decision.raise_problem()


def test_expected_version_zero_means_no_report_was_seen() -> None:
    problem = refused(run(Keyed(count=600), current=STORED, expected_version=0))
    assert isinstance(problem, ConflictError)
    assert (problem.current_count, problem.current_version) == (500, 1)
    assert run(Keyed(count=600), expected_version=0).outcome is Outcome.STORED


def test_the_expected_version_lets_the_correction_through() -> None:
    decision = run(Keyed(count=600), current=STORED, expected_version=1)
    assert decision.outcome is Outcome.CORRECTED


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("count", "code"),
    [
        ("", "count_blank"),
        (None, "count_blank"),
        ("abc", "count_not_a_number"),
        ("-5", "count_negative"),
        ("1.5", "count_fraction"),
        ("1,000,001", "count_too_large"),
    ],
)
def test_a_bad_count_is_refused_naming_unit_and_week(count: str | None, code: str) -> None:
    problem = refused(run(Keyed(count=count), current=STORED))
    assert problem.code == code
    names_unit_and_week(problem)
    with pytest.raises(RefusedError):
        run(Keyed(count=count)).raise_problem()


def test_the_ceiling_itself_is_a_count() -> None:
    assert run(Keyed(count=1_000_000), confirm=True).count == 1_000_000


def test_a_week_that_has_not_come_is_refused() -> None:
    problem = refused(run(Keyed(count=10), week=W23))
    assert problem.code == "future_week"
    names_unit_and_week(problem, W23)
    assert run(Keyed(count=10), week=W22).outcome is Outcome.STORED


def test_a_week_before_the_campaign_is_refused() -> None:
    problem = refused(run(Keyed(count=10, received_at=bkk(21, 9, month=4)), week=W17))
    assert problem.code == "before_campaign"
    assert "2020-05-01" in problem.en
    names_unit_and_week(problem, W17)
    # The week the campaign starts in (Mon 27 April .. Sun 3 May) is open.
    assert run(Keyed(count=10, received_at=bkk(28, 9, month=4)), week=W18).writes


def test_a_received_time_in_the_future_is_refused() -> None:
    problem = refused(run(Keyed(count=10, received_at=NOW + timedelta(minutes=6))))
    assert problem.code == "received_in_future"
    names_unit_and_week(problem)
    # A few minutes ahead is a fast wall clock.
    assert run(Keyed(count=10, received_at=NOW + timedelta(minutes=5))).writes


def test_a_received_time_before_the_week_is_refused() -> None:
    opens = datetime(2020, 5, 18, 0, 0, tzinfo=BANGKOK)
    problem = refused(run(Keyed(count=10, received_at=opens - timedelta(seconds=1))))
    assert problem.code == "received_before_week"
    assert "2020-05-17 23:59" in problem.en
    names_unit_and_week(problem)
    assert run(Keyed(count=10, received_at=opens)).writes


def test_a_received_time_is_checked_before_a_correction_is_refused() -> None:
    problem = refused(
        run(Keyed(count=600, received_at=bkk(17, 9)), current=STORED, allow_correction=False)
    )
    assert problem.code == "received_before_week"


# ---------------------------------------------------------------- confirmation


@pytest.mark.parametrize(
    ("count", "neighbours", "codes"),
    [
        (900, Neighbours(previous=1_000, later=None), ["below_previous"]),
        (1_000 + LIMIT + 1, Neighbours(previous=1_000, later=None), ["big_rise"]),
        (LIMIT + 1, Neighbours(previous=None, later=None), ["big_rise"]),
        (2_500, Neighbours(previous=1_000, later=2_000), ["above_later"]),
        (800, Neighbours(previous=1_000, later=500), ["below_previous", "above_later"]),
        (LIMIT + 1, Neighbours(previous=None, later=5_000), ["big_rise", "above_later"]),
    ],
)
def test_implausible_figures_need_confirmation_then_are_stored(
    count: int, neighbours: Neighbours, codes: list[str]
) -> None:
    asked = question(run(Keyed(count=count), neighbours=neighbours))
    assert [c.code for c in asked.concerns] == codes
    for concern in asked.concerns:
        assert concern.en.startswith("R09, week 2020-W21: ")
        assert concern.th.startswith("R09 หน่วยทดสอบ สัปดาห์ 2020-W21")
    with pytest.raises(NeedsConfirmation):
        run(Keyed(count=count), neighbours=neighbours).raise_problem()

    confirmed = run(Keyed(count=count), neighbours=neighbours, confirm=True)
    assert confirmed.outcome is Outcome.STORED
    assert confirmed.count == count
    assert confirmed.confirmed == tuple(codes)


def test_a_confirmed_correction_lists_what_was_confirmed() -> None:
    neighbours = Neighbours(previous=1_000, later=None)
    question(run(Keyed(count=400), current=STORED, neighbours=neighbours))
    decision = run(Keyed(count=400), current=STORED, neighbours=neighbours, confirm=True)
    assert decision.outcome is Outcome.CORRECTED
    assert decision.confirmed == ("below_previous",)


def test_a_plausible_figure_confirmed_anyway_confirms_nothing() -> None:
    decision = run(Keyed(count=1_200), neighbours=Neighbours(1_000, 2_000), confirm=True)
    assert decision.outcome is Outcome.STORED and decision.confirmed == ()


def test_refusals_come_before_questions() -> None:
    problem = refused(run(Keyed(count=900), week=W23, neighbours=Neighbours(1_000, None)))
    assert problem.code == "future_week"


class Rises:
    """A largest-rise callable that records how often it is asked."""

    def __init__(self, value: int | None) -> None:
        self.value = value
        self.calls = 0

    def __call__(self) -> int | None:
        self.calls += 1
        return self.value


def neighbours_with(rises: Callable[[], int | None], previous: int = 1_000) -> Neighbours:
    return Neighbours(previous=previous, later=None, largest_rise=rises)


@pytest.mark.parametrize("count", [1_000, 1_000 + 299, 1_000 + LIMIT, 900])
def test_the_history_is_not_read_under_the_floor_and_quota_limits(count: int) -> None:
    rises = Rises(10)
    decision = run(Keyed(count=count), neighbours=neighbours_with(rises), confirm=True)
    assert decision.writes
    assert rises.calls == 0


def test_the_history_is_read_for_a_big_rise_and_can_lift_the_limit() -> None:
    # Largest earlier rise 2,000: the limit is 4 x 2,000 = 8,000 instead of 5,000.
    rises = Rises(2_000)
    decision = run(Keyed(count=1_000 + 6_000), neighbours=neighbours_with(rises))
    assert decision.outcome is Outcome.STORED
    assert decision.confirmed == ()
    assert rises.calls == 1

    above = Rises(2_000)
    asked = question(run(Keyed(count=1_000 + 8_001), neighbours=neighbours_with(above)))
    assert [c.code for c in asked.concerns] == ["big_rise"]
    assert "8,000" in asked.en
    assert above.calls == 1


def test_a_small_history_does_not_lower_the_limit() -> None:
    rises = Rises(100)  # 4 x 100 = 400, below the quota limit
    asked = question(run(Keyed(count=1_000 + LIMIT + 1), neighbours=neighbours_with(rises)))
    assert [c.code for c in asked.concerns] == ["big_rise"]
    assert rises.calls == 1
    assert run(Keyed(count=1_000 + LIMIT), neighbours=neighbours_with(Rises(100))).writes


def test_no_history_keeps_the_quota_limit() -> None:
    rises = Rises(None)
    asked = question(run(Keyed(count=1_000 + LIMIT + 1), neighbours=neighbours_with(rises)))
    assert [c.code for c in asked.concerns] == ["big_rise"]
    assert rises.calls == 1


# ---------------------------------------------------------------- channels


@pytest.mark.parametrize(("code", "thai"), list(CHANNELS.items()))
def test_parse_channel_accepts_codes_and_thai_names(code: str, thai: str) -> None:
    assert parse_channel(code) == code
    assert parse_channel(f"  {code.upper()} ") == code
    assert parse_channel(thai) == code
    assert parse_channel(f" {thai} ") == code


@pytest.mark.parametrize(
    ("typed", "code"),
    [("โทรศัพท์", "phone"), ("โทรสาร", "fax"), ("อีเมล", "email"), ("E-mail", "email")],
)
def test_parse_channel_examples(typed: str, code: str) -> None:
    assert parse_channel(typed) == code


@pytest.mark.parametrize("typed", [None, "", "   "])
def test_a_blank_channel_is_phone(typed: str | None) -> None:
    assert parse_channel(typed) == "phone"


@pytest.mark.parametrize("typed", ["pigeon", "โทร", "faxes", "ไลน์"])
def test_an_unknown_channel_is_refused(typed: str) -> None:
    with pytest.raises(RefusedError) as info:
        parse_channel(typed)
    assert info.value.code == "unknown_channel"
    assert typed in info.value.en and typed in info.value.th
    assert "fax" in info.value.en and "โทรสาร" in info.value.th


# ---------------------------------------------------------------- the reception time

DUE_W21 = bkk(22, 12)  # Friday 22 May 12:00


def test_a_first_report_keyed_after_the_deadline_must_say_when_it_came() -> None:
    unstated = Keyed(count=10, reception=Reception.UNSTATED)
    d = run(unstated, due=DUE_W21)
    assert d.outcome is Outcome.REFUSED and d.problem is not None
    assert d.problem.code == "received_required" and "--received" in d.problem.en
    assert run(unstated, week=W22, due=bkk(29, 12, 0)).outcome is Outcome.REFUSED
    # Before the deadline nothing needs saying: the moment of keying is when it came.
    early = decide(
        UNIT,
        W22,
        unstated,
        current=None,
        neighbours=NO_NEIGHBOURS,
        rules=RULES,
        now=bkk(28, 10),
        due=bkk(29, 12),
    )
    assert (early.outcome, early.received_at) == (Outcome.STORED, bkk(28, 10))
    # A correction keeps the time first received: nothing to ask.
    assert (
        run(
            Keyed(count=600, reason="x", reception=Reception.UNSTATED), current=STORED, due=DUE_W21
        ).received_at
        == STORED.received_at
    )


def test_on_time_is_the_deadline_itself_marked_and_now_is_now() -> None:
    on_time = run(Keyed(count=10, reception=Reception.ON_TIME), due=DUE_W21)
    assert (on_time.outcome, on_time.received_at) == (Outcome.STORED, DUE_W21)
    assert on_time.confirmed == (RECEIVED_ON_TIME,)
    now = run(Keyed(count=10, reception=Reception.NOW), due=DUE_W21)
    assert (now.received_at, now.confirmed) == (NOW, ())
    fax = run(Keyed(count=10, received_at=bkk(22, 10, 15), reception=Reception.AT), due=DUE_W21)
    assert fax.received_at == bkk(22, 10, 15)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("now", (Reception.NOW, None)),
        ("ทันกำหนด", (Reception.ON_TIME, None)),
        ("on-time", (Reception.ON_TIME, None)),
        ("10:15", (Reception.AT, bkk(22, 10, 15))),
        ("๑๐:๑๕", (Reception.AT, bkk(22, 10, 15))),
        ("21 16.40", (Reception.AT, bkk(21, 16, 40))),
        ("2020-05-21 16:40", (Reception.AT, bkk(21, 16, 40))),
    ],
)
def test_parse_reception(typed: str, expected: tuple[Reception, datetime | None]) -> None:
    assert parse_reception(typed, DUE_W21) == expected


@pytest.mark.parametrize("typed", ["yesterday", "25:00", "32 10:00", "10:15x", ""])
def test_parse_reception_refuses_nonsense(typed: str) -> None:
    with pytest.raises(RefusedError) as caught:
        parse_reception(typed, DUE_W21)
    assert caught.value.code == "bad_received"


def test_clock_times_need_the_deadline() -> None:
    with pytest.raises(RefusedError):
        parse_reception("10:15")
