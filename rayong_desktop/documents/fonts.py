"""The Thai fonts of every printed document: which one, how large, and embedded so text copies.

Offices expect "TH Sarabun New 16 pt". When that font is installed (Windows and Linux font
folders are searched) it is used as is; otherwise the bundled Sarabun, whose glyphs are about
1.5x larger at the same point size, is scaled down by SIZE_FACTOR so a page looks the same.
Document code always speaks in TH Sarabun points and asks FontSet.size() for the real size.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import uharfbuzz
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase._glyphlist import _glyphname2unicode as _agl_codes
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.fonts import sarabun_path
from rayong_desktop.settings import setting_label

FONT_CHOICES = ("auto", "th_sarabun_new", "sarabun")

# The one place the size equivalence lives: multiply a TH Sarabun point size by this.
SIZE_FACTOR: dict[str, float] = {"th_sarabun_new": 1.0, "sarabun": 0.66}
# Single line spacing of TH Sarabun (Word's "single" for 16 pt is about 20.8 pt). It is a
# property of the page, not of the font file, so it is not scaled by SIZE_FACTOR.
LINE_SPACING = 1.3

_TH_SARABUN_REGULAR = ("thsarabunnew", "thsarabunnewregular")
_TH_SARABUN_BOLD = ("thsarabunnewbold",)
_NAME_NOISE = re.compile(r"[\s_\-]+")
_PRIVATE_USE = range(0xE000, 0xF900)
_LIGATURES = range(0xFB00, 0xFB07)  # ff fi fl ffi ffl ſt st: one glyph, several letters
_UNI_NAME = re.compile(r"uni((?:[0-9A-Fa-f]{4})+)")
_U_NAME = re.compile(r"u([0-9A-Fa-f]{4,6})")
_THAI_TONES = frozenset("\u0e48\u0e49\u0e4a\u0e4b")
_NIKHAHIT = "\u0e4d"


@dataclass(frozen=True)
class FontSet:
    """Registered ReportLab font names for one document's text, and how to size them."""

    kind: str  # "th_sarabun_new" or "sarabun"
    regular: str
    bold: str
    path: Path

    @property
    def factor(self) -> float:
        return SIZE_FACTOR[self.kind]

    def size(self, th_points: float) -> float:
        """The point size that looks like ``th_points`` of TH Sarabun New."""
        return th_points * self.factor

    @staticmethod
    def leading(th_points: float) -> float:
        return th_points * LINE_SPACING


class ThaiTTFont(TTFont):  # type: ignore[misc]  # ReportLab ships no type hints
    """A TrueType font whose shaped Thai copies out of the PDF as the letters that were typed.

    HarfBuzz picks glyph variants that the font's cmap does not reach (a tone mark lowered
    over a short consonant, ญ without its tail above a lower vowel). ReportLab gives each such
    glyph a private-use code and writes that code into the ToUnicode map, so copying "ที่"
    or searching the PDF finds garbage. The variants are named after their base letters
    ("uni0E48.small", "yoYingthai.less", "uni0E4D0E49"), so the map is rewritten from the names.
    """

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        # Snapshot before shaping adds private codes to the same table.
        self._cmap_codes = frozenset(self.face.charToGlyph)
        self._names_to_text: dict[str, str] | None = None

    def _letters_by_glyph_name(self) -> dict[str, str]:
        if self._names_to_text is None:
            hb_font = self.hbFont(10)
            names: dict[str, str] = {}
            for code in sorted(self._cmap_codes):
                gid = self.face.charToGlyph[code]
                names.setdefault(hb_font.glyph_to_string(gid), chr(code))
            self._names_to_text = names
        return self._names_to_text

    def glyph_text(self, glyph_name: str) -> str | None:
        """The letters a variant glyph stands for, in typing order; None if unknown."""
        by_name = self._letters_by_glyph_name()
        letters: list[str] = []
        for part in glyph_name.split(".")[0].split("_"):
            if part in by_name:
                letters.append(by_name[part])
            elif (m := _UNI_NAME.fullmatch(part)) is not None:
                hexes = m.group(1)
                letters += [chr(int(hexes[i : i + 4], 16)) for i in range(0, len(hexes), 4)]
            elif (m := _U_NAME.fullmatch(part)) is not None:
                letters.append(chr(int(m.group(1), 16)))
            elif (code := _agl_codes.get(part, _agl_codes.get(part.lower()))) is not None:
                # Design names ("yoYingthai") follow the Adobe Glyph List, case aside.
                letters.append(chr(code))
            else:
                return None
        # HarfBuzz splits SARA AM and draws its NIKHAHIT before the tone mark; typed text has
        # the tone first, so put it back for search and copy.
        if _NIKHAHIT in letters and any(c in _THAI_TONES for c in letters):
            letters = [c for c in letters if c != _NIKHAHIT] + [_NIKHAHIT]
        return "".join(letters)

    def _private_text(self, code: int) -> str | None:
        if code in _LIGATURES:
            return unicodedata.normalize("NFKC", chr(code))  # "fi", not U+FB01
        if code not in _PRIVATE_USE or code in self._cmap_codes:
            return None
        gid = self.face.charToGlyph.get(code)
        if gid is None:
            return None
        return self.glyph_text(self.hbFont(10).glyph_to_string(gid))

    def addObjects(self, doc: Any) -> None:  # noqa: N802 - ReportLab's name
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        super().addObjects(doc)
        for n, subset in enumerate(subsets):
            fixes = {i: t for i, code in enumerate(subset) if (t := self._private_text(code))}
            if not fixes:
                continue
            base = (SUBSETN(n) + b"+" + self.face.name + self.face.subfontNameX).decode("pdfdoc")
            stream = doc.idToObject.get("toUnicodeCMap:" + base)
            if stream is None:
                continue

            def utf16(text: str) -> str:
                return text.encode("utf-16-be").hex().upper()

            def repl(m: re.Match[str], fixes: dict[int, str] = fixes) -> str:
                index = int(m.group(1), 16)
                return f"<{m.group(1)}> <{utf16(fixes[index])}>" if index in fixes else m.group(0)

            stream.content = re.sub(r"<([0-9A-F]{2})> <([0-9A-F]{4})>", repl, stream.content)


# The text whose ink reaches highest and lowest: an upper vowel with a tone mark above it,
# lower vowels under the tall consonants, and the Latin, digits and brackets documents print.
INK_PROBE = (
    "ที่ ซึ่ง ปั้น เชื้อ ทั้ง ฟื้น ปี่ ฝั่ง ป๋ ฟิ้ ฬ้ ญู ฎุ ฏู ฐุ ฤๅ ฦ ฮั่ ๙ ๗",
    "COVID-19 gjpqy Official @rayong.fight ()[]{}|/%",
)


@lru_cache(maxsize=16)
def ink_extent(font_name: str) -> tuple[float, float]:
    """How far the ink of shaped text reaches above and below its baseline, in ems (the
    second figure negative): measured from the font's own glyphs as HarfBuzz places them,
    so a stacked tone mark is as high as it really prints."""
    font = pdfmetrics.getFont(font_name)
    hb_font = uharfbuzz.Font(font.hbFace)
    upem = float(font.hbFace.upem)
    top, bottom = 0.0, 0.0
    for line in INK_PROBE:
        for word in line.split():
            buf = uharfbuzz.Buffer()
            buf.add_str(word)
            buf.guess_segment_properties()
            uharfbuzz.shape(hb_font, buf, {})
            for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
                ext = hb_font.get_glyph_extents(info.codepoint)
                if ext is None:
                    continue
                glyph_top = pos.y_offset + ext.y_bearing
                top = max(top, glyph_top)
                bottom = min(bottom, glyph_top + ext.height)
    return top / upem, bottom / upem


def font_folders() -> list[Path]:
    """Where Windows, Linux and macOS keep installed fonts, system-wide and per user."""
    home = Path.home()
    folders: list[Path] = []
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT") or r"C:\Windows"
        folders.append(Path(windir) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            folders.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    else:
        folders += [
            Path("/usr/share/fonts"),
            Path("/usr/local/share/fonts"),
            home / ".local" / "share" / "fonts",
            home / ".fonts",
            Path("/Library/Fonts"),
            home / "Library" / "Fonts",
        ]
    return folders


def _normalized(stem: str) -> str:
    return _NAME_NOISE.sub("", stem).lower()


def find_th_sarabun_new(folders: Iterable[Path] | None = None) -> tuple[Path, Path | None] | None:
    """The installed TH Sarabun New (regular, bold or None), or None when it is not installed.

    Matched by file name, which is how the national font is distributed ("THSarabunNew.ttf",
    "THSarabunNew Bold.ttf", "THSarabunNew-Bold.ttf").
    """
    regular: Path | None = None
    bold: Path | None = None
    for folder in folders if folders is not None else font_folders():
        if not folder.is_dir():
            continue
        for root, _dirs, files in os.walk(folder):
            for name in files:
                stem, dot, ext = name.rpartition(".")
                if not dot or ext.lower() != "ttf":
                    continue
                key = _normalized(stem)
                if regular is None and key in _TH_SARABUN_REGULAR:
                    regular = Path(root) / name
                elif bold is None and key in _TH_SARABUN_BOLD:
                    bold = Path(root) / name
        if regular is not None:
            break
    return None if regular is None else (regular, bold)


@lru_cache(maxsize=1)
def _installed_th_sarabun_new() -> tuple[Path, Path | None] | None:
    # Walking the font folders takes a moment; fonts installed while the desk runs are seen
    # at its next start, as in most Windows programs.
    return find_th_sarabun_new(None)


_lock = threading.Lock()
_registered: dict[tuple[str, Path], FontSet] = {}


def _register(kind: str, regular: Path, bold: Path | None, prefix: str) -> FontSet:
    key = (kind, regular)
    with _lock:
        found = _registered.get(key)
        if found is not None:
            return found
        # A per-file suffix keeps two different files of the same family apart in one process.
        suffix = str(len(_registered))
        regular_name = f"{prefix}{suffix}"
        pdfmetrics.registerFont(ThaiTTFont(regular_name, str(regular)))
        bold_name = regular_name
        if bold is not None:
            bold_name = f"{prefix}{suffix}-Bold"
            pdfmetrics.registerFont(ThaiTTFont(bold_name, str(bold)))
        # <b> inside a Paragraph finds the bold face through the family.
        pdfmetrics.registerFontFamily(
            regular_name,
            normal=regular_name,
            bold=bold_name,
            italic=regular_name,
            boldItalic=bold_name,
        )
        fonts = FontSet(kind=kind, regular=regular_name, bold=bold_name, path=regular)
        _registered[key] = fonts
        return fonts


def load_fonts(choice: str = "auto", *, folders: Sequence[Path] | None = None) -> FontSet:
    """Register and return the document fonts for the ``document_font`` setting.

    "auto" takes an installed TH Sarabun New, else the bundled Sarabun; "th_sarabun_new" is
    refused when the font is not installed (the clerk asked for it by name); "sarabun" always
    takes the bundled font.
    """
    choice = choice.strip().lower()
    if choice not in FONT_CHOICES:
        raise RefusedError(
            f"ไม่รู้จักแบบอักษร '{choice}' (เลือกได้: {', '.join(FONT_CHOICES)})",
            f"unknown document font '{choice}' (one of: {', '.join(FONT_CHOICES)})",
            code="bad_font",
        )
    if choice != "sarabun":
        found = _installed_th_sarabun_new() if folders is None else find_th_sarabun_new(folders)
        if found is not None:
            return _register("th_sarabun_new", found[0], found[1], "THSarabunNew")
        if choice == "th_sarabun_new":
            raise RefusedError(
                "ไม่พบแบบอักษร TH Sarabun New ในเครื่องนี้ ให้ติดตั้งแบบอักษร "
                f"หรือเลือกแบบอักษรอื่นที่ {setting_label('document_font')}",
                "TH Sarabun New is not installed on this computer: install it, or set "
                "document_font to auto or sarabun",
                code="font_missing",
            )
    return _register("sarabun", sarabun_path("Regular"), sarabun_path("Bold"), "Sarabun")
