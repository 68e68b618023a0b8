"""The desk's main window. For now: the plan and its units; the desk issue fills in the week."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QMainWindow,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from rayong_desktop.db.engine import Database
from rayong_desktop.domain.numbers import format_int
from rayong_desktop.services import registry

Index = QModelIndex | QPersistentModelIndex


class PlanModel(QAbstractTableModel):
    HEADERS = ("ลำดับ", "เป้าหมาย/หน่วยงานรับผิดชอบ", "เป้าหมาย (คน)", "รวมเป้าหน่วย", "หน่วย")

    def __init__(self, rows: tuple[registry.PlanRowView, ...]) -> None:
        super().__init__()
        self.rows = rows

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                str(r.number),
                r.name,
                format_int(r.quota),
                format_int(r.units_quota),
                str(r.unit_count),
            )[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col != 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == 1:
            return r.actions
        return None


class MainWindow(QMainWindow):
    def __init__(self, db: Database, *, demo: bool = False) -> None:
        super().__init__()
        self.db = db
        title = "Rayong Fight Covid — โต๊ะงานรายงานสมาชิก LINE OA"
        self.setWindowTitle(title + (" (ข้อมูลตัวอย่าง)" if demo else ""))
        central = QWidget(self)
        layout = QVBoxLayout(central)
        self.heading = QLabel(self.tr("แผนการเผยแพร่ประชาสัมพันธ์: เป้าหมายรายหน่วยงาน"))
        self.heading.setObjectName("heading")
        layout.addWidget(self.heading)
        self.table = QTableView(self)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table)
        self.totals = QLabel()
        self.totals.setObjectName("totals")
        layout.addWidget(self.totals)
        self.setCentralWidget(central)
        quit_action = QAction(self.tr("ออกจากโปรแกรม"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.addAction(quit_action)
        self.statusBar().showMessage(f"ฐานข้อมูล: {db.path}")
        self.resize(1100, 640)
        self.refresh()

    def refresh(self) -> None:
        overview = registry.plan_overview(self.db)
        self.model = PlanModel(overview.rows)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col in (0, 2, 3, 4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        text = f"รวมเป้าหมายทุกแผน (คำนวณ): {format_int(overview.computed_quota)} คน"
        if overview.stated_quota is not None and overview.difference:
            text += (
                f"   ยอดรวมตามที่พิมพ์ในแผน: {format_int(overview.stated_quota)} คน"
                f"   ต่างกัน {format_int(overview.difference)} คน"
            )
        self.totals.setText(text)
