"""The outgoing register: every numbered letter kept with its PDF, listed, reprinted as it went
out, marked sent or spoiled.

A letter is recorded by services.printing in the very transaction that issues its number
(`claim` then `record`); everything else here reads the register or changes a letter's state,
each change audited as entity "letter" under the number as printed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import AuditLog, Letter
from rayong_desktop.domain import calendar, codec
from rayong_desktop.domain.closing import canonical_json
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.domain.letter_register import (
    ISSUED,
    SPOILED,
    RegisterEntry,
    number_label,
    parse_channel,
)
from rayong_desktop.domain.reporting import clean
from rayong_desktop.domain.summaries import WeekSummary
from rayong_desktop.domain.thaidate import be_year, thai_week_range
from rayong_desktop.services.common import audit, current_clerk, now_utc

AUDIT_ENTITY = "letter"

# The register's short subject of each kind of letter (เรื่อง), before the week.
SUBJECTS = {
    "summary_letter": "รายงานผลการเชิญชวนเข้าร่วมกลุ่ม Line Official Account",
    "reminder_letter": "ขอให้รายงานจำนวนผู้เข้าร่วมกลุ่ม Line Official Account",
    "reminder_memo": "หน่วยงานที่ยังไม่ได้รายงานจำนวนผู้เข้าร่วมกลุ่ม",
}


def reference(office_code: str, series: str, number: int) -> str:
    """The number as the letter prints it and the audit log keys it: "รย ๐๐๒๓.๑/ว 14"."""
    return f"{office_code.strip()}/{number_label(series, number)}"


def subject_of(kind: str, week: date) -> str:
    return f"{SUBJECTS.get(kind, kind)} ประจำสัปดาห์ระหว่างวันที่ {thai_week_range(week)}"


def figures_json(
    summary: WeekSummary, *, closed_checksum: str | None, units: Sequence[str] = ()
) -> str:
    """What a letter printed, as canonical JSON: a closed week's snapshot checksum, or the live
    province totals it was built from; a reminder's late units too."""
    data: dict[str, Any] = {"week": calendar.week_label(summary.week)}
    if closed_checksum is not None:
        data.update(source="closed", checksum=closed_checksum)
    else:
        data.update(source="live", totals=codec.encode(summary.totals))
    if units:
        data["units"] = list(units)
    return canonical_json(data)


# ---------------------------------------------------------------- recording (services.printing)


def _refused_duplicate(year: int, series: str, number: int, row: Letter) -> RefusedError:
    label = number_label(series, number)
    return RefusedError(
        f"เลขที่หนังสือ {label} ปี {year} ใช้ไปแล้วกับหนังสือลงวันที่ {row.issued_on.isoformat()} "
        f"เรียน {row.addressee} (ถ้าฉบับนี้ใช้แทนฉบับที่เสีย ให้ระบุว่าใช้แทนพร้อมเหตุผล)",
        f"letter number {label} of {year} is already used (dated {row.issued_on.isoformat()}, "
        f"to {row.addressee}); say that this letter replaces it, with a reason, to reuse it",
        code="duplicate_number",
    )


def next_number(session: Session, *, counter: str, series: str, year: int, stored: int) -> int:
    """The desk's next number of ``series`` (its counter setting ``counter``, now ``stored``)
    for a letter dated in ``year`` (Buddhist era): numbers run from 1 in each calendar year, as
    the office's register of letters sent counts them.

    The counter belongs to the year of the series' latest letter in the register or of the
    counter's latest edit in the settings, whichever is later: from an earlier year it starts
    again at 1 (the stored value is the last year's); a counter the clerk set this year, or one
    never used nor edited, is taken as it stands."""
    last_letter = session.scalar(select(func.max(Letter.year)).where(Letter.series == series))
    edited = session.scalar(
        select(func.max(AuditLog.at)).where(
            AuditLog.entity == "setting", AuditLog.entity_key == counter
        )
    )
    years = [] if last_letter is None else [last_letter]
    if edited is not None:
        years.append(be_year(edited.astimezone(calendar.BANGKOK).date()))
    return 1 if years and max(years) < year else stored


def claim(
    session: Session, *, year: int, series: str, number: int, replaces: str | None
) -> Letter | None:
    """Check that a letter may take ``number`` of ``year`` and ``series``, inside the issuing
    transaction; the letter it will replace, if any.

    A number already in the register is refused unless ``replaces`` (the reason) says the new
    letter replaces it: the letter in force is then spoiled with that reason (`record`), or the
    one already spoiled and not yet replaced is named as replaced.
    """
    rows = list(
        session.scalars(
            select(Letter)
            .where(Letter.year == year, Letter.series == series, Letter.number == number)
            .order_by(Letter.id.desc())
        )
    )
    if replaces is None:
        if rows:
            raise _refused_duplicate(year, series, number, rows[0])
        return None
    label = number_label(series, number)
    if not rows:
        raise RefusedError(
            f"ไม่มีหนังสือเลขที่ {label} ปี {year} ในทะเบียนที่จะใช้แทน",
            f"there is no letter number {label} of {year} in the register to replace",
            code="nothing_to_replace",
        )
    in_force = [r for r in rows if r.state == ISSUED]
    if in_force:
        if clean(replaces) is None:
            raise RefusedError(
                f"การใช้เลขที่ {label} แทนฉบับเดิมต้องระบุเหตุผลที่ฉบับเดิมเสีย",
                f"give the reason the letter numbered {label} is spoiled to replace it",
                code="reason_required",
            )
        return in_force[0]
    replaced = {r.replaces_id for r in rows}
    spare = [r for r in rows if r.id not in replaced]
    return spare[0] if spare else rows[0]


def spoil_row(session: Session, row: Letter, *, reason: str, actor: str, at: datetime) -> None:
    row.state = SPOILED
    row.spoiled_at = at
    row.spoiled_by = actor
    row.spoil_reason = reason
    audit(
        session,
        actor=actor,
        action="spoil",
        entity=AUDIT_ENTITY,
        key=reference(row.office_code, row.series, row.number),
        field="state",
        old=ISSUED,
        new=SPOILED,
        reason=reason,
        at=at,
    )


@dataclass(frozen=True)
class NewLetter:
    """What services.printing knows of a letter it issues, besides its number and PDF."""

    kind: str
    series: str
    office_code: str
    issued_on: date
    week: date
    addressee: str
    figures: str


def record(
    session: Session,
    letter: NewLetter,
    *,
    number: int,
    pdf: bytes,
    pages: int,
    replacing: Letter | None,
    replaces: str | None,
    at: datetime,
) -> Letter:
    """Put an issued letter in the register (inside the issuing transaction, after `claim`)."""
    actor = current_clerk()
    if replacing is not None and replacing.state == ISSUED:
        spoil_row(session, replacing, reason=clean(replaces) or "", actor=actor, at=at)
        session.flush()  # the number is free before the new letter takes it
    row = Letter(
        year=be_year(letter.issued_on),
        series=letter.series,
        number=number,
        office_code=letter.office_code.strip(),
        issued_on=letter.issued_on,
        issued_at=at,
        kind=letter.kind,
        addressee=letter.addressee,
        subject=subject_of(letter.kind, letter.week),
        week=letter.week,
        clerk=actor,
        figures=letter.figures,
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        pages=pages,
        state=ISSUED,
        replaces_id=None if replacing is None else replacing.id,
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        # Another desk took the same number between the check and now (a server database).
        raise RefusedError(
            f"เลขที่หนังสือ {number_label(row.series, number)} ปี {row.year} เพิ่งถูกใช้จากเครื่องอื่น "
            "กรุณาลองใหม่",
            f"letter number {number_label(row.series, number)} of {row.year} was just taken "
            "by another desk; try again",
            code="duplicate_number",
        ) from None
    return row


# ---------------------------------------------------------------- reading


def _entry(row: Any, replaced_by: int | None) -> RegisterEntry:
    """A register row (a Letter, or a selected row without its PDF) as an entry."""
    return RegisterEntry(
        id=row.id,
        year=row.year,
        series=row.series,
        number=row.number,
        reference=reference(row.office_code, row.series, row.number),
        issued_on=row.issued_on,
        issued_at=row.issued_at,
        kind=row.kind,
        addressee=row.addressee,
        subject=row.subject,
        week=row.week,
        clerk=row.clerk,
        figures=row.figures,
        pdf_sha256=row.pdf_sha256,
        pages=row.pages,
        state=row.state,
        spoiled_at=row.spoiled_at,
        spoiled_by=row.spoiled_by,
        spoil_reason=row.spoil_reason,
        replaces=row.replaces_id,
        replaced_by=replaced_by,
        sent_by=row.sent_by,
        sent_at=row.sent_at,
        sent_recorded_by=row.sent_recorded_by,
    )


# The columns a list needs: the PDFs stay in the database until one is reprinted.
_LISTED = [c for c in Letter.__table__.columns if c.name != "pdf"]


def _entries(session: Session, *conditions: Any) -> list[RegisterEntry]:
    rows = session.execute(
        select(*_LISTED).where(*conditions).order_by(Letter.year, Letter.series, Letter.number)
    ).all()
    replaced_by = {
        r.replaces_id: r.id
        for r in session.execute(
            select(Letter.id, Letter.replaces_id).where(Letter.replaces_id.is_not(None))
        )
    }
    return [_entry(r, replaced_by.get(r.id)) for r in rows]


def list_letters(
    db: Database,
    *,
    year: int | None = None,
    series: str | None = None,
    week: date | None = None,
) -> list[RegisterEntry]:
    """The register, by year, series and number (a spoiled letter before its replacement);
    filtered by the Buddhist-era ``year``, the ``series`` ("" or "ว") and the ``week``."""
    conditions: list[Any] = []
    if year is not None:
        conditions.append(Letter.year == year)
    if series is not None:
        conditions.append(Letter.series == series)
    if week is not None:
        conditions.append(Letter.week == calendar.week_start(week))
    with db.reading() as session:
        entries = _entries(session, *conditions)
    return sorted(entries, key=lambda e: (e.year, e.series, e.number, e.id))


def years(db: Database) -> list[int]:
    with db.reading() as session:
        return sorted(set(session.scalars(select(Letter.year))))


def get_letter(db: Database, letter_id: int) -> RegisterEntry:
    with db.reading() as session:
        found = _entries(session, Letter.id == letter_id)
    if not found:
        raise RefusedError(
            f"ไม่มีหนังสือรายการที่ {letter_id} ในทะเบียน",
            f"no letter with id {letter_id} in the register",
            code="unknown_letter",
        )
    return found[0]


def find_letter(
    db: Database, number: int, *, year: int | None = None, series: str | None = None
) -> RegisterEntry:
    """The letter numbered ``number`` (of ``year`` and ``series`` when given): the one in force,
    else the newest spoiled one. Refused when none, or when several letters in force match
    (then the year or series must be given)."""
    label = number_label(series or "", number)
    found = list_letters(db, year=year, series=series)
    found = [e for e in found if e.number == number]
    if not found:
        where = "" if year is None else f" ปี {year}"
        raise RefusedError(
            f"ไม่มีหนังสือเลขที่ {label}{where} ในทะเบียน",
            f"no letter number {label}{'' if year is None else f' of {year}'} in the register",
            code="unknown_letter",
        )
    in_force = [e for e in found if e.in_force]
    if len(in_force) > 1:
        which = ", ".join(f"{e.label}/{e.year}" for e in in_force)
        raise RefusedError(
            f"มีหนังสือเลขที่ {number} หลายฉบับ ({which}) ระบุปีหรือชุด (ว) ให้ชัด",
            f"several letters are numbered {number} ({which}); give --year or --series",
            code="ambiguous_number",
        )
    if in_force:
        return in_force[0]
    return max(found, key=lambda e: e.id)


def reprint(db: Database, letter_id: int) -> bytes:
    """The stored PDF of a letter, byte for byte as it went out; refused (not guessed) when it
    no longer matches its checksum."""
    with db.reading() as session:
        row = _row(session, letter_id)
        data, digest, ref = (
            bytes(row.pdf),
            row.pdf_sha256,
            reference(row.office_code, row.series, row.number),
        )
    if hashlib.sha256(data).hexdigest() != digest:
        raise RefusedError(
            f"ไฟล์หนังสือ {ref} ที่เก็บไว้ไม่ตรงกับค่าตรวจสอบ (เสียหาย) พิมพ์ซ้ำไม่ได้",
            f"the stored PDF of {ref} does not match its checksum (damaged); not reprinted",
            code="pdf_damaged",
        )
    return data


def entry_json(e: RegisterEntry) -> dict[str, Any]:
    """One letter as `letters --json` gives it (the keys are a stable interface)."""

    def moment(value: datetime | None) -> str | None:
        return None if value is None else value.astimezone(calendar.BANGKOK).isoformat()

    return {
        "id": e.id,
        "year": e.year,
        "series": e.series,
        "number": e.number,
        "reference": e.reference,
        "date": e.issued_on.isoformat(),
        "issued_at": moment(e.issued_at),
        "kind": e.kind,
        "addressee": e.addressee,
        "subject": e.subject,
        "week": calendar.week_label(e.week),
        "clerk": e.clerk,
        "figures": json.loads(e.figures),
        "pdf_sha256": e.pdf_sha256,
        "pages": e.pages,
        "state": e.state,
        "spoiled": None
        if e.spoiled_at is None
        else {"at": moment(e.spoiled_at), "by": e.spoiled_by, "reason": e.spoil_reason},
        "replaces": e.replaces,
        "replaced_by": e.replaced_by,
        "sent": None
        if e.sent_by is None
        else {"by": e.sent_by, "at": moment(e.sent_at), "recorded_by": e.sent_recorded_by},
    }


# ---------------------------------------------------------------- after issuing


def mark_sent(
    db: Database, letter_id: int, *, by: str, at: datetime | None = None
) -> RegisterEntry:
    """Record how and when a letter left the office (fax, post, hand, email, edoc); a second
    record corrects the first (both audited)."""
    channel = parse_channel(by)
    actor = current_clerk()
    now = now_utc()
    moment = at or now
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=calendar.BANGKOK)
    with db.transaction() as session:
        row = _row(session, letter_id)
        label = reference(row.office_code, row.series, row.number)
        if row.state != ISSUED:
            raise RefusedError(
                f"หนังสือ {label} ยกเลิกแล้ว บันทึกการส่งไม่ได้",
                f"letter {label} is spoiled; its sending cannot be recorded",
                code="spoiled",
            )
        if moment < row.issued_at or moment > now:
            issued = row.issued_at.astimezone(calendar.BANGKOK).strftime("%Y-%m-%d %H:%M")
            raise RefusedError(
                f"เวลาส่งหนังสือ {label} ต้องอยู่ระหว่างเวลาที่ออกเลข ({issued}) กับเวลานี้",
                f"the time letter {label} was sent must be between its issue ({issued}) and now",
                code="bad_sent_time",
            )
        old = None if row.sent_by is None else f"{row.sent_by} {row.sent_at}"
        row.sent_by, row.sent_at, row.sent_recorded_by = channel, moment, actor
        audit(
            session,
            actor=actor,
            action="sent",
            entity=AUDIT_ENTITY,
            key=label,
            field="sent",
            old=old,
            new=f"{channel} {moment.astimezone(calendar.BANGKOK).isoformat()}",
            at=now,
        )
    return get_letter(db, letter_id)


def spoil(db: Database, letter_id: int, *, reason: str | None) -> RegisterEntry:
    """Mark a letter spoiled (kept in the register, with the reason); its number may then be
    taken by the letter that replaces it."""
    why = clean(reason)
    with db.transaction() as session:
        row = _row(session, letter_id)
        label = reference(row.office_code, row.series, row.number)
        if why is None:
            raise RefusedError(
                f"การยกเลิกหนังสือ {label} ต้องระบุเหตุผล",
                f"give a reason to spoil letter {label}",
                code="reason_required",
            )
        if row.state != ISSUED:
            raise RefusedError(
                f"หนังสือ {label} ยกเลิกไปแล้ว", f"letter {label} is already spoiled", code="spoiled"
            )
        spoil_row(session, row, reason=why, actor=current_clerk(), at=now_utc())
    return get_letter(db, letter_id)


def _row(session: Session, letter_id: int) -> Letter:
    row = session.get(Letter, letter_id)
    if row is None:
        raise RefusedError(
            f"ไม่มีหนังสือรายการที่ {letter_id} ในทะเบียน",
            f"no letter with id {letter_id} in the register",
            code="unknown_letter",
        )
    return row


def export_register(
    db: Database,
    out: Path,
    *,
    year: int | None = None,
    series: str | None = None,
    week: date | None = None,
) -> int:
    """The register (as filtered) as an Excel workbook for the office's own book; rows written."""
    from rayong_desktop.documents.xlsx_register import register_workbook  # openpyxl, when asked

    entries = list_letters(db, year=year, series=series, week=week)
    register_workbook(entries, out, printed_at=now_utc())
    return len(entries)
