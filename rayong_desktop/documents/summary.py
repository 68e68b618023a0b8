"""The weekly summary (A4): the province's figures, the trend chart, and the table by plan row
and unit that the governor's letter sends along.

Every figure comes from the WeekSummary the `status` command reports, formatted here only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from rayong_desktop.documents.chart import TrendPoint, trend_chart
from rayong_desktop.documents.pdf import (
    BARE,
    Margins,
    draw_page_of,
    page_width,
    render,
    ruled_cells,
    table_style,
)
from rayong_desktop.documents.text import ThaiText
from rayong_desktop.domain.calendar import week_label
from rayong_desktop.domain.districts import by_district
from rayong_desktop.domain.forecast import Outlook
from rayong_desktop.domain.summaries import GroupTotals, UnitWeek, WeekSummary
from rayong_desktop.settings import AppSettings

TITLE = "สรุปผลการรายงานจำนวนผู้เข้าร่วมกลุ่ม Line Official Account"
MARGINS = Margins(left=1.5 * cm, right=1.5 * cm, top=2.0 * cm, bottom=1.8 * cm)
TABLE_POINTS = 13  # TH Sarabun points in the table
HEAD_FILL = colors.HexColor("#e3efe6")
ROW_FILL = colors.HexColor("#f3f3f3")
TOTAL_FILL = colors.HexColor("#d9ead3")
GRID = colors.HexColor("#9e9e9e")
# The code column's bounds; longer codes wrap. The figure columns are sized from their
# contents and the name column takes what is left.
MIN_CODE_CM, MAX_CODE_CM = 1.5, 2.4
HEADERS = (
    "รหัส",
    "หน่วยงาน",
    "เป้าหมาย",
    "ยอดสะสม",
    "ร้อยละ\nของเป้า",
    "เพิ่มขึ้น",
    "ตรง\nเวลา",
    "ล่าช้า",
    "ยังไม่\nส่ง",
)
PADDING = 2.5
DISTRICT_TITLE = "สรุปรายอำเภอ"
DISTRICT_HEADERS = (
    "อำเภอ",
    "เป้าหมาย",
    "ยอดสะสม",
    "เพิ่มขึ้น",
    "ต้อง\nรายงาน",
    "รายงาน\nแล้ว",
    "ตรง\nเวลา",
    "ล่าช้า",
    "ยังไม่\nส่ง",
    "ร้อยละ\nของเป้า",
    "อัตรา\nการรายงาน",
    "อัตรา\nตรงเวลา",
)
# The forecast rule as the summary names it (domain/forecast.py RULE, in Thai).
RULE_TH = "เฉลี่ยยอดที่เพิ่มต่อสัปดาห์ของการรายงานสามครั้งล่าสุด ต่อเนื่องจากรายงานล่าสุดถึงสัปดาห์สุดท้ายของโครงการ"


def _late_note(minutes: int, text: ThaiText) -> str:
    hours, mins = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = []
    if days:
        parts.append(f"{text.number(days)} วัน")
    if hours:
        parts.append(f"{text.number(hours)} ชม.")
    if mins or not parts:
        parts.append(f"{text.number(mins)} นาที")
    return "ส่งช้า " + " ".join(parts)


def _unit_note(u: UnitWeek, text: ThaiText) -> str:
    if u.unit.retired_on is not None and not u.expected:
        return "เลิกรายงานแล้ว"
    if not u.expected:
        return "ยังไม่ถึงกำหนดรายงาน"
    if u.reported and u.late_by_minutes:
        return _late_note(u.late_by_minutes, text)
    if u.missing and u.count is not None:
        return "ยังไม่ส่ง ใช้ยอดครั้งก่อน"
    return ""


class _Cells:
    """Formats one document's cells; keeps the text layer and styles together."""

    def __init__(self, text: ThaiText) -> None:
        self.text = text
        self.name_width = 0.0  # set once the numeric columns have been measured
        self.code_width = 0.0
        self.name_style = text.style("cell", TABLE_POINTS, leading=TABLE_POINTS * 1.12)
        self.bold_style = text.style("cell-b", TABLE_POINTS, bold=True, leading=TABLE_POINTS * 1.12)
        # A smaller grey second line under a unit's name: the table stays one row per unit.
        self.note_style = text.style(
            "note",
            TABLE_POINTS - 2,
            leading=(TABLE_POINTS - 2) * 1.1,
            color=colors.HexColor("#555555"),
        )

    def code(self, code: str) -> Any:
        # Codes are ASCII and need no shaping; only one too long for the column is wrapped.
        style = self.name_style
        if self.text.width(code, style.fontName, style.fontSize) <= self.code_width:
            return code
        return self.text.lines(code, style, self.code_width)

    def name(self, name: str, note: str = "", *, bold: bool = False) -> Any:
        lines = self.text.lines(name, self.bold_style if bold else self.name_style, self.name_width)
        if not note:
            return lines
        return [lines, self.text.lines(note, self.note_style, self.name_width)]

    def figures(
        self, quota: int, count: int | None, pct: float | None, rise: int | None
    ) -> list[str]:
        t = self.text
        return [t.number(quota), t.number(count), t.percent(pct), t.signed(rise)]

    def group(self, totals: GroupTotals) -> list[str]:
        t = self.text
        return [
            *self.figures(totals.quota, totals.count, totals.pct_of_quota, totals.increase),
            t.number(totals.on_time),
            t.number(totals.late),
            t.number(totals.missing),
        ]

    def unit(self, u: UnitWeek) -> list[str]:
        one = self.text.number(1)
        on_time = one if u.expected and u.reported and u.on_time else ""
        late = one if u.expected and u.reported and not u.on_time else ""
        missing = one if u.missing else ""
        return [
            *self.figures(u.unit.quota, u.count, u.pct_of_quota, u.increase),
            on_time,
            late,
            missing,
        ]


def _widths(
    text: ThaiText, figures: list[list[str]], codes: list[str], total: float
) -> list[float]:
    """Column widths: each figure column as wide as its widest entry (in bold, as totals are
    printed) or its heading's longest word; the code column likewise up to a cap; the name
    column takes the rest. A province of any size keeps its numbers inside their cells."""
    bold, regular = text.font(bold=True), text.font()
    size = text.size(TABLE_POINTS)
    pad = 2 * PADDING + 1

    def widest(values: list[str], font: str) -> float:
        return max((text.width(v, font, size) for v in set(values)), default=0.0)

    def heading(h: str) -> float:
        return widest(h.split(), bold)

    widths = [
        min(
            max(widest(codes, regular), heading(HEADERS[0]), MIN_CODE_CM * cm) + pad,
            MAX_CODE_CM * cm,
        ),
        0.0,
    ]
    for col in range(len(HEADERS) - 2):
        widths.append(
            max(widest([row[col] for row in figures], bold), heading(HEADERS[col + 2])) + pad
        )
    widths[1] = total - sum(widths)
    return widths


def _table(summary: WeekSummary, text: ThaiText, total_width: float) -> Table:
    cells = _Cells(text)
    group_figures = [(g, cells.group(g.totals)) for g in summary.plan_rows]
    unit_figures = {id(u): cells.unit(u) for u in summary.units}
    province = cells.group(summary.totals)
    widths = _widths(
        text,
        [f for _, f in group_figures] + list(unit_figures.values()) + [province],
        [u.unit.code for u in summary.units],
        total_width,
    )
    cells.code_width = widths[0] - 2 * PADDING
    cells.name_width = widths[1] - 2 * PADDING
    head_style = text.style(
        "head", TABLE_POINTS, bold=True, align=TA_CENTER, leading=TABLE_POINTS * 1.1
    )
    rows: list[list[Any]] = [
        [
            text.paragraph(h, head_style, w - 2 * PADDING)
            for h, w in zip(HEADERS, widths, strict=True)
        ]
    ]
    # Figures are plain strings: give them the names' leading so one padding fits both.
    leading = cells.name_style.leading
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), text.font(), text.size(TABLE_POINTS), leading),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
        *ruled_cells(
            [cells.name_style, cells.bold_style, cells.note_style, head_style], rule_width=0.4
        ),
    ]
    for group, figures in group_figures:
        r = len(rows)
        rows.append(
            [
                text.lines(
                    f"ลำดับที่ {text.number(group.row.number)}", cells.bold_style, cells.code_width
                ),
                cells.name(group.row.name, bold=True),
                *figures,
            ]
        )
        style += [
            ("BACKGROUND", (0, r), (-1, r), ROW_FILL),
            ("FONT", (0, r), (-1, r), text.font(bold=True), text.size(TABLE_POINTS), leading),
        ]
        for u in group.units:
            rows.append(
                [
                    cells.code(u.unit.code),
                    cells.name(u.unit.name, _unit_note(u, text)),
                    *unit_figures[id(u)],
                ]
            )
    r = len(rows)
    rows.append(["", cells.name("รวมทั้งจังหวัด", bold=True), *province])
    style += [
        ("BACKGROUND", (0, r), (-1, r), TOTAL_FILL),
        ("FONT", (0, r), (-1, r), text.font(bold=True), text.size(TABLE_POINTS), leading),
    ]
    return Table(rows, colWidths=widths, repeatRows=1, style=TableStyle(style))


def _district_figures(totals: GroupTotals, text: ThaiText) -> list[str]:
    t = totals
    return [
        text.number(t.quota),
        text.number(t.count),
        text.signed(t.increase),
        text.number(t.expected),
        text.number(t.received),
        text.number(t.on_time),
        text.number(t.late),
        text.number(t.missing),
        text.percent(t.pct_of_quota),
        text.percent(t.reporting_rate),
        text.percent(t.on_time_rate),
    ]


def _district_table(summary: WeekSummary, text: ThaiText, total_width: float) -> Table:
    """The 8 districts and the units without one, then the province: the same totals as a
    plan row (domain.districts.by_district), adding up to the province's."""
    cells = _Cells(text)
    groups = [(g.label, _district_figures(g.totals, text)) for g in by_district(summary)]
    province = _district_figures(summary.totals, text)
    bold = text.font(bold=True)
    size = text.size(TABLE_POINTS)
    pad = 2 * PADDING + 1
    widths = [0.0]
    for col, heading in enumerate(DISTRICT_HEADERS[1:]):
        values = {f[col] for _, f in groups} | {province[col]}
        widths.append(
            max(
                *(text.width(v, bold, size) for v in values),
                *(text.width(w, bold, size) for w in heading.split()),
            )
            + pad
        )
    widths[0] = total_width - sum(widths)
    cells.name_width = widths[0] - 2 * PADDING
    head_style = text.style(
        "head", TABLE_POINTS, bold=True, align=TA_CENTER, leading=TABLE_POINTS * 1.1
    )
    rows: list[list[Any]] = [
        [
            text.paragraph(h, head_style, w - 2 * PADDING)
            for h, w in zip(DISTRICT_HEADERS, widths, strict=True)
        ]
    ]
    rows += [[cells.name(label), *figures] for label, figures in groups]
    rows.append([cells.name("รวมทั้งจังหวัด", bold=True), *province])
    leading = cells.name_style.leading
    r = len(rows) - 1
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), text.font(), size, leading),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
        *ruled_cells([cells.name_style, cells.bold_style, head_style], rule_width=0.4),
        ("BACKGROUND", (0, r), (-1, r), TOTAL_FILL),
        ("FONT", (0, r), (-1, r), bold, size, leading),
    ]
    return Table(rows, colWidths=widths, repeatRows=1, style=TableStyle(style))


def forecast_text(f: Outlook, text: ThaiText) -> str:
    """The one forecast line for the province."""
    if f.weekly_needed is None:
        needed = "ไม่เหลือสัปดาห์ให้เพิ่มแล้ว"
    elif f.weekly_needed == 0:
        needed = "ถึงเป้าหมายแล้ว"
    else:
        needed = f"ต้องเพิ่มสัปดาห์ละ {text.number(f.weekly_needed)} ราย จึงจะถึงเป้าหมาย"
    return (
        f"คาดการณ์ ณ สิ้นโครงการ ({text.week_name(f.end_week)}): "
        f"{text.number(f.at_end)} ราย ร้อยละ {text.percent(f.pct_of_quota_at_end)} "
        f"ของเป้าหมาย; {needed} (หลักการ: {RULE_TH})"
    )


def plan_difference(summary: WeekSummary) -> int | None:
    """How far the plan's printed total is from its rows' sum (None when they agree)."""
    if summary.stated_quota is None or summary.stated_quota == summary.totals.quota:
        return None
    return abs(summary.totals.quota - summary.stated_quota)


def _figures(summary: WeekSummary, text: ThaiText, width: float) -> Table:
    t = summary.totals
    label_style = text.style("fig", 14, leading=14 * 1.18)
    rows: list[tuple[str, str, str]] = [
        (
            f"เป้าหมายรวม ({text.number(len(summary.plan_rows))} ลำดับตามแผน)",
            text.number(t.quota),
            "ราย",
        ),
    ]
    difference = plan_difference(summary)
    if summary.stated_quota is not None and difference is not None:
        rows.append(("ยอดรวมที่พิมพ์ไว้ในแผน", text.number(summary.stated_quota), "ราย"))
        rows.append(("  ต่างกัน", text.number(difference), "ราย"))
    rows += [
        ("ผู้เข้าร่วมกลุ่มสะสม", text.number(t.count), "ราย"),
        ("คิดเป็นร้อยละของเป้าหมาย", text.percent(t.pct_of_quota), ""),
        ("เพิ่มขึ้นจากสัปดาห์ก่อน", text.signed(t.increase), "ราย"),
        ("หน่วยที่ต้องรายงานสัปดาห์นี้", text.number(t.expected), "แห่ง"),
        ("รายงานแล้ว", text.number(t.received), "แห่ง"),
        ("  ตรงเวลา", text.number(t.on_time), "แห่ง"),
        ("  ล่าช้า", text.number(t.late), "แห่ง"),
        ("ยังไม่รายงาน", text.number(t.missing), "แห่ง"),
        ("อัตราการรายงาน", text.percent(t.reporting_rate), ""),
        ("อัตราการรายงานตรงเวลา", text.percent(t.on_time_rate), ""),
    ]
    oa = summary.oa
    if oa.friends is not None and oa.stat is not None:
        rows.append(
            (f"เพื่อนใน LINE OA ณ {text.short_date(oa.stat.date)}", text.number(oa.friends), "ราย")
        )
    value_w, unit_w = 2.3 * cm, 1.0 * cm
    label_w = width - value_w - unit_w
    data = [
        [
            text.paragraph(
                label.strip(),
                text.style("fig-i", 14, leading=14 * 1.18, left_indent=10)
                if label.startswith("  ")
                else label_style,
                label_w - 4,
            ),
            value,
            text.paragraph(unit, label_style, unit_w - 4) if unit else "",
        ]
        for label, value, unit in rows
    ]
    return Table(
        data,
        colWidths=[label_w, value_w, unit_w],
        style=TableStyle(
            [
                (
                    "FONT",
                    (0, 0),
                    (-1, -1),
                    text.font(bold=True),
                    text.size(14),
                    label_style.leading,
                ),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                *ruled_cells(
                    [label_style, text.style("fig-b", 14, bold=True, leading=label_style.leading)],
                    rule_width=0.3,
                ),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#dddddd")),
            ]
        ),
    )


def weekly_summary_pdf(
    summary: WeekSummary,
    *,
    settings: AppSettings,
    printed_at: datetime,
    trend: Sequence[TrendPoint],
    week_number: int | None = None,
    text: ThaiText | None = None,
    notice: str | None = None,
    forecast: Outlook | None = None,
) -> bytes:
    """The summary of ``summary.week`` as PDF bytes (``notice``: one line under the heading).

    ``trend`` is the province's cumulative count for each campaign week up to this one;
    ``week_number`` the week's place in the campaign (1 = first), printed when given;
    ``forecast``: the province's forecast line, printed under the figures when given.
    """
    text = text or ThaiText.for_settings(settings)
    width = page_width(A4, MARGINS)
    week_range = text.week_range(summary.week)
    place = f"สัปดาห์ที่ {text.number(week_number)} ของโครงการ, " if week_number else ""
    story: list[Flowable] = [
        text.paragraph(
            f"{TITLE} “{settings.oa_name}”",
            text.style("title", 20, bold=True, align=TA_CENTER, leading=20 * 1.2),
            width,
        ),
        text.paragraph(
            f"ประจำสัปดาห์ระหว่างวันที่ {week_range} ({place}{text.week_name(summary.week)})",
            text.style("sub", 16, align=TA_CENTER, leading=16 * 1.25),
            width,
        ),
        text.paragraph(
            settings.office_name, text.style("office", 14, align=TA_CENTER, leading=14 * 1.3), width
        ),
        *(
            [text.paragraph(text.digits(notice), text.style("notice", 14, bold=True), width)]
            if notice
            else []
        ),
        Spacer(1, 0.3 * cm),
    ]
    left_w = width * 0.47
    chart_w = width - left_w - 0.4 * cm
    chart = trend_chart(
        trend, quota=summary.totals.quota, text=text, width=chart_w, height=6.2 * cm
    )
    story.append(
        Table(
            [[_figures(summary, text, left_w), chart]],
            colWidths=[left_w + 0.4 * cm, chart_w],
            style=table_style(text, *BARE, ("RIGHTPADDING", (0, 0), (0, 0), 0.4 * cm)),
        )
    )
    if forecast is not None:
        story += [
            Spacer(1, 0.2 * cm),
            text.paragraph(
                forecast_text(forecast, text),
                text.style("forecast", 14, leading=14 * 1.25),
                width,
            ),
        ]
    story += [Spacer(1, 0.4 * cm), _table(summary, text, width)]
    story.append(
        KeepTogether(
            [
                Spacer(1, 0.5 * cm),
                text.paragraph(
                    DISTRICT_TITLE, text.style("district", 16, bold=True, leading=16 * 1.25), width
                ),
                Spacer(1, 0.15 * cm),
                _district_table(summary, text, width),
            ]
        )
    )

    header = f"{TITLE} ประจำสัปดาห์ {week_range}"
    printed = f"พิมพ์เมื่อ {text.date_time(printed_at)}"
    page_w, page_h = A4

    def furniture(canvas: Any, doc: Any, *, running_head: bool) -> None:
        canvas.saveState()
        if running_head:
            text.draw(canvas, MARGINS.left, page_h - 1.3 * cm, header, 12)
        y = 1.0 * cm
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.4)
        canvas.line(MARGINS.left, y + 0.45 * cm, page_w - MARGINS.right, y + 0.45 * cm)
        page_of = draw_page_of(canvas, text, page_w - MARGINS.right, y, 11)
        room = page_w - MARGINS.right - MARGINS.left - page_of - 0.5 * cm
        text.draw_fitted(canvas, MARGINS.left, y, f"{printed}  {settings.office_name}", 11, room)
        canvas.restoreState()

    return render(
        story,
        text=text,
        pagesize=A4,
        margins=MARGINS,
        first_margins=Margins(MARGINS.left, MARGINS.right, 1.5 * cm, MARGINS.bottom),
        title=f"{TITLE} {week_label(summary.week)}",
        author=settings.office_name,
        on_first_page=lambda c, d: furniture(c, d, running_head=False),
        on_later_pages=lambda c, d: furniture(c, d, running_head=True),
        page_total_points=11,
    )
