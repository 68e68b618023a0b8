"""Printed documents: gather the figures through the other services, hand them to documents/.

One function per document, each returning the PDF's bytes so the GUI can preview and print
them and the command line can save them (``save_pdf`` writes through a temporary file, so a
failed build never leaves half a PDF). Letters take a running number from the settings; only
``issue=True`` (a letter that leaves the office: saved or printed) uses one up, audited, and
puts the letter with its PDF in the outgoing register (services.letter_register).
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from rayong_desktop.db.engine import Database
from rayong_desktop.documents.chart import TrendPoint
from rayong_desktop.documents.letters import (
    LetterNumber,
    default_addressee,
    reminder_letter_pdf,
    reminder_memo_pdf,
    summary_letter_pdf,
)
from rayong_desktop.documents.posters import PAGE_SIZES as POSTER_SIZES
from rayong_desktop.documents.posters import qr_posters_pdf
from rayong_desktop.documents.report_form import FormUnit, report_forms_pdf
from rayong_desktop.documents.summary import weekly_summary_pdf
from rayong_desktop.domain import calendar, districts, forecast, summaries, validation
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.domain.letter_register import series_of
from rayong_desktop.domain.thaidate import be_year
from rayong_desktop.files import atomic_write
from rayong_desktop.services import closed_weeks, letter_register, registry, status, trends
from rayong_desktop.services.common import audit, current_clerk, now_utc
from rayong_desktop.services.settings import get_settings, load_settings, save_setting
from rayong_desktop.settings import AppSettings, setting_label

# ---------------------------------------------------------------- saving


def save_pdf(data: bytes, out: Path) -> None:
    """Write ``data`` to ``out`` all at once (see `atomic_write`): a crash or a full disk leaves
    the old file or none."""
    out = Path(out)
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise RefusedError(
            f"ไม่มีโฟลเดอร์ {folder}", f"the folder {folder} does not exist", code="bad_path"
        )
    try:
        atomic_write(out, data)
    except OSError as exc:
        raise RefusedError(
            f"บันทึกไฟล์ {out} ไม่ได้: {exc.strerror}",
            f"cannot save {out}: {exc.strerror}",
            code="bad_path",
        ) from exc


_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def page_count(data: bytes) -> int:
    """Pages of a PDF made here (ReportLab writes page objects uncompressed)."""
    return len(_PAGE_OBJECT.findall(data))


# ---------------------------------------------------------------- the weekly summary


def province_trend(db: Database, week: date) -> list[TrendPoint]:
    """The province's cumulative count for every campaign week up to ``week``
    (`trends.province_counts`)."""
    return [TrendPoint(w, n) for w, n in trends.province_counts(db, week)]


def campaign_week_number(db: Database, week: date) -> int | None:
    campaign = status.campaign_info(db)
    weeks = calendar.campaign_weeks(campaign.start, campaign.end)
    return weeks.index(week) + 1 if week in weeks else None


@dataclass(frozen=True)
class WeekFigures:
    """What a summary or letter of a week prints: a closed week's frozen figures, trend and
    forecast, or today's (``trend`` and ``outlook`` None: computed now), with ``notice`` the
    line saying today's figures are not the closed week's."""

    summary: summaries.WeekSummary
    trend: list[TrendPoint] | None
    notice: str | None
    outlook: forecast.Outlook | None
    frozen: bool


def week_figures(db: Database, week: date, *, live: bool = False) -> WeekFigures:
    """The figures a summary or letter of ``week`` prints: a closed week's frozen ones, or
    with ``live`` (or an open week) today's, with the line saying that they are not the closed
    week's when it is closed."""
    picture = status.week_picture(db, week, live=live)
    frozen = picture.frozen
    if frozen is not None:
        trend = [TrendPoint(w, n) for w, n in frozen.trend]
        return WeekFigures(frozen.summary, trend, None, frozen.outlook, frozen=True)
    return WeekFigures(picture.summary, None, picture.notice, None, frozen=False)


def summary_pdf(
    db: Database, *, week: date, now: datetime | None = None, live: bool = False
) -> bytes:
    """The weekly summary of ``week`` (a Monday): a closed week's frozen figures unless
    ``live``. The district table comes from the same figures, the forecast line from the
    snapshot (none for a week closed before the summary printed one), so a closed week
    reprints as it was printed at closing."""
    settings = get_settings(db)
    f = week_figures(db, week, live=live)
    if f.frozen:
        outlook = f.outlook
    else:
        outlook = status.province_outlook(db, f.summary)
    return weekly_summary_pdf(
        f.summary,
        settings=settings,
        printed_at=now or now_utc(),
        trend=f.trend if f.trend is not None else province_trend(db, week),
        week_number=campaign_week_number(db, week),
        notice=f.notice,
        forecast=outlook,
    )


# ---------------------------------------------------------------- letters


def addressee(settings: AppSettings, kind: str) -> str:
    """What a letter of ``kind`` ("letter", "reminder", "memo") prints after เรียน when no
    one is typed: the print dialog shows this, the document prints it."""
    return default_addressee(settings, kind)


@dataclass(frozen=True)
class LetterPdf:
    data: bytes
    number: int  # the running number printed after the office code
    circular: bool
    issued: bool  # True when the number was used up (and audited)
    register_id: int | None = None  # the letter's row in the outgoing register, when issued


@dataclass(frozen=True)
class Registered:
    """What the register keeps of a letter besides its number and PDF (see `_issue`)."""

    kind: str
    addressee: str
    issued_on: date
    summary: summaries.WeekSummary  # the figures it printed
    frozen: bool  # a closed week's frozen figures (else today's)
    units: tuple[str, ...] = ()  # a reminder's late units


def _issue(
    db: Database,
    *,
    counter: str,
    week: date,
    number: int | None,
    issue: bool,
    out: Path | None,
    build: Callable[[int], bytes],
    registered: Registered,
    circular: bool = False,
    detail: dict[str, str] | None = None,
    given: int | None = None,
    replaces: str | None = None,
) -> LetterPdf:
    """Build a letter with its running number; when issued, write it, count it and put it in
    the outgoing register. The desk's next number starts again at 1 in a new calendar year
    (letter_register.next_number).

    The number is read, checked against the register, the PDF built, recorded with the
    number, saved, and the counter moved on in one write transaction, so two clerks issuing at
    once get different numbers and a failed build or save uses none. ``given``: the number the
    office's central register gave, taken instead of the desk's next one (the counter moves
    past it); a number already in the register's year and series is refused unless
    ``replaces`` gives the reason its letter is spoiled (it stays in the register, marked so).
    A reprint (``number`` given) never moves the counter and records nothing.
    """
    _check_numbers(number, given, replaces)
    series = series_of(circular)
    year = be_year(registered.issued_on)

    def desk_next(session: Session, settings: AppSettings) -> int:
        stored = int(getattr(settings, counter))
        return letter_register.next_number(
            session, counter=counter, series=series, year=year, stored=stored
        )

    if number is not None or not issue:
        n = number if number is not None else given
        if n is None:
            with db.reading() as session:
                n = desk_next(session, load_settings(session))
        elif number is None:
            # The preview of a number from the central register: refused as issuing it would
            # be (taken, or nothing to replace), before the clerk prints it.
            with db.reading() as session:
                letter_register.claim(
                    session, year=year, series=series, number=n, replaces=replaces
                )
        data = build(n)
        if out is not None:
            save_pdf(data, out)
        return LetterPdf(data, n, circular, issued=False)
    with db.transaction() as session:
        settings = load_settings(session)
        next_n = desk_next(session, settings)
        n = given if given is not None else next_n
        replacing = letter_register.claim(
            session,
            year=year,
            series=series,
            number=n,
            replaces=replaces,
        )
        data = build(n)
        close = closed_weeks.open_close(session, week) if registered.frozen else None
        row = letter_register.record(
            session,
            letter_register.NewLetter(
                kind=registered.kind,
                series=series,
                office_code=settings.document_code,
                issued_on=registered.issued_on,
                week=week,
                addressee=registered.addressee,
                figures=letter_register.figures_json(
                    registered.summary,
                    closed_checksum=None if close is None else close.checksum,
                    units=registered.units,
                ),
            ),
            number=n,
            pdf=data,
            pages=page_count(data),
            replacing=replacing,
            replaces=replaces,
            at=now_utc(),
        )
        if out is not None:
            save_pdf(data, out)
        if n >= next_n:
            save_setting(session, counter, n + 1)
        kind = registered.kind
        audit(
            session,
            actor=current_clerk(),
            action="issue",
            entity="letter",
            key=letter_register.reference(settings.document_code, series, n),
            field=counter,
            old=str(n),
            new=json.dumps(
                {"kind": kind, "week": calendar.week_label(week), **(detail or {})},
                ensure_ascii=False,
            ),
        )
        register_id = row.id
    return LetterPdf(data, n, circular, issued=True, register_id=register_id)


def _check_numbers(number: int | None, given: int | None, replaces: str | None) -> None:
    if number is not None and given is not None:
        raise RefusedError(
            "เลือกได้อย่างใดอย่างหนึ่ง: พิมพ์ซ้ำเลขที่เดิม หรือ ออกเลขที่จากทะเบียนกลาง",
            "give either a number to reprint or a number to issue, not both",
            code="bad_arguments",
        )
    if given is not None and given < 1:
        raise RefusedError(
            "เลขที่หนังสือต้องเริ่มที่ 1 ขึ้นไป", "the letter number must be 1 or more", code="bad_number"
        )
    if replaces is not None and given is None:
        raise RefusedError(
            "การใช้แทนฉบับที่เสียต้องระบุเลขที่ของฉบับนั้น",
            "to replace a spoiled letter, give its number to issue",
            code="bad_arguments",
        )


def letter_pdf(
    db: Database,
    *,
    week: date,
    to: str | None = None,
    issue: bool = False,
    number: int | None = None,
    out: Path | None = None,
    now: datetime | None = None,
    live: bool = False,
    given: int | None = None,
    replaces: str | None = None,
) -> LetterPdf:
    """The weekly letter to the governor (or ``to``), enclosing the summary of ``week``.

    A preview (``issue=False``) shows the next number without using it; ``issue=True`` uses it
    and records the letter in the audit log; ``number`` reprints a letter with its own number.
    A closed week's letter gives its frozen figures unless ``live``.
    """
    settings = get_settings(db)
    figures = week_figures(db, week, live=live)
    summary, notice = figures.summary, figures.notice
    issued_on = (now or now_utc()).astimezone(calendar.BANGKOK).date()

    def build(n: int) -> bytes:
        return summary_letter_pdf(
            summary,
            settings=settings,
            number=LetterNumber(n),
            issued_on=issued_on,
            to=to,
            notice=notice,
        )

    addressee = (to or settings.letter_addressee).strip()
    return _issue(
        db,
        counter="letter_next_number",
        week=week,
        number=number,
        issue=issue,
        out=out,
        build=build,
        registered=Registered("summary_letter", addressee, issued_on, summary, figures.frozen),
        detail={"to": addressee},
        given=given,
        replaces=replaces,
    )


def overdue_units(summary: summaries.WeekSummary, now: datetime) -> list[summaries.CallListEntry]:
    """Units expected this week, not reported, whose deadline has passed by ``now``."""
    return list(summaries.call_lists(summary.call_list, now).overdue)


def reminder_pdf(
    db: Database,
    *,
    week: date,
    memo: bool = False,
    to: str | None = None,
    issue: bool = False,
    number: int | None = None,
    out: Path | None = None,
    now: datetime | None = None,
    by_district: bool = False,
    given: int | None = None,
    replaces: str | None = None,
) -> LetterPdf:
    """A reminder to the units that missed ``week``'s deadline: a circular letter (ว) to
    them, or with ``memo`` an internal memo to the head of office listing them.

    With ``by_district``: one circular per district, addressed to its local administration
    office and listing only that district's late units (then one to the units without a
    district), all under the one circular number, in one PDF, each starting on a new page.

    Refused when no unit is overdue (before the deadline, or everyone reported).
    """
    if by_district and memo:
        raise RefusedError(
            "หนังสือแยกตามอำเภอเป็นหนังสือเวียนถึงอำเภอ ใช้กับบันทึกข้อความไม่ได้",
            "--by-district makes circular letters to the district offices, not a memo",
            code="bad_arguments",
        )
    moment = now or now_utc()
    settings = get_settings(db)
    summary = status.week_summary(db, week)
    entries = overdue_units(summary, moment)
    if not entries:
        raise RefusedError(
            f"ไม่มีหน่วยที่พ้นกำหนดรายงานของสัปดาห์ {calendar.week_label(week)} "
            "(ยังไม่ถึงกำหนด หรือรายงานครบแล้ว)",
            f"no unit has missed the deadline of {calendar.week_label(week)} "
            "(not due yet, or every unit reported)",
            code="nothing_to_remind",
        )
    issued_on = moment.astimezone(calendar.BANGKOK).date()
    make = reminder_memo_pdf if memo else reminder_letter_pdf
    late = districts.late_by_district(summary, entries) if by_district else []
    if by_district:
        addressee = " ".join(district_addressee(g.district) or "หน่วยงาน" for g, _ in late)
    elif to and to.strip():
        addressee = to.strip()
    else:
        addressee = settings.signer_position.strip() if memo else "หน่วยงานที่ยังไม่ได้รายงาน"

    def build(n: int) -> bytes:
        if by_district:
            return merge_pdfs(
                [
                    make(
                        summary,
                        mine,
                        settings=settings,
                        number=LetterNumber(n, circular=True),
                        issued_on=issued_on,
                        to=district_addressee(group.district),
                    )
                    for group, mine in late
                ]
            )
        return make(
            summary,
            entries,
            settings=settings,
            number=LetterNumber(n, circular=not memo),
            issued_on=issued_on,
            to=to,
        )

    return _issue(
        db,
        counter="letter_next_number" if memo else "circular_next_number",
        week=week,
        number=number,
        issue=issue,
        out=out,
        build=build,
        registered=Registered(
            "reminder_memo" if memo else "reminder_letter",
            addressee,
            issued_on,
            summary,
            frozen=False,
            units=tuple(e.code for e in entries),
        ),
        circular=not memo,
        detail={"units": " ".join(e.code for e in entries)},
        given=given,
        replaces=replaces,
    )


def district_addressee(district: str | None) -> str | None:
    """Who a district's reminder is addressed to: the head of its local administration office
    (ท้องถิ่นอำเภอ); None (the reminder's usual addressee) for the units without a district."""
    return None if district is None else f"ท้องถิ่นอำเภอ{district}"


def merge_pdfs(parts: list[bytes]) -> bytes:
    """The PDFs one after another in one file (each part keeps its own pages)."""
    import pypdfium2 as pdfium

    merged = pdfium.PdfDocument.new()
    for part in parts:
        merged.import_pages(pdfium.PdfDocument(part))
    out = io.BytesIO()
    merged.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- blank report forms


def form_pdf(
    db: Database,
    *,
    week: date,
    unit: str | None = None,
    plan_row: int | None = None,
    now: datetime | None = None,
) -> bytes:
    """The blank report form for ``week``: for one unit, for every active unit of a plan row
    (one page each), or with the unit left blank when neither is given."""
    if unit is not None and plan_row is not None:
        raise RefusedError(
            "เลือกได้อย่างใดอย่างหนึ่ง: หน่วย หรือ ลำดับในแผน",
            "give either a unit or a plan row, not both",
            code="bad_arguments",
        )
    settings = get_settings(db)
    summary = status.week_summary(db, week)
    rows = {r.row.number: r.row.name for r in summary.plan_rows}
    active = {u.code for u in registry.list_units(db, include_retired=False)}

    def entry(u: summaries.UnitWeek) -> FormUnit:
        last = u.previous_count
        return FormUnit(
            code=u.unit.code,
            name=u.unit.name,
            plan_row=u.unit.plan_row,
            plan_row_name=rows.get(u.unit.plan_row, ""),
            quota=u.unit.quota,
            last_count=last,
            last_week=_last_week(summary, u) if last is not None else None,
            due_at=u.due_at,
        )

    forms: list[FormUnit | None]
    if unit is not None:
        code = registry.get_unit(db, unit).code  # refuses an unknown code
        forms = [entry(u) for u in summary.units if u.unit.code == code]
    elif plan_row is not None:
        if plan_row not in rows:
            raise RefusedError(
                f"ไม่มีแผนลำดับที่ {plan_row}",
                f"no plan row number {plan_row}",
                code="unknown_plan_row",
            )
        forms = [
            entry(u) for u in summary.units if u.unit.plan_row == plan_row and u.unit.code in active
        ]
        if not forms:
            raise RefusedError(
                f"แผนลำดับที่ {plan_row} ไม่มีหน่วยที่ยังรายงานอยู่",
                f"plan row {plan_row} has no active unit",
                code="no_units",
            )
    else:
        forms = [None]
    deadlines = sorted({u.due_at for u in summary.units if u.unit.code in active})
    return report_forms_pdf(
        forms,
        week=week,
        deadlines=deadlines,
        settings=settings,
        printed_at=now or now_utc(),
    )


def _last_week(summary: summaries.WeekSummary, u: summaries.UnitWeek) -> date | None:
    # The call list knows the week of a missing unit's last figure; for the others it is
    # simply the report before this week, which the summary does not date.
    for c in summary.call_list:
        if c.code == u.unit.code:
            return c.last_week
    return None


# ---------------------------------------------------------------- QR posters


def poster_pdf(
    db: Database,
    *,
    size: str = "A4",
    unit: str | None = None,
    all_units: bool = False,
    oa_id: str | None = None,
) -> bytes:
    """QR posters: one (optionally naming ``unit``), or one per active unit (``all_units``).

    ``oa_id`` overrides the configured LINE ID for these posters. Refused when there is no ID
    to print: a poster without it cannot be used from LINE on a PC.
    """
    if unit is not None and all_units:
        raise RefusedError(
            "เลือกได้อย่างใดอย่างหนึ่ง: หน่วยเดียว หรือ ทุกหน่วย",
            "give either a unit or all units, not both",
            code="bad_arguments",
        )
    if size.upper() not in POSTER_SIZES:
        raise RefusedError(
            f"ขนาดกระดาษ '{size}' ใช้ไม่ได้ (A4 หรือ A3)",
            f"paper size '{size}' is not available (A4 or A3)",
            code="bad_size",
        )
    settings = get_settings(db)
    given = (oa_id or "").strip()
    the_id = (given or settings.oa_id).strip().lstrip("@")
    if not the_id:
        raise RefusedError(
            f"ยังไม่ได้ตั้ง LINE ID ของบัญชี: กรอกที่ {setting_label('oa_id')} หรือระบุ LINE ID สำหรับโปสเตอร์นี้",
            "no LINE OA ID is configured: set the oa_id setting or give --oa-id",
            code="no_oa_id",
        )
    the_id = validation.check_oa_id("@" + the_id)[1:]  # as LINE spells an ID: one rule
    url = (
        dataclasses.replace(settings, oa_id=the_id, oa_add_friend_url="").add_friend_url()
        if given
        else settings.add_friend_url()
    )
    names: list[str | None]
    if all_units:
        names = [u.name for u in registry.list_units(db, include_retired=False)]
        if not names:
            raise RefusedError("ไม่มีหน่วยที่ยังรายงานอยู่", "there is no active unit", code="no_units")
    elif unit is not None:
        names = [registry.get_unit(db, unit).name]
    else:
        names = [None]
    return qr_posters_pdf(
        url=url, oa_id=the_id, settings=settings, size=size.upper(), unit_names=names
    )


# ---------------------------------------------------------------- one entry for every document

DOCUMENT_KINDS = ("summary", "letter", "reminder", "form", "poster")


@dataclass(frozen=True)
class DocumentRequest:
    """Everything that decides a printed document; the print dialog and the command line each
    build one from their fields or options and hand it to ``make_document``.

    ``week``: any day of the week (None: the current reporting week); a poster has none.
    ``to``, ``number``: a letter's or reminder's addressee and reprint number; ``memo``: the
    reminder as an internal memo. ``unit`` / ``plan_row``: whose form; ``unit`` / ``all_units``,
    ``size``, ``oa_id``: the poster's.
    """

    kind: str
    week: date | None = None
    to: str | None = None
    number: int | None = None
    memo: bool = False
    unit: str | None = None
    plan_row: int | None = None
    all_units: bool = False
    size: str = "A4"
    oa_id: str | None = None
    live: bool = False  # a closed week's summary or letter with today's figures
    by_district: bool = False  # the reminder as one circular per district
    # A letter's or reminder's number from the office's central register, issued instead of
    # the desk's next; ``replaces``: why the letter already holding it is spoiled.
    given_number: int | None = None
    replaces: str | None = None


@dataclass(frozen=True)
class Document:
    """A built document: its PDF, and for a letter or reminder the number it carries."""

    data: bytes
    letter: LetterPdf | None = None

    @property
    def pages(self) -> int:
        return page_count(self.data)


def make_document(
    db: Database, request: DocumentRequest, *, issue: bool = False, out: Path | None = None
) -> Document:
    """Build the requested document; with ``out`` save it (all at once, see ``save_pdf``).

    A letter or reminder takes the next running number when ``issue`` is True (and the number
    is then used up and audited), else shows the number it would get; ``request.number``
    reprints with that number instead.
    """
    r = request
    if r.kind not in DOCUMENT_KINDS:
        raise RefusedError(
            f"ไม่รู้จักเอกสาร '{r.kind}'", f"no such document: '{r.kind}'", code="bad_arguments"
        )
    if r.number is not None and r.number < 1:
        raise RefusedError(
            "เลขที่หนังสือต้องเริ่มที่ 1 ขึ้นไป",
            "the letter number must be 1 or more",
            code="bad_number",
        )
    if r.kind == "poster":
        data = poster_pdf(db, size=r.size, unit=r.unit, all_units=r.all_units, oa_id=r.oa_id)
    else:
        week = calendar.week_start(r.week) if r.week is not None else status.current_week(db)[0]
        if r.kind == "letter":
            letter = letter_pdf(
                db,
                week=week,
                to=r.to,
                issue=issue,
                number=r.number,
                out=out,
                live=r.live,
                given=r.given_number,
                replaces=r.replaces,
            )
            return Document(letter.data, letter)
        if r.kind == "reminder":
            letter = reminder_pdf(
                db,
                week=week,
                memo=r.memo,
                to=r.to,
                issue=issue,
                number=r.number,
                out=out,
                by_district=r.by_district,
                given=r.given_number,
                replaces=r.replaces,
            )
            return Document(letter.data, letter)
        if r.kind == "summary":
            data = summary_pdf(db, week=week, live=r.live)
        else:
            data = form_pdf(db, week=week, unit=r.unit, plan_row=r.plan_row)
    if out is not None:
        save_pdf(data, out)
    return Document(data)
