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
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.domain.numbers import format_int
from rayong_desktop.services import maintenance, registry
from rayong_desktop.services.startup import open_database, open_read_only
from rayong_desktop.ui import prompts

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
    def __init__(self, db: Database, *, demo: bool = False, lock: Any = None) -> None:
        super().__init__()
        self.db = db
        self.lock = lock
        title = "Rayong Fight Covid — โต๊ะงานรายงานสมาชิก LINE OA"
        self.setWindowTitle(title + (" (ข้อมูลตัวอย่าง)" if demo else ""))
        central = QWidget(self)
        layout = QVBoxLayout(central)
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background:#fde2e1; color:#8a1c14; padding:6px;")
        self.banner.setVisible(False)
        layout.addWidget(self.banner)
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
        file_menu = self.menuBar().addMenu(self.tr("แฟ้ม"))
        self.backup_action = QAction(self.tr("สำรองข้อมูลเดี๋ยวนี้"), self)
        self.backup_action.triggered.connect(self.backup_now)
        file_menu.addAction(self.backup_action)
        self.restore_action = QAction(self.tr("กู้คืนจากไฟล์สำรอง…"), self)
        self.restore_action.triggered.connect(self.restore_from_file)
        file_menu.addAction(self.restore_action)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("ออกจากโปรแกรม"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self.statusBar().showMessage(f"ฐานข้อมูล: {db.path}")
        self.resize(1100, 640)
        self.refresh()

    def _show_state(self) -> None:
        if self.db.read_only:
            self.banner.setText(
                "เปิดแบบอ่านอย่างเดียว: "
                + (self.db.read_only_reason or "ฐานข้อมูลเสียหาย")
                + "  (เมนู แฟ้ม > กู้คืนจากไฟล์สำรอง)"
            )
            self.banner.setVisible(True)
            self.backup_action.setEnabled(False)
        elif self.db.backup_warning:
            self.banner.setText("สำรองข้อมูลอัตโนมัติไม่สำเร็จ: " + self.db.backup_warning)
            self.banner.setVisible(True)
        else:
            self.banner.setVisible(False)

    def backup_now(self) -> None:
        try:
            made = maintenance.make_backup(self.db.path, "manual")
        except RefusedError as exc:
            prompts.warn(self, "สำรองข้อมูล", exc.th)
            return
        self.statusBar().showMessage(f"สำรองข้อมูลแล้ว: {made.path}", 10000)

    def restore_from_file(self) -> None:
        chosen = prompts.choose_backup_file(self, maintenance.backup_folder(self.db.path))
        if chosen is None:
            return
        question = f"กู้คืนฐานข้อมูลจากไฟล์ {chosen.name} หรือไม่?\nข้อมูลปัจจุบันจะถูกสำรองเก็บไว้ก่อน"
        if not prompts.ask_yes_no(self, "กู้คืนข้อมูล", question):
            return
        path = self.db.path
        self.db.dispose()
        try:
            result = maintenance.restore(path, chosen, lock_held=self.lock is not None)
            self.db = open_database(path)
        except RefusedError as exc:
            prompts.warn(self, "กู้คืนข้อมูล", exc.th)
            try:
                self.db = open_database(path)
            except RefusedError:
                self.db = open_read_only(path)
            self.refresh()
            return
        self.refresh()
        saved = f"\nข้อมูลเดิมเก็บไว้ที่ {result.safety_copy}" if result.safety_copy else ""
        prompts.inform(self, "กู้คืนข้อมูล", f"กู้คืนจาก {chosen.name} เรียบร้อยแล้ว{saved}")

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        if not self.db.read_only:
            try:
                maintenance.make_backup(self.db.path, "exit")
            except RefusedError as exc:
                prompts.warn(self, "สำรองข้อมูล", exc.th)
        super().closeEvent(event)

    def refresh(self) -> None:
        self._show_state()
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
