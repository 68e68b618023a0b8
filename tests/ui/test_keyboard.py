"""The keyboard reaches everything; file dialogs start where the clerk keeps files; the home
screen's first-run checklist; long Thai names elided at word boundaries."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTextBoundaryFinder
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from rayong_desktop.documents.text import pieces
from rayong_desktop.services.settings import update_setting
from rayong_desktop.ui import excel_dialogs, prompts
from rayong_desktop.ui.elide import elide_words
from rayong_desktop.ui.home_page import HomePage
from rayong_desktop.ui.state import documents_folder, remember_folder, start_folder
from rayong_desktop.ui.window import MainWindow
from rayong_desktop.ui.window.menus import mnemonic
from tests.ui.conftest import press


def menus(window: MainWindow) -> list[QMenu]:
    found = [a.menu() for a in window.menuBar().actions()]
    return [m for m in found if isinstance(m, QMenu)]


def test_every_menu_and_entry_has_its_own_alt_letter(
    open_window: Callable[..., MainWindow],
) -> None:
    window = open_window()
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles[0] == "แฟ้ม (&F)"
    letters = [t[t.index("&") + 1].lower() for t in titles]
    assert len(set(letters)) == len(letters), titles
    for menu in menus(window):
        texts = [a.text().split("\t")[0] for a in menu.actions() if not a.isSeparator()]
        assert all("&" in t for t in texts), texts
        keys = [t[t.index("&") + 1].lower() for t in texts]
        assert len(set(keys)) == len(keys), texts


def test_mnemonics_in_thai_and_english() -> None:
    assert mnemonic("แฟ้ม", "F") == "แฟ้ม (&F)"
    assert mnemonic("File", "F") == "&File"
    assert mnemonic("Export Excel workbook…", "E") == "&Export Excel workbook…"
    assert mnemonic("Restore from backup…", "S") == "Re&store from backup…"
    assert mnemonic("ยืนยัน\tF9", "C") == "ยืนยัน (&C)\tF9"
    assert mnemonic("&Help", "H") == "&Help"


# The offscreen platform cannot raise a popup or grab the keyboard for it; a desktop can.
@pytest.mark.qt_log_ignore("This plugin does not support")
def test_f10_opens_the_menu_bar(qtbot: QtBot, open_window: Callable[..., MainWindow]) -> None:
    window = open_window()
    press(qtbot, Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: window.menuBar().activeAction() is not None)
    assert window.menuBar().activeAction() is window.menuBar().actions()[0]
    popup = QApplication.activePopupWidget()
    if popup is not None:
        popup.close()


def test_the_shortcut_list_names_every_shortcut_of_the_menus(
    open_window: Callable[..., MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()
    shown: list[str] = []
    monkeypatch.setattr(prompts, "inform", lambda _p, _t, text: shown.append(text))
    window._show_keys()
    [text] = shown
    missing = []
    for menu in menus(window):
        for action in menu.actions():
            for key in action.shortcuts():
                name = key.toString()
                # Ctrl+1…Ctrl+7 and Alt+arrows are listed as ranges and arrows.
                listed = name in text or name[-1].isdigit() or name.startswith("Alt+")
                if name and not listed:
                    missing.append(name)
    assert missing == []
    for name in ("Ctrl+E", "Ctrl+I", "Ctrl+Shift+I", "Ctrl+B", "Ctrl+Shift+R", "F10"):
        assert name in text


def test_file_dialogs_start_in_documents_then_where_that_kind_was_last_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: QApplication
) -> None:
    assert start_folder("excel") == documents_folder() != Path.cwd()
    starts: list[str] = []
    chosen = tmp_path / "งาน" / "สรุป.xlsx"
    chosen.parent.mkdir()

    def save_as(_parent: object, _title: str, start: str, _filter: str) -> tuple[str, str]:
        starts.append(start)
        return str(chosen), ""

    monkeypatch.setattr(excel_dialogs.QFileDialog, "getSaveFileName", save_as)
    assert excel_dialogs.choose_save_path(None, "บันทึก", "summary.xlsx") == chosen
    assert excel_dialogs.choose_save_path(None, "บันทึก", "form.xlsx") == chosen
    assert starts == [
        str(documents_folder() / "summary.xlsx"),
        str(chosen.parent / "form.xlsx"),
    ]
    # Each kind of file remembers its own folder.
    assert start_folder("pdf") == documents_folder()
    remember_folder("pdf", tmp_path / "letter.pdf")
    assert start_folder("pdf") == tmp_path and start_folder("excel") == chosen.parent


def test_the_first_run_checklist_links_to_its_screens_and_ticks_itself(
    qtbot: QtBot, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window()
    home = window.page("home")
    assert isinstance(home, HomePage)
    checklist = home.checklist
    qtbot.waitUntil(lambda: checklist.checklist is not None and checklist.isVisible())
    office = checklist.buttons["office"]
    assert office.text().startswith("☐ ")
    office.click()
    assert window.current_screen() == "settings"
    checklist.buttons["reports"].click()
    assert window.current_screen() == "keying"
    db = window.ctx.db

    def set_office() -> None:
        update_setting(db, "oa_id", "@rayongfightcovid")
        update_setting(db, "office_address", "ศาลากลางจังหวัดระยอง")

    window.ctx.writes.submit(set_office)
    window.show_screen("home")
    qtbot.waitUntil(lambda: office.text().startswith("✓ "))
    assert checklist.isVisible()  # other steps are still to do
    assert checklist.buttons["contacts"].text().startswith("☐ ")


def test_the_figures_fold_away_for_the_call_list_and_stay_folded(
    qtbot: QtBot, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window()
    home = window.page("home")
    assert isinstance(home, HomePage)
    assert home.summary_box.isVisible()
    before = home.call_table.viewport().height()
    home.fold_button.click()
    qtbot.waitUntil(lambda: home.call_table.viewport().height() > before)
    assert not home.summary_box.isVisible()
    again = open_window()
    home_again = again.page("home")
    assert isinstance(home_again, HomePage) and home_again.fold_button.isChecked()


LONG_NAMES = (
    "สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอเมืองระยอง",
    "องค์การบริหารส่วนตำบลเนินฆ้อ",
    "ทต. (ตัวอย่าง) เมืองระยอง ๑",
    "ส่วนราชการส่วนกลาง/ส่วนภูมิภาค/หน่วยงานรัฐวิสาหกิจ",
)


@pytest.mark.parametrize("name", LONG_NAMES)
def test_long_names_are_elided_between_words_never_inside_one(
    qapp: QApplication, name: str
) -> None:
    metrics = QFontMetrics(qapp.font())
    parts = pieces(name)
    bounds = {sum(len(p) for p in parts[:i]) for i in range(len(parts) + 1)}
    for width in range(40, metrics.horizontalAdvance(name) + 20, 7):
        shown = elide_words(name, metrics, width)
        if shown == name:
            assert metrics.horizontalAdvance(name) <= width
            continue
        assert metrics.horizontalAdvance(shown) <= width or len(parts) == 1
        head, _, tail = shown.partition("…")
        assert name.startswith(head)
        # The cut falls where a word ends (spaces aside), and the end is a whole word too;
        # only a first word wider than the room is cut, after a whole letter cluster.
        if metrics.horizontalAdvance(parts[0] + "…") > width:
            finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Grapheme, name)
            finder.setPosition(len(head))
            assert finder.isAtBoundary() and not tail, (width, shown)
            continue
        assert len(head) in bounds or len(head.rstrip()) in bounds, (width, shown)
        if tail:
            assert name.endswith(tail) and len(name) - len(tail) in bounds, (width, shown)
