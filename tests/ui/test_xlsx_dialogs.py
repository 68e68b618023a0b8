"""The Excel dialogs of the desk, offscreen: export, then import through the preview.

(A GUI test: it belongs beside the other window tests in tests/ui/, and lives here only because
this issue's files are tests/documents/test_xlsx*.py.)
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from rayong_desktop.db.engine import Database
from rayong_desktop.documents import xlsx_forms, xlsx_units
from rayong_desktop.services import reports, status
from rayong_desktop.ui import excel_dialogs as dialogs
from rayong_desktop.ui.context import DeskContext
from tests.helpers import dump

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _quiet(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Saturday 30 May 2020 09:00; message boxes recorded instead of shown."""
    monkeypatch.setenv("RAYONG_NOW", "2020-05-30 09:00")
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs.prompts, "inform", lambda _p, _t, text: said.append(("i", text)))
    monkeypatch.setattr(dialogs.prompts, "warn", lambda _p, _t, text: said.append(("w", text)))
    return said


@pytest.fixture
def desk(db: Database) -> Iterator[DeskContext]:
    """The desk's context on the test database: the dialogs run their work on its queues."""
    ctx = DeskContext(db)
    yield ctx
    ctx.shutdown()


def export_dialog(qtbot: QtBot, desk: DeskContext) -> dialogs.ExportDialog:
    dialog = dialogs.ExportDialog(None, desk)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.ready)  # the weeks and units are read on the reads queue
    return dialog


def export_form(
    qtbot: QtBot, desk: DeskContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    target = tmp_path / "form.xlsx"
    monkeypatch.setattr(dialogs, "choose_save_path", lambda _p, _t, name: target)
    dialog = export_dialog(qtbot, desk)
    assert dialog.chosen_week().isoformat() == "2020-05-25"  # the current week
    dialog.week.setCurrentIndex(dialog.week.findData("2020-05-18"))  # W21
    dialog.scope.setCurrentIndex(dialog.scope.findData("plan_row:3"))
    assert dialog.suggested_name() == "แบบรายงาน-2020-W21-3.xlsx"
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.saved is not None)
    return target


def fill(path: Path, figures: dict[str, Any]) -> Path:
    wb = openpyxl.load_workbook(path)
    ws = wb[xlsx_forms.FORM_SHEET]
    for r in range(xlsx_forms.FIRST_ROW, ws.max_row + 1):
        if ws[f"A{r}"].value in figures:
            ws[f"E{r}"] = figures[ws[f"A{r}"].value]
    wb.save(path)
    return path


def previewed(qtbot: QtBot, dialog: dialogs._ImportDialog) -> dialogs._ImportDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    on_gui_thread: list[bool] = []

    def spy(handler: Any) -> Any:
        def run(value: Any) -> None:
            # Widgets may only be touched on the GUI thread; the worker's outcome must get there.
            app = QApplication.instance()
            assert app is not None
            on_gui_thread.append(QThread.currentThread() is app.thread())
            handler(value)

        return run

    dialog._previewed = spy(dialog._previewed)  # type: ignore[method-assign]
    dialog._preview_failed = spy(dialog._preview_failed)  # type: ignore[method-assign]
    dialog.start()
    qtbot.waitUntil(lambda: bool(on_gui_thread))
    assert on_gui_thread == [True]
    # The spies refer to the dialog: remove them, so no reference cycle keeps a widget alive
    # for Python's cycle collector (which may run on a worker thread).
    del dialog._previewed, dialog._preview_failed
    return dialog


def test_export_a_form_then_import_it_through_the_preview(
    qtbot: QtBot,
    db: Database,
    desk: DeskContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    _quiet: list[tuple[str, str]],
) -> None:
    form = export_form(qtbot, desk, tmp_path, monkeypatch)
    ws = openpyxl.load_workbook(form)[xlsx_forms.FORM_SHEET]
    assert ws.max_row - xlsx_forms.FIRST_ROW + 1 == 12  # plan row 3's units
    fill(form, {"LAO-KLG": "๑,๒๕๐", "TN-RY": 280})
    before = dump(db.path)
    dialog = previewed(qtbot, dialogs.FormImportDialog(None, desk, form))
    assert dump(db.path) == before  # the preview wrote nothing
    assert [dialog.model.row(i).unit for i in range(dialog.model.rowCount())] == [
        "LAO-KLG",
        "TN-RY",
    ]
    assert "ใหม่ 2" in dialog.counts.text() and "2020-W21" in dialog.counts.text()
    assert dialog.commit_button.isEnabled() and not dialog.confirm.isVisible()
    dialog.commit_button.click()
    qtbot.waitUntil(lambda: dialog.result_ is not None)
    assert dialog.result_.committed
    assert _quiet[-1][0] == "i" and "ใหม่ 2" in _quiet[-1][1]
    units = {
        u["code"]: u["count"]
        for u in status.status_json(status.week_summary(db, dialog.result_.week))["units"]
    }
    assert (units["LAO-KLG"], units["TN-RY"]) == (1250, 280)


def test_a_file_with_a_refused_row_cannot_be_imported(
    qtbot: QtBot, db: Database, desk: DeskContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = fill(export_form(qtbot, desk, tmp_path, monkeypatch), {"LAO-KLG": 100, "TN-RY": -4})
    dialog = previewed(qtbot, dialogs.FormImportDialog(None, desk, form))
    assert not dialog.commit_button.isEnabled()
    assert dialog.notice.isVisible() and "จำนวนต้องไม่ติดลบ" in dialog.notice.text()
    assert dialog.model.row(0).status == "refused"  # problems first


def test_figures_needing_confirmation_wait_for_the_tick(
    qtbot: QtBot, db: Database, desk: DeskContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reports.record_report(db, unit_code="TN-RY", week=date(2020, 5, 11), count=500)
    form = fill(export_form(qtbot, desk, tmp_path, monkeypatch), {"TN-RY": 450})
    dialog = previewed(qtbot, dialogs.FormImportDialog(None, desk, form))
    assert dialog.confirm.isVisible() and not dialog.commit_button.isEnabled()
    dialog.confirm.setChecked(True)
    assert dialog.commit_button.isEnabled()
    dialog.commit_button.click()
    qtbot.waitUntil(lambda: dialog.result_ is not None)
    assert [r.concerns for r in dialog.result_.rows if r.unit == "TN-RY"] == [("below_previous",)]


def test_an_unreadable_file_is_explained(
    qtbot: QtBot, db: Database, desk: DeskContext, tmp_path: Path
) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_text("รหัส,จำนวน\n", encoding="utf-8")
    dialog = previewed(qtbot, dialogs.FormImportDialog(None, desk, path))
    qtbot.waitUntil(dialog.notice.isVisible)
    assert "ไม่ใช่ไฟล์ Excel" in dialog.notice.text()
    assert not dialog.commit_button.isEnabled()


def test_a_unit_list_through_the_preview(
    qtbot: QtBot, db: Database, desk: DeskContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "units.xlsx"
    monkeypatch.setattr(dialogs, "choose_save_path", lambda _p, _t, _n: target)
    export = export_dialog(qtbot, desk)
    export.kinds.button(2).setChecked(True)
    assert not export.scope.isEnabled() and not export.week.isEnabled()
    export.save_button.click()
    qtbot.waitUntil(lambda: export.saved is not None)
    wb = openpyxl.load_workbook(target)
    wb[xlsx_units.UNITS_SHEET].append(
        ["SAO-KCM-01", "องค์การบริหารส่วนตำบลชำฆ้อ", 3, "อบต.", "เขาชะเมา"]
    )
    wb.save(target)
    dialog = previewed(qtbot, dialogs.UnitsImportDialog(None, desk, target))
    assert [(r.code, r.status) for r in dialog.model.rows] == [("SAO-KCM-01", "new")]
    dialog.commit_button.click()
    qtbot.waitUntil(lambda: dialog.result_ is not None)
    assert dialog.result_.counts["new"] == 1


def test_cancelling_the_file_choice_does_nothing(
    desk: DeskContext, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    monkeypatch.setattr(dialogs, "choose_open_path", lambda _p, _t: None)
    assert dialogs.import_forms_dialog(None, desk) is None
    assert dialogs.import_units_dialog(None, desk) is None
