"""The print dialog: choose a document and its week or unit, see it, print it or save it.

Documents are built by services.printing (the command line uses the same functions) on the
desk's reads queue, so the window stays responsive while a thousand-unit summary is laid out;
pages are rendered there too, with pypdfium2 (PySide6-Essentials has no QtPdf), one at a time
for the preview, and printed from there as 300 dpi images at actual size (the page is placed at
the paper's origin without any fit-to-page scaling), with a progress dialog that can cancel.

A letter's running number is only used up when the letter is printed or saved: that build runs
on the writes queue, which announces the settings change (the next number) to the screens. The
preview shows the number it will get.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PySide6.QtCore import QCoreApplication, QMarginsF, QRect, QSize, Qt, QTimer, Slot
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from rayong_desktop.domain import calendar, validation
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.domain.summaries import CampaignInfo
from rayong_desktop.services import printing, registry, status
from rayong_desktop.services.database import Database
from rayong_desktop.services.settings import get_settings
from rayong_desktop.settings import AppSettings
from rayong_desktop.ui import i18n
from rayong_desktop.ui.context import DeskContext
from rayong_desktop.ui.geometry import fit_to_screen
from rayong_desktop.ui.i18n import QT_TRANSLATE_NOOP
from rayong_desktop.ui.state import remember_folder, start_folder

MIN_PREVIEW_DPI, MAX_PREVIEW_DPI = 40, 200
PRINT_DPI = 300  # enough for 16 pt Thai and a QR; a 600 dpi A4 page would be 140 MB in memory
DEBOUNCE_MS = 350

DOCUMENTS = (
    ("summary", QT_TRANSLATE_NOOP("PrintDialog", "สรุปผลรายสัปดาห์")),
    ("letter", QT_TRANSLATE_NOOP("PrintDialog", "หนังสือรายงานผู้ว่าราชการจังหวัด")),
    ("reminder", QT_TRANSLATE_NOOP("PrintDialog", "หนังสือขอให้หน่วยที่ยังไม่รายงานรายงาน (ว)")),
    ("memo", QT_TRANSLATE_NOOP("PrintDialog", "บันทึกข้อความแจ้งหน่วยที่ยังไม่รายงาน")),
    ("form", QT_TRANSLATE_NOOP("PrintDialog", "แบบรายงาน (สำหรับหน่วยกรอกและส่งโทรสาร)")),
    ("poster", QT_TRANSLATE_NOOP("PrintDialog", "โปสเตอร์ QR Code เพิ่มเพื่อน")),
)
LETTERS = ("letter", "reminder", "memo")
# How a letter is numbered (the numbering choice): the desk's next number, one given by the
# office's central register, or a reprint of an issued letter's.
NEXT, GIVEN, REPRINT = "next", "given", "reprint"


@dataclass(frozen=True)
class Built:
    data: bytes
    note: str  # shown under the preview (the letter number it will carry)


def build(
    db: Database, request: printing.DocumentRequest, *, issue: bool, out: Path | None = None
) -> Built:
    """Build (and with ``out`` save) the requested document through services.printing."""
    made = printing.make_document(db, request, issue=issue, out=out)
    letter = made.letter
    if letter is None:
        return Built(made.data, "")
    shown = f"{'ว ' if letter.circular else ''}{letter.number}"
    if letter.issued:
        note = QCoreApplication.translate("PrintDialog", "ออกเลขที่หนังสือ {0} แล้ว").format(shown)
    elif request.number is not None:
        note = QCoreApplication.translate("PrintDialog", "พิมพ์ซ้ำเลขที่ {0}").format(shown)
    elif request.given_number is not None:
        note = QCoreApplication.translate(
            "PrintDialog", "เลขจากทะเบียนกลางที่จะใช้เมื่อพิมพ์หรือบันทึก: {0}"
        ).format(shown)
    else:
        note = QCoreApplication.translate("PrintDialog", "เลขที่หนังสือที่จะใช้เมื่อพิมพ์หรือบันทึก: {0}").format(
            shown
        )
    return Built(made.data, note)


def _pages(built: Built) -> tuple[Built, int]:
    """A built document and its number of pages (counted off the GUI thread too)."""
    document = pdfium.PdfDocument(built.data)
    try:
        return built, len(document)
    finally:
        document.close()


def render_page(data: bytes, index: int, room_px: float) -> QImage:
    """Page ``index`` of a PDF, its width fitted to ``room_px`` within sensible bounds (run on
    the reads queue: a QImage may be made off the GUI thread)."""
    document = pdfium.PdfDocument(data)
    try:
        width_pt, _ = document[index].get_size()
        dpi = max(MIN_PREVIEW_DPI, min(MAX_PREVIEW_DPI, 72 * room_px / width_pt))
        return page_image(document, index, dpi)
    finally:
        document.close()


def page_image(document: Any, index: int, dpi: float) -> QImage:
    """One PDF page as a QImage at ``dpi`` (white background, RGB)."""
    page = document[index]
    bitmap = page.render(scale=dpi / 72, rev_byteorder=True)
    image = QImage(
        bytes(bitmap.buffer),
        bitmap.width,
        bitmap.height,
        bitmap.stride,
        QImage.Format.Format_RGB888,
    )
    return image.copy()  # own the pixels before the bitmap is freed


@dataclass(frozen=True)
class _Choices:
    """What the dialog offers, read on the reads queue when it opens."""

    campaign: CampaignInfo
    current: date
    units: list[registry.UnitView]
    settings: AppSettings

    @classmethod
    def read(cls, db: Database) -> _Choices:
        current, _inside = status.current_week(db)
        return cls(
            status.campaign_info(db),
            current,
            registry.list_units(db, include_retired=False),
            get_settings(db),
        )


class PrintDialog(QDialog):
    def __init__(self, desk: DeskContext | Database, parent: QWidget | None = None) -> None:
        """The dialog works on the desk's context (its queues, its announcements); given only a
        database (outside the window) it makes a context of its own, closed with the dialog."""
        super().__init__(parent)
        self._own_ctx = not isinstance(desk, DeskContext)
        self.ctx = desk if isinstance(desk, DeskContext) else DeskContext(desk, parent=self)
        self.db = self.ctx.db
        self.setWindowTitle(self.tr("พิมพ์เอกสาร"))
        self._ticket = 0
        self._shown_ticket = 0
        self._data: bytes | None = None
        self._pages = 0
        self._page = 0
        self._busy_action: str | None = "choices"  # the weeks and units are read first
        self._units: list[registry.UnitView] = []
        self._settings: AppSettings | None = None  # read with the choices, off the GUI thread
        self._printing: threading.Event | None = None  # set: the clerk cancelled the printing

        self.kind = QComboBox()
        for key, label in DOCUMENTS:
            self.kind.addItem(self.tr(label), key)
        self.week = QComboBox()
        self.to = QLineEdit()
        # How a letter is numbered: the desk's next number, a number the office's central
        # register gave (issued as it is; with a reason when it replaces a spoiled letter), or
        # a reprint of a letter already issued.
        self.numbering = QComboBox()
        self.numbering.addItem(self.tr("ออกเลขถัดไปของโต๊ะ"), NEXT)
        self.numbering.addItem(self.tr("ใช้เลขจากทะเบียนกลาง"), GIVEN)
        self.numbering.addItem(self.tr("พิมพ์ซ้ำเลขที่เดิม"), REPRINT)
        # The choice gives way to the number on a narrow pane (its list pops out wider).
        self.numbering.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.numbering.setMinimumContentsLength(10)
        self.number = QSpinBox()
        self.number.setRange(1, 999_999)
        self.number.setEnabled(False)
        numbers = QWidget()
        numbers_row = QHBoxLayout(numbers)
        numbers_row.setContentsMargins(0, 0, 0, 0)
        numbers_row.addWidget(self.numbering, 1)
        numbers_row.addWidget(self.number)
        self._numbers = numbers
        self.replaces = QLineEdit()
        self.replaces.setPlaceholderText(self.tr("เมื่อเลขนี้เคยออกไปแล้ว: เหตุที่ฉบับเดิมเสีย"))
        self.target = QComboBox()  # form: blank / plan row / unit; poster: none / all / unit
        self.paper_size = QComboBox()
        self.paper_size.addItems(["A4", "A3"])
        self.oa_id = QLineEdit()
        self.qr_link = QLabel()  # which link the posters' QR carries
        self.qr_link.setObjectName("posterQrLink")
        self.qr_link.setWordWrap(True)
        self.qr_link.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for combo in (self.kind, self.week, self.target):
            # Long unit names must not widen the choices past the screen: the list pops wider.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(24)

        form = QFormLayout()
        form.addRow(self.tr("เอกสาร"), self.kind)
        form.addRow(self.tr("สัปดาห์"), self.week)
        form.addRow(self.tr("เรียน"), self.to)
        form.addRow(self.tr("เลขที่หนังสือ"), numbers)
        form.addRow(self.tr("แทนฉบับที่เสีย"), self.replaces)
        form.addRow(self.tr("สำหรับ"), self.target)
        form.addRow(self.tr("ขนาดกระดาษ"), self.paper_size)
        form.addRow("LINE ID", self.oa_id)
        form.addRow(self.tr("QR เปิด"), self.qr_link)
        self._form = form

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy indicator: layout time is not predictable
        self.progress.hide()
        self.print_button = QPushButton(self.tr("พิมพ์…"))
        self.save_button = QPushButton(self.tr("บันทึกเป็น PDF…"))
        close = QPushButton(self.tr("ปิด"))
        self.print_button.clicked.connect(self._print)
        self.save_button.clicked.connect(self._save)
        close.clicked.connect(self.reject)

        # The choices on the left and the preview on the right share a splitter; the buttons
        # sit in a row along the bottom, always on the screen however small the dialog is.
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.progress)
        left.addWidget(self.status)
        left.addStretch(1)
        left_box = QWidget()
        left_box.setLayout(left)
        left_scroll = QScrollArea()
        left_scroll.setObjectName("printChoices")
        left_scroll.setWidget(left_box)
        left_scroll.setWidgetResizable(True)
        left_scroll.setFrameShape(QFrame.Shape.NoFrame)
        left_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left_scroll.setMinimumWidth(300)

        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.preview.setStyleSheet("background: #808080;")
        scroll = QScrollArea()
        scroll.setWidget(self.preview)
        scroll.setWidgetResizable(True)
        self._scroll = scroll
        self.prev_button = QPushButton(self.tr("◀ หน้าก่อน"))
        self.next_button = QPushButton(self.tr("หน้าถัดไป ▶"))
        self.page_label = QLabel()
        self.prev_button.clicked.connect(lambda: self._show_page(self._page - 1))
        self.next_button.clicked.connect(lambda: self._show_page(self._page + 1))

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("printSplit")
        split.setChildrenCollapsible(False)
        split.addWidget(left_scroll)
        split.addWidget(scroll)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        # The choices as wide as their longest row needs (English labels are wider than Thai).
        split.setSizes([max(380, left_box.minimumSizeHint().width() + 12), 700])

        buttons = QHBoxLayout()
        buttons.addWidget(self.prev_button)
        buttons.addWidget(self.page_label)
        buttons.addWidget(self.next_button)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        self.setSizeGripEnabled(True)
        fit_to_screen(self, QSize(1100, 820))

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        self._resize_timer = QTimer(self)
        self._resize_timer.setSingleShot(True)
        self._resize_timer.setInterval(150)
        self._resize_timer.timeout.connect(lambda: self._show_page(self._page))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        for combo in (self.week, self.target, self.paper_size):
            combo.currentIndexChanged.connect(self._changed)
        self.numbering.currentIndexChanged.connect(self._numbering_changed)
        self.number.valueChanged.connect(self._changed)
        for edit in (self.to, self.oa_id, self.replaces):
            edit.textChanged.connect(self._changed)
        self.progress.show()
        self.status.setText(self.tr("กำลังอ่านข้อมูล…"))
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)
        db = self.db
        self.ctx.reads.submit(lambda: _Choices.read(db), self._fill_choices, self._choices_failed)

    # ------------------------------------------------------------ choices

    def _choices_failed(self, error: BaseException) -> None:
        self._busy_action = None
        self.progress.hide()
        self.status.setText(
            i18n.in_ui_language(error) if isinstance(error, RefusedError) else str(error)
        )

    def _fill_choices(self, choices: _Choices) -> None:
        self.week.blockSignals(True)
        for w in calendar.campaign_weeks(choices.campaign.start, choices.campaign.end):
            self.week.addItem(f"{i18n.week_range_text(w)} ({calendar.week_label(w)})", w)
            if w == choices.current:
                self.week.setCurrentIndex(self.week.count() - 1)
        self.week.blockSignals(False)
        self._units = choices.units
        settings = choices.settings
        self._settings = settings
        self.oa_id.setPlaceholderText(settings.oa_id or self.tr("ยังไม่ได้ตั้งค่า"))
        self.oa_id.textChanged.connect(self._show_qr_link)
        self._show_qr_link()
        self._busy_action = None
        self._kind_changed()

    def _fill_targets(self, kind: str) -> None:
        self.target.blockSignals(True)
        self.target.clear()
        if kind == "form":
            # Item data are plain strings: Qt compares them reliably in findData.
            self.target.addItem(self.tr("แบบว่าง (ไม่ระบุหน่วย)"), "none")
            rows = sorted({u.plan_row for u in self._units})
            for n in rows:
                self.target.addItem(self.tr("ทุกหน่วยในลำดับที่ {0}").format(n), f"row:{n}")
        else:
            self.target.addItem(self.tr("ไม่ระบุหน่วย"), "none")
            self.target.addItem(self.tr("ทุกหน่วย (หนึ่งแผ่นต่อหน่วย)"), "all")
        for u in self._units:
            self.target.addItem(f"{u.code} {u.name}", f"unit:{u.code}")
        self.target.blockSignals(False)

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        visible = {
            self.week: kind != "poster",
            self.to: kind in LETTERS,
            self._numbers: kind in LETTERS,
            self.replaces: self._takes_given_number(),
            self.target: kind in ("form", "poster"),
            self.paper_size: kind == "poster",
            self.oa_id: kind == "poster",
            self.qr_link: kind == "poster",
        }
        for widget, shown in visible.items():
            self._form.setRowVisible(widget, shown)
        if kind in ("form", "poster"):
            self._fill_targets(kind)
        if kind in LETTERS and self._settings is not None:  # what prints when เรียน is blank
            self.to.setPlaceholderText(printing.addressee(self._settings, kind))
        self.refresh()

    def _takes_given_number(self) -> bool:
        """A letter numbered from the central register (its reason row is shown)."""
        return self.kind.currentData() in LETTERS and self.numbering.currentData() == GIVEN

    def _numbering_changed(self) -> None:
        self.number.setEnabled(self.numbering.currentData() != NEXT)
        self._form.setRowVisible(self.replaces, self._takes_given_number())
        self._changed()

    def choose_document(self, kind: str) -> None:
        """Show the document ``kind`` (a key of DOCUMENTS)."""
        index = self.kind.findData(kind)
        if index >= 0:
            self.kind.setCurrentIndex(index)

    def _changed(self) -> None:
        # What is on show no longer matches the choices: nothing prints or saves until the
        # preview of the new ones is built (a reprint prints the preview as it stands).
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)
        self._debounce.start()

    def _show_qr_link(self, *_args: object) -> None:
        """Say which link the posters' QR will open, and whether it agrees with the LINE ID."""
        settings = self._settings
        if settings is None:
            return
        given = self.oa_id.text().strip()
        the_id = ("@" + given.lstrip("@")) if given else settings.oa_id
        url = (
            dataclasses.replace(settings, oa_id=the_id, oa_add_friend_url="").add_friend_url()
            if given
            else settings.add_friend_url()
        )
        if not url:
            self.qr_link.setText(self.tr("ยังไม่มีลิงก์: ตั้ง LINE ID ของบัญชีในหน้าตั้งค่า"))
            return
        text = url
        named = validation.link_oa_id(url)
        if named is None:
            text += " · " + self.tr("ลิงก์ย่อ lin.ee: ตรวจไม่ได้ว่าเปิดบัญชีใด ลองสแกนก่อนพิมพ์")
        elif the_id and named != the_id.lower():
            text += " · ⚠ " + self.tr("ไม่ตรงกับ LINE ID") + f" {the_id}"
        self.qr_link.setText(text)

    def request(self) -> printing.DocumentRequest:
        kind = self.kind.currentData()
        week = self.week.currentData()
        target, _, value = (self.target.currentData() or "none").partition(":")
        numbering = self.numbering.currentData() if kind in LETTERS else NEXT
        given = self.number.value() if numbering == GIVEN else None
        return printing.DocumentRequest(
            kind="reminder" if kind == "memo" else kind,
            week=week,
            memo=kind == "memo",
            to=self.to.text().strip() or None,
            number=self.number.value() if numbering == REPRINT else None,
            given_number=given,
            replaces=(self.replaces.text().strip() or None) if given is not None else None,
            unit=value if target == "unit" else None,
            plan_row=int(value) if target == "row" else None,
            all_units=target == "all",
            size=self.paper_size.currentText(),
            oa_id=self.oa_id.text().strip() or None,
        )

    # ------------------------------------------------------------ building

    def _run(self, fn: Callable[[], Built], action: str) -> None:
        """Build on the reads queue, or (a letter taking its number) on the writes queue, where
        what it changed is announced to the desk's screens."""
        self._ticket += 1
        ticket = self._ticket
        self._busy_action = action
        self.progress.show()
        self.status.setText(self.tr("กำลังสร้างเอกสาร…"))
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)
        queue = self.ctx.reads if action == "preview" else self.ctx.writes
        queue.submit(
            lambda: _pages(fn()),
            lambda result: self._built(ticket, result),
            lambda error: self._failed(ticket, error),
        )

    @Slot()
    def refresh(self) -> None:
        if self._busy_action == "choices":
            return  # built once the choices are read
        if self.ctx.reads.stopped:
            return  # the desk is closing: a change made just before wants no preview now
        request, db = self.request(), self.db
        self._run(lambda: build(db, request, issue=False), "preview")

    def _built(self, ticket: int, result: tuple[Built, int]) -> None:
        if ticket != self._ticket:
            return  # an older request, overtaken by a change of options
        self.progress.hide()
        self.print_button.setEnabled(True)
        self.save_button.setEnabled(True)
        action = self._busy_action
        self._busy_action = None
        built, pages = result
        self._set_document(built.data, pages)
        self.status.setText(built.note)
        if action == "print":
            self._send_to_printer(built.data)
        elif action == "saved":
            self.status.setText(" ".join(p for p in (self.tr("บันทึกแล้ว"), built.note) if p))

    def _failed(self, ticket: int, error: BaseException) -> None:
        if ticket != self._ticket:
            return
        self.progress.hide()
        action = self._busy_action
        self._busy_action = None
        message = (
            i18n.in_ui_language(error)
            if isinstance(error, RefusedError)
            else self.tr("สร้างเอกสารไม่ได้: {0}").format(error)
        )
        if action == "preview":
            self._set_document(None, 0)
            self.status.setText(message)
            return
        # A failed print or save keeps the preview: the clerk can pick another folder.
        self.print_button.setEnabled(self._data is not None)
        self.save_button.setEnabled(self._data is not None)
        self.status.setText(message)
        QMessageBox.warning(self, self.tr("พิมพ์เอกสาร"), message)

    def _set_document(self, data: bytes | None, pages: int) -> None:
        self._data, self._pages = data, pages if data is not None else 0
        self._show_page(0)

    def _show_page(self, index: int) -> None:
        pages, data = self._pages, self._data
        if pages == 0 or data is None:
            self.preview.setPixmap(QPixmap())
            self.page_label.setText("")
            self.prev_button.setEnabled(False)
            self.next_button.setEnabled(False)
            return
        self._page = page = max(0, min(index, pages - 1))
        self.page_label.setText(self.tr("หน้า {0} จาก {1}").format(page + 1, pages))
        self.prev_button.setEnabled(page > 0)
        self.next_button.setEnabled(page < pages - 1)
        # Rendered on the reads queue; a page overtaken by another choice is not shown.
        self._shown_ticket += 1
        ticket, ratio = self._shown_ticket, self.devicePixelRatioF()
        room = max(200, self._scroll.viewport().width() - 24) * ratio

        def show(image: QImage) -> None:
            if ticket == self._shown_ticket:
                image.setDevicePixelRatio(ratio)
                self.preview.setPixmap(QPixmap.fromImage(image))

        self.ctx.reads.submit(lambda: render_page(data, page, room), show, self._render_failed)

    def _render_failed(self, error: BaseException) -> None:
        self.status.setText(self.tr("แสดงหน้าเอกสารไม่ได้: {0}").format(error))

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if getattr(self, "_data", None) is not None:
            self._resize_timer.start()

    def page_count(self) -> int:
        return self._pages

    # ------------------------------------------------------------ print and save

    def _issues_number(self, request: printing.DocumentRequest) -> bool:
        return request.kind in LETTERS and request.number is None

    def _print(self) -> None:
        request, db = self.request(), self.db
        if self._issues_number(request):
            # The letter that goes to the printer takes the next number (and is audited).
            self._run(lambda: build(db, request, issue=True), "print")
        elif self._data is not None:
            self._send_to_printer(self._data)

    def _send_to_printer(self, data: bytes) -> None:
        if self._printing is not None:
            return  # one printing at a time
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        document = pdfium.PdfDocument(data)
        try:
            prepare_printer(printer, document)
            pages = len(document)
        finally:
            document.close()
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, pages)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        first = max(1, printer.fromPage() or 1)
        last = min(pages, printer.toPage() or pages)
        progress = QProgressDialog(
            self.tr("กำลังส่งไปยังเครื่องพิมพ์…"), self.tr("ยกเลิก"), 0, last - first + 1, self
        )
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        cancelled = threading.Event()
        self._printing = cancelled
        progress.canceled.connect(cancelled.set)
        progress.show()

        def paint(*, progress: Callable[[int, int], None]) -> bool:
            # QPainter may paint on a QPrinter off the GUI thread; the printer is not touched
            # on the GUI thread until this has finished.
            document = pdfium.PdfDocument(data)
            try:
                return print_pages(printer, document, progress=progress, cancelled=cancelled)
            finally:
                document.close()

        def finished(opened: bool) -> None:
            self._printing = None
            progress.close()
            if not opened:
                QMessageBox.warning(self, self.tr("พิมพ์เอกสาร"), self.tr("เปิดเครื่องพิมพ์ไม่ได้"))

        def failed(error: BaseException) -> None:
            self._printing = None
            progress.close()
            QMessageBox.warning(
                self, self.tr("พิมพ์เอกสาร"), self.tr("พิมพ์ไม่สำเร็จ: {0}").format(error)
            )

        self.ctx.reads.submit(
            paint, finished, failed, on_progress=lambda done, _total: progress.setValue(done)
        )

    def _save(self) -> None:
        request = self.request()
        week = self.week.currentData()
        suggested = f"{self.kind.currentData()}-{calendar.week_label(week)}.pdf"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("บันทึกเป็น PDF"), str(start_folder("pdf") / suggested), "PDF (*.pdf)"
        )
        if not path:
            return
        remember_folder("pdf", Path(path))
        out = Path(path if path.lower().endswith(".pdf") else path + ".pdf")
        db = self.db
        self._run(lambda: build(db, request, issue=True, out=out), "saved")

    def done(self, result: int) -> None:
        self._debounce.stop()  # a change made just before closing wants no preview
        if self._printing is not None:
            self._printing.set()  # the pages still to be sent are not wanted
        self._ticket += 1  # whatever is still running is no longer wanted
        self._shown_ticket += 1
        if self._own_ctx:
            self.ctx.shutdown()
        super().done(result)


def prepare_printer(printer: QPrinter, document: Any) -> None:
    """Paper of the document's size (A4 or A3, portrait), no margins, origin at the corner."""
    width_pt, _ = document[0].get_size()
    size = QPageSize.PageSizeId.A3 if width_pt > 700 else QPageSize.PageSizeId.A4
    printer.setFullPage(True)
    printer.setPageLayout(
        QPageLayout(QPageSize(size), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
    )
    printer.setFromTo(1, len(document))


def print_pages(
    printer: QPrinter,
    document: Any,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: threading.Event | None = None,
) -> bool:
    """Paint the chosen pages at actual size: each page image is stretched to exactly the
    page's size in device pixels, from the paper's corner. False if the printer won't open.
    No widgets: the print dialog runs it on the reads queue (`progress` after each page, and
    the printing stops, aborted, once `cancelled` is set)."""
    first = max(1, printer.fromPage() or 1)
    last = min(len(document), printer.toPage() or len(document))
    dpi = min(PRINT_DPI, printer.resolution())
    painter = QPainter()
    if not painter.begin(printer):
        return False
    try:
        scale = printer.resolution() / 72  # device pixels per point
        for n, index in enumerate(range(first - 1, last)):
            if cancelled is not None and cancelled.is_set():
                printer.abort()
                break
            if n:
                printer.newPage()
            width_pt, height_pt = document[index].get_size()
            target = QRect(0, 0, round(width_pt * scale), round(height_pt * scale))
            painter.drawImage(target, page_image(document, index, dpi))
            if progress is not None:
                progress(n + 1, last - first + 1)
    finally:
        painter.end()
    return True


def open_print_dialog(parent: QWidget | None, ctx: DeskContext, *, kind: str = "summary") -> None:
    """Show the print dialog (modal) over ``parent`` on the document ``kind`` (a key of
    DOCUMENTS), working on the desk's queues."""
    dialog = PrintDialog(ctx, parent)
    dialog.choose_document(kind)
    dialog.exec()
