"""The keying grid's table: each unit's row as the grid draws it, and the filters over it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from rayong_desktop.domain import calendar
from rayong_desktop.domain.numbers import format_int
from rayong_desktop.ui import i18n, theme
from rayong_desktop.ui.keying.rows import (
    COL_CHANNEL,
    COL_CODE,
    COL_COUNT,
    COL_DISTRICT,
    COL_NAME,
    COL_PHONE,
    COL_PREV,
    COL_RECEIVED,
    COL_REPORTER,
    COL_ROW,
    COL_STATE,
    CONFIRM,
    CONFLICT,
    CORRECTED,
    EDITABLE,
    FAILED,
    REFUSED,
    SAVED,
    SAVING,
    UNCHANGED,
    KeyRow,
    reception_text,
)
from rayong_desktop.ui.widgets import count_text, local_time, short_day, short_unit_name

Index = QModelIndex | QPersistentModelIndex


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
            if col == COL_RECEIVED:
                return ""  # a new time is typed afresh: "10:15", "ทัน", "now"
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
            if col == COL_RECEIVED:
                return self.tr(
                    "พิมพ์เวลารับรายงานของแถวนี้: 10:15 (วันกำหนดส่ง), 21 16:40 (วันที่ เวลา), "
                    "ทัน (ทันกำหนด) หรือ now (เวลาที่พิมพ์)"
                )
            if col == COL_NAME:
                b = r.base
                return "\n".join(
                    x
                    for x in (
                        f"{b.code} {b.name}",
                        self.tr("ผู้ประสานงาน: {0}").format(b.contact) if b.contact else "",
                        self.tr("โทรศัพท์: {0}").format(b.phone) if b.phone else "",
                        self.tr("โทรสาร: {0}").format(b.fax) if b.fax else "",
                        self.tr("เป้าหมาย {0} คน").format(format_int(b.quota)),
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
            return r.state_text(QCoreApplication.translate)
        if col == COL_CHANNEL:
            return i18n.channel_name(r.channel)
        if col == COL_REPORTER:
            return r.reporter or ""
        if col == COL_PHONE:
            return r.reporter_phone or ""
        if col == COL_RECEIVED:
            if r.reception is not None and (r.count is None or r.draft is not None):
                return "→ " + reception_text(
                    r.reception, QCoreApplication.translate
                )  # for the figure still to come
            if r.received_at is None:
                return ""
            # The week is on the screen already: the day and the time are what differ.
            day = r.received_at.astimezone(calendar.BANGKOK).date()
            shown = f"{short_day(day)} {local_time(r.received_at)}"
            return shown + " · " + self.tr("ทันกำหนด") if r.received_on_time else shown
        return ""

    def setData(self, index: Index, value: Any, role: int = 0) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self.editable:
            return False
        if index.column() == COL_COUNT:
            self.countEntered.emit(index.row(), str(value))
            return True
        if index.column() in (COL_CHANNEL, COL_REPORTER, COL_PHONE, COL_RECEIVED):
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
