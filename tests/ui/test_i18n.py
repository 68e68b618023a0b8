"""English that is English, Thai that is Thai: no Thai text on screen outside the translation
system, every entry of the English translation filled in, the services' messages, dates and
setting labels in the language of the screens, and Qt's own buttons in Thai in Thai mode."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from rayong_desktop.db.engine import Database
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.paths import resource_path
from rayong_desktop.services import reports
from rayong_desktop.settings import SETTING_FIELDS, SETTING_LABELS_EN
from rayong_desktop.ui import i18n
from rayong_desktop.ui.application import create_application
from rayong_desktop.ui.home_page import countdown, due_text
from rayong_desktop.ui.keying import rows
from rayong_desktop.ui.settings_page import SettingsPage
from rayong_desktop.ui.window import MainWindow
from tests.helpers import REPO

pytestmark = pytest.mark.gui

UI = REPO / "rayong_desktop" / "ui"
THAI = re.compile("[\u0e00-\u0e7f]")
TRANSLATING_CALLS = {"tr", "translate", "QT_TR_NOOP", "QT_TRANSLATE_NOOP"}

# Thai string constants in ui/ that are not text for the clerk to read in a language, each
# with its reason. Anything else Thai must go through tr()/translate().
NOT_UI_TEXT: dict[tuple[str, str], str] = {
    **{
        ("widgets.py", text): "unit names are Thai proper names: their kind is shortened in lists"
        for text in (
            "องค์การบริหารส่วนจังหวัด",
            "อบจ.",
            "องค์การบริหารส่วนตำบล",
            "อบต.",
            "เทศบาลตำบล",
            "ทต.",
            "เทศบาลเมือง",
            "ทม.",
            "เทศบาลนคร",
            "ทน.",
        )
    },
    ("selfcheck.py", "ที่ซึ่งปั้นเชื้อน้ำผู้ใหญ่บ้าน"): "Thai shaping probe of the installed desk",
    ("selfcheck.py", "ผู้ใหญ่บ้าน"): "Thai shaping probe of the installed desk",
    ("print_dialog.py", "ว "): "the circular-letter prefix of a letter number, as printed",
    ("settings_page.py", "ด่วน"): "a stored urgency word (the key of its label)",
    ("settings_page.py", "ด่วนมาก"): "a stored urgency word (the key of its label)",
    ("settings_page.py", "ด่วนที่สุด"): "a stored urgency word (the key of its label)",
    ("window/menus.py", "ไทย"): "the Thai language's own name, the same in either language",
    ("window/menus.py", "\u0e00"): "the Thai block's bounds: is a menu label Thai?",
    ("window/menus.py", "\u0e7f"): "the Thai block's bounds: is a menu label Thai?",
    ("keying/rows.py", "สัปดาห์"): "the word that tells the services' Thai prefix of a message",
    **{
        ("keying/writer.py", text): "a reason stored in the history with the figure, kept in Thai"
        for text in (
            "แก้ไขจากหน้าบันทึก",
            "แก้ไขช่องทาง/ผู้รายงานจากหน้าบันทึก",
            "ทำซ้ำ (redo) จากหน้าบันทึก",
        )
    },
}

# Screens whose strings their own branches wrap: none left. A screen listed here is skipped by
# the scan, and the allow-list test fails when it has nothing left to wrap.
WRAPPED_ELSEWHERE: tuple[str, ...] = ()


def thai_outside_translation(path: Path) -> list[tuple[int, str]]:
    """The Thai string constants of a module that no tr()/translate() call encloses
    (docstrings aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if not THAI.search(node.value) or isinstance(parents.get(node), ast.Expr):
            continue
        up: ast.AST = node
        while up in parents:
            up = parents[up]
            if isinstance(up, ast.Call):
                f = up.func
                name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
                if name in TRANSLATING_CALLS:
                    break
        else:
            found.append((node.lineno, node.value))
    return found


def ui_modules() -> list[tuple[str, Path]]:
    return [(p.relative_to(UI).as_posix(), p) for p in sorted(UI.rglob("*.py"))]


def test_no_thai_text_on_screen_outside_the_translation_system() -> None:
    stray = []
    for name, path in ui_modules():
        if name.startswith(WRAPPED_ELSEWHERE):
            continue
        for line, text in thai_outside_translation(path):
            if (name, text) not in NOT_UI_TEXT:
                stray.append(f"rayong_desktop/ui/{name}:{line}: {text!r}")
    assert stray == [], "Thai text outside tr()/translate():\n" + "\n".join(stray)


def test_the_allow_lists_name_only_what_is_there() -> None:
    present = {
        (name, text) for name, path in ui_modules() for _, text in thai_outside_translation(path)
    }
    assert sorted(set(NOT_UI_TEXT) - present) == []
    for prefix in WRAPPED_ELSEWHERE:
        assert any(name.startswith(prefix) for name, _ in present), (
            f"{prefix} has no Thai left outside tr(): remove it from WRAPPED_ELSEWHERE"
        )


def test_the_scan_finds_thai_outside_tr_and_only_there(tmp_path: Path) -> None:
    module = tmp_path / "screen.py"
    module.write_text(
        '"""ข้อความอธิบาย (docstring)."""\n'
        'a = self.tr("ในระบบแปล")\n'
        'b = QCoreApplication.translate("Ctx", "ในระบบแปล {0}").format(1)\n'
        'c = QT_TRANSLATE_NOOP("Ctx", "ในระบบแปล")\n'
        'd = label("นอกระบบแปล")\n'
        'e = f"ส่งแล้ว {n} หน่วย"\n',
        encoding="utf-8",
    )
    assert thai_outside_translation(module) == [
        (5, "นอกระบบแปล"),
        (6, "ส่งแล้ว "),
        (6, " หน่วย"),
    ]


def unfinished_entries(ts: Path) -> list[str]:
    missing = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            if translation.get("type") in ("vanished", "obsolete"):
                continue
            # A plural entry (%n) holds its English in numerusform elements.
            text = "".join(translation.itertext())
            if translation.get("type") == "unfinished" or not text.strip():
                missing.append(f"{name}: {message.findtext('source')!r}")
    return missing


def test_every_entry_of_the_english_translation_has_its_english(tmp_path: Path) -> None:
    """The shipped .ts, and the .ts as lupdate makes it from the screens now: a string added
    to a screen without its English is named here (run `bash .ci/translations.sh`, translate
    the entries named, run it again)."""
    shipped = resource_path("translations", "desk_en.ts")
    assert unfinished_entries(shipped) == []
    copy = tmp_path / "desk_en.ts"
    shutil.copy(shipped, copy)
    tools = Path(sys.executable).parent
    screens = [str(p) for _, p in ui_modules()]
    subprocess.run(
        [str(tools / "pyside6-lupdate"), *screens, "-ts", str(copy), "-target-language", "en"],
        check=True,
        capture_output=True,
    )
    assert unfinished_entries(copy) == [], "strings on screen without English in desk_en.ts"


def test_the_check_names_an_entry_left_untranslated(tmp_path: Path) -> None:
    ts = tmp_path / "x.ts"
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?><TS version="2.1" language="en">'
        "<context><name>HomePage</name>"
        "<message><source>ส่งแล้ว</source><translation>Received</translation></message>"
        '<message><source>ใหม่</source><translation type="unfinished"></translation></message>'
        "<message><source>ว่าง</source><translation></translation></message>"
        "</context></TS>",
        encoding="utf-8",
    )
    assert unfinished_entries(ts) == ["HomePage: 'ใหม่'", "HomePage: 'ว่าง'"]


def test_qts_own_thai_is_compiled_from_its_source() -> None:
    source = resource_path("translations", "qt_th.ts")
    assert unfinished_entries(source) == []
    assert resource_path("translations", "qt_th.qm").stat().st_size > 1_000


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    create_application([])  # first: it installs the remembered language once per process
    assert i18n.install_translator(qapp, "en") == "en"
    yield
    assert i18n.install_translator(qapp, "th") == "th"


def standard_button_texts() -> list[str]:
    box = QMessageBox()
    box.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
    texts = [b.text() for b in box.buttons()]
    box.deleteLater()
    return sorted(texts)


def test_qts_own_buttons_and_menus_speak_the_language_of_the_screens(qapp: QApplication) -> None:
    assert i18n.install_translator(qapp, "th") == "th"
    assert standard_button_texts() == sorted(["ตกลง", "ยกเลิก"])
    edit = QLineEdit()
    menu = edit.createStandardContextMenu()
    assert menu is not None
    shown = {a.text().split("\t")[0] for a in menu.actions()}
    assert {"คัดลอก (&C)", "วาง (&P)", "เลือกทั้งหมด"} <= shown
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Yes)
    assert buttons.buttons()[0].text() == "ใช่ (&Y)"
    try:
        assert i18n.install_translator(qapp, "en") == "en"
        assert standard_button_texts() == sorted(["OK", "Cancel"])
    finally:
        assert i18n.install_translator(qapp, "th") == "th"


def test_a_refusal_is_shown_in_the_language_of_the_screens(qapp: QApplication) -> None:
    refusal = RefusedError("ไม่รับ", "refused")
    assert i18n.in_ui_language(refusal) == "ไม่รับ"
    assert i18n.error_text(refusal) == "ไม่รับ"
    assert i18n.error_text(OSError("disk full")) == "disk full"
    assert i18n.install_translator(qapp, "en") == "en"
    try:
        assert i18n.in_ui_language(refusal) == "refused"
        assert i18n.error_text(refusal) == "refused"
    finally:
        i18n.install_translator(qapp, "th")


def test_the_deadline_card_and_dates_in_each_language(qapp: QApplication) -> None:
    due = datetime(2020, 5, 21, 16, 30, tzinfo=BANGKOK)
    before = datetime(2020, 5, 20, 14, 0, 5, tzinfo=BANGKOK)
    after = datetime(2020, 5, 22, 18, 45, tzinfo=BANGKOK)
    assert due_text(due) == "วันพฤหัสบดีที่ 21 พ.ค. 2563 เวลา 16.30 น."
    assert countdown(due, before) == ("อีก 1 วัน 02:29:55", "ok")
    assert countdown(due, after) == ("เลยกำหนดมาแล้ว 1 วัน 2 ชม. 15 นาที", "late")
    assert i18n.install_translator(qapp, "en") == "en"
    try:
        assert due_text(due) == "Thursday 21 May 2020 at 16:30"
        assert countdown(due, before) == ("1 d 02:29:55 left", "ok")
        assert countdown(due, after) == ("Overdue by 1 d 2 h 15 min", "late")
        assert i18n.week_range_text(date(2020, 4, 27)) == "27 April – 3 May 2020"
    finally:
        i18n.install_translator(qapp, "th")
    assert i18n.week_range_text(date(2020, 4, 27)) == "27 เมษายน – 3 พฤษภาคม 2563"


def test_the_keying_rows_speak_english_from_the_translation(qapp: QApplication) -> None:
    translate = QCoreApplication.translate
    on_time = (reports.Reception.ON_TIME, None)
    typed = (reports.Reception.AT, datetime(2020, 5, 21, 16, 40, tzinfo=BANGKOK))
    assert rows.late_text(26 * 60 + 5, translate) == "1 วัน 2 ชม."
    assert rows.reception_text(typed, translate) == "21/5 16.40 น."
    assert i18n.install_translator(qapp, "en") == "en"
    try:
        assert rows.late_text(26 * 60 + 5, translate) == "1 d 2 h"
        assert rows.late_text(135, translate) == "2 h 15 min"
        assert rows.reception_text(on_time, translate) == "On time (before the deadline)"
        assert rows.reception_text(typed, translate) == "21/5 16:40"
    finally:
        i18n.install_translator(qapp, "th")


def test_every_setting_has_its_english_label() -> None:
    assert sorted(set(SETTING_FIELDS) - set(SETTING_LABELS_EN)) == []
    assert sorted(set(SETTING_LABELS_EN) - set(SETTING_FIELDS)) == []


@pytest.mark.usefixtures("english")
def test_settings_in_english_show_labels_not_stored_words(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window()
    page = window.show_screen("settings")
    assert isinstance(page, SettingsPage)
    qtbot.waitUntil(lambda: not page.loading and not page.stale)
    font = page.fields["document_font"].editor
    digits = page.fields["document_digits"].editor
    assert isinstance(font, QComboBox) and isinstance(digits, QComboBox)
    shown = [font.itemText(i) for i in range(font.count())]
    assert shown[0].startswith("Automatic") and "auto" not in shown
    assert font.currentData() == "auto"  # the stored word is unchanged underneath
    assert [digits.itemText(i) for i in range(digits.count())] == [
        "Thai digits (๑๒๓)",
        "Arabic digits (123)",
    ]
    captions = {lbl.text() for lbl in page.findChildren(type(page.status))}
    assert "Campaign length (months)" in captions and "ระยะเวลาโครงการ (เดือน)" not in captions
    assert "next time the desk opens" in page.language_hint.text()
    months = page.fields["campaign_months"].editor
    assert isinstance(months, QLineEdit)
    months.setText("three")
    page.save()
    error = page.fields["campaign_months"].error
    qtbot.waitUntil(lambda: bool(error.text()))
    assert "campaign_months" in error.text() and not THAI.search(error.text())


def test_settings_in_thai_show_thai_labels(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window()
    page = window.show_screen("settings")
    assert isinstance(page, SettingsPage)
    digits = page.fields["document_digits"].editor
    assert isinstance(digits, QComboBox)
    assert [digits.itemText(i) for i in range(digits.count())] == [
        "เลขไทย (๑๒๓)",
        "เลขอารบิก (123)",
    ]


def test_tr_is_called_only_on_self() -> None:
    """lupdate files `x.tr(...)` under the class it is written in, while Qt looks it up under
    x's class: a tr() on another object is never translated. Outside the widget, use
    QCoreApplication.translate with the context named."""
    elsewhere = []
    for name, path in ui_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "tr"
                and not (isinstance(node.func.value, ast.Name) and node.func.value.id == "self")
            ):
                elsewhere.append(f"rayong_desktop/ui/{name}:{node.lineno}")
    assert elsewhere == []
