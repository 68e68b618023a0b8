"""services.printing.make_document and services.excel_export.export_workbook: the one entry the
print dialog, the Excel export dialog and the command line each use."""

from __future__ import annotations

import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from rayong_desktop.db.engine import Database
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.services import excel_export, printing
from rayong_desktop.services.settings import get_settings
from tests.documents import pdftools
from tests.documents.scenario import W21


@pytest.mark.parametrize(
    ("request_", "pages"),
    [
        (printing.DocumentRequest("summary"), None),
        (printing.DocumentRequest("form", unit="TN-RY"), 1),
        (printing.DocumentRequest("poster", size="A3", oa_id="@entry"), 1),
    ],
)
def test_a_document_is_built_and_saved(
    scenario_db: Database, tmp_path: Path, request_: printing.DocumentRequest, pages: int | None
) -> None:
    out = tmp_path / "doc.pdf"
    made = printing.make_document(scenario_db, request_, issue=True, out=out)
    assert made.letter is None
    assert out.read_bytes() == made.data
    assert made.pages == printing.page_count(made.data) >= 1
    if pages is not None:
        assert made.pages == pages
    pdftools.check(out)


def test_the_week_defaults_to_the_current_one(scenario_db: Database, tmp_path: Path) -> None:
    texts = []
    for week in (None, W21, W21 - timedelta(days=7)):
        out = tmp_path / f"summary-{week}.pdf"
        printing.make_document(scenario_db, printing.DocumentRequest("summary", week=week), out=out)
        texts.append(pdftools.text(out))
    assert texts[0] == texts[1] != texts[2]


def test_a_letter_is_numbered_only_when_issued(scenario_db: Database, tmp_path: Path) -> None:
    letter = printing.DocumentRequest("letter", week=W21)
    preview = printing.make_document(scenario_db, letter)
    assert preview.letter is not None
    assert (preview.letter.number, preview.letter.issued) == (1, False)
    assert get_settings(scenario_db).letter_next_number == 1

    made = printing.make_document(scenario_db, letter, issue=True, out=tmp_path / "l.pdf")
    assert made.letter is not None and (made.letter.number, made.letter.issued) == (1, True)
    assert get_settings(scenario_db).letter_next_number == 2

    memo = printing.DocumentRequest("reminder", week=W21, memo=True, number=7)
    reprint = printing.make_document(scenario_db, memo, issue=True)
    assert reprint.letter is not None
    assert (reprint.letter.number, reprint.letter.circular, reprint.letter.issued) == (
        7,
        False,
        False,
    )
    assert get_settings(scenario_db).letter_next_number == 2


@pytest.mark.parametrize(
    ("request_", "code"),
    [
        (printing.DocumentRequest("invoice"), "bad_arguments"),
        (printing.DocumentRequest("letter", number=0), "bad_number"),
        (printing.DocumentRequest("poster", oa_id="has space"), "bad_oa_id"),
    ],
)
def test_a_bad_request_is_refused_and_writes_nothing(
    scenario_db: Database, tmp_path: Path, request_: printing.DocumentRequest, code: str
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(RefusedError) as refused:
        printing.make_document(scenario_db, request_, issue=True, out=folder / "doc.pdf")
    assert refused.value.code == code
    assert list(folder.iterdir()) == []
    assert get_settings(scenario_db).letter_next_number == 1


@pytest.mark.parametrize(
    ("request_", "rows"),
    [
        (excel_export.WorkbookRequest("form", week=W21, unit="TN-RY"), 1),
        (excel_export.WorkbookRequest("summary"), None),
        (excel_export.WorkbookRequest("template"), None),
    ],
)
def test_a_workbook_is_written(
    scenario_db: Database, tmp_path: Path, request_: excel_export.WorkbookRequest, rows: int | None
) -> None:
    out = tmp_path / "book.xlsx"
    book = excel_export.export_workbook(scenario_db, request_, out)
    assert book.path == out and book.rows == rows
    with zipfile.ZipFile(out) as z:
        assert "xl/workbook.xml" in z.namelist()


def test_an_unknown_workbook_is_refused(scenario_db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(RefusedError) as refused:
        excel_export.export_workbook(
            scenario_db, excel_export.WorkbookRequest("ledger"), folder / "x.xlsx"
        )
    assert refused.value.code == "bad_arguments"
    assert list(folder.iterdir()) == []
