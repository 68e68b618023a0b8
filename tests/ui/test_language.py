"""English through Qt's translation system: the compiled .qm is shipped and loaded on request."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.qtbot import QtBot

from rayong_desktop.db.engine import Database
from rayong_desktop.domain.letter_register import (
    KIND_NAMES,
    KIND_NAMES_EN,
    SENT_CHANNELS,
    SENT_CHANNELS_EN,
)
from rayong_desktop.domain.registry import KIND_BY_CODE, KINDS
from rayong_desktop.domain.reporting import CHANNELS, CHANNELS_EN
from rayong_desktop.paths import resource_path
from rayong_desktop.ui import i18n
from rayong_desktop.ui.window import MainWindow
from tests.helpers import REPO
from tests.ui.conftest import close_window

pytestmark = pytest.mark.gui


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    assert i18n.install_translator(qapp, "en") == "en"
    yield
    assert i18n.install_translator(qapp, "th") == "th"


def test_the_english_translation_is_compiled_and_shipped() -> None:
    assert resource_path("translations", "desk_en.ts").is_file()
    assert resource_path("translations", "desk_en.qm").stat().st_size > 10_000


def test_every_string_on_screen_has_its_english(tmp_path: Path) -> None:
    """lupdate over the screens finds no string the shipped translation lacks or leaves
    unfinished, and the shipped .qm is compiled from that .ts (as the translations README says)."""
    shipped = resource_path("translations", "desk_en.ts")
    copy = tmp_path / "desk_en.ts"
    shutil.copy(shipped, copy)
    tools = Path(sys.executable).parent
    screens = sorted(str(p) for p in (REPO / "rayong_desktop" / "ui").rglob("*.py"))
    subprocess.run(
        [str(tools / "pyside6-lupdate"), *screens, "-ts", str(copy), "-target-language", "en"],
        check=True,
        capture_output=True,
    )
    text = copy.read_text(encoding="utf-8")
    unfinished = re.findall(r'<source>(.*?)</source>\s*<translation type="unfinished"', text)
    assert unfinished == []
    compiled = tmp_path / "desk_en.qm"
    subprocess.run(
        [str(tools / "pyside6-lrelease"), str(shipped), "-qm", str(compiled)],
        check=True,
        capture_output=True,
    )
    assert compiled.read_bytes() == resource_path("translations", "desk_en.qm").read_bytes()


@pytest.mark.usefixtures("english")
def test_the_window_speaks_english_when_chosen(qtbot: QtBot, db: Database) -> None:
    assert QCoreApplication.translate("HomePage", "ส่งแล้ว") == "Received"
    window = MainWindow(db)
    qtbot.addWidget(window)
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert labels[:3] == ["This week", "Key in reports", "Registry"]
    assert window.menuBar().actions()[0].text().replace("&", "") == "File"  # Alt+F: "&File"
    close_window(qtbot, window)


def test_thai_is_the_default_and_the_choice_is_remembered(qapp: QApplication) -> None:
    assert i18n.chosen_language() == "th"
    assert QCoreApplication.translate("HomePage", "ส่งแล้ว") == "ส่งแล้ว"
    i18n.choose_language("en")
    assert i18n.chosen_language() == "en" and i18n.effective_language() == "en"
    i18n.choose_language("th")


def _has_thai(text: str) -> bool:
    return any("\u0e00" <= ch <= "\u0e7f" for ch in text)


def test_codes_the_data_names_in_thai_have_english_names() -> None:
    assert set(CHANNELS_EN) == set(CHANNELS) and set(SENT_CHANNELS_EN) == set(SENT_CHANNELS)
    assert set(KIND_NAMES_EN) == set(KIND_NAMES)
    english = [*CHANNELS_EN.values(), *SENT_CHANNELS_EN.values(), *KIND_NAMES_EN.values()]
    english += [name for k in KINDS for name in (k.en, k.short_en)]
    assert all(english) and not any(_has_thai(name) for name in english)


def test_channels_and_kinds_are_named_in_thai_by_default(qapp: QApplication) -> None:
    assert i18n.channel_name("fax") == "โทรสาร"
    assert i18n.sent_channel_name("hand") == "ส่งด้วยตนเอง"
    assert i18n.kind_choice(KIND_BY_CODE["sao"]) == "อบต. องค์การบริหารส่วนตำบล"
    assert i18n.channel_name("pigeon") == "pigeon"  # a code from a later version: as stored


@pytest.mark.usefixtures("english")
def test_channels_and_kinds_are_named_in_english_when_chosen(qtbot: QtBot, db: Database) -> None:
    assert i18n.channel_name("fax") == "Fax"
    assert i18n.sent_channel_name("hand") == "By hand"
    assert i18n.letter_kind_name("summary_letter") == "Report letter to the governor"
    assert i18n.kind_choice(KIND_BY_CODE["sao"]) == "Subdistrict Administrative Organization (SAO)"
    assert i18n.kind_choice(KIND_BY_CODE["city"]) == "City municipality"
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show_screen("keying")
    kinds = window.findChild(QComboBox, "kindFilter")
    assert kinds is not None
    shown = [kinds.itemText(i) for i in range(1, kinds.count())]
    assert shown == [i18n.kind_choice(k) for k in KINDS] and not any(map(_has_thai, shown))
    close_window(qtbot, window)
