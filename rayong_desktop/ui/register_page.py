"""The outgoing register (ทะเบียนหนังสือส่ง): every numbered letter the desk issued, filtered by
year, series and week; reprint one exactly as it went out, record how it was sent, spoil it,
and export the register to Excel for the office's own book."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from rayong_desktop.domain import calendar
from rayong_desktop.domain.letter_register import (
    CIRCULAR,
    SENT_CHANNELS,
    RegisterEntry,
)
from rayong_desktop.services import letter_register, printing
from rayong_desktop.ui import i18n, prompts, theme
from rayong_desktop.ui.context import SETTINGS, DeskContext
from rayong_desktop.ui.page import Page
from rayong_desktop.ui.tablemodel import CENTER, Column, RowsModel
from rayong_desktop.ui.widgets import label, short_date, tidy_table

ALL = "all"


def choose_file(parent: QWidget | None, title: str, suggested: str, kind: str) -> Path | None:
    """Where to save (tests replace this); None when cancelled."""
    pattern = "PDF (*.pdf)" if kind == "pdf" else "Excel (*.xlsx)"
    name, _ = QFileDialog.getSaveFileName(parent, title, suggested, pattern)
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == f".{kind}" else path.with_name(f"{path.name}.{kind}")


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    series: str | None = None
    week: date | None = None


@dataclass(frozen=True)
class RegisterData:
    entries: list[RegisterEntry]
    years: list[int]


def sent_text(e: RegisterEntry) -> str:
    if e.sent_by is None or e.sent_at is None:
        return ""
    how = i18n.sent_channel_name(e.sent_by)
    return f"{how} {i18n.datetime_text(e.sent_at.astimezone(calendar.BANGKOK))}"


def state_text(e: RegisterEntry) -> str:
    if e.in_force:
        if e.replaces is not None:
            return QCoreApplication.translate("RegisterPage", "ใช้แทนฉบับที่ยกเลิก")
        return QCoreApplication.translate("RegisterPage", "ออกเลขแล้ว")
    return QCoreApplication.translate("RegisterPage", "ยกเลิก: {0}").format(e.spoil_reason or "")


class SentDialog(QDialog):
    """How and when a letter was sent."""

    def __init__(self, entry: RegisterEntry, now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("บันทึกการส่งหนังสือ {0}").format(entry.reference))
        form = QFormLayout(self)
        self.channel = QComboBox()
        self.channel.setObjectName("sentChannel")
        for code in SENT_CHANNELS:
            self.channel.addItem(i18n.sent_channel_name(code), code)
        if entry.sent_by is not None:
            self.channel.setCurrentIndex(self.channel.findData(entry.sent_by))
        self.at = QDateTimeEdit()
        self.at.setObjectName("sentAt")
        self.at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.at.setCalendarPopup(True)
        local = (entry.sent_at or now).astimezone(calendar.BANGKOK).replace(tzinfo=None)
        self.at.setDateTime(QDateTime(local))
        form.addRow(self.tr("ส่งโดย"), self.channel)
        form.addRow(self.tr("เมื่อ (เวลาไทย)"), self.at)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def chosen(self) -> tuple[str, datetime]:
        at = self.at.dateTime().toPython()
        assert isinstance(at, datetime)
        return str(self.channel.currentData()), at.replace(tzinfo=calendar.BANGKOK)


class RegisterPage(Page):
    watches = (SETTINGS,)  # issuing, sending and spoiling are audited as "letter" (settings)
    follows_week = False

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__(ctx)
        self.filters = Filters()
        self.data = RegisterData([], [])
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 14, 18, 10)
        outer.setSpacing(10)
        outer.addWidget(label(self.tr("ทะเบียนหนังสือส่ง"), "title"))
        outer.addWidget(
            label(
                self.tr(
                    "หนังสือ หนังสือเวียน (ว) และบันทึกข้อความทุกฉบับที่ออกเลขจากโปรแกรม "
                    "เก็บไฟล์ PDF ตามที่ส่งจริง พิมพ์ซ้ำได้ตรงตามต้นฉบับ"
                ),
                "subtitle",
                wrap=True,
            )
        )
        bar = QHBoxLayout()
        bar.setSpacing(8)
        self.year = QComboBox()
        self.year.setObjectName("registerYear")
        self.year.addItem(self.tr("ทุกปี"), ALL)
        self.series = QComboBox()
        self.series.setObjectName("registerSeries")
        self.series.addItem(self.tr("ทุกชุด"), ALL)
        self.series.addItem(self.tr("หนังสือและบันทึก"), "")
        self.series.addItem(self.tr("หนังสือเวียน (ว)"), CIRCULAR)
        self.week = QComboBox()
        self.week.setObjectName("registerWeek")
        self.week.addItem(self.tr("ทุกสัปดาห์"), ALL)
        for w in reversed(ctx.weeks):
            # Items carry the Monday as ISO text: Qt's findData does not match Python dates.
            self.week.addItem(f"{calendar.week_label(w)}  {short_date(w)}", w.isoformat())
        for caption, combo in (
            (self.tr("ปี พ.ศ."), self.year),
            (self.tr("ชุด"), self.series),
            (self.tr("สัปดาห์"), self.week),
        ):
            bar.addWidget(label(caption))
            bar.addWidget(combo)
            combo.currentIndexChanged.connect(self._filters_changed)
        bar.addStretch(1)
        self.reprint_button = QPushButton(self.tr("พิมพ์ซ้ำ (บันทึก PDF)…"))
        self.reprint_button.setObjectName("registerReprint")
        self.sent_button = QPushButton(self.tr("บันทึกการส่ง…"))
        self.sent_button.setObjectName("registerSent")
        self.spoil_button = QPushButton(self.tr("ยกเลิกเลขที่…"))
        self.spoil_button.setObjectName("registerSpoil")
        self.export_button = QPushButton(self.tr("ส่งออก Excel…"))
        self.export_button.setObjectName("registerExport")
        self.reprint_button.clicked.connect(self._reprint_clicked)
        self.sent_button.clicked.connect(self._sent_clicked)
        self.spoil_button.clicked.connect(self._spoil_clicked)
        self.export_button.clicked.connect(self._export_clicked)
        for b in (self.reprint_button, self.sent_button, self.spoil_button, self.export_button):
            bar.addWidget(b)
        outer.addLayout(bar)
        self.error = label("", "error", wrap=True)
        self.error.setObjectName("registerError")
        self.error.setVisible(False)
        outer.addWidget(self.error)

        def spoiled_colour(e: RegisterEntry) -> str | None:
            return None if e.in_force else theme.MUTED

        self.model: RowsModel[RegisterEntry] = RowsModel(
            [
                Column(self.tr("ที่"), lambda e: e.reference, foreground=spoiled_colour),
                Column(
                    self.tr("ลงวันที่"),
                    lambda e: short_date(e.issued_on),
                    align=CENTER,
                    foreground=spoiled_colour,
                ),
                Column(self.tr("ถึง"), lambda e: e.addressee, foreground=spoiled_colour),
                Column(
                    self.tr("เรื่อง"),
                    lambda e: i18n.letter_kind_name(e.kind),
                    tooltip=lambda e: e.subject,
                    foreground=spoiled_colour,
                ),
                Column(
                    self.tr("สัปดาห์"),
                    lambda e: calendar.week_label(e.week),
                    align=CENTER,
                    foreground=spoiled_colour,
                ),
                Column(self.tr("ผู้ออกเลข"), lambda e: e.clerk, align=CENTER),
                Column(self.tr("การส่ง"), sent_text),
                Column(
                    self.tr("สถานะ"),
                    state_text,
                    foreground=lambda e: None if e.in_force else theme.ERROR,
                ),
            ]
        )
        self.table = QTableView()
        self.table.setObjectName("registerTable")
        self.table.setModel(self.model)
        tidy_table(self.table, row_height_factor=1.6)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self._reprint_clicked())
        outer.addWidget(self.table, 1)
        self.detail = label("", "hint", wrap=True)
        self.detail.setObjectName("registerDetail")
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.detail)
        self._selection_changed()

    # ---------------------------------------------------------------- loading

    def showEvent(self, event: Any) -> None:  # noqa: N802
        # Letters are issued from the print dialog and other desks: always read afresh.
        self.stale = True
        super().showEvent(event)

    def _filters_changed(self, *_args: object) -> None:
        def value(combo: QComboBox) -> Any:
            data = combo.currentData()
            return None if data == ALL else data

        week = value(self.week)
        self.filters = Filters(
            value(self.year), value(self.series), None if week is None else date.fromisoformat(week)
        )
        self.reload()

    def fetch(self) -> RegisterData:
        f = self.filters
        db = self.ctx.db
        return RegisterData(
            letter_register.list_letters(db, year=f.year, series=f.series, week=f.week),
            letter_register.years(db),
        )

    def apply(self, data: RegisterData) -> None:
        chosen = self.selected()
        self.data = data
        self.year.blockSignals(True)
        current = self.year.currentData()
        while self.year.count() > 1:
            self.year.removeItem(1)
        for y in reversed(data.years):
            self.year.addItem(str(y), y)
        self.year.setCurrentIndex(max(0, self.year.findData(current)))
        self.year.blockSignals(False)
        self.model.set_rows(data.entries)
        for row, e in enumerate(data.entries):
            if chosen is not None and e.id == chosen.id:
                self.table.selectRow(row)
        self._selection_changed()

    def selected(self) -> RegisterEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def select_letter(self, letter_id: int) -> None:
        for row, e in enumerate(self.model.rows):
            if e.id == letter_id:
                self.table.selectRow(row)
                return

    def _selection_changed(self, *_args: object) -> None:
        e = self.selected()
        writable = not self.ctx.read_only
        self.reprint_button.setEnabled(e is not None)
        self.sent_button.setEnabled(e is not None and e.in_force and writable)
        self.spoil_button.setEnabled(e is not None and e.in_force and writable)
        self.export_button.setEnabled(bool(self.model.rows))
        if e is None:
            self.detail.setText(
                self.tr("ยังไม่มีหนังสือในทะเบียน: หนังสือที่พิมพ์หรือบันทึกจากเมนูพิมพ์จะลงทะเบียนที่นี่")
                if not self.model.rows
                else self.tr("เลือกหนังสือเพื่อพิมพ์ซ้ำ บันทึกการส่ง หรือยกเลิก")
            )
            return
        self.detail.setText(
            f"{e.reference}  {self.tr('เรื่อง')} {e.subject}\n"
            f"{self.tr('ออกเลขเมื่อ')} {i18n.datetime_text(e.issued_at.astimezone(calendar.BANGKOK))}"
            f"  {e.pages} {self.tr('หน้า')}  SHA-256 {e.pdf_sha256[:16]}…"
        )

    # ---------------------------------------------------------------- actions

    def _say(self, text: str) -> None:
        """The refusal of the last action, in Thai (hidden when there is none)."""
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _failed(self, exc: BaseException) -> None:
        self._say(i18n.error_text(exc))

    def _written(self, entry: RegisterEntry, message: str) -> None:
        self._say("")
        self.ctx.message.emit(message)
        self.reload()

    def reprint_to(self, entry: RegisterEntry, out: Path) -> None:
        """Save the letter's stored PDF to ``out``, byte for byte as it went out."""
        db = self.ctx.db
        self._say("")
        self.ctx.reads.submit(
            lambda: printing.save_pdf(letter_register.reprint(db, entry.id), out),
            lambda _r: self.ctx.message.emit(
                self.tr("บันทึกหนังสือ {0} ตามต้นฉบับแล้ว: {1}").format(entry.reference, out)
            ),
            self._failed,
        )

    def mark_sent(self, entry: RegisterEntry, channel: str, at: datetime) -> None:
        if self.ctx.read_only:
            return
        db = self.ctx.db
        self._say("")
        self.ctx.writes.submit(
            lambda: letter_register.mark_sent(db, entry.id, by=channel, at=at),
            lambda e: self._written(e, self.tr("บันทึกการส่งหนังสือ {0} แล้ว").format(e.reference)),
            self._failed,
            origin=self,  # reloads itself; the other screens hear of it from the queue
        )

    def spoil(self, entry: RegisterEntry, reason: str) -> None:
        if self.ctx.read_only:
            return
        db = self.ctx.db
        self._say("")
        self.ctx.writes.submit(
            lambda: letter_register.spoil(db, entry.id, reason=reason),
            lambda e: self._written(e, self.tr("ยกเลิกหนังสือ {0} แล้ว").format(e.reference)),
            self._failed,
            origin=self,
        )

    def export_to(self, out: Path) -> None:
        f = self.filters
        db = self.ctx.db
        self._say("")
        self.ctx.reads.submit(
            lambda: letter_register.export_register(
                db, out, year=f.year, series=f.series, week=f.week
            ),
            lambda n: self.ctx.message.emit(
                self.tr("ส่งออกทะเบียนหนังสือส่ง {0} รายการ: {1}").format(n, out)
            ),
            self._failed,
        )

    def _reprint_clicked(self) -> None:
        e = self.selected()
        if e is None:
            return
        suggested = f"letter-{e.year}-{e.series + '-' if e.series else ''}{e.number}.pdf"
        out = choose_file(self, self.tr("พิมพ์ซ้ำ: บันทึกเป็น PDF"), suggested, "pdf")
        if out is not None:
            self.reprint_to(e, out)

    def _sent_clicked(self) -> None:
        e = self.selected()
        if e is None:
            return
        dialog = SentDialog(e, self.ctx.now(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.mark_sent(e, *dialog.chosen())

    def _spoil_clicked(self) -> None:
        e = self.selected()
        if e is None:
            return
        reason = prompts.ask_text(
            self,
            self.tr("ยกเลิกเลขที่หนังสือ"),
            self.tr("เหตุผลที่ยกเลิกหนังสือ {0} (ฉบับเดิมยังเก็บไว้ในทะเบียน)").format(e.reference),
        )
        if reason is not None:
            self.spoil(e, reason)

    def _export_clicked(self) -> None:
        out = choose_file(self, self.tr("ส่งออกทะเบียนหนังสือส่ง"), "outgoing-register.xlsx", "xlsx")
        if out is not None:
            self.export_to(out)
