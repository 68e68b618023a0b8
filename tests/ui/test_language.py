"""English through Qt's translation system: the compiled .qm is shipped and loaded on request."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from rayong_desktop.db.engine import Database
from rayong_desktop.paths import resource_path
from rayong_desktop.ui import i18n
from rayong_desktop.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    assert i18n.install_translator(qapp, "en") == "en"
    yield
    assert i18n.install_translator(qapp, "th") == "th"


def test_the_english_translation_is_compiled_and_shipped() -> None:
    assert resource_path("translations", "desk_en.ts").is_file()
    assert resource_path("translations", "desk_en.qm").stat().st_size > 10_000


@pytest.mark.usefixtures("english")
def test_the_window_speaks_english_when_chosen(qtbot: QtBot, db: Database) -> None:
    assert QCoreApplication.translate("HomePage", "ส่งแล้ว") == "Received"
    window = MainWindow(db)
    qtbot.addWidget(window)
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert labels[:3] == ["This week", "Key in reports", "Registry"]
    assert window.menuBar().actions()[0].text() == "File"
    window.close()


def test_thai_is_the_default_and_the_choice_is_remembered(qapp: QApplication) -> None:
    assert i18n.chosen_language() == "th"
    assert QCoreApplication.translate("HomePage", "ส่งแล้ว") == "ส่งแล้ว"
    i18n.choose_language("en")
    assert i18n.chosen_language() == "en" and i18n.effective_language() == "en"
    i18n.choose_language("th")
