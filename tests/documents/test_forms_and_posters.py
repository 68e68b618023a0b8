"""The blank report form and the QR posters."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from rayong_desktop.db.engine import Database
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.services import printing, registry
from rayong_desktop.services.settings import update_setting
from tests.documents import pdftools
from tests.documents.scenario import ADD_FRIEND_URL, OA_ID, W21

N = pdftools.normalized
SLOGAN = "มาร่วมมือ ร่วมใจ ใส่หน้ากากผ้า และหน้ากากอนามัย ทุกคนใส่หน้ากากด้วย 100%"


def flat(path: Path, **kwargs: object) -> str:
    return " ".join(pdftools.text(path, **kwargs).split())  # type: ignore[arg-type]


def save(data: bytes, path: Path) -> Path:
    printing.save_pdf(data, path)
    return path


# ---------------------------------------------------------------- forms


def test_a_units_form_says_who_which_week_and_by_when(
    scenario_db: Database, tmp_path: Path
) -> None:
    out = save(printing.form_pdf(scenario_db, week=W21, unit="lao-mry"), tmp_path / "f.pdf")
    pdftools.check(out)
    assert pdftools.pages(out) == 1
    text = flat(out)
    for part in (
        "แบบรายงานจำนวนผู้เข้าร่วมกลุ่ม Line Official Account “Rayong Fight Covid”",
        "ประจำสัปดาห์ระหว่างวันที่ 18–24 พฤษภาคม 2563 (2020-W21)",
        "ส่งถึง สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดระยอง ฝ่ายบริหารทั่วไป",
        "กำหนดส่ง วันพฤหัสบดีที่ 21 พฤษภาคม 2563 เวลา 12.00 น.",
        "หน่วยงาน สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอเมืองระยอง",
        "รหัสหน่วย LAO-MRY",
        "เป้าหมาย 300 ราย",
        "ยอดสะสมที่รายงานครั้งก่อน 200 ราย (สัปดาห์ 11–17 พฤษภาคม 2563)",
        "จำนวนผู้เข้าร่วมกลุ่มสะสม",
        "หมายเหตุ / ปัญหาอุปสรรค",
        "ลงชื่อผู้รายงาน",
        "ตำแหน่ง โทร. วันที่รายงาน",
    ):
        assert N(part) in text, part


def test_a_plan_row_gets_one_page_per_active_unit(scenario_db: Database, tmp_path: Path) -> None:
    registry.retire_unit(scenario_db, "TM-BCH")
    units = [u.code for u in registry.list_units(scenario_db, include_retired=False)]
    row3 = [
        u.code for u in registry.list_units(scenario_db, include_retired=False) if u.plan_row == 3
    ]
    assert "TM-BCH" not in units and len(row3) == 11
    out = save(printing.form_pdf(scenario_db, week=W21, plan_row=3), tmp_path / "row3.pdf")
    pdftools.check(out)
    assert pdftools.pages(out) == len(row3)
    for page, code in enumerate(row3, start=1):
        assert f"รหัสหน่วย {code}" in flat(out, first=page, last=page)


def test_the_blank_form_leaves_the_unit_to_be_written(
    scenario_db: Database, tmp_path: Path
) -> None:
    out = save(printing.form_pdf(scenario_db, week=W21), tmp_path / "blank.pdf")
    pdftools.check(out)
    text = flat(out)
    assert pdftools.pages(out) == 1
    # Both deadlines of the week: the letter's Thursday and the plan's Friday.
    assert N("วันพฤหัสบดีที่ 21 พฤษภาคม 2563 เวลา 12.00 น.") in text
    assert N("วันศุกร์ที่ 22 พฤษภาคม 2563 เวลา 12.00 น.") in text
    assert "LAO-" not in text


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"unit": "NOPE"}, "unknown_unit"),
        ({"plan_row": 99}, "unknown_plan_row"),
        ({"unit": "R01", "plan_row": 1}, "bad_arguments"),
    ],
)
def test_form_refusals(scenario_db: Database, kwargs: dict[str, object], code: str) -> None:
    with pytest.raises(RefusedError) as refused:
        printing.form_pdf(scenario_db, week=W21, **kwargs)  # type: ignore[arg-type]
    assert refused.value.code == code


# ---------------------------------------------------------------- posters


def qr_box_cm(png: Path, dpi: int) -> tuple[float, float]:
    """Width and height (cm) of the black area between the heading and the @ID: the code."""
    image = Image.open(png).convert("L")
    per_cm = dpi / 2.54
    scale = image.width / (21.0 * per_cm)  # 1 for A4, about 1.41 for A3
    top, bottom = round(6.3 * per_cm * scale), round(19.6 * per_cm * scale)
    band = image.crop((0, top, image.width, bottom))
    xs, ys = [], []
    raw = band.tobytes()
    for i, value in enumerate(raw):
        if value < 60:
            xs.append(i % band.width)
            ys.append(i // band.width)
    return (max(xs) - min(xs) + 1) / per_cm, (max(ys) - min(ys) + 1) / per_cm


def test_the_poster_qr_scans_to_the_add_friend_link(scenario_db: Database, tmp_path: Path) -> None:
    out = save(printing.poster_pdf(scenario_db), tmp_path / "poster.pdf")
    pdftools.check(out)
    assert pdftools.info(out)["Page size"].endswith("(A4)")
    png = pdftools.render(out, tmp_path, dpi=150)[0]
    assert pdftools.decode_qr(png) == [ADD_FRIEND_URL]
    width, height = qr_box_cm(png, 150)
    assert width >= 10 and height >= 10 and abs(width - height) < 0.2, (width, height)
    text = flat(out)
    # The @ID for LINE on a PC, the account's name and the slogan, as real text.
    assert f"@{OA_ID}" in text
    assert "Rayong Fight Covid" in text
    assert "".join(N(SLOGAN).split()) in "".join(text.split())
    assert pdftools.images(out) == 0  # the code is vector squares, not a picture


def test_a3_posters_for_every_unit_share_one_drawn_code(
    scenario_db: Database, tmp_path: Path
) -> None:
    data = printing.poster_pdf(scenario_db, size="A3", all_units=True)
    out = save(data, tmp_path / "posters.pdf")
    pdftools.check(out)
    units = registry.list_units(scenario_db, include_retired=False)
    assert pdftools.pages(out) == len(units)
    assert pdftools.info(out)["Page size"].endswith("(A3)")
    # One form XObject for the code, referenced by every page.
    assert data.count(b"/Subtype /Form") == 1
    assert data.count(b"/FormXob.") >= len(units)
    for page in (1, 5, len(units)):
        assert N(units[page - 1].name).split()[0] in flat(out, first=page, last=page)
    png = pdftools.render(out, tmp_path, dpi=150, first=3, last=3)[0]
    assert pdftools.decode_qr(png) == [ADD_FRIEND_URL]
    width, _ = qr_box_cm(png, 150)
    assert width >= 14


def test_the_oa_id_can_be_given_and_is_required(scenario_db: Database, tmp_path: Path) -> None:
    out = save(printing.poster_pdf(scenario_db, oa_id="@otheroa", unit="R07"), tmp_path / "o.pdf")
    png = pdftools.render(out, tmp_path, dpi=150)[0]
    assert pdftools.decode_qr(png) == ["https://line.me/R/ti/p/%40otheroa"]
    text = flat(out)
    assert "@otheroa" in text and N("สำนักงานประชาสัมพันธ์จังหวัดระยอง") in text

    update_setting(scenario_db, "oa_id", "")
    with pytest.raises(RefusedError) as refused:
        printing.poster_pdf(scenario_db)
    assert refused.value.code == "no_oa_id"
    with pytest.raises(RefusedError) as refused:
        printing.poster_pdf(scenario_db, oa_id="has space")
    assert refused.value.code == "bad_oa_id"
