"""Shared test helpers: running the command line, dumping a database to compare before/after."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def run_cli_inprocess(argv: list[str], capsys: pytest.CaptureFixture[str]) -> CliResult:
    from rayong_desktop.cli import main

    capsys.readouterr()
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own exits
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return CliResult(code, captured.out, captured.err)


def run_cli_subprocess(
    argv: list[str], *, env: dict[str, str] | None = None, timeout: float = 60
) -> CliResult:
    full_env = dict(os.environ)
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, str(REPO / "main.py"), *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=full_env,
        timeout=timeout,
        cwd=REPO,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


def python_output(code: str, *, timeout: float = 60) -> str:
    """What `python -c code` prints, run in a fresh interpreter from the checkout (for what
    a fresh process loads or does); a failure shows its stderr."""
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=timeout
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


# Set by the `db_target` fixture while a test runs against its own server database.
ACTIVE_SERVER_URL: str | None = None


def dump(path: Path | None) -> list[str]:
    """The whole database as text, for 'nothing changed' comparisons.

    Against a server database (see conftest) it dumps the test's server database instead
    (`db.path` is None there).
    """
    if ACTIVE_SERVER_URL is not None and (path is None or not Path(path).exists()):
        return dump_server(ACTIVE_SERVER_URL)
    assert path is not None
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def dump_server(url: str) -> list[str]:
    from sqlalchemy import select, text

    from rayong_desktop.db.engine import server_engine
    from rayong_desktop.db.models import Base

    engine = server_engine(url)
    lines: list[str] = []
    try:
        with engine.connect() as conn:
            lines += [repr(r) for r in conn.execute(text("SELECT * FROM alembic_version"))]
            for table in Base.metadata.sorted_tables:
                query = select(table).order_by(*table.primary_key.columns)
                lines += [f"{table.name} {tuple(r)!r}" for r in conn.execute(query)]
    finally:
        engine.dispose()
    return lines


def server_url_for(base: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(base).set(database=name).render_as_string(hide_password=False)


def _admin(base: str, statement: str) -> None:
    from sqlalchemy import create_engine, text

    url = server_url_for(base, "postgres").replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()


def create_server_database(base: str, name: str, *, template: str | None = None) -> None:
    _admin(base, f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))


def drop_server_database(base: str, name: str) -> None:
    _admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
