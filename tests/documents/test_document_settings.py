"""The settings printed documents added: checked when typed, like every setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.settings import SETTING_FIELDS, AppSettings, parse_value


def test_defaults_leave_the_signer_blank_and_address_the_governor() -> None:
    s = AppSettings()
    assert (s.document_font, s.document_digits) == ("auto", "thai")
    assert s.signer_name == "" and s.garuda_image == ""
    assert s.letter_addressee == "ผู้ว่าราชการจังหวัดระยอง"
    assert s.letter_next_number == 1 and s.circular_next_number == 1
    for name in (
        "document_font",
        "document_digits",
        "garuda_image",
        "letter_next_number",
        "circular_next_number",
        "letter_urgency",
        "letter_addressee",
        "letter_reference",
        "signer_name",
        "signer_position",
        "poster_slogan",
    ):
        assert SETTING_FIELDS[name].metadata["th"], name


def test_choices_and_numbers_are_checked(tmp_path: Path) -> None:
    assert parse_value("document_font", " TH_Sarabun_New ") == "th_sarabun_new"
    assert parse_value("document_digits", "Arabic") == "arabic"
    assert parse_value("letter_urgency", "ด่วนที่สุด") == "ด่วนที่สุด"
    assert parse_value("letter_urgency", "") == ""
    assert parse_value("letter_next_number", "1,024") == 1024
    for key, value in (
        ("document_font", "Angsana"),
        ("document_digits", "roman"),
        ("letter_urgency", "เร็ว"),
        ("letter_next_number", "0"),
        ("circular_next_number", "-3"),
        ("garuda_image", str(tmp_path / "missing.png")),
    ):
        with pytest.raises(RefusedError) as refused:
            parse_value(key, value)
        assert refused.value.code == "bad_setting", key
    emblem = tmp_path / "garuda.png"
    emblem.write_bytes(b"\x89PNG")
    assert parse_value("garuda_image", str(emblem)) == str(emblem)
    assert parse_value("garuda_image", "") == ""
