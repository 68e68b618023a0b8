"""The Thai text layer: line breaking between words, digits and dates, fonts, shaping, copying."""

from __future__ import annotations

import shutil
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth

from rayong_desktop.documents.fonts import SIZE_FACTOR, find_th_sarabun_new, load_fonts
from rayong_desktop.documents.pdf import Margins, render
from rayong_desktop.documents.text import NBSP, ThaiText, pieces, wrap_lines
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.fonts import sarabun_path
from tests.documents import pdftools

# The province's own sentence: Thai without spaces between words, Latin, digits, ๆ.
SEED = (
    "ด้วยสถานการณ์การแพร่ระบาดของเชื้อไวรัสโคโรนา 2019 (COVID-19) ของประเทศไทยในปัจจุบัน "
    "ซึ่งต้องใช้ระยะเวลาอีกพอสมควรในการจัดการกับสถานการณ์ดังกล่าว จังหวัดระยองจึงได้จัดทำกลุ่ม "
    "Line Official Account ภายใต้ชื่อ “Rayong Fight Covid” เพื่อเป็นช่องทางสำหรับการเผยแพร่"
    "ประชาสัมพันธ์ตามช่องทางต่าง ๆ ให้ประชาชนในจังหวัดระยองได้รับทราบข้อมูลข่าวสารที่ถูกต้อง "
    "รวดเร็ว และทันต่อสถานการณ์ ให้กำนัน/ผู้ใหญ่บ้าน อสม./อปพร. ลงพื้นที่"
)
MARKS = "ที่ ซึ่ง ปั้น เชื้อ น้ำ ญุ ฐุ ผู้ใหญ่บ้าน กำนัน"


@pytest.fixture(scope="module")
def fonts() -> str:
    return load_fonts("sarabun").regular


def _squash(s: str) -> str:
    return "".join(s.split())


def _words_of(s: str) -> set[int]:
    """Offsets (in the text without spaces) where a line may end: where newmm says a word
    ends, and where the text has a space."""
    from pythainlp.tokenize import word_tokenize

    ends: set[int] = set()
    offset = 0
    for token in word_tokenize(_squash(s), engine="newmm"):
        offset += len(token)
        ends.add(offset)
    offset = 0
    for part in s.split():
        offset += len(part)
        ends.add(offset)
    return ends


@pytest.mark.parametrize("width", [90, 140, 200, 260, 330, 420])
def test_lines_break_between_words_and_fit(fonts: str, width: float) -> None:
    lines = wrap_lines(SEED, fonts, 10.56, width)
    assert _squash("".join(lines)) == _squash(SEED), "text lost or changed"
    allowed = _words_of(SEED)
    offset = 0
    for line in lines[:-1]:
        assert stringWidth(line, fonts, 10.56) <= width, line
        offset += len(_squash(line))
        assert offset in allowed, f"line ends inside a word: {line!r}"
    for line in lines[1:]:
        first = line[0]
        assert first not in "ๆฯ", lines
        assert unicodedata.category(first) != "Mn" and first != "\u0e33", lines
    assert all("(COVID-19)" in line for line in lines if "COVID" in line), lines


def test_repetition_mark_stays_with_its_word_at_every_width(fonts: str) -> None:
    text = "ให้ประชาชนได้รับทราบตามช่องทางต่าง ๆ และกรุงเทพฯ ด้วย"
    for width in range(40, 260, 3):
        lines = wrap_lines(text, fonts, 10.56, width)
        for line in lines:
            assert not line.startswith(("ๆ", "ฯ")), (width, lines)
        assert _squash("".join(lines)) == _squash(text)


def test_no_break_spaces_hold_dates_and_latin_words_stay_whole(fonts: str) -> None:
    text = f"ประจำสัปดาห์ระหว่างวันที่ 18–24{NBSP}พฤษภาคม{NBSP}2563 กลุ่ม Line Official Account"
    # From the width the date needs: a narrower line has to cut it somewhere.
    for width in range(110, 300, 4):
        for line in wrap_lines(text, fonts, 10.56, width):
            assert not line.startswith(("พฤษภาคม", "2563")), line
    assert "โคโรนา" in pieces("เชื้อไวรัสโคโรนา")
    assert "อำเภอบ้านฉาง" in pieces("สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอบ้านฉาง")


def test_a_word_wider_than_the_line_is_cut_between_letter_clusters(fonts: str) -> None:
    lines = wrap_lines("ผู้ใหญ่บ้านผู้ใหญ่บ้านผู้ใหญ่บ้าน", fonts, 10.56, 25)
    assert len(lines) > 1
    assert "".join(lines) == "ผู้ใหญ่บ้านผู้ใหญ่บ้านผู้ใหญ่บ้าน"
    for line in lines:
        assert unicodedata.category(line[0]) != "Mn", lines


def test_digits_and_buddhist_era_dates_follow_the_setting() -> None:
    thai = ThaiText(load_fonts("sarabun"), thai_digits=True)
    arabic = ThaiText(load_fonts("sarabun"), thai_digits=False)
    assert thai.number(231_000) == "๒๓๑,๐๐๐"
    assert arabic.number(231_000) == "231,000"
    assert thai.percent(28.57) == "๒๘.๖%" and thai.percent_number(28.57) == "๒๘.๖"
    assert arabic.signed(1250) == "+1,250" and arabic.signed(-30) == "-30"
    assert thai.full_date(date(2020, 5, 7)) == f"๗{NBSP}พฤษภาคม{NBSP}๒๕๖๓"
    assert arabic.week_range(date(2020, 5, 18)) == f"18–24{NBSP}พฤษภาคม{NBSP}2563"
    assert arabic.week_range(date(2020, 4, 27)) == f"27{NBSP}เมษายน – 3{NBSP}พฤษภาคม{NBSP}2563"
    # 15:00 Bangkok is 08:00 UTC.
    assert arabic.date_time(datetime(2020, 5, 22, 8, 0, tzinfo=UTC)) == (
        f"22{NBSP}พ.ค.{NBSP}2563{NBSP}15.00{NBSP}น."
    )
    # Typed codes and phones come out in the document's digits whichever set was typed.
    assert arabic.digits("รย ๐๐๒๓.๑") == "รย 0023.1"
    assert thai.digits("038-611-001") == "๐๓๘-๖๑๑-๐๐๑"


def test_th_sarabun_new_is_found_by_file_name_and_sized_one_to_one(tmp_path: Path) -> None:
    fonts_dir = tmp_path / "Fonts" / "thai"
    fonts_dir.mkdir(parents=True)
    # Any TrueType file stands in for the national font; discovery goes by the file name.
    shutil.copyfile(sarabun_path("Regular"), fonts_dir / "THSarabunNew.ttf")
    shutil.copyfile(sarabun_path("Bold"), fonts_dir / "THSarabunNew Bold.ttf")
    found = find_th_sarabun_new([tmp_path / "missing", tmp_path / "Fonts"])
    assert found == (fonts_dir / "THSarabunNew.ttf", fonts_dir / "THSarabunNew Bold.ttf")

    chosen = load_fonts("auto", folders=[tmp_path / "Fonts"])
    assert chosen.kind == "th_sarabun_new" and chosen.size(16) == 16
    assert load_fonts("th_sarabun_new", folders=[tmp_path / "Fonts"]) == chosen

    bundled = load_fonts("auto", folders=[tmp_path / "missing"])
    assert bundled.kind == "sarabun"
    assert bundled.size(16) == pytest.approx(16 * SIZE_FACTOR["sarabun"]) == pytest.approx(10.56)
    assert load_fonts("sarabun", folders=[tmp_path / "Fonts"]).kind == "sarabun"
    with pytest.raises(RefusedError) as refused:
        load_fonts("th_sarabun_new", folders=[tmp_path / "missing"])
    assert refused.value.code == "font_missing"
    with pytest.raises(RefusedError):
        load_fonts("comic_sans")


def test_shaped_thai_is_embedded_and_copies_out_as_typed(tmp_path: Path) -> None:
    text = ThaiText(load_fonts("sarabun"), thai_digits=False)
    assert hasattr(text.shaped("ผู้ใหญ่บ้าน", text.font(), 12), "__shapeData__")
    style = text.style("t", 16)

    def page(canvas: object, doc: object) -> None:
        text.draw(canvas, 72, 700, MARKS, 16)

    data = render(
        [text.paragraph(MARKS, style, 400), text.paragraph(SEED, style, 400)],
        text=text,
        pagesize=A4,
        margins=Margins(),
        title="marks",
        author="test",
        on_first_page=page,
    )
    path = tmp_path / "marks.pdf"
    path.write_bytes(data)
    extracted = pdftools.check(path)
    # Tone marks over short letters and ญ/ฐ without their tails are glyphs the font reaches
    # only through shaping; they must still copy out as the letters that were typed.
    assert not any("\ue000" <= ch <= "\uf8ff" for ch in extracted), repr(extracted)
    squashed = _squash(extracted)
    for word in MARKS.split():
        assert _squash(pdftools.normalized(word)) in squashed, word
