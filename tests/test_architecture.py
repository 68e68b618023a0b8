"""The import contracts in pyproject.toml ([tool.importlinter]) hold, and they can fail."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REPO

# Runs once, on SQLite: it needs no database.
pytestmark = pytest.mark.sqlite_only


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    script = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert script, f"lint-imports is not installed next to {sys.executable}"
    return subprocess.run(
        [script, "--no-cache", "--no-logo"],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def test_the_import_contracts_hold() -> None:
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout, result.stdout


def test_each_contract_catches_a_breach(tmp_path: Path) -> None:
    """A copy of the package with wrong imports and a module placed in no layer: all reported."""
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    package = tmp_path / "rayong_desktop"
    shutil.copytree(REPO / "rayong_desktop", package, ignore=shutil.ignore_patterns("__pycache__"))
    breaches = {
        "domain/codec.py": "import PySide6",  # Qt outside ui
        "ui/theme.py": "from rayong_desktop.db import engine",  # ui past services
        "db/ids.py": "from rayong_desktop.services import oa",  # a layer importing upwards
        "files.py": "from rayong_desktop import paths",  # the writer helper above a helper
    }
    for module, line in breaches.items():
        with (package / module).open("a", encoding="utf-8") as fh:
            fh.write(f"\n{line}  # noqa\n")
    (package / "stray.py").write_text("", encoding="utf-8")  # a module in no layer
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "0 kept, 3 broken" in result.stdout, result.stdout
    for reported in (
        "rayong_desktop.domain.codec -> PySide6",
        "rayong_desktop.ui.theme -> rayong_desktop.db.engine",
        "rayong_desktop.db.ids -> rayong_desktop.services.oa",
        "rayong_desktop.files -> rayong_desktop.paths",
        "- rayong_desktop.stray\n",
    ):
        assert reported in result.stdout, result.stdout
