"""The register screen through its real widgets: filter, reprint, mark sent, spoil, export."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from rayong_desktop.db.engine import Database
from rayong_desktop.services import letter_register, printing
from rayong_desktop.ui import prompts, register_page
from rayong_desktop.ui.register_page import RegisterPage
from rayong_desktop.ui.window import MainWindow
from tests.ui.conftest import bkk

pytestmark = pytest.mark.gui

W20, W21 = date(2020, 5, 11), date(2020, 5, 18)


def issue(db: Database, week: date) -> bytes:
    made = printing.make_document(db, printing.DocumentRequest("letter", week=week), issue=True)
    return made.data


def open_register(qtbot: QtBot, window: MainWindow) -> RegisterPage:
    page = window.show_screen("register")
    assert isinstance(page, RegisterPage)
    qtbot.waitUntil(lambda: not page.loading and not page.stale)
    return page


def test_the_register_screen_filters_reprints_marks_sent_spoils_and_exports(
    qtbot: QtBot,
    db: Database,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    first = issue(db, W21)
    issue(db, W20)
    window = open_window()
    page = open_register(qtbot, window)
    assert [e.label for e in page.model.rows] == ["1", "2"]
    assert page.year.findData(2563) > 0
    assert not page.reprint_button.isEnabled()  # nothing chosen yet

    # Filter by week, then back to every week.
    page.week.setCurrentIndex(page.week.findData(W20.isoformat()))
    qtbot.waitUntil(lambda: [e.number for e in page.model.rows] == [2])
    page.week.setCurrentIndex(0)
    qtbot.waitUntil(lambda: len(page.model.rows) == 2)
    page.series.setCurrentIndex(page.series.findData("ว"))
    qtbot.waitUntil(lambda: page.model.rows == [])
    page.series.setCurrentIndex(0)
    qtbot.waitUntil(lambda: len(page.model.rows) == 2)

    # Reprint: the stored PDF, byte for byte.
    page.select_letter(page.model.rows[0].id)
    assert page.reprint_button.isEnabled() and "SHA-256" in page.detail.text()
    out = tmp_path / "again.pdf"
    monkeypatch.setattr(register_page, "choose_file", lambda *_a: out)
    page.reprint_button.click()
    qtbot.waitUntil(out.exists)
    assert out.read_bytes() == first

    # Mark sent.
    page.mark_sent(page.model.rows[0], "fax", bkk("2020-05-21 10:00"))
    qtbot.waitUntil(lambda: page.model.rows[0].sent_by == "fax")
    assert "โทรสาร" in page.model.data(page.model.index(0, 6))

    # Spoil: an empty reason is refused in Thai and changes nothing; a reason spoils it.
    page.select_letter(page.model.rows[0].id)
    monkeypatch.setattr(prompts, "ask_text", lambda *_a, **_k: "  ")
    page.spoil_button.click()
    qtbot.waitUntil(lambda: "ต้องระบุเหตุผล" in page.error.text())
    assert letter_register.find_letter(db, 1).in_force
    monkeypatch.setattr(prompts, "ask_text", lambda *_a, **_k: "พิมพ์ผิดผู้รับ")
    page.spoil_button.click()
    qtbot.waitUntil(lambda: not page.model.rows[0].in_force)
    assert page.error.text() == ""
    assert page.model.data(page.model.index(0, 7)) == "ยกเลิก: พิมพ์ผิดผู้รับ"
    assert page.selected() == page.model.rows[0]
    assert not page.spoil_button.isEnabled() and not page.sent_button.isEnabled()

    # Export the register for the office's book.
    book = tmp_path / "register.xlsx"
    monkeypatch.setattr(register_page, "choose_file", lambda *_a: book)
    page.export_button.click()
    qtbot.waitUntil(book.exists)
    ws = load_workbook(book).active
    assert [ws.cell(row=r, column=9).value for r in (4, 5)] == ["ยกเลิก: พิมพ์ผิดผู้รับ", None]


def test_the_register_speaks_english_when_chosen(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow], qapp: object
) -> None:
    """Kinds and dates of the letters in the screens' language (the numbers stay as issued)."""
    from PySide6.QtCore import QModelIndex, Qt

    from rayong_desktop.ui import i18n

    issue(db, W21)
    assert i18n.install_translator(qapp, "en") == "en"  # type: ignore[arg-type]
    try:
        window = open_window()
        page = open_register(qtbot, window)
        model = page.model
        texts = [
            str(model.data(model.index(0, c, QModelIndex()), Qt.ItemDataRole.DisplayRole))
            for c in range(model.columnCount())
        ]
        assert "Report letter to the governor" in texts
        assert "21 May 2020" in texts  # the issue day of the tests' clock, the English way
        assert not any(t.startswith("21 พ.ค.") for t in texts)
    finally:
        assert i18n.install_translator(qapp, "th") == "th"  # type: ignore[arg-type]
