"""Settings: a form built from the settings' own declaration, so a setting added to
rayong_desktop.settings (with a Thai label in its metadata and an English one in
SETTING_LABELS_EN) appears here without UI code.

Each field's editor follows its declared type (text, whole number, number, date, yes/no, or a
list when the metadata names "choices"); a changed field is saved through
services.settings.update_setting, which checks it; a refusal is shown under that field in the
language of the screens and changes nothing. A list shows each choice by its label, never the
stored word ("auto", "thai").
"""

from __future__ import annotations

import dataclasses
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QObject, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from rayong_desktop import paths
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.services import maintenance
from rayong_desktop.services import settings as settings_service
from rayong_desktop.settings import SETTING_FIELDS, SETTING_LABELS_EN, AppSettings
from rayong_desktop.ui import i18n, prompts
from rayong_desktop.ui.context import SETTINGS, DeskContext
from rayong_desktop.ui.i18n import QT_TRANSLATE_NOOP
from rayong_desktop.ui.page import Page
from rayong_desktop.ui.widgets import Card, as_date, label, short_date

# Where a setting shows when its metadata names no "group".
FOLDERS_GROUP = QT_TRANSLATE_NOOP("SettingsPage", "โฟลเดอร์")
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (QT_TRANSLATE_NOOP("SettingsPage", "สำนักงานและหนังสือราชการ"), ("office_", "document_code")),
    (
        QT_TRANSLATE_NOOP("SettingsPage", "บัญชี LINE OA และโครงการ"),
        ("oa_", "campaign_", "monthly_message_quota", "plan_stated_total"),
    ),
    (
        QT_TRANSLATE_NOOP("SettingsPage", "เอกสารที่พิมพ์"),
        (
            "document_",
            "font",
            "digit",
            "paper",
            "letter",
            "circular",
            "signer",
            "poster",
            "garuda",
        ),
    ),
    (FOLDERS_GROUP, ("_dir", "folder")),
    (
        QT_TRANSLATE_NOOP("SettingsPage", "การตรวจตัวเลขที่บันทึก"),
        ("default_la_quota", "count_ceiling", "rise_"),
    ),
)
OTHER_GROUP = QT_TRANSLATE_NOOP("SettingsPage", "อื่น ๆ")

# How a list shows each stored word: its meaning, not the word the settings keep.
CHOICE_LABELS: dict[tuple[str, str], str] = {
    ("document_font", "auto"): QT_TRANSLATE_NOOP(
        "SettingsPage", "อัตโนมัติ (TH Sarabun New ถ้ามีในเครื่อง ไม่มีจึงใช้ Sarabun)"
    ),
    ("document_font", "th_sarabun_new"): QT_TRANSLATE_NOOP("SettingsPage", "TH Sarabun New"),
    ("document_font", "sarabun"): QT_TRANSLATE_NOOP("SettingsPage", "Sarabun (ที่มากับโปรแกรม)"),
    ("document_digits", "thai"): QT_TRANSLATE_NOOP("SettingsPage", "เลขไทย (๑๒๓)"),
    ("document_digits", "arabic"): QT_TRANSLATE_NOOP("SettingsPage", "เลขอารบิก (123)"),
    ("letter_urgency", ""): QT_TRANSLATE_NOOP("SettingsPage", "ไม่ระบุชั้นความเร็ว"),
    ("letter_urgency", "ด่วน"): QT_TRANSLATE_NOOP("SettingsPage", "ด่วน"),
    ("letter_urgency", "ด่วนมาก"): QT_TRANSLATE_NOOP("SettingsPage", "ด่วนมาก"),
    ("letter_urgency", "ด่วนที่สุด"): QT_TRANSLATE_NOOP("SettingsPage", "ด่วนที่สุด"),
}


def choice_label(key: str, value: str) -> str:
    """The label a list shows for one of a setting's stored words."""
    known = CHOICE_LABELS.get((key, value))
    if known is None:
        return value or "—"
    return QCoreApplication.translate("SettingsPage", known)


def caption_of(key: str, f: dataclasses.Field[Any]) -> str:
    """A setting's label in the language of the screens."""
    if i18n.ui_language() == "en":
        return SETTING_LABELS_EN.get(key, key)
    return str(f.metadata.get("th", key))


def type_name(f: dataclasses.Field[Any]) -> str:
    return str(f.type).replace(" | None", "").replace("Optional[", "").rstrip("]").strip()


def is_optional(f: dataclasses.Field[Any]) -> bool:
    return "None" in str(f.type)


def group_of(key: str, f: dataclasses.Field[Any]) -> str:
    named = f.metadata.get("group")
    if isinstance(named, str) and named:
        return named
    for title, marks in GROUPS:
        for mark in marks:
            prefix = mark.endswith("_") and key.startswith(mark)
            if key == mark or prefix or (not mark.endswith("_") and mark in key):
                return title
    return OTHER_GROUP


def text_of(value: Any) -> str:
    """How a stored value is shown for editing (and compared, to find what changed)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class SettingField:
    """One setting's editor and its error line."""

    def __init__(self, key: str, f: dataclasses.Field[Any], page: SettingsPage) -> None:
        self.key = key
        self.field = f
        self.kind = type_name(f)
        self.error = label("", "error", wrap=True)
        self.error.setObjectName(f"error_{key}")
        self.error.setVisible(False)
        # Choices declared in the field's metadata, or in the settings module's table of them.
        from rayong_desktop.settings import SETTING_CHOICES

        choices = f.metadata.get("choices") or SETTING_CHOICES.get(key)
        self.editor: QWidget
        self.browse: QPushButton | None = None
        if choices:
            combo = QComboBox()
            for choice in choices:
                if isinstance(choice, tuple | list):
                    value, shown = choice[0], str(choice[1]) or "—"
                else:
                    value, shown = choice, choice_label(key, text_of(choice))
                combo.addItem(shown, text_of(value))
            self.editor = combo
        elif self.kind == "bool":
            self.editor = QCheckBox()
        elif self.kind == "date":
            edit = QDateEdit()
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            self.editor = edit
        else:
            line = QLineEdit()
            if self.kind in ("int", "float"):
                line.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                line.setMaximumWidth(220)
            line.returnPressed.connect(page.save)
            self.editor = line
            if key.endswith("_dir") or "folder" in key:
                self.browse = QPushButton(QCoreApplication.translate("SettingsPage", "เลือก…"))
                self.browse.clicked.connect(lambda: page.browse(self))
        self.editor.setObjectName(f"setting_{key}")
        self.hint = label("", "hint")
        self.loaded = ""

    def widget(self) -> QWidget:
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        row = QHBoxLayout()
        row.addWidget(self.editor, 1 if self.kind not in ("int", "float") else 0)
        if self.browse is not None:
            row.addWidget(self.browse)
        row.addWidget(self.hint)
        if self.kind in ("int", "float", "date", "bool"):
            row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.error)
        return holder

    def set_value(self, value: Any) -> None:
        self.loaded = text_of(value)
        e = self.editor
        if isinstance(e, QComboBox):
            e.setCurrentIndex(max(0, e.findData(self.loaded)))
        elif isinstance(e, QCheckBox):
            e.setChecked(bool(value))
        elif isinstance(e, QDateEdit):
            if isinstance(value, date):
                e.setDate(QDate(value.year, value.month, value.day))
                self.hint.setText(short_date(value))
        elif isinstance(e, QLineEdit):
            e.setText(self.loaded)
        self.show_error("")

    def text(self) -> str:
        e = self.editor
        if isinstance(e, QComboBox):
            return str(e.currentData())
        if isinstance(e, QCheckBox):
            return "true" if e.isChecked() else "false"
        if isinstance(e, QDateEdit):
            return as_date(e.date()).isoformat()
        assert isinstance(e, QLineEdit)
        return e.text()

    def changed(self) -> bool:
        return self.text().strip() != self.loaded.strip()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))


class SettingsPage(Page):
    watches = (SETTINGS,)
    follows_week = False

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__(ctx)
        self.fields: dict[str, SettingField] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 14, 18, 10)
        outer.setSpacing(8)
        head = QHBoxLayout()
        head.addWidget(label(self.tr("ตั้งค่า"), "title"))
        head.addStretch(1)
        self.status = label("", "hint")
        self.status.setObjectName("settingsStatus")
        head.addWidget(self.status)
        self.save_button = QPushButton(self.tr("บันทึกการตั้งค่า (Ctrl+S)"))
        self.save_button.setObjectName("saveSettings")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("คืนค่าที่บันทึกไว้"))
        self.revert_button.clicked.connect(self.reload)
        head.addWidget(self.revert_button)
        head.addWidget(self.save_button)
        outer.addLayout(head)
        # The language is a choice of this PC (menu ภาษา / Language), not a setting of the data.
        self.language_hint = label(
            self.tr(
                "ภาษาของหน้าจอเลือกได้ที่เมนู ภาษา / Language "
                "และจะเปลี่ยนเมื่อเปิดโปรแกรมครั้งถัดไป (ต้องปิดแล้วเปิดโปรแกรมใหม่)"
            ),
            "hint",
            wrap=True,
        )
        self.language_hint.setObjectName("languageHint")
        outer.addWidget(self.language_hint)
        save_action = QAction(self.tr("บันทึกการตั้งค่า"), self)
        save_action.setShortcut(QKeySequence.StandardKey.Save)
        save_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_action.triggered.connect(self.save)
        self.addAction(save_action)

        body = QWidget()
        columns = QHBoxLayout(body)
        columns.setSpacing(14)
        left, right = QVBoxLayout(), QVBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        self._columns, self._left, self._right = columns, left, right
        self._cards: list[Card] = []
        grouped: dict[str, list[str]] = {}
        for key, f in SETTING_FIELDS.items():
            grouped.setdefault(group_of(key, f), []).append(key)
        order = [g for g, _ in GROUPS if g in grouped] + [
            g for g in grouped if g not in {t for t, _ in GROUPS}
        ]
        for n, group in enumerate(order):
            card = Card()
            form = QFormLayout(card)
            form.setContentsMargins(14, 10, 14, 12)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.addRow(label(self.tr(group), "section"))
            for key in grouped[group]:
                f = SETTING_FIELDS[key]
                field = SettingField(key, f, self)
                self.fields[key] = field
                caption = self._caption(caption_of(key, f))
                caption.setToolTip(key)
                form.addRow(caption, field.widget())
            if group == FOLDERS_GROUP:
                self._data_folder_rows(form)
            (left if n % 2 == 0 else right).addWidget(card)
            self._cards.append(card)
        left.addStretch(1)
        right.addStretch(1)
        self._two_columns = True
        scroll = QScrollArea()
        scroll.setObjectName("settingsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.viewport().installEventFilter(self)
        self._scroll = scroll
        outer.addWidget(scroll, 1)
        if ctx.read_only:
            self.save_button.setEnabled(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self._scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._arrange()
        return super().eventFilter(watched, event)

    def _arrange(self) -> None:
        """Two columns of cards where they fit side by side, else one: on a 1280-pixel screen
        the cards' captions and fields need more than half of what is left beside the menu."""
        margins = self._columns.contentsMargins()
        room = self._scroll.viewport().width() - margins.left() - margins.right()
        widths = [card.minimumSizeHint().width() for card in self._cards]
        need = max(widths[0::2], default=0) + self._columns.spacing() + max(widths[1::2], default=0)
        two = room >= need
        if two == self._two_columns:
            return
        self._two_columns = two
        for card in self._cards:
            self._left.removeWidget(card)
            self._right.removeWidget(card)
        for n, card in enumerate(self._cards):
            column = self._right if two and n % 2 else self._left
            column.insertWidget(column.count() - 1, card)  # before the column's stretch
        self._columns.setStretch(1, 1 if two else 0)  # one column takes the whole width

    @staticmethod
    def _caption(text: str) -> QLabel:
        # A fixed width lets a long Thai caption wrap onto lines of its own height, instead of
        # being squeezed by its field and losing the vowels above and below the line.
        caption = label(text, wrap=True)
        caption.setFixedWidth(250)
        return caption

    def _data_folder_rows(self, form: QFormLayout) -> None:
        db_path = self.ctx.db.path
        shown = QLineEdit(self.ctx.db.describe())
        shown.setReadOnly(True)
        shown.setObjectName("dataFile")
        open_button = QPushButton(self.tr("เปิดโฟลเดอร์"))
        open_button.setEnabled(db_path is not None)
        if db_path is not None:
            folder = str(db_path.parent)
            open_button.clicked.connect(
                lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(folder))
            )
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(shown, 1)
        layout.addWidget(open_button)
        form.addRow(self._caption(self.tr("ไฟล์ฐานข้อมูล (โฟลเดอร์ข้อมูล)")), row)
        form.addRow(
            "",
            label(
                self.tr("เปลี่ยนโฟลเดอร์ข้อมูลได้ด้วย --db หรือตัวแปร RAYONG_HOME / RAYONG_DB ตอนเปิดโปรแกรม")
                + f" ({paths.data_dir()})",
                "hint",
                wrap=True,
            ),
        )
        self.backup_hint = label("", "hint", wrap=True)
        form.addRow(self._caption(self.tr("สำเนาสำรองเก็บที่")), self.backup_hint)
        # Which database this PC opens: its own file, or a shared PostgreSQL server.
        self.server_url = QLineEdit(paths.read_local_config().get("db_url", ""))
        self.server_url.setObjectName("serverUrl")
        self.server_url.setPlaceholderText(self.tr("postgresql://ผู้ใช้:รหัสผ่าน@เครื่องแม่ข่าย/ชื่อฐานข้อมูล"))
        save_server = QPushButton(self.tr("บันทึก"))
        save_server.clicked.connect(self.save_server_url)
        server_row = QWidget()
        server_layout = QHBoxLayout(server_row)
        server_layout.setContentsMargins(0, 0, 0, 0)
        server_layout.addWidget(self.server_url, 1)
        server_layout.addWidget(save_server)
        form.addRow(self._caption(self.tr("ฐานข้อมูลบนเครื่องแม่ข่าย (ใช้ร่วมกันหลายคน)")), server_row)
        self.server_hint = label(
            self.tr("เว้นว่าง = ใช้ไฟล์ในเครื่องนี้ · มีผลเมื่อเปิดโปรแกรมครั้งถัดไป"), "hint", wrap=True
        )
        form.addRow("", self.server_hint)

    def save_server_url(self) -> None:
        from rayong_desktop.services.database import is_server_url

        text = self.server_url.text().strip()
        if text and not is_server_url(text):
            self.server_hint.setText(
                self.tr("ต้องขึ้นต้นด้วย postgresql:// (เช่น postgresql://desk:รหัส@server/rayong)")
            )
            self.server_hint.setStyleSheet("color:#b3261e;")
            return
        paths.write_local_config(db_url=text)
        self.server_hint.setStyleSheet("")
        self.server_hint.setText(
            self.tr("บันทึกแล้ว มีผลเมื่อเปิดโปรแกรมครั้งถัดไป")
            if text
            else self.tr("บันทึกแล้ว: ครั้งหน้าจะใช้ไฟล์ในเครื่องนี้")
        )

    def focus_target(self) -> QWidget | None:
        first = next(iter(self.fields.values()), None)
        return None if first is None else first.editor

    def fetch(self) -> AppSettings:
        return settings_service.get_settings(self.ctx.db)

    def apply(self, data: AppSettings) -> None:
        for key, field in self.fields.items():
            field.set_value(getattr(data, key))
        if hasattr(self, "backup_hint"):
            path = self.ctx.db.path
            self.backup_hint.setText(
                str(maintenance.backup_folder(path))
                if path is not None
                else self.tr("ฐานข้อมูลบนเครื่องแม่ข่ายสำรองโดยผู้ดูแลระบบ")
            )
        self.status.setText("")

    def browse(self, field: SettingField) -> None:
        chosen = prompts.choose_folder(
            self, self.tr("เลือกโฟลเดอร์"), field.text() or str(paths.data_dir())
        )
        if chosen and isinstance(field.editor, QLineEdit):
            field.editor.setText(chosen)

    def save(self) -> None:
        if self.ctx.read_only:
            return
        changed = [f for f in self.fields.values() if f.changed()]
        if not changed:
            self.status.setText(self.tr("ไม่มีการเปลี่ยนแปลง"))
            return
        db = self.ctx.db
        results: dict[str, str] = {}
        remaining = [len(changed)]

        def finish() -> None:
            remaining[0] -= 1
            if remaining[0]:
                return
            saved = sum(1 for v in results.values() if not v)
            refused = len(results) - saved
            text = self.tr("บันทึกแล้ว") + f" {saved} " + self.tr("รายการ")
            if refused:
                text += (
                    " · " + self.tr("ไม่ได้บันทึก") + f" {refused} " + self.tr("รายการ (ดูข้อความสีแดง)")
                )
            self.status.setText(text)

        for field in changed:
            key, text = field.key, field.text()

            def done(settings: AppSettings, field: SettingField = field) -> None:
                field.set_value(getattr(settings, field.key))
                results[field.key] = ""
                finish()

            def failed(exc: BaseException, field: SettingField = field) -> None:
                message = i18n.in_ui_language(exc) if isinstance(exc, RefusedError) else str(exc)
                field.show_error(message)
                results[field.key] = message
                finish()

            self.ctx.writes.submit(
                partial(settings_service.update_setting, db, key, text),
                done,
                failed,
                origin=self,  # the fields show what was stored; other screens reload
            )
