"""The week on show: the bar along the top (previous, the week list, next, this week, the
clerk and the clock), the banner when the week is not the current one, moving between weeks."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QSizePolicy, QToolBar, QToolButton, QWidget

from rayong_desktop.domain import calendar
from rayong_desktop.runtime import current_clerk
from rayong_desktop.ui import i18n
from rayong_desktop.ui.widgets import local_time, short_date
from rayong_desktop.ui.window.screens import ScreensPart


class WeekBarPart(ScreensPart):
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
        bar.addAction(self.prev_week_action)
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

    def _fill_week_combo(self) -> None:
        campaign = list(self.ctx.weeks)
        self.week_combo.blockSignals(True)
        self.week_combo.clear()
        info = self.ctx.campaign
        inside = calendar.campaign_weeks(info.start, info.end)
        for w in campaign:
            prefix = self.tr("สัปดาห์ที่ {0} · ").format(inside.index(w) + 1) if w in inside else ""
            # Keyed by ISO text: Qt would turn a date into a QDate and findData would miss it.
            self.week_combo.addItem(prefix + i18n.week_range_text(w), w.isoformat())
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
        keying = self.built_keying()
        if keying is not None:
            keying.commit_open_editor()
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
                    + f" {i18n.week_range_text(self.ctx.week)} "
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
            + f" ({i18n.date_text(today, short=False)}) "
            + self.tr("อยู่นอกช่วงโครงการ")
            + f" ({i18n.date_text(info.start, short=False)} – "
            + f"{i18n.date_text(info.end, short=False)}) "
            + self.tr("จึงเปิดสัปดาห์ของโครงการที่ใกล้ที่สุด")
            + " · "
            + self.tr("กำลังแสดง")
            + f" {i18n.week_range_text(self.ctx.week)} · "
            + self.tr("เลือกสัปดาห์อื่นได้ที่แถบด้านบน (Alt+← / Alt+→ / Ctrl+G)"),
            "info",
        )

    def _campaign_changed(self) -> None:
        # The campaign's dates may have moved with the settings: so do its weeks.
        self._fill_week_combo()
        self._week_changed(self.ctx.week)

    def _tick_clock(self) -> None:
        now = self.ctx.now().astimezone(calendar.BANGKOK)
        self.clock_label.setText(f"{short_date(now.date())}  {local_time(now)}  ")
