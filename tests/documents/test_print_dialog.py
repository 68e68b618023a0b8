"""The print dialog: previews built off the GUI thread, letters numbered only when they leave,
pages printed at actual size (checked by printing to a PDF file through QPrinter)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from rayong_desktop.db.engine import Database
from rayong_desktop.services import letter_register, printing
from rayong_desktop.services.settings import get_settings
from rayong_desktop.ui.application import create_application
from rayong_desktop.ui.print_dialog import (
    GIVEN,
    REPRINT,
    PrintDialog,
    build,
    prepare_printer,
    print_pages,
)
from tests.documents import pdftools
from tests.documents.scenario import ADD_FRIEND_URL

pytestmark = pytest.mark.gui


def choose(dialog: PrintDialog, kind: str) -> None:
    dialog.kind.setCurrentIndex(dialog.kind.findData(kind))


def settled(qtbot: QtBot, dialog: PrintDialog) -> None:
    qtbot.waitUntil(
        lambda: dialog._busy_action is None and not dialog._debounce.isActive(), timeout=30_000
    )


@pytest.fixture
def dialog(qtbot: QtBot, scenario_db: Database) -> PrintDialog:
    create_application([])
    window = PrintDialog(scenario_db)
    qtbot.addWidget(window)
    window.show()
    settled(qtbot, window)
    return window


def test_previews_each_document(qtbot: QtBot, dialog: PrintDialog, scenario_db: Database) -> None:
    assert dialog.page_count() == 3  # the summary of the current week, districts on page 3
    assert dialog.page_label.text() == "หน้า 1 จาก 3"
    dialog.next_button.click()
    assert dialog.page_label.text() == "หน้า 2 จาก 3" and dialog.next_button.isEnabled()
    dialog.next_button.click()
    assert dialog.page_label.text() == "หน้า 3 จาก 3" and not dialog.next_button.isEnabled()

    choose(dialog, "letter")
    settled(qtbot, dialog)
    assert dialog.page_count() == 1
    assert "เลขที่หนังสือที่จะใช้" in dialog.status.text() and "1" in dialog.status.text()
    assert get_settings(scenario_db).letter_next_number == 1  # a preview uses no number

    choose(dialog, "form")
    settled(qtbot, dialog)
    dialog.target.setCurrentIndex(dialog.target.findData("row:3"))
    settled(qtbot, dialog)
    assert dialog.page_count() == 12

    choose(dialog, "poster")
    settled(qtbot, dialog)
    assert dialog.page_count() == 1
    dialog.oa_id.setText("has space")
    settled(qtbot, dialog)
    assert dialog.page_count() == 0 and "LINE ID" in dialog.status.text()
    assert not dialog.print_button.isEnabled()


def test_saving_a_letter_issues_its_number(
    qtbot: QtBot, dialog: PrintDialog, scenario_db: Database, tmp_path: Path
) -> None:
    choose(dialog, "letter")
    settled(qtbot, dialog)
    out = tmp_path / "letter.pdf"
    built = build(scenario_db, dialog.request(), issue=True, out=out)
    assert "ออกเลขที่หนังสือ 1 แล้ว" in built.note
    assert get_settings(scenario_db).letter_next_number == 2
    pdftools.check(out)


def test_a_letter_takes_a_number_from_the_central_register(
    qtbot: QtBot,
    dialog: PrintDialog,
    scenario_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    choose(dialog, "letter")
    settled(qtbot, dialog)
    assert not dialog.number.isEnabled()  # the desk's next number
    assert not dialog._form.isRowVisible(dialog.replaces)
    dialog.numbering.setCurrentIndex(dialog.numbering.findData(GIVEN))
    dialog.number.setValue(57)
    settled(qtbot, dialog)
    assert dialog.number.isEnabled() and dialog._form.isRowVisible(dialog.replaces)
    assert "ทะเบียนกลาง" in dialog.status.text() and "57" in dialog.status.text()
    assert get_settings(scenario_db).letter_next_number == 1  # the preview took nothing

    files = iter(tmp_path / name for name in ("first.pdf", "again.pdf", "replacing.pdf"))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(next(files)), ""))
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warned.append(str(a[2])))
    dialog._save()
    settled(qtbot, dialog)
    assert "ออกเลขที่หนังสือ 57 แล้ว" in dialog.status.text()
    assert get_settings(scenario_db).letter_next_number == 58  # the desk's counter moved past
    # The same number again is refused, and nothing is written.
    dialog._save()
    settled(qtbot, dialog)
    assert len(warned) == 1 and "57" in warned[0] and "ใช้ไปแล้ว" in warned[0]
    assert not (tmp_path / "again.pdf").exists()
    # Its preview says so at once, and nothing can be printed or saved with it.
    dialog.refresh()
    settled(qtbot, dialog)
    assert "ใช้ไปแล้ว" in dialog.status.text() and dialog.page_count() == 0
    assert not dialog.print_button.isEnabled() and not dialog.save_button.isEnabled()
    # Said to replace a spoiled letter, it takes the number; the first stays, spoiled.
    dialog.replaces.setText("พิมพ์ชื่อผู้รับผิด")
    settled(qtbot, dialog)
    assert dialog.page_count() == 1 and dialog.save_button.isEnabled()
    dialog._save()
    settled(qtbot, dialog)
    assert (tmp_path / "replacing.pdf").exists() and len(warned) == 1
    entries = letter_register.list_letters(scenario_db)
    assert [(e.number, e.state, e.spoil_reason) for e in entries] == [
        (57, "spoiled", "พิมพ์ชื่อผู้รับผิด"),
        (57, "issued", None),
    ]
    # A reprint of the number shows the letter in force, and takes nothing.
    dialog.numbering.setCurrentIndex(dialog.numbering.findData(REPRINT))
    # Until the reprint's preview is built, what is on show is not what would print.
    assert not dialog.print_button.isEnabled() and not dialog.save_button.isEnabled()
    settled(qtbot, dialog)
    assert dialog.print_button.isEnabled()
    assert not dialog._form.isRowVisible(dialog.replaces)
    assert "พิมพ์ซ้ำเลขที่ 57" in dialog.status.text()


@pytest.mark.parametrize(("size", "label"), [("A4", "(A4)"), ("A3", "(A3)")])
def test_printing_is_at_actual_size(
    qtbot: QtBot, dialog: PrintDialog, tmp_path: Path, size: str, label: str
) -> None:
    choose(dialog, "poster")
    dialog.paper_size.setCurrentText(size)
    settled(qtbot, dialog)
    assert dialog._data is not None
    document = pdfium.PdfDocument(dialog._data)
    try:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        prepare_printer(printer, document)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        out = tmp_path / f"printed-{size}.pdf"
        printer.setOutputFileName(str(out))
        assert print_pages(printer, document)
    finally:
        document.close()
    assert pdftools.info(out)["Page size"].endswith(label)
    png = pdftools.render(out, tmp_path, dpi=150)[0]
    assert pdftools.decode_qr(png) == [ADD_FRIEND_URL]


@pytest.mark.parametrize("kind", ["letter", "reminder", "memo"])
def test_the_addressee_field_shows_what_prints(
    qtbot: QtBot, dialog: PrintDialog, scenario_db: Database, tmp_path: Path, kind: str
) -> None:
    choose(dialog, kind)
    settled(qtbot, dialog)
    shown = dialog.to.placeholderText()
    assert shown == printing.addressee(get_settings(scenario_db), kind)
    out = tmp_path / f"{kind}.pdf"
    build(scenario_db, dialog.request(), issue=False, out=out)
    printed = " ".join(pdftools.text(out, first=1, last=1).split())
    assert pdftools.normalized(f"เรียน {shown}") in printed


def test_every_choice_fits_its_pane_in_english_too(qtbot: QtBot, scenario_db: Database) -> None:
    """English labels and choices are wider than Thai ones: the pane of choices is as wide as
    its longest row, so no field runs past its edge (it has no horizontal scroll bar)."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QScrollArea

    from rayong_desktop.ui import i18n

    app = create_application([])
    assert i18n.install_translator(app, "en") == "en"
    try:
        window = PrintDialog(scenario_db)
        qtbot.addWidget(window)
        window.show()
        settled(qtbot, window)
        choose(window, "letter")
        window.numbering.setCurrentIndex(window.numbering.findData(GIVEN))
        settled(qtbot, window)
        pane = window.findChild(QScrollArea, "printChoices")
        assert pane is not None
        right = pane.viewport().width()
        for field in (window.kind, window.week, window.to, window.number, window.replaces):
            assert field.isVisible()
            edge = field.mapTo(pane.viewport(), QPoint(field.width(), 0)).x()
            assert edge <= right, (field.objectName() or type(field).__name__, edge, right)
    finally:
        assert i18n.install_translator(app, "th") == "th"


def test_a_change_just_before_the_desk_closes_builds_no_preview(
    qtbot: QtBot, dialog: PrintDialog
) -> None:
    """The preview waits a moment after a change; if the desk closes meanwhile (its queues
    take no more work) the wait ends quietly instead of raising in Qt's event loop."""
    from rayong_desktop.ui.print_dialog import DEBOUNCE_MS

    choose(dialog, "letter")
    settled(qtbot, dialog)
    dialog.to.setText("นายอำเภอเมืองระยอง")  # a change: the preview is due in DEBOUNCE_MS
    dialog.ctx.shutdown()
    qtbot.wait(DEBOUNCE_MS * 3)
    assert dialog._busy_action is None  # nothing was started
