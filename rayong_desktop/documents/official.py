"""The two Thai official formats: the external letter (หนังสือภายนอก) and the memo (บันทึกข้อความ).

Laid out as the correspondence regulation (ระเบียบงานสารบรรณ 2526 and amendments) places the
parts: A4, left margin 3 cm and right 2 cm, the Garuda 3 cm high at the top centre (1.5 cm at
the top left on a memo), the urgency mark in red at the top left, ที่ at the left and the
office at the right, the date starting at the middle of the page, 6 pt before each heading and
paragraph, paragraphs indented 2.5 cm, the closing and signature under the date, the owning
section's contact lines at the bottom left, and "- ๒ -" at the top of every later page.
Text is TH Sarabun 16 pt (see fonts.SIZE_FACTOR for the bundled font).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    Spacer,
    Table,
)

from rayong_desktop.documents.pdf import (
    BARE,
    EndOfText,
    Margins,
    after_text,
    page_width,
    render,
    table_style,
)
from rayong_desktop.documents.text import TextLines, ThaiText
from rayong_desktop.domain.errors import RefusedError

BODY_POINTS = 16
URGENCY_POINTS = 32
URGENCY_RED = colors.HexColor("#d00000")
MARGINS = Margins(left=3 * cm, right=2 * cm, top=2.5 * cm, bottom=2 * cm)
# The first page starts at the Garuda, 1.5 cm from the top edge.
FIRST_MARGINS = Margins(left=3 * cm, right=2 * cm, top=1.5 * cm, bottom=2 * cm)
GARUDA_LETTER = 3 * cm
GARUDA_MEMO = 1.5 * cm
PARAGRAPH_INDENT = 2.5 * cm
SPACE_BEFORE = 6  # points before each heading and paragraph
SIGNATURE_LINES = 3  # blank lines left for the handwritten signature
DOTTED_NAME = "." * 40
KEEP_LINES = 2  # lines of body text kept with the closing on the last page
# How far the contact lines may reach into the 2 cm bottom margin (keeping 1 cm of paper).
CONTACT_INTO_MARGIN = 1.0 * cm

# A body item is a paragraph of text (indented 2.5 cm) or a ready flowable (a table);
# ReportLab's Flowable is untyped, so the alias cannot say more.
BodyItem: TypeAlias = Any


@dataclass(frozen=True)
class Signature:
    name: str  # "" prints a dotted line for a handwritten name
    position: str  # several lines may be separated by "\n"


@dataclass(frozen=True)
class ExternalLetter:
    number: str  # after "ที่", e.g. "รย ๐๐๒๓.๑/๑๒"
    office: str
    address: str  # "\n" between lines; "" for none
    date: str  # already formatted: "๒๒ พฤษภาคม ๒๕๖๓"
    subject: str
    to: str
    body: tuple[BodyItem, ...]
    signature: Signature
    urgency: str = ""  # ด่วน, ด่วนมาก, ด่วนที่สุด, or ""
    reference: str = ""  # อ้างถึง; "" to leave out
    enclosures: tuple[str, ...] = ()  # สิ่งที่ส่งมาด้วย
    closing: str = "ขอแสดงความนับถือ"
    contact: tuple[str, ...] = ()  # section, phone, fax, e-mail lines
    attachment: tuple[Flowable, ...] = field(default=())  # pages after the letter
    title: str = ""  # PDF metadata


@dataclass(frozen=True)
class Memo:
    section: str  # ส่วนราชการ
    number: str
    date: str
    subject: str
    to: str
    body: tuple[BodyItem, ...]
    signature: Signature
    urgency: str = ""
    title: str = ""


class _AtBottom(Flowable):  # type: ignore[misc]  # ReportLab ships no type hints
    """Lines drawn at the bottom of the frame they land in (the contact block)."""

    def __init__(self, lines: Sequence[Flowable]) -> None:
        super().__init__()
        self.lines = list(lines)
        self.heights: list[float] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.heights = [line.wrap(avail_width, avail_height)[1] for line in self.lines]
        self.width = avail_width
        needed = sum(self.heights)
        # Take the rest of the frame so the block lands on its bottom. Where the signature
        # left too little room, the block may reach into the bottom margin (as typed letters
        # do) rather than sit alone on a page of its own.
        self.height = avail_height if needed <= avail_height + CONTACT_INTO_MARGIN else needed
        return self.width, self.height

    def draw(self) -> None:
        y = min(0.0, self.height - sum(self.heights)) + sum(self.heights)
        for line, h in zip(self.lines, self.heights, strict=True):
            y -= h
            line.drawOn(self.canv, 0, y)


def _garuda(path: str, height: float, *, centred: bool) -> Flowable:
    if not path:
        # Offices print on paper with the Garuda already on it: keep its space free.
        return Spacer(1, height)
    file = Path(path)
    try:
        image = Image(str(file))
        ratio = image.imageWidth / image.imageHeight
    except (OSError, ZeroDivisionError, AttributeError) as exc:
        raise RefusedError(
            f"อ่านไฟล์ภาพตราครุฑ '{path}' ไม่ได้ (ต้องเป็นไฟล์ PNG หรือ JPEG)",
            f"cannot read the Garuda image '{path}' (a PNG or JPEG file is needed): {exc}",
            code="bad_garuda",
        ) from exc
    image.drawHeight = height
    image.drawWidth = height * ratio
    image.hAlign = "CENTER" if centred else "LEFT"
    return image


class _Layout:
    """Styles and widths shared by both formats."""

    def __init__(self, text: ThaiText) -> None:
        self.text = text
        self.width = page_width(A4, MARGINS)
        # The date, the closing and the signature start from the middle of the page.
        self.middle = A4[0] / 2 - MARGINS.left
        self.body = text.style("body", BODY_POINTS)
        self.heading = text.style("heading", BODY_POINTS, space_before=SPACE_BEFORE)
        self.paragraph_style = text.style(
            "paragraph",
            BODY_POINTS,
            first_indent=PARAGRAPH_INDENT,
            space_before=SPACE_BEFORE,
            align=TA_JUSTIFY,
        )
        self.dated = text.style("date", BODY_POINTS, left_indent=self.middle)

    def para(self, s: str, style: Any = None) -> Flowable:
        return self.text.paragraph(s, style or self.body, self.width)

    def heading_line(self, label: str, value: str, **kwargs: Any) -> Flowable:
        return self.text.labelled(label, value, self.heading, self.width, **kwargs)

    def body_items(self, items: Sequence[BodyItem]) -> list[Flowable]:
        out: list[Flowable] = []
        for item in items:
            if isinstance(item, str):
                out.append(self.para(item, self.paragraph_style))
            else:
                out += [Spacer(1, SPACE_BEFORE), item]
        return out

    def with_closing(self, items: Sequence[BodyItem]) -> tuple[list[Flowable], list[Flowable]]:
        """The body's flowables, split into what may flow and what goes with the closing:
        the last paragraph ("จึงเรียนมา...") and at least the last two lines of the text
        before it, so the last page never holds the closing alone."""
        body = self.body_items(items)
        if not body or not isinstance(items[-1], str):
            return body, []
        keep = [body.pop()]
        if len(items) > 1 and isinstance(items[-2], str):
            before = body.pop()
            n = len(before.lines)
            if n > KEEP_LINES:
                body.append(before.part(0, n - KEEP_LINES))
                before = before.part(n - KEEP_LINES, n)
            keep.insert(0, before)
        return body, keep

    def centred_under(self, anchor: str, lines: Sequence[str]) -> list[Flowable]:
        """Lines centred under ``anchor`` printed from the middle of the page."""
        t = self.text
        centre = self.middle + t.width(anchor, self.body.fontName, self.body.fontSize) / 2
        left = max(0.0, 2 * centre - self.width)
        right = max(0.0, self.width - 2 * centre)
        style = t.style("sign", BODY_POINTS, align=TA_CENTER)
        style.leftIndent, style.rightIndent = left, right
        return [t.paragraph(line, style, self.width) for line in lines]

    def signature(self, anchor: str, sig: Signature) -> list[Flowable]:
        name = f"({sig.name.strip() or DOTTED_NAME})"
        positions = [p for p in sig.position.split("\n") if p.strip()]
        return [
            Spacer(1, SIGNATURE_LINES * self.body.leading),
            *self.centred_under(anchor, [name, *positions]),
        ]


def _leader(field: TextLines) -> TextLines:
    """A memo heading's text on a dotted line to the end of its column, as on the form."""
    field.leader = True
    return field


def _later_page_number(text: ThaiText) -> Any:
    def draw(canvas: Any, doc: Any) -> None:
        if after_text(doc):
            return  # an attachment (the reminder's list) is not a page of the letter
        number = text.digits(str(canvas.getPageNumber()))
        text.draw(canvas, A4[0] / 2, A4[1] - 1.5 * cm, f"- {number} -", BODY_POINTS, align="centre")

    return draw


def _urgency(text: ThaiText, urgency: str, baseline_from_top: float) -> Any:
    def draw(canvas: Any, doc: Any) -> None:
        if not urgency:
            return
        canvas.saveState()
        canvas.setFillColor(URGENCY_RED)
        text.draw(
            canvas, MARGINS.left, A4[1] - baseline_from_top, urgency, URGENCY_POINTS, bold=True
        )
        canvas.restoreState()

    return draw


def external_letter_pdf(letter: ExternalLetter, *, text: ThaiText, garuda: str = "") -> bytes:
    """The letter as PDF bytes. ``garuda`` is the office's emblem image ("" leaves its space)."""
    lay = _Layout(text)
    t = text
    office_lines = [letter.office, *[a for a in letter.address.split("\n") if a.strip()]]
    widest = max(t.width(line, lay.body.fontName, lay.body.fontSize) for line in office_lines)
    # The office block hugs the right margin, never starting left of the middle.
    office_w = min(max(widest + 1, 6 * cm), lay.width - lay.middle)
    head = Table(
        [
            [
                t.paragraph(f"ที่ {letter.number}", lay.body, lay.width - office_w),
                [t.paragraph(line, lay.body, office_w) for line in office_lines],
            ]
        ],
        colWidths=[lay.width - office_w, office_w],
        style=table_style(t, *BARE),
    )
    story: list[Flowable] = [
        _garuda(garuda, GARUDA_LETTER, centred=True),
        Spacer(1, 0.3 * cm),
        head,
        Spacer(1, SPACE_BEFORE),
        t.paragraph(letter.date, lay.dated, lay.width),
        lay.heading_line("เรื่อง", letter.subject),
        lay.heading_line("เรียน", letter.to),
    ]
    if letter.reference:
        story.append(lay.heading_line("อ้างถึง", letter.reference))
    if len(letter.enclosures) == 1:
        story.append(lay.heading_line("สิ่งที่ส่งมาด้วย", letter.enclosures[0]))
    elif letter.enclosures:
        numbered = "\n".join(
            f"{t.digits(str(i))}. {e}" for i, e in enumerate(letter.enclosures, start=1)
        )
        story.append(lay.heading_line("สิ่งที่ส่งมาด้วย", numbered))
    # The closing paragraph ("จึงเรียนมา...") goes with the signature, so a page never holds a
    # signature alone.
    body, last = lay.with_closing(letter.body)
    story += body
    closing_style = t.style(
        "closing", BODY_POINTS, left_indent=lay.middle, space_before=SPACE_BEFORE
    )
    story.append(
        KeepTogether(
            [
                *last,
                t.paragraph(letter.closing, closing_style, lay.width),
                *lay.signature(letter.closing, letter.signature),
            ]
        )
    )
    # Marked before the contact block, which fills its page to the bottom.
    story.append(EndOfText())
    if letter.contact:
        contact_style = t.style("contact", BODY_POINTS)
        block = [t.paragraph(line, contact_style, lay.width) for line in letter.contact]
        story += [Spacer(1, SPACE_BEFORE), _AtBottom(block)]
    if letter.attachment:
        story += [PageBreak(), *letter.attachment]
    return render(
        story,
        text=t,
        pagesize=A4,
        margins=MARGINS,
        first_margins=FIRST_MARGINS,
        title=letter.title or letter.subject,
        author=letter.office,
        on_first_page=_urgency(t, letter.urgency, 1.5 * cm + GARUDA_LETTER * 0.75),
        on_later_pages=_later_page_number(t),
        continuation=True,
    )


def memo_pdf(memo: Memo, *, text: ThaiText, garuda: str = "") -> bytes:
    """The memo as PDF bytes: the Garuda 1.5 cm at the top left beside "บันทึกข้อความ"."""
    lay = _Layout(text)
    t = text
    label = t.style("memo-label", 20, bold=True)
    # The heading lines are spaced for their 20 pt labels, whose marks clear the dotted line
    # of the line above.
    field = t.style("memo-field", BODY_POINTS, leading=t.fonts.leading(20))
    title_style = t.style("memo-title", 29, bold=True, align=TA_CENTER, leading=GARUDA_MEMO)
    emblem = _garuda(garuda, GARUDA_MEMO, centred=False)
    # The title is centred on the text area: an empty column on the right balances the
    # emblem's on the left.
    side = GARUDA_MEMO * 2
    header = Table(
        [[emblem, t.paragraph("บันทึกข้อความ", title_style, lay.width - 2 * side), ""]],
        colWidths=[side, lay.width - 2 * side, side],
        rowHeights=[GARUDA_MEMO],
        style=table_style(t, *BARE, ("VALIGN", (0, 0), (-1, -1), "MIDDLE")),
    )
    half = lay.middle
    number_date = Table(
        [
            [
                _leader(t.labelled("ที่", memo.number, field, half, label_style=label)),
                _leader(t.labelled("วันที่", memo.date, field, lay.width - half, label_style=label)),
            ]
        ],
        colWidths=[half, lay.width - half],
        style=table_style(t, *BARE, ("VALIGN", (0, 0), (-1, -1), "BOTTOM")),
    )
    story: list[Flowable] = [
        header,
        Spacer(1, SPACE_BEFORE),
        _leader(t.labelled("ส่วนราชการ", memo.section, field, lay.width, label_style=label)),
        number_date,
        _leader(t.labelled("เรื่อง", memo.subject, field, lay.width, label_style=label)),
        lay.heading_line("เรียน", memo.to),
    ]
    body, last = lay.with_closing(memo.body)
    story += [*body, KeepTogether([*last, *lay.signature("ขอแสดงความนับถือ", memo.signature)])]
    story.append(EndOfText())
    return render(
        story,
        text=t,
        pagesize=A4,
        margins=MARGINS,
        first_margins=FIRST_MARGINS,
        title=memo.title or memo.subject,
        author=memo.section,
        on_first_page=_urgency(t, memo.urgency, 1.2 * cm),
        on_later_pages=_later_page_number(t),
        continuation=True,
    )
