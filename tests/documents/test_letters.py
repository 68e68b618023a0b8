"""The letter to the governor and the reminders: the official format, the figures, the numbers."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import select

from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import AuditLog
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.domain.numbers import format_int, format_percent
from rayong_desktop.services import printing
from rayong_desktop.services.settings import get_settings, update_setting
from tests.documents import pdftools
from tests.documents.scenario import W21
from tests.helpers import CliResult

Cli = Callable[..., CliResult]
CM = 72 / 2.54
A4_W, A4_H = 595.28, 841.89
N = pdftools.normalized


def flat(path: Path, **kwargs: Any) -> str:
    return " ".join(pdftools.text(path, **kwargs).split())


def first_word(words: list[pdftools.Word], text: str, page: int = 1) -> pdftools.Word:
    for w in words:
        if w.page == page and w.text == N(text):
            return w
    raise AssertionError(f"{text!r} not on page {page}")


def issued(db: Database) -> list[AuditLog]:
    with db.reading() as session:
        return list(
            session.scalars(
                select(AuditLog).where(AuditLog.entity == "letter").order_by(AuditLog.id)
            )
        )


def test_the_letter_states_the_weeks_figures_as_status_reports_them(
    scenario_db: Database, cli: Cli, tmp_path: Path
) -> None:
    t = cli("status", "--week", "2020-W21", "--json").json()["totals"]
    out = tmp_path / "letter.pdf"
    printing.letter_pdf(scenario_db, week=W21, issue=True, out=out)
    pdftools.check(out)
    text = flat(out)
    for part in (
        "ที่ รย 0023.1/1",
        "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดระยอง",
        "22 พฤษภาคม 2563",
        "เรื่อง รายงานผลการเชิญชวนเข้าร่วมกลุ่ม Line Official Account",
        "เรียน ผู้ว่าราชการจังหวัดระยอง",
        "อ้างถึง หนังสือจังหวัดระยอง ด่วนที่สุด ที่ รย 0023.1/ว 2563",
        "สิ่งที่ส่งมาด้วย สรุปผลการรายงานจำนวนผู้เข้าร่วมกลุ่ม",
        f"มีผู้เข้าร่วมกลุ่มสะสมทั้งสิ้น {format_int(t['count'])} ราย",
        f"คิดเป็นร้อยละ {format_percent(100 * t['count'] / t['quota']).rstrip('%')}",
        f"ของเป้าหมาย {format_int(t['quota'])} ราย",
        f"เพิ่มขึ้นจากสัปดาห์ก่อน {format_int(t['increase'])} ราย",
        f"ต้องรายงานในสัปดาห์นี้ {t['expected']} แห่ง",
        f"รายงานแล้ว {t['received']} แห่ง",
        f"(อัตราการรายงานร้อยละ {format_percent(100 * t['reporting_rate']).rstrip('%')})",
        f"ภายในกำหนดเวลา {t['on_time']} แห่ง",
        f"(ร้อยละ {format_percent(100 * t['on_time_rate']).rstrip('%')})",
        f"ล่าช้า {t['late']} แห่ง",
        f"ยังไม่ได้รายงาน {t['missing']} แห่ง",
        f"ยอดรวม {format_int(t['stated_quota'])} ราย ที่พิมพ์ไว้ในแผน",
        "จึงเรียนมาเพื่อโปรดทราบ",
        "ขอแสดงความนับถือ",
        "(........................................)",
        "ท้องถิ่นจังหวัดระยอง",
        "ฝ่ายบริหารทั่วไป",
        "โทร. 0-3869-4191-2",  # the section's line, as the province's form prints it
    ):
        assert N(part) in text, part
    assert pdftools.pages(out) == 1


def test_letter_parts_sit_where_the_regulation_puts_them(
    scenario_db: Database, tmp_path: Path
) -> None:
    out = tmp_path / "letter.pdf"
    printing.save_pdf(printing.letter_pdf(scenario_db, week=W21).data, out)
    words = pdftools.bbox_words(out)
    left, right, middle = 3 * CM, A4_W - 2 * CM, A4_W / 2
    urgency = first_word(words, "ด่วน")
    assert abs(urgency.x0 - left) < 2 and urgency.y1 < 5 * CM  # top left
    number = first_word(words, "ที่")
    office = first_word(words, "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดระยอง")
    assert abs(number.x0 - left) < 2
    assert abs(office.x1 - right) < 3 and office.x0 > middle  # at the right, same line as ที่
    assert abs(office.y1 - number.y1) < 2
    assert number.y0 > 4.5 * CM  # below the Garuda's 3 cm from 1.5 cm
    date_word = first_word(words, "22")
    assert abs(date_word.x0 - middle) < 2 and date_word.y0 > number.y1  # from the middle
    subject = first_word(words, "เรื่อง")
    to = first_word(words, "เรียน")
    assert abs(subject.x0 - left) < 2 and abs(to.x0 - left) < 2 and date_word.y1 < subject.y0
    opening = first_word(words, "ตามที่")
    assert abs(opening.x0 - (left + 2.5 * CM)) < 2  # paragraphs indented 2.5 cm
    closing = first_word(words, "ขอแสดงความนับถือ")
    assert abs(closing.x0 - middle) < 2
    position = first_word(words, "ท้องถิ่นจังหวัดระยอง")
    centre = (closing.x0 + closing.x1) / 2
    assert abs((position.x0 + position.x1) / 2 - centre) < 3  # signature centred under it
    contact = first_word(words, "ฝ่ายบริหารทั่วไป")
    assert abs(contact.x0 - left) < 2 and contact.y1 > A4_H - 3 * CM  # bottom left


def test_issuing_uses_up_numbers_and_is_audited(scenario_db: Database, tmp_path: Path) -> None:
    preview = printing.letter_pdf(scenario_db, week=W21)
    assert (preview.number, preview.issued) == (1, False)
    assert get_settings(scenario_db).letter_next_number == 1  # a preview uses nothing

    first = printing.letter_pdf(scenario_db, week=W21, issue=True, out=tmp_path / "a.pdf")
    second = printing.letter_pdf(
        scenario_db, week=W21, issue=True, out=tmp_path / "b.pdf", to="ปลัดจังหวัดระยอง"
    )
    assert (first.number, second.number) == (1, 2) and first.issued and second.issued
    assert get_settings(scenario_db).letter_next_number == 3
    assert N("เรียน ปลัดจังหวัดระยอง") in flat(tmp_path / "b.pdf")
    log = issued(scenario_db)
    assert [a.entity_key for a in log] == ["รย ๐๐๒๓.๑/1", "รย ๐๐๒๓.๑/2"]
    assert all(a.action == "issue" and a.actor == "test-clerk" for a in log)
    assert "ปลัดจังหวัดระยอง" in (log[1].new or "")

    reprint = printing.letter_pdf(scenario_db, week=W21, issue=True, number=1)
    assert (reprint.number, reprint.issued) == (1, False)
    assert get_settings(scenario_db).letter_next_number == 3

    # A save that fails uses no number and leaves no file.
    with pytest.raises(RefusedError):
        printing.letter_pdf(scenario_db, week=W21, issue=True, out=tmp_path / "no" / "c.pdf")
    assert get_settings(scenario_db).letter_next_number == 3
    assert len(issued(scenario_db)) == 2


def test_the_garuda_comes_from_the_offices_file_or_its_space_stays_blank(
    scenario_db: Database, tmp_path: Path
) -> None:
    def top_centre_ink(pdf: Path) -> int:
        png = pdftools.render(pdf, tmp_path, dpi=50)[0]
        image = Image.open(png).convert("L")
        dpc = 50 / 2.54
        box = (
            round((A4_W / 2 / CM - 1.5) * dpc),
            round(1.5 * dpc),
            round((A4_W / 2 / CM + 1.5) * dpc),
            round(4.5 * dpc),
        )
        return sum(1 for v in image.crop(box).tobytes() if v < 128)

    blank = tmp_path / "blank.pdf"
    printing.save_pdf(printing.letter_pdf(scenario_db, week=W21).data, blank)
    assert top_centre_ink(blank) == 0 and pdftools.images(blank) == 0

    emblem = tmp_path / "emblem.png"  # a stand-in drawing; the real emblem is the office's file
    picture = Image.new("RGB", (300, 330), "white")
    ImageDraw.Draw(picture).ellipse((20, 20, 280, 310), fill="black")
    picture.save(emblem)
    update_setting(scenario_db, "garuda_image", str(emblem))
    with_emblem = tmp_path / "emblem.pdf"
    printing.save_pdf(printing.letter_pdf(scenario_db, week=W21).data, with_emblem)
    pdftools.check(with_emblem)
    assert pdftools.images(with_emblem) == 1
    assert top_centre_ink(with_emblem) > 100

    emblem.write_bytes(b"not an image")
    with pytest.raises(RefusedError) as refused:
        printing.letter_pdf(scenario_db, week=W21)
    assert refused.value.code == "bad_garuda"


def test_the_urgency_mark_is_red(scenario_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "letter.pdf"
    printing.save_pdf(printing.letter_pdf(scenario_db, week=W21).data, out)
    image = Image.open(pdftools.render(out, tmp_path, dpi=50)[0]).convert("RGB")
    dpc = 50 / 2.54
    region = image.crop((round(2.8 * dpc), round(2 * dpc), round(6 * dpc), round(4.6 * dpc)))
    raw = region.tobytes()
    pixels = [raw[i : i + 3] for i in range(0, len(raw), 3)]
    red = [p for p in pixels if p[0] > 150 and p[1] < 90 and p[2] < 90]
    assert len(red) > 30


def test_the_reminder_lists_the_units_past_their_deadline(
    scenario_db: Database, cli: Cli, tmp_path: Path
) -> None:
    call_list = cli("status", "--week", "2020-W21", "--json").json()["call_list"]
    out = tmp_path / "reminder.pdf"
    result = printing.reminder_pdf(scenario_db, week=W21, issue=True, out=out)
    assert (result.number, result.circular) == (1, True)
    assert get_settings(scenario_db).circular_next_number == 2
    assert get_settings(scenario_db).letter_next_number == 1
    pdftools.check(out)
    letter = flat(out, first=1, last=1)
    for part in (
        "ที่ รย 0023.1/ว 1",
        "เรียน หน่วยงานตามบัญชีรายชื่อแนบท้าย",
        f"จำนวน {len(call_list)} แห่ง",
        "จึงเรียนมาเพื่อโปรดพิจารณาดำเนินการ",
    ):
        assert N(part) in letter, part
    listing = flat(out, first=2)
    # The attached list is not a page of the letter: it carries no "- ๒ -" of the letter's.
    assert not re.search(r"-\s*\d\s*-", listing) and not re.search(r"-\s*1\s*-", letter)
    assert listing.startswith(N("บัญชีรายชื่อหน่วยงานที่ยังไม่ได้รายงาน")), listing[:60]
    for c in call_list:
        assert f"({c['code']})" in listing, c["code"]
    # The contact, phone and fax the clerk keyed, and the last figure.
    assert N("งานประชาสัมพันธ์ สถ.อ.เมืองระยอง") in listing
    assert "โทร. 038-611-001" in listing and "โทรสาร 038-611-002" in listing
    assert "โทร. 038-800-400" in listing
    # Units that reported, even late, are not chased.
    for code in ("R01", "R09", "TN-RY", "LAO-KLG"):
        assert f"({code})" not in listing


def test_the_reminder_memo(scenario_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "memo.pdf"
    result = printing.reminder_pdf(scenario_db, week=W21, memo=True, issue=True, out=out)
    assert (result.number, result.circular) == (1, False)
    assert get_settings(scenario_db).letter_next_number == 2
    pdftools.check(out)
    text = flat(out)
    for part in (
        "บันทึกข้อความ",
        "ส่วนราชการ สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดระยอง ฝ่ายบริหารทั่วไป",
        "ที่ รย 0023.1/1",
        "วันที่ 22 พฤษภาคม 2563",
        "เรียน ท้องถิ่นจังหวัดระยอง",
        "(LAO-MRY)",
        "หัวหน้าฝ่ายบริหารทั่วไป",
    ):
        assert N(part) in text, part
    assert N("ขอแสดงความนับถือ") not in text  # a memo has no closing phrase


def test_no_reminder_before_the_deadline(
    scenario_db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-05-21 11:59")  # before Thursday noon
    with pytest.raises(RefusedError) as refused:
        printing.reminder_pdf(scenario_db, week=W21)
    assert refused.value.code == "nothing_to_remind"
    # An hour later the letter recipients (Thursday) are late, the plan's units (Friday) not.
    monkeypatch.setenv("RAYONG_NOW", "2020-05-21 13:00")
    out = tmp_path / "early.pdf"
    printing.save_pdf(printing.reminder_pdf(scenario_db, week=W21).data, out)
    listing = flat(out, first=2)
    assert "(LAO-MRY)" in listing and "(R04)" not in listing


def test_a_longer_letter_carries_on_with_continuation_words(
    scenario_db: Database, tmp_path: Path
) -> None:
    update_setting(scenario_db, "office_address", "ศาลากลางจังหวัดระยอง\nถนนสุขุมวิท\nอำเภอเมืองระยอง")
    update_setting(scenario_db, "document_digits", "thai")
    out = tmp_path / "long.pdf"
    printing.save_pdf(printing.letter_pdf(scenario_db, week=W21).data, out)
    pdftools.check(out)
    assert pdftools.pages(out) == 2
    first, second = flat(out, first=1, last=1), flat(out, first=2, last=2)
    # The closing goes over with the signature and the last two lines of the paragraph
    # before it (never the closing alone), announced at the foot of page 1, at the right,
    # below the text.
    assert first.count(N("/ซึ่งได้นำ...")) == 1
    mark = first_word(pdftools.bbox_words(out), N("/ซึ่งได้นำ..."))
    assert abs(mark.x1 - (A4_W - 2 * CM)) < 2 and mark.y0 > A4_H - 2 * CM
    assert second.startswith(N("- ๒ - ซึ่งได้นำยอดที่รายงานครั้งล่าสุด")), second[:80]
    body_lines = second.split(N("ซึ่งได้นำ"))[1].split(N("จึงเรียนมาเพื่อโปรดทราบ"))[0]
    assert N("รายละเอียดปรากฏตามสิ่งที่ส่งมาด้วย") in body_lines
    assert N("จึงเรียนมาเพื่อโปรดทราบ ขอแสดงความนับถือ") in second
    assert "..." not in second.replace("(" + "." * 40 + ")", "")
    assert N("ที่ รย ๐๐๒๓.๑/๑") in first and N("๖๘,๙๑๐ ราย") in first
