"""Looking after the database file and the window: backup, restore from a backup, and
closing (nothing typed is lost; the home figures are kept for the next start; a last backup).

All of it runs on the desk's writes queue, after the figures typed before it: the window stays
responsive and shows that it is working (the status bar's moving bar and text; a restore, which
swaps the database under every screen, a progress dialog that holds the window meanwhile).
Closing waits for the queue to drain, never with a write in flight, and a database that is gone
only means the last backup is not made: the window still closes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QProgressDialog

from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.ui import i18n, prompts
from rayong_desktop.ui.geometry import keep_on_screen
from rayong_desktop.ui.state import ui_settings
from rayong_desktop.ui.window.opening import OpeningPart
from rayong_desktop.ui.window.screens import SCREENS

if TYPE_CHECKING:
    from rayong_desktop.services.database import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Restored:
    db: Database  # the database the window works on from now (restored, or reopened as it was)
    safety_copy: str = ""  # where the replaced file was kept
    refusal: str = ""  # why the restore was refused; the file is as it was


class MaintenancePart(OpeningPart):
    _closing = False  # the window is on its way to closing (waiting for the queue)
    _close_ready = False  # everything is stored: the next close event closes

    # ---------------------------------------------------------------- backup, restore

    def backup_now(self) -> None:
        from rayong_desktop.services import maintenance

        path = self.ctx.db.file
        self.backup_action.setEnabled(False)
        self.statusBar().showMessage(self.tr("กำลังสำรองข้อมูล…"))

        def done(made: Path) -> None:
            self.backup_action.setEnabled(True)
            self.statusBar().showMessage(self.tr("สำรองข้อมูลแล้ว: {0}").format(made), 10000)

        def failed(exc: BaseException) -> None:
            self.backup_action.setEnabled(True)
            self.statusBar().clearMessage()
            prompts.warn(self, self.tr("สำรองข้อมูล"), i18n.error_text(exc))

        # After the figures typed before it: the copy holds them.
        self.ctx.writes.submit(lambda: maintenance.make_backup(path, "manual").path, done, failed)

    def restore_from_file(self) -> None:
        from rayong_desktop.services import maintenance

        if not self.ctx.db.is_sqlite:
            return
        chosen = prompts.choose_backup_file(self, maintenance.backup_folder(self.ctx.db.file))
        if chosen is None:
            return
        question = self.tr("กู้คืนฐานข้อมูลจากไฟล์ {0} หรือไม่?\nข้อมูลปัจจุบันจะถูกสำรองเก็บไว้ก่อน").format(
            chosen.name
        )
        if not prompts.ask_yes_no(self, self.tr("กู้คืนข้อมูล"), question):
            return
        # The window is held (and no screen loads) while the file under it is replaced.
        self.restore_progress = QProgressDialog(self.tr("กำลังกู้คืนข้อมูล…"), "", 0, 0, self)
        self.restore_progress.setCancelButton(None)  # a file half replaced cannot be left
        self.restore_progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.restore_progress.setMinimumDuration(0)
        self.restore_progress.show()
        old = self.ctx.detach()
        lock_held = self.lock is not None

        def swap() -> _Restored:
            from rayong_desktop.services.startup import open_database, open_read_only

            path = old.file
            old.dispose()
            try:
                result = maintenance.restore(path, chosen, lock_held=lock_held)
            except RefusedError as exc:
                try:
                    return _Restored(open_database(path), refusal=i18n.in_ui_language(exc))
                except RefusedError:
                    return _Restored(open_read_only(path), refusal=i18n.in_ui_language(exc))
            return _Restored(open_database(path), safety_copy=str(result.safety_copy or ""))

        def done(restored: _Restored) -> None:
            self.restore_progress.close()
            self.ctx.db = restored.db
            self.refresh()
            if restored.refusal:
                prompts.warn(self, self.tr("กู้คืนข้อมูล"), restored.refusal)
                return
            text = self.tr("กู้คืนจาก {0} เรียบร้อยแล้ว").format(chosen.name)
            if restored.safety_copy:
                text += "\n" + self.tr("ข้อมูลเดิมเก็บไว้ที่ {0}").format(restored.safety_copy)
            prompts.inform(self, self.tr("กู้คืนข้อมูล"), text)

        def failed(exc: BaseException) -> None:  # not even reopened: say so, keep what is shown
            self.restore_progress.close()
            prompts.warn(self, self.tr("กู้คืนข้อมูล"), i18n.error_text(exc))

        # Once the reads under way have finished with the old file; after every write before.
        def start() -> None:
            self.ctx.writes.submit(swap, done, failed)

        self.ctx.reads.drain(start)

    def refresh(self) -> None:
        """Everything on show comes from the database again (after a restore swapped it)."""
        self._show_state()
        self._show_db_path()
        self.ctx.everything_changed()

    # ---------------------------------------------------------------- window state, close

    def _restore_state(self) -> None:
        store = ui_settings()
        geometry = store.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
            # Remembered on a bigger monitor: it comes back inside this one.
            keep_on_screen(self)
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
        """Closing takes steps on the writes queue; the window closes once they are done."""
        if self._close_ready:
            self._clock_timer.stop()
            self._others_timer.stop()  # a closed desk looks for nobody's changes
            for page in self.pages.values():
                timer = getattr(page, "timer", None)
                if timer is not None:
                    timer.stop()
            self.ctx.shutdown()
            super().closeEvent(event)
            return
        event.ignore()
        if self._closing:
            return  # already on its way
        self._closing = True
        keying = self.built_keying()
        if keying is not None:
            keying.commit_open_editor()
        self.statusBar().showMessage(self.tr("กำลังบันทึกก่อนปิด…"))
        # Every figure typed is on the writes queue: let it reach the disk before closing.
        self.ctx.writes.drain(self._close_when_stored)

    def _close_when_stored(self) -> None:
        keying = self.built_keying()
        if keying is None or self.ctx.read_only:
            self._close_keeping()
            return
        waiting = keying.unsettled()
        if not waiting:
            self._close_keeping()
            return
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
            self.ctx.writes.drain(self._close_when_confirmed)
        elif choice == 2:
            self._close_keeping()
        else:
            self._stay_open()

    def _close_when_confirmed(self) -> None:
        keying = self.built_keying()
        if keying is not None and keying.unsettled():
            self._stay_open()
        else:
            self._close_keeping()

    def _stay_open(self) -> None:
        self._closing = False
        self.statusBar().clearMessage()
        self.show_screen("keying")

    def _close_keeping(self) -> None:
        """The home figures kept for the next start (a cache: failing loses nothing), then the
        exit backup, on the writes queue; the window closes whatever they come to."""
        self.save_state()
        if not (self.ctx.ready and not self.ctx.db.read_only and self.ctx.db.is_sqlite):
            self._close_now()
            return
        from rayong_desktop.services import home_snapshot, maintenance

        db, now = self.ctx.db, self.ctx.now()

        def keep() -> str:
            try:
                home_snapshot.capture(db, now)
            except Exception as exc:
                log.warning("home figures not kept for the next start: %s", exc)
            try:
                maintenance.make_backup(db.file, "exit")
            except RefusedError as exc:
                return i18n.in_ui_language(exc)
            except Exception:  # the database is gone: the window closes all the same
                log.exception("no exit backup")
            return ""

        def kept(refusal: str) -> None:
            if refusal:
                prompts.warn(self, self.tr("สำรองข้อมูล"), refusal)
            self._close_now()

        self.statusBar().showMessage(self.tr("กำลังสำรองข้อมูลก่อนปิด…"))
        self.ctx.writes.submit(keep, kept, lambda _exc: self._close_now())

    def _close_now(self) -> None:
        self._close_ready = True
        # Not from inside the close event being handled (Qt ignores a close within a close).
        QTimer.singleShot(0, self.close)
