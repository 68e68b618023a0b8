"""A closed week's snapshot: canonical text, its checksum, read back exactly; and the rule that
a change to a closed week needs a reason (domain.reporting.decide with `closed`)."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest

from rayong_desktop.domain.closing import Frozen, SnapshotError, canonical_json, freeze, thaw
from rayong_desktop.domain.districts import by_district
from rayong_desktop.domain.reporting import Keyed, Outcome
from tests.domain.test_codec import week_summary
from tests.domain.test_reporting import STORED, W21, run

TREND = ((date(2020, 5, 4), 1_000), (date(2020, 5, 11), 1_500), (date(2020, 5, 18), 2_010))


def test_canonical_json_sorts_keys_and_drops_spaces() -> None:
    assert canonical_json({"b": 1, "a": [1, "ก"]}) == '{"a":[1,"ก"],"b":1}'


def test_a_snapshot_reads_back_as_the_same_figures() -> None:
    summary = week_summary()
    text, digest = freeze(Frozen(summary, TREND, 7))
    assert digest == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert text == canonical_json(json.loads(text))  # stored canonical
    back = thaw(text, digest)
    assert back == Frozen(summary, TREND, 7)
    # A plan row's units are the summary's own objects again (documents rely on it).
    ids = {id(u) for u in back.summary.units}
    assert all(id(u) in ids for r in back.summary.plan_rows for u in r.units)
    assert freeze(back) == (text, digest)  # the same figures, the same checksum


def test_an_altered_snapshot_is_refused() -> None:
    text, digest = freeze(Frozen(week_summary(), TREND, None))
    with pytest.raises(SnapshotError):
        thaw(text.replace("420", "421", 1), digest)
    with pytest.raises(SnapshotError):
        thaw("{}", hashlib.sha256(b"{}").hexdigest())


def test_districts_of_a_summary_add_up_to_it() -> None:
    summary = week_summary()
    groups = by_district(summary)
    assert len(groups) == 9 and groups[-1].district is None
    assert sum(len(g.units) for g in groups) == len(summary.units)
    for key in ("quota", "count", "expected", "received", "on_time", "late", "missing"):
        assert sum(getattr(g.totals, key) for g in groups) == getattr(summary.totals, key), key


def test_a_change_to_a_closed_week_needs_a_reason() -> None:
    no_reason = run(Keyed(count=600), current=STORED, closed=True)
    assert no_reason.outcome is Outcome.REFUSED
    assert no_reason.problem is not None and no_reason.problem.code == "week_closed"
    first = run(Keyed(count=600), week=W21, closed=True)  # a late first report too
    assert first.outcome is Outcome.REFUSED
    blank = run(Keyed(count=600, reason="  "), current=STORED, closed=True)
    assert blank.outcome is Outcome.REFUSED
    with_reason = run(Keyed(count=600, reason="พิมพ์ผิด"), current=STORED, closed=True)
    assert (with_reason.outcome, with_reason.reason) == (Outcome.CORRECTED, "พิมพ์ผิด")
    # The same figure keyed again changes nothing and needs no reason.
    same = run(Keyed(count=500), current=STORED, closed=True)
    assert same.outcome is Outcome.UNCHANGED
    # An open week: as before.
    assert run(Keyed(count=600), current=STORED).outcome is Outcome.CORRECTED
