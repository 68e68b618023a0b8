"""The outgoing register: every numbered letter kept with its PDF, listed, reprinted as it went
out, marked sent or spoiled, and carried by the archive, migrate-data and the backups.

On the document scenario (tests/documents/scenario.py: Friday 22 May 2020, 15:00, BE 2563,
week 2020-W21 past both deadlines).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from rayong_desktop.db.backup import copy_database
from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import AuditLog, Letter
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.services import archive, letter_register, printing, reports, transfer
from rayong_desktop.services.settings import get_settings, update_setting
from rayong_desktop.services.startup import open_database
from tests.documents.fixtures import scenario_db, scenario_file
from tests.documents.scenario import W21
from tests.helpers import CliResult

__all__ = ["scenario_db", "scenario_file"]

Cli = Callable[..., CliResult]
REASON = "อำเภอโทรแจ้งแก้ไขตัวเลข"
# Every key of one letter in `letters --json` (README: the stable interface).
LETTER_KEYS = {
    "id",
    "year",
    "series",
    "number",
    "reference",
    "date",
    "issued_at",
    "kind",
    "addressee",
    "subject",
    "week",
    "clerk",
    "figures",
    "pdf_sha256",
    "pages",
    "state",
    "spoiled",
    "replaces",
    "replaced_by",
    "sent",
}


def ok(result: CliResult) -> CliResult:
    assert result.code == 0, (result.code, result.out, result.err)
    return result


def refused(result: CliResult) -> str:
    assert result.code == 2, (result.code, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    return lines[0]


def issue_letter(
    db: Database, *, given_number: int | None = None, replaces: str | None = None
) -> printing.LetterPdf:
    request = printing.DocumentRequest(
        "letter", week=W21, given_number=given_number, replaces=replaces
    )
    made = printing.make_document(db, request, issue=True)
    assert made.letter is not None
    return made.letter


def register_rows(db: Database) -> list[Letter]:
    with db.reading() as session:
        return list(session.scalars(select(Letter).order_by(Letter.id)))


def test_an_issued_letter_is_recorded_with_its_pdf_in_the_same_transaction(
    scenario_db: Database, tmp_path: Path
) -> None:
    out = tmp_path / "letter.pdf"
    made = printing.make_document(
        scenario_db, printing.DocumentRequest("letter", week=W21), issue=True, out=out
    )
    assert made.letter is not None and made.letter.register_id is not None
    [row] = register_rows(scenario_db)
    assert (row.id, row.year, row.series, row.number) == (made.letter.register_id, 2563, "", 1)
    assert row.pdf == out.read_bytes() == made.data
    assert row.pdf_sha256 == hashlib.sha256(made.data).hexdigest()
    assert (row.pages, row.kind, row.state, row.clerk) == (
        made.pages,
        "summary_letter",
        "issued",
        "test-clerk",
    )
    assert row.addressee == get_settings(scenario_db).letter_addressee.strip()
    assert row.issued_on.isoformat() == "2020-05-22" and row.week == W21
    assert "ประจำสัปดาห์ระหว่างวันที่" in row.subject
    figures = json.loads(row.figures)
    assert figures["source"] == "live" and figures["week"] == "2020-W21"
    assert figures["totals"]["count"] > 0
    # A preview and a reprint with its own number record nothing.
    printing.make_document(scenario_db, printing.DocumentRequest("letter", week=W21))
    printing.make_document(
        scenario_db, printing.DocumentRequest("letter", week=W21, number=1), issue=True
    )
    assert len(register_rows(scenario_db)) == 1


def test_reminders_and_memos_are_recorded_in_their_series(scenario_db: Database) -> None:
    circular = printing.make_document(
        scenario_db, printing.DocumentRequest("reminder", week=W21), issue=True
    )
    memo = printing.make_document(
        scenario_db, printing.DocumentRequest("reminder", week=W21, memo=True), issue=True
    )
    assert circular.letter is not None and memo.letter is not None
    rows = register_rows(scenario_db)
    assert [(r.series, r.number, r.kind) for r in rows] == [
        ("ว", 1, "reminder_letter"),
        ("", 1, "reminder_memo"),
    ]
    assert rows[0].addressee == "หน่วยงานที่ยังไม่ได้รายงาน"
    assert json.loads(rows[0].figures)["units"]  # the late units it listed
    listed = letter_register.list_letters(scenario_db, series="ว")
    assert [e.reference for e in listed] == [f"{get_settings(scenario_db).document_code}/ว 1"]


def test_the_desks_numbers_start_again_at_1_in_a_new_year(
    scenario_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def reminder() -> printing.LetterPdf:
        made = printing.make_document(
            scenario_db, printing.DocumentRequest("reminder", week=W21), issue=True
        )
        assert made.letter is not None
        return made.letter

    assert [issue_letter(scenario_db).number for _ in range(2)] == [1, 2]  # BE 2563
    assert reminder().number == 1
    monkeypatch.setenv("RAYONG_NOW", "2021-01-04 09:00")  # BE 2564
    preview = printing.make_document(scenario_db, printing.DocumentRequest("letter", week=W21))
    assert preview.letter is not None and preview.letter.number == 1
    assert len(register_rows(scenario_db)) == 3  # a preview issues nothing
    shown = get_settings(scenario_db)  # as the settings screen shows the counters now
    assert (shown.letter_next_number, shown.circular_next_number) == (1, 1)
    assert [issue_letter(scenario_db).number for _ in range(2)] == [1, 2]
    assert reminder().number == 1
    assert [(r.year, r.series, r.number) for r in register_rows(scenario_db)] == [
        (2563, "", 1),
        (2563, "", 2),
        (2563, "ว", 1),
        (2564, "", 1),
        (2564, "", 2),
        (2564, "ว", 1),
    ]
    assert get_settings(scenario_db).letter_next_number == 3  # the new year's


def test_a_counter_set_in_the_new_year_is_taken_as_set(
    scenario_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert issue_letter(scenario_db).number == 1  # BE 2563
    monkeypatch.setenv("RAYONG_NOW", "2021-01-05 09:00")
    # The central register gave four numbers by hand before the desk's first letter of 2564.
    update_setting(scenario_db, "letter_next_number", "5")
    assert issue_letter(scenario_db).number == 5
    assert issue_letter(scenario_db).number == 6
    # Set back in December for the year then, the counter is last year's by January.
    monkeypatch.setenv("RAYONG_NOW", "2021-12-30 09:00")
    update_setting(scenario_db, "letter_next_number", "40")
    assert issue_letter(scenario_db).number == 40
    monkeypatch.setenv("RAYONG_NOW", "2022-01-03 09:00")
    assert issue_letter(scenario_db).number == 1


def test_last_years_number_typed_again_in_january_is_taken_for_the_new_year(
    scenario_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert [issue_letter(scenario_db).number for _ in range(4)] == [1, 2, 3, 4]  # BE 2563
    monkeypatch.setenv("RAYONG_NOW", "2021-01-05 09:00")
    assert get_settings(scenario_db).letter_next_number == 1  # what the settings screen shows
    # The office carries on from last year's numbering: the clerk types 5, as it stood.
    assert update_setting(scenario_db, "letter_next_number", "5").letter_next_number == 5
    assert issue_letter(scenario_db).number == 5


def test_reprint_gives_the_first_prints_bytes_after_the_week_is_corrected(
    scenario_db: Database, cli: Cli, tmp_path: Path
) -> None:
    ok(cli("letter", "--week", "2020-W21", "--out", str(tmp_path / "first.pdf")))
    first = (tmp_path / "first.pdf").read_bytes()
    reports.record_report(scenario_db, unit_code="R01", week=W21, count=1500, reason=REASON)
    # A new letter of the corrected week differs from the first print ...
    rebuilt = printing.letter_pdf(scenario_db, week=W21, number=1).data
    assert rebuilt != first
    # ... the register's reprint does not.
    ok(cli("letters", "reprint", "1", "--out", str(tmp_path / "again.pdf")))
    assert (tmp_path / "again.pdf").read_bytes() == first
    entry = letter_register.find_letter(scenario_db, 1)
    assert letter_register.reprint(scenario_db, entry.id) == first


def test_a_damaged_stored_pdf_is_not_reprinted(scenario_db: Database, tmp_path: Path) -> None:
    letter = issue_letter(scenario_db)
    assert letter.register_id is not None
    with scenario_db.transaction() as session:
        row = session.get(Letter, letter.register_id)
        assert row is not None
        row.pdf = row.pdf[:-10] + b"0123456789"
    with pytest.raises(RefusedError) as refusal:
        letter_register.reprint(scenario_db, letter.register_id)
    assert refusal.value.code == "pdf_damaged"


def test_a_number_used_twice_in_a_year_and_series_is_refused(
    scenario_db: Database, cli: Cli, tmp_path: Path
) -> None:
    issue_letter(scenario_db)  # desk number 1
    before = register_rows(scenario_db)
    settings_before = get_settings(scenario_db).letter_next_number
    out = tmp_path / "dup.pdf"
    message = refused(cli("letter", "--week", "2020-W21", "--given-number", "1", "--out", str(out)))
    assert "already used" in message
    assert not out.exists()
    assert len(register_rows(scenario_db)) == len(before)
    assert get_settings(scenario_db).letter_next_number == settings_before
    # The same number in the other series (a circular) is another letter.
    ok(cli("reminder", "--week", "2020-W21", "--given-number", "1", "--out", str(out)))
    # A number from the central register, ahead of the desk: taken, and the desk moves past it.
    ok(cli("letter", "--week", "2020-W21", "--given-number", "40", "--out", str(out)))
    assert get_settings(scenario_db).letter_next_number == 41
    # A number behind the desk's counter, still free: taken, the counter stays.
    ok(cli("letter", "--week", "2020-W21", "--given-number", "7", "--out", str(out)))
    assert get_settings(scenario_db).letter_next_number == 41
    listed = ok(cli("letters", "--json", "--series", "")).json()
    assert [e["number"] for e in listed] == [1, 7, 40]
    assert refused(cli("letter", "--week", "2020-W21", "--given-number", "0", "--out", str(out)))
    # --replaces without a number to replace says so.
    assert "give its number" in refused(
        cli("letter", "--week", "2020-W21", "--replaces", "ผิด", "--out", str(out))
    )


def test_a_spoiled_letter_is_kept_and_its_replacement_takes_the_number(
    scenario_db: Database, cli: Cli, tmp_path: Path
) -> None:
    ok(cli("letter", "--week", "2020-W21", "--out", str(tmp_path / "1.pdf")))
    first = (tmp_path / "1.pdf").read_bytes()
    out = str(tmp_path / "again.pdf")
    # Replacing the letter in force needs a reason.
    assert "reason" in refused(
        cli("letter", "--week", "2020-W21", "--given-number", "1", "--replaces", " ", "--out", out)
    )
    ok(
        cli(
            "letter",
            "--week",
            "2020-W21",
            "--to",
            "ปลัดจังหวัดระยอง",
            "--given-number",
            "1",
            "--replaces",
            "พิมพ์ผิดผู้รับ",
            "--out",
            out,
        )
    )
    old, new = register_rows(scenario_db)
    assert (old.state, old.spoil_reason, old.spoiled_by) == ("spoiled", "พิมพ์ผิดผู้รับ", "test-clerk")
    assert old.pdf == first  # kept as it went out
    assert (new.state, new.number, new.replaces_id, new.addressee) == (
        "issued",
        1,
        old.id,
        "ปลัดจังหวัดระยอง",
    )
    shown = ok(cli("letters", "show", "1", "--json")).json()
    assert (shown["id"], shown["replaces"], shown["state"]) == (new.id, old.id, "issued")
    listed = ok(cli("letters", "--json")).json()
    assert [(e["state"], e["replaced_by"]) for e in listed] == [
        ("spoiled", new.id),
        ("issued", None),
    ]
    assert listed[0]["spoiled"]["reason"] == "พิมพ์ผิดผู้รับ"
    # The reprint is the replacement's.
    ok(cli("letters", "reprint", "1", "--out", str(tmp_path / "r.pdf")))
    assert (tmp_path / "r.pdf").read_bytes() == new.pdf != first
    with scenario_db.reading() as session:
        spoils = session.scalars(
            select(AuditLog).where(AuditLog.entity == "letter", AuditLog.action == "spoil")
        ).all()
    assert [(a.reason, a.new) for a in spoils] == [("พิมพ์ผิดผู้รับ", "spoiled")]


def test_spoil_then_replace_a_letter_already_spoiled(
    scenario_db: Database, cli: Cli, tmp_path: Path
) -> None:
    ok(cli("letter", "--week", "2020-W21", "--out", str(tmp_path / "1.pdf")))
    assert "reason" in refused(cli("letters", "spoil", "1", "--reason", "  "))
    spoiled = ok(cli("letters", "spoil", "1", "--reason", "ลงนามผิด", "--json")).json()
    assert (spoiled["state"], spoiled["spoiled"]["reason"]) == ("spoiled", "ลงนามผิด")
    assert "already spoiled" in refused(cli("letters", "spoil", "1", "--reason", "อีกครั้ง"))
    # A spoiled number is still used: it is reused only as a replacement.
    out = str(tmp_path / "2.pdf")
    assert "already used" in refused(
        cli("letter", "--week", "2020-W21", "--given-number", "1", "--out", out)
    )
    ok(
        cli(
            "letter",
            "--week",
            "2020-W21",
            "--given-number",
            "1",
            "--replaces",
            "แทนฉบับลงนามผิด",
            "--out",
            out,
        )
    )
    old, new = register_rows(scenario_db)
    assert (old.state, old.spoil_reason, new.replaces_id) == ("spoiled", "ลงนามผิด", old.id)


def test_sending_is_recorded_afterwards(
    scenario_db: Database, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(cli("reminder", "--week", "2020-W21", "--out", str(tmp_path / "w.pdf")))
    monkeypatch.setenv("RAYONG_NOW", "2020-05-22 16:30")
    assert "not a way of sending" in refused(cli("letters", "sent", "ว1", "--by", "pigeon"))
    assert "between its issue (2020-05-22 15:00) and now" in refused(
        cli("letters", "sent", "ว1", "--by", "fax", "--at", "2020-05-22 14:59")
    )
    assert "and now" in refused(
        cli("letters", "sent", "ว1", "--by", "fax", "--at", "2020-05-22 16:31")
    )
    assert "YYYY-MM-DD" in refused(cli("letters", "sent", "ว1", "--by", "fax", "--at", "พรุ่งนี้"))
    assert "no letter number 1" in refused(
        cli("letters", "sent", "1", "--series", "", "--by", "fax")
    )
    done = ok(
        cli("letters", "sent", "ว1", "--by", "fax", "--at", "2020-05-22 15:40", "--json")
    ).json()
    assert done["sent"] == {
        "by": "fax",
        "at": "2020-05-22T15:40:00+07:00",
        "recorded_by": "test-clerk",
    }
    entry = letter_register.find_letter(scenario_db, 1, series="ว")
    assert entry.sent_at == datetime(2020, 5, 22, 15, 40, tzinfo=BANGKOK)
    # Corrected: by the e-document system instead.
    letter_register.mark_sent(scenario_db, entry.id, by="ระบบสารบรรณอิเล็กทรอนิกส์")
    assert letter_register.get_letter(scenario_db, entry.id).sent_by == "edoc"
    with scenario_db.reading() as session:
        sent = session.scalars(
            select(AuditLog).where(AuditLog.action == "sent").order_by(AuditLog.id)
        ).all()
    assert [a.entity_key.endswith("/ว 1") for a in sent] == [True, True]
    assert sent[1].old is not None and sent[1].old.startswith("fax")


def test_letters_json_keys_and_filters(scenario_db: Database, cli: Cli, tmp_path: Path) -> None:
    ok(cli("letter", "--week", "2020-W21", "--out", str(tmp_path / "a.pdf")))
    ok(cli("letter", "--week", "2020-W20", "--out", str(tmp_path / "b.pdf")))
    ok(cli("reminder", "--week", "2020-W21", "--out", str(tmp_path / "c.pdf")))
    listed = ok(cli("letters", "--json")).json()
    assert len(listed) == 3
    assert all(set(e) == LETTER_KEYS for e in listed)
    first = listed[0]
    assert (first["year"], first["series"], first["number"], first["date"]) == (
        2563,
        "",
        1,
        "2020-05-22",
    )
    assert (first["kind"], first["week"], first["state"], first["sent"]) == (
        "summary_letter",
        "2020-W21",
        "issued",
        None,
    )
    assert first["issued_at"] == "2020-05-22T15:00:00+07:00"
    assert [e["week"] for e in ok(cli("letters", "--json", "--week", "2020-W20")).json()] == [
        "2020-W20"
    ]
    assert [e["series"] for e in ok(cli("letters", "--json", "--series", "ว")).json()] == ["ว"]
    assert ok(cli("letters", "--json", "--year", "2564")).json() == []
    text = ok(cli("letters")).out
    assert "2020-W21" in text and "ว 1" in text
    shown = ok(cli("letters", "show", "ว 1", "--json")).json()
    assert set(shown) == LETTER_KEYS and shown["kind"] == "reminder_letter"
    # Number 1 exists in both series: plain "1" with no series is the one in force of each.
    assert "several letters" in refused(cli("letters", "show", "1"))
    assert "not valid" in refused(cli("letters", "show", "abc"))


def test_a_closed_weeks_letter_records_the_snapshot_checksum(
    scenario_db: Database, cli: Cli, tmp_path: Path
) -> None:
    closed = ok(cli("week", "close", "2020-W21", "--json")).json()
    ok(cli("letter", "--week", "2020-W21", "--out", str(tmp_path / "a.pdf")))
    [entry] = ok(cli("letters", "--json")).json()
    assert entry["figures"] == {
        "source": "closed",
        "checksum": closed["checksum"],
        "week": "2020-W21",
    }


def test_the_register_workbook(scenario_db: Database, cli: Cli, tmp_path: Path) -> None:
    ok(cli("letter", "--week", "2020-W21", "--out", str(tmp_path / "a.pdf")))
    ok(cli("reminder", "--week", "2020-W21", "--out", str(tmp_path / "b.pdf")))
    entry = letter_register.find_letter(scenario_db, 1, series="ว")
    letter_register.mark_sent(scenario_db, entry.id, by="fax")
    letter_register.spoil(
        scenario_db, letter_register.find_letter(scenario_db, 1, series="").id, reason="ผิด"
    )
    out = tmp_path / "register.xlsx"
    assert letter_register.export_register(scenario_db, out, year=2563) == 2
    ws = load_workbook(out).active
    assert ws["A1"].value == "ทะเบียนหนังสือส่ง"
    assert [c.value for c in ws[3]][:5] == ["ลำดับ", "ที่", "ลงวันที่", "ถึง", "เรื่อง"]
    code = get_settings(scenario_db).document_code
    assert (ws["B4"].value, ws["B5"].value) == (f"{code}/1", f"{code}/ว 1")
    assert ws["I4"].value == "ยกเลิก: ผิด"
    assert ws["H5"].value.startswith("โทรสาร")
    assert ws["C4"].value == "22 พ.ค. 2563"
    # Rows are as tall as their longest wrapped cell (the subject takes more than one line).
    assert ws.row_dimensions[4].height >= 48


@pytest.mark.sqlite_only
def test_the_register_travels_in_the_archive_migrate_data_and_backups(
    scenario_db: Database, db_path: Path, tmp_path: Path
) -> None:
    first = issue_letter(scenario_db)
    issue_letter(scenario_db, given_number=1, replaces="พิมพ์ผิด")
    assert first.register_id is not None
    letter_register.mark_sent(
        scenario_db, letter_register.find_letter(scenario_db, 1).id, by="post"
    )
    before = letter_register.list_letters(scenario_db)

    zipped = tmp_path / "all.zip"
    manifest = archive.export_archive(scenario_db, zipped)
    assert manifest["tables"]["letter_register"]["rows"] == 2
    archive.import_archive(zipped, tmp_path / "restored.sqlite3")
    restored = open_database(tmp_path / "restored.sqlite3")
    try:
        assert letter_register.list_letters(restored) == before
        assert letter_register.reprint(restored, first.register_id) == first.data
    finally:
        restored.dispose()

    scenario_db.dispose()
    src, dst = transfer.migrate_data(db_path, tmp_path / "moved.sqlite3")
    assert src.rows["letter_register"] == dst.rows["letter_register"] == 2
    assert dst.totals["letter_register.pages"] == 2 * first_pages(first)
    moved = open_database(tmp_path / "moved.sqlite3")
    try:
        assert letter_register.reprint(moved, first.register_id) == first.data
    finally:
        moved.dispose()

    copy = copy_database(db_path, tmp_path / "backup.sqlite3")
    with sqlite3.connect(copy) as conn:
        blobs = [r[0] for r in conn.execute("SELECT pdf FROM letter_register ORDER BY id")]
    assert blobs[0] == first.data and len(blobs) == 2


def first_pages(letter: printing.LetterPdf) -> int:
    return printing.page_count(letter.data)


def test_a_number_taken_by_another_desk_meanwhile_is_refused_not_a_crash(
    scenario_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database's own rule (one letter in force per number) backs the check: when another
    desk took the number between the check and the write, the letter is refused cleanly."""
    issue_letter(scenario_db)
    monkeypatch.setattr(letter_register, "claim", lambda *_a, **_k: None)  # the check missed it
    with pytest.raises(RefusedError) as refusal:
        issue_letter(scenario_db, given_number=1)
    assert refusal.value.code == "duplicate_number"
    assert len(register_rows(scenario_db)) == 1
    assert get_settings(scenario_db).letter_next_number == 2
