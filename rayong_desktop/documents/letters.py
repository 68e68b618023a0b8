"""What the office writes: the weekly letter to the governor and the reminder to late units.

The wording follows the province's own letter (the seed): the campaign is "กลุ่ม Line Official
Account" under the name of the OA, units report every week by 12.00 on their day. Every figure
in a letter is taken from the same WeekSummary as the printed summary it encloses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from rayong_desktop.documents.official import (
    MARGINS,
    ExternalLetter,
    Memo,
    Signature,
    external_letter_pdf,
    memo_pdf,
)
from rayong_desktop.documents.pdf import ruled_cells
from rayong_desktop.documents.summary import plan_difference
from rayong_desktop.documents.text import NBSP, ThaiText
from rayong_desktop.domain.summaries import CallListEntry, WeekSummary
from rayong_desktop.domain.thaidate import thai_datetime
from rayong_desktop.settings import AppSettings

LIST_POINTS = 14
DOTTED_DATE = "." * 30
GRID = colors.HexColor("#9e9e9e")
HEAD_FILL = colors.HexColor("#e3efe6")


@dataclass(frozen=True)
class LetterNumber:
    """The running number a letter carries, and whether it is a circular (ว)."""

    number: int
    circular: bool = False


def number_text(settings: AppSettings, number: LetterNumber, text: ThaiText) -> str:
    """ "รย ๐๐๒๓.๑/๑๒" or "รย ๐๐๒๓.๑/ว ๑๒", in the document's digits throughout."""
    code = settings.document_code.strip()
    tail = f"ว {number.number}" if number.circular else str(number.number)
    full = f"{code}/{tail}"
    # The code is typed in Thai digits by custom; an office printing Arabic digits gets them
    # throughout the line rather than a mix.
    return text.digits(full)


REMINDER_ADDRESSEE = "หน่วยงานตามบัญชีรายชื่อแนบท้าย"


def default_addressee(settings: AppSettings, kind: str) -> str:
    """Who a letter goes to when no one is typed: the one place the print dialog and the
    documents both take it from. ``kind``: "letter", "reminder" or "memo"."""
    if kind == "reminder":
        return REMINDER_ADDRESSEE
    if kind == "memo":
        return settings.signer_position.strip()
    return settings.letter_addressee.strip()


def reference_text(settings: AppSettings, text: ThaiText) -> str:
    """อ้างถึง: the province's letter by number and date ("ที่ … ลงวันที่ …"), the date from
    the settings, or a dotted space to write it in; "" when no reference is set."""
    reference = settings.letter_reference.strip()
    if not reference:
        return ""
    if "ลงวันที่" not in reference:
        day = settings.letter_reference_date.strip()
        when = text.full_date(date.fromisoformat(day)) if day else DOTTED_DATE
        reference += " ลงวันที่ " + when
    return text.digits(reference)


def contact_lines(settings: AppSettings, text: ThaiText) -> tuple[str, ...]:
    lines = [settings.office_section.strip()]
    if settings.office_phone.strip():
        lines.append(f"โทร.{NBSP}{text.digits(settings.office_phone.strip())}")
    if settings.office_fax.strip():
        lines.append(f"โทรสาร{NBSP}{text.digits(settings.office_fax.strip())}")
    if settings.office_email.strip():
        lines.append(f"ไปรษณีย์อิเล็กทรอนิกส์ {settings.office_email.strip()}")
    return tuple(line for line in lines if line)


def _campaign(settings: AppSettings) -> str:
    return f"กลุ่ม Line Official Account ภายใต้ชื่อ “{settings.oa_name}”"


def _change(n: int, text: ThaiText) -> str:
    if n > 0:
        return f"เพิ่มขึ้นจากสัปดาห์ก่อน {text.number(n)}{NBSP}ราย"
    if n < 0:
        return f"ลดลงจากสัปดาห์ก่อน {text.number(-n)}{NBSP}ราย"
    return "เท่ากับสัปดาห์ก่อน"


def summary_letter_body(summary: WeekSummary, settings: AppSettings, text: ThaiText) -> list[str]:
    """The letter's paragraphs; the figures are the summary's, in the document's digits."""
    t = summary.totals
    week = text.week_range(summary.week)
    as_referred = " รายละเอียดตามหนังสือที่อ้างถึง" if settings.letter_reference.strip() else ""
    opening = (
        f"ตามที่ จังหวัดระยองได้จัดทำ{_campaign(settings)} เพื่อเป็นช่องทางสำหรับการเผยแพร่"
        "ประชาสัมพันธ์การป้องกันควบคุมแก้ไขการแพร่ระบาดของเชื้อไวรัสโคโรนา "
        f"{text.digits('2019')} (COVID-19) "
        "และขอให้หน่วยงานตามแผนการเผยแพร่ประชาสัมพันธ์เชิญชวนบุคลากรในสังกัดและประชาชนเข้าร่วมกลุ่ม "
        f"พร้อมทั้งรายงานจำนวนผู้เข้าร่วมกลุ่มให้จังหวัดทราบทุกสัปดาห์{as_referred} นั้น"
    )
    figures = (
        f"{settings.office_name} ขอรายงานผลการดำเนินงานประจำสัปดาห์ระหว่างวันที่ {week} "
        f"ดังนี้ มีผู้เข้าร่วมกลุ่มสะสมทั้งสิ้น {text.number(t.count)}{NBSP}ราย "
        f"คิดเป็นร้อยละ{NBSP}{text.percent_number(t.pct_of_quota)} ของเป้าหมาย "
        f"{text.number(t.quota)}{NBSP}ราย {_change(t.increase, text)} "
        f"หน่วยงานที่ต้องรายงานในสัปดาห์นี้ {text.number(t.expected)}{NBSP}แห่ง "
        f"รายงานแล้ว {text.number(t.received)}{NBSP}แห่ง "
        f"(อัตราการรายงานร้อยละ{NBSP}{text.percent_number(t.reporting_rate)}) "
        f"ในจำนวนนี้รายงานภายในกำหนดเวลา {text.number(t.on_time)}{NBSP}แห่ง "
        f"(ร้อยละ{NBSP}{text.percent_number(t.on_time_rate)}) "
        f"ล่าช้า {text.number(t.late)}{NBSP}แห่ง และยังไม่ได้รายงาน {text.number(t.missing)}{NBSP}แห่ง"
    )
    if t.missing:
        figures += " ซึ่งได้นำยอดที่รายงานครั้งล่าสุดของหน่วยงานดังกล่าวมารวมไว้ด้วยแล้ว"
    difference = plan_difference(summary)
    if summary.stated_quota is not None and difference is not None:
        figures += (
            f" ทั้งนี้ ยอดรวมจากทุกลำดับในแผนกับยอดรวม {text.number(summary.stated_quota)}"
            f"{NBSP}ราย ที่พิมพ์ไว้ในแผน ต่างกัน {text.number(difference)}{NBSP}ราย"
        )
    figures += " รายละเอียดปรากฏตามสิ่งที่ส่งมาด้วย"
    return [opening, figures, "จึงเรียนมาเพื่อโปรดทราบ"]


def summary_letter_pdf(
    summary: WeekSummary,
    *,
    settings: AppSettings,
    number: LetterNumber,
    issued_on: date,
    to: str | None = None,
    text: ThaiText | None = None,
    notice: str | None = None,
) -> bytes:
    """The weekly letter to the governor (or ``to``) that encloses the summary (``notice``: a
    line before the closing sentence)."""
    text = text or ThaiText.for_settings(settings)
    week = text.week_range(summary.week)
    body = summary_letter_body(summary, settings, text)
    if notice:
        body.insert(-1, text.digits(notice))
    letter = ExternalLetter(
        number=number_text(settings, number, text),
        office=settings.office_name,
        address=text.digits(settings.office_address),
        date=text.full_date(issued_on),
        subject=(f"รายงานผลการเชิญชวนเข้าร่วม{_campaign(settings)} ประจำสัปดาห์ระหว่างวันที่ {week}"),
        to=(to or default_addressee(settings, "letter")).strip(),
        reference=reference_text(settings, text),
        enclosures=(
            f"สรุปผลการรายงานจำนวนผู้เข้าร่วมกลุ่ม ประจำสัปดาห์ระหว่างวันที่ {week} "
            f"จำนวน {text.number(1)}{NBSP}ชุด",
        ),
        body=tuple(body),
        signature=Signature(settings.signer_name, settings.signer_position),
        urgency=settings.letter_urgency.strip(),
        contact=contact_lines(settings, text),
        title=f"หนังสือรายงานผล {week}",
    )
    return external_letter_pdf(letter, text=text, garuda=settings.garuda_image)


# ---------------------------------------------------------------- reminders


def _units_table(
    entries: Sequence[CallListEntry], text: ThaiText, width: float, *, with_deadline: bool
) -> Table:
    """The late units: number, unit and code, deadline, contact and phone/fax, last count."""
    cols_cm = [1.0, 0, 2.8, 3.4, 1.9] if with_deadline else [1.0, 0, 3.6, 1.9]
    fixed = sum(cols_cm) * cm
    widths = [c * cm for c in cols_cm]
    widths[1] = width - fixed
    pad = 3
    cell = text.style("list", LIST_POINTS, leading=LIST_POINTS * 1.15)
    head = text.style("list-h", LIST_POINTS, bold=True, align=TA_CENTER, leading=LIST_POINTS * 1.15)
    headers = ["ที่", "หน่วยงาน (รหัส)"]
    if with_deadline:
        headers.append("กำหนดส่ง")
    headers += ["ผู้ประสานงาน / โทรศัพท์ / โทรสาร", "ยอดสะสมล่าสุด"]
    rows: list[list[object]] = [
        [text.paragraph(h, head, w - 2 * pad) for h, w in zip(headers, widths, strict=True)]
    ]
    for i, e in enumerate(entries, start=1):
        reach = [
            e.contact or "",
            f"โทร. {text.digits(e.phone)}" if e.phone else "",
            f"โทรสาร {text.digits(e.fax)}" if e.fax else "",
        ]
        reach_text = "\n".join(r for r in reach if r) or "–"
        row: list[object] = [
            text.number(i),
            text.paragraph(f"{e.name} ({e.code})", cell, widths[1] - 2 * pad),
        ]
        if with_deadline:
            row.append(
                text.paragraph(
                    thai_datetime(e.due_at, thai_digits=text.thai_digits), cell, widths[2] - 2 * pad
                )
            )
        row += [
            text.paragraph(reach_text, cell, widths[-2] - 2 * pad),
            text.number(e.last_count),
        ]
        rows.append(row)
    return Table(
        rows,
        colWidths=widths,
        repeatRows=1,
        style=TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), text.font(), text.size(LIST_POINTS), cell.leading),
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 1), (0, -1), "RIGHT"),
                ("ALIGN", (-1, 1), (-1, -1), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), pad),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                *ruled_cells([cell, head], rule_width=0.4),
            ]
        ),
    )


# Both schedules (the letter's Thursday, the plan's Friday) close at noon.
DEADLINE_PHRASE = "ภายในเวลา 12.00 น. ของวันที่กำหนด"


def reminder_letter_pdf(
    summary: WeekSummary,
    entries: Sequence[CallListEntry],
    *,
    settings: AppSettings,
    number: LetterNumber,
    issued_on: date,
    to: str | None = None,
    text: ThaiText | None = None,
) -> bytes:
    """A circular (ว) to the units that missed the week's deadline, listed after the letter."""
    text = text or ThaiText.for_settings(settings)
    week = text.week_range(summary.week)
    width = A4[0] - MARGINS.left - MARGINS.right
    as_referred = " รายละเอียดตามหนังสือที่อ้างถึง" if settings.letter_reference.strip() else ""
    reach = []
    if settings.office_phone.strip():
        reach.append(f"โทรศัพท์{NBSP}{text.digits(settings.office_phone.strip())}")
    if settings.office_fax.strip():
        reach.append(f"โทรสาร{NBSP}{text.digits(settings.office_fax.strip())}")
    body = (
        f"ตามที่ จังหวัดระยองได้ขอให้หน่วยงานรายงานจำนวนผู้เข้าร่วม{_campaign(settings)} "
        f"ให้จังหวัดทราบทุกสัปดาห์ {text.digits(DEADLINE_PHRASE)}{as_referred} นั้น",
        f"บัดนี้ ได้พ้นกำหนดการรายงานประจำสัปดาห์ระหว่างวันที่ {week} แล้ว "
        f"{settings.office_name} ยังไม่ได้รับรายงานจากหน่วยงานตามบัญชีรายชื่อแนบท้ายหนังสือนี้ "
        f"จำนวน {text.number(len(entries))}{NBSP}แห่ง จึงขอให้หน่วยงานดังกล่าวรายงานจำนวนผู้เข้าร่วมกลุ่ม"
        f"สะสมตามแบบรายงานที่กำหนดโดยด่วน" + (f" ทาง{' หรือ'.join(reach)}" if reach else ""),
        "จึงเรียนมาเพื่อโปรดพิจารณาดำเนินการ",
    )
    title_style = text.style("att-title", 16, bold=True, align=TA_CENTER)
    attachment: tuple[Flowable, ...] = (
        text.paragraph(
            f"บัญชีรายชื่อหน่วยงานที่ยังไม่ได้รายงานจำนวนผู้เข้าร่วมกลุ่ม ประจำสัปดาห์ระหว่างวันที่ {week}",
            title_style,
            width,
        ),
        text.paragraph(
            f"แนบท้ายหนังสือ{settings.office_name} ที่ {number_text(settings, number, text)} "
            f"ลงวันที่ {text.full_date(issued_on)}",
            text.style("att-sub", 14, align=TA_CENTER),
            width,
        ),
        Spacer(1, 0.3 * cm),
        _units_table(entries, text, width, with_deadline=True),
    )
    letter = ExternalLetter(
        number=number_text(settings, number, text),
        office=settings.office_name,
        address=text.digits(settings.office_address),
        date=text.full_date(issued_on),
        subject=(f"ขอให้รายงานจำนวนผู้เข้าร่วม{_campaign(settings)} ประจำสัปดาห์ระหว่างวันที่ {week}"),
        to=(to or default_addressee(settings, "reminder")).strip(),
        reference=reference_text(settings, text),
        enclosures=(),
        body=body,
        signature=Signature(settings.signer_name, settings.signer_position),
        urgency=settings.letter_urgency.strip(),
        contact=contact_lines(settings, text),
        attachment=attachment,
        title=f"หนังสือขอให้รายงาน {week}",
    )
    return external_letter_pdf(letter, text=text, garuda=settings.garuda_image)


def reminder_memo_pdf(
    summary: WeekSummary,
    entries: Sequence[CallListEntry],
    *,
    settings: AppSettings,
    number: LetterNumber,
    issued_on: date,
    to: str | None = None,
    text: ThaiText | None = None,
) -> bytes:
    """An internal memo to the head of office listing the units to chase."""
    text = text or ThaiText.for_settings(settings)
    week = text.week_range(summary.week)
    width = A4[0] - MARGINS.left - MARGINS.right
    section = " ".join(
        p
        for p in (
            settings.office_name,
            settings.office_section,
            f"โทร.{NBSP}{text.digits(settings.office_phone)}"
            if settings.office_phone.strip()
            else "",
        )
        if p.strip()
    )
    memo = Memo(
        section=section,
        number=number_text(settings, number, text),
        date=text.full_date(issued_on),
        subject=(f"หน่วยงานที่ยังไม่ได้รายงานจำนวนผู้เข้าร่วมกลุ่ม ประจำสัปดาห์ระหว่างวันที่ {week}"),
        to=(to or default_addressee(settings, "memo")).strip(),
        body=(
            f"ตามที่ จังหวัดระยองได้ขอให้หน่วยงานรายงานจำนวนผู้เข้าร่วม{_campaign(settings)} "
            f"ให้จังหวัดทราบทุกสัปดาห์ {text.digits(DEADLINE_PHRASE)} นั้น",
            f"{settings.office_section} ขอเรียนว่า เมื่อพ้นกำหนดการรายงานประจำสัปดาห์ระหว่างวันที่ "
            f"{week} แล้ว ยังมีหน่วยงานที่ไม่ได้รายงาน จำนวน {text.number(len(entries))}{NBSP}แห่ง "
            "ดังนี้",
            _units_table(entries, text, width, with_deadline=False),
            "จึงเรียนมาเพื่อโปรดทราบ และพิจารณาแจ้งเตือนหน่วยงานดังกล่าวต่อไป",
        ),
        signature=Signature("", f"หัวหน้า{settings.office_section}"),
        title=f"บันทึกหน่วยงานที่ยังไม่ได้รายงาน {week}",
    )
    return memo_pdf(memo, text=text, garuda=settings.garuda_image)
