"""The Thai text layer every printed document goes through.

ReportLab on its own draws Thai wrongly in two ways (see shared/docs/thai-documents.md): tone
marks collide or vanish unless the text is shaped by HarfBuzz, and lines break in the middle of
Thai words, which are written without spaces. So every piece of text is broken into lines
between words here and drawn by ``ThaiText.draw_run``: each script run shaped on its own, each
word an ActualText span of the typed characters (shaped glyphs do not copy back one to one).
Paragraphs and headings are ``TextLines`` (``ThaiText.paragraph`` / ``labelled``), which also
justify Thai; table cells ``ShapedLines``; single lines on a canvas ``ThaiText.draw``.

Numbers and dates go through the same object, which knows the office's choice of Thai or
Arabic digits (``digits`` leaves those of Latin words and codes as typed), and sizes are given
in TH Sarabun points (see fonts.FontSet).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import shapeStr
from reportlab.platypus import Flowable

from rayong_desktop.documents.fonts import FontSet, ink_extent, load_fonts
from rayong_desktop.documents.words import NBSP as NBSP  # re-exported: text and its pieces
from rayong_desktop.documents.words import SPACES, clusters, is_gap, is_thai
from rayong_desktop.documents.words import pieces as pieces
from rayong_desktop.domain.numbers import (
    NO_VALUE,
    format_int,
    format_percent,
    to_arabic_digits,
    to_thai_digits,
)
from rayong_desktop.domain.thaidate import (
    thai_date,
    thai_datetime,
    thai_week_range,
)
from rayong_desktop.settings import AppSettings

# Room left at the end of every line for rounding between our measure and ReportLab's, so it
# never re-breaks a line we made (it would break at a space, or split a Thai word).
_SLACK_PT = 0.5

_ANY_SPACE = re.compile(r"(\s+)")
# A Latin word or code with its digits ("COVID-19", "2020-W21", "R01", an e-mail address, a
# URL): a run of ASCII letters, digits and code punctuation holding at least one letter or @.
_LATIN_CODE = re.compile(r"[\w@.:/%+\-~#?=&]*[A-Za-z@][\w@.:/%+\-~#?=&]*", re.ASCII)
# When a line overflows, end it at its last space instead of between two Thai words if that
# still fills this much of the line: Thai puts spaces between phrases, the better break.
_PREFER_SPACE_FILL = 0.75


def wrap_lines(
    text: str, font: str, size: float, width: float, first_width: float | None = None
) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (the first one ``first_width``).

    Lines end between Thai words, at spaces, or between a Thai word and a number; never inside
    a word, before ๆ/ฯ, a tone mark or closing punctuation. A newline in ``text`` forces a
    break. Only a single word wider than a whole line is cut, between letter clusters.
    """
    lines: list[str] = []
    first = width if first_width is None else first_width
    for paragraph in text.split("\n"):
        avail = (first if not lines else width) - _SLACK_PT
        if stringWidth(paragraph, font, size) <= avail:
            lines.append(paragraph.strip())
            continue
        lines += _fill(pieces(paragraph), font, size, width - _SLACK_PT, avail)
    return lines


def _fill(parts: Sequence[str], font: str, size: float, width: float, first: float) -> list[str]:
    lines: list[str] = []
    line: list[tuple[str, float]] = []  # pieces and spaces of the line being filled
    line_w = 0.0

    def avail() -> float:
        return first if not lines else width

    def close(items: list[tuple[str, float]]) -> None:
        lines.append("".join(t for t, _ in items).strip())

    for part in parts:
        w = stringWidth(part, font, size)
        if is_gap(part):
            if line:
                line.append((part, w))
                line_w += w
            continue
        if line_w + w <= avail():
            line.append((part, w))
            line_w += w
            continue
        if line:
            head, rest = _split_at_space(line, avail(), width, w)
            close(head)
            line = rest
            line_w = sum(x for _, x in line)
        if line or w <= avail():
            line.append((part, w))
            line_w += w
            continue
        for cluster in clusters(part):
            cw = stringWidth(cluster, font, size)
            if line and line_w + cw > avail():
                close(line)
                line, line_w = [], 0.0
            line.append((cluster, cw))
            line_w += cw
    if line or not lines:
        close(line)
    return lines


def _split_at_space(
    line: list[tuple[str, float]], avail: float, next_avail: float, incoming: float
) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """Where a full line ends: at its last space when that keeps it well filled and what
    moves down still fits beside the incoming piece; otherwise after its last piece."""
    filled = 0.0
    best: int | None = None
    for i, (t, w) in enumerate(line):
        if is_gap(t) and i > 0 and filled >= _PREFER_SPACE_FILL * avail:
            best = i
        filled += w
    if best is not None:
        rest = line[best + 1 :]
        if sum(w for _, w in rest) + incoming <= next_avail:
            return line[:best], rest
    return line, []


def _script_runs(text: str) -> list[str]:
    """Split into Thai and non-Thai runs; spaces, digits and punctuation join the run they
    follow. HarfBuzz takes one script per call from the first letter it sees."""
    runs: list[str] = []
    current = ""
    current_thai: bool | None = None
    for ch in text:
        thai = True if is_thai(ch) else (False if ch.isalpha() else None)
        if thai is not None and current_thai is not None and thai != current_thai:
            runs.append(current)
            current = ""
        if thai is not None:
            current_thai = thai
        current += ch
    if current:
        runs.append(current)
    return runs


class ThaiText:
    """Fonts, digits, dates, line breaking and shaping for one document."""

    def __init__(self, fonts: FontSet, *, thai_digits: bool) -> None:
        self.fonts = fonts
        self.thai_digits = thai_digits

    @classmethod
    def for_settings(cls, settings: AppSettings) -> ThaiText:
        return cls(
            load_fonts(settings.document_font),
            thai_digits=settings.document_digits.strip().lower() != "arabic",
        )

    # ------------------------------------------------------------ numbers and dates

    def digits(self, text: str) -> str:
        """``text`` in the document's digits, whichever set it was typed in (office codes and
        phone numbers are usually typed in Thai digits; an Arabic-digit office wants none).

        Digits inside a Latin word or code stay as written, as the province's own letters
        print them: "COVID-19", "2020-W21", an e-mail address, a URL."""
        convert = to_thai_digits if self.thai_digits else to_arabic_digits
        out: list[str] = []
        pos = 0
        for code in _LATIN_CODE.finditer(text):
            out += [convert(text[pos : code.start()]), code.group()]
            pos = code.end()
        out.append(convert(text[pos:]))
        return "".join(out)

    def number(self, n: int | None) -> str:
        return NO_VALUE if n is None else format_int(n, thai_digits=self.thai_digits)

    def signed(self, n: int | None) -> str:
        """A change: "+1,250", "-30", "0"."""
        if n is None:
            return NO_VALUE
        text = format_int(n, thai_digits=self.thai_digits)
        return "+" + text if n > 0 else text

    def percent(self, x: float | None, decimals: int = 1) -> str:
        """``x`` is a percentage (0-100), as the summary module gives every rate."""
        return format_percent(x, thai_digits=self.thai_digits, decimals=decimals)

    def percent_number(self, x: float | None, decimals: int = 1) -> str:
        """A percentage for prose after "ร้อยละ": the number without its % sign."""
        return self.percent(x, decimals).removesuffix("%")

    # Dates are joined by no-break spaces: a line never ends inside "22 พฤษภาคม 2563".

    def full_date(self, d: date) -> str:
        """The letter's date: "7 พฤษภาคม 2563"."""
        return thai_date(d, thai_digits=self.thai_digits).replace(" ", NBSP)

    def short_date(self, d: date, *, year: bool = True) -> str:
        return thai_date(d, thai_digits=self.thai_digits, short=True, year=year).replace(" ", NBSP)

    def date_time(self, dt: datetime) -> str:
        return thai_datetime(dt, thai_digits=self.thai_digits).replace(" ", NBSP)

    def week_range(self, monday: date) -> str:
        """ "18–24 พฤษภาคม 2563"; a range across months may break only around its dash."""
        text = thai_week_range(monday, thai_digits=self.thai_digits)
        return " – ".join(part.replace(" ", NBSP) for part in text.split(" – "))

    def week_name(self, monday: date) -> str:
        """The week as the office reads it: "สัปดาห์ที่ ๒๑ ปี ๒๕๖๓" with Thai digits (the
        ISO week, its year in the Buddhist Era), the code "2020-W21" with Arabic ones."""
        year, week, _ = monday.isocalendar()
        if not self.thai_digits:
            return f"{year}-W{week:02d}"
        return f"สัปดาห์ที่{NBSP}{self.number(week)} ปี{NBSP}{self.digits(str(year + 543))}"

    # ------------------------------------------------------------ fonts and styles

    def font(self, bold: bool = False) -> str:
        return self.fonts.bold if bold else self.fonts.regular

    def size(self, th_points: float) -> float:
        return self.fonts.size(th_points)

    def style(
        self,
        name: str,
        th_points: float = 16,
        *,
        bold: bool = False,
        align: int = TA_LEFT,
        leading: float | None = None,
        first_indent: float = 0,
        left_indent: float = 0,
        space_before: float = 0,
        space_after: float = 0,
        color: Any = None,
    ) -> ParagraphStyle:
        extra: dict[str, Any] = {} if color is None else {"textColor": color}
        return ParagraphStyle(
            name,
            fontName=self.font(bold),
            fontSize=self.size(th_points),
            leading=leading if leading is not None else FontSet.leading(th_points),
            alignment=align,
            firstLineIndent=first_indent,
            leftIndent=left_indent,
            spaceBefore=space_before,
            spaceAfter=space_after,
            shaping=1,
            # The lines are ours; a word ReportLab finds too long must not be cut in two.
            splitLongWords=0,
            **extra,
        )

    # ------------------------------------------------------------ layout

    def width(self, text: str, font: str, size: float) -> float:
        return float(stringWidth(text, font, size))

    def wrap(self, text: str, style: ParagraphStyle, width: float) -> list[str]:
        """The lines ``paragraph`` would print in a frame ``width`` wide."""
        inner = width - style.leftIndent - style.rightIndent
        return wrap_lines(
            text, style.fontName, style.fontSize, inner, inner - style.firstLineIndent
        )

    def paragraph(self, text: str, style: ParagraphStyle, width: float) -> TextLines:
        """Plain ``text`` in ``style`` broken between Thai words for ``width``, drawn by us
        (see TextLines): left, centred, right or justified (TA_JUSTIFY).

        ``width`` must be the width ReportLab will give it (the frame or cell's inner width).
        """
        return TextLines(self, self.wrap(text, style, width), style)

    def labelled(
        self,
        label: str,
        text: str,
        style: ParagraphStyle,
        width: float,
        *,
        label_style: ParagraphStyle | None = None,
    ) -> TextLines:
        """ "เรื่อง  subject...": the label, then the text, its later lines aligned under the
        text's first letter (the regulation's hanging layout). ``label_style`` gives the label
        its own font and size (a memo's bold headings)."""
        label_font = label_style.fontName if label_style is not None else style.fontName
        label_size = label_style.fontSize if label_style is not None else style.fontSize
        # The gap after the label: a space and a half of the text's font.
        indent = stringWidth(label, label_font, label_size) + 1.5 * stringWidth(
            " ", style.fontName, style.fontSize
        )
        lines = wrap_lines(text, style.fontName, style.fontSize, width - indent)
        hanging = ParagraphStyle(
            style.name + "-hanging", parent=style, leftIndent=indent, firstLineIndent=0
        )
        return TextLines(self, lines, hanging, label=(label, label_font, label_size))

    def lines(self, text: str, style: ParagraphStyle, width: float) -> ShapedLines:
        """Like ``paragraph`` for a left-aligned plain style, but cheaper (see ShapedLines)."""
        return ShapedLines(
            self,
            self.wrap(text, style, width),
            font=style.fontName,
            size=style.fontSize,
            leading=style.leading,
            color=style.textColor,
        )

    def shaped(self, text: str, font: str, size: float) -> str:
        """``text`` shaped for ``canvas.drawString`` (which does not shape by itself)."""
        result: str = ""
        for run in _script_runs(text):
            result = result + shapeStr(run, font, size)
        return result

    def draw_fitted(
        self,
        canvas: Any,
        x: float,
        y: float,
        text: str,
        th_points: float,
        width: float,
        *,
        align: str = "left",
        smallest: float = 0.8,
    ) -> int:
        """Draw ``text`` within ``width``: at ``th_points``, else shrunk down to ``smallest``
        of it, else wrapped between words at that size, later lines going down the page.
        Returns the number of lines drawn."""
        points = th_points
        font = self.font()
        while points > th_points * smallest and self.width(text, font, self.size(points)) > width:
            points -= 0.5
        lines = wrap_lines(text, font, self.size(points), width)
        for n, line in enumerate(lines):
            self.draw(canvas, x, y - n * FontSet.leading(points), line, points, align=align)
        return len(lines)

    def draw(
        self,
        canvas: Any,
        x: float,
        y: float,
        text: str,
        th_points: float,
        *,
        bold: bool = False,
        align: str = "left",
    ) -> float:
        """Draw one shaped line on a canvas; returns its width."""
        font = self.font(bold)
        size = self.size(th_points)
        width = self.width(text, font, size)
        if align == "right":
            x -= width
        elif align == "centre":
            x -= width / 2
        canvas.setFont(font, size)
        self.draw_run(canvas, x, y, text, font, size)
        return width

    def draw_run(
        self,
        canvas: Any,
        x: float,
        y: float,
        text: str,
        font: str,
        size: float,
        *,
        extra: float = 0.0,
    ) -> None:
        """Draw one line of ``text`` shaped, ``extra`` points added at each word boundary
        (justified text).

        Each space-separated word is its own ActualText span (see ``actual_text``) holding
        the typed characters, so copying and searching give them back exactly, and text
        tools still see the words apart where the spaces are."""
        canvas.setFont(font, size)
        parts = pieces(text) if extra else [p for p in SPACES.split(text) if p]
        word: list[tuple[float, str]] = []  # the pieces of the word being drawn, at their x

        def flush() -> None:
            if word:
                with actual_text(canvas, "".join(p for _, p in word)):
                    for at, piece in word:
                        canvas.drawString(at, y, self.shaped(piece, font, size))
                word.clear()

        for n, part in enumerate(parts):
            # Any space ends a word here, a no-break one too: it only held the line together.
            for sub in _ANY_SPACE.split(part):
                if not sub:
                    continue
                if sub.isspace():
                    flush()
                else:
                    word.append((x, sub))
                x += self.width(sub, font, size)
            if extra and n < len(parts) - 1 and not is_gap(parts[n + 1]):
                x += extra
        flush()


class ShapedLines(Flowable):  # type: ignore[misc]  # ReportLab ships no type hints
    """Lines already broken and shaped, in one font: a light Paragraph for table cells.

    A summary of a thousand units has thousands of cells. A Paragraph re-parses and re-shapes
    its text every time the table measures or splits it; these lines are shaped once, on first
    draw, and measure as lines x leading. Baselines sit where a Paragraph puts them.
    """

    def __init__(
        self,
        text: ThaiText,
        lines: Sequence[str],
        *,
        font: str,
        size: float,
        leading: float,
        color: Any = None,
    ) -> None:
        super().__init__()
        self.text = text
        self.lines = list(lines)
        self.font = font
        self.size = size
        self.leading = leading
        self.color = color

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = len(self.lines) * self.leading
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setFont(self.font, self.size)
        if self.color is not None:
            canvas.setFillColor(self.color)
        y = self.height - self.size
        for line in self.lines:
            if line:
                self.text.draw_run(canvas, 0, y, line, self.font, self.size)
            y -= self.leading


@contextmanager
def actual_text(canvas: Any, text: str) -> Iterator[None]:
    """Mark what is drawn inside as standing for ``text`` (a PDF ActualText span).

    Shaping turns what was typed into glyphs that do not map back one to one: ำ becomes
    ํ + า, "fi" one ligature glyph, a justified line has gaps between Thai words. Copying and
    searching read the span's text instead of guessing from the glyphs, and get exactly
    what was typed."""
    code = text.encode("utf-16-be").hex().upper()
    canvas.addLiteral(f"/Span <</ActualText <FEFF{code}>>> BDC")
    yield
    canvas.addLiteral("EMC")


class TextLines(Flowable):  # type: ignore[misc]  # ReportLab ships no type hints
    """A paragraph whose lines we broke, drawn line by line in one style.

    Replaces ReportLab's Paragraph so that every line is drawn the same way (shaped, each
    line an ActualText span) and can be justified Thai-style: the line's extra width is
    shared among its word boundaries (the same segmentation that broke the lines), never
    inside a word; the paragraph's last line stays ragged. Splits between lines across pages.
    ``label`` prints a heading word before the first line, in the left indent ("เรื่อง").
    """

    def __init__(
        self,
        text: ThaiText,
        lines: Sequence[str],
        style: ParagraphStyle,
        *,
        starts: bool = True,
        ends: bool = True,
        label: tuple[str, str, float] | None = None,
    ) -> None:
        super().__init__()
        self.text = text
        self.lines = list(lines)
        self.style = style
        self.starts = starts  # the first line is the paragraph's first (indent, space before)
        self.ends = ends  # the last line is the paragraph's last (ragged when justified)
        self.label = label
        self.leader = False  # a dotted line under each line, to the right edge (a memo)
        self.spaceBefore = style.spaceBefore if starts else 0
        self.spaceAfter = style.spaceAfter if ends else 0

    def getPlainText(self) -> str:  # noqa: N802 - ReportLab's name
        return " ".join(self.lines)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = len(self.lines) * self.style.leading
        return self.width, self.height

    def part(self, start: int, stop: int) -> TextLines:
        """Lines ``start:stop`` as a flowable of their own (the rest of the paragraph)."""
        piece = TextLines(
            self.text,
            self.lines[start:stop],
            self.style,
            starts=self.starts and start == 0,
            ends=self.ends and stop >= len(self.lines),
            label=self.label if start == 0 else None,
        )
        piece.leader = self.leader
        return piece

    def split(self, avail_width: float, avail_height: float) -> list[TextLines]:
        fit = int((avail_height + 1e-6) // self.style.leading)
        if fit <= 0 or fit >= len(self.lines):
            return [] if fit <= 0 else [self]
        return [self.part(0, fit), self.part(fit, len(self.lines))]

    def draw(self) -> None:
        st = self.style
        canvas = self.canv
        font, size = st.fontName, st.fontSize
        canvas.saveState()
        if st.textColor is not None:
            canvas.setFillColor(st.textColor)
        if self.label is not None:
            label, label_font, label_size = self.label
            self.text.draw_run(canvas, 0, self.height - size, label, label_font, label_size)
        y = self.height - size
        for n, line in enumerate(self.lines):
            indent = st.leftIndent + (st.firstLineIndent if n == 0 and self.starts else 0)
            room = self.width - indent - st.rightIndent
            last = self.ends and n == len(self.lines) - 1
            if st.alignment == TA_JUSTIFY and not last:
                self._justified(canvas, indent, y, line, room)
            elif line:
                w = self.text.width(line, font, size)
                x = indent
                if st.alignment == TA_CENTER:
                    x += (room - w) / 2
                elif st.alignment == TA_RIGHT:
                    x += room - w
                self.text.draw_run(canvas, x, y, line, font, size)
            if self.leader:
                canvas.setDash(0.6, 2.2)
                canvas.setLineWidth(0.6)
                # Stopping short of the edge, clear of a field beside it ("ที่ … วันที่").
                # Below the lowest ink the font can print (ฤ, ฎุ), as a table's rules are.
                end = self.width - st.rightIndent - size / 2
                under = y + ink_extent(font)[1] * size - 1
                canvas.line(indent, under, end, under)
                canvas.setDash()
            y -= st.leading
        canvas.restoreState()

    def _justified(self, canvas: Any, x: float, y: float, line: str, room: float) -> None:
        """The line's extra width shared among its word boundaries (a space counts once,
        after the spaces)."""
        font, size = self.style.fontName, self.style.fontSize
        parts = pieces(line)
        boundaries = sum(1 for part in parts[1:] if not is_gap(part))
        if boundaries == 0:
            self.text.draw_run(canvas, x, y, line, font, size)
            return
        extra = max(0.0, room - self.text.width(line, font, size)) / boundaries
        self.text.draw_run(canvas, x, y, line, font, size, extra=extra)
