"""Looking after the database file and the window: backup, restore from a backup, and
closing (nothing typed is lost; the home figures are kept for the next start; a last backup)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QCloseEvent

from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.ui import prompts
from rayong_desktop.ui.context import NOTES, OA, REGISTRY, REPORTS, SETTINGS
from rayong_desktop.ui.state import ui_settings
from rayong_desktop.ui.window.opening import OpeningPart
from rayong_desktop.ui.window.screens import SCREENS


class MaintenancePart(OpeningPart):
    # ---------------------------------------------------------------- backup, restore

    def backup_now(self) -> None:
        from rayong_desktop.services import maintenance

        try:
            made = maintenance.make_backup(self.ctx.db.file, "manual")
        except RefusedError as exc:
            prompts.warn(self, "สำรองข้อมูล", exc.th)
            return
        self.statusBar().showMessage(f"สำรองข้อมูลแล้ว: {made.path}", 10000)

    def restore_from_file(self) -> None:
        from rayong_desktop.services import maintenance
        from rayong_desktop.services.startup import open_database, open_read_only

        if not self.ctx.db.is_sqlite:
            return
        chosen = prompts.choose_backup_file(self, maintenance.backup_folder(self.ctx.db.file))
        if chosen is None:
            return
        question = f"กู้คืนฐานข้อมูลจากไฟล์ {chosen.name} หรือไม่?\nข้อมูลปัจจุบันจะถูกสำรองเก็บไว้ก่อน"
        if not prompts.ask_yes_no(self, "กู้คืนข้อมูล", question):
            return
        self.ctx.writes.wait_idle()
        self.ctx.reads.wait_idle()
        path = self.ctx.db.file
        self.ctx.db.dispose()
        try:
            result = maintenance.restore(path, chosen, lock_held=self.lock is not None)
            self.ctx.db = open_database(path)
        except RefusedError as exc:
            prompts.warn(self, "กู้คืนข้อมูล", exc.th)
            try:
                self.ctx.db = open_database(path)
            except RefusedError:
                self.ctx.db = open_read_only(path)
            self.refresh()
            return
        self.refresh()
        saved = f"\nข้อมูลเดิมเก็บไว้ที่ {result.safety_copy}" if result.safety_copy else ""
        prompts.inform(self, "กู้คืนข้อมูล", f"กู้คืนจาก {chosen.name} เรียบร้อยแล้ว{saved}")

    def refresh(self) -> None:
        """Everything on show comes from the database again (after a restore)."""
        self._show_state()
        self._show_db_path()
        for kind in (REPORTS, REGISTRY, OA, SETTINGS, NOTES):
            self.ctx.changed(kind)

    # ---------------------------------------------------------------- window state, close

    def _restore_state(self) -> None:
        store = ui_settings()
        geometry = store.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        state = store.value("window/state")
        if isinstance(state, QByteArray | bytes):
            self.restoreState(QByteArray(state))
        last = store.value("window/screen", "home")
        self.show_screen(last if last in SCREENS else "home")

    def save_state(self) -> None:
        store = ui_settings()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/state", self.saveState())
        store.setValue("window/screen", self.current_screen())
        store.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        keying = self.built_keying()
        if keying is not None:
            keying.commit_open_editor()
        # Every figure typed is on the writes queue: let it reach the disk before closing.
        self.ctx.writes.wait_idle()
        if keying is not None and not self.ctx.read_only:
            waiting = keying.unsettled()
            if waiting:
                codes = ", ".join(f"{r.code} ({r.draft})" for r in waiting[:8])
                choice = prompts.ask_choice(
                    self,
                    self.tr("ยังมีตัวเลขที่ยังไม่ได้บันทึก"),
                    self.tr("ตัวเลขต่อไปนี้พิมพ์ไว้แต่ยังไม่ได้บันทึก (รอยืนยัน ถูกปฏิเสธ หรือมีผู้อื่นแก้):")
                    + f"\n{codes}"
                    + ("…" if len(waiting) > 8 else ""),
                    [
                        self.tr("ยืนยันและบันทึกทั้งหมดที่รอยืนยัน"),
                        self.tr("กลับไปตรวจ"),
                        self.tr("ปิดโดยไม่บันทึกตัวเลขเหล่านี้"),
                    ],
                    default=1,
                )
                if choice == 0:
                    keying.confirm_all()
                    self.ctx.writes.wait_idle()
                    if keying.unsettled():
                        event.ignore()
                        self.show_screen("keying")
                        return
                elif choice != 2:
                    event.ignore()
                    self.show_screen("keying")
                    return
        self.save_state()
        if self.ctx.ready and not self.ctx.db.read_only and self.ctx.db.is_sqlite:
            from rayong_desktop.services import home_snapshot, maintenance

            self.ctx.reads.wait_idle()
            try:  # the next start shows these figures at once (a cache: failing loses nothing)
                home_snapshot.capture(self.ctx.db, self.ctx.now())
            except Exception as exc:
                sys.stderr.write(f"home figures not kept for the next start: {exc}\n")
            try:
                maintenance.make_backup(self.ctx.db.file, "exit")
            except RefusedError as exc:
                prompts.warn(self, "สำรองข้อมูล", exc.th)
        self._clock_timer.stop()
        for page in self.pages.values():
            timer = getattr(page, "timer", None)
            if timer is not None:
                timer.stop()
        self.ctx.shutdown()
        super().closeEvent(event)
