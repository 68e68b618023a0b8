"""Every document, typeset: no text touches a table's rules, and the text copies as typed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rayong_desktop.db.engine import Database
from rayong_desktop.documents.fonts import load_fonts
from rayong_desktop.documents.text import NBSP, ThaiText
from rayong_desktop.services import printing, registry
from rayong_desktop.services.settings import update_setting
from tests.documents import pdftools
from tests.documents.scenario import W21

# Upper vowel + tone mark stacks at the start of a name, so they sit at the top of its cell.
STACKED_NAME = "ทั้งที่ซึ่งปั้นเชื้อฟื้นฝั่ง ฎุฐูญู"
# A plan row (its row is bold) and a unit listed in the reminders (LAO-MRY missed W21).
STACKED_UNITS = ("R01", "LAO-MRY")


def every_document(db: Database, folder: Path) -> dict[str, Path]:
    """Each document the desk prints, saved under ``folder``."""
    docs = {
        "summary": printing.summary_pdf(db, week=W21),
        "letter": printing.letter_pdf(db, week=W21).data,
        "reminder": printing.reminder_pdf(db, week=W21).data,
        "memo": printing.reminder_pdf(db, week=W21, memo=True).data,
        "form": printing.form_pdf(db, week=W21),
        "unit-form": printing.form_pdf(db, week=W21, unit="LAO-MRY"),
        "poster": printing.poster_pdf(db, unit="LAO-MRY"),
    }
    out = {}
    for name, data in docs.items():
        path = folder / f"{name}.pdf"
        printing.save_pdf(data, path)
        out[name] = path
    return out


@pytest.mark.parametrize("digits", ["thai", "arabic"])
def test_no_table_text_touches_its_rules(
    scenario_db: Database, tmp_path: Path, digits: str
) -> None:
    update_setting(scenario_db, "document_digits", digits)
    for code in STACKED_UNITS:
        registry.edit_unit(scenario_db, code, {"name": f"{STACKED_NAME} {code}"})
    for name, path in every_document(scenario_db, tmp_path).items():
        assert pdftools.ink_on_rules(path) == [], name


def test_the_rule_check_sees_a_mark_on_a_rule(tmp_path: Path) -> None:
    """The check itself: text drawn across a line is found, text clear of it is not."""
    from reportlab.pdfgen.canvas import Canvas

    from rayong_desktop.documents.text import ThaiText
    from rayong_desktop.settings import AppSettings

    text = ThaiText.for_settings(AppSettings())
    for gap, touches in ((-2.0, True), (3.0, False)):
        path = tmp_path / f"gap{gap}.pdf"
        canvas = Canvas(str(path))
        canvas.line(50, 700, 400, 700)
        # The stack of ที่ reaches about 1.25 em above the baseline.
        size = text.size(16)
        text.draw(canvas, 60, 700 - 1.25 * size - gap, "ที่ทั้ง", 16)
        canvas.save()
        assert bool(pdftools.ink_on_rules(path)) is touches, gap


# ---------------------------------------------------------------- figures and digits


@pytest.mark.parametrize(("digits", "shown"), [("thai", "๑๐,๐๐๐"), ("arabic", "10,000")])
def test_the_plans_difference_is_printed_in_the_summary_and_the_letter(
    scenario_db: Database, tmp_path: Path, digits: str, shown: str
) -> None:
    # The seed plan's rows add up to 241,000 while it prints 231,000.
    update_setting(scenario_db, "document_digits", digits)
    docs = every_document(scenario_db, tmp_path)
    summary = " ".join(pdftools.text(docs["summary"]).split())
    assert f"ต่างกัน {shown} ราย" in summary
    letter = " ".join(pdftools.text(docs["letter"]).split())
    assert f"ที่พิมพ์ไว้ในแผน ต่างกัน {shown} ราย" in letter


def test_no_difference_is_printed_when_the_plan_adds_up(
    scenario_db: Database, tmp_path: Path
) -> None:
    update_setting(scenario_db, "plan_stated_total", "")
    docs = every_document(scenario_db, tmp_path)
    for name in ("summary", "letter"):
        assert "ต่างกัน" not in pdftools.text(docs[name]), name


def test_thai_digit_mode_leaves_arabic_digits_only_inside_latin_codes(
    scenario_db: Database, tmp_path: Path
) -> None:
    update_setting(scenario_db, "document_digits", "thai")
    update_setting(scenario_db, "office_email", "saraban2563@rayong.go.th")
    update_setting(
        scenario_db,
        "letter_reference",
        "หนังสือจังหวัดระยอง ที่ รย 0023.1/ว 2563 เรื่อง โรคติดเชื้อไวรัสโคโรนา 2019 (COVID-19)",
    )
    docs = every_document(scenario_db, tmp_path)
    for name, path in docs.items():
        if name == "poster":
            continue  # the slogan is printed as typed ("ใส่หน้ากากด้วย 100%")
        for token in pdftools.text(path).split():
            if any(c in "0123456789" for c in token):
                # A unit code (R01), the week code, COVID-19, an e-mail address.
                assert re.search(r"[A-Za-z@]", token), (name, token)
    letter = " ".join(pdftools.text(docs["letter"]).split())
    assert "ที่ รย ๐๐๒๓.๑/ว ๒๕๖๓ เรื่อง โรคติดเชื้อไวรัสโคโรนา ๒๐๑๙ (COVID-19)" in letter
    assert "saraban2563@rayong.go.th" in letter
    summary = " ".join(pdftools.text(docs["summary"]).split())
    assert "สัปดาห์ที่ ๒๑ ปี ๒๕๖๓" in summary and "2020-W21" not in summary
    # The chart's axis and dates follow the setting too.
    assert "๑๐๐,๐๐๐" in summary and "๑๘ พ.ค." in summary


def test_the_digit_rule_keeps_latin_words_and_codes_as_written() -> None:
    thai = ThaiText(load_fonts("sarabun"), thai_digits=True)
    arabic = ThaiText(load_fonts("sarabun"), thai_digits=False)
    typed = (
        "โคโรนา 2019 (COVID-19) ที่ รย 0023.1/ว 12 ลงวันที่ 1 พ.ค. 2563 2020-W20 "
        "a1@rayong.go.th www.rayong2.go.th https://line.me/R/ti/p/%40a1 โทร. 038-611-001"
    )
    assert thai.digits(typed) == (
        "โคโรนา ๒๐๑๙ (COVID-19) ที่ รย ๐๐๒๓.๑/ว ๑๒ ลงวันที่ ๑ พ.ค. ๒๕๖๓ 2020-W20 "
        "a1@rayong.go.th www.rayong2.go.th https://line.me/R/ti/p/%40a1 โทร. ๐๓๘-๖๑๑-๐๐๑"
    )
    assert arabic.digits(thai.digits(typed)) == typed
    assert thai.week_name(W21) == f"สัปดาห์ที่{NBSP}๒๑ ปี{NBSP}๒๕๖๓"
    assert arabic.week_name(W21) == "2020-W21"


def test_a_long_office_name_never_runs_over_the_page_number(
    scenario_db: Database, tmp_path: Path
) -> None:
    update_setting(scenario_db, "office_name", "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดระยอง " * 4)
    path = tmp_path / "summary.pdf"
    printing.save_pdf(printing.summary_pdf(scenario_db, week=W21), path)
    words = pdftools.bbox_words(path)
    for page in range(1, pdftools.pages(path) + 1):
        on_page = [w for w in words if w.page == page]
        label = next(w for w in on_page if w.text == "หน้า" and w.y0 > 780)
        for w in on_page:
            if w is not label and w.x1 > label.x0:
                assert w.y1 < label.y0 - 1 or w.y0 > label.y1 + 1 or w.x0 > label.x0, w
            assert w.x0 >= 0 and w.x1 <= 595.3, w


# ---------------------------------------------------------------- letters

CM = 72 / 2.54
A4_W = 595.28


def test_the_reference_prints_the_provinces_letter_by_number_and_date(
    scenario_db: Database, tmp_path: Path
) -> None:
    update_setting(scenario_db, "document_digits", "thai")
    path = tmp_path / "letter.pdf"
    printing.save_pdf(printing.letter_pdf(scenario_db, week=W21).data, path)
    text = " ".join(pdftools.text(path).split())
    # Until the date is set, a dotted space is left to write it in.
    assert "อ้างถึง หนังสือจังหวัดระยอง ด่วนที่สุด ที่ รย ๐๐๒๓.๑/ว ๒๕๖๓ ลงวันที่ ....." in text
    update_setting(scenario_db, "letter_reference_date", "2020-04-30")
    printing.save_pdf(printing.reminder_pdf(scenario_db, week=W21).data, path)
    text = " ".join(pdftools.text(path).split())
    assert "ที่ รย ๐๐๒๓.๑/ว ๒๕๖๓ ลงวันที่ ๓๐ เมษายน ๒๕๖๓" in text


def test_body_paragraphs_are_justified_with_a_ragged_last_line(
    scenario_db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "letter.pdf"
    printing.save_pdf(printing.letter_pdf(scenario_db, week=W21).data, path)
    words = pdftools.bbox_words(path)
    right = A4_W - 2 * CM
    lines: dict[float, float] = {}
    for w in words:
        assert w.x1 <= right + 0.5, w  # nothing crosses the right margin
        key = round(w.y1)
        lines[key] = max(lines.get(key, 0.0), w.x1)
    flush = [y for y, x1 in lines.items() if abs(x1 - right) < 1.0]
    # Every line of the two body paragraphs but their last ends at the margin.
    assert len(flush) >= 8, sorted(lines.items())
    # The extra space went between words, not into them: the text copies as typed.
    flat = " ".join(pdftools.text(path).split())
    for phrase in (
        "เพื่อเป็นช่องทางสำหรับการเผยแพร่ประชาสัมพันธ์การป้องกันควบคุมแก้ไข",
        "หน่วยงานที่ต้องรายงานในสัปดาห์นี้",
    ):
        assert pdftools.normalized(phrase) in flat, phrase


def test_the_memo_title_is_centred_on_the_text_area(scenario_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "memo.pdf"
    printing.save_pdf(printing.reminder_pdf(scenario_db, week=W21, memo=True).data, path)
    title = next(w for w in pdftools.bbox_words(path) if w.text == "บันทึกข้อความ")
    centre = (3 * CM + A4_W - 2 * CM) / 2
    assert abs((title.x0 + title.x1) / 2 - centre) < 1.5, title


def test_a_reference_date_that_is_not_a_date_is_refused_in_thai(scenario_db: Database) -> None:
    from rayong_desktop.domain.errors import RefusedError
    from rayong_desktop.services.settings import get_settings

    with pytest.raises(RefusedError) as refused:
        update_setting(scenario_db, "letter_reference_date", "30/4/2563")
    assert "ปปปป-ดด-วว" in refused.value.th
    assert get_settings(scenario_db).letter_reference_date == ""


# ---------------------------------------------------------------- copy and search

# Typed strings every document must give back exactly, per document: SARA AM words, words
# with the fi/fl ligatures, stacked and lowered marks, an @ID and an e-mail address.
THAI_NAME = "สำนักงานน้ำบาดาลและฟื้นฟูทรัพยากรธรรมชาติ ฤดูฝน ผู้ใหญ่บ้าน กำนัน ญุ ฐุ"
EMAIL = "official.flow@rayong.fight"
CORPUS = {
    "summary": ("สำนักงาน", "น้ำ", THAI_NAME, "Line Official Account", "สรุปผลการรายงานจำนวน"),
    "letter": ("สำนักงาน", "Official", EMAIL, "จึงเรียนมาเพื่อโปรดทราบ", "กำหนด"),
    "reminder": ("สำนักงาน", "Official", EMAIL, THAI_NAME, "จำนวน"),
    "memo": ("สำนักงาน", "Official", THAI_NAME, "บันทึกข้อความ"),
    "form": ("สำนักงาน", "Official", EMAIL, "จำนวนผู้เข้าร่วมกลุ่มสะสม", "กำหนดส่ง"),
    "unit-form": ("สำนักงาน", THAI_NAME, "ผู้รายงาน"),
    "poster": ("@rayong.fight", "Official", THAI_NAME, "สำนักงาน"),
}


def test_every_document_copies_out_exactly_as_typed(scenario_db: Database, tmp_path: Path) -> None:
    update_setting(scenario_db, "office_email", EMAIL)
    update_setting(scenario_db, "oa_id", "@rayong.fight")
    update_setting(scenario_db, "document_digits", "thai")
    registry.edit_unit(scenario_db, "LAO-MRY", {"name": THAI_NAME})
    for name, path in every_document(scenario_db, tmp_path).items():
        extracted = pdftools.text(path, exact=True)
        flat = " ".join(extracted.split())
        for typed in CORPUS[name]:
            assert typed in flat, (name, typed)
        # Nothing comes back as ํ + า, as a ligature or as a private-use code.
        assert "\u0e4d\u0e32" not in extracted, name
        assert not any("\ufb00" <= c <= "\ufb06" for c in extracted), name
        assert not any("\ue000" <= c <= "\uf8ff" for c in extracted), name


# ---------------------------------------------------------------- posters and the form

PROVINCE_SLOGAN = ("มาร่วมมือ ร่วมใจ", "ใส่หน้ากากผ้า และหน้ากากอนามัย", "ทุกคนใส่หน้ากากด้วย 100%")


def lines_of(path: Path) -> list[str]:
    return [" ".join(line.split()) for line in pdftools.text(path).splitlines() if line.strip()]


@pytest.mark.parametrize("unit", [None, "LAO-MRY"])
def test_the_slogan_keeps_its_typed_lines(
    scenario_db: Database, tmp_path: Path, unit: str | None
) -> None:
    # The default is the province's poster, typed on three lines.
    path = tmp_path / "poster.pdf"
    printing.save_pdf(printing.poster_pdf(scenario_db, unit=unit), path)
    lines = lines_of(path)
    at = lines.index(pdftools.normalized(PROVINCE_SLOGAN[0]))
    assert lines[at : at + 3] == [pdftools.normalized(s) for s in PROVINCE_SLOGAN]
    assert pdftools.ink_on_rules(path) == []


def test_a_slogan_on_one_line_breaks_between_its_phrases(
    scenario_db: Database, tmp_path: Path
) -> None:
    phrases = ["ร่วมมือร่วมใจ", "ใส่หน้ากากอนามัยทุกครั้งที่ออกจากบ้าน", "ล้างมือบ่อย ๆ"] * 2
    update_setting(scenario_db, "poster_slogan", " ".join(phrases))
    path = tmp_path / "poster.pdf"
    printing.save_pdf(printing.poster_pdf(scenario_db), path)
    lines = lines_of(path)
    start = next(i for i, line in enumerate(lines) if line.startswith(phrases[0]))
    printed = lines[start : start + 2]
    assert " ".join(printed) == pdftools.normalized(" ".join(phrases))
    for line in printed:  # each line is whole phrases
        assert line.replace("ๆ ", "ๆ|").replace(" ", "|").split("|")[0] in phrases, line


def test_a_long_office_name_fits_the_poster_footer_with_its_phone(
    scenario_db: Database, tmp_path: Path
) -> None:
    long_name = "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดระยอง ศาลากลางจังหวัดระยอง " * 3
    update_setting(scenario_db, "office_name", long_name)
    for size, width in (("A4", 595.3), ("A3", 842.0)):
        path = tmp_path / f"poster-{size}.pdf"
        printing.save_pdf(printing.poster_pdf(scenario_db, unit="LAO-MRY", size=size), path)
        words = pdftools.bbox_words(path)
        assert all(w.x0 >= 0 and w.x1 <= width for w in words), size
        assert "โทร. 0-3869-4191-2" in lines_of(path), size  # on a line of its own
        # Nothing overprints: no two words' boxes overlap.
        for i, a in enumerate(words):
            for b in words[i + 1 :]:
                overlap_x = min(a.x1, b.x1) - max(a.x0, b.x0)
                overlap_y = min(a.y1, b.y1) - max(a.y0, b.y0)
                assert overlap_x <= 0.5 or overlap_y <= 0.5, (a, b)


def test_the_blank_form_carries_the_provinces_contact_lines_and_a_signature_line(
    scenario_db: Database, tmp_path: Path
) -> None:
    update_setting(scenario_db, "document_digits", "thai")
    update_setting(scenario_db, "office_fax", "๐-๓๘๖๙-๔๑๙๓")
    path = tmp_path / "form.pdf"
    printing.save_pdf(printing.form_pdf(scenario_db, week=W21), path)
    text = " ".join(lines_of(path))
    assert "โทร. ๐-๓๘๖๙-๔๑๙๑-๒" in text and "โทรสาร ๐-๓๘๖๙-๔๑๙๓" in text
    assert "ลงชื่อผู้รายงาน" in text


def test_a_wrapped_unit_name_has_its_label_on_its_first_line(
    scenario_db: Database, tmp_path: Path
) -> None:
    name = "สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอเมืองระยอง และสำนักงานเทศบาลนครระยอง " * 2
    registry.edit_unit(scenario_db, "LAO-MRY", {"name": name.strip()})
    path = tmp_path / "form.pdf"
    printing.save_pdf(printing.form_pdf(scenario_db, week=W21, unit="LAO-MRY"), path)
    words = pdftools.bbox_words(path)
    label = next(w for w in words if w.text == "หน่วยงาน" and w.x0 < 80)
    first = next(
        w
        for w in words
        if w.text == pdftools.normalized("สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอเมืองระยอง")
    )
    code_label = next(w for w in words if w.text == "รหัสหน่วย")
    assert abs(label.y1 - first.y1) < 1, (label, first)
    assert code_label.y1 - label.y1 > 2.5 * (label.y1 - label.y0)  # the name took 3 lines
    assert pdftools.ink_on_rules(path) == []
