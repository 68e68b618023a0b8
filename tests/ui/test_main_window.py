from __future__ import annotations

import pytest
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from rayong_desktop.db.engine import Database
from rayong_desktop.services import registry
from rayong_desktop.ui.application import create_application, load_thai_font
from rayong_desktop.ui.registry_page import RegistryPage
from rayong_desktop.ui.window import MainWindow
from tests.ui.conftest import close_window

pytestmark = pytest.mark.gui


def test_thai_font_is_loaded_from_the_apps_files(qapp: QApplication) -> None:
    family = load_thai_font()
    assert family == "Sarabun"
    assert family in QFontDatabase.families()
    # Sarabun really covers Thai: every character of a hard test string has a glyph.
    from PySide6.QtGui import QFont, QFontMetrics

    metrics = QFontMetrics(QFont(family, 12))
    assert all(metrics.inFontUcs4(ord(ch)) for ch in "ที่ซึ่งปั้นเชื้อ")


def test_main_window_shows_the_plan_with_both_totals(qtbot: QtBot, db: Database) -> None:
    create_application([])
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    page = window.show_screen("registry")
    assert isinstance(page, RegistryPage)
    qtbot.waitUntil(lambda: page.plan_model.rowCount() > 0)
    model = page.plan_table.model()
    overview = registry.plan_overview(db)
    assert model.rowCount() == len(overview.rows) == 11
    assert model.index(2, 1).data() == "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดระยอง"
    text = page.totals.text()
    assert f"{overview.computed_quota:,}" in text and f"{overview.stated_quota:,}" in text
    assert f"{overview.difference:,}" in text
    assert QApplication.font().family() == "Sarabun"
    close_window(qtbot, window)
