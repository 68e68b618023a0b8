"""Every window and dialog of the desk fits the office screens: 1366x768 and 1280x720.

Each size runs the desk in a process of its own on Qt's offscreen platform with a screen of
that size (the screen is fixed when Qt starts): tests/ui/screen_probe.py opens the main window
(with a geometry remembered on a 1920x1080 monitor), every screen, every File-menu dialog, the
shortcut list and the unit dialog, and reports each window's frame.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize

from rayong_desktop.ui.geometry import fitted_size, placed_inside

ROOT = Path(__file__).resolve().parents[2]


def probe(tmp_path: Path, width: int, height: int) -> list[dict[str, object]]:
    config = tmp_path / "screen.json"
    config.write_text(
        json.dumps(
            {
                "windowFrameMargins": True,
                "screens": [{"name": "office", "x": 0, "y": 0, "width": width, "height": height}],
            }
        ),
        encoding="utf-8",
    )
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM=f"offscreen:configfile={config}",
        RAYONG_HOME=str(tmp_path / "home"),
        RAYONG_NOW="2020-05-21 14:30",
    )
    env.pop("RAYONG_UI_STATE", None)
    out = tmp_path / "seen.json"
    done = subprocess.run(
        [sys.executable, "-m", "tests.ui.screen_probe", str(tmp_path / "desk.sqlite3"), str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen: list[dict[str, object]] = json.loads(out.read_text(encoding="utf-8"))
    return seen


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1280, 720)])
def test_every_window_and_dialog_lies_within_the_screen(
    tmp_path: Path, width: int, height: int
) -> None:
    seen = probe(tmp_path, width, height)
    steps = {s["step"] for s in seen}
    # Everything was opened: the screens, each print entry, the Excel dialogs, the unit dialog.
    assert {"restored", "screen home", "screen settings", "print summary", "print poster"} <= steps
    assert {"export", "import forms", "import units", "keys", "unit", "maximised"} <= steps
    dialogs = {s["step"] for s in seen if s.get("window") not in (None, "MainWindow")}
    assert {"print summary", "export", "import units", "keys", "unit"} <= dialogs
    outside = [s for s in seen if "inside" in s and not s["inside"]]
    assert outside == [], f"beyond the {width}x{height} screen: {outside}"
    # The window remembered on a 1920x1080 monitor came back inside this one.
    restored = next(s for s in seen if s["step"] == "restored" and s["window"] == "MainWindow")
    frame = restored["frame"]
    assert isinstance(frame, list) and frame[2] <= width and frame[3] <= height
    if (width, height) == (1366, 768):
        rows = next(s for s in seen if s["step"] == "call list")
        assert isinstance(rows["rows"], int) and rows["rows"] >= 8, rows


def test_a_size_is_capped_to_the_room_left_by_the_frame() -> None:
    room = QRect(0, 0, 1366, 728)
    assert fitted_size(QSize(1360, 860), room, QSize(16, 40)) == QSize(1350, 688)
    assert fitted_size(QSize(400, 300), room, QSize(16, 40)) == QSize(400, 300)


def test_a_window_beyond_the_edge_is_moved_back_inside() -> None:
    room = QRect(0, 0, 1280, 720)
    assert placed_inside(QRect(1000, 600, 400, 300), room) == QRect(880, 420, 400, 300)
    assert placed_inside(QRect(-50, -20, 400, 300), room) == QRect(0, 0, 400, 300)
    assert placed_inside(QRect(10, 10, 400, 300), room) == QRect(10, 10, 400, 300)
