"""The report form workbook: its layout, protection and checks, and reading it back."""

from __future__ import annotations

import math
import re
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest

from rayong_desktop.documents import xlsx_forms as xf
from rayong_desktop.documents.xlsx_common import (
    MARGIN_SIDE,
    THAI_FONT,
    WorkbookError,
    line_points,
    print_scale,
    text_lines,
)
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.numbers import parse_count

WEEK = date(2020, 5, 18)
HOSTILE = '=HYPERLINK("http://example.com","x")'
LEADERS = ("+66 38 000", "-5 คน", "@rayong", "\tแท็บ", "\rขึ้นบรรทัด")


def heading(**kw: object) -> xf.FormHeading:
    values: dict[str, object] = {
        "week": WEEK,
        "scope": "ทุกหน่วย",
        "office_name": "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดระยอง",
        "office_phone": "๐-๓๘๖๙-๔๑๙๑-๓",
        "oa_name": "Rayong Fight Covid",
        "count_ceiling": 1_000_000,
    }
    values.update(kw)
    return xf.FormHeading(**values)  # type: ignore[arg-type]


UNITS = [
    xf.FormUnit("R01", "ส่วนราชการส่วนกลาง", 2000),
    xf.FormUnit("X-1", HOSTILE, 300),
    *(xf.FormUnit(f"L{i}", text, 300) for i, text in enumerate(LEADERS)),
]


def make(tmp_path: Path, units: list[xf.FormUnit] = UNITS, **kw: object) -> Path:
    out = tmp_path / "form.xlsx"
    assert xf.build_form(out, heading(**kw), units) == len(units)
    return out


def test_one_row_per_unit_with_thai_headers_in_a_thai_font(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(make(tmp_path))
    ws = wb[xf.FORM_SHEET]
    header = [c.value for c in ws[xf.HEADER_ROW]]
    assert header == [c.th for c in xf.FORM_COLUMNS]
    assert all(c.font.name == THAI_FONT and c.font.b for c in ws[xf.HEADER_ROW])
    first = xf.FIRST_ROW
    assert [ws.cell(row=first, column=i).value for i in range(1, 5)] == [
        "R01",
        "ส่วนราชการส่วนกลาง",
        2000,
        "18–24 พฤษภาคม 2563",
    ]
    assert all(ws.cell(row=first, column=i).value is None for i in range(5, 10))
    assert ws.max_row == first + len(UNITS) - 1
    assert ws.cell(row=first, column=2).font.name == THAI_FONT
    # The week is on the sheet for people ...
    assert "2020-W21" in ws["A2"].value and "18–24 พฤษภาคม 2563" in ws["A2"].value
    # ... and in a hidden, structure-locked sheet for the import.
    meta = wb[xf.META_SHEET]
    assert meta.sheet_state == "hidden"
    assert (meta["A3"].value, meta["B3"].value) == ("week", "2020-05-18")
    assert wb.security.lockStructure
    # Each column at least its planned width, widened where a value needs it, never beyond
    # a quarter as wide again.
    for c in xf.FORM_COLUMNS:
        assert c.width <= ws.column_dimensions[c.letter].width <= 1.25 * c.width, c.letter


def test_only_the_input_cells_are_editable(tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(make(tmp_path))[xf.FORM_SHEET]
    assert ws.protection.sheet
    for row in range(xf.FIRST_ROW, xf.FIRST_ROW + len(UNITS)):
        for col in xf.FORM_COLUMNS:
            cell = ws[f"{col.letter}{row}"]
            assert cell.protection.locked is (not col.editable), cell.coordinate
    assert ws["A1"].protection.locked and ws[f"E{xf.HEADER_ROW}"].protection.locked


def test_count_cells_accept_whole_numbers_up_to_the_ceiling_and_thai_digit_text(
    tmp_path: Path,
) -> None:
    ws = openpyxl.load_workbook(make(tmp_path, count_ceiling=50_000))[xf.FORM_SHEET]
    (check,) = ws.data_validations.dataValidation
    last = xf.FIRST_ROW + len(UNITS) - 1
    assert str(check.sqref) == f"E{xf.FIRST_ROW}:E{last}"
    # Not a "whole" rule: "๑,๒๕๐", which the instruction row invites, is text in a spreadsheet
    # and a whole-number rule marks it invalid. Text passes; a number must be 0..ceiling.
    assert check.type == "custom" and check.allow_blank
    first = f"E{xf.FIRST_ROW}"
    assert check.formula1 == xf.count_rule(first, 50_000)
    assert evaluate_rule(check.formula1.replace(first, "E7"), "๑,๒๕๐")
    assert not evaluate_rule(check.formula1.replace(first, "E7"), 50_001)
    assert check.showErrorMessage and "50,000" in check.error and "๑,๒๕๐" in check.error
    assert "๑,๒๕๐" in ws["A4"].value  # what the instruction row invites


_RULE_TOKEN = re.compile(
    r"\s*(?:(?P<func>[A-Z]+)\(|(?P<ref>E7)|(?P<num>\d+)|(?P<op>>=|<=|=|[(),]))"
)


def evaluate_rule(formula: str, value: object) -> bool:
    """The validation formula for cell E7 holding ``value``, evaluated as a spreadsheet does:
    IF (only the branch taken is evaluated), AND, ISTEXT, ISNUMBER, INT of a number (of text
    it is an error, which fails the rule), comparisons. Anything else fails the test."""
    tokens = []
    pos = 0
    while pos < len(formula):
        match = _RULE_TOKEN.match(formula, pos)
        assert match, f"cannot read {formula!r} at {pos}"
        tokens.append((match.lastgroup, match.group(match.lastgroup or "")))
        pos = match.end()
    at = 0

    class Error(Exception):
        pass

    def take() -> tuple[str | None, str]:
        nonlocal at
        at += 1
        return tokens[at - 1]

    def arguments(live: bool) -> list[object]:
        args = [comparison(live)]
        while take()[1] == ",":
            args.append(comparison(live))
        return args

    def operand(live: bool) -> object:
        kind, text = take()
        if kind == "ref":
            return value
        if kind == "num":
            return int(text)
        assert kind == "func", (kind, text)
        if text == "IF":
            condition = comparison(live)
            assert take()[1] == ","
            yes = comparison(live and bool(condition))
            assert take()[1] == ","
            no = comparison(live and not condition)
            assert take()[1] == ")"
            return yes if condition else no
        args = arguments(live)
        if not live:
            return None
        if text == "AND":
            return all(args)
        if text == "ISTEXT":
            return isinstance(args[0], str)
        if text == "ISNUMBER":
            return isinstance(args[0], int | float) and not isinstance(args[0], bool)
        if text == "INT":
            if not isinstance(args[0], int | float):
                raise Error("#VALUE!")
            return math.floor(args[0])
        raise AssertionError(f"the rule uses {text}")

    def comparison(live: bool) -> object:
        left = operand(live)
        if at < len(tokens) and tokens[at][1] in (">=", "<=", "="):
            op = take()[1]
            right = operand(live)
            if not live:
                return None
            assert isinstance(left, int | float) and isinstance(right, int | float)
            return {">=": left >= right, "<=": left <= right, "=": left == right}[op]
        return left

    try:
        result = comparison(True)
    except Error:
        return False  # an error result fails validation
    assert at == len(tokens)
    return result is True


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [("๑,๒๕๐", True), ("1,250", True), ("๓๐๐", True), (1250, True), (0, True), (50_000, True),
     (50_001, False), (-1, False), (12.5, False)],
)  # fmt: skip
def test_the_count_rule_accepts_what_the_instruction_invites(typed: object, accepted: bool) -> None:
    assert evaluate_rule(xf.count_rule("E7", 50_000), typed) is accepted


def test_a_thai_digit_count_typed_as_text_is_read_back(tmp_path: Path) -> None:
    out = make(tmp_path)
    wb = openpyxl.load_workbook(out)
    ws = wb[xf.FORM_SHEET]
    ws[f"E{xf.FIRST_ROW}"] = "๑,๒๕๐"
    wb.save(out)
    (row, *_rest) = xf.read_form(out).rows
    assert row.count == "๑,๒๕๐"
    assert parse_count(row.count, ceiling=1_000_000) == 1250


def test_a_form_written_with_the_older_count_header_is_still_read(tmp_path: Path) -> None:
    out = make(tmp_path)
    wb = openpyxl.load_workbook(out)
    ws = wb[xf.FORM_SHEET]
    assert ws[f"E{xf.HEADER_ROW}"].value == "จำนวนผู้เข้าร่วมกลุ่มสะสม (ราย)"  # as the PDF form
    ws[f"E{xf.HEADER_ROW}"] = "จำนวนสมาชิกสะสม (คน)"  # a form sent out before the wording changed
    ws[f"E{xf.FIRST_ROW}"] = 40
    wb.save(out)
    assert xf.read_form(out).rows[0].count == 40


def test_prints_on_a4_landscape_one_page_wide_with_the_header_repeated(tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(make(tmp_path))[xf.FORM_SHEET]
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (int(ws.page_setup.fitToWidth), int(ws.page_setup.fitToHeight)) == (1, 0)
    assert ws.print_title_rows == f"${xf.HEADER_ROW}:${xf.HEADER_ROW}"
    assert ws.page_margins.left == ws.page_margins.right == MARGIN_SIDE
    assert print_scale(ws) >= 0.85  # 14 pt prints at 12 pt or more


def test_names_and_the_week_wrap_and_rows_are_as_tall_as_their_lines(tmp_path: Path) -> None:
    long_name = "สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอนิคมพัฒนา " * 3
    units = [xf.FormUnit("R01", "ส่วนราชการ", 2000), xf.FormUnit("R02", long_name.strip(), 300)]
    ws = openpyxl.load_workbook(make(tmp_path, units))[xf.FORM_SHEET]
    short, long = xf.FIRST_ROW, xf.FIRST_ROW + 1
    for row in (short, long):
        assert ws[f"B{row}"].alignment.wrap_text and ws[f"D{row}"].alignment.wrap_text
    width_b = ws.column_dimensions["B"].width
    lines = text_lines(long_name.strip(), width_b)
    assert lines >= 3
    assert ws.row_dimensions[long].height == pytest.approx(lines * line_points(14) + 3, abs=0.2)
    # The short name fits on a line, the week (which may not spill) takes two.
    assert ws.row_dimensions[short].height == pytest.approx(2 * line_points(14) + 3, abs=0.2)
    # The 18 pt title is not cut: its row is at least one 18 pt line tall.
    assert ws.row_dimensions[1].height >= line_points(18)


def test_a_unit_name_that_looks_like_a_formula_is_written_as_text(tmp_path: Path) -> None:
    out = make(tmp_path)
    ws = openpyxl.load_workbook(out)[xf.FORM_SHEET]
    names = [ws[f"B{r}"] for r in range(xf.FIRST_ROW + 1, xf.FIRST_ROW + len(UNITS))]
    # (XML reads a bare carriage return back as a line feed; it is text either way.)
    assert [c.value for c in names] == [HOSTILE, *(t.replace("\r", "\n") for t in LEADERS)]
    assert all(c.data_type == "s" and c.quotePrefix for c in names)
    with zipfile.ZipFile(out) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "HYPERLINK" in sheet
    assert "<f>" not in sheet and "<f " not in sheet  # no formula anywhere in the form
    # And reading it back gives the text, not a formula or its result.
    rows = xf.read_form(out).rows
    assert [r.name for r in rows] == ["ส่วนราชการส่วนกลาง", HOSTILE, "+66 38 000", "-5 คน",
                                      "@rayong", "แท็บ", "ขึ้นบรรทัด"]  # fmt: skip


def test_reading_a_filled_form(tmp_path: Path) -> None:
    out = make(tmp_path, units=[xf.FormUnit(f"U{i}", f"หน่วย {i}", 300) for i in range(5)])
    wb = openpyxl.load_workbook(out)
    ws = wb[xf.FORM_SHEET]
    first = xf.FIRST_ROW
    ws[f"E{first}"] = 1250
    ws[f"F{first}"] = datetime(2020, 5, 21, 10, 30)
    ws[f"G{first}"] = "นางสาวทดสอบ ระบบ"
    ws[f"H{first}"] = "038000000"
    ws[f"E{first + 1}"] = "๑,๒๕๐"
    ws[f"F{first + 1}"] = "๒๐๒๐-๐๕-๒๑ ๐๙:๐๕"
    ws[f"I{first + 1}"] = "  ส่งทางโทรสาร  "
    ws[f"E{first + 2}"] = 300.0
    ws[f"F{first + 2}"] = "2563-05-21 08:00"  # a Buddhist Era year
    ws[f"E{first + 3}"] = "  "  # blank
    ws[f"F{first + 4}"] = "21/5/2020"  # not the form's time format
    wb.save(out)
    form = xf.read_form(out)
    assert (form.week, form.sheet) == (WEEK, xf.FORM_SHEET)
    one, two, three, four, five = form.rows
    assert (one.code, one.count, one.reporter, one.phone) == (
        "U0",
        1250,
        "นางสาวทดสอบ ระบบ",
        "038000000",
    )
    assert one.received == datetime(2020, 5, 21, 10, 30, tzinfo=BANGKOK)
    assert (two.count, two.note) == ("๑,๒๕๐", "ส่งทางโทรสาร")
    assert two.received == datetime(2020, 5, 21, 9, 5, tzinfo=BANGKOK)
    assert three.count == 300.0 and three.received == datetime(2020, 5, 21, 8, 0, tzinfo=BANGKOK)
    assert four.count is None and four.blank
    assert five.problem is not None and five.problem[0] == "received"
    assert "21/5/2020" in five.problem[2]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("   ", None),
        ("2020-05-21 10:30", datetime(2020, 5, 21, 10, 30)),
        ("2020-05-21T10:30:15", datetime(2020, 5, 21, 10, 30, 15)),
        ("2020-5-7 9:05", datetime(2020, 5, 7, 9, 5)),
        ("2563-05-21 10:30", datetime(2020, 5, 21, 10, 30)),
        (datetime(2563, 5, 21, 10, 30), datetime(2020, 5, 21, 10, 30)),
    ],
)
def test_received_times_accepted(value: object, expected: datetime | None) -> None:
    got = xf.parse_received(value)
    assert got == (None if expected is None else expected.replace(tzinfo=BANGKOK))


@pytest.mark.parametrize(
    "value",
    [
        "2020-05-21",
        "10:30",
        "21/05/2020 10:30",
        "พรุ่งนี้",
        43972.5,
        date(2020, 5, 21),
        time(10, 30),
        "2020-13-01 10:00",
    ],
)
def test_received_times_refused(value: object) -> None:
    with pytest.raises(ValueError):
        xf.parse_received(value)


def test_a_workbook_that_is_not_a_form_is_refused(tmp_path: Path) -> None:
    plain = tmp_path / "plain.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "รหัสหน่วย"
    wb.save(plain)
    with pytest.raises(WorkbookError) as caught:
        xf.read_form(plain)
    assert caught.value.code == "not_a_form" and "week marker" in caught.value.en


def test_a_form_with_its_header_row_removed_is_refused(tmp_path: Path) -> None:
    out = make(tmp_path)
    wb = openpyxl.load_workbook(out)
    wb[xf.FORM_SHEET].delete_rows(xf.HEADER_ROW)
    wb.save(out)
    with pytest.raises(WorkbookError) as caught:
        xf.read_form(out)
    assert caught.value.code == "not_a_form" and "header" in caught.value.en
