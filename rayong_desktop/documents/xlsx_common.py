"""What every workbook the desk reads or writes shares: safe loading, safe text, the Thai look.

Reading: a workbook comes from outside the office (an agency's PC, a LINE chat, a USB stick), so
it is treated as hostile until proven otherwise. Before openpyxl parses anything the container is
checked (file size, zip entry count, total uncompressed size, compression ratio), every worksheet
is scanned for formulas without a saved value, and only then is the workbook loaded read-only,
values only, with defusedxml guarding every XML parse. Any failure is a RefusedError naming the
file, and where possible the sheet, row and column.

Writing: openpyxl turns any string starting with "=" into a live formula; text from the registry
(a unit's name, a contact) is always written as text with Excel's quote prefix. The desk's own
formulas are written with the values it computed for them (FormulaValues), so a viewer that does
not recalculate shows the figures. Rows are made as tall as their wrapped Thai text needs
(fit_row_heights), and sheets print on A4 one page wide (a4_setup).
"""

from __future__ import annotations

import math
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import openpyxl
import openpyxl.xml
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.files import atomic_write

# The Thai government's standard document font (one of the 13 national fonts, installed on
# office PCs). Where it is missing Excel and LibreOffice substitute another Thai font; the desk's
# own bundled Sarabun is the same design, so a PC without TH Sarabun New can install that one.
THAI_FONT = "TH Sarabun New"
FONT_SIZE = 14

# Limits for a workbook from outside. A desk form of 1,000 units is ~100 KB zipped and ~2 MB
# unpacked at ratios near 10; the limits leave room for a big province and refuse zip bombs.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ENTRIES = 500
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
# Parts compress at any ratio when their text repeats: a real 1,022-row form whose every row
# carries the same 3,300-character note (as openpyxl writes it, strings inline) has a 9.8 MB
# sheet compressed 175 times. What bounds the reader is the absolute size (MAX_UNCOMPRESSED_BYTES,
# read as a stream); only parts far beyond any real form are also held to MAX_RATIO.
RATIO_CHECK_FROM_BYTES = 64 * 1024 * 1024

# A sheet is read this far: a province has ~1,000 units, and a hostile file must not make the
# reader walk a million rows or build rows 16,384 cells wide.
MAX_ROWS = 20_000
MAX_COLUMNS = 30

# Characters that make a spreadsheet read text as a formula (OWASP's CSV-injection list).
FORMULA_LEADERS = ("=", "+", "-", "@", "\t", "\r")

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


class WorkbookError(RefusedError):
    """A workbook that cannot be read safely or does not hold what the desk expects."""

    def __init__(self, th: str, en: str, *, code: str = "bad_workbook") -> None:
        super().__init__(th, en, code=code)


def where(
    sheet: str, row: int, column: str | None = None, label: tuple[str, str] | None = None
) -> tuple[str, str]:
    """How a message names a cell: (Thai, English). ``label`` is (English, Thai) column name."""
    th = f"แผ่นงาน {sheet} แถว {row}"
    en = f"sheet {sheet}, row {row}"
    if column is not None:
        th += f" คอลัมน์ {column}"
        en += f", column {column}"
        if label is not None:
            th += f" ({label[1]})"
            en += f" ({label[0]})"
    return th, en


def refuse_at(
    sheet: str,
    row: int,
    column: str | None,
    label: tuple[str, str] | None,
    th: str,
    en: str,
    *,
    code: str = "bad_cell",
) -> WorkbookError:
    where_th, where_en = where(sheet, row, column, label)
    return WorkbookError(f"{where_th}: {th}", f"{where_en}: {en}", code=code)


def require_defusedxml() -> None:
    """openpyxl parses with defusedxml only when it can import it; never read without it."""
    if not openpyxl.xml.DEFUSEDXML:
        raise RuntimeError("defusedxml is not in use by openpyxl; refusing to read workbooks")


# ---------------------------------------------------------------- reading


def _file_refused(path: Path, th: str, en: str, code: str) -> WorkbookError:
    return WorkbookError(f"ไฟล์ {path.name}: {th}", f"file {path.name}: {en}", code=code)


def check_container(path: Path) -> None:
    """Refuse, before any XML is parsed, a file that is not a sane .xlsx zip.

    The sizes checked are those the zip declares; that is enough because zipfile never returns
    more bytes for a part than its declared size.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _file_refused(
            path, f"เปิดไฟล์ไม่ได้ ({exc.strerror})", f"cannot open it ({exc.strerror})", "no_file"
        ) from None
    if size == 0:
        raise _file_refused(path, "ไฟล์ว่างเปล่า", "the file is empty", "empty_file")
    if size > MAX_FILE_BYTES:
        raise _file_refused(
            path,
            f"ไฟล์ใหญ่เกินไป ({size:,} ไบต์ รับได้ไม่เกิน {MAX_FILE_BYTES:,})",
            f"the file is too large ({size:,} bytes; at most {MAX_FILE_BYTES:,})",
            "file_too_large",
        )
    with path.open("rb") as fh:
        head = fh.read(8)
    if not head.startswith(b"PK"):
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            th, en = (
                "เป็นไฟล์ Excel รุ่นเก่า (.xls) กรุณาบันทึกเป็น .xlsx แล้วนำเข้าอีกครั้ง",
                "it is an old Excel .xls file; save it as .xlsx and import again",
            )
        else:
            th, en = (
                "ไม่ใช่ไฟล์ Excel (.xlsx) (อาจเป็นไฟล์ข้อความหรือ CSV ที่เปลี่ยนชื่อ)",
                "it is not an Excel .xlsx workbook (text or CSV renamed?)",
            )
        raise _file_refused(path, th, en, "not_xlsx")
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _file_refused(
            path,
            "ไฟล์เสียหายหรือไม่ครบ (อาจดาวน์โหลดไม่สมบูรณ์)",
            "the file is damaged or truncated (an incomplete download?)",
            "damaged_xlsx",
        ) from None
    if len(entries) > MAX_ENTRIES:
        raise _file_refused(
            path,
            f"มีส่วนประกอบภายในมากผิดปกติ ({len(entries):,} ส่วน)",
            f"it holds too many parts ({len(entries):,}; at most {MAX_ENTRIES})",
            "zip_too_many_entries",
        )
    total = 0
    for info in entries:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= RATIO_CHECK_FROM_BYTES and ratio > MAX_RATIO:
            raise _file_refused(
                path,
                f"ส่วน {info.filename} ถูกบีบอัดมากผิดปกติ ({ratio:,.0f} เท่า) อาจเป็นไฟล์อันตราย",
                f"part {info.filename} is compressed {ratio:,.0f} times (at most {MAX_RATIO}): "
                "a zip bomb?",
                "zip_bomb",
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise _file_refused(
            path,
            f"เมื่อขยายแล้วใหญ่เกินไป ({total:,} ไบต์)",
            f"it unpacks to {total:,} bytes (at most {MAX_UNCOMPRESSED_BYTES:,}): a zip bomb?",
            "zip_bomb",
        )
    names = {info.filename for info in entries}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        if "content.xml" in names and "mimetype" in names:  # an OpenDocument file (.ods)
            th, en = (
                "เป็นไฟล์ LibreOffice/OpenOffice (.ods) กรุณาเปิดไฟล์แล้วเลือก ไฟล์ > บันทึกเป็น "
                "ชนิดไฟล์ Excel 2007-365 (.xlsx) แล้วนำเข้าไฟล์ .xlsx นั้นอีกครั้ง",
                "it is an OpenDocument spreadsheet (.ods), not an Excel .xlsx workbook: open it, "
                "choose File > Save As, file type Excel 2007-365 (.xlsx), and import that file",
            )
        else:
            th, en = (
                "ไม่ใช่ไฟล์ Excel (.xlsx)",
                "it is a zip file but not an Excel .xlsx workbook",
            )
        raise _file_refused(path, th, en, "not_xlsx")


def _sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet title, zip part) of every worksheet, read from the workbook and its relations."""
    workbook = SafeET.fromstring(archive.read("xl/workbook.xml"))
    rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets: dict[str, str] = {}
    for rel in rels.iter(f"{{{_PKG_REL_NS}}}Relationship"):
        target = rel.get("Target", "")
        # Targets are relative to xl/ unless absolute within the package.
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        targets[rel.get("Id", "")] = str(PurePosixPath(part))
    sheets = []
    for sheet in workbook.iter(f"{{{_MAIN_NS}}}sheet"):
        rid = sheet.get(f"{{{_REL_NS}}}id", "")
        if rid in targets:
            sheets.append((sheet.get("name", ""), targets[rid]))
    return sheets


# The start tag of a formula element, with or without a namespace prefix. Element names cannot
# be escaped in XML, and entities (which could hide markup) are refused by defusedxml, so a
# sheet without this pattern has no formula cells.
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][A-Za-z0-9_.-]*:)?f[\s/>]")
_CHUNK = 1 << 20


def _mentions_formula(archive: zipfile.ZipFile, part: str) -> bool:
    tail = b""
    with archive.open(part) as source:
        first = True
        while chunk := source.read(_CHUNK):
            if first and (chunk.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in chunk[:64]):
                return True  # UTF-16 XML: the byte pattern cannot see it; parse it instead
            first = False
            if _FORMULA_TAG.search(tail + chunk):
                return True
            tail = chunk[-64:]  # a tag split across two chunks
    return False


def formulas_without_value(path: Path) -> list[tuple[str, str, str]]:
    """(sheet, cell, formula) of every formula cell that has no saved (cached) value.

    openpyxl's values-only load gives None for such a cell, the same as for an empty one: a form
    filled by a program that never calculated it would silently import as blank. Scanning the
    sheet XML tells the two apart.
    """
    found: list[tuple[str, str, str]] = []
    cell_tag, formula_tag, value_tag = (f"{{{_MAIN_NS}}}{t}" for t in ("c", "f", "v"))
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        for title, part in _sheet_parts(archive):
            # Parsing every cell costs as much as a third of openpyxl's load; most returned
            # forms have no formula at all, which a byte scan shows in a few milliseconds.
            if part not in names or not _mentions_formula(archive, part):
                continue
            with archive.open(part) as source:
                for _event, element in SafeET.iterparse(source, events=("end",)):
                    if element.tag != cell_tag:
                        continue
                    formula = element.find(formula_tag)
                    if formula is not None and not element.findtext(value_tag):
                        found.append((title, element.get("r", "?"), formula.text or ""))
                    element.clear()
    return found


@contextmanager
def open_workbook(
    path: Path, *, labels: Mapping[str, Mapping[str, tuple[str, str]]] | None = None
) -> Iterator[Any]:
    """The workbook, checked and loaded read-only with values only; closed afterwards.

    ``labels`` names columns for messages: {sheet: {column letter: (English, Thai)}}. Anything
    that goes wrong while the file is read (inside the with-block too: read-only sheets are
    parsed lazily) becomes a WorkbookError.
    """
    require_defusedxml()
    check_container(path)
    try:
        missing = formulas_without_value(path)
    except (DefusedXmlException, SafeET.ParseError, KeyError, zipfile.BadZipFile) as exc:
        raise _unreadable(path, exc) from None
    if missing:
        sheet, coordinate, formula = missing[0]
        column = "".join(ch for ch in coordinate if ch.isalpha())
        row = int("".join(ch for ch in coordinate if ch.isdigit()) or 0)
        label = (labels or {}).get(sheet, {}).get(column)
        more = len(missing) - 1
        raise refuse_at(
            sheet,
            row,
            column,
            label,
            f"เป็นสูตร (={formula}) ที่ยังไม่มีค่าที่คำนวณไว้ กรุณาพิมพ์ตัวเลขแทนสูตร"
            + (f" (และอีก {more} ช่อง)" if more else ""),
            f"a formula (={formula}) with no saved value; type the figure instead of a formula"
            + (f" (and {more} more cells)" if more else ""),
            code="formula_without_value",
        )
    workbook: Any = None
    # The file handle is ours, so it is closed even when openpyxl fails half-way through
    # loading (it leaves its own zip open then).
    with path.open("rb") as handle:
        try:
            with warnings.catch_warnings():
                # openpyxl warns about features it drops (extensions, unknown styles) and about
                # odd cells; a clerk can do nothing about them and the values read are the same.
                warnings.simplefilter("ignore")
                workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
                yield workbook
        except RefusedError:
            raise
        except Exception as exc:  # any parse failure of an outside file is a refusal
            raise _unreadable(path, exc) from None
        finally:
            if workbook is not None:
                workbook.close()  # read-only mode keeps the zip open (and locked on Windows)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: BaseException | None = exc
    for _ in range(20):  # chains are short; the bound guards against a cycle
        if seen is None:
            return
        yield seen
        seen = seen.__cause__ or seen.__context__


def _unreadable(path: Path, exc: BaseException) -> WorkbookError:
    # openpyxl wraps what went wrong in its own ValueError; the cause tells a bomb from damage.
    if any(isinstance(e, DefusedXmlException) for e in _causes(exc)):
        return _file_refused(
            path,
            "มีการประกาศ entity ใน XML ซึ่งไฟล์ Excel ปกติไม่มี (อาจเป็นไฟล์อันตราย)",
            "its XML declares entities, which no normal workbook does (an XML bomb?)",
            "xml_entities",
        )
    return _file_refused(
        path,
        f"อ่านไฟล์ไม่ได้ ไฟล์อาจเสียหาย ({type(exc).__name__})",
        f"cannot read the workbook; it may be damaged ({type(exc).__name__}: {exc})",
        "damaged_xlsx",
    )


def too_many_rows(path: Path, sheet: str, limit: int) -> WorkbookError:
    return _file_refused(
        path,
        f"แผ่นงาน {sheet} มีมากกว่า {limit:,} แถว",
        f"sheet {sheet} has more than {limit:,} rows",
        "too_many_rows",
    )


def cell_text(value: object) -> str | None:
    """A cell read as text: numbers that are whole print without ".0"; blank gives None."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


# ---------------------------------------------------------------- writing

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
INPUT_FILL = PatternFill("solid", fgColor="FFF8D6")
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
TOTAL_FILL = PatternFill("solid", fgColor="EDEDED")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def font(*, bold: bool = False, size: int = FONT_SIZE) -> Font:
    return Font(name=THAI_FONT, size=size, bold=bold)


def put(ws: Any, row: int, column: int, value: object) -> Any:
    """Write a value; text is always text, never a formula (see the module doc). Characters
    a workbook cannot hold (control characters in text stored long ago) are left out."""
    return set_value(ws.cell(row=row, column=column), value)


def streamed(ws: Any, value: object) -> object:
    """``value`` for ``ws.append`` on a write-only sheet, as put writes it: plain text stays a
    plain value, text a spreadsheet would read as a formula becomes a quote-prefixed text cell."""
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        return set_value(WriteOnlyCell(ws), text) if text.startswith(FORMULA_LEADERS) else text
    return value


def set_value(cell: Any, value: object) -> Any:
    """put's rule for any cell (an ordinary sheet's or a WriteOnlyCell)."""
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = text
        if text.startswith(FORMULA_LEADERS):
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


Cached = int | float | str


class FormulaValues:
    """Formulas the desk builds itself, each with the value it computed for it in Python.

    openpyxl writes a formula with an empty value, so a viewer that does not recalculate (a
    phone, a mail preview) shows a blank. ``save_workbook`` writes these values into the saved
    sheets as the formulas' cached results; Excel and LibreOffice still recalculate on opening.
    """

    def __init__(self) -> None:
        self.by_sheet: dict[str, dict[str, Cached]] = {}

    def put(self, ws: Any, row: int, column: int, formula: str, value: Cached) -> Any:
        """Write ``formula`` (never text from the data) and remember its ``value``."""
        if not formula.startswith("="):
            raise ValueError(f"not a formula: {formula!r}")
        cell = ws.cell(row=row, column=column)
        cell.value = formula
        self.by_sheet.setdefault(ws.title, {})[cell.coordinate] = value
        return cell


# openpyxl writes a formula cell exactly so: <c r="D7" s="6"><f>SUM(D1:D6)</f><v /></c>
# (<v></v> when it writes its XML with lxml).
_EMPTY_FORMULA_CELL = re.compile(
    r'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f>(?:<v ?/>|<v></v>)</c>'
)


def _with_values(sheet_xml: str, values: Mapping[str, Cached], sheet: str) -> str:
    filled: set[str] = set()

    def fill(match: re.Match[str]) -> str:
        coordinate, attributes, formula = match.groups()
        if coordinate not in values:
            return match.group(0)
        filled.add(coordinate)
        value = values[coordinate]
        if isinstance(value, str):
            attributes += ' t="str"'
            text = xml_escape(value)
        elif isinstance(value, bool) or not math.isfinite(value):
            raise ValueError(f"{sheet}!{coordinate}: no cached value for {value!r}")
        else:
            text = repr(value)
        return f'<c r="{coordinate}"{attributes}><f>{formula}</f><v>{text}</v></c>'

    result = _EMPTY_FORMULA_CELL.sub(fill, sheet_xml)
    if missing := set(values) - filled:
        raise ValueError(f"{sheet}: formula cells not found to cache: {sorted(missing)}")
    return result


class _CachingZip(zipfile.ZipFile):
    """The archive openpyxl saves a workbook into: a sheet with formula values gets them put
    into its XML as openpyxl adds its part; every other part (a long streamed history) goes in
    as openpyxl wrote it, compressed once."""

    def __init__(self, target: Path, workbook: Any, values: FormulaValues) -> None:
        super().__init__(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self.workbook, self.values = workbook, values
        self.filled: set[str] = set()

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        # openpyxl adds each sheet as the file it streamed the sheet's XML to.
        title = next((ws.title for ws in self.workbook.worksheets if ws.path[1:] == arcname), None)
        cached = self.values.by_sheet.get(title) if title is not None else None
        if title is None or not cached:
            super().write(filename, arcname, *args, **kwargs)
            return
        text = Path(filename).read_text(encoding="utf-8")
        self.writestr(str(arcname), _with_values(text, cached, title).encode("utf-8"))
        self.filled.add(title)


def _write_cached(workbook: Any, target: Path, values: FormulaValues) -> None:
    """Save ``workbook`` to ``target`` with the formulas' values put into the sheet XML."""
    from openpyxl.writer.excel import ExcelWriter

    with _CachingZip(target, workbook, values) as archive:
        # As openpyxl's own save: the time saved, then every part written and the zip closed.
        workbook.properties.modified = datetime.now(UTC).replace(tzinfo=None)
        ExcelWriter(workbook, archive).save()
        filled = archive.filled
    unknown = {title for title, cached in values.by_sheet.items() if cached} - filled
    if unknown:
        raise ValueError(f"cached values for sheets not in the workbook: {sorted(unknown)}")


class HeldSheet:
    """A sheet of a write-only workbook (``Workbook(write_only=True)``) whose lines are held
    until ``flush``, for the few thousand styled lines above or beside a long streamed table.

    openpyxl streams a write-only sheet's rows as they are appended and writes the column widths
    and the freeze panes ahead of the first one, so nothing can be measured from the written
    sheet. Held here, the lines are cells addressed by row and column as on an ordinary sheet:
    put, FormulaValues, fit_column_widths, fit_row_heights and a4_setup work on it unchanged,
    and ``flush`` then streams every line in order. Anything else (``title``, dimensions, page
    setup, freeze panes, print titles, filters) is the write-only sheet's own.
    """

    def __init__(self, ws: Any) -> None:
        object.__setattr__(self, "ws", ws)
        object.__setattr__(self, "_cells", {})

    def __getattr__(self, name: str) -> Any:
        return getattr(self.ws, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.ws, name, value)

    def cell(self, row: int, column: int) -> Any:
        cells: dict[tuple[int, int], Any] = self._cells
        found = cells.get((row, column))
        if found is None:
            found = cells[row, column] = Cell(self.ws, row=row, column=column)
        return found

    def merge_cells(
        self, *, start_row: int, start_column: int, end_row: int, end_column: int
    ) -> None:
        self.ws.merged_cells.add(
            CellRange(min_row=start_row, min_col=start_column, max_row=end_row, max_col=end_column)
        )

    @property
    def max_column(self) -> int:
        merged = [int(m.max_col) for m in self.ws.merged_cells.ranges]
        cells: dict[tuple[int, int], Any] = self._cells
        return max([1, *merged, *(column for _row, column in cells)])

    @property
    def max_row(self) -> int:
        cells: dict[tuple[int, int], Any] = self._cells
        return max([0, *(row for row, _column in cells)])

    def iter_cols(self, *, min_row: int, max_row: int, min_col: int, max_col: int) -> Any:
        """As Worksheet.iter_cols; a cell never written reads as blank and stays unwritten."""
        cells: dict[tuple[int, int], Any] = self._cells
        for column in range(min_col, max_col + 1):
            yield tuple(
                cells.get((row, column)) or Cell(self.ws, row=row, column=column)
                for row in range(min_row, max_row + 1)
            )

    def flush(self) -> None:
        """Stream the held lines, from line 1 to the last (a line without cells as an empty
        one); lines appended to the sheet afterwards follow them."""
        by_row: dict[int, list[Any]] = {}
        for (row, column), cell in sorted(self._cells.items()):
            line = by_row.setdefault(row, [])
            line.extend([None] * (column - 1 - len(line)))
            line.append(cell)
        for row in range(1, self.max_row + 1):
            self.ws.append(by_row.get(row, []))
        self._cells.clear()


def set_widths(ws: Any, widths: list[float]) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


# Page margins in inches (openpyxl's unit): 0.76 cm at the sides and 1.5 cm top and bottom,
# the header and footer lines 0.8 cm from the paper's edge.
MARGIN_SIDE = 0.3
MARGIN_TOP_BOTTOM = 0.6
MARGIN_HEADER_FOOTER = 0.3
A4_POINTS = (595.28, 841.89)  # portrait width, height


def a4_setup(ws: Any, *, landscape: bool = True, title_rows: str | None = None) -> None:
    """A4, every column on the page width (as many pages down as the rows need), the header
    row(s) ``title_rows`` repeated on every page, page numbers in the footer."""
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = MARGIN_SIDE
    ws.page_margins.top = ws.page_margins.bottom = MARGIN_TOP_BOTTOM
    ws.page_margins.header = ws.page_margins.footer = MARGIN_HEADER_FOOTER
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "หน้า &P / &N"


def column_points(width: float) -> float:
    """A column's width in points: Excel counts widths in digits of the workbook's default font
    (Calibri 11, 7 px at 96 dpi, 0.75 pt a pixel)."""
    return width * 7 * 0.75


def column_width(ws: Any, letter: str) -> float:
    dimension = ws.column_dimensions.get(letter)
    width = dimension.width if dimension is not None else None
    return float(width) if width else DEFAULT_COLUMN_WIDTH


def print_scale(ws: Any) -> float:
    """The scale a fit-to-width A4 page prints the sheet's used columns at (1.0: full size)."""
    paper = A4_POINTS[1] if ws.page_setup.orientation == "landscape" else A4_POINTS[0]
    room = paper - 72 * (float(ws.page_margins.left) + float(ws.page_margins.right))
    table = sum(
        column_points(column_width(ws, get_column_letter(c))) for c in range(1, ws.max_column + 1)
    )
    return min(1.0, room / table)


# ---------------------------------------------------------------- row heights

# What the printed text is measured with. Offices have TH Sarabun New; LibreOffice without it
# prints with Laksaman (TLWG's font of the same design). The bundled Sarabun at full size is as
# wide as Laksaman (within 1 %) and wider than TH Sarabun New, so a row sized by it never clips
# in either: at worst a row is a little taller than it needs to be.
_MEASURE_FONT = "sarabun"
# One line of Thai text with its stacked marks: LibreOffice spaces Laksaman's lines 1.59 em
# apart, Excel TH Sarabun New's about 1.55 em; a 15 pt row (the default) cuts 14 pt Thai.
LINE_EM = 1.6
CELL_PAD_PT = 1.5  # above and below a cell's text
TEXT_INSET_PT = 3.75  # Excel's 2 px each side and the grid line; LibreOffice gives a little more
DEFAULT_COLUMN_WIDTH = 8.43
MAX_WIDENING = 1.25


@lru_cache(maxsize=16384)
def _measuring_font(bold: bool) -> str:
    # Imported here: reading a returned form needs neither ReportLab nor the word list.
    from rayong_desktop.documents.fonts import load_fonts

    fonts = load_fonts(_MEASURE_FONT)
    return str(fonts.bold if bold else fonts.regular)


def text_lines(text: str, width: float, *, size: float = FONT_SIZE, bold: bool = False) -> int:
    """How many lines ``text`` takes in a wrapping cell ``width`` (Excel units) wide, broken
    between Thai words as the desk's documents break them."""
    from rayong_desktop.documents.text import wrap_lines

    room = max(column_points(width) - TEXT_INSET_PT, 1.0)
    return max(1, len(wrap_lines(text, _measuring_font(bold), size, room)))


@lru_cache(maxsize=16384)
def text_width(text: str, *, size: float = FONT_SIZE, bold: bool = False) -> float:
    """The column width (Excel units) that shows ``text`` on one line."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    points = float(stringWidth(text, _measuring_font(bold), size)) + TEXT_INSET_PT
    return round(points / column_points(1) + 0.05, 1)


def shown(cell: Any, cached: Mapping[str, Cached] | None = None) -> str | None:
    """A cell's value as the sheet shows it (for measuring); None for a blank, or for a formula
    whose computed value is not in ``cached`` (the sheet's FormulaValues)."""
    value = cell.value
    if value is not None and cell.data_type == "f":
        value = None if cached is None else cached.get(cell.coordinate)
    if value is None:
        return None
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}" if "h" in cell.number_format else f"{value:%Y-%m-%d}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if "%" in cell.number_format:
        return f"{value * 100:.1f}%"
    return f"{value:,}" if "," in cell.number_format else str(value)


def fit_column_widths(ws: Any, rows: Iterable[int], values: FormulaValues | None = None) -> None:
    """Widen columns so that no one-line value (a code, a figure, a date) is cut or spills into
    the next cell, and no word of wrapped text has to be split (Excel and LibreOffice would
    split it mid-word, "ประเภ/ท"). Cells merged across columns are left to fit_row_heights.
    With ``values``, a formula is measured by the value computed for it (a percentage over
    100% is wider than the typed figures around it: a spreadsheet would print "###")."""
    from rayong_desktop.documents.text import pieces

    merged = {(m.min_row, m.min_col) for m in ws.merged_cells.ranges if m.min_col != m.max_col}
    needed: dict[str, float] = {}
    last = ws.max_column  # counted once: openpyxl counts every cell of the sheet to find it
    cached = values.by_sheet.get(ws.title) if values is not None else None
    for row in rows:
        for (cell,) in ws.iter_cols(min_row=row, max_row=row, min_col=1, max_col=last):
            text = shown(cell, cached)
            if text is None or (row, cell.column) in merged:
                continue
            size, bold = float(cell.font.sz or FONT_SIZE), bool(cell.font.b)
            letter = cell.column_letter
            width = text_width(text, size=size, bold=bold)
            if width > column_width(ws, letter) and cell.alignment.wrap_text:
                width = max(text_width(w, size=size, bold=bold) for w in pieces(text) if w.strip())
                # A freak word (a long web address) is split rather than stretch the table.
                width = min(width, MAX_WIDENING * column_width(ws, letter))
            needed[letter] = max(needed.get(letter, 0.0), width)
    for letter, width in needed.items():
        if width > column_width(ws, letter):
            ws.column_dimensions[letter].width = width


def line_points(size: float) -> float:
    return size * LINE_EM


def fit_row_heights(ws: Any, rows: Iterable[int]) -> None:
    """Give each row the height its tallest cell needs: wrapped text measured in its column
    (or its merged columns on one row), every line tall enough for stacked Thai marks."""
    spans: dict[tuple[int, int], float] = {}
    for merged in ws.merged_cells.ranges:
        if merged.min_row == merged.max_row:
            spans[(merged.min_row, merged.min_col)] = sum(
                column_width(ws, get_column_letter(c))
                for c in range(merged.min_col, merged.max_col + 1)
            )
    last = ws.max_column
    for row in rows:
        height = 0.0
        for (cell,) in ws.iter_cols(min_row=row, max_row=row, min_col=1, max_col=last):
            if cell.value is None:
                continue  # empty, or covered by a merged cell
            size = float(cell.font.sz or FONT_SIZE)
            lines = 1
            if isinstance(cell.value, str) and cell.alignment.wrap_text:
                width = spans.get((row, cell.column), column_width(ws, cell.column_letter))
                lines = text_lines(cell.value, width, size=size, bold=bool(cell.font.b))
            height = max(height, lines * line_points(size) + 2 * CELL_PAD_PT)
        if height:
            ws.row_dimensions[row].height = round(height, 1)


def save_workbook(workbook: Any, out: Path, *, values: FormulaValues | None = None) -> None:
    """Save through a temporary file and rename, so a failed save never leaves half a file.

    ``values``: the cached results of the formulas written through it.
    """
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise WorkbookError(
            f"ชื่อไฟล์ {out.name} ต้องลงท้ายด้วย .xlsx",
            f"the file name {out.name} must end in .xlsx",
            code="bad_name",
        )
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if values is None:
            atomic_write(out, workbook.save)
        else:
            atomic_write(out, lambda target: _write_cached(workbook, target, values))
    except OSError as exc:
        raise WorkbookError(
            f"บันทึกไฟล์ {out} ไม่ได้ ({exc.strerror or exc}) ไฟล์อาจเปิดค้างอยู่ใน Excel",
            f"cannot write {out} ({exc.strerror or exc}); is it open in Excel?",
            code="cannot_write",
        ) from None
