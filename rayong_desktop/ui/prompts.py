"""Every modal question the desk asks goes through here, so tests can answer instead.

Buttons are labelled here, through the desk's translation (Thai, or English in English mode).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


def ask_yes_no(parent: QWidget | None, title: str, text: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes = box.addButton(QCoreApplication.translate("Prompts", "ใช่"), QMessageBox.ButtonRole.YesRole)
    no = box.addButton(QCoreApplication.translate("Prompts", "ไม่ใช่"), QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes


def ask_choice(
    parent: QWidget | None, title: str, text: str, choices: Sequence[str], *, default: int = 0
) -> int:
    """Index of the chosen button; Esc chooses `default`."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    buttons = [box.addButton(c, QMessageBox.ButtonRole.ActionRole) for c in choices]
    box.setDefaultButton(buttons[default])
    box.setEscapeButton(buttons[default])
    box.exec()
    clicked = box.clickedButton()
    return buttons.index(clicked) if clicked in buttons else default


def inform(parent: QWidget | None, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=parent)
    box.addButton(QCoreApplication.translate("Prompts", "ตกลง"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def warn(parent: QWidget | None, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    box.addButton(QCoreApplication.translate("Prompts", "ตกลง"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def ask_text(parent: QWidget | None, title: str, text: str, default: str = "") -> str | None:
    """One line of text (a reason for a change); None when cancelled."""
    from PySide6.QtWidgets import QInputDialog

    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(text)
    dialog.setTextValue(default)
    dialog.setOkButtonText(QCoreApplication.translate("Prompts", "ตกลง"))
    dialog.setCancelButtonText(QCoreApplication.translate("Prompts", "ยกเลิก"))
    if dialog.exec():
        return dialog.textValue()
    return None


def choose_backup_file(parent: QWidget | None, folder: Path) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(
        parent,
        QCoreApplication.translate("Prompts", "เลือกไฟล์สำรองที่จะกู้คืน"),
        str(folder),
        QCoreApplication.translate("Prompts", "ฐานข้อมูลสำรอง (*.sqlite3);;ทุกไฟล์ (*)"),
    )
    return Path(name) if name else None


def choose_folder(parent: QWidget | None, title: str, start: str) -> str | None:
    name = QFileDialog.getExistingDirectory(parent, title, start)
    return name or None
