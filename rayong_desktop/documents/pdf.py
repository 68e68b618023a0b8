"""Building a PDF from flowables: page templates, running headers and footers, metadata.

Every document gets its bytes from ``render``; nothing here touches the file system, so the
caller decides where the PDF goes (an atomic file write, a print job, a preview).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, TableStyle

from rayong_desktop.documents.fonts import ink_extent
from rayong_desktop.documents.text import ThaiText, pieces

PageHook = Callable[[Any, Any], None]  # (canvas, doc)
PAGE_TOTAL_FORM = "rayong_page_total"
CONTINUATION_FORM = "rayong_continued_"
CONTINUATION_POINTS = 16
CREATOR = "Rayong Fight Covid desk"


@dataclass(frozen=True)
class Margins:
    left: float = 2 * cm
    right: float = 2 * cm
    top: float = 2 * cm
    bottom: float = 2 * cm


@dataclass
class _Pages:
    """What the layout learns about pages while it runs, for forms written at the end."""

    first_text: dict[int, str] = field(default_factory=dict)  # page -> its first text
    end_of_text: int | None = None  # the page where the continued text (a letter) ends


class EndOfText(Flowable):  # type: ignore[misc]  # ReportLab ships no type hints
    """Marks where the text that carries continuation words ends (before an attachment)."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


def _plain_text(flowable: Any) -> str:
    if isinstance(flowable, str):
        return flowable
    if isinstance(flowable, list | tuple):
        return next((t for t in map(_plain_text, flowable) if t.strip()), "")
    get = getattr(flowable, "getPlainText", None)
    if callable(get):
        return str(get())
    lines = getattr(flowable, "lines", None)
    if isinstance(lines, list) and all(isinstance(line, str) for line in lines):
        return " ".join(lines)
    rows = getattr(flowable, "_cellvalues", None)  # a Table (or the part of one on this page)
    if rows:
        # The first row below the repeated heading is what this page adds.
        first = min(int(getattr(flowable, "repeatRows", 0) or 0), len(rows) - 1)
        return _plain_text(rows[first][0] if rows[first] else "")
    return ""


def _continuation_word(text: str) -> str:
    """The words a page ends with to announce the next one: its first word, or for a long
    unspaced Thai run its first few words."""
    head = text.split()[0] if text.split() else ""
    if len(head) <= 20:
        return head
    word = ""
    for piece in pieces(head):
        word += piece
        if len(word) >= 8:
            break
    return word


class _Doc(BaseDocTemplate):  # type: ignore[misc]  # ReportLab ships no type hints
    def __init__(self, *args: Any, pages: _Pages, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pages_seen = pages

    def afterFlowable(self, flowable: Any) -> None:  # noqa: N802 - ReportLab's name
        seen = self.pages_seen
        if isinstance(flowable, EndOfText) and seen.end_of_text is None:
            seen.end_of_text = self.page
        elif self.page not in seen.first_text and (words := _plain_text(flowable).strip()):
            seen.first_text[self.page] = words


def _canvas_class(text: ThaiText, total_points: float, pages: _Pages) -> type[Canvas]:
    class TotalPagesCanvas(Canvas):  # type: ignore[misc]  # ReportLab ships no type hints
        """Writes what is only known at the end as forms the pages already show: the page
        count ("หน้า 2 จาก 5") and the continuation words at the foot of a letter's pages.

        A form may be drawn before it is defined, so this costs one pass instead of building
        the document twice.
        """

        def save(self) -> None:
            count = self.getPageNumber() - (0 if self._code else 1)
            self.beginForm(PAGE_TOTAL_FORM, lowerx=-2, lowery=-10, upperx=200, uppery=40)
            text.draw(self, 0, 0, text.digits(str(count)), total_points)
            self.endForm()
            last = pages.end_of_text or count
            for page in range(1, count + 1):
                self.beginForm(f"{CONTINUATION_FORM}{page}", lowerx=-400, lowery=-10, upperx=2)
                following = pages.first_text.get(page + 1, "")
                if page < last and following:
                    words = f"/{_continuation_word(following)}..."
                    text.draw(self, 0, 0, words, CONTINUATION_POINTS, align="right")
                self.endForm()
            super().save()

    return TotalPagesCanvas


def after_text(doc: Any) -> bool:
    """Whether the page being started comes after the story's ``EndOfText`` (an attachment):
    for page hooks, which receive the document."""
    seen = getattr(doc, "pages_seen", None)
    return bool(seen and seen.end_of_text is not None and doc.page > seen.end_of_text)


def draw_page_of(
    canvas: Any, text: ThaiText, x: float, y: float, th_points: float, *, label: str = "หน้า"
) -> float:
    """ "หน้า 2 จาก 5", right-aligned at ``x`` (the total is reserved as three digits);
    returns the width it takes, so text beside it can keep clear."""
    page = text.digits(str(canvas.getPageNumber()))
    head = f"{label} {page} จาก "
    font, size = text.font(), text.size(th_points)
    reserve = text.width(text.digits("888"), font, size)
    start = x - reserve - text.width(head, font, size)
    text.draw(canvas, start, y, head, th_points)
    canvas.saveState()
    canvas.translate(x - reserve, y)
    canvas.doForm(PAGE_TOTAL_FORM)
    canvas.restoreState()
    return x - start


def render(
    story: Sequence[Flowable],
    *,
    text: ThaiText,
    pagesize: tuple[float, float],
    margins: Margins,
    title: str,
    author: str,
    first_margins: Margins | None = None,
    on_first_page: PageHook | None = None,
    on_later_pages: PageHook | None = None,
    page_total_points: float = 12,
    continuation: bool = False,
) -> bytes:
    """Lay ``story`` out on pages and return the PDF.

    ``first_margins`` lets the first page start higher or lower than the rest (a letter's
    Garuda sits in the top margin). Page hooks may call ``draw_page_of``. ``continuation``
    writes at the foot of every page but the last the first words of the next, as the
    correspondence regulation asks of a letter ("/ขอแสดงความนับถือ..."); an ``EndOfText``
    in the story stops them before an attachment.
    """
    width, height = pagesize
    first = first_margins or margins

    def frame(m: Margins, ident: str) -> Frame:
        return Frame(
            m.left,
            m.bottom,
            width - m.left - m.right,
            height - m.top - m.bottom,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id=ident,
        )

    def hook(fn: PageHook | None, m: Margins) -> PageHook:
        def call(canvas: Any, doc: Any) -> None:
            if fn is not None:
                fn(canvas, doc)
            if continuation:
                canvas.saveState()
                canvas.translate(width - m.right, m.bottom - 0.9 * cm)
                canvas.doForm(f"{CONTINUATION_FORM}{canvas.getPageNumber()}")
                canvas.restoreState()

        return call

    pages = _Pages()

    buffer = io.BytesIO()
    doc = _Doc(
        buffer,
        pages=pages,
        pagesize=pagesize,
        leftMargin=margins.left,
        rightMargin=margins.right,
        topMargin=margins.top,
        bottomMargin=margins.bottom,
        title=title,
        author=author,
        creator=CREATOR,
        producer=CREATOR,
        # Without this every page declares Helvetica, a font that is never embedded.
        initialFontName=text.font(),
        initialFontSize=text.size(16),
    )
    doc.addPageTemplates(
        [
            PageTemplate(
                id="first",
                frames=[frame(first, "first")],
                onPage=hook(on_first_page, first),
                autoNextPageTemplate="later",
            ),
            PageTemplate(
                id="later", frames=[frame(margins, "later")], onPage=hook(on_later_pages, margins)
            ),
        ]
    )
    doc.build(list(story), canvasmaker=_canvas_class(text, page_total_points, pages))
    return buffer.getvalue()


def page_width(pagesize: tuple[float, float], margins: Margins) -> float:
    return pagesize[0] - margins.left - margins.right


# Layout tables (no grid, no padding): used to place blocks side by side.
BARE: tuple[tuple[Any, ...], ...] = (
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("TOPPADDING", (0, 0), (-1, -1), 0),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
)


def table_style(text: ThaiText, *commands: tuple[Any, ...], th_points: float = 16) -> TableStyle:
    """A TableStyle starting from the document's font.

    A Table sets its cell font on the canvas even when every cell is a Paragraph; left at
    ReportLab's default it declares Helvetica, which is never embedded.
    """
    return TableStyle([("FONT", (0, 0), (-1, -1), text.font(), text.size(th_points)), *commands])


# Paper left between any ink and a table's rule, beyond the rule's own half width.
RULE_CLEARANCE = 1.0


def rule_padding(styles: Sequence[Any], rule_width: float = 0.4) -> tuple[float, float]:
    """(top, bottom) cell padding so that no ink of text set in ``styles`` (anything with
    ``fontName``, ``fontSize`` and ``leading``: the ParagraphStyles of the cells) touches the
    rules above and below the cell: the one rule for every ruled table of every document.

    A cell's first baseline sits one font size below the top of its text and its last one
    (leading - size) above the bottom; stacked marks (ที่, ทั้ง) reach above the first and
    lowered vowels and tails below the last by the font's measured ink extent."""
    top = bottom = 0.0
    for style in styles:
        up, down = ink_extent(style.fontName)
        size, leading = float(style.fontSize), float(style.leading)
        top = max(top, (up - 1) * size)
        bottom = max(bottom, -down * size - (leading - size))
    clear = RULE_CLEARANCE + rule_width / 2
    return top + clear, bottom + clear


def ruled_cells(styles: Sequence[Any], rule_width: float = 0.4) -> list[tuple[Any, ...]]:
    """TableStyle commands giving every cell the padding of ``rule_padding``."""
    top, bottom = rule_padding(styles, rule_width)
    return [
        ("TOPPADDING", (0, 0), (-1, -1), top),
        ("BOTTOMPADDING", (0, 0), (-1, -1), bottom),
    ]
