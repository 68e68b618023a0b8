"""Timing of the printed documents against their floors (a script; pytest does not collect it).

    python tests/benchmarks/documents.py --db PATH [--week 2021-W20]

* summary: the weekly summary PDF of a 1,000-unit province (tests/benchmarks/generate.py), from
  its WeekSummary and trend, beside the floor "a ReportLab table of the same rows with shaped
  Paragraph cells and no other work". Also printed: the whole service (database included).
* posters: a batch of 100 posters (vector QR drawn once, referenced per page) beside the same
  pages with a PNG QR made and drawn on every page.

Targets: summary <= 1.5x its floor, posters <= 2x. Medians of --runs runs, job and floor
interleaved after one warm-up of each.
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.units import cm  # noqa: E402
from reportlab.lib.utils import ImageReader  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle  # noqa: E402

from rayong_desktop.documents import posters, summary  # noqa: E402
from rayong_desktop.documents.qr import qr_matrix  # noqa: E402
from rayong_desktop.documents.text import ThaiText  # noqa: E402
from rayong_desktop.domain import calendar  # noqa: E402
from rayong_desktop.domain.numbers import format_int, format_percent  # noqa: E402
from rayong_desktop.services import printing, registry, status  # noqa: E402
from rayong_desktop.services.common import now_utc  # noqa: E402
from rayong_desktop.services.settings import get_settings  # noqa: E402
from rayong_desktop.services.startup import open_database  # noqa: E402


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def compare(name: str, job: Callable[[], Any], floor: Callable[[], Any], runs: int) -> None:
    job()
    floor()
    jobs, floors = [], []
    for _ in range(runs):
        jobs.append(timed(job))
        floors.append(timed(floor))
    j, f = statistics.median(jobs), statistics.median(floors)
    print(f"{name:28s} job {j:7.3f} s   floor {f:7.3f} s   ratio {j / f:5.2f}")


def summary_floor(s: Any, text: ThaiText) -> bytes:
    """The same rows as a plain table: shaped Paragraphs for names, formatted strings else."""
    style = text.style("floor", summary.TABLE_POINTS)
    rows: list[list[Any]] = [[Paragraph(h, style) for h in summary.HEADERS]]
    for group in s.plan_rows:
        t = group.totals
        rows.append(
            [
                Paragraph(f"ลำดับที่ {group.row.number}", style),
                Paragraph(escape(group.row.name), style),
                format_int(t.quota),
                format_int(t.count),
                format_percent(t.pct_of_quota),
                format_int(t.increase),
                str(t.on_time),
                str(t.late),
                str(t.missing),
            ]
        )
        for u in group.units:
            rows.append(
                [
                    u.unit.code,
                    Paragraph(escape(u.unit.name), style),
                    format_int(u.unit.quota),
                    "" if u.count is None else format_int(u.count),
                    format_percent(u.pct_of_quota),
                    "" if u.increase is None else format_int(u.increase),
                    "1" if u.reported and u.on_time else "",
                    "1" if u.reported and not u.on_time else "",
                    "1" if u.missing else "",
                ]
            )
    # The same column widths as the document (the layout, not their measuring, is the floor).
    widths = summary._widths(
        text, [r[2:] for r in rows[1:]], [u.unit.code for u in s.units], 18 * cm
    )
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=1.5 * cm, rightMargin=1.5 * cm)
    table = Table(
        rows,
        colWidths=widths,
        repeatRows=1,
        style=TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), text.font(), text.size(summary.TABLE_POINTS)),
                ("GRID", (0, 0), (-1, -1), 0.4, summary.GRID),
                ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
            ]
        ),
    )
    doc.build([table])
    return buffer.getvalue()


class _PngQr:
    """Stands in for QrForm: makes a PNG of the code and draws it, on every page."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.matrix = qr_matrix(url)

    def draw(self, canvas: Any, x: float, y: float, side: float) -> None:
        import qrcode

        image = qrcode.make(self.url, border=0)
        png = io.BytesIO()
        image.save(png, format="PNG")
        png.seek(0)
        canvas.drawImage(ImageReader(png), x, y, side, side)


def posters_floor(url: str, oa_id: str, settings: Any, names: list[str], text: ThaiText) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, initialFontName=text.font())
    qr = _PngQr(url)
    poster = posters._Poster(text, A4)
    for name in names:
        poster.draw(canvas, qr=qr, url=url, oa_id=oa_id, settings=settings, unit_name=name)  # type: ignore[arg-type]
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def workbook_lines(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's lines of a workbook as plain values (a formula as its saved value)."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
    finally:
        book.close()


def summary_xlsx_floor(lines: dict[str, list[tuple[Any, ...]]], out: Path) -> Path:
    """The summary workbook's floor: the same lines' plain values, every sheet (the history
    too), streamed by openpyxl's write-only mode with no styles, widths, heights, merges,
    table or print setup, and saved. ``lines``: workbook_lines of the desk's own workbook."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, rows in lines.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    book.save(out)
    return out


def sheet_lines(path: Path, title: str) -> int:
    """How many lines a sheet of the workbook at ``path`` has, read back."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return sum(1 for _ in book[title].iter_rows(values_only=True))
    finally:
        book.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--week", default=None)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        # A private copy: opening a database may back it up or arm the daily backup beside it.
        path = Path(tmp) / "bench.sqlite3"
        shutil.copyfile(args.db, path)
        db = open_database(path)
        try:
            settings = get_settings(db)
            week = calendar.parse_week(args.week) if args.week else status.current_week(db)[0]
            s = status.week_summary(db, week)
            trend = printing.province_trend(db, week)
            text = ThaiText.for_settings(settings)
            print(f"week {calendar.week_label(week)}: {len(s.units)} units, {len(trend)} weeks")

            def build_summary() -> bytes:
                return summary.weekly_summary_pdf(
                    s, settings=settings, printed_at=now_utc(), trend=trend, text=text
                )

            pages = printing.page_count(build_summary())
            print(f"summary: {pages} pages")
            compare("summary (document)", build_summary, lambda: summary_floor(s, text), args.runs)
            compare(
                "summary (service, with db)",
                lambda: printing.summary_pdf(db, week=week),
                lambda: summary_floor(s, text),
                args.runs,
            )
            oa_id = settings.oa_id or "desk-test-oa"
            url = "https://line.me/R/ti/p/%40" + oa_id.lstrip("@")
            names = [u.name for u in registry.list_units(db, include_retired=False)][:100]

            def build_posters() -> bytes:
                return posters.qr_posters_pdf(
                    url=url, oa_id=oa_id, settings=settings, unit_names=names, text=text
                )

            data = build_posters()
            floor = posters_floor(url, oa_id, settings, names, text)
            print(f"posters: {len(names)} pages, {len(data):,} bytes (PNG floor {len(floor):,})")
            compare(
                "100 posters",
                build_posters,
                lambda: posters_floor(url, oa_id, settings, names, text),
                args.runs,
            )
        finally:
            db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
