"""The registry: plan rows with their quotas, and the reporting units with contacts.

The plan's total is shown twice on purpose: computed from the rows (what every figure uses) and
as printed in the province's plan, with the difference, so nobody quotes the wrong one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.numbers import format_int, to_arabic_digits
from rayong_desktop.domain.registry import DISTRICT_NAMES, KIND_BY_CODE, KINDS
from rayong_desktop.services import registry
from rayong_desktop.ui import i18n, prompts, theme
from rayong_desktop.ui.context import REGISTRY, SETTINGS, DeskContext
from rayong_desktop.ui.page import Page
from rayong_desktop.ui.tablemodel import CENTER, RIGHT, ROW_ROLE, Column, RowsModel
from rayong_desktop.ui.widgets import label, short_date, tidy_table

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class RegistryData:
    overview: registry.PlanOverview
    units: list[registry.UnitView]


class UnitFilter(QSortFilterProxyModel):
    def __init__(self) -> None:
        super().__init__()
        self.search = ""
        self.plan_row: int | None = None
        self.show_retired = False

    def refresh(self) -> None:
        self.beginFilterChange()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        model = self.sourceModel()
        u = model.index(source_row, 0).data(ROW_ROLE)
        if not isinstance(u, registry.UnitView):
            return False
        if not self.show_retired and not u.active:
            return False
        if self.plan_row is not None and u.plan_row != self.plan_row:
            return False
        if self.search:
            hay = " ".join(
                x or "" for x in (u.code, u.name, u.contact, u.phone, u.fax, u.email, u.district)
            ).casefold()
            return all(part in hay for part in self.search.casefold().split())
        return True


class UnitDialog(QDialog):
    """Add or edit a unit. Refusals from the registry show inside the dialog; it stays open."""

    def __init__(
        self,
        ctx: DeskContext,
        plan_rows: list[registry.PlanRowView],
        unit: registry.UnitView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.unit = unit
        self.result_unit: registry.UnitView | None = None
        self.setWindowTitle(self.tr("แก้ไขหน่วย") if unit else self.tr("เพิ่มหน่วยรายงาน"))
        self.setMinimumWidth(560)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.code = QLineEdit(unit.code if unit else "")
        self.code.setObjectName("code")
        self.code.setEnabled(unit is None)
        self.code.setPlaceholderText(self.tr("อักษรอังกฤษ ตัวเลข - _ . เช่น SAO-KLG-03"))
        self.name = QLineEdit(unit.name if unit else "")
        self.name.setObjectName("name")
        self.plan_row = QComboBox()
        self.plan_row.setObjectName("planRow")
        for r in plan_rows:
            short = r.name if len(r.name) <= 60 else r.name[:59] + "…"
            self.plan_row.addItem(f"{r.number}. {short}", r.number)
        if unit:
            self.plan_row.setCurrentIndex(max(0, self.plan_row.findData(unit.plan_row)))
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for k in KINDS:
            self.kind.addItem(i18n.kind_choice(k), k.code)
        if unit:
            self.kind.setCurrentIndex(max(0, self.kind.findData(unit.kind)))
        self.district = QComboBox()
        self.district.setObjectName("district")
        self.district.addItem(self.tr("ไม่ระบุ"), None)
        for d in DISTRICT_NAMES:
            self.district.addItem(d, d)
        if unit and unit.district:
            self.district.setCurrentIndex(max(0, self.district.findData(unit.district)))
        self.quota = QLineEdit("" if unit is None else str(unit.quota))
        self.quota.setObjectName("quota")
        self.quota.setPlaceholderText(self.tr("เว้นว่าง = ค่าขั้นต่ำตามประเภท (อปท. 300)"))
        self.contact = QLineEdit((unit.contact if unit else None) or "")
        self.phone = QLineEdit((unit.phone if unit else None) or "")
        self.fax = QLineEdit((unit.fax if unit else None) or "")
        self.email = QLineEdit((unit.email if unit else None) or "")
        self.note = QLineEdit((unit.note if unit else None) or "")
        self.has_start = QCheckBox(self.tr("เริ่มรายงานตั้งแต่"))
        self.start = QDateEdit()
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("yyyy-MM-dd")
        today = ctx.now().astimezone(BANGKOK).date()
        start_day = unit.active_from if unit and unit.active_from else today
        self.start.setDate(QDate(start_day.year, start_day.month, start_day.day))
        self.has_start.setChecked(bool(unit and unit.active_from))
        self.start.setEnabled(self.has_start.isChecked())
        self.has_start.toggled.connect(self.start.setEnabled)
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText(self.tr("เช่น หน่วยแจ้งเปลี่ยนผู้ประสานงาน"))
        form.addRow(self.tr("รหัสหน่วย"), self.code)
        form.addRow(self.tr("ชื่อหน่วย"), self.name)
        form.addRow(self.tr("แผนลำดับที่"), self.plan_row)
        form.addRow(self.tr("ประเภท"), self.kind)
        form.addRow(self.tr("อำเภอ"), self.district)
        form.addRow(self.tr("เป้าหมาย (คน)"), self.quota)
        form.addRow(self.tr("ผู้ประสานงาน"), self.contact)
        form.addRow(self.tr("โทรศัพท์"), self.phone)
        form.addRow(self.tr("โทรสาร"), self.fax)
        form.addRow(self.tr("อีเมล"), self.email)
        form.addRow(self.tr("หมายเหตุ"), self.note)
        form.addRow(self.has_start, self.start)
        if unit is not None:
            form.addRow(self.tr("เหตุผลที่แก้ไข"), self.reason)
        self.error = label("", "error", wrap=True)
        self.error.setObjectName("error")
        form.addRow(self.error)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton(self.tr("บันทึก"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("ยกเลิก"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _values(self) -> dict[str, Any]:
        quota_text = to_arabic_digits(self.quota.text().strip())
        values: dict[str, Any] = {
            "name": self.name.text(),
            "plan_row": self.plan_row.currentData(),
            "kind": self.kind.currentData(),
            "district": self.district.currentData(),
            "quota": quota_text or None,
            "contact": self.contact.text(),
            "phone": self.phone.text(),
            "fax": self.fax.text(),
            "email": self.email.text(),
            "note": self.note.text(),
            "active_from": self.start.date().toPython() if self.has_start.isChecked() else None,
        }
        return values

    def save(self) -> None:
        values = self._values()
        db = self.ctx.db
        if self.unit is None:
            code = self.code.text()

            def job() -> registry.UnitView:
                return registry.add_unit(db, code=code, **values)

        else:
            unit = self.unit
            if values["quota"] is None:
                values["quota"] = unit.quota
            changes = {
                k: v
                for k, v in values.items()
                if _differs(getattr(unit, k), v)  # only what the clerk changed is audited
            }
            reason = self.reason.text().strip() or None

            def job() -> registry.UnitView:
                return registry.edit_unit(db, unit.code, changes, reason=reason)

        self.ok.setEnabled(False)
        self.error.setText("")
        self.ctx.writes.submit(job, self._saved, self._refused)

    def _saved(self, unit: registry.UnitView) -> None:
        self.result_unit = unit
        self.ok.setEnabled(True)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        self.error.setText(i18n.error_text(exc))


def _differs(old: Any, new: Any) -> bool:
    if isinstance(old, int) and not isinstance(old, bool):
        try:
            return int(str(new).replace(",", "")) != old
        except ValueError:
            return True
    if isinstance(old, date) or old is None or isinstance(new, date):
        return (old or None) != (new or None)
    return str(old or "").strip() != str(new or "").strip()


class RegistryPage(Page):
    watches = (REGISTRY, SETTINGS)
    follows_week = False

    def __init__(self, ctx: DeskContext) -> None:
        super().__init__(ctx)
        self.data: RegistryData | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 14, 18, 10)
        outer.setSpacing(8)
        outer.addWidget(label(self.tr("ทะเบียนแผนและหน่วยรายงาน"), "title"))

        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        plan_box = QWidget()
        plan_layout = QVBoxLayout(plan_box)
        plan_layout.setContentsMargins(0, 0, 0, 0)
        plan_head = QHBoxLayout()
        plan_head.addWidget(label(self.tr("แผนการเผยแพร่ประชาสัมพันธ์: เป้าหมายรายแผน"), "section"))
        plan_head.addStretch(1)
        self.quota_button = QPushButton(self.tr("แก้ไขเป้าหมายแผน…"))
        self.quota_button.clicked.connect(self.edit_plan_quota)
        plan_head.addWidget(self.quota_button)
        plan_layout.addLayout(plan_head)
        self.plan_model: RowsModel[registry.PlanRowView] = RowsModel(self._plan_columns())
        self.plan_table = QTableView()
        self.plan_table.setObjectName("planTable")
        self.plan_table.setModel(self.plan_model)
        tidy_table(self.plan_table, row_height_factor=1.7)
        ph = self.plan_table.horizontalHeader()
        ph.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        ph.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.plan_table.doubleClicked.connect(lambda _i: self.edit_plan_quota())
        plan_layout.addWidget(self.plan_table, 1)
        self.totals = label("", None, wrap=True)
        self.totals.setObjectName("totals")
        plan_layout.addWidget(self.totals)
        split.addWidget(plan_box)

        units_box = QWidget()
        units_layout = QVBoxLayout(units_box)
        units_layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(label(self.tr("หน่วยรายงาน"), "section"))
        self.search = QLineEdit()
        self.search.setObjectName("registrySearch")
        self.search.setPlaceholderText(self.tr("ค้นหา รหัส ชื่อ ผู้ประสานงาน เบอร์โทร (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.row_filter = QComboBox()
        self.row_filter.addItem(self.tr("ทุกแผน"), None)
        self.show_retired = QCheckBox(self.tr("แสดงหน่วยที่ยกเลิกแล้ว"))
        bar.addWidget(self.search, 2)
        bar.addWidget(self.row_filter, 1)
        bar.addWidget(self.show_retired)
        units_layout.addLayout(bar)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("เพิ่มหน่วย (Ctrl+N)"))
        self.edit_button = QPushButton(self.tr("แก้ไข (Enter)"))
        self.retire_button = QPushButton(self.tr("ยกเลิกหน่วย (Delete)"))
        self.reactivate_button = QPushButton(self.tr("นำกลับมาใช้"))
        self.history_button = QPushButton(self.tr("ประวัติการรายงาน (Ctrl+H)"))
        for b in (
            self.add_button,
            self.edit_button,
            self.retire_button,
            self.reactivate_button,
            self.history_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        units_layout.addLayout(buttons)
        self.unit_model: RowsModel[registry.UnitView] = RowsModel(self._unit_columns())
        self.unit_filter = UnitFilter()
        self.unit_filter.setSourceModel(self.unit_model)
        self.unit_table = QTableView()
        self.unit_table.setObjectName("unitTable")
        self.unit_table.setModel(self.unit_filter)
        tidy_table(self.unit_table, row_height_factor=1.7)
        uh = self.unit_table.horizontalHeader()
        uh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((90, 300, 44, 70, 92, 80, 170, 120, 120, 150, 150)):
            self.unit_table.setColumnWidth(col, width)
        uh.setStretchLastSection(True)
        self.unit_table.doubleClicked.connect(lambda _i: self.edit_unit())
        units_layout.addWidget(self.unit_table, 1)
        split.addWidget(units_box)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        outer.addWidget(split, 1)

        self.search.textChanged.connect(self._filter)
        self.row_filter.currentIndexChanged.connect(self._filter)
        self.show_retired.toggled.connect(self._filter)
        self.search.returnPressed.connect(self.unit_table.setFocus)
        self.add_button.clicked.connect(self.add_unit)
        self.edit_button.clicked.connect(self.edit_unit)
        self.retire_button.clicked.connect(self.retire_unit)
        self.reactivate_button.clicked.connect(self.reactivate_unit)
        self.history_button.clicked.connect(self.show_history)
        for text, slot, keys in (
            (self.tr("เพิ่มหน่วย"), self.add_unit, ("Ctrl+N", "Insert")),
            (self.tr("ค้นหา"), self._focus_search, ("Ctrl+F",)),
            (self.tr("ประวัติ"), self.show_history, ("Ctrl+H",)),
        ):
            action = QAction(text, self)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
        for table_keys, slot in (
            (("Return", "Enter", "F2"), self.edit_unit),
            (("Delete",), self.retire_unit),
        ):
            action = QAction(self.unit_table)
            action.setShortcuts([QKeySequence(k) for k in table_keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(slot)
            self.unit_table.addAction(action)
        quota_action = QAction(self.plan_table)
        quota_action.setShortcuts(
            [QKeySequence("Return"), QKeySequence("Enter"), QKeySequence("F2")]
        )
        quota_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        quota_action.triggered.connect(self.edit_plan_quota)
        self.plan_table.addAction(quota_action)
        read_only = ctx.read_only
        for b in (self.add_button, self.edit_button, self.retire_button, self.reactivate_button):
            b.setEnabled(not read_only)
        self.quota_button.setEnabled(not read_only)

    # ---------------------------------------------------------------- columns

    def _plan_columns(self) -> list[Column[registry.PlanRowView]]:
        return [
            Column(self.tr("ลำดับ"), lambda r: str(r.number), align=CENTER),
            Column(
                self.tr("เป้าหมาย/หน่วยงานรับผิดชอบ"),
                lambda r: r.name,
                tooltip=lambda r: (
                    f"{r.name}\n\n{r.actions}" + (f"\n\n{r.quota_note}" if r.quota_note else "")
                ),
            ),
            Column(
                self.tr("เป้าหมายแผน (คน)"),
                lambda r: format_int(r.quota),
                align=RIGHT,
                bold=lambda r: True,
            ),
            Column(
                self.tr("รวมเป้าหน่วย"),
                lambda r: format_int(r.units_quota),
                align=RIGHT,
                foreground=lambda r: (
                    theme.WARN if r.units_quota < r.quota and r.number == 3 else None
                ),
            ),
            Column(self.tr("หน่วย"), lambda r: str(r.unit_count), align=CENTER),
        ]

    def _unit_columns(self) -> list[Column[registry.UnitView]]:
        def state(u: registry.UnitView) -> str:
            if u.active:
                if u.active_from:
                    return self.tr("ใช้งาน ตั้งแต่ {0}").format(short_date(u.active_from))
                return self.tr("ใช้งาน")
            if u.retired_on:
                return self.tr("ยกเลิก {0}").format(short_date(u.retired_on))
            return self.tr("ยกเลิก")

        return [
            Column(self.tr("รหัส"), lambda u: u.code),
            Column(self.tr("ชื่อหน่วย"), lambda u: u.name, tooltip=lambda u: u.note or u.name),
            Column(self.tr("แผน"), lambda u: str(u.plan_row), align=CENTER),
            Column(
                self.tr("ประเภท"),
                lambda u: (
                    i18n.kind_name(KIND_BY_CODE[u.kind], short=True)
                    if u.kind in KIND_BY_CODE
                    else u.kind
                ),
            ),
            Column(self.tr("อำเภอ"), lambda u: u.district or "–"),
            Column(self.tr("เป้าหมาย"), lambda u: format_int(u.quota), align=RIGHT),
            Column(self.tr("ผู้ประสานงาน"), lambda u: u.contact or "–"),
            Column(self.tr("โทรศัพท์"), lambda u: u.phone or "–"),
            Column(self.tr("โทรสาร"), lambda u: u.fax or "–"),
            Column(self.tr("อีเมล"), lambda u: u.email or "–"),
            Column(
                self.tr("สถานะ"),
                state,
                foreground=lambda u: None if u.active else theme.MUTED,
            ),
        ]

    # ---------------------------------------------------------------- loading

    def fetch(self) -> RegistryData:
        return RegistryData(registry.plan_overview(self.ctx.db), registry.list_units(self.ctx.db))

    def apply(self, data: RegistryData) -> None:
        self.data = data
        current_plan = self.plan_table.currentIndex().row()
        current_unit = self._selected_unit()
        self.plan_model.set_rows(list(data.overview.rows))
        if current_plan >= 0:
            self.plan_table.selectRow(current_plan)
        self.unit_model.set_rows(data.units)
        if self.row_filter.count() != len(data.overview.rows) + 1:
            self.row_filter.blockSignals(True)
            self.row_filter.clear()
            self.row_filter.addItem(self.tr("ทุกแผน"), None)
            for r in data.overview.rows:
                self.row_filter.addItem(self.tr("แผน") + f" {r.number}", r.number)
            self.row_filter.blockSignals(False)
        self._filter()
        if current_unit is not None:
            self.select_unit(current_unit.code)
        o = data.overview
        text = (
            self.tr("รวมเป้าหมายทุกแผน (คำนวณจากรายแผน):")
            + f" <b>{format_int(o.computed_quota)}</b> "
            + self.tr("คน")
        )
        if o.stated_quota is not None:
            text += (
                " &nbsp;·&nbsp; "
                + self.tr("ยอดรวมตามที่พิมพ์ในแผน:")
                + f" <b>{format_int(o.stated_quota)}</b> "
                + self.tr("คน")
            )
            if o.difference:
                text += (
                    f" &nbsp;·&nbsp; <span style='color:{theme.WARN}; font-weight:bold'>"
                    + self.tr("ต่างกัน")
                    + f" {format_int(o.difference)} "
                    + self.tr("คน")
                    + "</span> "
                    + self.tr("(ตัวเลขทุกหน้าจอใช้ยอดที่คำนวณ)")
                )
        self.totals.setText(text)

    def _filter(self, *_args: Any) -> None:
        self.unit_filter.search = self.search.text().strip()
        self.unit_filter.plan_row = self.row_filter.currentData()
        self.unit_filter.show_retired = self.show_retired.isChecked()
        self.unit_filter.refresh()
        if not self.unit_table.currentIndex().isValid() and self.unit_filter.rowCount():
            self.unit_table.selectRow(0)

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def focus_target(self) -> QWidget | None:
        return self.unit_table

    def _selected_unit(self) -> registry.UnitView | None:
        index = self.unit_table.currentIndex()
        if not index.isValid():
            return None
        u = index.data(ROW_ROLE)
        return u if isinstance(u, registry.UnitView) else None

    def select_unit(self, code: str) -> None:
        for i in range(self.unit_filter.rowCount()):
            u = self.unit_filter.index(i, 0).data(ROW_ROLE)
            if isinstance(u, registry.UnitView) and u.code == code:
                self.unit_table.selectRow(i)
                self.unit_table.scrollTo(self.unit_filter.index(i, 0))
                return

    # ---------------------------------------------------------------- actions

    def _plan_rows(self) -> list[registry.PlanRowView]:
        return list(self.data.overview.rows) if self.data else []

    def add_unit(self) -> None:
        if self.ctx.read_only:
            return
        dialog = UnitDialog(self.ctx, self._plan_rows(), parent=self)
        if dialog.exec() and dialog.result_unit is not None:
            self._after_change(dialog.result_unit.code)

    def edit_unit(self) -> None:
        unit = self._selected_unit()
        if unit is None or self.ctx.read_only:
            return
        dialog = UnitDialog(self.ctx, self._plan_rows(), unit, parent=self)
        if dialog.exec() and dialog.result_unit is not None:
            self._after_change(dialog.result_unit.code)

    def retire_unit(self) -> None:
        unit = self._selected_unit()
        if unit is None or not unit.active or self.ctx.read_only:
            return
        reason = prompts.ask_text(
            self,
            self.tr("ยกเลิกหน่วย"),
            self.tr(
                "ยกเลิกหน่วย {0} {1} ตั้งแต่วันนี้\nรายงานเดิมยังอยู่ครบ แต่จะไม่ถูกนับว่าต้องส่งอีก\nเหตุผล:"
            ).format(unit.code, unit.name),
        )
        if reason is None:
            return
        today = self.ctx.now().astimezone(BANGKOK).date()
        self._run(
            lambda: registry.retire_unit(self.ctx.db, unit.code, on=today, reason=reason or None),
            unit.code,
        )

    def reactivate_unit(self) -> None:
        unit = self._selected_unit()
        if unit is None or unit.active or self.ctx.read_only:
            return
        self._run(lambda: registry.reactivate_unit(self.ctx.db, unit.code), unit.code)

    def edit_plan_quota(self) -> None:
        index = self.plan_table.currentIndex()
        if not index.isValid() or self.ctx.read_only:
            return
        row = self.plan_model.row(index.row())
        quota = prompts.ask_text(
            self,
            self.tr("แก้ไขเป้าหมายแผน"),
            self.tr("เป้าหมายของแผนลำดับที่ {0} (คน):").format(row.number),
            str(row.quota),
        )
        if quota is None:
            return
        reason = prompts.ask_text(self, self.tr("แก้ไขเป้าหมายแผน"), self.tr("เหตุผลที่แก้ไข:"))
        if reason is None:
            return
        text = to_arabic_digits(quota)
        self._run(
            lambda: registry.set_plan_row_quota(
                self.ctx.db, row.number, text, reason=reason or None
            ),
            None,
        )

    def _run(self, job: Any, code: str | None) -> None:
        def done(_result: object) -> None:
            self._after_change(code)

        def failed(exc: BaseException) -> None:
            prompts.warn(self, self.tr("ทะเบียนหน่วย"), i18n.error_text(exc))

        self.ctx.writes.submit(job, done, failed)

    def _after_change(self, code: str | None) -> None:
        # The writes queue announced the change; this screen too reloads on it (no origin).
        if code:
            self.loaded.connect(
                lambda: self.select_unit(code), Qt.ConnectionType.SingleShotConnection
            )

    def show_history(self) -> None:
        unit = self._selected_unit()
        if unit is not None:
            self.ctx.openHistory.emit(unit.code)
