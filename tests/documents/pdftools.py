"""The command-line tools the document tests read PDFs with (poppler-utils, qpdf, zbar-tools).

They are installed by the test command in the README; a missing tool fails the test with the
package to install rather than skipping it.
"""

from __future__ import annotations

import ctypes
import html
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image, ImageChops, ImageFilter

PACKAGES = {
    "pdftotext": "poppler-utils",
    "pdffonts": "poppler-utils",
    "pdfinfo": "poppler-utils",
    "pdftoppm": "poppler-utils",
    "pdfimages": "poppler-utils",
    "qpdf": "qpdf",
    "zbarimg": "zbar-tools",
}


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(
            f"{name} is not installed: apt-get install {PACKAGES[name]} (see the README's test "
            "command)",
            pytrace=False,
        )
    return found


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [tool(args[0]), *args[1:]], capture_output=True, text=True, encoding="utf-8", timeout=60
    )


def qpdf_check(path: Path) -> None:
    result = run("qpdf", "--check", str(path))
    assert result.returncode == 0, result.stdout + result.stderr


def fonts(path: Path) -> list[tuple[str, str]]:
    """(name, embedded) of every font, as pdffonts lists them."""
    result = run("pdffonts", str(path))
    assert result.returncode == 0, result.stderr
    rows = []
    for line in result.stdout.splitlines()[2:]:
        parts = line.split()
        # name type... encoding emb sub uni object ID: "emb" is the 5th field from the end.
        rows.append((parts[0], parts[-5]))
    return rows


def normalized(text: str) -> str:
    """NFKC: shaped Thai extracts SARA AM as NIKHAHIT + SARA AA, and fi-ligatures as one glyph."""
    return unicodedata.normalize("NFKC", text)


def text(
    path: Path,
    *,
    layout: bool = False,
    first: int | None = None,
    last: int | None = None,
    exact: bool = False,
) -> str:
    """The PDF's text. By default in content order (``-raw``), which is the order it was
    written in: ``-layout`` regroups characters by position, and a Thai mark lifted above a
    tone mark by shaping then lands on the line above. ``exact`` returns it as extracted,
    without the NFKC normalization (which would hide a ำ given back as ํ + า)."""
    args = ["pdftotext", "-layout" if layout else "-raw"]
    if first is not None:
        args += ["-f", str(first)]
    if last is not None:
        args += ["-l", str(last)]
    result = run(*args, str(path), "-")
    assert result.returncode == 0, result.stderr
    return result.stdout if exact else normalized(result.stdout)


def pages(path: Path) -> int:
    return int(info(path)["Pages"])


def info(path: Path) -> dict[str, str]:
    result = run("pdfinfo", str(path))
    assert result.returncode == 0, result.stderr
    out = {}
    for line in result.stdout.splitlines():
        key, _, value = line.partition(":")
        out[key.strip()] = value.strip()
    return out


def check(path: Path) -> str:
    """qpdf finds no damage, every font is embedded; returns the text."""
    qpdf_check(path)
    listed = fonts(path)
    assert listed, "no fonts listed"
    assert all(emb == "yes" for _, emb in listed), listed
    return text(path)


def render(
    path: Path, out_dir: Path, *, dpi: int, first: int = 1, last: int | None = None
) -> list[Path]:
    args = ["pdftoppm", "-r", str(dpi), "-png", "-f", str(first)]
    if last is not None:
        args += ["-l", str(last)]
    result = run(*args, str(path), str(out_dir / path.stem))
    assert result.returncode == 0, result.stderr
    return sorted(out_dir.glob(f"{path.stem}*.png"))


def decode_qr(png: Path) -> list[str]:
    result = run("zbarimg", "-q", "--raw", str(png))
    # zbarimg may complain on stderr about D-Bus in containers; only its output counts.
    assert result.returncode == 0, result.stdout + result.stderr
    return [line for line in result.stdout.splitlines() if line]


def images(path: Path) -> int:
    result = run("pdfimages", "-list", str(path))
    assert result.returncode == 0, result.stderr
    return max(0, len(result.stdout.splitlines()) - 2)


@dataclass(frozen=True)
class Word:
    text: str
    page: int
    x0: float
    y0: float  # from the top of the page, in points
    x1: float
    y1: float


def bbox_words(path: Path) -> list[Word]:
    """Every word with its box (pdftotext -bbox), in reading order."""
    result = run("pdftotext", "-bbox", str(path), "-")
    assert result.returncode == 0, result.stderr
    out: list[Word] = []
    page = 0
    for line in result.stdout.splitlines():
        if "<page " in line:
            page += 1
        m = _WORD.search(line)
        if m:
            x0, y0, x1, y1, word = m.groups()
            out.append(
                Word(
                    normalized(html.unescape(word)),
                    page,
                    float(x0),
                    float(y0),
                    float(x1),
                    float(y1),
                )
            )
    return out


_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>'
)


def _stroked(obj: Any) -> bool:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(obj.raw, ctypes.byref(fill), ctypes.byref(stroke))
    return bool(stroke.value)


def _layer(path: Path, index: int, dpi: int, *, text: bool) -> Image.Image:
    """Page ``index`` rendered with only its text (``text``) or only its stroked lines."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[index]
        for obj in list(page.get_objects(max_depth=1)):
            if obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT:
                keep = text
            elif obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
                keep = not text and _stroked(obj)
            else:
                keep = False  # images, and forms (the page total, continuation words, the QR)
            if not keep:
                page.remove_obj(obj)
                obj.close()
        page.gen_content()
        return page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        pdf.close()


def ink_on_rules(path: Path, *, dpi: int = 300, clearance_pt: float = 0.5) -> list[str]:
    """Where text comes within ``clearance_pt`` of a ruled line (a table's grid, a box, a
    dotted line to write on): one "page N: box" entry per page, [] when none does.

    Each page is rendered twice at ``dpi``, once with only its text and once with only its
    stroked lines; the text's ink (its dark core), grown by the clearance, must not meet
    any pixel of a line."""
    found = []
    grow = 2 * max(1, round(clearance_pt * dpi / 72)) + 1
    for index in range(pages(path)):
        ink = _layer(path, index, dpi, text=True).point(lambda v: 255 if v < 128 else 0)
        ink = ink.filter(ImageFilter.MaxFilter(grow))
        rules = _layer(path, index, dpi, text=False).point(lambda v: 255 if v < 250 else 0)
        box = ImageChops.multiply(ink, rules).getbbox()
        if box is not None:
            found.append(f"page {index + 1}: {box}")
    return found
