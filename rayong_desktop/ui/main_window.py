"""The desk's main window: screens down the side, the week on top, everything by keyboard.

Screens are built the first time they are shown (the desk opens on one, so start-up pays for
one), load their data on the reads queue, and save on the writes queue; the window itself only
arranges them, keeps the week, the banners and the menus, and makes sure nothing typed is lost
when it closes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from rayong_desktop.domain import calendar
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.domain.thaidate import thai_date, thai_week_range
from rayong_desktop.runtime import current_clerk
from rayong_desktop.ui import i18n, prompts, theme
from rayong_desktop.ui.context import NOTES, OA, REGISTRY, REPORTS, SETTINGS, Clock, DeskContext
from rayong_desktop.ui.page import Page
from rayong_desktop.ui.state import ui_settings
from rayong_desktop.ui.widgets import Banner, local_time, short_date

if TYPE_CHECKING:  # loaded after the window shows when the desk kept its figures (see `attach`)
    from rayong_desktop.db.engine import Database
    from rayong_desktop.services.home_snapshot import DeskOpening

TITLE = "Rayong Fight Covid — โต๊ะงานรายงานสมาชิก LINE OA"
SCREENS = ("home", "keying", "registry", "trends", "history", "line", "settings")


# How often the desk looks for changes made elsewhere (another clerk, the command line).
OTHERS_POLL_MS = 15_000
OTHERS = object()  # the origin of changes made outside this window
# A window that is not drawn (started minimised) opens its database after this anyway.
OPEN_AFTER_MS = 250


def _make_page(name: str, ctx: DeskContext) -> Page:
    # Imported here: each screen's module loads only when the clerk first opens it.
    if name == "home":
        from rayong_desktop.ui.home_page import HomePage

        return HomePage(ctx)
    if name == "keying":
        from rayong_desktop.ui.keying_page import KeyingPage

        return KeyingPage(ctx)
    if name == "registry":
        from rayong_desktop.ui.registry_page import RegistryPage

        return RegistryPage(ctx)
    if name == "trends":
        from rayong_desktop.ui.trends_page import TrendsPage

        return TrendsPage(ctx)
    if name == "history":
        from rayong_desktop.ui.history_page import HistoryPage

        return HistoryPage(ctx)
    if name == "line":
        from rayong_desktop.ui.line_page import LinePage

        return LinePage(ctx)
    if name == "settings":
        from rayong_desktop.ui.settings_page import SettingsPage

        return SettingsPage(ctx)
    raise KeyError(name)


class MainWindow(QMainWindow):
    def __init__(
        self,
        db: Database | None,
        *,
        demo: bool = False,
        lock: Any = None,
        clock: Clock | None = None,
        opening: DeskOpening | None = None,
        target: str = "",
    ) -> None:
        """A window on an open database; or, with `db` None, on the figures the desk kept from
        its last session (`opening`, checked against the file `target`) while the database
        opens in the background (`open_in_background`, then `attach`)."""
        super().__init__()
        self.setObjectName("deskWindow")
        self.lock = lock
        self.ctx = DeskContext(db, clock=clock, opening=opening, parent=self)
        self.pages: dict[str, Page] = {}
        self._target = target
        self._asked_demo = demo
        self.demo = demo or (_is_demo(db) if db is not None else bool(opening and opening.demo))
        self.exit_code = 0
        self._closing_checked = False
        self.setStyleSheet(theme.STYLE)
        self.setWindowTitle(
            TITLE + (self.tr(" — ฐานข้อมูลตัวอย่าง (ไม่ใช่ข้อมูลจริง)") if self.demo else "")
        )

        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.demo_banner = Banner("demo")
        self.demo_banner.setObjectName("demoBanner")
        self.banner = Banner("error")  # read-only database, failed backups
        self.banner.setObjectName("banner")
        self.week_banner = Banner("info")
        self.week_banner.setObjectName("weekBanner")
        for b in (self.demo_banner, self.banner, self.week_banner):
            outer.addWidget(b)

        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.nav.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.stack = QStackedWidget()
        labels = self._screen_labels()
        for i, name in enumerate(SCREENS):
            item = QListWidgetItem(f"{labels[name]}")
            item.setToolTip(f"{labels[name]} (Ctrl+{i + 1})")
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.nav.addItem(item)
            holder = QWidget()
            holder.setObjectName(f"holder_{name}")
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self.stack.addWidget(holder)
        width = max(self.nav.fontMetrics().horizontalAdvance(t) for t in labels.values()) + 64
        self.nav.setFixedWidth(width)
        self.nav.currentRowChanged.connect(lambda row: self.show_screen(SCREENS[row]))
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        self._build_week_bar()
        self._build_menus()
        self._build_status_bar()

        self.ctx.message.connect(lambda text: self.statusBar().showMessage(text, 12_000))
        self.ctx.weekChanged.connect(self._week_changed)
        self.ctx.openHistory.connect(self._open_history)
        self.ctx.writes.busyChanged.connect(self._saving)
        self.ctx.dataChanged.connect(self._data_changed)

        self.resize(1360, 860)
        self._pending_open: Callable[[], None] | None = None
        self._opening_notes: list[QLabel] = []
        if db is None:
            self._wait_for_database()
        if opening is not None:
            self.page("home").show_kept(opening.home)  # type: ignore[attr-defined]
        self._restore_state()
        self._show_state()
        self._week_changed(self.ctx.week)
        if db is not None and demo and not _is_demo(db) and not db.read_only:
            self._fill_demo()

    # ---------------------------------------------------------------- opening

    def _database_actions(self) -> list[QAction]:
        # Other weeks too: the kept figures are this week's only.
        return [
            self.print_action,
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
            layout = self.stack.widget(i).layout()
            assert layout is not None
            layout.addWidget(note)
            self._opening_notes.append(note)

    def open_in_background(
        self,
        open_db: Callable[[], Database],
        recover: Callable[[BaseException], Database | None],
    ) -> None:
        """Open the database off the GUI thread (the kept figures stay on show meanwhile),
        then `attach` it. A refusal goes to `recover` on the GUI thread: a database it returns
        (a restored or read-only one) is attached; None closes the desk with exit code 2."""

        def give_up(exc: BaseException) -> None:
            # Nothing usable: never leave the clerk on kept figures that say "opening".
            sys.stderr.write(f"cannot open the database: {exc!r}\n")
            prompts.warn(self, "เปิดฐานข้อมูลไม่ได้", f"เปิดฐานข้อมูล {self._target} ไม่ได้: {exc}")
            self.exit_code = 2
            self.close()

        def opened(db: Database) -> None:
            try:
                self.attach(db)
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
            # On the writes queue: anything written later waits for the database to be open.
            self.ctx.writes.submit(open_db, opened, failed)

        # Once the window has been drawn (the figures first, then the work behind them), or
        # shortly anyway when it is not drawn (started minimised).
        self._pending_open = start
        QTimer.singleShot(OPEN_AFTER_MS, start)

    def paintEvent(self, event: Any) -> None:  # noqa: N802
        super().paintEvent(event)
        if self._pending_open is not None:
            QTimer.singleShot(0, self._pending_open)

    def attach(self, db: Database) -> None:
        """The database is open: every screen and menu works from here on."""
        self.ctx.attach(db)
        for note in self._opening_notes:
            note.deleteLater()
        self._opening_notes = []
        for action in self._database_actions():
            action.setEnabled(True)
        self.week_combo.setEnabled(True)
        self.demo = self._asked_demo or _is_demo(db)
        self.setWindowTitle(
            TITLE + (self.tr(" — ฐานข้อมูลตัวอย่าง (ไม่ใช่ข้อมูลจริง)") if self.demo else "")
        )
        self._show_state()
        self._show_db_path()
        self._fill_week_combo()
        self._week_changed(self.ctx.week)
        current = self.current_screen()
        if current not in self.pages:
            self.show_screen(current)
        if self._asked_demo and not _is_demo(db) and not db.read_only:
            self._fill_demo()

    # ---------------------------------------------------------------- building

    def _screen_labels(self) -> dict[str, str]:
        return {
            "home": self.tr("สัปดาห์นี้"),
            "keying": self.tr("บันทึกรายงาน"),
            "registry": self.tr("ทะเบียนหน่วย"),
            "trends": self.tr("แนวโน้ม"),
            "history": self.tr("ประวัติหน่วย"),
            "line": self.tr("ตัวเลข LINE OA"),
            "settings": self.tr("ตั้งค่า"),
        }

    def _build_week_bar(self) -> None:
        bar = QToolBar(self.tr("สัปดาห์"))
        bar.setObjectName("weekBar")
        bar.setMovable(False)
        bar.setFloatable(False)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.prev_week_action = QAction(self.tr("◀ สัปดาห์ก่อน"), self)
        self.prev_week_action.setShortcut(QKeySequence("Alt+Left"))
        self.prev_week_action.triggered.connect(lambda: self.step_week(-1))
        self.next_week_action = QAction(self.tr("สัปดาห์ถัดไป ▶"), self)
        self.next_week_action.setShortcut(QKeySequence("Alt+Right"))
        self.next_week_action.triggered.connect(lambda: self.step_week(1))
        self.today_action = QAction(self.tr("สัปดาห์ปัจจุบัน"), self)
        self.today_action.setShortcut(QKeySequence("Alt+Home"))
        self.today_action.triggered.connect(self.go_current_week)
        self.week_combo = QComboBox()
        self.week_combo.setObjectName("weekCombo")
        self.week_combo.setMinimumContentsLength(34)
        self.week_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.week_combo.activated.connect(self._week_chosen)
        self.week_combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.choose_week_action = QAction(self.tr("เลือกสัปดาห์…"), self)
        self.choose_week_action.setShortcut(QKeySequence("Ctrl+G"))
        self.choose_week_action.triggered.connect(self._focus_week_combo)
        week_label = QLabel(self.tr("  สัปดาห์ที่แสดง: "))
        bar.addWidget(week_label)
        for action in (self.prev_week_action,):
            bar.addAction(action)
        bar.addWidget(self.week_combo)
        bar.addAction(self.next_week_action)
        bar.addAction(self.today_action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        self.clock_label = QLabel()
        self.clock_label.setObjectName("clock")
        self.clerk_label = QLabel(self.tr("ผู้บันทึก:") + f" {current_clerk()}  ")
        bar.addWidget(self.clerk_label)
        bar.addWidget(self.clock_label)
        for button in bar.findChildren(QToolButton):
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._fill_week_combo()
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(1000)
        self._clock_timer.timeout.connect(self._tick_clock)
        self._clock_timer.start()
        self._tick_clock()
        # Other clerks (a server database) or the command line may change data meanwhile.
        self._last_marker: int | None = None
        self._others_timer = QTimer(self)
        self._others_timer.setInterval(OTHERS_POLL_MS)
        self._others_timer.timeout.connect(self.check_for_others)
        self._others_timer.start()

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
            action = self._action(
                labels[name], lambda _=False, n=name: self.show_screen(n), f"Ctrl+{i + 1}"
            )
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

    def _build_status_bar(self) -> None:
        # Work longer than a blink shows a moving bar; a quick load shows nothing at all.
        self.busy_bar = QProgressBar()
        self.busy_bar.setObjectName("busy")
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(140)
        self.busy_bar.setMaximumHeight(14)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setVisible(False)
        self._busy_delay = QTimer(self)
        self._busy_delay.setSingleShot(True)
        self._busy_delay.setInterval(250)
        self._busy_delay.timeout.connect(self._show_busy)
        self.ctx.reads.busyChanged.connect(self._busy_changed)
        self.ctx.writes.busyChanged.connect(self._busy_changed)
        self.statusBar().addPermanentWidget(self.busy_bar)
        self.saving_label = QLabel()
        self.saving_label.setObjectName("saving")
        self.statusBar().addPermanentWidget(self.saving_label)
        self.db_label = QLabel()
        self.statusBar().addPermanentWidget(self.db_label)
        self._show_db_path()

    def _show_db_path(self) -> None:
        if not self.ctx.ready:
            self.db_label.setText(
                self.tr("ฐานข้อมูล:") + f" {self._target} " + self.tr("(กำลังตรวจและเปิด…)")
            )
            return
        self.db_label.setText(self.tr("ฐานข้อมูล:") + f" {self.ctx.db.describe()}")

    # ---------------------------------------------------------------- screens

    def page(self, name: str) -> Page:
        """The screen called `name`, built on first use."""
        if name not in self.pages and not self.ctx.ready and name != "home":
            raise RuntimeError(f"the {name} screen is built once the database is open")
        if name not in self.pages:
            page = _make_page(name, self.ctx)
            page.setObjectName(f"page_{name}")
            holder = self.stack.widget(SCREENS.index(name))
            layout = holder.layout()
            assert layout is not None
            layout.addWidget(page)
            self.pages[name] = page
            if name == "keying":
                page.undoChanged.connect(self._undo_changed)  # type: ignore[attr-defined]
        return self.pages[name]

    def show_screen(self, name: str) -> Page | None:
        """Show the screen called `name` (None while the database opens: only the home screen
        exists until then; the one chosen is built as soon as the database is open)."""
        index = SCREENS.index(name)
        if not self.ctx.ready and name != "home":
            self.stack.setCurrentIndex(index)
            self._select_nav(index)
            return None
        page = self.page(name)
        self.stack.setCurrentIndex(index)
        self._select_nav(index)
        target = page.focus_target()
        if target is not None:
            target.setFocus()
        return page

    def _select_nav(self, index: int) -> None:
        if self.nav.currentRow() != index:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(index)
            self.nav.blockSignals(False)

    def current_screen(self) -> str:
        return SCREENS[self.stack.currentIndex()]

    def _open_history(self, code: str) -> None:
        page = self.show_screen("history")
        if page is not None:
            page.show_unit(code)  # type: ignore[attr-defined]

    # ---------------------------------------------------------------- weeks

    def _fill_week_combo(self) -> None:
        campaign = list(self.ctx.weeks)
        self.week_combo.blockSignals(True)
        self.week_combo.clear()
        info = self.ctx.campaign
        inside = calendar.campaign_weeks(info.start, info.end)
        for w in campaign:
            prefix = f"สัปดาห์ที่ {inside.index(w) + 1} · " if w in inside else ""
            # Keyed by ISO text: Qt would turn a date into a QDate and findData would miss it.
            self.week_combo.addItem(prefix + thai_week_range(w), w.isoformat())
        self.week_combo.blockSignals(False)

    def _week_chosen(self, index: int) -> None:
        week = self.week_combo.itemData(index)
        if isinstance(week, str):
            self.set_week(date.fromisoformat(week))
            self._focus_current_page()

    def _focus_week_combo(self) -> None:
        self.week_combo.setFocus()
        self.week_combo.showPopup()

    def _focus_current_page(self) -> None:
        page = self.pages.get(self.current_screen())
        target = page.focus_target() if page is not None else None
        if target is not None:
            target.setFocus()

    def set_week(self, week: date) -> None:
        keying = self.pages.get("keying")
        if keying is not None:
            keying.commit_open_editor()  # type: ignore[attr-defined]
        self.ctx.set_week(week)

    def step_week(self, step: int) -> None:
        self.set_week(self.ctx.week + timedelta(weeks=step))

    def go_current_week(self) -> None:
        info = self.ctx.campaign
        today = self.ctx.now().astimezone(calendar.BANGKOK).date()
        week, _inside = calendar.current_week(today, calendar.campaign_weeks(info.start, info.end))
        self.set_week(week)

    def _week_changed(self, week: date) -> None:
        i = self.week_combo.findData(week.isoformat())
        if i < 0:
            self._fill_week_combo()
            i = self.week_combo.findData(week.isoformat())
        self.week_combo.setCurrentIndex(i)
        self._show_week_banner()

    def _show_week_banner(self) -> None:
        if self.ctx.inside:
            if self.ctx.week != self.ctx.today_week():
                self.week_banner.show_text(
                    self.tr("กำลังแสดงสัปดาห์")
                    + f" {thai_week_range(self.ctx.week)} "
                    + self.tr("ไม่ใช่สัปดาห์ปัจจุบัน (Alt+Home กลับสัปดาห์ปัจจุบัน)"),
                    "info",
                )
            else:
                self.week_banner.setVisible(False)
            return
        info = self.ctx.campaign
        today = self.ctx.now().astimezone(calendar.BANGKOK).date()
        self.week_banner.show_text(
            self.tr("วันนี้")
            + f" ({thai_date(today)}) "
            + self.tr("อยู่นอกช่วงโครงการ")
            + f" ({thai_date(info.start)} – {thai_date(info.end)}) "
            + self.tr("จึงเปิดสัปดาห์ของโครงการที่ใกล้ที่สุด")
            + " · "
            + self.tr("กำลังแสดง")
            + f" {thai_week_range(self.ctx.week)} · "
            + self.tr("เลือกสัปดาห์อื่นได้ที่แถบด้านบน (Alt+← / Alt+→ / Ctrl+G)"),
            "info",
        )

    def _data_changed(self, kind: str, _origin: object) -> None:
        if kind == SETTINGS:  # the campaign's dates may have moved: so do its weeks
            self._fill_week_combo()
            self._week_changed(self.ctx.week)

    def check_for_others(self) -> None:
        """Reload what is on show when the database changed since the last look."""
        if not self.ctx.ready:
            return
        from rayong_desktop.services import desk

        def done(marker: int) -> None:
            if self._last_marker is not None and marker != self._last_marker:
                for kind in (REPORTS, REGISTRY, OA, SETTINGS, NOTES):
                    self.ctx.changed(kind, OTHERS)
            self._last_marker = marker

        self.ctx.reads.submit(lambda: desk.change_marker(self.ctx.db), done, lambda _e: None)

    def _tick_clock(self) -> None:
        now = self.ctx.now().astimezone(calendar.BANGKOK)
        self.clock_label.setText(f"{short_date(now.date())}  {local_time(now)}  ")

    # ---------------------------------------------------------------- state

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
                "เปิดแบบอ่านอย่างเดียว: "
                + (db.read_only_reason or "ฐานข้อมูลเสียหาย")
                + "  (เมนู แฟ้ม > กู้คืนจากไฟล์สำรอง)",
                "error",
            )
            self.backup_action.setEnabled(False)
        elif db.backup_warning:
            self.banner.show_text("สำรองข้อมูลอัตโนมัติไม่สำเร็จ: " + db.backup_warning, "warn")
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

    def _busy_changed(self, _busy: bool) -> None:
        if self.ctx.reads.pending() or self.ctx.writes.pending():
            if not self._busy_delay.isActive() and not self.busy_bar.isVisible():
                self._busy_delay.start()
        else:
            self._busy_delay.stop()
            self.busy_bar.setVisible(False)

    def _show_busy(self) -> None:
        self.busy_bar.setVisible(bool(self.ctx.reads.pending() or self.ctx.writes.pending()))

    def _saving(self, busy: bool) -> None:
        # While the database opens the writes queue is busy opening it, not saving.
        self.saving_label.setText(self.tr("กำลังบันทึก…") if busy and self.ctx.ready else "")

    def _fill_demo(self) -> None:
        self.demo_banner.show_text(self.tr("กำลังสร้างข้อมูลตัวอย่าง… (ครั้งแรกเท่านั้น)"))
        db = self.ctx.db

        def done(_result: object) -> None:
            self.demo = True
            self.setWindowTitle(TITLE + self.tr(" — ฐานข้อมูลตัวอย่าง (ไม่ใช่ข้อมูลจริง)"))
            self._show_state()
            self.ctx.weeks = sorted(set(self.ctx.weeks))
            for kind in (REPORTS, REGISTRY, OA, NOTES):
                self.ctx.changed(kind)

        def failed(exc: BaseException) -> None:
            self.demo_banner.show_text(getattr(exc, "th", str(exc)), "error")

        from rayong_desktop.services import demo

        self.ctx.writes.submit(lambda: demo.fill_demo(db), done, failed)

    # ---------------------------------------------------------------- edit

    def keying(self) -> Any:
        return self.page("keying")

    def undo(self) -> None:
        self.keying().undo()

    def redo(self) -> None:
        self.keying().redo()

    def _confirm(self) -> None:
        page = self.show_screen("keying")
        if page is not None:
            page.confirm_current()  # type: ignore[attr-defined]

    def _undo_changed(self) -> None:
        keying = self.pages.get("keying")
        if keying is None:
            return
        self.undo_action.setEnabled(keying.can_undo())  # type: ignore[attr-defined]
        self.redo_action.setEnabled(keying.can_redo())  # type: ignore[attr-defined]

    # ---------------------------------------------------------------- other engineers' dialogs

    def _open_print(self) -> None:
        try:
            from rayong_desktop.ui.print_dialog import open_print_dialog
        except ImportError:
            self._not_ready(self.tr("การพิมพ์สรุปรายงาน"))
            return
        open_print_dialog(self, self.ctx.db)

    def _export_workbook(self) -> None:
        try:
            from rayong_desktop.ui.excel_dialogs import export_workbook_dialog
        except ImportError:
            self._not_ready(self.tr("การส่งออกสมุดงาน Excel"))
            return
        export_workbook_dialog(self, self.ctx.db)

    def _import_forms(self) -> None:
        try:
            from rayong_desktop.ui.excel_dialogs import import_forms_dialog
        except ImportError:
            self._not_ready(self.tr("การนำเข้าแบบรายงานจาก Excel"))
            return
        import_forms_dialog(self, self.ctx.db)
        self.ctx.changed(REPORTS)

    def _import_units(self) -> None:
        try:
            from rayong_desktop.ui.excel_dialogs import import_units_dialog
        except ImportError:
            self._not_ready(self.tr("การนำเข้าทะเบียนหน่วยจาก Excel"))
            return
        import_units_dialog(self, self.ctx.db)
        self.ctx.changed(REGISTRY)

    def _not_ready(self, what: str) -> None:
        prompts.inform(self, what, what + self.tr(" ยังไม่พร้อมใช้งานในรุ่นนี้"))

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
                    "Ctrl+1 … Ctrl+7  " + self.tr("ไปหน้าจอต่าง ๆ"),
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

    # ---------------------------------------------------------------- backup, restore, close

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

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        keying = self.pages.get("keying")
        if keying is not None:
            keying.commit_open_editor()  # type: ignore[attr-defined]
        # Every figure typed is on the writes queue: let it reach the disk before closing.
        self.ctx.writes.wait_idle()
        if keying is not None and not self.ctx.read_only:
            waiting = keying.unsettled()  # type: ignore[attr-defined]
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
                    keying.confirm_all()  # type: ignore[attr-defined]
                    self.ctx.writes.wait_idle()
                    if keying.unsettled():  # type: ignore[attr-defined]
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


def _is_demo(db: Database) -> bool:
    from rayong_desktop.services import demo

    try:
        return demo.is_demo(db)
    except Exception:  # a damaged file shown read-only: it is not the demo's to claim
        return False
