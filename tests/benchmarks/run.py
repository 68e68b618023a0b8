"""The benchmark suite: jobs timed beside floors measured in the same run on the same machine.

    python tests/benchmarks/run.py [--quick] [--db PATH] [--jobs status,status_cli] [--runs N]

Generates the large province (tests/benchmarks/generate.py) or reuses it, then times each job as
the median of repeated runs (7, or 2 with --quick) after one untimed warm-up, interleaving job
and floor runs so that machine noise hits both alike. The floor is the least work that yields
the job's figures (tests/benchmarks/floor.py); a job whose figures differ from its floor's is
an error (exit 1). Results go to bench-results.json in the current directory as a list of
{"job", "median_s", "floor_s", "ratio", "runs"}, and to stdout as a table.

Without --db the database lives in the system's temporary folder, named after its parameters,
and is reused while its generator sidecar (PATH.params.json) says it is complete.

Adding a job: write a function taking a Context and returning a Timing (use `measure`), and
register it with @job("name", target=ratio). Jobs: status, status_cli, stack_cli, summary_pdf,
summary_pdf_vs_soffice (only where LibreOffice's `soffice` is on PATH), posters, form_import,
summary_xlsx (the summary workbook beside openpyxl's plain write-only floor; its absolute median
is printed against a 5 s target too), launch, launch_first, launch_attached, peak_memory, and
stack_launch and stack_memory (no target: the desk's stack alone beside the bare window). A job
that cannot run on this machine says why when it is left out (`missing=` in @job); the default
list holds only the jobs that can run.
"""

from __future__ import annotations

import argparse
import compileall
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # run as a script: make `tests.benchmarks` importable
    sys.path.insert(0, str(REPO))

from rayong_desktop.domain import calendar  # noqa: E402
from rayong_desktop.services import status  # noqa: E402
from rayong_desktop.services.startup import open_database  # noqa: E402
from tests.benchmarks import floor, generate  # noqa: E402

RESULTS_FILE = "bench-results.json"
FULL_RUNS = 7
QUICK_RUNS = 2
CLI_TIMEOUT_S = 600

T = TypeVar("T")
F = TypeVar("F")


class BenchmarkError(Exception):
    """A job's figures disagree with its floor's, or a job could not run."""


class JobUnavailableError(Exception):
    """The job cannot run on this machine (say, a program it compares with is not installed)."""


@dataclass(frozen=True)
class Context:
    db_path: Path
    week: date
    runs: int
    quick: bool


@dataclass
class Timing:
    job: str
    times: list[float]
    floor_times: list[float]

    @property
    def median_s(self) -> float:
        return statistics.median(self.times)

    @property
    def floor_s(self) -> float:
        return statistics.median(self.floor_times)

    @property
    def ratio(self) -> float:
        return self.median_s / self.floor_s if self.floor_s > 0 else float("inf")

    def as_json(self) -> dict[str, Any]:
        return {
            "job": self.job,
            "median_s": round(self.median_s, 6),
            "floor_s": round(self.floor_s, 6),
            "ratio": round(self.ratio, 2),
            "runs": len(self.times),
        }


JobFn = Callable[[Context], Timing]


MissingFn = Callable[[], str | None]


@dataclass(frozen=True)
class Job:
    name: str
    fn: JobFn
    target: float | None  # the ratio to stay at or under; None = report only
    missing: MissingFn | None = None  # why the job cannot run on this machine, None if it can

    def why_not(self) -> str | None:
        return None if self.missing is None else self.missing()


JOBS: dict[str, Job] = {}


def job(
    name: str, *, target: float | None = None, missing: MissingFn | None = None
) -> Callable[[JobFn], JobFn]:
    """Register a job under `name`; jobs run in registration order. `missing` says why the job
    cannot run here (None when it can): such a job is skipped with that reason printed."""

    def register(fn: JobFn) -> JobFn:
        JOBS[name] = Job(name, fn, target, missing)
        return fn

    return register


def _timed(fn: Callable[[], T]) -> tuple[float, T]:
    gc.collect()
    began = time.perf_counter()
    result = fn()
    return time.perf_counter() - began, result


def measure(
    name: str,
    ctx: Context,
    run_job: Callable[[], T],
    run_floor: Callable[[], F],
    verify: Callable[[T, F], None],
) -> Timing:
    """One untimed warm-up of each (checked with `verify`), then `ctx.runs` interleaved pairs."""
    verify(run_job(), run_floor())
    timing = Timing(name, [], [])
    for _ in range(ctx.runs):
        seconds, _result = _timed(run_job)
        timing.times.append(seconds)
        seconds, _floor_result = _timed(run_floor)
        timing.floor_times.append(seconds)
    return timing


def compare_totals(job_name: str, service: dict[str, Any], raw: dict[str, int]) -> None:
    wrong = {k: (service.get(k), v) for k, v in raw.items() if service.get(k) != v}
    if wrong:
        detail = ", ".join(f"{k}: job {a} vs floor {b}" for k, (a, b) in wrong.items())
        raise BenchmarkError(f"{job_name}: the totals differ from the floor's ({detail})")


# --------------------------------------------------------------------------------------- jobs


@job("status", target=6.0)
def status_job(ctx: Context) -> Timing:
    """The week's picture in the desk: week_summary + status_json on an open database, beside
    the same province totals in one raw SQL query on an open sqlite3 connection (target 6x:
    one Core statement for the units and their reports, the domain's summary on top)."""
    db = open_database(ctx.db_path)
    conn = floor.connect(ctx.db_path)
    week = ctx.week.isoformat()
    try:
        return measure(
            "status",
            ctx,
            lambda: status.status_json(status.week_summary(db, ctx.week)),
            lambda: floor.status_totals(conn, week),
            lambda data, raw: compare_totals("status", data["totals"], raw),
        )
    finally:
        conn.close()
        db.dispose()


def _run_json(argv: Sequence[str]) -> Any:
    proc = subprocess.run(
        [sys.executable, *argv],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=CLI_TIMEOUT_S,
        check=False,
    )
    if proc.returncode != 0:
        raise BenchmarkError(f"{' '.join(argv)} exited {proc.returncode}: {proc.stderr.strip()}")
    return json.loads(proc.stdout)


@job("status_cli", target=8.0)
def status_cli_job(ctx: Context) -> Timing:
    """`python main.py --db PATH status --week W --json` end to end, beside a fresh interpreter
    running the floor query (`python tests/benchmarks/floor.py`). Target 8x: a read-only
    command loads only its own command module, SQLAlchemy and the status service, and opens
    the file read-only without migration machinery or a whole-file check."""
    db, week = str(ctx.db_path), ctx.week.isoformat()
    cli = ["main.py", "--db", db, "status", "--week", week, "--json"]
    raw = [str(Path(floor.__file__).resolve()), "--db", db, "--week", week]
    return measure(
        "status_cli",
        ctx,
        lambda: _run_json(cli),
        lambda: _run_json(raw),
        lambda data, floor_data: compare_totals("status_cli", data["totals"], floor_data["totals"]),
    )


@job("stack_cli")
def stack_cli_job(ctx: Context) -> Timing:
    """What the desk's stack alone costs a command, beside status_cli's floor: the floor's query
    in a fresh interpreter that first imports SQLAlchemy's ORM and the desk's models
    (`floor.py --stack`). Not a target: the share of status_cli's ratio that no work in the
    command can remove while it reads through SQLAlchemy."""
    db, week = str(ctx.db_path), ctx.week.isoformat()
    raw = [str(Path(floor.__file__).resolve()), "--db", db, "--week", week]
    return measure(
        "stack_cli",
        ctx,
        lambda: _run_json([*raw, "--stack"]),
        lambda: _run_json(raw),
        lambda data, floor_data: compare_totals("stack_cli", data["totals"], floor_data["totals"]),
    )


def _documents_setup(ctx: Context) -> tuple[Any, Any, Any, Any]:
    from rayong_desktop.documents.text import ThaiText
    from rayong_desktop.services import printing
    from rayong_desktop.services.settings import get_settings

    db = open_database(ctx.db_path)
    settings = get_settings(db)
    summary_data = status.week_summary(db, ctx.week)
    trend = printing.province_trend(db, ctx.week)
    return db, settings, (summary_data, trend), ThaiText.for_settings(settings)


@job("summary_pdf", target=1.5)
def summary_pdf_job(ctx: Context) -> Timing:
    """The weekly summary PDF of the whole province from its figures, beside a ReportLab table
    of the same rows with shaped Paragraph cells and no other work."""
    from rayong_desktop.documents import summary
    from rayong_desktop.services.common import now_utc
    from tests.benchmarks import documents as docs_bench

    def keep_sample(job_pdf: bytes, _floor_pdf: bytes) -> None:
        SUMMARY_PDF_SAMPLE[:] = [job_pdf]

    db, settings, (s, trend), text = _documents_setup(ctx)
    try:
        timing = measure(
            "summary_pdf",
            ctx,
            lambda: summary.weekly_summary_pdf(
                s, settings=settings, printed_at=now_utc(), trend=trend, text=text
            ),
            lambda: docs_bench.summary_floor(s, text),
            keep_sample,
        )
    finally:
        db.dispose()
    SUMMARY_PDF_TIMES[:] = timing.times
    return timing


# The summary_pdf job's timed runs and its warm-up PDF, for summary_pdf_vs_soffice.
SUMMARY_PDF_TIMES: list[float] = []
SUMMARY_PDF_SAMPLE: list[bytes] = []


def _no_soffice() -> str | None:
    return None if shutil.which("soffice") else "LibreOffice is not installed (no soffice on PATH)"


def _pdf_pages(data: bytes) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


@job("summary_pdf_vs_soffice", target=1.0, missing=_no_soffice)
def summary_pdf_vs_soffice_job(ctx: Context) -> Timing:
    """The summary PDF (the summary_pdf job's own timed runs, measured first if that job has not
    run in this process) beside what an office would otherwise use: LibreOffice converting the
    week's summary workbook, `soffice --headless --convert-to pdf --outdir TMP FILE`, each run a
    fresh soffice process (start, load, recalculate, lay out, export, exit).

    The workbook converted is the desk's own (services.excel_io.summary_book written by
    documents.xlsx_summary.build_summary, as `export summary` writes it) for the benchmark week,
    except that its long-format history sheet is left with its header only: on the benchmark
    database that sheet holds every unit-week from the campaign's start (~77k rows at the middle
    week, ~157k at the end), which the PDF does not show. So LibreOffice converts the same week's
    content as the PDF: sheet "สรุปรายแผน" (plan rows and province, formulas) and sheet
    "รายหน่วย" (one line per unit, ~1,000). The workbook is written once, untimed; the soffice
    profile (-env:UserInstallation) is private, made once and warmed by one untimed conversion,
    so first-start profile creation is not counted. The conversions are timed after our runs,
    not interleaved with them. Ours must be faster (target ratio 1.0)."""
    import dataclasses

    from rayong_desktop.documents import xlsx_summary
    from rayong_desktop.services import excel_io

    program = shutil.which("soffice")
    if program is None:
        raise JobUnavailableError(_no_soffice() or "LibreOffice is not installed")
    if not SUMMARY_PDF_TIMES:
        summary_pdf_job(ctx)
    ours = SUMMARY_PDF_SAMPLE[0] if SUMMARY_PDF_SAMPLE else b""
    if not ours.startswith(b"%PDF"):
        raise BenchmarkError("summary_pdf_vs_soffice: the summary PDF is not a PDF")

    with tempfile.TemporaryDirectory(prefix="rayong-bench-soffice-") as tmp:
        work = Path(tmp)
        db = open_database(ctx.db_path)
        try:
            book = excel_io.summary_book(db, ctx.week)
        finally:
            db.dispose()
        full_history = sum(1 for _ in book.history)  # read from the database as it is written
        book = dataclasses.replace(book, history=())
        workbook = work / "summary.xlsx"
        xlsx_summary.build_summary(workbook, book)
        outdir = work / "out"
        outdir.mkdir()
        produced = outdir / "summary.pdf"
        argv = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(workbook),
        ]

        def convert() -> subprocess.CompletedProcess[str]:
            try:
                return subprocess.run(
                    argv, capture_output=True, text=True, timeout=CLI_TIMEOUT_S, check=False
                )
            except subprocess.TimeoutExpired as exc:
                raise BenchmarkError(f"soffice took over {CLI_TIMEOUT_S} s to convert") from exc

        def checked(proc: subprocess.CompletedProcess[str]) -> bytes:
            data = produced.read_bytes() if produced.exists() else b""
            if proc.returncode != 0 or not data.startswith(b"%PDF"):
                detail = (proc.stderr or proc.stdout).strip()
                raise BenchmarkError(
                    f"soffice did not convert {workbook.name} to a PDF "
                    f"(exit {proc.returncode}, {len(data)} bytes): {detail}"
                )
            produced.unlink()  # each run must write its own
            return data

        theirs = checked(convert())  # untimed: creates and warms the private profile
        timing = Timing("summary_pdf_vs_soffice", list(SUMMARY_PDF_TIMES), [])
        for _ in range(ctx.runs):
            seconds, proc = _timed(convert)
            checked(proc)
            timing.floor_times.append(seconds)
        version = subprocess.run(
            [program, "--version"], capture_output=True, text=True, timeout=60, check=False
        ).stdout.strip()
    print(
        f"summary_pdf_vs_soffice: ours {_pdf_pages(ours)} pages; {version or 'soffice'} "
        f"converted the week's workbook ({len(book.plan_rows)} plan rows, {len(book.units)} "
        f"units, history sheet header only, {full_history:,} history rows left out) "
        f"to {_pdf_pages(theirs)} pages"
    )
    return timing


@job("posters", target=2.0)
def posters_job(ctx: Context) -> Timing:
    """A 100-poster batch with the vector QR drawn once, beside the same pages with a PNG QR
    made and drawn on every page."""
    from rayong_desktop.documents import posters
    from rayong_desktop.services import registry
    from tests.benchmarks import documents as docs_bench

    db, settings, _s, text = _documents_setup(ctx)
    try:
        oa_id = "benchmark-oa"
        url = "https://line.me/R/ti/p/%40" + oa_id
        names = [u.name for u in registry.list_units(db, include_retired=False)][:100]
        return measure(
            "posters",
            ctx,
            lambda: posters.qr_posters_pdf(
                url=url, oa_id=oa_id, settings=settings, unit_names=names, text=text
            ),
            lambda: docs_bench.posters_floor(url, oa_id, settings, names, text),
            lambda job_pdf, floor_pdf: None,
        )
    finally:
        db.dispose()


@job("form_import", target=10.0)
def form_import_job(ctx: Context) -> Timing:
    """Import of a filled form for every unit (parse, validate, commit in one transaction) into
    a fresh copy of the database each run, beside openpyxl's read-only load and iteration of
    the same file."""
    import shutil

    import openpyxl
    from sqlalchemy import func, select

    from rayong_desktop.db.models import WeeklyReport
    from rayong_desktop.documents import xlsx_forms
    from rayong_desktop.services import excel_io

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "work.sqlite3"
        shutil.copyfile(ctx.db_path, work)
        db = open_database(work)
        with db.reading() as session:
            last = session.scalar(select(func.max(WeeklyReport.week)))
        assert last is not None
        week = last + timedelta(days=7)  # a week nobody has reported yet
        # On the full province every campaign week is reported: this copy's campaign runs a
        # month longer, so the week after the last one is a week of the campaign.
        from rayong_desktop.services.settings import get_settings, update_setting

        months = get_settings(db).campaign_months
        update_setting(db, "campaign_months", str(months + 1))
        saved_now = os.environ.get("RAYONG_NOW")
        os.environ["RAYONG_NOW"] = f"{(week + timedelta(days=5)).isoformat()} 09:00"
        try:
            form = Path(tmp) / "form.xlsx"
            excel_io.export_form(db, form, week=week)
            counts = {u.unit.code: (u.count or 0) + 5 for u in status.week_summary(db, week).units}
            db.dispose()
            wb = openpyxl.load_workbook(form)
            ws = wb[xlsx_forms.FORM_SHEET]
            column = xlsx_forms.COLUMN["count"].letter
            for r in range(xlsx_forms.FIRST_ROW, ws.max_row + 1):
                code = ws[f"A{r}"].value
                if code in counts:
                    ws[f"{column}{r}"] = counts[code]
            wb.save(form)
            rows = len(counts)

            def run_import() -> int:
                copy = Path(tmp) / "import.sqlite3"
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{copy}{suffix}").unlink(missing_ok=True)
                shutil.copyfile(work, copy)
                target = open_database(copy)
                try:
                    began = time.perf_counter()
                    excel_io.import_forms(target, form, confirm=True)
                    IMPORT_SECONDS.append(time.perf_counter() - began)
                    return rows
                finally:
                    target.dispose()

            def run_floor() -> int:
                book = openpyxl.load_workbook(form, read_only=True, data_only=True)
                try:
                    return sum(1 for _ in book[xlsx_forms.FORM_SHEET].iter_rows(values_only=True))
                finally:
                    book.close()

            IMPORT_SECONDS.clear()
            timing = measure("form_import", ctx, run_import, run_floor, lambda _a, _b: None)
            # Time only the import call itself, not copying the database for a fresh start.
            timing.times = IMPORT_SECONDS[1:]
            return timing
        finally:
            if saved_now is None:
                os.environ.pop("RAYONG_NOW", None)
            else:
                os.environ["RAYONG_NOW"] = saved_now


IMPORT_SECONDS: list[float] = []


# The summary workbook of the benchmark week should be written within this many seconds.
SUMMARY_XLSX_TARGET_S = 5.0


@job("summary_xlsx", target=2.0)
def summary_xlsx_job(ctx: Context) -> Timing:
    """The week's summary workbook as `export summary` writes it (excel_io.summary_book, then
    xlsx_summary.build_summary: figures gathered, the history streamed from the database, every
    sheet styled, measured and saved) to a temporary file, beside the floor: the same lines'
    plain values (every sheet, the history included) streamed by openpyxl's write-only mode with
    no styles (documents.summary_xlsx_floor). The lines are read back once, untimed, from a
    workbook the job wrote. The job's history sheet must hold as many lines as the floor's.
    The median is also printed against the absolute target (SUMMARY_XLSX_TARGET_S)."""
    from rayong_desktop.documents import xlsx_summary
    from rayong_desktop.services import excel_io
    from tests.benchmarks import documents as docs_bench

    db = open_database(ctx.db_path)
    with tempfile.TemporaryDirectory(prefix="rayong-bench-xlsx-") as tmp:
        ours, floor_out = Path(tmp) / "summary.xlsx", Path(tmp) / "floor.xlsx"

        def run_job() -> Path:
            xlsx_summary.build_summary(ours, excel_io.summary_book(db, ctx.week))
            return ours

        def verify(job_out: Path, floor_path: Path) -> None:
            theirs = docs_bench.sheet_lines(job_out, xlsx_summary.HISTORY_SHEET)
            floors = docs_bench.sheet_lines(floor_path, xlsx_summary.HISTORY_SHEET)
            if theirs != floors or theirs < 2:
                raise BenchmarkError(
                    f"summary_xlsx: the history sheet has {theirs:,} lines, the floor's {floors:,}"
                )
            HISTORY_LINES[:] = [theirs - 1]

        try:
            lines = docs_bench.workbook_lines(run_job())
            timing = measure(
                "summary_xlsx",
                ctx,
                run_job,
                lambda: docs_bench.summary_xlsx_floor(lines, floor_out),
                verify,
            )
        finally:
            db.dispose()
    verdict = "ok" if timing.median_s <= SUMMARY_XLSX_TARGET_S else "MISSED"
    print(
        f"summary_xlsx: {HISTORY_LINES[0]:,} history lines; median {timing.median_s:.2f} s end "
        f"to end (target <= {SUMMARY_XLSX_TARGET_S:g} s: {verdict}), floor {timing.floor_s:.2f} s"
    )
    return timing


HISTORY_LINES: list[int] = []


LAUNCH = Path(__file__).with_name("launch.py")


def _launch(*args: str, home: str | None = None) -> tuple[float, dict[str, float]]:
    """Spawn a launch child; seconds from spawn to its JSON line, and what it reported.

    `home` is the desk's data folder (kept home figures, window state): one shared by the runs
    of a job, else a fresh one per run; never the user's."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory() as fresh:
        env["RAYONG_HOME"] = home or fresh
        began = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, str(LAUNCH), *args],
            cwd=REPO,
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert proc.stdout is not None
        line = proc.stdout.readline()
        seconds = time.perf_counter() - began
        proc.wait(timeout=CLI_TIMEOUT_S)
    if not line.strip():
        raise BenchmarkError(f"launch {' '.join(args)} reported nothing (exit {proc.returncode})")
    return seconds, json.loads(line)


LAUNCH_SAMPLES: dict[str, list[dict[str, float]]] = {"desk": [], "bare": []}


@job("launch", target=3.0)
def launch_job(ctx: Context) -> Timing:
    """Spawn to a usable desk on the large database (home screen showing its figures), beside a
    bare PySide6 window with a 100-row table. Each run is a fresh process.

    As a clerk's second start: one untimed session first opens the database and closes the way
    a clerk closes the desk (warming the OS file cache, keeping its home figures); every timed
    run then starts with those figures on show while its database opens behind them. The child
    reports its JSON line once the desk has settled (for launch_attached and peak_memory), so
    the time to the figures is spawn-to-line less the child's own settled_s - ready_s. A timed
    run whose figures did not come from the kept ones is an error: the cache is broken, not
    fast."""
    timing = Timing("launch", [], [])
    with tempfile.TemporaryDirectory() as home:
        _launch("desk-close", str(ctx.db_path), home=home)
        for _ in range(ctx.runs):
            seconds, report = _launch("desk", str(ctx.db_path), home=home)
            if not report.get("kept"):
                raise BenchmarkError("the desk did not start from its kept home figures")
            timing.times.append(seconds - (report["settled_s"] - report["ready_s"]))
            LAUNCH_SAMPLES["desk"].append(report)
            seconds, report = _launch("bare")
            timing.floor_times.append(seconds)
            LAUNCH_SAMPLES["bare"].append(report)
    return timing


@job("launch_first", target=4.0)
def launch_first_job(ctx: Context) -> Timing:
    """Spawn to a usable desk with no kept figures (a first start, or one after another clerk or
    the command line changed the file): the database is opened and checked, then the home screen
    shows figures read from it. Each run has a fresh data folder, so nothing is kept; beside the
    same bare PySide6 window as `launch`."""
    timing = Timing("launch_first", [], [])
    for _ in range(ctx.runs):
        seconds, report = _launch("desk", str(ctx.db_path))
        if report.get("kept"):
            raise BenchmarkError("launch_first: the desk started from kept figures")
        # Spawn to the figures read from the database: the line comes once the desk settled.
        timing.times.append(seconds - (report["settled_s"] - report["attached_s"]))
        FIRST_SAMPLES.append(report)
        seconds, _report = _launch("bare")
        timing.floor_times.append(seconds)
    return timing


FIRST_SAMPLES: list[dict[str, float]] = []


@job("launch_attached", target=4.0)
def launch_attached_job(ctx: Context) -> Timing:
    """Seconds from interpreter start to the desk attached (its database fully opened and
    checked, every screen live: the child's "attached_s"; its "ready_s" when a run does not
    report it) in the launch runs, beside the bare window's "ready_s" in the same runs. Both are
    the children's own figures, counted from when each interpreter began (the launch job instead
    times spawn to the child's JSON line in this process). Reported without a target."""
    if not LAUNCH_SAMPLES["desk"]:
        launch_job(ctx)
    return Timing(
        "launch_attached",
        [r["attached_s"] if "attached_s" in r else r["ready_s"] for r in LAUNCH_SAMPLES["desk"]],
        [r["ready_s"] for r in LAUNCH_SAMPLES["bare"]],
    )


@dataclass
class MemoryTiming(Timing):
    """Peak memory in MB (median over runs) beside the floor's."""

    def as_json(self) -> dict[str, Any]:
        return {
            "job": self.job,
            "median_mb": round(self.median_s, 1),
            "floor_mb": round(self.floor_s, 1),
            "ratio": round(self.ratio, 2),
            "runs": len(self.times),
        }


@job("peak_memory", target=2.0)
def memory_job(ctx: Context) -> Timing:
    """Peak RSS of the desk once started and settled (from the launch runs: its queues idle and
    its word segmenter loaded) beside the bare window's."""
    if not LAUNCH_SAMPLES["desk"]:
        launch_job(ctx)
    return MemoryTiming(
        "peak_memory",
        [r["peak_mb"] for r in LAUNCH_SAMPLES["desk"]],
        [r["peak_mb"] for r in LAUNCH_SAMPLES["bare"]],
    )


STACK_SAMPLES: dict[str, list[dict[str, float]]] = {"stack": [], "bare": []}


def _stack_samples(ctx: Context) -> dict[str, list[dict[str, float]]]:
    """The stack child and the bare window, interleaved, once per run (shared by both jobs)."""
    if not STACK_SAMPLES["stack"]:
        _launch("stack", str(ctx.db_path))  # untimed: warms the file cache
        stack, bare = [], []
        for _ in range(ctx.runs):
            stack.append(_launch("stack", str(ctx.db_path))[1])
            bare.append(_launch("bare")[1])
        # Kept only once every run has reported: a failed run leaves nothing half-filled.
        STACK_SAMPLES["stack"], STACK_SAMPLES["bare"] = stack, bare
    return STACK_SAMPLES


@job("stack_launch")
def stack_launch_job(ctx: Context) -> Timing:
    """What the desk's stack alone costs a start, beside the bare window: the same window after
    importing SQLAlchemy's ORM and the desk's models and reading the units once (each child's
    own seconds from interpreter start to its window). Not a target: the share of the launch
    ratios that no work in the desk can remove while it reads through SQLAlchemy."""
    samples = _stack_samples(ctx)
    return Timing(
        "stack_launch",
        [r["ready_s"] for r in samples["stack"]],
        [r["ready_s"] for r in samples["bare"]],
    )


@job("stack_memory")
def stack_memory_job(ctx: Context) -> Timing:
    """Peak memory of the same stack child beside the bare window's (see stack_launch)."""
    samples = _stack_samples(ctx)
    return MemoryTiming(
        "stack_memory",
        [r["peak_mb"] for r in samples["stack"]],
        [r["peak_mb"] for r in samples["bare"]],
    )


# ------------------------------------------------------------------------------------ running


def default_db_path(params: generate.Params) -> Path:
    name = f"province-u{params.units}-y{params.years}-s{params.seed}.sqlite3"
    return Path(tempfile.gettempdir()) / "rayong-desk-bench" / name


def prepare_database(path: Path | None, params: generate.Params) -> tuple[Path, str]:
    """The database to benchmark and how it was obtained (generated or reused)."""
    if path is not None and path.exists():
        return path, "reused (given)"
    target = path or default_db_path(params)
    if target.exists() and generate.meta_path(target).exists():
        meta = json.loads(generate.meta_path(target).read_text(encoding="utf-8"))
        if meta.get("params") == {
            "units": params.units,
            "years": params.years,
            "seed": params.seed,
        }:
            return target, f"reused (generated in {meta.get('seconds')} s)"
    generate.remove_database(target)  # incomplete or made with other parameters
    target.parent.mkdir(parents=True, exist_ok=True)
    stats = generate.generate(target, params)
    return target, f"generated in {stats.seconds} s"


def middle_week(db_path: Path) -> date:
    db = open_database(db_path)
    try:
        campaign = status.campaign_info(db)
    finally:
        db.dispose()
    weeks = calendar.campaign_weeks(campaign.start, campaign.end)
    return weeks[len(weeks) // 2]


def print_table(timings: Sequence[Timing]) -> None:
    headers = ("job", "median", "floor", "ratio", "runs", "target")
    rows = []
    for t in timings:
        target = JOBS[t.job].target
        verdict = (
            "" if target is None else f"<= {target:g}x " + ("ok" if t.ratio <= target else "MISSED")
        )
        rows.append(
            (
                t.job,
                f"{t.median_s:.1f} MB" if isinstance(t, MemoryTiming) else f"{t.median_s:.4f} s",
                f"{t.floor_s:.1f} MB" if isinstance(t, MemoryTiming) else f"{t.floor_s:.4f} s",
                f"{t.ratio:.1f}",
                str(len(t.times)),
                verdict,
            )
        )
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    for line in (headers, *rows):
        print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="time the desk's jobs beside raw-SQL floors")
    parser.add_argument("--quick", action="store_true", help="small province, 2 runs")
    parser.add_argument("--db", type=Path, help="database to use (generated there if missing)")
    parser.add_argument(
        "--runs", type=int, help=f"timed runs per job ({FULL_RUNS}, quick {QUICK_RUNS})"
    )
    parser.add_argument("--jobs", help=f"comma-separated subset of: {', '.join(JOBS)}")
    parser.add_argument("--week", help="the week to summarise (default: the campaign's middle)")
    parser.add_argument("--seed", type=int, default=generate.FULL.seed)
    args = parser.parse_args(argv)

    requested = [n.strip() for n in args.jobs.split(",")] if args.jobs else list(JOBS)
    unknown = [n for n in requested if n not in JOBS]
    if unknown:
        parser.error(f"unknown job(s): {', '.join(unknown)}")
    names, skipped = [], []
    for name in requested:
        reason = JOBS[name].why_not()
        if reason is None:
            names.append(name)
        else:
            skipped.append(f"skipped {name}: {reason}")
    base = generate.QUICK if args.quick else generate.FULL
    params = generate.Params(units=base.units, years=base.years, seed=args.seed)
    runs = args.runs or (QUICK_RUNS if args.quick else FULL_RUNS)

    db_path, origin = prepare_database(args.db, params)
    week = calendar.parse_week(args.week) if args.week else middle_week(db_path)
    size_mb = db_path.stat().st_size / 1e6
    print(f"database {db_path} ({size_mb:.1f} MB, {origin})")
    print(f"week {calendar.week_label(week)} ({week.isoformat()}), {runs} runs per job")
    print(f"python {sys.version.split()[0]} on {sys.platform}, {os.cpu_count()} cpus")
    for line in skipped:
        print(line)
    print()

    # As installed (pip or the frozen build): the desk's modules already compiled to bytecode,
    # even where PYTHONDONTWRITEBYTECODE keeps Python from caching it.
    compileall.compile_dir(REPO / "rayong_desktop", quiet=1)
    ctx = Context(db_path=db_path, week=week, runs=runs, quick=args.quick)
    timings: list[Timing] = []
    try:
        for name in names:
            try:
                timings.append(JOBS[name].fn(ctx))
            except JobUnavailableError as exc:
                print(f"skipped {name}: {exc}")
    except BenchmarkError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    Path(RESULTS_FILE).write_text(
        json.dumps([t.as_json() for t in timings], indent=2) + "\n", encoding="utf-8"
    )
    print_table(timings)
    print(f"\nwritten to {Path(RESULTS_FILE).resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
