"""Opening the database: the window can show the figures the desk kept from its last session
while the database opens behind them, then `attach` it; the banners say what was opened (the
demo, a read-only file, a failed backup)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from rayong_desktop.ui import i18n, prompts
from rayong_desktop.ui.window.base import TITLE
from rayong_desktop.ui.window.poll import PollPart
from rayong_desktop.ui.window.screens import SCREENS

if TYPE_CHECKING:  # loaded after the window shows when the desk kept its figures (see `attach`)
    from rayong_desktop.services.database import Database
    from rayong_desktop.services.desk import DeskCalendar

# A window that is not drawn (started minimised) opens its database after this anyway.
OPEN_AFTER_MS = 250


class OpeningPart(PollPart):
    def _database_actions(self) -> list[QAction]:
        # Other weeks too: the kept figures are this week's only.
        return [
            *self.print_actions.values(),
            self.export_action,
            self.import_forms_action,
            self.import_units_action,
            self.backup_action,
            self.restore_action,
            self.prev_week_action,
            self.next_week_action,
            self.today_action,
            self.choose_week_action,
        ]

    def _wait_for_database(self) -> None:
        """Until the database is open: the kept home figures, the other screens say so."""
        for action in self._database_actions():
            action.setEnabled(False)
        self.week_combo.setEnabled(False)
        for i, name in enumerate(SCREENS):
            if name == "home":
                continue
            note = QLabel(self.tr("กำลังตรวจและเปิดฐานข้อมูล…"))
            note.setObjectName("openingNote")
            note.setAlignment(Qt.AlignmentFlag.AlignCenter)
            holder = self.stack.widget(i)
            assert holder is not None
            layout = holder.layout()
            assert layout is not None
            layout.addWidget(note)
            self._opening_notes.append(note)

    def open_in_background(
        self,
        open_db: Callable[[], Database],
        recover: Callable[[BaseException], Database | None],
        *,
        prepare: Callable[[], None] | None = None,
    ) -> None:
        """Open the database off the GUI thread (the kept figures stay on show meanwhile),
        then `attach` it. A refusal goes to `recover` on the GUI thread: a database it returns
        (a restored or read-only one) is attached; None closes the desk with exit code 2.
        `prepare` runs on the GUI thread as the opening starts (the file's health check, in
        its own thread, so it overlaps what the writes queue does before `open_db`)."""

        def give_up(exc: BaseException) -> None:
            # Nothing usable: never leave the clerk on kept figures that say "opening".
            sys.stderr.write(f"cannot open the database: {exc!r}\n")
            prompts.warn(
                self,
                self.tr("เปิดฐานข้อมูลไม่ได้"),
                self.tr("เปิดฐานข้อมูล {0} ไม่ได้: {1}").format(self._target, i18n.error_text(exc)),
            )
            self.exit_code = 2
            self.close()

        clock = self.ctx.clock

        def open_and_read() -> tuple[Database, DeskCalendar | BaseException, bool]:
            """Open, then read what attaching needs, here off the GUI thread (on a server
            database each read is a round trip the window would wait for)."""
            db = open_db()
            from rayong_desktop.services import desk

            try:
                return db, desk.desk_calendar(db, now=clock()), is_demo(db)
            except Exception as exc:  # e.g. a damaged table: told on the GUI thread
                return db, exc, False

        def read_opened(result: tuple[Database, DeskCalendar | BaseException, bool]) -> None:
            db, weeks, demo = result
            if isinstance(weeks, BaseException):
                give_up(weeks)
                return
            opened(db, weeks, demo)

        def opened(
            db: Database, weeks: DeskCalendar | None = None, demo: bool | None = None
        ) -> None:
            try:
                self.attach(db, weeks, demo=demo)
            except Exception as exc:  # e.g. a damaged table read while attaching
                give_up(exc)

        def failed(exc: BaseException) -> None:
            try:
                db = recover(exc)
            except Exception as err:  # recovery itself failed (a restore refused, ...)
                give_up(err)
                return
            if db is None:  # closing the last window ends the desk, with status 2
                self.exit_code = 2
                self.close()
                return
            opened(db)

        def start() -> None:
            if self._pending_open is None:
                return
            self._pending_open = None
            if prepare is not None:
                prepare()
            # On the writes queue: anything written later waits for the database to be open.
            self.ctx.writes.submit(open_and_read, read_opened, failed)

        # Once the window has been drawn (the figures first, then the work behind them), or
        # shortly anyway when it is not drawn (started minimised).
        self._pending_open = start
        QTimer.singleShot(OPEN_AFTER_MS, start)

    def paintEvent(self, event: Any) -> None:  # noqa: N802
        super().paintEvent(event)
        if self._pending_open is not None:
            QTimer.singleShot(0, self._pending_open)

    def attach(
        self, db: Database, weeks: DeskCalendar | None = None, *, demo: bool | None = None
    ) -> None:
        """The database is open: every screen and menu works from here on. `weeks` and `demo`
        (whether the file is the demo's), when read with the opening, are not read again."""
        self.ctx.attach(db, weeks)
        demo_file = is_demo(db) if demo is None else demo
        for note in self._opening_notes:
            note.deleteLater()
        self._opening_notes = []
        for action in self._database_actions():
            action.setEnabled(True)
        self.week_combo.setEnabled(True)
        self.demo = self._asked_demo or demo_file
        self.setWindowTitle(
            self.tr(TITLE) + (self.tr(" — ฐานข้อมูลตัวอย่าง (ไม่ใช่ข้อมูลจริง)") if self.demo else "")
        )
        self._show_state()
        self._show_db_path()
        self._fill_week_combo()
        self._week_changed(self.ctx.week)
        current = self.current_screen()
        if current not in self.pages:
            self.show_screen(current)
        if self._asked_demo and not demo_file and not db.read_only:
            self._fill_demo()

    def _show_db_path(self) -> None:
        if not self.ctx.ready:
            self.db_label.setText(
                self.tr("ฐานข้อมูล:") + f" {self._target} " + self.tr("(กำลังตรวจและเปิด…)")
            )
            return
        self.db_label.setText(self.tr("ฐานข้อมูล:") + f" {self.ctx.db.describe()}")

    def _show_state(self) -> None:
        if not self.ctx.ready:
            self._show_demo_banner(self._target)
            return
        db = self.ctx.db
        self._show_demo_banner(db.path.name if db.path is not None else db.describe())
        if not db.is_sqlite:
            # A server database is backed up by its administrator, not from a clerk's desk.
            for action in (self.backup_action, self.restore_action):
                action.setEnabled(False)
                action.setToolTip(self.tr("ฐานข้อมูลบนเครื่องแม่ข่ายสำรองโดยผู้ดูแลระบบ"))
        if db.read_only:
            self.banner.show_text(
                self.tr("เปิดแบบอ่านอย่างเดียว: {0}  (เมนู แฟ้ม > กู้คืนจากไฟล์สำรอง)").format(
                    db.read_only_reason or self.tr("ฐานข้อมูลเสียหาย")
                ),
                "error",
            )
            self.backup_action.setEnabled(False)
        elif db.backup_warning:
            self.banner.show_text(
                self.tr("สำรองข้อมูลอัตโนมัติไม่สำเร็จ: {0}").format(db.backup_warning), "warn"
            )
        else:
            self.banner.setVisible(False)

    def _show_demo_banner(self, name: str) -> None:
        if self.demo:
            self.demo_banner.show_text(
                self.tr(
                    "ฐานข้อมูลตัวอย่างสำหรับทดลองใช้: ตัวเลข หน่วย ผู้ประสานงาน และเบอร์โทรทั้งหมด"
                    "สร้างขึ้น ไม่ใช่ข้อมูลจริง และไม่ปนกับฐานข้อมูลจริงของสำนักงาน"
                )
                + f" ({Path(name).name})"
            )

    def _fill_demo(self) -> None:
        self.demo_banner.show_text(self.tr("กำลังสร้างข้อมูลตัวอย่าง… (ครั้งแรกเท่านั้น)"))
        db = self.ctx.db

        def done(_result: object) -> None:
            self.demo = True
            self.setWindowTitle(self.tr(TITLE) + self.tr(" — ฐานข้อมูลตัวอย่าง (ไม่ใช่ข้อมูลจริง)"))
            self._show_state()
            self.ctx.weeks = sorted(set(self.ctx.weeks))
            # The writes queue announced what the fill changed (its audit entry: everything).

        def failed(exc: BaseException) -> None:
            self.demo_banner.show_text(i18n.error_text(exc), "error")

        from rayong_desktop.services import demo

        self.ctx.writes.submit(lambda: demo.fill_demo(db), done, failed)


def is_demo(db: Database) -> bool:
    from rayong_desktop.services import demo

    try:
        return demo.is_demo(db)
    except Exception:  # a damaged file shown read-only: it is not the demo's to claim
        return False
