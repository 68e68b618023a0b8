"""A newcomer's first day: refusals name what Settings shows, demo backups keep apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rayong_desktop.db.engine import Database
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.paths import DB_FILENAME, DEMO_DB_FILENAME
from rayong_desktop.services import maintenance, printing
from rayong_desktop.settings import SETTING_FIELDS, setting_label

REPO = Path(__file__).resolve().parents[2]


def test_a_refusal_names_the_settings_label_not_the_key(db: Database) -> None:
    with pytest.raises(RefusedError) as refused:
        printing.poster_pdf(db)  # a new database has no LINE ID
    assert refused.value.code == "no_oa_id"
    assert "ตั้งค่า › LINE ID ของบัญชี" in refused.value.th
    assert "oa_id" not in refused.value.th
    assert setting_label("document_font") == "ตั้งค่า › แบบอักษรในเอกสาร"


def test_no_thai_message_tells_the_clerk_an_internal_settings_key() -> None:
    keys = "|".join(sorted(SETTING_FIELDS, key=len, reverse=True))
    pattern = re.compile(rf"ตั้งค่า\s*({keys})\b")
    found = [
        f"{path.relative_to(REPO)}: {m.group(0)}"
        for folder in ("services", "documents", "domain", "ui")
        for path in (REPO / "rayong_desktop" / folder).rglob("*.py")
        for m in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_demo_backups_go_to_their_own_folder(tmp_path: Path) -> None:
    real = maintenance.backup_folder(tmp_path / DB_FILENAME)
    demo = maintenance.backup_folder(tmp_path / DEMO_DB_FILENAME)
    assert real == tmp_path / "backups"
    assert demo == tmp_path / "backups-demo" and demo != real
