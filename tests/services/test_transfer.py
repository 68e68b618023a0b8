"""migrate-data: everything moves, verified by counts and totals, both ways."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from rayong_desktop.db.models import Base
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.services import oa, registry, transfer
from rayong_desktop.services.reports import record_report
from rayong_desktop.services.startup import open_database
from tests import helpers
from tests.helpers import CliResult, dump


@pytest.fixture(autouse=True)
def _now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-06-10 10:00")


def _fill(path: Path) -> None:
    db = open_database(path)
    registry.add_unit(db, code="SAO-X", name="อบต.ทดสอบ", plan_row=3, kind="sao", district="แกลง")
    for w, week in enumerate([date(2020, 5, 4), date(2020, 5, 11), date(2020, 5, 18)]):
        for i, code in enumerate(["TN-RY", "R01", "R08", "SAO-X"]):
            record_report(db, unit_code=code, week=week, count=200 * (w + 1) + i, confirm=True)
    record_report(
        db,
        unit_code="R01",
        week=date(2020, 5, 11),
        count=333,
        confirm=True,
        reason="แก้",
        allow_correction=True,
    )
    oa.record_oa_stat(db, on=date(2020, 5, 20), friends=5000, blocked=12, sent_this_month=40000)
    db.dispose()


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {
            t.name: conn.execute(f"SELECT * FROM {t.name} ORDER BY 1").fetchall()
            for t in Base.metadata.sorted_tables
        }
    finally:
        conn.close()


def test_sqlite_to_sqlite_keeps_every_row_and_refuses_a_filled_target(tmp_path: Path) -> None:
    source, target = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    _fill(source)
    before, after = transfer.migrate_data(source, target)
    assert before == after and after.rows["report_revision"] == 13
    assert _rows(target) == _rows(source)
    snapshot = dump(target)
    with pytest.raises(RefusedError) as info:
        transfer.migrate_data(source, target)
    assert info.value.code == "not_empty"
    assert dump(target) == snapshot


@pytest.mark.server_only
def test_round_trip_sqlite_postgresql_sqlite_keeps_every_row(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    base = os.environ["RAYONG_TEST_DB_URL"]
    name = f"rayong_rt_{os.getpid()}"
    helpers.drop_server_database(base, name)
    helpers.create_server_database(base, name)
    url = helpers.server_url_for(base, name)
    try:
        source, back = tmp_path / "office.sqlite3", tmp_path / "back.sqlite3"
        _fill(source)
        there = cli("migrate-data", "--from", str(source), "--to", url, "--json")
        assert there.code == 0, there.err
        assert there.json()["verified"] is True
        home = cli("migrate-data", "--from", url, "--to", str(back))
        assert home.code == 0, home.err
        assert _rows(back) == _rows(source)
        # The server copy is fully usable: new rows get ids past the moved ones.
        db = open_database(url)
        stored = record_report(db, unit_code="R09", week=date(2020, 6, 1), count=77)
        db.dispose()
        assert stored.version == 1
    finally:
        helpers.drop_server_database(base, name)


def test_a_move_that_fails_leaves_no_new_target_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, target = tmp_path / "a.sqlite3", tmp_path / "new.sqlite3"
    _fill(source)

    def broken(_conn: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(transfer, "reset_sequences", broken)
    with pytest.raises(OSError, match="No space"):
        transfer.migrate_data(source, target)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("new")) == []
