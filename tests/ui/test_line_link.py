"""The QR link: Settings refuses an add-friend link that LINE would not open, or that opens
another account, in Thai under the field; the poster preview says which link its QR carries."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from rayong_desktop.db.engine import Database
from rayong_desktop.services import settings
from rayong_desktop.ui.application import create_application
from rayong_desktop.ui.print_dialog import PrintDialog
from rayong_desktop.ui.settings_page import SettingsPage
from rayong_desktop.ui.window import MainWindow
from tests.documents.test_print_dialog import choose, settled
from tests.ui.test_screens import show

pytestmark = pytest.mark.gui


def test_settings_refuse_an_id_typed_in_the_link_box_in_thai(
    qtbot: QtBot, db: Database, open_window: Callable[..., MainWindow]
) -> None:
    settings.update_setting(db, "oa_id", "@rayongfightcovid")
    window = open_window()
    page = show(qtbot, window, "settings")
    assert isinstance(page, SettingsPage)
    link = page.fields["oa_add_friend_url"].editor
    assert isinstance(link, QLineEdit)
    link.setText("@rayongfightcovid")
    qtbot.keyClick(link, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    error = page.fields["oa_add_friend_url"].error
    qtbot.waitUntil(lambda: error.isVisibleTo(page))
    assert "https://line.me/R/ti/p/" in error.text() and "ช่อง LINE ID" in error.text()
    assert settings.get_settings(db).oa_add_friend_url == ""  # nothing changed
    link.setText("https://line.me/R/ti/p/%40someoneelse")
    qtbot.keyClick(link, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "ไม่ตรงกับ LINE ID" in error.text())
    assert settings.get_settings(db).oa_add_friend_url == ""


def test_the_poster_preview_says_which_link_its_qr_opens(qtbot: QtBot, db: Database) -> None:
    settings.update_setting(db, "oa_id", "@rayongfightcovid")
    create_application([])
    dialog = PrintDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    settled(qtbot, dialog)
    choose(dialog, "poster")
    settled(qtbot, dialog)
    assert dialog.qr_link.isVisibleTo(dialog)
    assert dialog.qr_link.text() == "https://line.me/R/ti/p/%40rayongfightcovid"
    dialog.oa_id.setText("@another.oa")
    assert dialog.qr_link.text() == "https://line.me/R/ti/p/%40another.oa"
    dialog.oa_id.setText("")
    settings.update_setting(db, "oa_add_friend_url", "https://lin.ee/AbC12xy")
    dialog._settings = settings.get_settings(db)
    dialog._show_qr_link()
    assert dialog.qr_link.text().startswith("https://lin.ee/AbC12xy")
    assert "ตรวจไม่ได้" in dialog.qr_link.text()
