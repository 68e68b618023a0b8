"""Key in reports: a grid of units where the clerk types a count and moves on.

The count column takes the keyboard: typing any digit (Arabic or Thai) opens the cell, Enter,
Tab, Up and Down store it and move on, so sixty figures go in without the mouse. Each figure is
saved as soon as it leaves the cell (on the writes queue, so typing never waits for the disk);
the cell shows it "saving" until the service answers, then stored, refused (with the reason in
Thai), waiting for confirmation (F9 confirms) or in conflict with someone else's newer figure
(F9 keeps the clerk's figure, Esc takes theirs). Ctrl+Z takes back the last stored figure and
Ctrl+Y puts it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDateTime,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimeZone,
    Signal,
)
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from rayong_desktop.domain import calendar
from rayong_desktop.domain.errors import NeedsConfirmation, RefusedError
from rayong_desktop.domain.numbers import CountError, format_int, parse_count
from rayong_desktop.domain.registry import DISTRICT_NAMES, KINDS
from rayong_desktop.domain.thaidate import thai_datetime
from rayong_desktop.services import desk, registry, reports
from rayong_desktop.ui import theme
from rayong_desktop.ui.context import REGISTRY, REPORTS, DeskContext
from rayong_desktop.ui.page import Page
from rayong_desktop.ui.widgets import (
    count_text,
    label,
    local_time,
    short_day,
    short_unit_name,
    tidy_table,
)

Index = QModelIndex | QPersistentModelIndex

(
    COL_CODE,
    COL_NAME,
    COL_ROW,
    COL_DISTRICT,
    COL_PREV,
    COL_COUNT,
    COL_STATE,
    COL_CHANNEL,
    COL_REPORTER,
    COL_PHONE,
    COL_RECEIVED,
) = range(11)
EDITABLE = (COL_COUNT, COL_CHANNEL, COL_REPORTER, COL_PHONE)
CORRECTION_REASON = "แก้ไขจากหน้าบันทึก"
DETAIL_REASON = "แก้ไขช่องทาง/ผู้รายงานจากหน้าบันทึก"
REDO_REASON = "ทำซ้ำ (redo) จากหน้าบันทึก"
KIND_SHORT = {k.code: k.short_th for k in KINDS}

# States of a row's figure as the clerk sees it.
SAVING, SAVED, CORRECTED, UNCHANGED = "saving", "saved", "corrected", "unchanged"
REFUSED, CONFIRM, CONFLICT, UNDONE, FAILED = "refused", "confirm", "conflict", "undone", "failed"
UNSETTLED = (REFUSED, CONFIRM, CONFLICT, FAILED)  # a typed figure that is not stored


def late_text(minutes: int) -> str:
    if minutes < 60:
        return f"{minutes} นาที"
    hours, mins = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} ชม. {mins} นาที" if mins else f"{hours} ชม."
    days, hours = divmod(hours, 24)
    return f"{days} วัน {hours} ชม." if hours else f"{days} วัน"


def without_where(message: str) -> str:
    """The reason alone: the services prefix "<unit> สัปดาห์ <week> (<date>): ", which the cell's
    own row already says."""
    head, sep, rest = message.partition("): ")
    return rest if sep and "สัปดาห์" in head else message


@dataclass
class KeyRow:
    base: desk.GridRow
    count: int | None = None
    version: int | None = None
    received_at: datetime | None = None
    channel: str = "phone"
    reporter: str | None = None
    reporter_phone: str | None = None
    draft: str | None = None  # typed, not (yet) stored
    state: str = ""
    message: str = ""
    their_count: int | None = None

    @classmethod
    def from_grid(cls, g: desk.GridRow) -> KeyRow:
        return cls(
            base=g,
            count=g.count,
            version=g.version,
            received_at=g.received_at,
            channel=g.channel,
            reporter=g.reporter,
            reporter_phone=g.reporter_phone,
        )

    @property
    def code(self) -> str:
        return self.base.code

    @property
    def late_minutes(self) -> int | None:
        if self.received_at is None:
            return None
        return calendar.late_minutes(self.received_at, self.base.due_at)

    def state_text(self) -> str:
        reason = without_where(self.message)
        if self.state == SAVING:
            return "กำลังบันทึก…"
        if self.state == REFUSED:
            return "✗ " + reason
        if self.state == FAILED:
            return "✗ บันทึกไม่สำเร็จ: " + reason
        if self.state == CONFIRM:
            return "⚠ ต้องยืนยัน (F9): " + reason.replace("\n", " · ")
        if self.state == CONFLICT:
            return f"⚠ มีผู้อื่นบันทึก {count_text(self.their_count)} คน: F9 ใช้ตัวเลขของท่าน · Esc ใช้ของเขา"
        if self.state == UNDONE:
            return "↶ " + (self.message or "ยกเลิกแล้ว")
        if self.count is None:
            return "ยังไม่ส่ง" if self.base.expected else "ไม่ต้องส่งสัปดาห์นี้"
        late = self.late_minutes
        timing = "ตรงเวลา" if not late else f"ช้า {late_text(late)}"
        if self.state == CORRECTED:
            return f"✓ แก้ไขแล้ว (ฉบับที่ {self.version}) · {timing}"
        if self.state == UNCHANGED:
            return f"✓ ตัวเลขเดิม · {timing}"
        if self.state == SAVED:
            return f"✓ บันทึกแล้ว · {timing}"
        return f"ส่งแล้ว · {timing}"


@dataclass
class UndoEntry:
    code: str
    week: date
    count: int
    version: int  # the version this entry produced
    before: int | None  # the figure it replaced
    undone_version: int | None = field(default=None)  # after undo: the version left (None: none)


class KeyingModel(QAbstractTableModel):
    countEntered = Signal(int, str)  # noqa: N815 (source row, typed text)
    detailEntered = Signal(int, int, object)  # noqa: N815 (source row, column, value)

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[KeyRow] = []
        self.editable = True
        self.headers = [
            self.tr("รหัส"),
            self.tr("หน่วยรายงาน"),
            self.tr("แผน"),
            self.tr("อำเภอ"),
            self.tr("ครั้งก่อน"),
            self.tr("สัปดาห์นี้"),
            self.tr("สถานะ"),
            self.tr("ช่องทาง"),
            self.tr("ผู้รายงาน"),
            self.tr("โทรผู้รายงาน"),
            self.tr("เวลารับรายงาน"),
        ]
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: list[KeyRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def row_of(self, code: str) -> int | None:
        for i, r in enumerate(self.rows):
            if r.code == code:
                return i
        return None

    def row_changed(self, i: int) -> None:
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.headers) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in (COL_PREV, COL_COUNT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if self.editable and index.column() in EDITABLE:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, col)
        if role == Qt.ItemDataRole.EditRole:
            if col == COL_COUNT:
                if r.draft is not None:
                    return r.draft
                return "" if r.count is None else str(r.count)
            if col == COL_CHANNEL:
                return r.channel
            if col == COL_REPORTER:
                return r.reporter or ""
            if col == COL_PHONE:
                return r.reporter_phone or ""
            return self._display(r, col)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col in (COL_PREV, COL_COUNT):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if col == COL_ROW:
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        if role == Qt.ItemDataRole.BackgroundRole and col in (COL_COUNT, COL_STATE):
            colour = {
                SAVING: theme.SAVING_SOFT,
                REFUSED: theme.ERROR_SOFT,
                FAILED: theme.ERROR_SOFT,
                CONFIRM: theme.WARN_SOFT,
                CONFLICT: theme.CONFLICT_SOFT,
            }.get(r.state)
            if colour is None and col == COL_COUNT and self.editable:
                colour = "#fbfcfe" if r.count is None else None
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == COL_STATE:
                colour = {
                    REFUSED: theme.ERROR,
                    FAILED: theme.ERROR,
                    CONFIRM: theme.WARN,
                    CONFLICT: theme.CONFLICT,
                    SAVED: theme.OK,
                    CORRECTED: theme.OK,
                    UNCHANGED: theme.OK,
                    SAVING: theme.MUTED,
                }.get(r.state)
                if colour is None and r.count is None and r.base.expected:
                    colour = theme.ERROR
                elif colour is None and r.late_minutes:
                    colour = theme.WARN
                return QBrush(QColor(colour or theme.MUTED))
            if col == COL_COUNT and r.state == SAVING:
                return QBrush(QColor(theme.MUTED))
            if not r.base.expected and r.count is None:
                return QBrush(QColor(theme.MUTED))
            return None
        if role == Qt.ItemDataRole.FontRole and col == COL_COUNT:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            if col in (COL_COUNT, COL_STATE) and r.message:
                return r.message
            if col == COL_NAME:
                b = r.base
                return "\n".join(
                    x
                    for x in (
                        f"{b.code} {b.name}",
                        f"ผู้ประสานงาน: {b.contact}" if b.contact else "",
                        f"โทรศัพท์: {b.phone}" if b.phone else "",
                        f"โทรสาร: {b.fax}" if b.fax else "",
                        f"เป้าหมาย {format_int(b.quota)} คน",
                    )
                    if x
                )
        return None

    def _display(self, r: KeyRow, col: int) -> str:
        b = r.base
        if col == COL_CODE:
            return b.code
        if col == COL_NAME:
            return short_unit_name(b.name)
        if col == COL_ROW:
            return str(b.plan_row)
        if col == COL_DISTRICT:
            return b.district or "–"
        if col == COL_PREV:
            return count_text(b.previous_count)
        if col == COL_COUNT:
            if r.draft is not None:
                return r.draft
            return "" if r.count is None else format_int(r.count)
        if col == COL_STATE:
            return r.state_text()
        if col == COL_CHANNEL:
            return reports.CHANNELS.get(r.channel, r.channel)
        if col == COL_REPORTER:
            return r.reporter or ""
        if col == COL_PHONE:
            return r.reporter_phone or ""
        if col == COL_RECEIVED:
            if r.received_at is None:
                return ""
            # The week is on the screen already: the day and the time are what differ.
            day = r.received_at.astimezone(calendar.BANGKOK).date()
            return f"{short_day(day)} {local_time(r.received_at)}"
        return ""

    def setData(self, index: Index, value: Any, role: int = 0) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self.editable:
            return False
        if index.column() == COL_COUNT:
            self.countEntered.emit(index.row(), str(value))
            return True
        if index.column() in (COL_CHANNEL, COL_REPORTER, COL_PHONE):
            self.detailEntered.emit(index.row(), index.column(), value)
            return True
        return False


class KeyingFilter(QSortFilterProxyModel):
    """Plan row, district, kind, "not yet reported" and a search over code and name.

    "Not yet reported" is taken when the filter is switched on (or the week loads): a unit
    keyed meanwhile stays in view, so the row the clerk is on never jumps away under the cursor.
    """

    def __init__(self) -> None:
        super().__init__()
        self.plan_row: int | None = None
        self.district: str | None = None
        self.kind: str | None = None
        self.missing_only = False
        self.missing_codes: set[str] = set()
        self.search = ""

    def source(self) -> KeyingModel:
        model = self.sourceModel()
        assert isinstance(model, KeyingModel)
        return model

    def take_missing(self) -> None:
        self.missing_codes = {r.code for r in self.source().rows if r.count is None}

    def refresh(self) -> None:
        self.beginFilterChange()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        r = self.source().rows[source_row]
        b = r.base
        if self.plan_row is not None and b.plan_row != self.plan_row:
            return False
        if self.district is not None and b.district != self.district:
            return False
        if self.kind is not None and b.kind != self.kind:
            return False
        if self.missing_only and r.code not in self.missing_codes:
            return False
        if self.search:
            wanted = self.search.casefold()
            if wanted not in b.code.casefold() and wanted not in b.name.casefold():
                return False
        return True


class CellDelegate(QStyledItemDelegate):
    """Editors that hand Enter, Tab and the arrows back to the grid to store and move on."""

    def __init__(self, view: KeyingView) -> None:
        super().__init__(view)
        self.view = view
        self.editor: QWidget | None = None

    def createEditor(  # noqa: N802
        self, parent: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> QWidget:
        if index.column() == COL_CHANNEL:
            combo = QComboBox(parent)
            for code, th in reports.CHANNELS.items():
                combo.addItem(th, code)
            combo.setObjectName("channelEditor")
            self.editor = combo
            return combo
        editor = QLineEdit(parent)
        if index.column() == COL_COUNT:
            editor.setObjectName("countEditor")
            editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            font = editor.font()
            font.setBold(True)
            editor.setFont(font)
        else:
            editor.setObjectName("textEditor")
        editor.setFrame(False)
        self.editor = editor
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        if isinstance(editor, QComboBox):
            i = editor.findData(index.data(Qt.ItemDataRole.EditRole))
            editor.setCurrentIndex(max(0, i))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:  # noqa: N802
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)

    def destroyEditor(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        if self.editor is editor:
            self.editor = None
        super().destroyEditor(editor, index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(watched, QWidget):
            assert isinstance(event, QKeyEvent)
            step = self.view.step_for(event)
            combo_arrow = isinstance(watched, QComboBox) and event.key() in (
                Qt.Key.Key_Up,
                Qt.Key.Key_Down,
            )
            if step is not None and not combo_arrow:
                self.commitData.emit(watched)
                self.closeEditor.emit(watched, QAbstractItemDelegate.EndEditHint.NoHint)
                self.view.move(step)
                return True
        return super().eventFilter(watched, event)

    def commit_open_editor(self) -> None:
        """Store whatever is typed in an open cell (the window is closing, the week changes)."""
        editor = self.editor
        if editor is not None:
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)


class KeyingView(QTableView):
    confirmRequested = Signal()  # noqa: N815
    discardRequested = Signal()  # noqa: N815

    def step_for(self, event: QKeyEvent) -> int | None:
        key = event.key()
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return -1 if shift else 1
        if key == Qt.Key.Key_Tab:
            return 1
        if key == Qt.Key.Key_Backtab:
            return -1
        if key == Qt.Key.Key_Down:
            return 1
        if key == Qt.Key.Key_Up:
            return -1
        return None

    def move(self, step: int) -> None:
        model = self.model()
        if model is None or model.rowCount() == 0:
            return
        current = self.currentIndex()
        row = current.row() if current.isValid() else -1
        col = current.column() if current.isValid() else COL_COUNT
        target = max(0, min(model.rowCount() - 1, row + step))
        index = model.index(target, col)
        self.setCurrentIndex(index)
        self.scrollTo(index)

    def focusNextPrevChild(self, next_: bool) -> bool:  # noqa: N802
        # Tab moves down the column (the paper list's order), not out of the grid.
        self.move(1 if next_ else -1)
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if self.state() != QAbstractItemView.State.EditingState:
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                step = self.step_for(event)
                if step is not None:
                    self.move(step)
                    event.accept()
                    return
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Escape):
                self.discardRequested.emit()
                event.accept()
                return
        super().keyPressEvent(event)


@dataclass(frozen=True)
class KeyingData:
    week: date
    rows: list[desk.GridRow]
    plan_rows: list[tuple[int, str]]


class KeyingPage(Page):
    watches = (REPORTS, REGISTRY)
    undoChanged = Signal()  # noqa: N815

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__(ctx)
        self.week: date | None = None
        self.undo_stack: list[UndoEntry] = []
        self.redo_stack: list[UndoEntry] = []
        # Per unit-week: writes still being answered, and the version the last one stored.
        self._in_flight: dict[tuple[str, date], int] = {}
        self._written: dict[tuple[str, date], int] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 14, 18, 10)
        outer.setSpacing(8)
        self.heading = label(self.tr("บันทึกรายงานประจำสัปดาห์"), "title")
        self.subheading = label("", "subtitle")
        outer.addWidget(self.heading)
        outer.addWidget(self.subheading)

        filters = QHBoxLayout()
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
            self.kind_filter.addItem(f"{k.short_th} {k.th}" if k.short_th != k.th else k.th, k.code)
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
        outer.addLayout(filters)

        received = QHBoxLayout()
        received.setSpacing(8)
        self.received_now = QCheckBox(self.tr("เวลารับรายงาน = เวลาที่บันทึก"))
        self.received_now.setObjectName("receivedNow")
        self.received_now.setChecked(True)
        self.received_edit = QDateTimeEdit()
        self.received_edit.setObjectName("receivedAt")
        self.received_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.received_edit.setCalendarPopup(True)
        self.received_edit.setEnabled(False)
        self._default_received_time()
        self.received_be = label("", "hint")
        received.addWidget(self.received_now)
        received.addWidget(self.received_edit)
        received.addWidget(self.received_be, 1)
        outer.addLayout(received)

        self.model = KeyingModel()
        self.proxy = KeyingFilter()
        self.proxy.setSourceModel(self.model)
        self.view = KeyingView()
        self.view.setObjectName("keyingGrid")
        self.view.setModel(self.proxy)
        tidy_table(self.view, row_height_factor=1.8)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectItems)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.delegate = CellDelegate(self.view)
        self.view.setItemDelegate(self.delegate)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        em = self.fontMetrics().horizontalAdvance("0")
        self.widths = {
            COL_CODE: 11 * em,
            COL_NAME: 30 * em,
            COL_ROW: 5 * em,
            COL_DISTRICT: 10 * em,
            COL_PREV: 9 * em,
            COL_COUNT: 11 * em,
            COL_STATE: 32 * em,
            COL_CHANNEL: 12 * em,
            COL_REPORTER: 21 * em,
            COL_PHONE: 13 * em,
            COL_RECEIVED: 16 * em,
        }
        for col, width in self.widths.items():
            self.view.setColumnWidth(col, width)
        outer.addWidget(self.view, 1)

        self.message_bar = QLabel()
        self.message_bar.setObjectName("keyingMessage")
        self.message_bar.setWordWrap(True)
        self.message_bar.setMinimumHeight(self.fontMetrics().height() * 2 + 14)
        outer.addWidget(self.message_bar)
        self.totals = label("", "hint")
        outer.addWidget(self.totals)

        self.confirm_action = QAction(self.tr("ยืนยันตัวเลขที่รอยืนยัน"), self)
        self.confirm_action.setShortcut(QKeySequence(Qt.Key.Key_F9))
        self.confirm_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.confirm_action.triggered.connect(self.confirm_current)
        self.addAction(self.confirm_action)
        self.search_action = QAction(self.tr("ค้นหาหน่วย"), self)
        self.search_action.setShortcut(QKeySequence.StandardKey.Find)
        self.search_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.search_action.triggered.connect(self._focus_search)
        self.addAction(self.search_action)

        self.model.countEntered.connect(self._count_entered)
        self.model.detailEntered.connect(self._detail_entered)
        self.view.discardRequested.connect(self.discard_current)
        self.view.confirmRequested.connect(self.confirm_current)
        self.view.selectionModel().currentChanged.connect(self._show_current_message)
        self.plan_filter.currentIndexChanged.connect(self._filters_changed)
        self.district_filter.currentIndexChanged.connect(self._filters_changed)
        self.kind_filter.currentIndexChanged.connect(self._filters_changed)
        self.missing_filter.toggled.connect(self._filters_changed)
        self.search.textChanged.connect(self._filters_changed)
        self.search.returnPressed.connect(self._focus_grid)
        self.received_now.toggled.connect(self._received_mode)
        self.received_edit.dateTimeChanged.connect(self._show_received_be)
        self._show_received_be()

    # ---------------------------------------------------------------- loading

    def fetch(self) -> KeyingData:
        week = self.ctx.week
        rows = desk.grid_rows(self.ctx.db, week)
        plan = [(r.number, r.name) for r in registry.plan_overview(self.ctx.db).rows]
        return KeyingData(week, rows, plan)

    def reload(self) -> None:
        # A reload resets the model, which would close an open cell and drop what is typed.
        if self.view.state() == QAbstractItemView.State.EditingState:
            self.stale = True
            self._debounce.start(400)
            return
        super().reload()

    def apply(self, data: KeyingData) -> None:
        same_week = data.week == self.week
        keep = {r.code: r for r in self.model.rows if r.draft is not None} if same_week else {}
        current = self._current_code()
        column = self.view.currentIndex().column() if self.view.currentIndex().isValid() else -1
        self.week = data.week
        rows = []
        for g in data.rows:
            row = KeyRow.from_grid(g)
            kept = keep.get(g.code)
            if kept is not None:  # typed figures outlive a refresh caused by someone else
                row.draft, row.state, row.message = kept.draft, kept.state, kept.message
                row.their_count = kept.their_count
            rows.append(row)
        self.model.editable = not self.ctx.read_only
        self.model.set_rows(rows)
        self._fill_plan_filter(data.plan_rows)
        if rows:
            longest = max(self.view.fontMetrics().horizontalAdvance(r.code) for r in rows)
            self.widths[COL_CODE] = max(self.widths[COL_CODE], longest + 24)
            self.view.setColumnWidth(COL_CODE, self.widths[COL_CODE])
            self._fit_name_column()
        if not same_week or self.missing_filter.isChecked():
            self.proxy.take_missing()
            self.proxy.refresh()
        self.subheading.setText(
            self.tr("สัปดาห์") + f" {calendar.week_label(data.week)} · "
            "พิมพ์ตัวเลขแล้วกด Enter หรือ Tab หรือลูกศร เพื่อบันทึกและไปหน่วยถัดไป · "
            "รับเลขไทยได้ · F9 ยืนยัน · Esc ยกเลิกตัวเลขที่พิมพ์ · Ctrl+Z เลิกทำ · Ctrl+Y ทำซ้ำ"
        )
        if not self.received_now.isChecked() and not same_week:
            self._default_received_time()
        self._select(current if same_week else None, column if same_week else COL_COUNT)
        self._update_totals()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_name_column()

    def _fit_name_column(self) -> None:
        """The unit's name takes what the other columns leave, but never less than it needs to
        be recognised; beyond that the grid scrolls sideways."""
        others = sum(w for col, w in self.widths.items() if col != COL_NAME)
        room = self.view.viewport().width() - others - 2
        self.view.setColumnWidth(COL_NAME, max(self.widths[COL_NAME] * 2 // 3, room))

    def _fill_plan_filter(self, plan_rows: list[tuple[int, str]]) -> None:
        if self.plan_filter.count() == len(plan_rows) + 1:
            return
        self.plan_filter.blockSignals(True)
        self.plan_filter.clear()
        self.plan_filter.addItem(self.tr("ทุกแผน"), None)
        for number, name in plan_rows:
            short = name if len(name) <= 48 else name[:47] + "…"
            self.plan_filter.addItem(f"{number}. {short}", number)
        self.plan_filter.blockSignals(False)

    def _select(self, code: str | None, column: int) -> None:
        col = column if column >= 0 else COL_COUNT
        target = None
        for i in range(self.proxy.rowCount()):
            r = self.model.rows[self.proxy.mapToSource(self.proxy.index(i, 0)).row()]
            if code is not None and r.code == code:
                target = i
                break
            if code is None and target is None and r.count is None and r.base.expected:
                target = i
                break
        if target is None and self.proxy.rowCount():
            target = 0
        if target is not None:
            index = self.proxy.index(target, col)
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)

    def focus_target(self) -> QWidget | None:
        return self.view

    def _current_code(self) -> str | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        source = self.proxy.mapToSource(index)
        if not source.isValid() or source.row() >= len(self.model.rows):
            return None
        return self.model.rows[source.row()].code

    def _current_row(self) -> tuple[int, KeyRow] | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        source = self.proxy.mapToSource(index)
        if not source.isValid():
            return None
        return source.row(), self.model.rows[source.row()]

    # ---------------------------------------------------------------- filters

    def _filters_changed(self, *_args: Any) -> None:
        code = self._current_code()
        self.proxy.plan_row = self.plan_filter.currentData()
        self.proxy.district = self.district_filter.currentData()
        self.proxy.kind = self.kind_filter.currentData()
        if self.missing_filter.isChecked() and not self.proxy.missing_only:
            self.proxy.take_missing()
        self.proxy.missing_only = self.missing_filter.isChecked()
        self.proxy.search = self.search.text().strip()
        self.proxy.refresh()
        self._select(code, COL_COUNT)
        self._update_totals()

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _focus_grid(self) -> None:
        self.view.setFocus()
        if not self.view.currentIndex().isValid():
            self._select(None, COL_COUNT)

    # ---------------------------------------------------------------- received time

    def _received_mode(self, now: bool) -> None:
        self.received_edit.setEnabled(not now)
        if not now:
            self._default_received_time()
        self._show_received_be()

    def _default_received_time(self) -> None:
        local = self.ctx.now().astimezone(calendar.BANGKOK)
        self.received_edit.setDateTime(
            QDateTime(local.date(), local.time().replace(second=0, microsecond=0))
        )

    def received_at(self) -> datetime | None:
        """The received time the clerk set, or None for "when keyed"."""
        if self.received_now.isChecked():
            return None
        qt = self.received_edit.dateTime()
        qt.setTimeZone(QTimeZone(b"Asia/Bangkok"))
        local = qt.toPython()
        return local.replace(tzinfo=calendar.BANGKOK, second=0, microsecond=0)

    def _show_received_be(self, *_args: Any) -> None:
        at = self.received_at()
        if at is None:
            self.received_be.setText(self.tr("ใช้เวลาขณะกดบันทึกของแต่ละตัวเลข"))
        else:
            self.received_be.setText("= " + thai_datetime(at))

    # ---------------------------------------------------------------- keying

    def _count_entered(self, source_row: int, text: str) -> None:
        row = self.model.rows[source_row]
        typed = text.strip()
        if not typed:
            if row.draft is not None:
                self._discard(source_row)
            return
        try:
            value = parse_count(typed, ceiling=10**12)
        except CountError:
            value = None
        if value is not None and value == row.count and row.state not in UNSETTLED:
            row.draft = None
            self.model.row_changed(source_row)
            return
        self._submit(source_row, typed, confirm=False)

    def _submit(self, source_row: int, typed: str, *, confirm: bool) -> None:
        row = self.model.rows[source_row]
        week = self.week
        assert week is not None
        row.draft = typed
        row.state = SAVING
        row.message = ""
        self.model.row_changed(source_row)
        db = self.ctx.db
        received = self.received_at()
        if received is None and row.version is None:
            received = self.ctx.now()
        code, channel, reporter, phone = row.code, row.channel, row.reporter, row.reporter_phone
        before = row.count

        def call(seen: int) -> reports.ReportResult:
            return reports.record_report(
                db,
                unit_code=code,
                week=week,
                count=typed,
                received_at=received,
                channel=channel,
                reporter=reporter,
                reporter_phone=phone,
                confirm=confirm,
                reason=CORRECTION_REASON if seen else None,
                # 0 for "I saw none": a figure someone else stored meanwhile is a conflict.
                expected_version=seen,
                allow_correction=True,
            )

        self._write(
            code,
            week,
            row.version or 0,
            call,
            lambda result: self._stored(code, week, typed, before, result),
            lambda exc: self._not_stored(code, week, typed, exc),
        )

    def _write(
        self,
        code: str,
        week: date,
        seen: int,
        call: Any,
        on_done: Any,
        on_error: Any,
    ) -> None:
        """Run `call(expected_version)` on the writes queue.

        The version this desk itself stored last for the unit-week, while such writes are still
        being answered, wins over the version the row showed: a clerk may type a unit's figure
        again before the first one is stored, and that is not someone else's change.
        """
        key = (code, week)
        self._in_flight[key] = self._in_flight.get(key, 0) + 1

        def job() -> reports.ReportResult:
            result: reports.ReportResult = call(self._written.get(key, seen))
            self._written[key] = result.version  # read by the next queued job for this key
            return result

        def settle() -> None:
            self._in_flight[key] -= 1
            if not self._in_flight[key]:
                del self._in_flight[key]
                self._written.pop(key, None)

        def done(result: reports.ReportResult) -> None:
            settle()
            on_done(result)

        def failed(exc: BaseException) -> None:
            settle()
            on_error(exc)

        self.ctx.writes.submit(job, done, failed)

    def _find(self, code: str, week: date) -> tuple[int, KeyRow] | None:
        if week != self.week:
            return None
        i = self.model.row_of(code)
        return None if i is None else (i, self.model.rows[i])

    def _stored(
        self, code: str, week: date, typed: str, before: int | None, result: reports.ReportResult
    ) -> None:
        if result.outcome != "unchanged":
            self.undo_stack.append(UndoEntry(code, week, result.count, result.version, before))
            self.redo_stack.clear()
            self.undoChanged.emit()
            self.ctx.changed(REPORTS, self)
        found = self._find(code, week)
        if found is None:
            return
        i, row = found
        # What is stored is what the row shows as stored, whatever is typed there now.
        row.count, row.version, row.received_at = result.count, result.version, result.received_at
        if row.draft == typed:  # else typed again meanwhile: that later figure's answer decides
            row.draft, row.their_count = None, None
            row.state = {"stored": SAVED, "corrected": CORRECTED}.get(result.outcome, UNCHANGED)
            row.message = ""
        self.model.row_changed(i)
        self._after_row_change(i)

    def _not_stored(self, code: str, week: date, typed: str, exc: BaseException) -> None:
        found = self._find(code, week)
        if found is None:
            self.ctx.message.emit(getattr(exc, "th", str(exc)))
            return
        i, row = found
        if row.draft != typed:
            return
        if isinstance(exc, reports.ConflictError):
            row.state = CONFLICT
            row.their_count = exc.current_count
            row.count = exc.current_count
            row.version = exc.current_version
            row.message = exc.th
        elif isinstance(exc, NeedsConfirmation):
            row.state = CONFIRM
            row.message = exc.th + "\nกด F9 เพื่อยืนยันว่าตัวเลขนี้ถูกต้อง หรือพิมพ์ตัวเลขใหม่"
        elif isinstance(exc, RefusedError):
            row.state = REFUSED
            row.message = exc.th
        else:
            row.state = FAILED
            row.message = str(exc)
        self.model.row_changed(i)
        self._after_row_change(i)

    def _after_row_change(self, source_row: int) -> None:
        current = self._current_row()
        if current is not None and current[0] == source_row:
            self._show_current_message()
        self._update_totals()

    def _detail_entered(self, source_row: int, column: int, value: Any) -> None:
        row = self.model.rows[source_row]
        text = None if value is None else str(value).strip()
        if column == COL_CHANNEL:
            if not text or text == row.channel:
                return
            row.channel = text
        elif column == COL_REPORTER:
            if (text or None) == row.reporter:
                return
            row.reporter = text or None
        elif column == COL_PHONE:
            if (text or None) == row.reporter_phone:
                return
            row.reporter_phone = text or None
        self.model.row_changed(source_row)
        if row.count is None or row.version is None or row.draft is not None:
            return  # used with the figure still to come (or still pending)
        # Changing how or by whom an already stored figure came is a correction of it.
        week = self.week
        assert week is not None
        db, code, count, seen = self.ctx.db, row.code, row.count, row.version
        channel, reporter, phone = row.channel, row.reporter or "", row.reporter_phone or ""
        typed = str(count)
        row.draft, row.state = typed, SAVING
        self.model.row_changed(source_row)

        def call(version: int) -> reports.ReportResult:
            return reports.record_report(
                db,
                unit_code=code,
                week=week,
                count=count,
                channel=channel,
                reporter=reporter,
                reporter_phone=phone,
                confirm=True,  # the figure itself is unchanged and was accepted before
                reason=DETAIL_REASON,
                expected_version=version,
                allow_correction=True,
            )

        self._write(
            code,
            week,
            seen,
            call,
            lambda result: self._stored(code, week, typed, count, result),
            lambda exc: self._not_stored(code, week, typed, exc),
        )

    def confirm_current(self) -> None:
        """F9: confirm the figure on the current row, else the latest one waiting."""
        candidates: list[int] = []
        current = self._current_row()
        if current is not None and current[1].state in (CONFIRM, CONFLICT):
            candidates.append(current[0])
        else:
            candidates.extend(
                i for i, r in enumerate(self.model.rows) if r.state in (CONFIRM, CONFLICT)
            )
        if not candidates:
            self.ctx.message.emit(self.tr("ไม่มีตัวเลขที่รอยืนยัน"))
            return
        i = candidates[-1]
        row = self.model.rows[i]
        assert row.draft is not None
        # A conflict is settled by keying the clerk's figure against the version now stored.
        self._submit(i, row.draft, confirm=row.state == CONFIRM)

    def discard_current(self) -> None:
        current = self._current_row()
        if current is not None and current[1].draft is not None and current[1].state != SAVING:
            self._discard(current[0])

    def _discard(self, source_row: int) -> None:
        row = self.model.rows[source_row]
        was_conflict = row.state == CONFLICT
        row.draft, row.state, row.their_count = None, "", None
        row.message = "ใช้ตัวเลขที่ผู้อื่นบันทึกไว้" if was_conflict else ""
        self.model.row_changed(source_row)
        self._after_row_change(source_row)

    def _show_current_message(self, *_args: Any) -> None:
        current = self._current_row()
        hint = self.tr(
            "พิมพ์ตัวเลขสะสม (เลขไทยได้) แล้วกด Enter · Tab/↑/↓ เลื่อน · "
            "F9 ยืนยัน · Esc/Delete ยกเลิกตัวเลขที่พิมพ์ · Ctrl+Z เลิกทำ · Ctrl+Y ทำซ้ำ"
        )
        if current is None:
            self._set_message(hint, None)
            return
        row = current[1]
        b = row.base
        who = f"{b.code} {b.name}"
        if row.state in (REFUSED, FAILED):
            self._set_message(f"{who}: ไม่ได้บันทึก — {without_where(row.message)}", "error")
        elif row.state == CONFIRM:
            self._set_message(f"{who}: {without_where(row.message)}", "warn")
        elif row.state == CONFLICT:
            self._set_message(
                f"{row.message}\nF9 = บันทึกตัวเลขของท่าน ({row.draft}) แทน · "
                f"Esc = ใช้ตัวเลขของผู้อื่น ({count_text(row.their_count)})",
                "conflict",
            )
        else:
            contact = " · ".join(
                x
                for x in (
                    f"ผู้ประสานงาน {b.contact}" if b.contact else "",
                    f"โทร {b.phone}" if b.phone else "",
                    f"โทรสาร {b.fax}" if b.fax else "",
                    f"เป้าหมาย {format_int(b.quota)} คน",
                )
                if x
            )
            self._set_message(f"{who} — {contact}\n{hint}", None)

    def _set_message(self, text: str, kind: str | None) -> None:
        fg, bg = {
            "error": (theme.ERROR, theme.ERROR_SOFT),
            "warn": (theme.WARN, theme.WARN_SOFT),
            "conflict": (theme.CONFLICT, theme.CONFLICT_SOFT),
        }.get(kind or "", ("#1d2733", "#f3f5f8"))
        self.message_bar.setStyleSheet(
            f"QLabel {{ color: {fg}; background: {bg}; padding: 6px 10px; border-radius: 6px; }}"
        )
        self.message_bar.setText(text)

    def _update_totals(self) -> None:
        rows = self.model.rows
        expected = [r for r in rows if r.base.expected]
        done = sum(1 for r in expected if r.count is not None)
        waiting = sum(1 for r in rows if r.state in UNSETTLED)
        shown = self.proxy.rowCount()
        text = (
            self.tr("แสดง")
            + f" {shown} "
            + self.tr("จาก")
            + f" {len(rows)} "
            + self.tr("หน่วย · ส่งแล้ว")
            + f" {done}/{len(expected)}"
        )
        if waiting:
            text += " · " + self.tr("ยังไม่ได้บันทึก") + f" {waiting} " + self.tr("รายการ")
        self.totals.setText(text)

    def unsettled(self) -> list[KeyRow]:
        return [r for r in self.model.rows if r.state in UNSETTLED]

    def confirm_all(self) -> None:
        for i, r in enumerate(self.model.rows):
            if r.state in (CONFIRM, CONFLICT) and r.draft is not None:
                self._submit(i, r.draft, confirm=r.state == CONFIRM)

    def commit_open_editor(self) -> None:
        self.delegate.commit_open_editor()

    # ---------------------------------------------------------------- undo / redo

    def can_undo(self) -> bool:
        return bool(self.undo_stack)

    def can_redo(self) -> bool:
        return bool(self.redo_stack)

    def undo(self) -> None:
        # The figure just typed may still be on its way: undo must take back that one.
        self.ctx.writes.wait_idle(5_000)
        if not self.undo_stack:
            self.ctx.message.emit(self.tr("ไม่มีรายการให้เลิกทำ"))
            return
        entry = self.undo_stack.pop()
        self.undoChanged.emit()
        db = self.ctx.db

        def job() -> reports.ReportResult | None:
            return reports.undo_report(
                db, unit_code=entry.code, week=entry.week, expected_version=entry.version
            )

        def done(result: reports.ReportResult | None) -> None:
            entry.undone_version = None if result is None else result.version
            self.redo_stack.append(entry)
            self.undoChanged.emit()
            self.ctx.changed(REPORTS, self)
            found = self._find(entry.code, entry.week)
            if found is not None:
                i, row = found
                row.count = None if result is None else result.count
                row.version = None if result is None else result.version
                row.received_at = None if result is None else result.received_at
                row.draft, row.their_count = None, None
                row.state = UNDONE
                row.message = (
                    f"เลิกทำ: ลบตัวเลข {format_int(entry.count)} ที่บันทึกไว้"
                    if result is None
                    else f"เลิกทำ: กลับไปใช้ {format_int(result.count)} แทน {format_int(entry.count)}"
                )
                self.model.row_changed(i)
                self._after_row_change(i)
            self.ctx.message.emit(self.tr("เลิกทำแล้ว:") + f" {entry.code} {format_int(entry.count)}")

        def failed(exc: BaseException) -> None:
            self.ctx.message.emit(getattr(exc, "th", str(exc)))

        self.ctx.writes.submit(job, done, failed)

    def redo(self) -> None:
        self.ctx.writes.wait_idle(5_000)
        if not self.redo_stack:
            self.ctx.message.emit(self.tr("ไม่มีรายการให้ทำซ้ำ"))
            return
        entry = self.redo_stack.pop()
        self.undoChanged.emit()
        db = self.ctx.db
        seen = entry.undone_version

        def job() -> reports.ReportResult:
            return reports.record_report(
                db,
                unit_code=entry.code,
                week=entry.week,
                count=entry.count,
                confirm=True,  # it was accepted (and confirmed if it had to be) before
                reason=REDO_REASON if seen is not None else None,
                expected_version=seen or 0,
                allow_correction=True,
            )

        def done(result: reports.ReportResult) -> None:
            self.undo_stack.append(
                UndoEntry(entry.code, entry.week, result.count, result.version, entry.before)
            )
            self.undoChanged.emit()
            self.ctx.changed(REPORTS, self)
            found = self._find(entry.code, entry.week)
            if found is not None:
                i, row = found
                row.count, row.version = result.count, result.version
                row.received_at = result.received_at
                row.draft, row.their_count, row.message = None, None, ""
                row.state = SAVED if result.outcome == "stored" else CORRECTED
                self.model.row_changed(i)
                self._after_row_change(i)
            self.ctx.message.emit(self.tr("ทำซ้ำแล้ว:") + f" {entry.code} {format_int(entry.count)}")

        def failed(exc: BaseException) -> None:
            self.ctx.message.emit(getattr(exc, "th", str(exc)))

        self.ctx.writes.submit(job, done, failed)
