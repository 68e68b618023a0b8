"""A long units import does not hold the database's write lock while it checks its rows: other
writers go on meanwhile; the import still writes all or nothing, and writes nothing if the
registry changed under it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import openpyxl
import pytest

from rayong_desktop.db.engine import Database
from rayong_desktop.documents import xlsx_units
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.services import excel_io, registry
from rayong_desktop.services.startup import open_database
from tests.helpers import dump

pytestmark = pytest.mark.sqlite_only

ROWS = 60


def _unit_list(tmp_path: Path, db: Database) -> Path:
    path = tmp_path / "units.xlsx"
    excel_io.export_units_template(db, path)
    wb = openpyxl.load_workbook(path)
    ws = wb[xlsx_units.UNITS_SHEET]
    for r in range(ROWS):
        ws.cell(row=r + 2, column=1, value=f"SAO-T{r:03d}")
        ws.cell(row=r + 2, column=2, value=f"องค์การบริหารส่วนตำบลทดสอบ {r}")
        ws.cell(row=r + 2, column=3, value=3)
    ws.cell(row=ROWS + 2, column=1, value="R01")  # an existing unit, updated
    ws.cell(row=ROWS + 2, column=8, value="038-111-222")
    wb.save(path)
    return path


def _units(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM unit").fetchone()[0])
    finally:
        conn.close()


def test_other_writers_are_not_held_up_while_the_rows_are_checked(
    db_path: Path, tmp_path: Path
) -> None:
    db = open_database(db_path)
    path = _unit_list(tmp_path, db)
    before = _units(db_path)
    written: list[int] = []

    def meanwhile(done: int, total: int) -> None:
        if done == total // 2 and not written:
            # Another program writes with no patience at all: the lock must be free.
            other = sqlite3.connect(db_path, timeout=0, isolation_level=None)
            try:
                other.execute("BEGIN IMMEDIATE")
                other.execute(
                    "INSERT INTO audit_log (at, actor, action, entity, entity_key) "
                    "VALUES ('2020-06-30 03:00:00.000000', 'other', 'report', 'report', "
                    "'meanwhile')"
                )
                other.execute("COMMIT")
            finally:
                other.close()
            written.append(done)

    result = excel_io.import_units(db, path, progress=meanwhile)
    assert written  # the other write went through in the middle of the import
    assert result.committed and result.counts["new"] == ROWS and result.counts["changed"] == 1
    assert _units(db_path) == before + ROWS
    assert registry.get_unit(db, "R01").phone == "038-111-222"
    assert registry.get_unit(db, f"SAO-T{ROWS - 1:03d}").name.endswith(str(ROWS - 1))
    conn = sqlite3.connect(db_path)
    audited = conn.execute(
        "SELECT count(*) FROM audit_log WHERE entity = 'unit' AND entity_key LIKE 'SAO-T%'"
    ).fetchone()[0]
    # The other program's entry is kept; the import's entries come after it.
    other_id = conn.execute("SELECT id FROM audit_log WHERE entity_key = 'meanwhile'").fetchone()
    first_import = conn.execute(
        "SELECT min(id) FROM audit_log WHERE entity_key LIKE 'SAO-T%'"
    ).fetchone()
    conn.close()
    assert audited == ROWS and other_id is not None and first_import[0] > other_id[0]
    db.dispose()


def test_a_registry_change_during_the_import_refuses_it_and_stores_nothing(
    db_path: Path, tmp_path: Path
) -> None:
    db = open_database(db_path)
    path = _unit_list(tmp_path, db)
    changed: list[int] = []

    def meanwhile(done: int, total: int) -> None:
        if done == total // 2 and not changed:
            registry.edit_unit(db, "R02", {"phone": "038-999-999"})
            changed.append(done)

    with pytest.raises(RefusedError) as info:
        excel_io.import_units(db, path, progress=meanwhile)
    assert info.value.code == "changed_meanwhile" and "nothing was stored" in info.value.en
    after = dump(db_path)
    assert not any("SAO-T" in line for line in after)
    assert registry.get_unit(db, "R02").phone == "038-999-999"
    # Imported again, it goes in whole.
    assert excel_io.import_units(db, path).counts["new"] == ROWS
    db.dispose()


def test_a_preview_takes_no_write_lock_and_changes_nothing(db_path: Path, tmp_path: Path) -> None:
    db = open_database(db_path)
    path = _unit_list(tmp_path, db)
    before = dump(db_path)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # someone else is writing the whole time
    try:
        preview = excel_io.preview_units(db, path)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert preview.counts["new"] == ROWS and not preview.committed
    assert dump(db_path) == before
    db.dispose()
