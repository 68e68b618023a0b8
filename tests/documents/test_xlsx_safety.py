"""Hostile and broken workbooks are refused before or while they are read, with a clear message.

The builders here (`BAD_FILES`) are reused by tests/services/test_excel_io.py, which checks that
importing each of them changes nothing in the database.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import openpyxl
import openpyxl.xml
import pytest

from rayong_desktop.documents import xlsx_common, xlsx_forms
from rayong_desktop.documents.xlsx_common import WorkbookError

WEEK = date(2020, 5, 18)
SHEET_PART = "xl/worksheets/sheet1.xml"


def good_form(path: Path, codes: tuple[str, ...] = ("R01", "R02")) -> Path:
    heading = xlsx_forms.FormHeading(WEEK, "ทุกหน่วย", "สำนักงาน", "", "Rayong Fight Covid", 1_000_000)
    xlsx_forms.build_form(path, heading, [xlsx_forms.FormUnit(c, f"หน่วย {c}", 300) for c in codes])
    return path


def rewrite(path: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    """Copy a workbook, changing one part (the way a tampering tool would)."""
    data = path.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == part:
                content = change(content)
            dst.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED)
    path.write_bytes(out.getvalue())
    return path


def empty_file(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def csv_renamed(path: Path) -> Path:
    path.write_text("รหัสหน่วย,จำนวน\nR01,1250\n", encoding="utf-8")
    return path


def truncated(path: Path) -> Path:
    data = good_form(path).read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def zip_bomb(path: Path) -> Path:
    """A valid-looking package whose sheet unpacks to 70 MB of spaces from ~70 KB (a real form
    stays far below the size from which the ratio is checked)."""
    good_form(path)
    return rewrite(path, SHEET_PART, lambda xml: xml + b" " * (70 * 1024 * 1024))


def with_doctype(xml: bytes, doctype: bytes) -> bytes:
    """Put a DOCTYPE after the XML declaration, or first when there is none."""
    if xml.startswith(b"<?xml"):
        head, sep, rest = xml.partition(b"?>")
        return head + sep + doctype + rest
    return doctype + xml


def entity_bomb(path: Path) -> Path:
    """Billion laughs in the sheet XML: nested entities that expand exponentially."""
    good_form(path)
    entities = b'<!ENTITY lol0 "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10)
    )
    doctype = b"<!DOCTYPE worksheet [" + entities + b"]>"

    def inject(xml: bytes) -> bytes:
        xml = with_doctype(xml, doctype)
        assert b"<is><t>R01</t></is>" in xml
        return xml.replace(b"<is><t>R01</t></is>", b"<is><t>&lol9;</t></is>", 1)

    return rewrite(path, SHEET_PART, inject)


def formula_without_value(path: Path, formula: str = "=1000+250") -> Path:
    """A count typed as a formula and never calculated (openpyxl saves no cached value)."""
    good_form(path)
    wb = openpyxl.load_workbook(path)
    wb[xlsx_forms.FORM_SHEET][f"E{xlsx_forms.FIRST_ROW + 1}"] = formula
    wb.save(path)
    return path


BAD_FILES: dict[str, tuple[Callable[[Path], Path], str, str]] = {
    # name: (builder, refusal code, words the English message must contain)
    "empty": (empty_file, "empty_file", "empty"),
    "csv renamed .xlsx": (csv_renamed, "not_xlsx", "CSV"),
    "truncated": (truncated, "damaged_xlsx", "truncated"),
    "zip bomb": (zip_bomb, "zip_bomb", "zip bomb"),
    "XML entity bomb": (entity_bomb, "xml_entities", "entities"),
    "formula with no cached value": (
        formula_without_value,
        "formula_without_value",
        f"sheet {xlsx_forms.FORM_SHEET}, row {xlsx_forms.FIRST_ROW + 1}, column E (count)",
    ),
}


def test_openpyxl_parses_with_defusedxml() -> None:
    assert openpyxl.xml.DEFUSEDXML is True
    xlsx_common.require_defusedxml()  # and the reader checks it before every load


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_files_are_refused_with_a_clear_message(tmp_path: Path, name: str) -> None:
    build, code, words = BAD_FILES[name]
    path = build(tmp_path / "in.xlsx")
    with pytest.raises(WorkbookError) as caught:
        xlsx_forms.read_form(path)
    assert caught.value.code == code, caught.value.en
    assert words in caught.value.en
    assert "in.xlsx" in caught.value.en or "sheet" in caught.value.en
    assert caught.value.th and "\n" not in caught.value.en


def test_an_entity_bomb_in_the_workbook_part_is_refused_too(tmp_path: Path) -> None:
    path = good_form(tmp_path / "in.xlsx")
    rewrite(
        path,
        "xl/workbook.xml",
        lambda xml: with_doctype(xml, b'<!DOCTYPE w [<!ENTITY a "aaaaaaaa">]>'),
    )
    with pytest.raises(WorkbookError) as caught:
        xlsx_forms.read_form(path)
    assert caught.value.code == "xml_entities"


def test_a_formula_with_its_value_saved_is_read_as_that_value(tmp_path: Path) -> None:
    # Excel saves the calculated value beside the formula; that value is what the clerk saw.
    path = formula_without_value(tmp_path / "in.xlsx", "=1000+250")
    rewrite(
        path,
        SHEET_PART,
        lambda xml: xml.replace(b"<f>1000+250</f><v />", b"<f>1000+250</f><v>1250</v>"),
    )
    rows = xlsx_forms.read_form(path).rows
    assert rows[1].count == 1250


def test_an_old_xls_file_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(WorkbookError) as caught:
        xlsx_forms.read_form(path)
    assert caught.value.code == "not_xlsx" and ".xls" in caught.value.en


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8" * 100)
    with pytest.raises(WorkbookError) as caught:
        xlsx_forms.read_form(path)
    assert caught.value.code == "not_xlsx"


def test_an_ods_file_is_refused_saying_how_to_save_it_as_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "form.ods"
    with zipfile.ZipFile(path, "w") as archive:  # an OpenDocument spreadsheet's layout
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    with pytest.raises(WorkbookError) as caught:
        xlsx_forms.read_form(path)
    assert caught.value.code == "not_xlsx"
    assert "(.ods)" in caught.value.en and "Save As" in caught.value.en
    assert "(.xlsx)" in caught.value.en
    assert "บันทึกเป็น" in caught.value.th and ".xlsx" in caught.value.th


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError) as caught:
        xlsx_forms.read_form(tmp_path / "nowhere.xlsx")
    assert caught.value.code == "no_file"


@pytest.mark.parametrize(
    ("limit", "value", "code"),
    [
        ("MAX_FILE_BYTES", 1000, "file_too_large"),
        ("MAX_ENTRIES", 5, "zip_too_many_entries"),
        ("MAX_UNCOMPRESSED_BYTES", 10_000, "zip_bomb"),
    ],
)
def test_container_limits_are_checked_before_loading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: str, value: int, code: str
) -> None:
    path = good_form(tmp_path / "in.xlsx")
    monkeypatch.setattr(xlsx_common, limit, value)
    # Nothing may be parsed when a limit is exceeded.
    monkeypatch.setattr(xlsx_common.openpyxl, "load_workbook", _must_not_load)
    with pytest.raises(WorkbookError) as caught:
        xlsx_forms.read_form(path)
    assert caught.value.code == code


def _must_not_load(*_args: object, **_kw: object) -> None:
    raise AssertionError("openpyxl was asked to load a file that failed the container checks")


def test_a_wrong_stored_dimension_does_not_lose_or_invent_rows(tmp_path: Path) -> None:
    path = good_form(tmp_path / "in.xlsx", codes=("R01", "R02", "R04"))
    wb = openpyxl.load_workbook(path)
    wb[xlsx_forms.FORM_SHEET][f"E{xlsx_forms.FIRST_ROW + 2}"] = 77
    wb.save(path)
    # Some programs write "A1" (every row after the first would be lost in read-only mode);
    # a hostile one may claim a million rows.
    for claimed in (b"A1", b"A1:XFD1048576"):
        rewrite(
            path,
            SHEET_PART,
            lambda xml, c=claimed: re.sub(
                rb'<dimension ref="[^"]*"', b'<dimension ref="' + c + b'"', xml
            ),
        )
        rows = xlsx_forms.read_form(path).rows
        assert [r.code for r in rows] == ["R01", "R02", "R04"]
        assert rows[2].count == 77


def test_a_sheet_with_too_many_rows_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = good_form(tmp_path / "in.xlsx", codes=tuple(f"U{i}" for i in range(30)))
    monkeypatch.setattr(xlsx_forms, "MAX_ROWS", 20)
    with pytest.raises(WorkbookError) as caught:
        xlsx_forms.read_form(path)
    assert caught.value.code == "too_many_rows"


def test_a_formula_in_a_utf16_sheet_is_found_too(tmp_path: Path) -> None:
    # XML may be UTF-16; the quick byte scan for formulas must not be fooled into skipping it.
    path = formula_without_value(tmp_path / "in.xlsx")

    def to_utf16(xml: bytes) -> bytes:
        text = xml.decode("utf-8")
        if text.startswith("<?xml"):
            text = text[text.index("?>") + 2 :]
        return ('<?xml version="1.0" encoding="UTF-16"?>' + text).encode("utf-16")

    rewrite(path, SHEET_PART, to_utf16)
    with pytest.raises(WorkbookError) as caught:
        xlsx_forms.read_form(path)
    assert caught.value.code == "formula_without_value"
