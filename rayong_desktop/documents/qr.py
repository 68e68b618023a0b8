"""QR codes drawn as vector squares, defined once per PDF and placed on every page.

A poster batch (one per unit) shows the same code on every page: it is drawn once as a PDF form
XObject and each page only references it, so a hundred posters cost one QR. Vectors also print
sharp at any size, unlike a bitmap scaled up to 15 cm.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import qrcode
from qrcode.constants import ERROR_CORRECT_M

QUIET_ZONE = 4  # modules of white the QR standard asks for around the code


@dataclass(frozen=True)
class QrMatrix:
    data: str
    rows: tuple[tuple[bool, ...], ...]  # True = dark module; no quiet zone

    @property
    def size(self) -> int:
        return len(self.rows)


def qr_matrix(data: str) -> QrMatrix:
    """The modules of a QR code for ``data`` (error correction M: survives smudges and folds)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, box_size=1)
    code.add_data(data)
    code.make(fit=True)
    return QrMatrix(data, tuple(tuple(bool(m) for m in row) for row in code.get_matrix()))


def _runs(row: tuple[bool, ...]) -> list[tuple[int, int]]:
    """(start, length) of each run of dark modules in a row."""
    runs: list[tuple[int, int]] = []
    start = -1
    for x, dark in enumerate((*row, False)):
        if dark and start < 0:
            start = x
        elif not dark and start >= 0:
            runs.append((start, x - start))
            start = -1
    return runs


class QrForm:
    """The QR as a named form on one canvas; ``draw`` places it at any size."""

    def __init__(self, matrix: QrMatrix, name: str = "rayong_qr") -> None:
        self.matrix = matrix
        self.name = name
        self._defined_on: int | None = None

    def _define(self, canvas: Any) -> None:
        n = self.matrix.size
        canvas.beginForm(self.name, lowerx=0, lowery=0, upperx=n, uppery=n)
        # One path of one rectangle per horizontal run: the fill is their union, so no hairline
        # seams appear between modules in viewers that anti-alias each shape.
        path = canvas.beginPath()
        for y, row in enumerate(self.matrix.rows):
            for x, length in _runs(row):
                path.rect(x, n - 1 - y, length, 1)
        canvas.setFillColorRGB(0, 0, 0)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.endForm()
        self._defined_on = id(canvas)

    def draw(self, canvas: Any, x: float, y: float, side: float) -> None:
        """The code with its lower-left corner at (x, y), ``side`` points wide (no quiet zone:
        the caller keeps QUIET_ZONE modules of white around it)."""
        if self._defined_on != id(canvas):
            # ReportLab sets the page's content aside while a form is defined, so the first
            # page that needs the code defines it and later pages only reference it.
            self._define(canvas)
        canvas.saveState()
        canvas.translate(x, y)
        scale = side / self.matrix.size
        canvas.scale(scale, scale)
        canvas.doForm(self.name)
        canvas.restoreState()
