"""Without a desktop session the desk says so in one line and the command line still works."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from rayong_desktop.app import no_desktop_session
from tests.helpers import REPO


def test_linux_without_a_display_has_no_desktop_session() -> None:
    assert no_desktop_session({}, "linux")
    assert no_desktop_session({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert not no_desktop_session({"DISPLAY": ":0"}, "linux")
    assert not no_desktop_session({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert not no_desktop_session({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not no_desktop_session({"QT_QPA_PLATFORM": "offscreen:size=800x600"}, "linux")
    assert not no_desktop_session({}, "win32")


def test_the_desk_without_a_display_says_so_and_exits_2(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(QT_QPA_PLATFORM="", RAYONG_HOME=str(tmp_path / "home"))
    gui = subprocess.run(
        [sys.executable, "main.py"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert gui.returncode == 2
    lines = gui.stderr.strip().splitlines()
    assert len(lines) == 1 and "desktop session" in lines[0] and "command line" in lines[0]
    assert not (tmp_path / "home").exists() or not any((tmp_path / "home").rglob("*.sqlite3"))
    cli = subprocess.run(
        [sys.executable, "main.py", "weeks"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert cli.returncode == 0, cli.stderr
