"""The menus: File (print, Excel, backup, restore, quit), Edit (undo, redo, confirm), the
screens and weeks, the language and Help; and the dialogs the File menu opens."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from rayong_desktop.ui import i18n, prompts
from rayong_desktop.ui.window.maintenance import MaintenancePart
from rayong_desktop.ui.window.screens import SCREENS


class MenusPart(MaintenancePart):
    def _build_menus(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu(self.tr("แฟ้ม"))
        self.print_action = self._action(self.tr("พิมพ์สรุปรายงาน…"), self._open_print, "Ctrl+P")
        self.export_action = self._action(self.tr("ส่งออกสมุดงาน Excel…"), self._export_workbook)
        self.import_forms_action = self._action(
            self.tr("นำเข้าแบบรายงานจาก Excel…"), self._import_forms
        )
        self.import_units_action = self._action(
            self.tr("นำเข้าทะเบียนหน่วยจาก Excel…"), self._import_units
        )
        self.backup_action = self._action(self.tr("สำรองข้อมูลเดี๋ยวนี้"), self.backup_now)
        self.restore_action = self._action(self.tr("กู้คืนจากไฟล์สำรอง…"), self.restore_from_file)
        quit_action = self._action(self.tr("ออกจากโปรแกรม"), self.close)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        for a in (self.print_action, self.export_action, self.import_forms_action):
            file_menu.addAction(a)
        file_menu.addAction(self.import_units_action)
        file_menu.addSeparator()
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.restore_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        edit_menu = menu.addMenu(self.tr("แก้ไข"))
        self.undo_action = self._action(self.tr("เลิกทำการบันทึกล่าสุด"), self.undo)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self._action(self.tr("ทำซ้ำ"), self.redo)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        confirm = self._action(self.tr("ยืนยันตัวเลขที่รอยืนยัน\tF9"), self._confirm)
        edit_menu.addAction(confirm)

        view_menu = menu.addMenu(self.tr("หน้าจอ"))
        labels = self._screen_labels()
        self.screen_actions: dict[str, QAction] = {}
        for i, name in enumerate(SCREENS):
            action = self._action(labels[name], partial(self.show_screen, name), f"Ctrl+{i + 1}")
            self.screen_actions[name] = action
            view_menu.addAction(action)
        view_menu.addSeparator()
        for a in (
            self.prev_week_action,
            self.next_week_action,
            self.today_action,
            self.choose_week_action,
        ):
            view_menu.addAction(a)
            self.addAction(a)

        lang_menu = menu.addMenu(self.tr("ภาษา / Language"))
        group = QActionGroup(self)
        current = i18n.chosen_language()
        for code, text in (
            ("th", "ไทย"),
            ("en", "English"),
            ("system", self.tr("ตามระบบ (System)")),
        ):
            action = QAction(text, self, checkable=True)
            action.setChecked(code == current)
            action.triggered.connect(lambda _=False, c=code: self._set_language(c))
            group.addAction(action)
            lang_menu.addAction(action)

        help_menu = menu.addMenu(self.tr("ช่วยเหลือ"))
        help_menu.addAction(self._action(self.tr("แป้นลัด"), self._show_keys, "F1"))
        self.log_folder_action = self._action(
            self.tr("เปิดโฟลเดอร์บันทึกการทำงาน"), self._open_log_folder
        )
        help_menu.addAction(self.log_folder_action)

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

    def _open_print(self) -> None:
        from rayong_desktop.ui.print_dialog import open_print_dialog

        open_print_dialog(self, self.ctx)

    def _export_workbook(self) -> None:
        from rayong_desktop.ui.excel_dialogs import export_workbook_dialog

        export_workbook_dialog(self, self.ctx)

    def _import_forms(self) -> None:
        from rayong_desktop.ui.excel_dialogs import import_forms_dialog

        import_forms_dialog(self, self.ctx)

    def _import_units(self) -> None:
        from rayong_desktop.ui.excel_dialogs import import_units_dialog

        import_units_dialog(self, self.ctx)

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
                    "Ctrl+Z / Ctrl+Y  " + self.tr("เลิกทำ / ทำซ้ำ"),
                    "Ctrl+F  " + self.tr("ค้นหาหน่วย"),
                    "Ctrl+P  " + self.tr("พิมพ์สรุปรายงาน"),
                )
            ),
        )
