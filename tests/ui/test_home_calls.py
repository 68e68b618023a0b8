"""The home screen's call list: past their deadline and not yet due are counted and shown apart,
the most overdue first (issue 15: "ยังไม่ส่ง 17 ต้องโทรตาม" while only 9 were past due).

Thursday 21 May 2020 (week 2020-W21), 14:30: the twelve letter recipients were due at noon
(LAO-MRY has reported), the ten plan agencies are due on Friday at noon.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from rayong_desktop.db.engine import Database
from rayong_desktop.services import reports
from rayong_desktop.ui.window import MainWindow
from tests.ui.conftest import ScriptedClock, bkk
from tests.ui.test_home import W21, open_home

pytestmark = pytest.mark.gui


def test_overdue_and_not_yet_due_are_counted_apart_and_the_overdue_come_first(
    qtbot: QtBot,
    db: Database,
    open_window: Callable[..., MainWindow],
    clock: ScriptedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-05-21 14:30")
    clock.advance(hours=4, minutes=30)
    reports.record_report(
        db, unit_code="LAO-MRY", week=W21, count=120, received_at=bkk("2020-05-20 09:00")
    )
    _window, home = open_home(qtbot, open_window)
    assert home.tile_missing.value.text() == "21"
    assert home.tile_missing.caption.text() == "เลยกำหนด 11 · ยังไม่ถึงกำหนด 10"
    assert home.calls_title.text() == "ต้องโทรตาม (เลยกำหนด) 11 หน่วย · ยังไม่ถึงกำหนด 10 หน่วย"
    rows = home.call_model.rows
    due_column = 5
    shown = [str(home.call_model.index(i, due_column).data()) for i in range(len(rows))]
    assert all(r.entry.due_at == bkk("2020-05-21 12:00") for r in rows[:11])
    assert all(text.endswith("เลยกำหนด") for text in shown[:11])
    assert [r.entry.code for r in rows[11:]][:2] == ["R01", "R02"]
    assert not any("เลยกำหนด" in text for text in shown[11:])
