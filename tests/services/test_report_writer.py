"""The report writer against a real database: rows, revisions, audit, prefetching, undo.

It is Saturday 30 May 2020, 09:00 in Bangkok (RAYONG_NOW, and the writers' `now`). Weeks are
named by their Monday: W19 = 4 May, W20 = 11 May, W21 = 18 May, W22 = 25 May. TN-RY and
LAO-KLG have a quota of 300 (a rise is questioned above 1,500), R01 2,000 (above 10,000).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import AuditLog, ReportRevision, Unit, WeeklyReport
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.errors import NeedsConfirmation, RefusedError
from rayong_desktop.domain.reporting import ConflictError, Decision, Keyed
from rayong_desktop.services.registry import find_unit
from rayong_desktop.services.report_writer import UNDO_REASON, ReportWriter

W19, W20, W21, W22 = (date(2020, 5, 4) + timedelta(weeks=i) for i in range(4))
NOW = datetime(2020, 5, 30, 9, 0, tzinfo=BANGKOK)
CLERK = "clerk-b"


@pytest.fixture(autouse=True)
def _saturday_morning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-05-30 09:00")


def bkk(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2020, 5, day, hour, minute, tzinfo=BANGKOK)


def writer(session: Session) -> ReportWriter:
    return ReportWriter(session, actor=CLERK, now=NOW)


def store(db: Database, unit: str, week: date, keyed: Keyed, **kw: Any) -> None:
    """One figure in its own transaction, written and flushed."""
    with db.transaction() as s:
        w = writer(s)
        w.write(find_unit(s, unit), week, keyed, **kw)
        w.flush()


def report_of(s: Session, unit: str, week: date) -> WeeklyReport | None:
    return s.scalar(
        select(WeeklyReport)
        .join(Unit, Unit.id == WeeklyReport.unit_id)
        .where(Unit.code == unit, WeeklyReport.week == week)
    )


def revisions_of(s: Session, report_id: int) -> list[ReportRevision]:
    return list(
        s.scalars(
            select(ReportRevision)
            .where(ReportRevision.report_id == report_id)
            .order_by(ReportRevision.version)
        )
    )


def audit_of(s: Session, key: str) -> list[tuple[str, str | None, str | None, str | None, str]]:
    rows = s.scalars(
        select(AuditLog)
        .where(AuditLog.entity == "report", AuditLog.entity_key == key)
        .order_by(AuditLog.id)
    )
    return [(a.action, a.old, a.new, a.reason, a.actor) for a in rows]


def values(r: WeeklyReport | ReportRevision) -> tuple[Any, ...]:
    return (
        r.count,
        r.received_at,
        r.channel,
        r.reporter,
        r.reporter_phone,
        r.note,
        r.confirmed,
        r.clerk,
    )


@contextmanager
def report_selects(s: Session) -> Iterator[list[str]]:
    """The SELECT statements on weekly_report the session's database runs meanwhile."""
    seen: list[str] = []
    engine = s.get_bind()

    def listen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "weekly_report" in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listen)


FIRST = Keyed(
    count="1,500",
    received_at=bkk(22, 9),
    channel="fax",
    reporter="นางสาวสมศรี",
    reporter_phone="081-111-2222",
    note="ตามหนังสือ",
)


# ---------------------------------------------------------------- writing


def test_a_write_then_flush_gives_a_report_its_revision_and_an_audit_row(db: Database) -> None:
    with db.transaction() as s:
        w = writer(s)
        written = w.write(find_unit(s, "R01"), W21, FIRST)
        with pytest.raises(RuntimeError):
            written.result()
        assert s.scalar(select(func.count(ReportRevision.id))) == 0  # staged, not yet written
        w.flush()
        result = written.result()
    assert (result.unit, result.week, result.count, result.version) == ("R01", W21, 1500, 1)
    assert (result.outcome, result.confirmed) == ("stored", ())
    assert result.received_at == bkk(22, 9)
    assert result.due_at == bkk(22, 12)
    assert result.late_by_minutes == 0

    with db.reading() as s:
        report = report_of(s, "R01", W21)
        assert report is not None
        assert values(report) == (
            1500,
            bkk(22, 9),
            "fax",
            "นางสาวสมศรี",
            "081-111-2222",
            "ตามหนังสือ",
            "",
            CLERK,
        )
        assert (report.version, report.entered_at) == (1, NOW)
        [revision] = revisions_of(s, report.id)
        assert values(revision) == values(report)
        assert (revision.version, revision.entered_at, revision.reason) == (1, NOW, None)
        assert audit_of(s, "R01/2020-05-18") == [("report", None, "1500", None, CLERK)]


def test_a_correction_adds_a_version_and_an_audit_row_with_old_and_new(db: Database) -> None:
    store(db, "R01", W21, FIRST)
    with db.transaction() as s:
        w = writer(s)
        written = w.write(find_unit(s, "R01"), W21, Keyed(count=1600, reason="พิมพ์ผิด"))
        w.flush()
        result = written.result()
    assert (result.outcome, result.count, result.version) == ("corrected", 1600, 2)
    with db.reading() as s:
        report = report_of(s, "R01", W21)
        assert report is not None and (report.count, report.version) == (1600, 2)
        v1, v2 = revisions_of(s, report.id)
        assert (v1.count, v2.count, v2.version, v2.reason) == (1500, 1600, 2, "พิมพ์ผิด")
        # What the correction did not give stays as first reported.
        assert values(v2)[1:] == values(v1)[1:]
        assert values(v2) == values(report)
        assert audit_of(s, "R01/2020-05-18") == [
            ("report", None, "1500", None, CLERK),
            ("correct", "1500", "1600", "พิมพ์ผิด", CLERK),
        ]


def test_the_same_figure_again_writes_nothing(db: Database) -> None:
    store(db, "R01", W21, FIRST)
    with db.transaction() as s:
        w = writer(s)
        written = w.write(find_unit(s, "R01"), W21, Keyed(count=1500))
        w.flush()
        assert (written.result().outcome, written.result().version) == ("unchanged", 1)
    with db.reading() as s:
        report = report_of(s, "R01", W21)
        assert report is not None and report.version == 1
        assert len(revisions_of(s, report.id)) == 1
        assert len(audit_of(s, "R01/2020-05-18")) == 1


def test_a_refused_or_questioned_write_stages_nothing(db: Database) -> None:
    store(db, "TN-RY", W20, Keyed(count=100, received_at=bkk(14, 9)))
    with db.transaction() as s:
        w = writer(s)
        unit = find_unit(s, "TN-RY")
        with pytest.raises(NeedsConfirmation):
            w.write(unit, W21, Keyed(count=50, received_at=bkk(21, 9)))
        with pytest.raises(RefusedError) as info:
            w.write(unit, W20, Keyed(count=200), allow_correction=False)
        assert info.value.code == "already_reported"
        w.flush()
    with db.reading() as s:
        assert report_of(s, "TN-RY", W21) is None
        assert s.scalar(select(func.count(ReportRevision.id))) == 1
        assert s.scalar(select(func.count(AuditLog.id)).where(AuditLog.entity == "report")) == 1


@pytest.mark.parametrize("prefetched", [False, True], ids=["per-call", "prefetched"])
def test_two_writes_of_one_unit_week_before_a_flush_are_two_versions(
    db: Database, prefetched: bool
) -> None:
    with db.transaction() as s:
        w = writer(s)
        unit = find_unit(s, "LAO-KLG")
        if prefetched:
            w.prefetch_week(W21, [unit.id])
        w.write(unit, W21, Keyed(count=120, received_at=bkk(21, 9), channel="line"))
        second = w.write(unit, W21, Keyed(count=150, reason="โทรแก้"))
        w.flush()
        result = second.result()
    assert (result.outcome, result.count, result.version) == ("corrected", 150, 2)
    with db.reading() as s:
        report = report_of(s, "LAO-KLG", W21)
        assert report is not None and (report.count, report.version) == (150, 2)
        revs = revisions_of(s, report.id)
        assert [(r.version, r.count, r.channel, r.reason) for r in revs] == [
            (1, 120, "line", None),
            (2, 150, "line", "โทรแก้"),
        ]
        assert audit_of(s, "LAO-KLG/2020-05-18") == [
            ("report", None, "120", None, CLERK),
            ("correct", "120", "150", "โทรแก้", CLERK),
        ]


# ---------------------------------------------------------------- what the writer knows


def summary(decision: Decision) -> tuple[Any, ...]:
    """A decision as comparable values (its problem is an exception, equal only to itself)."""
    problem = decision.problem
    return (
        decision.outcome,
        decision.count,
        decision.received_at,
        decision.channel,
        decision.reporter,
        decision.reporter_phone,
        decision.note,
        decision.reason,
        decision.confirmed,
        None if problem is None else (type(problem), getattr(problem, "code", None), problem.en),
    )


HISTORY = [  # unit, week, count
    ("R01", W19, 1_000),
    ("R01", W20, 1_200),
    ("R01", W22, 1_500),
    ("R02", W19, 30_000),
    ("R02", W21, 31_000),  # R02 already reported the week being decided
    ("TN-RY", W19, 100),
    ("TN-RY", W20, 500),  # largest rise 400: the limit becomes 1,600
    ("LAO-KLG", W19, 100),
    ("LAO-KLG", W20, 150),
    ("PAO-RY", W22, 200),
]

KEYED_W21 = [  # unit, what is keyed for W21
    ("R01", Keyed(count=1_100, received_at=bkk(22, 9))),  # below_previous
    ("R01", Keyed(count=1_600, received_at=bkk(22, 9))),  # above_later
    ("R01", Keyed(count=1_300, received_at=bkk(22, 9))),  # between: stored
    ("R02", Keyed(count=31_000)),  # unchanged
    ("R02", Keyed(count=31_500, reason="แก้")),  # corrected
    ("R02", Keyed(count=29_000)),  # a correction below the previous week
    ("TN-RY", Keyed(count=2_100, received_at=bkk(21, 9))),  # 1,600 up: lifted by history
    ("TN-RY", Keyed(count=2_101, received_at=bkk(21, 9))),  # big_rise
    ("LAO-KLG", Keyed(count=1_651, received_at=bkk(21, 9))),  # big_rise (limit 1,500)
    ("LAO-KLG", Keyed(count=1_650, received_at=bkk(21, 9))),
    ("PAO-RY", Keyed(count=300, received_at=bkk(21, 9))),  # above_later
    ("R05", Keyed(count=5)),  # no reports at all
    ("R04", Keyed(count="x")),  # refused
]


def test_prefetch_week_decides_as_the_per_call_lookups_do(db: Database) -> None:
    for unit, week, count in HISTORY:
        received = datetime.combine(week + timedelta(days=3), time(9), BANGKOK)
        store(db, unit, week, Keyed(count=count, received_at=received))
    with db.transaction() as s:
        units = {code: find_unit(s, code) for code, _keyed in KEYED_W21}
        per_call = writer(s)
        prefetched = writer(s)
        prefetched.prefetch_week(W21, [u.id for u in units.values()])
        outcomes = []
        for code, keyed in KEYED_W21:
            for confirm in (True, False):
                expected, _ = per_call.decide(units[code], W21, keyed, confirm=confirm)
                got, _ = prefetched.decide(units[code], W21, keyed, confirm=confirm)
                assert summary(got) == summary(expected), (code, keyed, confirm)
            outcome = expected.outcome.value  # as keyed, without confirmation
            if isinstance(expected.problem, NeedsConfirmation):
                outcome += ":" + ",".join(c.code for c in expected.problem.concerns)
            outcomes.append(outcome)
    # The cases cover every outcome and concern (the comparison above is not vacuous).
    assert outcomes == [
        "needs_confirmation:below_previous",
        "needs_confirmation:above_later",
        "stored",
        "unchanged",
        "corrected",
        "needs_confirmation:below_previous",
        "stored",
        "needs_confirmation:big_rise",
        "needs_confirmation:big_rise",
        "stored",
        "needs_confirmation:above_later",
        "stored",
        "refused",
    ]


def test_a_prefetched_week_is_decided_without_reading_the_reports_again(db: Database) -> None:
    store(db, "R01", W20, Keyed(count=1_000, received_at=bkk(15, 9)))
    store(db, "R01", W22, Keyed(count=1_500, received_at=bkk(29, 9)))
    with db.transaction() as s:
        w = writer(s)
        unit = find_unit(s, "R01")
        w.prefetch_week(W21, [unit.id])
        with report_selects(s) as seen:
            decision, _ = w.decide(unit, W21, Keyed(count=900, received_at=bkk(22, 9)))
            written = w.write(unit, W21, Keyed(count=1_200, received_at=bkk(22, 9)))
        assert seen == []
        assert [c.code for c in decision.problem.concerns] == ["below_previous"]  # type: ignore[union-attr]
        w.flush()
        assert written.result().version == 1


def test_knows_everything_refuses_a_database_with_reports(db: Database) -> None:
    store(db, "R01", W19, Keyed(count=10, received_at=bkk(8, 9)))
    with db.transaction() as s, pytest.raises(ValueError):
        writer(s).knows_everything()


def test_knows_everything_takes_the_neighbours_from_what_it_wrote(db: Database) -> None:
    with db.transaction() as s:
        w = writer(s)
        w.knows_everything()
        tn, klg, r01 = (find_unit(s, code) for code in ("TN-RY", "LAO-KLG", "R01"))
        for unit in (tn, klg, r01):
            w.due(unit, W19)  # the units' schedules are loaded before counting queries
        w.write(tn, W19, Keyed(count=100, received_at=bkk(7, 9)))
        w.write(tn, W20, Keyed(count=500, received_at=bkk(14, 9)))  # largest rise 400
        w.write(klg, W19, Keyed(count=100, received_at=bkk(7, 9)))
        w.write(r01, W19, Keyed(count=1_000, received_at=bkk(8, 9)))
        with report_selects(s) as seen:
            with pytest.raises(NeedsConfirmation) as rise:
                w.write(klg, W20, Keyed(count=1_601, received_at=bkk(14, 9)))
            with pytest.raises(NeedsConfirmation) as fall:
                w.write(r01, W20, Keyed(count=999, received_at=bkk(15, 9)))
            # 1,600 up after a rise of 400 is within 4 x 400: not questioned.
            lifted = w.write(tn, W21, Keyed(count=2_100, received_at=bkk(21, 9)))
            with pytest.raises(NeedsConfirmation) as above:
                w.write(tn, W21, Keyed(count=2_101, received_at=bkk(21, 9)))
            # An earlier week above a later one it wrote.
            with pytest.raises(NeedsConfirmation) as later:
                w.write(tn, W20, Keyed(count=2_200, reason="แก้"))
        assert seen == []
        assert [c.code for c in rise.value.concerns] == ["big_rise"]
        assert [c.code for c in fall.value.concerns] == ["below_previous"]
        assert [c.code for c in above.value.concerns] == ["big_rise"]
        assert [c.code for c in later.value.concerns] == ["big_rise", "above_later"]
        confirmed = w.write(klg, W20, Keyed(count=1_601, received_at=bkk(14, 9)), confirm=True)
        w.flush()
        assert confirmed.result().confirmed == ("big_rise",)
        assert lifted.result().confirmed == ()
    with db.reading() as s:
        stored = s.execute(
            select(Unit.code, WeeklyReport.week, WeeklyReport.count, WeeklyReport.version)
            .join(Unit, Unit.id == WeeklyReport.unit_id)
            .order_by(Unit.code, WeeklyReport.week)
        ).all()
        assert [tuple(r) for r in stored] == [
            ("LAO-KLG", W19, 100, 1),
            ("LAO-KLG", W20, 1_601, 1),
            ("R01", W19, 1_000, 1),
            ("TN-RY", W19, 100, 1),
            ("TN-RY", W20, 500, 1),
            ("TN-RY", W21, 2_100, 1),
        ]
        assert s.scalar(select(func.count(ReportRevision.id))) == 6


# ---------------------------------------------------------------- undo


def test_undo_of_a_first_entry_removes_it_and_its_revisions(db: Database) -> None:
    store(db, "R01", W21, FIRST)
    with db.reading() as s:
        report = report_of(s, "R01", W21)
        assert report is not None
        report_id = report.id
    with db.transaction() as s:
        assert writer(s).undo(find_unit(s, "R01"), W21, expected_version=1) is None
    with db.reading() as s:
        assert report_of(s, "R01", W21) is None
        assert revisions_of(s, report_id) == []
        assert audit_of(s, "R01/2020-05-18") == [
            ("report", None, "1500", None, CLERK),
            ("undo", "1500", None, UNDO_REASON, CLERK),
        ]


def test_undo_of_a_correction_restores_the_version_before_it(db: Database) -> None:
    store(db, "R01", W21, FIRST)
    store(
        db,
        "R01",
        W21,
        Keyed(
            count=1_700,
            received_at=bkk(23, 10),
            channel="line",
            reporter="นายสมชาย",
            reporter_phone="089",
            note="แก้ตัวเลข",
            reason="แก้",
        ),
    )
    with db.transaction() as s:
        undone = writer(s).undo(find_unit(s, "R01"), W21, expected_version=2)
        assert undone is not None
        result = undone.result()
    assert (result.outcome, result.count, result.version) == ("undone", 1500, 3)
    with db.reading() as s:
        report = report_of(s, "R01", W21)
        assert report is not None and report.version == 3
        v1, v2, v3 = revisions_of(s, report.id)
        assert values(v2)[:6] == (1_700, bkk(23, 10), "line", "นายสมชาย", "089", "แก้ตัวเลข")
        assert values(v3) == values(v1)
        assert values(report) == values(v1)
        assert (v3.version, v3.reason) == (3, UNDO_REASON)
        assert audit_of(s, "R01/2020-05-18")[-1] == ("undo", "1700", "1500", UNDO_REASON, CLERK)


def test_undo_of_a_stale_version_is_a_conflict_and_changes_nothing(db: Database) -> None:
    store(db, "R01", W21, FIRST)
    store(db, "R01", W21, Keyed(count=1_700, reason="แก้"))

    def snapshot() -> tuple[Any, ...]:
        with db.reading() as s:
            report = report_of(s, "R01", W21)
            assert report is not None
            return (
                values(report),
                report.version,
                [values(r) for r in revisions_of(s, report.id)],
                audit_of(s, "R01/2020-05-18"),
            )

    before = snapshot()
    # The refusal is caught inside the transaction, which commits: the writer changed nothing.
    with db.transaction() as s, pytest.raises(ConflictError) as info:
        writer(s).undo(find_unit(s, "R01"), W21, expected_version=1)
    assert info.value.code == "conflict"
    assert (info.value.current_count, info.value.current_version) == (1_700, 2)
    assert "R01" in info.value.en
    assert snapshot() == before


def test_undo_with_nothing_to_undo_is_refused(db: Database) -> None:
    with db.transaction() as s, pytest.raises(RefusedError) as info:
        writer(s).undo(find_unit(s, "R01"), W21, expected_version=1)
    assert info.value.code == "nothing_to_undo"


# ---------------------------------------------------------------- what the unit remembers


def test_the_unit_remembers_the_last_channel_and_reporter(db: Database) -> None:
    store(db, "R01", W20, FIRST.__class__(**{**FIRST.__dict__, "received_at": bkk(15, 9)}))
    with db.reading() as s:
        unit = find_unit(s, "R01")
        assert (unit.last_channel, unit.last_reporter, unit.last_reporter_phone) == (
            "fax",
            "นางสาวสมศรี",
            "081-111-2222",
        )
    # A later report by LINE with a blank reporter: the channel moves, the reporter stays.
    store(db, "R01", W21, Keyed(count=1_600, channel="line", reporter="   ", reporter_phone=""))
    with db.reading() as s:
        unit = find_unit(s, "R01")
        assert (unit.last_channel, unit.last_reporter, unit.last_reporter_phone) == (
            "line",
            "นางสาวสมศรี",
            "081-111-2222",
        )
        report = report_of(s, "R01", W21)
        assert report is not None and (report.reporter, report.reporter_phone) == (None, None)
    store(db, "R01", W22, Keyed(count=1_700, reporter="นายสมชาย"))
    with db.reading() as s:
        unit = find_unit(s, "R01")
        assert (unit.last_channel, unit.last_reporter) == ("phone", "นายสมชาย")
