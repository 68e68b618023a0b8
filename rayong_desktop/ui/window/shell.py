"""The desk's main window: screens down the side, the week on top, everything by keyboard.

Screens are built the first time they are shown (the desk opens on one, so start-up pays for
one), load their data on the reads queue, and save on the writes queue; the window itself only
arranges them, keeps the week, the banners and the menus, and makes sure nothing typed is lost
when it closes. Its parts live beside this module: screens, weekbar, poll, opening,
maintenance and menus, each built on the one before; this module builds the window from them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from rayong_desktop.ui import theme
from rayong_desktop.ui.context import Clock, DeskContext
from rayong_desktop.ui.geometry import fit_to_screen
from rayong_desktop.ui.page import Page
from rayong_desktop.ui.widgets import Banner
from rayong_desktop.ui.window.base import TITLE
from rayong_desktop.ui.window.menus import MenusPart
from rayong_desktop.ui.window.opening import is_demo
from rayong_desktop.ui.window.screens import SCREENS

if TYPE_CHECKING:  # loaded after the window shows when the desk kept its figures (see `attach`)
    from rayong_desktop.services.database import Database
    from rayong_desktop.services.home_snapshot import DeskOpening


class MainWindow(MenusPart):
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
        self.demo = demo or (is_demo(db) if db is not None else bool(opening and opening.demo))
        self.exit_code = 0
        self._closing_checked = False
        self.setStyleSheet(theme.STYLE)
        self.setWindowTitle(
            self.tr(TITLE) + (self.tr(" — ฐานข้อมูลตัวอย่าง (ไม่ใช่ข้อมูลจริง)") if self.demo else "")
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
        self._start_poll()
        self._build_menus()
        self._build_status_bar()

        self.ctx.message.connect(lambda text: self.statusBar().showMessage(text, 12_000))
        self.ctx.weekChanged.connect(self._week_changed)
        self.ctx.openHistory.connect(self._open_history)
        self.ctx.writes.busyChanged.connect(self._saving)
        self.ctx.campaignChanged.connect(self._campaign_changed)

        fit_to_screen(self, QSize(1360, 860))
        self._pending_open: Callable[[], None] | None = None
        self._opening_notes: list[QLabel] = []
        if db is None:
            self._wait_for_database()
        if opening is not None:
            from rayong_desktop.ui.home_page import HomePage

            home = self.page("home")
            assert isinstance(home, HomePage)
            home.show_kept(opening.home)
        self._restore_state()
        self._show_state()
        self._week_changed(self.ctx.week)
        if db is not None and demo and not is_demo(db) and not db.read_only:
            self._fill_demo()

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
