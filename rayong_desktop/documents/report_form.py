"""The blank weekly report form (แบบรายงาน) a unit prints, fills in by hand and faxes back.

One page per unit, or one generic page with the unit left blank. Everything a unit needs to
answer without calling is on the page: who it is (name, code, plan row, quota), which week,
the deadline, its last figure, and where to send the form.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, PageBreak, Spacer, Table

from rayong_desktop.documents.pdf import BARE, Margins, page_width, render, ruled_cells, table_style
from rayong_desktop.documents.text import NBSP, ThaiText
from rayong_desktop.domain.calendar import BANGKOK, week_label
from rayong_desktop.domain.thaidate import thai_weekday
from rayong_desktop.settings import AppSettings

MARGINS = Margins(left=2.5 * cm, right=2 * cm, top=1.8 * cm, bottom=1.8 * cm)
LINE = colors.HexColor("#444444")
BOX_FILL = colors.HexColor("#f4faf6")
DEADLINE_RED = colors.HexColor("#b00020")
POINTS = 16


@dataclass(frozen=True)
class FormUnit:
    """What the form prints about one unit (all from the week's summary)."""

    code: str
    name: str
    plan_row: int
    plan_row_name: str
    quota: int
    last_count: int | None  # the unit's latest figure before this week
    last_week: date | None
    due_at: datetime


def _deadline(due: datetime, text: ThaiText) -> str:
    local = due.astimezone(BANGKOK)
    time = text.digits(f"{local.hour:02d}.{local.minute:02d}")
    return f"วัน{thai_weekday(local)}ที่{NBSP}{text.full_date(local.date())} เวลา{NBSP}{time}{NBSP}น."


class _Page:
    def __init__(self, text: ThaiText, settings: AppSettings) -> None:
        self.t = text
        self.s = settings
        self.width = page_width(A4, MARGINS)
        self.body = text.style("form", POINTS)
        self.bold = text.style("form-b", POINTS, bold=True)
        self.small = text.style("form-s", 13)

    def fields(self, rows: Sequence[tuple[str, str]], label_w: float) -> Table:
        """Label, then the value on a dotted line (blank values are left to be written)."""
        t = self.t
        value_w = self.width - label_w
        data = []
        for label, value in rows:
            # The value on dotted lines, one under each of its lines; the label level with
            # its first line.
            written = t.paragraph(value, self.body, value_w - 6)
            written.leader = True
            data.append([t.paragraph(label, self.bold, label_w - 4), written])
        return Table(
            data,
            colWidths=[label_w, value_w],
            style=table_style(
                t,
                *BARE,
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("LEFTPADDING", (1, 0), (1, -1), 6),
            ),
        )

    def box(self, label: str, unit: str, height: float, hint: str = "") -> Table:
        """A framed box to write a figure or remarks in."""
        t = self.t
        label_w = 6.2 * cm
        unit_w = 1.6 * cm if unit else 0.0
        cells: list[Any] = [
            [t.paragraph(label, self.bold, label_w - 10)]
            + ([t.paragraph(hint, self.small, label_w - 10)] if hint else []),
            "",
        ]
        widths = [label_w, self.width - label_w - unit_w]
        if unit:
            cells.append(t.paragraph(unit, self.bold, unit_w - 8))
            widths.append(unit_w)
        return Table(
            [cells],
            colWidths=widths,
            rowHeights=[height],
            style=table_style(
                t,
                ("BOX", (0, 0), (-1, -1), 1.2, LINE),
                ("BACKGROUND", (1, 0), (1, 0), BOX_FILL),
                ("LINEBEFORE", (1, 0), (1, 0), 0.6, LINE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("VALIGN", (0, 0), (0, 0), "TOP"),
                *ruled_cells([self.bold, self.small], rule_width=1.2),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ),
        )

    def story(
        self, unit: FormUnit | None, week: date, deadlines: Sequence[datetime]
    ) -> list[Flowable]:
        t, s = self.t, self.s
        w = self.width
        week_range = t.week_range(week)
        send_to = " ".join(p for p in (s.office_name, s.office_section) if p.strip())
        reach = []
        if s.office_fax.strip():
            reach.append(f"โทรสาร{NBSP}{t.digits(s.office_fax.strip())}")
        if s.office_phone.strip():
            reach.append(f"โทร.{NBSP}{t.digits(s.office_phone.strip())}")
        if s.office_email.strip():
            reach.append(f"ไปรษณีย์อิเล็กทรอนิกส์ {s.office_email.strip()}")
        if unit is not None:
            deadline = _deadline(unit.due_at, t)
        else:
            deadline = " หรือ ".join(_deadline(d, t) for d in deadlines) + " ตามกำหนดของหน่วยงาน"
        form_tag = t.style("tag", 14, align=TA_RIGHT)
        story: list[Flowable] = [
            t.paragraph("แบบรายงาน", form_tag, w),
            t.paragraph(
                f"แบบรายงานจำนวนผู้เข้าร่วมกลุ่ม Line Official Account “{s.oa_name}”",
                t.style("form-title", 20, bold=True, align=TA_CENTER, leading=26),
                w,
            ),
            t.paragraph(
                f"ประจำสัปดาห์ระหว่างวันที่ {week_range} ({t.week_name(week)})",
                t.style("form-sub", POINTS, align=TA_CENTER),
                w,
            ),
            Spacer(1, 0.3 * cm),
            t.labelled("ส่งถึง", send_to + (" " + " ".join(reach) if reach else ""), self.body, w),
            t.labelled(
                "กำหนดส่ง",
                deadline,
                t.style("deadline", POINTS, color=DEADLINE_RED),
                w,
                label_style=t.style("deadline-l", POINTS, bold=True, color=DEADLINE_RED),
            ),
            Spacer(1, 0.4 * cm),
        ]
        if unit is not None:
            last = "–"
            if unit.last_count is not None:
                last = f"{t.number(unit.last_count)}{NBSP}ราย"
                if unit.last_week is not None:
                    last += f" (สัปดาห์ {t.week_range(unit.last_week)})"
            rows = [
                ("หน่วยงาน", unit.name),
                ("รหัสหน่วย", unit.code),
                ("ตามแผนลำดับที่", f"{t.number(unit.plan_row)} {unit.plan_row_name}"),
                ("เป้าหมาย", f"{t.number(unit.quota)}{NBSP}ราย"),
                ("ยอดสะสมที่รายงานครั้งก่อน", last),
            ]
        else:
            rows = [
                ("หน่วยงาน", ""),
                ("รหัสหน่วย", ""),
                ("ตามแผนลำดับที่", ""),
                ("เป้าหมาย", ""),
                ("ยอดสะสมที่รายงานครั้งก่อน", ""),
            ]
        story += [
            self.fields(rows, 5.2 * cm),
            Spacer(1, 0.6 * cm),
            self.box(
                "จำนวนผู้เข้าร่วมกลุ่มสะสม",
                "ราย",
                2.4 * cm,
                hint="ยอดรวมตั้งแต่เริ่มโครงการจนถึงวันรายงาน (ไม่ใช่เฉพาะสัปดาห์นี้)",
            ),
            Spacer(1, 0.3 * cm),
            self.box("เพิ่มขึ้นจากครั้งก่อน", "ราย", 1.6 * cm),
            Spacer(1, 0.3 * cm),
            self.box("หมายเหตุ / ปัญหาอุปสรรค", "", 3.6 * cm),
            Spacer(1, 0.5 * cm),
            self.fields(
                [
                    ("ลงชื่อผู้รายงาน", ""),
                    ("ชื่อ-สกุล", ""),
                    ("ตำแหน่ง", ""),
                    ("โทร.", ""),
                    ("วันที่รายงาน", ""),
                ],
                3.2 * cm,
            ),
        ]
        return story


def report_forms_pdf(
    units: Sequence[FormUnit | None],
    *,
    week: date,
    deadlines: Sequence[datetime],
    settings: AppSettings,
    printed_at: datetime,
    text: ThaiText | None = None,
) -> bytes:
    """One form page per entry of ``units``; None gives a form with the unit left blank.

    ``deadlines`` are the week's distinct due moments, printed on the blank form.
    """
    text = text or ThaiText.for_settings(settings)
    page = _Page(text, settings)
    story: list[Flowable] = []
    for i, unit in enumerate(units):
        if i:
            story.append(PageBreak())
        story += page.story(unit, week, deadlines)
    printed = f"พิมพ์เมื่อ {text.date_time(printed_at)} — {settings.office_name}"

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFillColor(LINE)
        text.draw_fitted(canvas, MARGINS.left, 1.0 * cm, printed, 11, page_width(A4, MARGINS))
        canvas.restoreState()

    return render(
        story,
        text=text,
        pagesize=A4,
        margins=MARGINS,
        title=f"แบบรายงาน {week_label(week)}",
        author=settings.office_name,
        on_first_page=footer,
        on_later_pages=footer,
    )
