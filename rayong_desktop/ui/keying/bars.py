"""The two rows above the keying grid: which units it shows, and the received time it stores."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateTimeEdit, QHBoxLayout, QLineEdit, QWidget

from rayong_desktop.domain import calendar
from rayong_desktop.domain.registry import DISTRICT_NAMES, KINDS
from rayong_desktop.domain.thaidate import thai_datetime
from rayong_desktop.services.reports import Reception
from rayong_desktop.ui import i18n
from rayong_desktop.ui.keying.model import KeyingFilter
from rayong_desktop.ui.widgets import label


class FilterBar(QWidget):
    """Plan row, district, kind, "not yet reported" and a search; `changed` on any of them."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        filters = QHBoxLayout(self)
        filters.setContentsMargins(0, 0, 0, 0)
        filters.setSpacing(8)
        self.plan_filter = QComboBox()
        self.plan_filter.setObjectName("planFilter")
        self.plan_filter.addItem(self.tr("ทุกแผน"), None)
        self.district_filter = QComboBox()
        self.district_filter.setObjectName("districtFilter")
        self.district_filter.addItem(self.tr("ทุกอำเภอ"), None)
        for name in DISTRICT_NAMES:
            self.district_filter.addItem(name, name)
        self.kind_filter = QComboBox()
        self.kind_filter.setObjectName("kindFilter")
        self.kind_filter.addItem(self.tr("ทุกประเภท"), None)
        for k in KINDS:
            self.kind_filter.addItem(i18n.kind_choice(k), k.code)
        self.missing_filter = QCheckBox(self.tr("เฉพาะที่ยังไม่ส่ง"))
        self.missing_filter.setObjectName("missingFilter")
        self.search = QLineEdit()
        self.search.setObjectName("unitSearch")
        self.search.setPlaceholderText(self.tr("ค้นหารหัสหรือชื่อหน่วย (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        filters.addWidget(label(self.tr("แสดง:")))
        filters.addWidget(self.plan_filter, 2)
        filters.addWidget(self.district_filter, 1)
        filters.addWidget(self.kind_filter, 1)
        filters.addWidget(self.missing_filter)
        filters.addWidget(self.search, 2)
        self.plan_filter.currentIndexChanged.connect(self._changed)
        self.district_filter.currentIndexChanged.connect(self._changed)
        self.kind_filter.currentIndexChanged.connect(self._changed)
        self.missing_filter.toggled.connect(self._changed)
        self.search.textChanged.connect(self._changed)

    def _changed(self, *_args: Any) -> None:
        self.changed.emit()

    def fill_plan_rows(self, plan_rows: list[tuple[int, str]]) -> None:
        if self.plan_filter.count() == len(plan_rows) + 1:
            return
        self.plan_filter.blockSignals(True)
        self.plan_filter.clear()
        self.plan_filter.addItem(self.tr("ทุกแผน"), None)
        for number, name in plan_rows:
            short = name if len(name) <= 48 else name[:47] + "…"
            self.plan_filter.addItem(f"{number}. {short}", number)
        self.plan_filter.blockSignals(False)

    def apply_to(self, proxy: KeyingFilter) -> None:
        proxy.plan_row = self.plan_filter.currentData()
        proxy.district = self.district_filter.currentData()
        proxy.kind = self.kind_filter.currentData()
        if self.missing_filter.isChecked() and not proxy.missing_only:
            proxy.take_missing()
        proxy.missing_only = self.missing_filter.isChecked()
        proxy.search = self.search.text().strip()
        proxy.refresh()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()


class ReceivedBar(QWidget):
    """When the figures came in, for the whole session: nothing said (the moment of keying,
    which the desk refuses once a unit's deadline has passed), "on time, before the deadline"
    (recorded as the deadline itself and marked so), "the moment I type it", or a time the
    clerk sets (a batch of faxes). A time typed in a row's received cell overrides it."""

    def __init__(self, now: Callable[[], datetime]) -> None:
        super().__init__()
        self.now = now
        received = QHBoxLayout(self)
        received.setContentsMargins(0, 0, 0, 0)
        received.setSpacing(8)
        self.mode = QComboBox()
        self.mode.setObjectName("receptionMode")
        for reception, text in (
            (Reception.UNSTATED, self.tr("ระบุเมื่อเลยกำหนด (ก่อนกำหนด = เวลาที่พิมพ์)")),
            (Reception.ON_TIME, self.tr("ทันกำหนด (ก่อนเวลาส่ง)")),
            (Reception.NOW, self.tr("เวลาที่พิมพ์นี้")),
            (Reception.AT, self.tr("เวลาที่ระบุ:")),
        ):
            self.mode.addItem(text, reception.value)
        self.received_edit = QDateTimeEdit()
        self.received_edit.setObjectName("receivedAt")
        self.received_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.received_edit.setCalendarPopup(True)
        self.received_edit.setEnabled(False)
        self.default_time()
        self.received_be = label("", "hint")
        self.received_be.setWordWrap(True)
        received.addWidget(label(self.tr("เวลารับรายงาน:")))
        received.addWidget(self.mode)
        received.addWidget(self.received_edit)
        received.addWidget(self.received_be, 1)
        self.mode.currentIndexChanged.connect(self._mode)
        self.received_edit.dateTimeChanged.connect(self._show_be)
        self._show_be()

    def choice(self) -> Reception:
        return Reception(self.mode.currentData())

    def choose(self, reception: Reception) -> None:
        self.mode.setCurrentIndex(self.mode.findData(reception.value))

    def _mode(self, *_args: Any) -> None:
        at = self.choice() is Reception.AT
        self.received_edit.setEnabled(at)
        if at:
            self.default_time()
        self._show_be()

    def default_time(self) -> None:
        local = self.now().astimezone(calendar.BANGKOK)
        self.received_edit.setDateTime(
            QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
        )

    def reception(self) -> tuple[Reception, datetime | None]:
        """The session's received time: how it is given, and the time for AT."""
        choice = self.choice()
        if choice is not Reception.AT:
            return choice, None
        qt = self.received_edit.dateTime()
        qt.setTimeZone(QTimeZone(b"Asia/Bangkok"))
        local = qt.toPython()
        assert isinstance(local, datetime)
        return choice, local.replace(tzinfo=calendar.BANGKOK, second=0, microsecond=0)

    def _show_be(self, *_args: Any) -> None:
        choice, at = self.reception()
        if at is not None:
            self.received_be.setText("= " + thai_datetime(at))
        elif choice is Reception.UNSTATED:
            self.received_be.setText(
                self.tr(
                    "เลยกำหนดส่งแล้วต้องระบุเวลารับ: พิมพ์ในช่องเวลารับรายงานของแถว "
                    "(เช่น 10:15, 21 16:40, ทัน) หรือเลือกที่นี่"
                )
            )
        elif choice is Reception.ON_TIME:
            self.received_be.setText(self.tr("บันทึกเวลารับเป็นเวลากำหนดส่ง และทำเครื่องหมายไว้"))
        else:
            self.received_be.setText(self.tr("ใช้เวลาขณะกดบันทึกของแต่ละตัวเลข"))
