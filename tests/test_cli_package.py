"""The command line as a package: it runs without Qt, loads only what a command uses, has no
import cycles, and every command is registered once with the function that runs it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers import REPO, CliResult

pytestmark = pytest.mark.sqlite_only  # each command runs on its own SQLite file

# A machine without Qt: any import of PySide6 or shiboken6 fails, as it would there.
NO_QT = """
import importlib.abc
import sys


class NoQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6"):
            raise ImportError(f"no module named {name!r} (headless test)")
        return None


sys.meta_path.insert(0, NoQt())
for name in [m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6")]:
    del sys.modules[name]
"""

RUN_MAIN = NO_QT + "from rayong_desktop.cli import main\nsys.exit(main(sys.argv[1:]))\n"


def _python(code: str, *args: str, env: dict[str, str] | None = None) -> CliResult:
    import os

    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        timeout=120,
        env={**os.environ, **(env or {})},
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


def test_the_headless_wrapper_really_hides_qt() -> None:
    result = _python(NO_QT + "import PySide6.QtCore\n")
    assert result.code != 0
    assert "ModuleNotFoundError" in result.err or "ImportError" in result.err
    assert "headless test" in result.err


def test_the_commands_run_where_qt_cannot_be_imported(tmp_path: Path) -> None:
    db = tmp_path / "headless.sqlite3"
    env = {"RAYONG_NOW": "2020-05-15 09:00"}

    def run(*argv: str) -> CliResult:
        result = _python(RUN_MAIN, "--db", str(db), *argv, env=env)
        assert result.code == 0, (argv, result.out, result.err)
        assert "Traceback" not in result.err
        return result

    plan = run("plan", "--json").json()
    assert plan["rows"] and plan["totals"]["computed_quota"] > 0

    assert "TN-RY" in run("units").out

    reported = run("report", "TN-RY", "๑,๒๕๐", "--week", "2020-05-04", "--received", "now").out
    assert "TN-RY" in reported and "count 1,250" in reported

    week = run("status", "--week", "2020-05-04", "--json").json()
    unit = next(u for u in week["units"] if u["code"] == "TN-RY")
    assert week["week_start"] == "2020-05-04" and unit["count"] == 1250

    pdf = tmp_path / "summary.pdf"
    assert run("summary", "--week", "2020-05-04", "--out", str(pdf)).out.startswith(f"wrote {pdf}")
    assert pdf.read_bytes().startswith(b"%PDF")

    xlsx = tmp_path / "form.xlsx"
    written = run("form", "--week", "2020-05-04", "--unit", "TN-RY", "--out", str(xlsx)).out
    assert written == f"wrote {xlsx} (1 rows)\n"
    with zipfile.ZipFile(xlsx) as book:
        assert "xl/workbook.xml" in book.namelist()

    copy = tmp_path / "copy.sqlite3"
    assert run("backup", "--out", str(copy)).out == f"backup written: {copy}\n"
    assert copy.is_file()


# Runs one command in-process, then lists the heavy libraries it had loaded.
LOADED = (
    "import io, json, sys\n"
    "from contextlib import redirect_stdout\n"
    "from rayong_desktop.cli import main\n"
    "with redirect_stdout(io.StringIO()):\n"
    "    code = main(sys.argv[1:])\n"
    "heavy = ('reportlab', 'openpyxl', 'pypdfium2', 'PySide6')\n"
    "print(json.dumps([code, sorted({m.split('.')[0] for m in sys.modules} & set(heavy))]))\n"
)


@pytest.mark.parametrize(
    ("argv", "loaded"),
    [
        (["status", "--json"], []),
        (["units", "--json"], []),
        (["summary", "--out", "{tmp}/s.pdf"], ["reportlab"]),
        # ReportLab measures the Thai text so the workbook's rows fit it.
        (["summary", "--out", "{tmp}/s.xlsx"], ["openpyxl", "reportlab"]),
    ],
)
def test_a_command_loads_only_the_libraries_it_uses(
    tmp_path: Path, argv: list[str], loaded: list[str]
) -> None:
    words = [w.replace("{tmp}", str(tmp_path)) for w in argv]
    result = _python(LOADED, "--db", str(tmp_path / "desk.sqlite3"), *words)
    assert result.code == 0, result.err
    code, heavy = json.loads(result.out.strip().splitlines()[-1])
    assert code == 0
    assert heavy == loaded


CLI_MODULES = ("output", "registry", "reports", "maintenance", "documents", "excel")


def test_each_command_module_imports_on_its_own() -> None:
    """No import cycles: every module of the package loads first, in a fresh interpreter state."""
    code = (
        "import importlib, sys\n"
        "for name in sys.argv[1:]:\n"
        "    for loaded in [m for m in sys.modules if m.startswith('rayong_desktop')]:\n"
        "        del sys.modules[loaded]\n"
        "    importlib.import_module('rayong_desktop.cli.' + name)\n"
        "print('ok')\n"
    )
    result = _python(code, *CLI_MODULES)
    assert result.code == 0, result.err
    assert result.out.strip() == "ok"


def _leaves(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> list[tuple[str, argparse.ArgumentParser]]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return [(" ".join(path), parser)]
    found: list[tuple[str, argparse.ArgumentParser]] = []
    for action in subs:
        for name, child in action.choices.items():
            found += _leaves(child, (*path, name))
    return found


def test_every_command_runs_one_function_on_the_database_or_on_the_file() -> None:
    from rayong_desktop.cli import build_parser

    leaves = dict(_leaves(build_parser()))
    assert {"status", "unit add", "oa-stats list", "backup", "selftest", "form"} <= set(leaves)
    for name, parser in leaves.items():
        func = parser.get_default("func")
        assert callable(func), name
        assert parser.get_default("on_file") in (True, False), name
    on_file = {name for name, p in leaves.items() if p.get_default("on_file")}
    assert on_file == {
        "backup",
        "backups",
        "check",
        "restore",
        "import-archive",
        "selftest",
        "migrate-data",
    }
    anywhere = {name for name, p in leaves.items() if p.get_default("any_target")}
    assert anywhere == {"selftest", "migrate-data"}


def test_a_file_command_refuses_a_server_database() -> None:
    result = _python(RUN_MAIN, "--db-url", "postgresql://desk@server/rayong", "backup")
    assert result.code == 2
    assert result.err.startswith("refused: 'backup' works on a SQLite file")


def test_each_command_is_parsed_by_its_own_module_exactly_as_by_the_whole_parser() -> None:
    """A command line naming a command builds only its module's parsers (cli.COMMAND_GROUP):
    every command is there, under the module that registers it, with the same help."""
    from rayong_desktop.cli import COMMAND_GROUP, COMMAND_GROUPS, build_parser

    def commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
        (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        return dict(action.choices)

    whole = commands(build_parser())
    assert set(whole) == set(COMMAND_GROUP)
    registered = {}
    for group in COMMAND_GROUPS:
        module = __import__(f"rayong_desktop.cli.{group}", fromlist=["add_commands"])
        parser = argparse.ArgumentParser()
        module.add_commands(parser.add_subparsers())
        registered.update(dict.fromkeys(commands(parser), group))
    assert registered == COMMAND_GROUP
    for name, full in whole.items():
        own = commands(build_parser(name))
        assert set(own) == {n for n, g in COMMAND_GROUP.items() if g == COMMAND_GROUP[name]}
        assert own[name].format_help() == full.format_help(), name
        for leaf, leaf_parser in _leaves(own[name], (name,)):
            assert callable(leaf_parser.get_default("func")), leaf


@pytest.mark.parametrize(
    ("argv", "word"),
    [
        (["status", "--json"], "status"),
        (["--db", "x.sqlite3", "--clerk", "A", "oa-stats", "list"], "oa-stats"),
        (["--db=x.sqlite3", "week", "close", "2020-W20"], "week"),
        (["--help", "status"], None),
        (["--bogus", "status"], None),
        ([], None),
    ],
)
def test_the_command_word_is_found_after_the_global_options(
    argv: list[str], word: str | None
) -> None:
    from rayong_desktop.cli import command_word

    assert command_word(argv) == word
