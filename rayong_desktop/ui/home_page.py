"""This week: the deadlines ticking down, who has reported, whom to call, the province's total."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from rayong_desktop.domain import calendar, summaries
from rayong_desktop.domain.desk import (
    CallNote,
    Deadline,
    HomeFigures,
    HomeForecast,
    HomeSummary,
    Projection,
)
from rayong_desktop.domain.numbers import format_int, format_percent
from rayong_desktop.ui import i18n, theme
from rayong_desktop.ui.context import NOTES, OA, REGISTRY, REPORTS, SETTINGS, DeskContext
from rayong_desktop.ui.elide import WordElideDelegate, repaint_provisional, warm_up
from rayong_desktop.ui.page import Page
from rayong_desktop.ui.state import ui_settings
from rayong_desktop.ui.tablemodel import CENTER, RIGHT, Column, RowsModel
from rayong_desktop.ui.widgets import (
    Card,
    ProgressDelegate,
    StatTile,
    count_text,
    label,
    local_time,
    short_date,
    short_unit_name,
    tidy_table,
)

if TYPE_CHECKING:  # the services load once the database is open (see the window's `attach`)
    from rayong_desktop.services.first_run import Checklist

# Past this, "overdue by 40 days" helps nobody: the deadline is simply closed.
OVERDUE_SHOWN = timedelta(days=7)


def countdown(due: datetime, now: datetime) -> tuple[str, str]:
    """The countdown's text and urgency ("ok", "soon", "urgent", "late", "closed")."""
    left = due - now
    if left > timedelta(0):
        seconds = int(left.total_seconds())
        days, rest = divmod(seconds, 86_400)
        hours, rest = divmod(rest, 3_600)
        minutes, secs = divmod(rest, 60)
        clock = f"{hours:02d}:{minutes:02d}:{secs:02d}"
        text = (
            QCoreApplication.translate("HomePage", "อีก {0} วัน {1}").format(days, clock)
            if days
            else QCoreApplication.translate("HomePage", "อีก {0}").format(clock)
        )
        if left <= timedelta(hours=2):
            return text, "urgent"
        return text, "soon" if left <= timedelta(days=1) else "ok"
    over = now - due
    if over > OVERDUE_SHOWN:
        return QCoreApplication.translate("HomePage", "ครบกำหนดแล้ว"), "closed"
    minutes_total = int(over.total_seconds()) // 60
    days, rest = divmod(minutes_total, 1_440)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(QCoreApplication.translate("HomePage", "{0} วัน").format(days))
    if hours or days:
        parts.append(QCoreApplication.translate("HomePage", "{0} ชม.").format(hours))
    parts.append(QCoreApplication.translate("HomePage", "{0} นาที").format(minutes))
    return QCoreApplication.translate("HomePage", "เลยกำหนดมาแล้ว {0}").format(
        " ".join(parts)
    ), "late"


URGENCY_COLOUR = {
    "ok": theme.OK,
    "soon": theme.WARN,
    "urgent": theme.ERROR,
    "late": theme.ERROR,
    "closed": theme.MUTED,
}


def due_text(due: datetime) -> str:
    local = due.astimezone(calendar.BANGKOK)
    return QCoreApplication.translate("HomePage", "วัน{0}ที่ {1} เวลา {2}").format(
        i18n.weekday_text(local), short_date(local.date()), local_time(due)
    )


def week_title(week: date, campaign_weeks: list[date]) -> str:
    if week in campaign_weeks:
        n = campaign_weeks.index(week) + 1
        return QCoreApplication.translate("HomePage", "สัปดาห์ที่ {0} ของโครงการ · {1}").format(
            n, i18n.week_range_text(week)
        )
    return QCoreApplication.translate("HomePage", "สัปดาห์ {0}").format(i18n.week_range_text(week))


# How long after the first figures from the database the word segmenter starts loading.
WARM_UP_AFTER_MS = 400


@dataclass(frozen=True)
class CallRow:
    entry: summaries.CallListEntry
    notes: tuple[CallNote, ...]

    @property
    def last_note(self) -> str:
        if not self.notes:
            return ""
        n = self.notes[-1]
        more = f"  (+{len(self.notes) - 1})" if len(self.notes) > 1 else ""
        return f"{local_time(n.at)} {n.text}{more}"


# What the screen shows: the same figures whether read now or kept from the last session.
HomeData = HomeFigures

# The home and trends screens are viewed by plan row or by district; the choice is remembered.
GROUP_BY_KEY = "view/groupBy"
BY_PLAN = "plan"
BY_DISTRICT = "district"


def group_by_choice() -> str:
    value = ui_settings().value(GROUP_BY_KEY, BY_PLAN)
    return BY_DISTRICT if value == BY_DISTRICT else BY_PLAN


def remember_group_by(choice: str) -> None:
    store = ui_settings()
    if store.value(GROUP_BY_KEY, BY_PLAN) != choice:
        store.setValue(GROUP_BY_KEY, choice)
        store.sync()


def group_by_box(parent: QWidget) -> QComboBox:
    """The plan row / district toggle both screens show (item data: BY_PLAN, BY_DISTRICT)."""
    box = QComboBox(parent)
    box.setObjectName("groupBy")
    box.addItem(QCoreApplication.translate("HomePage", "รายแผน"), BY_PLAN)
    box.addItem(QCoreApplication.translate("HomePage", "รายอำเภอ"), BY_DISTRICT)
    box.setCurrentIndex(box.findData(group_by_choice()))
    return box


@dataclass(frozen=True)
class Bar:
    """One bar of the progress list: a plan row (``row`` set) or a district."""

    key: str  # the plan row's number, or the district's name
    name: str  # in full, for the tooltip
    totals: summaries.GroupTotals
    projection: Projection | None
    row: summaries.PlanRowInfo | None = None


def bars(data: HomeFigures, choice: str) -> list[Bar]:
    if choice == BY_DISTRICT:
        no_district = QCoreApplication.translate("HomePage", "ไม่สังกัดอำเภอ")
        return [
            Bar(
                d.district or no_district,
                d.district
                or QCoreApplication.translate("HomePage", "ไม่สังกัดอำเภอ (หน่วยงานระดับจังหวัด)"),
                d.totals,
                d.projection,
            )
            for d in data.districts
        ]
    projected = dict(data.forecast.plan_rows) if data.forecast is not None else {}
    return [
        Bar(str(r.row.number), r.row.name, r.totals, projected.get(r.row.number), r.row)
        for r in data.summary.plan_rows
    ]


class ForecastDelegate(ProgressDelegate):
    """The progress bar with a marker where the row is projected to stand at the campaign's
    end (red when it is projected to miss by more than the margin)."""

    def __init__(self, view: QTableView, model: RowsModel[Bar]) -> None:
        super().__init__(view)
        self.model = model

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().paint(painter, option, index)
        if not 0 <= index.row() < len(self.model.rows):
            return
        p = self.model.row(index.row()).projection
        if p is None or p.pct_of_quota_at_end is None:
            return
        # The same bar as ProgressDelegate draws: its left part of the cell.
        cell = QRectF(option.rect).adjusted(6, 0, -6, 0)
        width = max(40.0, min(100.0, cell.width() * 0.3))
        x = cell.left() + width * min(max(p.pct_of_quota_at_end, 0.0), 100.0) / 100.0
        y = cell.center().y()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(theme.ERROR if p.behind else "#1d2733"), 2.4))
        painter.drawLine(QPointF(x, y - 9), QPointF(x, y + 9))
        painter.restore()


class DeadlineCard(Card):
    """A deadline in two lines: when, and the countdown; beside them for whom and who has
    sent. On a narrow or scaled screen the texts wrap rather than widen the window."""

    def __init__(self) -> None:
        super().__init__()
        layout = QGridLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setHorizontalSpacing(10)
        layout.setVerticalSpacing(0)
        self.when = label("", "section", wrap=True)
        self.who = label("", "hint", wrap=True)
        self.clock = label("", "tileValue")
        self.progress = label("", "hint", wrap=True)
        layout.addWidget(self.when, 0, 0)
        layout.addWidget(self.who, 0, 1)
        layout.addWidget(self.clock, 1, 0)
        layout.addWidget(self.progress, 1, 1)
        layout.setColumnStretch(0, 3)  # the deadline's date on one line where it can be
        layout.setColumnStretch(1, 2)
        room = 20 * self.fontMetrics().horizontalAdvance("0")
        for text in (self.who, self.progress):
            text.setMinimumWidth(room)
            text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.deadline: Deadline | None = None

    def set_deadline(self, d: Deadline) -> None:
        self.deadline = d
        self.when.setText(self.tr("กำหนดส่ง {0}").format(due_text(d.due_at)))
        self.who.setText(self.tr("{0} · {1} หน่วย").format(d.name.split(":")[0].strip(), d.expected))
        self.progress.setText(
            self.tr("ส่งแล้ว {0} จาก {1} · ยังไม่ส่ง {2}").format(d.received, d.expected, d.missing)
        )
        self.who.setToolTip(d.name)

    def tick(self, now: datetime) -> str:
        if self.deadline is None:
            return ""
        text, urgency = countdown(self.deadline.due_at, now)
        if urgency in ("late", "closed") and self.deadline.missing == 0:
            urgency = "closed"  # nobody left to chase: nothing to be alarmed about
        self.clock.setText(text)
        self.clock.setStyleSheet(f"color: {URGENCY_COLOUR[urgency]};")
        return text


class FirstRunChecklist(Card):
    """The first run's steps in one line, each a button to its screen; a step ticks itself
    once the database shows it done (services.first_run), and the line goes once all are."""

    chosen = Signal(str)  # the step's key: the window opens its screen

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("firstRun")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 4, 12, 4)
        row.setSpacing(6)
        row.addWidget(label(self.tr("เริ่มต้นใช้งาน:"), "section"))
        self.buttons: dict[str, QPushButton] = {}
        self._row = row
        row.addStretch(1)
        self.checklist: Checklist | None = None

    def _button(self, key: str) -> QPushButton:
        if key not in self.buttons:
            button = QPushButton()
            button.setObjectName(f"firstRun_{key}")
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _=False, k=key: self.chosen.emit(k))
            self.buttons[key] = button
            self._row.insertWidget(self._row.count() - 1, button)
        return self.buttons[key]

    def texts(self) -> dict[str, str]:
        return {
            "office": self.tr("ข้อมูลสำนักงานและ LINE ID"),
            "contacts": self.tr("ผู้ติดต่อของหน่วย"),
            "local_administrations": self.tr("นำเข้ารายชื่อ อปท."),
            "reports": self.tr("รายงานสัปดาห์แรก"),
        }

    def show_checklist(self, checklist: Checklist) -> None:
        self.checklist = checklist
        texts = self.texts()
        for step in checklist.steps:
            button = self._button(step.key)
            text = texts[step.key]
            if step.key == "contacts" and step.missing:
                text += self.tr(" (ขาด %n หน่วย)", "", step.missing)
            button.setText(("✓ " if step.done else "☐ ") + text)
            button.setProperty("done", step.done)
            button.setStyleSheet(f"color: {theme.OK};" if step.done else "")
        self.setVisible(not checklist.complete)


class HomePage(Page):
    watches = (REPORTS, REGISTRY, OA, SETTINGS, NOTES)
    firstRunStep = Signal(str)  # noqa: N815 - Qt's naming: a step of the first-run checklist

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__(ctx)
        self.data: HomeData | None = None
        self.kept = False  # what is on show was kept from the last session, not read
        self._warmed = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 10, 16, 8)
        outer.setSpacing(8)

        # The week's figures take a few compact lines and can be folded away: the call list
        # below, the clerk's work list, gets the rest of the height (8 rows and more at 1366x768).
        self.heading = label("", "title")
        self.subheading = label("", "subtitle")
        self.subheading.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.fold_button = QToolButton()
        self.fold_button.setObjectName("foldSummary")
        self.fold_button.setCheckable(True)
        self.fold_button.setAutoRaise(True)
        self.fold_button.toggled.connect(self._fold)
        head = QHBoxLayout()
        head.setSpacing(12)
        head.addWidget(self.heading)
        head.addWidget(self.subheading, 1, Qt.AlignmentFlag.AlignBottom)
        head.addWidget(self.fold_button)
        outer.addLayout(head)

        self.checklist = FirstRunChecklist()
        self.checklist.setVisible(False)
        self.checklist.chosen.connect(self.firstRunStep)
        outer.addWidget(self.checklist)

        self.summary_box = QWidget()
        self.summary_box.setObjectName("homeSummary")
        summary = QVBoxLayout(self.summary_box)
        summary.setContentsMargins(0, 0, 0, 0)
        summary.setSpacing(8)
        self.deadline_row = QHBoxLayout()
        self.deadline_row.setSpacing(10)
        self.cards: list[DeadlineCard] = []
        summary.addLayout(self.deadline_row)

        tiles = QHBoxLayout()
        tiles.setSpacing(10)
        self.tile_expected = StatTile(self.tr("ต้องส่งสัปดาห์นี้"))
        self.tile_received = StatTile(self.tr("ส่งแล้ว"))
        self.tile_on_time = StatTile(self.tr("ตรงเวลา"))
        self.tile_late = StatTile(self.tr("ส่งช้า"))
        self.tile_missing = StatTile(self.tr("ยังไม่ส่ง"))
        for t in (
            self.tile_expected,
            self.tile_received,
            self.tile_on_time,
            self.tile_late,
            self.tile_missing,
        ):
            compact = t.layout()
            if compact is not None:
                compact.setContentsMargins(10, 4, 10, 4)
                compact.setSpacing(0)
            tiles.addWidget(t, 2)

        province = Card()
        grid = QGridLayout(province)
        grid.setContentsMargins(12, 4, 12, 4)
        grid.setVerticalSpacing(2)
        self.province_figure = label("", "section")
        self.province_bar = QProgressBar()
        self.province_bar.setRange(0, 1000)
        self.province_bar.setTextVisible(True)
        self.province_detail = label("", "hint")
        for text in (self.province_figure, self.province_detail):  # in full in the tooltip
            text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        grid.addWidget(self.province_figure, 0, 0)
        grid.addWidget(self.province_bar, 1, 0)
        grid.addWidget(self.province_detail, 2, 0)
        self.province_forecast = label("", "hint")
        self.province_forecast.setObjectName("provinceForecast")
        self.province_forecast.setSizePolicy(
            QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred
        )
        grid.addWidget(self.province_forecast, 3, 0)
        tiles.addWidget(province, 7)
        summary.addLayout(tiles)
        outer.addWidget(self.summary_box)
        self._fold(bool(ui_settings().value("home/summaryFolded", False, type=bool)))

        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)

        calls = QWidget()
        calls_layout = QVBoxLayout(calls)
        calls_layout.setContentsMargins(0, 0, 0, 0)
        self.calls_title = label(self.tr("รายชื่อที่ต้องโทรตาม"), "section")
        calls_layout.addWidget(self.calls_title)
        self.call_model: RowsModel[CallRow] = RowsModel(self._call_columns())
        self.call_table = QTableView()
        self.call_table.setObjectName("callList")
        self.call_table.setModel(self.call_model)
        # Rows a little lower than elsewhere (still room for Thai above and below the line):
        # the call list is the clerk's work list and shows as many units as it can.
        tidy_table(self.call_table, row_height_factor=1.55)
        self.call_table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self._word_elide = WordElideDelegate(self.call_table)  # names and notes: whole words
        for column in (0, 1, 6):
            self.call_table.setItemDelegateForColumn(column, self._word_elide)
        header = self.call_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The name takes the room; the last call's note a fixed share (all of it in the tooltip).
        # The contact and the note are elided by word at a fixed share (whole in the tooltip),
        # so the unit's name keeps room on a 1280-pixel screen too.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        digit = self.call_table.fontMetrics().horizontalAdvance("0")
        for column, digits in ((1, 12), (6, 10)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, digits * digit)
        calls_layout.addWidget(self.call_table, 1)
        note_row = QHBoxLayout()
        self.note_label = label(self.tr("บันทึกการโทร:"))
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("callNote")
        self.note_edit.setPlaceholderText(
            self.tr("เช่น รับปากส่งก่อน 15.00 น. — พิมพ์แล้วกด Enter (เลือกหน่วยจากรายชื่อด้านบน)")
        )
        self.note_edit.returnPressed.connect(self.save_note)
        note_row.addWidget(self.note_label)
        note_row.addWidget(self.note_edit, 1)
        calls_layout.addLayout(note_row)
        split.addWidget(calls)

        rows = QWidget()
        rows_layout = QVBoxLayout(rows)
        rows_layout.setContentsMargins(0, 0, 0, 0)
        rows_head = QHBoxLayout()
        self.rows_title = label(self.tr("ความคืบหน้ารายแผน"), "section")
        rows_head.addWidget(self.rows_title, 1)
        self.group_by = group_by_box(self)
        self.group_by.setToolTip(self.tr("ดูความคืบหน้ารายแผนหรือรายอำเภอ"))
        self.group_by.currentIndexChanged.connect(self._group_by_changed)
        rows_head.addWidget(self.group_by)
        rows_layout.addLayout(rows_head)
        self.row_model: RowsModel[Bar] = RowsModel(self._row_columns())
        self.row_table = QTableView()
        self.row_table.setObjectName("planProgress")
        self.row_table.setModel(self.row_model)
        tidy_table(self.row_table)
        self.row_table.setItemDelegateForColumn(1, ForecastDelegate(self.row_table, self.row_model))
        rh = self.row_table.horizontalHeader()
        rh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        rh.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.row_table.setToolTip(self.tr("ชี้ที่แถวเพื่อดูชื่อหน่วยงานในแผน"))
        rows_layout.addWidget(self.row_table, 1)
        split.addWidget(rows)
        split.setStretchFactor(0, 7)
        split.setStretchFactor(1, 3)
        split.setSizes([1400, 600])
        outer.addWidget(split, 1)

        # Typing while the call list has focus goes straight into the note: no mouse needed.
        self.call_table.installEventFilter(self)
        self.call_table.selectionModel().currentRowChanged.connect(self._on_call_selected)

        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    # ---------------------------------------------------------------- columns

    def _call_columns(self) -> list[Column[CallRow]]:
        return [
            Column(
                self.tr("หน่วย"),
                lambda r: short_unit_name(r.entry.name),
                tooltip=lambda r: self.tr("{0} {1} (แผนลำดับที่ {2})").format(
                    r.entry.code, r.entry.name, r.entry.plan_row
                ),
            ),
            Column(self.tr("ผู้ประสานงาน"), lambda r: r.entry.contact or "–"),
            Column(self.tr("โทรศัพท์"), lambda r: r.entry.phone or "–"),
            Column(self.tr("โทรสาร"), lambda r: r.entry.fax or "–"),
            Column(
                self.tr("ยอดครั้งก่อน"),
                lambda r: count_text(r.entry.last_count),
                align=RIGHT,
                sort=lambda r: r.entry.last_count or -1,
            ),
            Column(
                self.tr("กำหนดส่ง"),
                lambda r: (
                    i18n.weekday_text(r.entry.due_at, short=True)
                    + " "
                    + local_time(r.entry.due_at)
                    + (" · " + self.tr("เลยกำหนด") if r.entry.due_at <= self.ctx.now() else "")
                ),
                align=CENTER,
            ),
            Column(
                self.tr("บันทึกการโทรล่าสุด"),
                lambda r: r.last_note,
                tooltip=lambda r: (
                    "\n".join(f"{local_time(n.at)} {n.clerk}: {n.text}" for n in r.notes) or None
                ),
            ),
            Column(
                self.tr("คาดการณ์"),
                lambda r: self.tr("ต้องเร่ง") if self._behind(r.entry.code) else "",
                align=CENTER,
                foreground=lambda r: theme.ERROR if self._behind(r.entry.code) else None,
                bold=lambda r: self._behind(r.entry.code),
                tooltip=lambda r: (
                    self.tr("คาดว่าเมื่อสิ้นโครงการจะได้ต่ำกว่าเป้าหมายเกิน {0}%").format(
                        self.data.forecast.margin_pct
                    )
                    if self._behind(r.entry.code) and self.data and self.data.forecast
                    else None
                ),
            ),
        ]

    def _behind(self, code: str) -> bool:
        fc = self.data.forecast if self.data is not None else None
        return fc is not None and code in fc.units_behind

    def _row_columns(self) -> list[Column[Bar]]:
        return [
            Column(
                self.tr("แผน / อำเภอ"),
                lambda r: r.key,
                align=CENTER,
                tooltip=lambda r: r.name,
            ),
            Column(
                self.tr("สมาชิกเทียบเป้าหมาย"),
                lambda r: (
                    f"{format_percent(r.totals.pct_of_quota)} · "
                    f"{format_int(r.totals.count)} / {format_int(r.totals.quota)}"
                ),
                tooltip=lambda r: r.name + self._projection_text(r.projection),
                value=lambda r: r.totals.pct_of_quota,
            ),
            Column(
                self.tr("รายงาน"),
                lambda r: f"{r.totals.received}/{r.totals.expected}",
                align=CENTER,
                foreground=lambda r: theme.ERROR if r.totals.missing else None,
                tooltip=lambda r: self.tr("ส่งแล้ว {0} จาก {1} หน่วย").format(
                    r.totals.received, r.totals.expected
                ),
            ),
        ]

    def _projection_text(self, p: Projection | None) -> str:
        if p is None:
            return ""
        return "\n" + self.tr("คาดการณ์เมื่อสิ้นโครงการ {0} คน ({1} ของเป้าหมาย)").format(
            format_int(p.at_end), format_percent(p.pct_of_quota_at_end)
        )

    def _group_by_changed(self, _index: int) -> None:
        choice = str(self.group_by.currentData())
        remember_group_by(choice)
        self._show_bars()

    def _show_bars(self) -> None:
        choice = str(self.group_by.currentData())
        self.rows_title.setText(
            self.tr("ความคืบหน้ารายอำเภอ") if choice == BY_DISTRICT else self.tr("ความคืบหน้ารายแผน")
        )
        if self.data is not None:
            self.row_model.set_rows(bars(self.data, choice))

    # ---------------------------------------------------------------- folding the figures

    def _fold(self, folded: bool) -> None:
        """Fold the week's figures away (the call list takes their room), or show them."""
        if self.fold_button.isChecked() != folded:
            self.fold_button.setChecked(folded)  # comes back here through `toggled`
            return
        self.summary_box.setVisible(not folded)
        self.fold_button.setText(self.tr("▸ แสดงตัวเลขสรุป") if folded else self.tr("▾ ย่อตัวเลขสรุป"))
        store = ui_settings()
        if bool(store.value("home/summaryFolded", False, type=bool)) != folded:
            store.setValue("home/summaryFolded", folded)

    # ---------------------------------------------------------------- loading

    def reload(self) -> None:
        """The week's figures, and beside them where the office stands with its first run."""
        super().reload()
        if not self.ctx.ready:
            return
        from rayong_desktop.services import first_run

        db = self.ctx.db
        self.ctx.reads.submit(
            lambda: first_run.checklist(db), self.checklist.show_checklist, self._no_checklist
        )

    def _no_checklist(self, _exc: BaseException) -> None:
        self.checklist.setVisible(False)  # a step list that cannot be read is not shown

    def fetch(self) -> HomeData:
        from rayong_desktop.services import desk

        return desk.home_figures(self.ctx.db, self.ctx.week)

    def show_kept(self, figures: HomeData) -> None:
        """Show the figures kept from the last session (checked against the database file)
        while the database opens; they are read again once it has."""
        self.apply(figures)
        self.kept = True
        self.stale = True

    def load_failed(self, exc: BaseException) -> None:
        if self.kept:  # never let last session's figures pass for what the file holds now
            self.subheading.setText(
                self.tr("ตัวเลขบนหน้านี้เก็บไว้เมื่อปิดโปรแกรมครั้งก่อน อ่านจากฐานข้อมูลตอนนี้ไม่ได้:")
                + f" {i18n.error_text(exc)}"
            )
            self.subheading.setStyleSheet(f"color: {theme.ERROR};")

    def apply(self, data: HomeData) -> None:
        self.data = data
        self.kept = False
        self.subheading.setStyleSheet("")
        s = data.summary
        self.heading.setText(week_title(data.week, data.campaign_weeks))
        self.subheading.setText(
            f"{calendar.week_label(data.week)} · "
            + self.tr("ข้อมูล ณ")
            + f" {short_date(self.ctx.now().astimezone(calendar.BANGKOK).date())}"
            f" {local_time(self.ctx.now())}"
        )
        self._set_deadlines(data.deadlines)
        t = s.totals
        self.tile_expected.set(str(t.expected), self.tr("หน่วยที่ถึงกำหนดรายงาน"))
        self.tile_received.set(
            str(t.received), self.tr("อัตราการส่ง") + " " + format_percent(t.reporting_rate)
        )
        self.tile_on_time.set(
            str(t.on_time),
            self.tr("ส่งทันเวลา") + " " + format_percent(t.on_time_rate),
            theme.OK if t.on_time else None,
        )
        self.tile_late.set(str(t.late), self.tr("ส่งหลังกำหนด"), theme.WARN if t.late else None)
        # Past their deadline and not yet due are different lists: counted and shown apart.
        calls = summaries.call_lists(s.call_list, self.ctx.now())
        self.tile_missing.set(
            str(t.missing),
            self.tr("เลยกำหนด")
            + f" {len(calls.overdue)} · "
            + self.tr("ยังไม่ถึงกำหนด")
            + f" {len(calls.not_yet_due)}",
            theme.ERROR if calls.overdue else theme.OK,
        )
        self._set_province(s)
        selected = self._selected_code()
        self.call_model.set_rows(
            # The most overdue first, then those still to come by their deadline.
            [CallRow(c, tuple(data.notes.get(c.code, ()))) for c in calls.in_order]
        )
        self.calls_title.setText(
            self.tr("ต้องโทรตาม (เลยกำหนด) {0} หน่วย · ยังไม่ถึงกำหนด {1} หน่วย").format(
                len(calls.overdue), len(calls.not_yet_due)
            )
        )
        self._reselect(selected)
        self._show_bars()
        self._set_forecast(data.forecast)
        self.tick()
        if not self._warmed and self.ctx.ready:
            # The word segmenter for eliding names: loaded off screen a moment after the
            # figures read from the database are painted (loading it beside the painting slows
            # that down by a tenth of a second; until then names are cut between letter
            # clusters, then drawn again).
            self._warmed = True
            QTimer.singleShot(WARM_UP_AFTER_MS, self, self._load_segmenter)

    def _load_segmenter(self) -> None:
        if not self.ctx.reads.stopped:  # the desk may have closed meanwhile
            self.ctx.reads.submit(warm_up, repaint_provisional)

    def _set_deadlines(self, deadlines: list[Deadline]) -> None:
        while len(self.cards) < len(deadlines):
            card = DeadlineCard()
            card.setObjectName(f"deadline{len(self.cards)}")
            self.cards.append(card)
            self.deadline_row.addWidget(card)
        for card, d in zip(self.cards, deadlines, strict=False):
            card.set_deadline(d)
            card.setVisible(True)
        for card in self.cards[len(deadlines) :]:
            card.setVisible(False)

    def _set_province(self, s: HomeSummary) -> None:
        t = s.totals
        self.province_figure.setText(
            self.tr("สมาชิกสะสมทั้งจังหวัด {0} คน จากเป้าหมาย {1} คน").format(
                format_int(t.count), format_int(t.quota)
            )
        )
        pct = t.pct_of_quota or 0.0
        self.province_bar.setValue(int(min(pct, 100.0) * 10))
        self.province_bar.setFormat(format_percent(t.pct_of_quota))
        parts = [
            self.tr("เพิ่มขึ้นจากสัปดาห์ก่อน") + f" {format_int(t.increase)} " + self.tr("คน"),
            self.tr("ยังขาด") + f" {format_int(t.shortfall)} " + self.tr("คน"),
        ]
        if s.stated_quota is not None and s.stated_quota != t.quota:
            parts.append(
                self.tr("เป้าหมายรวมตามที่พิมพ์ในแผน")
                + f" {format_int(s.stated_quota)} "
                + self.tr("คน (เป้าหมายคำนวณจากรายแผนต่างไป")
                + f" {format_int(t.quota - s.stated_quota)} "
                + self.tr("คน)")
            )
        oa = s.oa
        if oa.friends is not None and oa.stat is not None:
            parts.append(
                self.tr("เพื่อนใน LINE OA")
                + f" {format_int(oa.friends)} "
                + self.tr("คน (ณ")
                + f" {short_date(oa.stat.date)})"
            )
        self.province_detail.setText(" · ".join(parts))
        self.province_detail.setToolTip(" · ".join(parts))
        self.province_figure.setToolTip(self.province_figure.text())

    def _set_forecast(self, fc: HomeForecast | None) -> None:
        """One line for the province: where it is heading at the recent pace."""
        if fc is None:
            self.province_forecast.setText("")
            return
        p = fc.province
        # Short enough for the card at 1366x768; the rest of it in the tooltip.
        text = self.tr("คาดการณ์ ณ {0}: {1} คน ({2})").format(
            short_date(fc.campaign_end),
            format_int(p.at_end),
            format_percent(p.pct_of_quota_at_end),
        )
        more = [
            self.tr("คาดการณ์เมื่อสิ้นโครงการ ({0}): {1} คน ({2} ของเป้าหมาย)").format(
                short_date(fc.campaign_end),
                format_int(p.at_end),
                format_percent(p.pct_of_quota_at_end),
            )
        ]
        if p.weekly_needed:
            more.append(self.tr("ต้องเพิ่มสัปดาห์ละ {0} คน").format(format_int(p.weekly_needed)))
        if fc.units_behind:
            more.append(self.tr("ต้องเร่ง {0} หน่วย").format(len(fc.units_behind)))
        self.province_forecast.setText(text)
        self.province_forecast.setToolTip("\n".join(more))
        colour = theme.ERROR if p.behind else theme.OK
        self.province_forecast.setStyleSheet(f"color: {colour};")

    # ---------------------------------------------------------------- countdown

    def tick(self) -> None:
        now = self.ctx.now()
        for card in self.cards:
            if card.isVisible() or card.deadline is not None:
                card.tick(now)

    def countdown_texts(self) -> list[str]:
        return [c.clock.text() for c in self.cards if not c.isHidden()]

    # ---------------------------------------------------------------- call notes

    def _selected_code(self) -> str | None:
        index = self.call_table.currentIndex()
        if not index.isValid() or index.row() >= len(self.call_model.rows):
            return None
        return self.call_model.row(index.row()).entry.code

    def _reselect(self, code: str | None) -> None:
        for i, r in enumerate(self.call_model.rows):
            if r.entry.code == code:
                self.call_table.selectRow(i)
                return
        if self.call_model.rows:
            self.call_table.selectRow(0)
        self._on_call_selected()

    def _on_call_selected(self, *_args: Any) -> None:
        code = self._selected_code()
        row = next((r for r in self.call_model.rows if r.entry.code == code), None)
        if row is None:
            self.note_label.setText(self.tr("บันทึกการโทร:"))
            self.note_edit.setEnabled(False)
        else:
            self.note_label.setText(self.tr("บันทึกการโทรถึง") + f" {row.entry.code}:")
            self.note_label.setToolTip(row.entry.name)
            self.note_edit.setEnabled(not self.ctx.read_only)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.call_table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            text = event.text()
            if (
                text
                and text.isprintable()
                and not text.isspace()
                and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
                and self.note_edit.isEnabled()
            ):
                self.note_edit.setFocus()
                self.note_edit.insert(text)
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.note_edit.isEnabled():
                self.note_edit.setFocus()
                return True
        return super().eventFilter(watched, event)

    def save_note(self) -> None:
        code = self._selected_code()
        text = self.note_edit.text().strip()
        if code is None or not text:
            return
        if not self.ctx.ready:
            return
        from rayong_desktop.services import desk

        week = self.ctx.week
        db = self.ctx.db

        def done(_note: CallNote) -> None:
            self.ctx.message.emit(self.tr("บันทึกการโทรถึง") + f" {code} " + self.tr("แล้ว"))

        def failed(exc: BaseException) -> None:
            self.ctx.message.emit(i18n.error_text(exc))

        self.note_edit.clear()
        self.call_table.setFocus()
        self.ctx.writes.submit(
            lambda: desk.add_call_note(db, unit_code=code, week=week, text=text), done, failed
        )

    def focus_target(self) -> QWidget | None:
        return self.call_table
