"""The menus: File (print, Excel, backup, restore, quit), Edit (undo, redo, confirm), the
screens and weeks, the language and Help; and the dialogs the File menu opens."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from rayong_desktop.ui import i18n, prompts
from rayong_desktop.ui.window.maintenance import MaintenancePart
from rayong_desktop.ui.window.screens import SCREENS


def mnemonic(text: str, letter: str) -> str:
    """`text` with an Alt-letter mnemonic: a letter of a Latin word is underlined ("&File");
    Thai text gets the letter in brackets ("แฟ้ม (&F)"), as Windows does for Asian scripts.
    A shortcut after a tab stays after it; text that has a mnemonic already keeps it."""
    label, tab, keys = text.partition("\t")
    if "&" in label:
        return text
    at = label.lower().find(letter.lower())
    if at >= 0 and not any("\u0e00" <= ch <= "\u0e7f" for ch in label):
        marked = label[:at] + "&" + label[at:]
    else:
        marked = f"{label} (&{letter})"
    return marked + tab + keys


class MenusPart(MaintenancePart):
    def _build_menus(self) -> None:
        """Every entry has an Alt-letter mnemonic (Thai menus carry it in brackets, English ones
        underline a letter of the word) and the File entries used weekly have shortcuts; F10
        opens the menu bar. `_show_keys` lists every shortcut."""
        menu = self.menuBar()
        file_menu = menu.addMenu(mnemonic(self.tr("แฟ้ม"), "F"))
        # The print entries are named by what they make; each opens the print dialog on it.
        self.print_actions = {}
        for kind, text, letter, shortcut in (
            ("summary", self.tr("พิมพ์สรุปผลรายสัปดาห์…"), "P", "Ctrl+P"),
            ("letter", self.tr("พิมพ์หนังสือรายงานผู้ว่าราชการจังหวัด…"), "L", None),
            ("reminder", self.tr("พิมพ์หนังสือขอให้หน่วยที่ยังไม่รายงานรายงาน…"), "R", None),
            ("memo", self.tr("พิมพ์บันทึกข้อความแจ้งหน่วยที่ยังไม่รายงาน…"), "M", None),
            ("form", self.tr("พิมพ์แบบรายงานสำหรับหน่วย…"), "O", None),
            ("poster", self.tr("พิมพ์โปสเตอร์ QR Code เพิ่มเพื่อน…"), "Q", None),
        ):
            action = self._action(mnemonic(text, letter), partial(self._open_print, kind), shortcut)
            self.print_actions[kind] = action
            file_menu.addAction(action)
        self.print_action = self.print_actions["summary"]
        file_menu.addSeparator()
        self.export_action = self._action(
            mnemonic(self.tr("ส่งออกสมุดงาน Excel…"), "E"), self._export_workbook, "Ctrl+E"
        )
        self.import_forms_action = self._action(
            mnemonic(self.tr("นำเข้าแบบรายงานจาก Excel…"), "I"), self._import_forms, "Ctrl+I"
        )
        self.import_units_action = self._action(
            mnemonic(self.tr("นำเข้าทะเบียนหน่วยจาก Excel…"), "U"),
            self._import_units,
            "Ctrl+Shift+I",
        )
        self.backup_action = self._action(
            mnemonic(self.tr("สำรองข้อมูลเดี๋ยวนี้"), "B"), self.backup_now, "Ctrl+B"
        )
        self.restore_action = self._action(
            mnemonic(self.tr("กู้คืนจากไฟล์สำรอง…"), "S"), self.restore_from_file, "Ctrl+Shift+R"
        )
        quit_action = self._action(mnemonic(self.tr("ออกจากโปรแกรม"), "X"), self.close)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        for a in (self.export_action, self.import_forms_action, self.import_units_action):
            file_menu.addAction(a)
        file_menu.addSeparator()
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.restore_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        edit_menu = menu.addMenu(mnemonic(self.tr("แก้ไข"), "E"))
        self.undo_action = self._action(mnemonic(self.tr("เลิกทำการบันทึกล่าสุด"), "U"), self.undo)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self._action(mnemonic(self.tr("ทำซ้ำ"), "R"), self.redo)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        confirm = self._action(mnemonic(self.tr("ยืนยันตัวเลขที่รอยืนยัน\tF9"), "C"), self._confirm)
        edit_menu.addAction(confirm)

        view_menu = menu.addMenu(mnemonic(self.tr("หน้าจอ"), "V"))
        labels = self._screen_labels()
        self.screen_actions: dict[str, QAction] = {}
        for i, name in enumerate(SCREENS):
            action = self._action(
                mnemonic(labels[name], str(i + 1)), partial(self.show_screen, name), f"Ctrl+{i + 1}"
            )
            self.screen_actions[name] = action
            view_menu.addAction(action)
        view_menu.addSeparator()
        for a, letter in (
            (self.prev_week_action, "P"),
            (self.next_week_action, "N"),
            (self.today_action, "T"),
            (self.choose_week_action, "W"),
        ):
            item = QAction(mnemonic(a.text(), letter), self)
            item.setShortcut(a.shortcut())
            item.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # the bar's action has it
            item.triggered.connect(a.trigger)
            a.changed.connect(lambda a=a, item=item: item.setEnabled(a.isEnabled()))
            item.setEnabled(a.isEnabled())
            view_menu.addAction(item)
            self.addAction(a)

        lang_menu = menu.addMenu(mnemonic(self.tr("ภาษา / Language"), "L"))
        group = QActionGroup(self)
        current = i18n.chosen_language()
        for code, text, letter in (
            ("th", "ไทย", "T"),
            ("en", "English", "E"),
            ("system", self.tr("ตามระบบ (System)"), "S"),
        ):
            action = QAction(mnemonic(text, letter), self, checkable=True)
            action.setChecked(code == current)
            action.triggered.connect(lambda _=False, c=code: self._set_language(c))
            group.addAction(action)
            lang_menu.addAction(action)

        help_menu = menu.addMenu(mnemonic(self.tr("ช่วยเหลือ"), "H"))
        help_menu.addAction(self._action(mnemonic(self.tr("แป้นลัด"), "K"), self._show_keys, "F1"))
        self.log_folder_action = self._action(
            mnemonic(self.tr("เปิดโฟลเดอร์บันทึกการทำงาน"), "O"), self._open_log_folder
        )
        help_menu.addAction(self.log_folder_action)
        # F10 opens the menu bar on its first menu, as on Windows; arrows and letters go on.
        self.menu_key_action = self._action("F10", self._open_menu_bar, "F10")

    def _open_menu_bar(self) -> None:
        bar = self.menuBar()
        first = next((a for a in bar.actions() if a.isVisible() and a.isEnabled()), None)
        if first is not None:
            bar.setFocus(Qt.FocusReason.ShortcutFocusReason)
            bar.setActiveAction(first)

    def _action(self, text: str, slot: Callable[[], Any], shortcut: str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    # ---------------------------------------------------------------- Edit menu

    def undo(self) -> None:
        self.keying().undo()

    def redo(self) -> None:
        self.keying().redo()

    def _confirm(self) -> None:
        if self.show_screen("keying") is not None:
            self.keying().confirm_current()

    def _undo_changed(self) -> None:
        keying = self.built_keying()
        if keying is None:
            return
        self.undo_action.setEnabled(keying.can_undo())
        self.redo_action.setEnabled(keying.can_redo())

    # ---------------------------------------------------------------- File menu's dialogs
    # Imported when chosen: PDF rendering, printing and Excel stay out of the desk's start-up.
    # Each works on the desk's context: its queues, which announce what an import or a letter
    # number changed (a cancelled or refused import changed nothing and announces nothing).

    def _open_print(self, kind: str = "summary") -> None:
        from rayong_desktop.ui.print_dialog import open_print_dialog

        open_print_dialog(self, self.ctx, kind=kind)

    def _export_workbook(self) -> None:
        from rayong_desktop.ui.excel_dialogs import export_workbook_dialog

        export_workbook_dialog(self, self.ctx)

    def _import_forms(self) -> None:
        from rayong_desktop.ui.excel_dialogs import import_forms_dialog

        import_forms_dialog(self, self.ctx)

    def _import_units(self) -> None:
        from rayong_desktop.ui.excel_dialogs import import_units_dialog

        import_units_dialog(self, self.ctx)

    def _first_run_step(self, step: str) -> None:
        """The first-run checklist's steps open where each is done."""
        if step == "local_administrations":
            self._import_units()
            return
        screen = {"office": "settings", "contacts": "registry", "reports": "keying"}.get(step)
        if screen is not None:
            self.show_screen(screen)

    # ---------------------------------------------------------------- language, help

    def _set_language(self, code: str) -> None:
        i18n.choose_language(code)
        prompts.inform(
            self,
            self.tr("ภาษา / Language"),
            self.tr("จะใช้ภาษาที่เลือกเมื่อเปิดโปรแกรมครั้งถัดไป")
            + "\nThe chosen language applies the next time the desk opens.",
        )

    def _open_log_folder(self) -> None:
        from rayong_desktop.ui.crash import open_log_folder

        open_log_folder()

    def _show_keys(self) -> None:
        prompts.inform(
            self,
            self.tr("แป้นลัด"),
            "\n".join(
                (
                    "Ctrl+1 … Ctrl+8  " + self.tr("ไปหน้าจอต่าง ๆ"),
                    "Alt+← / Alt+→  " + self.tr("สัปดาห์ก่อน / ถัดไป"),
                    "Alt+Home  " + self.tr("สัปดาห์ปัจจุบัน"),
                    "Ctrl+G  " + self.tr("เลือกสัปดาห์"),
                    "Enter / Tab / ↑ ↓  " + self.tr("บันทึกตัวเลขและไปหน่วยถัดไป"),
                    "F9  " + self.tr("ยืนยันตัวเลขที่รอยืนยัน หรือใช้ตัวเลขของท่านเมื่อมีผู้อื่นแก้"),
                    "Esc / Delete  " + self.tr("ยกเลิกตัวเลขที่พิมพ์ไว้แต่ยังไม่บันทึก"),
                    "Ctrl+Z / Ctrl+Y, Ctrl+Shift+Z  " + self.tr("เลิกทำ / ทำซ้ำ"),
                    "Ctrl+F  " + self.tr("ค้นหาหน่วย"),
                    "Ctrl+P  " + self.tr("พิมพ์สรุปรายงาน"),
                    "Ctrl+E  " + self.tr("ส่งออกสมุดงาน Excel"),
                    "Ctrl+I  " + self.tr("นำเข้าแบบรายงานจาก Excel"),
                    "Ctrl+Shift+I  " + self.tr("นำเข้าทะเบียนหน่วยจาก Excel"),
                    "Ctrl+B  " + self.tr("สำรองข้อมูลเดี๋ยวนี้"),
                    "Ctrl+Shift+R  " + self.tr("กู้คืนจากไฟล์สำรอง"),
                    "Ctrl+N / Insert  " + self.tr("เพิ่มหน่วย (หน้าทะเบียนหน่วย)"),
                    "Enter / F2, Delete  " + self.tr("แก้ไข / เลิกใช้หน่วยที่เลือก (ทะเบียนหน่วย)"),
                    "Ctrl+H  " + self.tr("ประวัติหน่วย (ทะเบียนหน่วย)"),
                    "Ctrl+S  " + self.tr("บันทึกการตั้งค่า (หน้าตั้งค่า)"),
                    "Ctrl+Q  " + self.tr("ออกจากโปรแกรม"),
                    "F1  " + self.tr("รายการแป้นลัดนี้"),
                    "F10 / Alt  " + self.tr("เปิดเมนู แล้วใช้ลูกศรหรือตัวอักษรที่ขีดเส้นใต้"),
                )
            ),
        )
