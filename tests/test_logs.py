"""The support log: what a run leaves in the data folder's log, and what it leaves alone."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path
from types import TracebackType

import pytest

from rayong_desktop import logs
from rayong_desktop.paths import data_dir
from tests.helpers import REPO, run_cli_inprocess, run_cli_subprocess


def log_text() -> str:
    return logs.log_file().read_text(encoding="utf-8")


def test_the_log_lives_in_the_data_folder_which_is_the_tests_own() -> None:
    assert logs.log_file() == data_dir() / "logs" / "rayong-desk.log"
    assert os.environ["RAYONG_HOME"] in str(logs.log_file())


def test_a_command_line_run_leaves_the_start_line_and_prints_nothing_more(
    tmp_path: Path,
) -> None:
    result = run_cli_subprocess(["--db", str(tmp_path / "desk.sqlite3"), "status", "--json"])
    assert result.code == 0
    assert result.err == ""
    result.json()  # stdout is the command's JSON and nothing else
    text = log_text()
    assert "INFO rayong_desktop [MainThread] start: Rayong Fight Covid desk" in text
    assert "from source" in text
    assert f"database open: {tmp_path / 'desk.sqlite3'}" in text
    assert "migrated " in text  # a new file: the schema was created


def test_a_refusal_prints_one_line_as_before_and_is_logged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli_inprocess(["--db", str(tmp_path), "units"], capsys)
    assert result.code == 2
    assert result.out == ""
    assert result.err == f"refused: {tmp_path} is a folder, not a database file\n"
    assert f"refused (bad_path): {tmp_path} is a folder, not a database file" in log_text()


def test_a_server_url_is_logged_without_its_password(capsys: pytest.CaptureFixture[str]) -> None:
    url = "postgresql://desk:s3cret-pw@127.0.0.1:9/rayong"  # port 9: nothing listens there
    result = run_cli_inprocess(["--db-url", url, "units"], capsys)
    assert result.code == 2
    text = log_text()
    assert "refused (cannot_connect): cannot connect to postgresql://desk:***@127.0.0.1:9" in text
    assert "s3cret-pw" not in text


def test_rotation_keeps_the_log_bounded() -> None:
    path = logs.setup_logging(max_bytes=4_000, backup_count=2)
    assert path is not None
    for i in range(2_000):
        logging.getLogger("rayong_desktop.test").info("line %d of a long session", i)
    files = sorted(path.parent.glob("rayong-desk.log*"))
    assert [f.name for f in files] == ["rayong-desk.log", "rayong-desk.log.1", "rayong-desk.log.2"]
    assert all(f.stat().st_size <= 4_000 for f in files)
    assert "line 1999 of a long session" in log_text()


def test_an_uncaught_exception_is_logged_with_its_traceback_and_still_reaches_the_console(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[type[BaseException]] = []

    def console(kind: type[BaseException], _v: BaseException, _tb: TracebackType | None) -> None:
        seen.append(kind)

    monkeypatch.setattr(sys, "excepthook", console)
    logs.setup_logging()
    try:
        {}["no-such-key"]
    except KeyError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    text = log_text()
    assert "ERROR rayong_desktop [MainThread] unexpected error: 'no-such-key'" in text
    assert "Traceback (most recent call last):" in text
    assert "test_logs.py" in text
    assert seen == [KeyError]


def test_an_exception_on_another_thread_is_logged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threading, "excepthook", lambda _args: None)
    logs.setup_logging()

    def fail() -> None:
        raise ValueError("broken in the background")

    worker = threading.Thread(target=fail, name="backup-worker")
    worker.start()
    worker.join()
    text = log_text()
    assert "unexpected error in backup-worker: broken in the background" in text
    assert 'raise ValueError("broken in the background")' in text


def test_a_windowed_build_prints_into_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No console (sys.stdout and sys.stderr are None): what a command prints lands in the log,
    bounded like the rest of it, and no other file grows in the data folder."""
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    from rayong_desktop.cli import main

    assert main(["--db", str(tmp_path / "desk.sqlite3"), "units"]) == 0
    assert main(["--db", str(tmp_path), "units"]) == 2
    sys.stdout.flush()
    text = log_text()
    assert "INFO rayong_desktop.stdout [MainThread] code " in text  # the table's header
    assert "TN-RY" in text
    assert f"WARNING rayong_desktop.stderr [MainThread] refused: {tmp_path} is a folder" in text
    # Beside the log only this PC's record of the database (its identity, its backups' folder).
    assert sorted(p.name for p in data_dir().iterdir()) == ["desk-databases.json", "logs"]


def test_a_hard_crash_is_dumped_to_the_crash_file_and_not_to_stderr() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONFAULTHANDLER"}
    code = (
        "import faulthandler\n"
        "from rayong_desktop.logs import setup_logging\n"
        "setup_logging()\n"
        "faulthandler._sigsegv()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )
    assert proc.returncode != 0
    assert proc.stderr == ""
    crash = (logs.log_dir() / "crash.log").read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in crash
    assert "Current thread" in crash
