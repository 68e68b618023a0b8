"""The keying grid itself: Enter, Tab and the arrows store the cell and move down the column."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from rayong_desktop.services import reports
from rayong_desktop.ui import i18n
from rayong_desktop.ui.keying.model import Index
from rayong_desktop.ui.keying.rows import COL_CHANNEL, COL_COUNT, COL_RECEIVED


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
            for code in reports.CHANNELS:
                combo.addItem(i18n.channel_name(code), code)
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
        elif index.column() == COL_RECEIVED:
            editor.setObjectName("receivedEditor")
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
                self.view.move_current(step)
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
    _forwarding = False  # a key is being handed to the open cell

    def open_editor(self) -> QWidget | None:
        delegate = self.itemDelegate()
        return delegate.editor if isinstance(delegate, CellDelegate) else None

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

    def move_current(self, step: int) -> None:
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
        self.move_current(1 if next_ else -1)
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        editor = self.open_editor()
        if (
            self.state() == QAbstractItemView.State.EditingState
            and editor is not None
            and not self._forwarding
        ):
            # A fast typist's next keys reached the grid before the cell the first one opened
            # had the focus: they belong in that cell (the grid would drop them, or search by
            # them), Enter and Tab included (the cell's own handling stores and moves on).
            # A key the cell does not take comes back up to the grid (its parent): handled
            # below then, never sent to the cell again (that would recurse without end).
            self._forwarding = True
            try:
                QApplication.sendEvent(editor, event)
            finally:
                self._forwarding = False
            event.accept()
            return
        if self.state() != QAbstractItemView.State.EditingState:
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                step = self.step_for(event)
                if step is not None:
                    self.move_current(step)
                    event.accept()
                    return
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Escape):
                self.discardRequested.emit()
                event.accept()
                return
        super().keyPressEvent(event)
