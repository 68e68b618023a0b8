"""`python main.py selftest`: prove this installation works, offline, one line per check.

Runs from source and from the frozen bundle alike, on a temporary database (never the user's).
Any attempt to open a network connection during the checks is itself a failure.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

Check = Callable[[Path], str]
CHECKS: list[tuple[str, Check]] = []


def check(name: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        CHECKS.append((name, fn))
        return fn

    return register


class NetworkUsedError(RuntimeError):
    pass


@contextlib.contextmanager
def no_network() -> Iterator[None]:
    """Every socket connection attempt raises: the desk must work with no network at all."""
    original_connect = socket.socket.connect
    original_create = socket.create_connection

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise NetworkUsedError("a network connection was attempted")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.create_connection = refuse
    try:
        yield
    finally:
        socket.socket.connect = original_connect  # type: ignore[method-assign]
        socket.create_connection = original_create


@check("database: create, migrate, seed")
def _database(tmp: Path) -> str:
    from rayong_desktop.db import migrate
    from rayong_desktop.services import registry
    from rayong_desktop.services.startup import open_database

    db = open_database(tmp / "selftest.sqlite3")
    try:
        pragmas = db.pragmas()
        if (pragmas["journal_mode"], pragmas["synchronous"], pragmas["foreign_keys"]) != (
            "wal",
            2,
            1,
        ):
            raise RuntimeError(f"unsafe settings: {pragmas}")
        overview = registry.plan_overview(db)
        heads = ", ".join(migrate.current_revisions(db))
        return f"schema {heads}, {len(overview.rows)} plan rows, quota {overview.computed_quota:,}"
    finally:
        db.dispose()


@check("report: write and read back")
def _report(tmp: Path) -> str:
    import os

    from rayong_desktop.services import reports, status
    from rayong_desktop.services.startup import open_database

    os.environ["RAYONG_NOW"] = "2020-05-15 09:00"
    try:
        db = open_database(tmp / "selftest.sqlite3")
        try:
            week = date(2020, 5, 4)
            reports.record_report(db, unit_code="TN-RY", week=week, count="๑,๒๕๐", received_at=None)
            summary = status.week_summary(db, week)
            got = next(u for u in summary.units if u.unit.code == "TN-RY")
            if got.count != 1250 or not got.reported:
                raise RuntimeError(f"read back {got.count}, expected 1250")
            return "stored 1,250 (keyed as Thai digits) and read it back"
        finally:
            db.dispose()
    finally:
        os.environ.pop("RAYONG_NOW", None)


def _render_first_page(data: bytes) -> tuple[int, str, int]:
    """Pages, the first page's text, and how many of its pixels are not white (at 50 dpi)."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        page = pdf[0]
        text = page.get_textpage().get_text_range()
        image = page.render(scale=50 / 72).to_pil().convert("L")
        inked = sum(1 for value in image.getdata() if value < 200)
        return len(pdf), text, inked
    finally:
        pdf.close()


@check("pdf: Thai weekly summary")
def _summary_pdf(tmp: Path) -> str:
    from rayong_desktop.services import printing
    from rayong_desktop.services.startup import open_database

    db = open_database(tmp / "selftest.sqlite3")
    try:
        data = printing.summary_pdf(db, week=date(2020, 5, 4))
    finally:
        db.dispose()
    pages, text, inked = _render_first_page(data)
    if "ระยอง" not in text or inked < 500:
        raise RuntimeError(f"the page does not show the Thai text ({inked} inked pixels)")
    return f"{pages} page(s), {len(data):,} bytes, Thai text present and drawn"


@check("pdf: QR poster")
def _poster_pdf(tmp: Path) -> str:
    from rayong_desktop.services import printing
    from rayong_desktop.services.startup import open_database

    db = open_database(tmp / "selftest.sqlite3")
    try:
        data = printing.poster_pdf(db, oa_id="@selftest")
    finally:
        db.dispose()
    pages, text, inked = _render_first_page(data)
    if "@selftest" not in text or inked < 2000:
        raise RuntimeError(f"the poster lacks its ID or QR ({inked} inked pixels)")
    return f"{pages} page, the @ID printed, QR drawn ({inked:,} dark pixels at 50 dpi)"


@check("excel: defusedxml protects workbook loading")
def _defused(tmp: Path) -> str:
    import defusedxml
    import openpyxl.xml

    if not openpyxl.xml.DEFUSEDXML:
        raise RuntimeError("openpyxl does not see defusedxml")
    return f"defusedxml {defusedxml.__version__} active"


@dataclass
class Outcome:
    name: str
    ok: bool
    detail: str
    seconds: float


QT_CHECK = "qt: Thai font offscreen"


def run(out: Callable[[str], object] = print, *, qt_check: Callable[[], str] | None = None) -> int:
    """Run every check, one line each, then a count; 0 if all passed, else 1.

    ``qt_check``: the Qt check (the desk's ui has it; this module never imports ui), run last
    as the check named ``QT_CHECK`` when given."""
    checks = list(CHECKS)
    if qt_check is not None:
        checks.append((QT_CHECK, lambda _tmp: qt_check()))
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="rayong-selftest-") as folder, no_network():
        tmp = Path(folder)
        for name, fn in checks:
            started = time.perf_counter()
            try:
                detail = fn(tmp)
                ok = True
            except Exception as exc:  # every failure is reported, the run goes on
                ok = False
                detail = f"{type(exc).__name__}: {exc}"
                if "--verbose" in sys.argv:
                    detail += "\n" + traceback.format_exc()
            outcomes.append(Outcome(name, ok, detail, time.perf_counter() - started))
            out(f"{'PASS' if ok else 'FAIL'}  {name}: {detail} ({outcomes[-1].seconds:.2f} s)")
    failed = [o for o in outcomes if not o.ok]
    out(f"{len(outcomes) - len(failed)} of {len(outcomes)} checks passed")
    return 0 if not failed else 1
