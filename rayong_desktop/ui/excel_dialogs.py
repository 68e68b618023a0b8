"""Excel in the desk: export a form, the week's summary or the unit-list template; import a filled
form or a unit list through a preview that shows every row before anything is written.

Entry points for the main window (each takes the parent window and the desk's context):
`export_workbook_dialog`, `import_forms_dialog`, `import_units_dialog`. The import dialogs return
the committed result (or None when the clerk cancelled or the file was refused). Reading and
checking run on the desk's reads queue, the import itself on its writes queue, with a progress
bar; the writes queue announces what an import changed (a cancelled or refused one changed
nothing, and announces nothing). The preview and the import are the same service code
(services.excel_io), so what the preview shows is what the import does. File choices go through
`choose_open_path` and `choose_save_path`, which tests replace.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSize, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from rayong_desktop.domain import calendar
from rayong_desktop.domain.errors import NeedsConfirmation, RefusedError
from rayong_desktop.domain.numbers import format_int
from rayong_desktop.domain.summaries import CampaignInfo
from rayong_desktop.services import excel_export, excel_io, registry, status
from rayong_desktop.services.database import Database
from rayong_desktop.ui import i18n, prompts
from rayong_desktop.ui.context import DeskContext
from rayong_desktop.ui.geometry import fit_to_screen
from rayong_desktop.ui.i18n import QT_TRANSLATE_NOOP
from rayong_desktop.ui.state import remember_folder, start_folder
from rayong_desktop.ui.tablemodel import LEFT, RIGHT, Column, RowsModel
from rayong_desktop.ui.tasks import TaskQueue

# How the preview names each row's outcome.
STATUS_TEXT = {
    excel_io.NEW: QT_TRANSLATE_NOOP("ExcelDialogs", "ใหม่"),
    excel_io.CHANGED: QT_TRANSLATE_NOOP("ExcelDialogs", "เปลี่ยนแปลง"),
    excel_io.UNCHANGED: QT_TRANSLATE_NOOP("ExcelDialogs", "เหมือนเดิม"),
    excel_io.REFUSED: QT_TRANSLATE_NOOP("ExcelDialogs", "ไม่รับ"),
    excel_io.CONFIRM: QT_TRANSLATE_NOOP("ExcelDialogs", "ต้องยืนยัน"),
    excel_io.BLANK: QT_TRANSLATE_NOOP("ExcelDialogs", "ว่าง"),
}
STATUS_COLOURS = {
    excel_io.REFUSED: "#fde2e1",
    excel_io.CONFIRM: "#fff4cc",
    excel_io.CHANGED: "#e3ecfa",
    excel_io.NEW: "#e6f4ea",
}


def status_text(status: str) -> str:
    return (
        QCoreApplication.translate("ExcelDialogs", STATUS_TEXT[status])
        if status in STATUS_TEXT
        else status
    )


def xlsx_filter() -> str:
    return QCoreApplication.translate("ExcelDialogs", "สมุดงาน Excel (*.xlsx)")


def choose_open_path(parent: QWidget | None, title: str) -> Path | None:
    """A workbook to read: the dialog opens where the clerk last chose a workbook."""
    everything = QCoreApplication.translate("ExcelDialogs", "ทุกไฟล์ (*)")
    name, _ = QFileDialog.getOpenFileName(
        parent, title, str(start_folder("excel")), f"{xlsx_filter()};;{everything}"
    )
    if not name:
        return None
    remember_folder("excel", Path(name))
    return Path(name)


def choose_save_path(parent: QWidget | None, title: str, suggested: str) -> Path | None:
    """Where to save a workbook: first in Documents, then where the clerk last saved one."""
    name, _ = QFileDialog.getSaveFileName(
        parent, title, str(start_folder("excel") / suggested), xlsx_filter()
    )
    if not name:
        return None
    path = Path(name)
    remember_folder("excel", path)
    return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")


def _message(exc: BaseException) -> str:
    if isinstance(exc, RefusedError | NeedsConfirmation):
        return i18n.in_ui_language(exc)
    return QCoreApplication.translate("ExcelDialogs", "เกิดข้อผิดพลาดที่ไม่คาดคิด: {0}").format(
        f"{type(exc).__name__}: {exc}"
    )


def _submit(
    queue: TaskQueue,
    work: Callable[..., Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
    on_progress: Callable[[int, int], None] | None = None,
) -> None:
    """Submit `work` (a plain function of plain data, a functools.partial of a service call,
    never a method of a widget: the worker must hold no reference to any Qt object)."""
    # Collect reference cycles now, on the GUI thread: Python's cycle collector runs on whichever
    # thread happens to allocate, and a cycle holding a widget freed on the worker would delete
    # that widget off the GUI thread (a crash).
    gc.collect()
    queue.submit(work, on_done, on_error, on_progress=on_progress)


class _ImportDialog(QDialog):
    """Preview a file, then import it: the rows table, the counts, a progress bar, two buttons."""

    title = ""
    commit_text = QT_TRANSLATE_NOOP("ExcelDialogs", "นำเข้า")

    def row_and_status(self) -> list[Column[Any]]:
        """The first two columns of every import preview: the sheet's row and what happens."""
        # One context whichever dialog shows them (self.tr would take the subclass's name).
        return [
            Column(
                QCoreApplication.translate("ExcelDialogs", "แถว"),
                lambda r: str(r.row),
                RIGHT,
                background=_status_colour,
            ),
            Column(
                QCoreApplication.translate("ExcelDialogs", "สถานะ"),
                lambda r: status_text(r.status),
                LEFT,
                background=_status_colour,
                bold=_is_problem,
            ),
        ]

    def __init__(self, parent: QWidget | None, ctx: DeskContext, path: Path) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.path = path
        self.preview: Any = None
        self.result_: Any = None
        self._phase = ""  # "preview" or "commit" while a job runs, else ""
        self._ticket = 0  # a preview overtaken by a cancel is not shown
        self.setWindowTitle(self.title_text())
        fit_to_screen(self, QSize(980, 560))
        layout = QVBoxLayout(self)
        self.heading = QLabel(
            QCoreApplication.translate("ExcelDialogs", "ไฟล์ {0}").format(path.name)
        )
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.counts = QLabel(QCoreApplication.translate("ExcelDialogs", "กำลังตรวจไฟล์…"))
        self.counts.setObjectName("counts")
        layout.addWidget(self.counts)
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("background:#fde2e1; color:#8a1c14; padding:6px;")
        self.notice.setVisible(False)
        layout.addWidget(self.notice)
        self.model: RowsModel[Any] = RowsModel(self.columns())
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.confirm = QCheckBox(self.confirm_text())
        self.confirm.setVisible(False)
        self.confirm.toggled.connect(self._update_buttons)
        layout.addWidget(self.confirm)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # busy until the first report of progress
        layout.addWidget(self.progress)
        self.buttons = QDialogButtonBox(self)
        self.commit_button = QPushButton(
            QCoreApplication.translate("ExcelDialogs", self.commit_text)
        )
        self.commit_button.setEnabled(False)
        self.buttons.addButton(self.commit_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(
            QCoreApplication.translate("ExcelDialogs", "ยกเลิก"),
            QDialogButtonBox.ButtonRole.RejectRole,
        )
        self.commit_button.clicked.connect(self._commit)
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)

    # ---- what subclasses provide

    def title_text(self) -> str:
        return QCoreApplication.translate("ExcelDialogs", self.title)

    def columns(self) -> list[Column[Any]]:
        raise NotImplementedError

    def confirm_text(self) -> str:
        return ""

    def preview_work(self) -> Callable[..., Any]:
        """The service call that previews the file (plain data only, see _submit)."""
        raise NotImplementedError

    def commit_work(self) -> Callable[..., Any]:
        """The service call that imports the file (plain data only, see _submit)."""
        raise NotImplementedError

    def describe(self, preview: Any) -> str:
        raise NotImplementedError

    def needs_confirmation(self, preview: Any) -> bool:
        return False

    def shown_rows(self, preview: Any) -> list[Any]:
        return list(preview.rows)

    def done_text(self, result: Any) -> str:
        raise NotImplementedError

    # ---- the flow

    def start(self) -> None:
        self._run("preview", self.preview_work())

    def _run(self, phase: str, work: Callable[..., Any]) -> None:
        """The preview reads (reads queue); the import writes (writes queue, which announces
        what it changed)."""
        self.commit_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self._phase = phase
        self._ticket += 1
        ticket = self._ticket

        def done(result: Any) -> None:
            if ticket == self._ticket:
                self._phase = ""
                if phase == "preview":
                    self._previewed(result)
                else:
                    self._committed(result)

        def failed(exc: BaseException) -> None:
            if ticket == self._ticket:
                self._phase = ""
                if phase == "preview":
                    self._preview_failed(exc)
                else:
                    self._commit_failed(exc)

        def progressed(done: int, total: int) -> None:
            if ticket == self._ticket:
                self._progressed(done, total)

        queue = self.ctx.reads if phase == "preview" else self.ctx.writes
        _submit(queue, work, done, failed, progressed)

    def busy(self) -> bool:
        """The import is being written (one transaction): the dialog waits for it."""
        return self._phase == "commit"

    @Slot(int, int)
    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _previewed(self, preview: Any) -> None:
        self.preview = preview
        self.progress.setVisible(False)
        self.model.set_rows(self.shown_rows(preview))
        self.counts.setText(self.describe(preview))
        if preview.refused:
            first = preview.refused[0]
            more = len(preview.refused) - 1
            notice = QCoreApplication.translate(
                "ExcelDialogs",
                "ไฟล์นี้มีแถวที่รับไม่ได้ จึงจะไม่บันทึกข้อมูลใดจากไฟล์นี้ กรุณาแก้ไขไฟล์แล้วนำเข้าอีกครั้ง",
            )
            notice += "\n" + i18n.in_ui_language(first)
            if more:
                notice += QCoreApplication.translate("ExcelDialogs", " (และอีก {0} แถว)").format(
                    more
                )
            self.notice.setText(notice)
            self.notice.setVisible(True)
        self.confirm.setVisible(self.needs_confirmation(preview))
        self._update_buttons()

    def _preview_failed(self, exc: BaseException) -> None:
        self.progress.setVisible(False)
        self.counts.setText(QCoreApplication.translate("ExcelDialogs", "อ่านไฟล์ไม่ได้ ไม่ได้บันทึกข้อมูลใด"))
        self.notice.setText(_message(exc))
        self.notice.setVisible(True)
        self.commit_button.setEnabled(False)

    def _update_buttons(self) -> None:
        preview = self.preview
        ready = (
            preview is not None
            and not preview.refused
            and (not self.needs_confirmation(preview) or self.confirm.isChecked())
            # Something to write: a file that only repeats stored figures needs no import.
            and any(
                r.status in (excel_io.NEW, excel_io.CHANGED, excel_io.CONFIRM) for r in preview.rows
            )
        )
        self.commit_button.setEnabled(bool(ready) and not self.busy())

    def _commit(self) -> None:
        self.cancel_button.setEnabled(False)
        self.confirm.setEnabled(False)
        self._run("commit", self.commit_work())

    def _committed(self, result: Any) -> None:
        self.result_ = result
        self.progress.setVisible(False)
        prompts.inform(self, self.title_text(), self.done_text(result))
        self.accept()

    def _commit_failed(self, exc: BaseException) -> None:
        self.progress.setVisible(False)
        self.cancel_button.setEnabled(True)
        self.confirm.setEnabled(True)
        prompts.warn(
            self,
            self.title_text(),
            QCoreApplication.translate("ExcelDialogs", "ไม่ได้บันทึกข้อมูลใด") + "\n" + _message(exc),
        )
        self._update_buttons()

    def reject(self) -> None:
        if self.busy():
            return  # the file is being written in one transaction: let it finish
        self._ticket += 1  # a preview still being read is not wanted any more
        super().reject()

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        if self.busy():
            event.ignore()
            return
        super().closeEvent(event)


def _count(n: int | None) -> str:
    return "" if n is None else format_int(n)


def _status_colour(row: Any) -> str | None:
    return STATUS_COLOURS.get(row.status)


class FormImportDialog(_ImportDialog):
    title = QT_TRANSLATE_NOOP("ExcelDialogs", "นำเข้าแบบรายงานจากไฟล์ Excel")

    def columns(self) -> list[Column[Any]]:
        return [
            *self.row_and_status(),
            Column(self.tr("รหัสหน่วย"), lambda r: r.unit or "", LEFT, background=_status_colour),
            Column(self.tr("ชื่อหน่วยงาน"), lambda r: r.name or "", LEFT, background=_status_colour),
            Column(self.tr("จำนวน"), lambda r: _count(r.count), RIGHT, background=_status_colour),
            Column(
                self.tr("ยอดเดิม"), lambda r: _count(r.previous), RIGHT, background=_status_colour
            ),
            Column(self.tr("รายละเอียด"), _detail, LEFT, tooltip=_detail, background=_status_colour),
        ]

    def confirm_text(self) -> str:
        return QCoreApplication.translate(
            "ExcelDialogs",
            "ยืนยันตัวเลขที่ต้องยืนยันและการแก้ไขยอดที่บันทึกไว้แล้ว (ประวัติเดิมยังเก็บไว้)",
        )

    def preview_work(self) -> Callable[..., Any]:
        return partial(excel_io.preview_forms, self.db, self.path)

    def commit_work(self) -> Callable[..., Any]:
        return partial(excel_io.import_forms, self.db, self.path, confirm=self.confirm.isChecked())

    def needs_confirmation(self, preview: Any) -> bool:
        return bool(preview.to_confirm) and not preview.refused

    def shown_rows(self, preview: Any) -> list[Any]:
        # Problems first, then what will change; rows left blank are only counted.
        order = {s: i for i, s in enumerate(excel_io.STATUS_ORDER)}
        rows = [r for r in preview.rows if r.status != excel_io.BLANK]
        return sorted(rows, key=lambda r: (order[r.status], r.row))

    def describe(self, preview: Any) -> str:
        week = QCoreApplication.translate("ExcelDialogs", "สัปดาห์ {0} ({1})").format(
            calendar.week_label(preview.week), i18n.week_range_text(preview.week)
        )
        parts = [f"{status_text(s)} {n}" for s, n in preview.counts.items() if n or s != "blank"]
        return f"{week}: " + " · ".join(parts)

    def done_text(self, result: Any) -> str:
        c = result.counts
        return QCoreApplication.translate(
            "ExcelDialogs", "นำเข้าแล้ว: ใหม่ {0} รายการ แก้ไข {1} รายการ (เหมือนเดิม {2})"
        ).format(c["new"], c["changed"], c["unchanged"])


class UnitsImportDialog(_ImportDialog):
    title = QT_TRANSLATE_NOOP("ExcelDialogs", "นำเข้ารายชื่อหน่วยจากไฟล์ Excel")

    def columns(self) -> list[Column[Any]]:
        return [
            *self.row_and_status(),
            Column(self.tr("รหัสหน่วย"), lambda r: r.code or "", LEFT, background=_status_colour),
            Column(self.tr("ชื่อหน่วยงาน"), lambda r: r.name or "", LEFT, background=_status_colour),
            Column(
                self.tr("ช่องที่เปลี่ยน"),
                lambda r: ", ".join(r.changes),
                LEFT,
                background=_status_colour,
            ),
            Column(
                self.tr("รายละเอียด"),
                i18n.in_ui_language,
                LEFT,
                tooltip=lambda r: i18n.in_ui_language(r) or None,
                background=_status_colour,
            ),
        ]

    def preview_work(self) -> Callable[..., Any]:
        return partial(excel_io.preview_units, self.db, self.path)

    def commit_work(self) -> Callable[..., Any]:
        return partial(excel_io.import_units, self.db, self.path)

    def describe(self, preview: Any) -> str:
        return " · ".join(f"{status_text(s)} {n}" for s, n in preview.counts.items())

    def done_text(self, result: Any) -> str:
        c = result.counts
        return QCoreApplication.translate(
            "ExcelDialogs", "นำเข้าแล้ว: หน่วยใหม่ {0} หน่วย ปรับปรุง {1} หน่วย"
        ).format(c["new"], c["changed"])


def _is_problem(row: Any) -> bool:
    return row.status in (excel_io.REFUSED, excel_io.CONFIRM)


def _detail(row: excel_io.RowOutcome) -> str:
    # The location prefix repeats the row and column shown in the table; keep the reason.
    text = i18n.in_ui_language(row)
    return text.split(": ", 1)[1] if ": " in text else text


def _run_import(dialog: _ImportDialog) -> Any:
    dialog.start()
    dialog.exec()
    return dialog.result_


def import_forms_dialog(parent: QWidget | None, ctx: DeskContext) -> excel_io.FormImport | None:
    """Choose a filled form, preview it, import it. The committed result, else None."""
    path = choose_open_path(
        parent, QCoreApplication.translate("ExcelDialogs", "เลือกแบบรายงานที่หน่วยกรอกแล้ว")
    )
    if path is None:
        return None
    result: excel_io.FormImport | None = _run_import(FormImportDialog(parent, ctx, path))
    return result


def import_units_dialog(parent: QWidget | None, ctx: DeskContext) -> excel_io.UnitsImport | None:
    """Choose a unit list, preview it, import it. The committed result, else None."""
    path = choose_open_path(parent, QCoreApplication.translate("ExcelDialogs", "เลือกไฟล์รายชื่อหน่วย"))
    if path is None:
        return None
    result: excel_io.UnitsImport | None = _run_import(UnitsImportDialog(parent, ctx, path))
    return result


# ---------------------------------------------------------------- export


FORM, SUMMARY, TEMPLATE = "form", "summary", "template"


class ExportDialog(QDialog):
    """Which workbook, which week, and (for a form) for whom; then where to save it."""

    def __init__(self, parent: QWidget | None, ctx: DeskContext) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.db = ctx.db
        self.saved: Path | None = None
        self._busy = True  # the weeks and units are read first
        self._writing = False
        self.setWindowTitle(self.tr("ส่งออกเป็นไฟล์ Excel"))
        layout = QVBoxLayout(self)
        self.kinds = QButtonGroup(self)
        for index, (key, text) in enumerate(
            (
                (FORM, self.tr("แบบรายงานสำหรับให้หน่วยกรอก")),
                (SUMMARY, self.tr("สรุปประจำสัปดาห์ (สูตรตรวจสอบได้ และประวัติรายสัปดาห์)")),
                (TEMPLATE, self.tr("แม่แบบรายชื่อหน่วยสำหรับนำเข้า")),
            )
        ):
            button = QRadioButton(text)
            button.setProperty("kind", key)
            button.setChecked(index == 0)
            self.kinds.addButton(button, index)
            layout.addWidget(button)
        form = QFormLayout()
        self.week = QComboBox(self)
        form.addRow(self.tr("สัปดาห์"), self.week)
        self.scope = QComboBox(self)
        for combo in (self.week, self.scope):  # long unit names must not widen the dialog
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(24)
        form.addRow(self.tr("หน่วย"), self.scope)
        layout.addLayout(form)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        layout.addWidget(self.progress)
        self.buttons = QDialogButtonBox(self)
        self.save_button = QPushButton(self.tr("บันทึกเป็น…"))
        self.save_button.setEnabled(False)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(
            self.tr("ปิด"), QDialogButtonBox.ButtonRole.RejectRole
        ).clicked.connect(self.reject)
        self.save_button.clicked.connect(self._save)
        layout.addWidget(self.buttons)
        self.kinds.idToggled.connect(self._kind_changed)
        self._kind_changed()
        _submit(self.ctx.reads, partial(_export_choices, self.db), self._fill, self._unreadable)

    def _unreadable(self, exc: BaseException) -> None:
        self._busy = False
        self.progress.setVisible(False)
        prompts.warn(
            self,
            self.tr("ส่งออกเป็นไฟล์ Excel"),
            self.tr("อ่านข้อมูลไม่ได้") + "\n" + _message(exc),
        )

    def _fill(self, choices: _ExportChoices) -> None:
        self._busy = False
        self.progress.setVisible(False)
        self.save_button.setEnabled(True)
        for monday in calendar.campaign_weeks(choices.campaign.start, choices.campaign.end):
            # ISO text as the item's data: a Python date does not survive Qt's findData.
            text = f"{calendar.week_label(monday)} ({i18n.week_range_text(monday)})"
            self.week.addItem(text, monday.isoformat())
            if monday == choices.current:
                self.week.setCurrentIndex(self.week.count() - 1)
        # Item data as "all", "plan_row:N" or "unit:CODE" (plain text, as for the weeks).
        self.scope.addItem(self.tr("ทุกหน่วยที่ยังรายงาน"), "all")
        for row in choices.plan.rows:
            self.scope.addItem(
                self.tr("แผนลำดับที่ {0}: {1}").format(row.number, row.name[:60]),
                f"plan_row:{row.number}",
            )
        for unit in choices.units:
            self.scope.addItem(
                self.tr("หน่วย {0} {1}").format(unit.code, unit.name[:60]), f"unit:{unit.code}"
            )

    def ready(self) -> bool:
        """The choices are on show and no file is being written."""
        return not self._busy

    def chosen_week(self) -> date:
        return date.fromisoformat(str(self.week.currentData()))

    def chosen_scope(self) -> tuple[str, str]:
        what, _, value = str(self.scope.currentData()).partition(":")
        return what, value

    def kind(self) -> str:
        button = self.kinds.checkedButton()
        return str(button.property("kind")) if button is not None else FORM

    def _kind_changed(self, *_args: Any) -> None:
        self.week.setEnabled(self.kind() != TEMPLATE)
        self.scope.setEnabled(self.kind() == FORM)

    def suggested_name(self) -> str:
        label = calendar.week_label(self.chosen_week())
        if self.kind() == SUMMARY:
            return self.tr("สรุป-{0}.xlsx").format(label)
        if self.kind() == TEMPLATE:
            return self.tr("แม่แบบรายชื่อหน่วย.xlsx")
        what, value = self.chosen_scope()
        return self.tr("แบบรายงาน-{0}.xlsx").format(label if what == "all" else f"{label}-{value}")

    def _save(self) -> None:
        path = choose_save_path(self, self.tr("บันทึกไฟล์ Excel"), self.suggested_name())
        if path is None:
            return
        kind, week = self.kind(), self.chosen_week()
        what, value = self.chosen_scope()

        work = partial(_export, self.db, path, kind, week, what, value)
        self.save_button.setEnabled(False)
        self.progress.setVisible(True)
        self._busy = self._writing = True
        _submit(self.ctx.reads, work, self._saved, self._failed)

    def _saved(self, path: Path) -> None:
        self._busy = self._writing = False
        self.saved = path
        self.progress.setVisible(False)
        self.save_button.setEnabled(True)
        prompts.inform(self, self.tr("ส่งออกเป็นไฟล์ Excel"), self.tr("บันทึกไฟล์แล้ว: {0}").format(path))
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._busy = self._writing = False
        self.progress.setVisible(False)
        self.save_button.setEnabled(True)
        prompts.warn(
            self,
            self.tr("ส่งออกเป็นไฟล์ Excel"),
            self.tr("บันทึกไม่สำเร็จ") + "\n" + _message(exc),
        )

    def reject(self) -> None:
        if self._writing:
            return  # still writing the file
        super().reject()


@dataclass(frozen=True)
class _ExportChoices:
    campaign: CampaignInfo
    current: date
    plan: registry.PlanOverview
    units: list[registry.UnitView]


def _export_choices(db: Database) -> _ExportChoices:
    """What the export dialog offers (read on the reads queue when it opens)."""
    current, _inside = status.current_week(db)
    return _ExportChoices(
        status.campaign_info(db),
        current,
        registry.plan_overview(db),
        registry.list_units(db, include_retired=False),
    )


def _export(
    db: Database,
    path: Path,
    kind: str,
    week: date,
    what: str,
    value: str,
    *,
    progress: excel_io.Progress | None = None,
) -> Path:
    request = excel_export.WorkbookRequest(
        kind=kind,
        week=week,
        unit=value if kind == FORM and what == "unit" else None,
        plan_row=int(value) if kind == FORM and what == "plan_row" else None,
    )
    return excel_export.export_workbook(db, request, path).path


def export_workbook_dialog(parent: QWidget | None, ctx: DeskContext) -> Path | None:
    """Export a form, the week's summary or the unit-list template. The saved path, else None."""
    dialog = ExportDialog(parent, ctx)
    dialog.exec()
    return dialog.saved
