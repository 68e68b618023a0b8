from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rayong_desktop.services import home_snapshot
from tests.helpers import REPO, python_output, run_cli_subprocess

pytestmark = pytest.mark.sqlite_only  # starts the real desk on its own file


def test_the_desk_starts_to_a_usable_home_screen(tmp_path: Path) -> None:
    """RAYONG_STARTUP_PROBE makes the real start-up (lock, checks, migration, seed, window,
    home figures) report when it is usable and when its database is open: how start time is
    measured, frozen or not."""
    db = tmp_path / "probe.sqlite3"
    result = run_cli_subprocess(
        ["--db", str(db)],
        env={"RAYONG_STARTUP_PROBE": "1", "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
    )
    assert result.code == 0, result.err
    assert result.out.split() == ["ready", "attached"]
    assert db.is_file() and "Traceback" not in result.err


# Starts the desk the way main.py does, twice: the first session closes as a clerk closes it
# (keeping its home figures); the second reports, at "ready", whether the database layer had
# been loaded yet and what the home screen showed, then again once the database is open.
SESSION = """
import json, os, sys

def texts(window):
    home = window.page("home")
    return [home.tile_expected.value.text(), home.tile_received.value.text(),
            home.tile_missing.value.text(), home.province_figure.text(),
            home.calls_title.text()]

def hooked():
    # Modules of the database layer that went through PySide6's import hook (which reads and
    # keeps each module's source), and the sources it kept.
    import linecache
    feature = sys.modules["shibokensupport.feature"]
    return {"loaded": sum(m.split(".")[0] == "sqlalchemy" for m in sys.modules),
            "hooked": sum(m.split(".")[0] == "sqlalchemy" for m in feature.pyside_feature_dict),
            "sources": sum("/sqlalchemy/" in f.replace(os.sep, "/") and f.endswith(".py")
                           for f in linecache.cache)}

seen = {}
def probe(stage):
    from PySide6.QtWidgets import QApplication  # here: the desk loads Qt when it chooses
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "deskWindow")
    seen[stage] = {"sqlalchemy": "sqlalchemy" in sys.modules, "texts": texts(window),
                   "ready": window.ctx.ready, "hooked": hooked()}
    if stage == "attached":
        if sys.argv[2] == "close":
            window.close()
            QApplication.quit()
        else:
            print(json.dumps(seen), flush=True)
            os._exit(0)

# As a clerk starts it (main.py --db PATH), the start-up probe reporting here.
from rayong_desktop.cli import main
code = main(["--db", sys.argv[1]], probe=probe)
print(json.dumps(seen), flush=True)
sys.exit(code)
"""


def _session(db: Path, mode: str) -> dict[str, dict[str, object]]:
    proc = subprocess.run(
        [sys.executable, "-c", SESSION, str(db), mode],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, dict[str, object]] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def test_a_second_start_shows_the_kept_figures_before_loading_the_database_layer(
    tmp_path: Path,
) -> None:
    db = tmp_path / "desk.sqlite3"
    first = _session(db, "close")
    # No figures kept yet: the database opened first, so its layer was loaded at "ready".
    assert first["ready"]["sqlalchemy"] is True and first["ready"]["ready"] is True
    second = _session(db, "stay")
    assert second["ready"]["sqlalchemy"] is False  # the figures came from the kept snapshot
    assert second["ready"]["ready"] is False  # and the database was still opening
    assert second["attached"]["ready"] is True
    # What the clerk saw first is what the database says, and what the last session showed.
    assert second["ready"]["texts"] == second["attached"]["texts"] == first["attached"]["texts"]
    # A start with nothing kept, on the same (existing) file.
    home_snapshot.forget(db)
    third = _session(db, "stay")
    assert (
        third["ready"]["ready"] is True and third["attached"]["texts"] == first["attached"]["texts"]
    )
    # Both kinds of start loaded the database layer without PySide6's import hook: before Qt
    # when nothing was kept, with the plain import behind the kept figures. (The hook still
    # reads the few modules a later import statement names; the first session, which created
    # the file, also ran its migrations after Qt.)
    for start in (second["attached"]["hooked"], third["attached"]["hooked"]):
        assert isinstance(start, dict) and start["loaded"] > 100
        assert start["hooked"] * 5 < start["loaded"] and start["sources"] <= start["hooked"]


@pytest.mark.parametrize(
    ("argv", "opens_desk"),
    [
        ([], True),
        (["--db", "office.sqlite3"], True),
        (["--demo", "--clerk", "สมศรี"], True),
        (["--db-url", "postgresql://desk@server/rayong"], True),
        (["status"], False),
        (["--db", "office.sqlite3", "status", "--json"], False),
        (["--help"], False),
        (["-h"], False),
        (["--db"], False),  # the full parser says what is missing
        (["--no-such-option"], False),
    ],
)
def test_only_a_plain_start_skips_loading_the_commands(argv: list[str], opens_desk: bool) -> None:
    from rayong_desktop.cli import desk_only_arguments

    args = desk_only_arguments(argv)
    assert (args is not None) == opens_desk
    if args is not None:
        assert args.command is None


def test_opening_the_desk_loads_no_command_or_database_modules_before_the_window() -> None:
    """What `main.py` imports before deciding to open the desk: not the commands, the database
    layer, the documents or Excel (they cost a second on an office PC)."""
    probe = (
        "import sys\n"
        "from rayong_desktop import cli\n"
        "assert cli.desk_only_arguments(['--db', 'x.sqlite3']) is not None\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in "
        "('sqlalchemy', 'reportlab', 'openpyxl', 'pythainlp', 'PySide6') "
        "or m.startswith(('rayong_desktop.cli.', 'rayong_desktop.services', "
        "'rayong_desktop.db.engine'))]\n"
        "print(sorted(heavy))\n"
    )
    output = python_output(probe)
    assert output.strip() == "[]"
