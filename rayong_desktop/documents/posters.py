"""QR posters (A4, A3) that bring people into the LINE Official Account.

The QR holds the add-friend link; under it the @ID is printed for LINE on a PC, where the link
does not open. The account name and the slogan are real text (selectable, searchable, editable
in a PDF editor). A batch (one poster per unit) is one PDF whose pages share one QR drawing.
The layout is designed for A4 and scaled as a whole for A3, so both look the same.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A3, A4
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from rayong_desktop.documents.fonts import LINE_SPACING
from rayong_desktop.documents.pdf import CREATOR
from rayong_desktop.documents.qr import QUIET_ZONE, QrForm, qr_matrix
from rayong_desktop.documents.text import NBSP, ThaiText, wrap_lines
from rayong_desktop.settings import AppSettings

PAGE_SIZES: dict[str, tuple[float, float]] = {"A4": A4, "A3": A3}
LINE_GREEN = colors.HexColor("#06c755")
DARK = colors.HexColor("#1b1b1b")
SLOGAN_GREEN = colors.HexColor("#05873a")
GREY = colors.HexColor("#555555")
QR_SIDE_A4 = 10.5 * cm  # scans from well over a metre (at least ~10 cm is asked for)
MARGIN_A4 = 1.5 * cm
FOOTER_MIN_POINTS = 12.0


def balanced_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """Break at spaces into the fewest lines that fit, as even in length as possible.

    A poster's slogan reads in phrases; filling each line to the edge would leave a short
    last line. Falls back to Thai word breaks if a phrase alone is wider than ``width``.
    """
    words = text.split()
    if not words:
        return []
    widths = [float(stringWidth(w, font, size)) for w in words]
    space = float(stringWidth(" ", font, size))
    if max(widths) > width:
        return wrap_lines(text, font, size, width)

    def span(i: int, j: int) -> float:
        return sum(widths[i:j]) + space * (j - i - 1)

    n = len(words)
    # best[j] = (lines, widest line) to set words[:j]; fewest lines first, then the evenest.
    best: list[tuple[int, float, int]] = [(0, 0.0, 0)] + [(n + 1, 0.0, 0)] * n
    for j in range(1, n + 1):
        for i in range(j):
            w = span(i, j)
            if w > width:
                continue
            lines, widest, _ = best[i]
            candidate = (lines + 1, max(widest, w), i)
            if candidate[:2] < best[j][:2]:
                best[j] = candidate
    out: list[str] = []
    j = n
    while j > 0:
        i = best[j][2]
        out.append(" ".join(words[i:j]))
        j = i
    return out[::-1]


def slogan_lines(
    text: ThaiText, s: str, *, width: float, max_points: float, min_points: float
) -> tuple[float, list[str]]:
    """The slogan's lines and TH point size: the lines typed (a newline in the setting) are
    kept, each shrunk to fit or, at the smallest size, broken again between words; a slogan
    typed on one line is broken between its phrases (at spaces) into balanced lines."""
    typed = [line.strip() for line in s.splitlines() if line.strip()]
    if len(typed) <= 1:
        return fit_lines(
            text, s, width=width, max_points=max_points, min_points=min_points, max_lines=2
        )
    font = text.font(bold=True)
    points = max_points
    while points - 2 >= min_points and any(
        text.width(line, font, text.size(points)) > width for line in typed
    ):
        points -= 2
    lines: list[str] = []
    for line in typed:
        lines += wrap_lines(line, font, text.size(points), width)
    return points, lines


def fit_lines(
    text: ThaiText,
    s: str,
    *,
    width: float,
    max_points: float,
    min_points: float,
    max_lines: int,
    bold: bool = True,
) -> tuple[float, list[str]]:
    """The largest TH point size (stepping down by 2) at which ``s`` fits in ``max_lines``
    balanced lines; at the smallest size it takes the lines it needs."""
    font = text.font(bold)
    points = max_points
    while True:
        lines = balanced_lines(s, font, text.size(points), width)
        if len(lines) <= max_lines or points - 2 < min_points:
            return points, lines
        points -= 2


class _Poster:
    """The poster's plan, in centimetres from the top of an A4 page, scaled for A3."""

    BAND = 4.4
    SCAN = 5.6  # baseline of "scan to add"
    QR_TOP = 6.1  # top of the frame around the code
    SLOGAN = 23.5  # first slogan baseline
    UNIT_BOTTOM = 27.5  # last baseline of the unit's name
    FOOTER = 28.6

    def __init__(self, text: ThaiText, pagesize: tuple[float, float]) -> None:
        self.t = text
        self.w, self.h = pagesize
        self.k = self.w / A4[0]

    def y(self, cm_from_top: float) -> float:
        return float(self.h - cm_from_top * cm * self.k)

    def centred(
        self, canvas: Any, y: float, s: str, th_points: float, *, bold: bool = False
    ) -> None:
        self.t.draw(canvas, self.w / 2, y, s, th_points * self.k, bold=bold, align="centre")

    def draw(
        self,
        canvas: Any,
        *,
        qr: QrForm,
        url: str,
        oa_id: str,
        settings: AppSettings,
        unit_name: str | None,
    ) -> None:
        t, k, w = self.t, self.k, self.w
        inner = (w - 2 * MARGIN_A4 * k) / k  # widths are measured at A4 sizes

        # Band with the account's name, in LINE's green.
        canvas.setFillColor(LINE_GREEN)
        canvas.rect(0, self.y(self.BAND), w, self.BAND * cm * k, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        self.centred(canvas, self.y(1.5), "กลุ่ม Line Official Account", 26)
        name_pt, _ = fit_lines(
            t, settings.oa_name, width=inner, max_points=64, min_points=30, max_lines=1
        )
        self.centred(canvas, self.y(3.5), settings.oa_name, name_pt, bold=True)

        canvas.setFillColor(DARK)
        self.centred(canvas, self.y(self.SCAN), "สแกน QR Code เพื่อเพิ่มเพื่อน", 30, bold=True)

        # The code, with its quiet zone kept white inside a thin rounded frame.
        side = QR_SIDE_A4 * k
        quiet = QUIET_ZONE * side / qr.matrix.size
        x = (w - side) / 2
        y = self.y(self.QR_TOP) - quiet - side
        canvas.setStrokeColor(LINE_GREEN)
        canvas.setLineWidth(2.5 * k)
        canvas.roundRect(
            x - quiet, y - quiet, side + 2 * quiet, side + 2 * quiet, 0.5 * cm * k, stroke=1, fill=0
        )
        qr.draw(canvas, x, y, side)
        # In a PDF viewer the code is also a link.
        canvas.linkURL(url, (x, y, x + side, y + side), relative=0)

        frame_bottom = (self.h - (y - quiet)) / (cm * k)
        canvas.setFillColor(GREY)
        self.centred(canvas, self.y(frame_bottom + 0.9), "หรือค้นหา LINE ID", 22)
        canvas.setFillColor(DARK)
        self.centred(canvas, self.y(frame_bottom + 2.4), "@" + oa_id.lstrip("@"), 48, bold=True)

        # The office and its phone at the foot: shrunk to fit, else the office's name wrapped
        # above the phone on a line of its own; the phone is never cut off.
        foot_pt, foot = footer_lines(t, settings, width=inner)
        foot_step = foot_pt * LINE_SPACING  # A4 points between footer lines
        canvas.setFillColor(GREY)
        for n, line in enumerate(foot):
            self.centred(
                canvas, self.y(self.FOOTER) + (len(foot) - 1 - n) * foot_step * k, line, foot_pt
            )
        foot_top = self.FOOTER - ((len(foot) - 1) * foot_step + foot_pt) / cm

        # The unit that hangs the poster, from the bottom up, clear of the footer.
        unit_bottom = min(self.UNIT_BOTTOM, foot_top - 0.5)
        unit_top = unit_bottom + 0.2  # cm from the top: where the slogan must end
        if unit_name:
            unit_pt, unit_lines = fit_lines(
                t, unit_name, width=inner, max_points=24, min_points=16, max_lines=2
            )
            step = unit_pt * k * 1.25
            base = self.y(unit_bottom) + (len(unit_lines) - 1) * step
            canvas.setFillColor(DARK)
            for n, line in enumerate(unit_lines):
                self.centred(canvas, base - n * step, line, unit_pt, bold=True)
            unit_top = unit_bottom - ((len(unit_lines) - 1) * 1.25 + 0.9) * unit_pt / cm

        # The slogan, in its typed lines or phrases, as large as fits above the unit's name.
        slogan_pt, lines = slogan_lines(
            t, settings.poster_slogan, width=inner, max_points=36, min_points=20
        )
        room = (unit_top - self.SLOGAN) * cm  # from the first baseline, in A4 points
        slogan_pt = min(slogan_pt, room / ((len(lines) - 1) * 1.25 + 0.45))
        canvas.setFillColor(SLOGAN_GREEN)
        for n, line in enumerate(lines):
            self.centred(
                canvas, self.y(self.SLOGAN) - n * slogan_pt * k * 1.25, line, slogan_pt, bold=True
            )


def footer_lines(text: ThaiText, settings: AppSettings, *, width: float) -> tuple[float, list[str]]:
    """The poster's foot: "office โทร. phone" on one line at 16 down to 12 TH points, else
    the office's name wrapped at 12 points with the phone on a line of its own."""
    office = settings.office_name.strip()
    phone = settings.office_phone.strip()
    reach = f"โทร.{NBSP}{text.digits(phone)}" if phone else ""
    one_line = f"{office} {reach}".strip()
    font = text.font()
    points = 16.0
    while points >= FOOTER_MIN_POINTS:
        if text.width(one_line, font, text.size(points)) <= width:
            return points, [one_line]
        points -= 0.5
    lines = wrap_lines(office, font, text.size(FOOTER_MIN_POINTS), width)
    return FOOTER_MIN_POINTS, [*lines, reach] if reach else lines


def qr_posters_pdf(
    *,
    url: str,
    oa_id: str,
    settings: AppSettings,
    size: str = "A4",
    unit_names: Sequence[str | None] = (None,),
    text: ThaiText | None = None,
) -> bytes:
    """One poster page per entry of ``unit_names`` (None: a poster without a unit's name)."""
    text = text or ThaiText.for_settings(settings)
    pagesize = PAGE_SIZES[size.upper()]
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=pagesize,
        initialFontName=text.font(),
        initialFontSize=text.size(16),
    )
    canvas.setTitle(f"QR {settings.oa_name} @{oa_id.lstrip('@')}")
    canvas.setAuthor(settings.office_name)
    canvas.setCreator(CREATOR)
    canvas.setProducer(CREATOR)
    qr = QrForm(qr_matrix(url))
    poster = _Poster(text, pagesize)
    for name in unit_names:
        poster.draw(canvas, qr=qr, url=url, oa_id=oa_id, settings=settings, unit_name=name)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
