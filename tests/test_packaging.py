"""The program as installed from a wheel, outside the checkout.

A wheel is built from a copy of the project, installed (not editable) into a fresh venv and run
from a folder that is not the checkout. Offline and quick: the wheel is built without build
isolation (setuptools comes with the test extras) and the fresh venv borrows this venv's already
installed dependencies through a .pth file, added only after the wheel is installed, so pip never
sees (or touches) this venv's own editable install.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path
from typing import Any

import pytest

import rayong_desktop
from rayong_desktop.paths import resource_path

pytestmark = pytest.mark.slow

CHECKOUT = Path(__file__).resolve().parent.parent
# What the wheel is built from: the project's metadata, its package and the top-level resources.
SOURCES = ("pyproject.toml", "README.md", "rayong_desktop", "resources")
SHIPPED_RESOURCES = ("seed/plan.json", "translations/desk_en.qm")


def _run(args: list[str | Path], *, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 0, f"{args}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Build the wheel, install it into a fresh venv; hand back the paths the tests need."""
    root = tmp_path_factory.mktemp("packaging")
    project = root / "project"
    for name in SOURCES:
        source = CHECKOUT / name
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
            shutil.copytree(source, project / name, ignore=ignore)
        else:
            project.mkdir(exist_ok=True)
            shutil.copy2(source, project / name)

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PIP_"))}
    env |= {"PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    wheels = root / "wheels"
    pip = [sys.executable, "-m", "pip"]
    _run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", wheels, project],
        cwd=root,
        env=env,
    )
    (wheel,) = wheels.glob("rayong_desktop-*.whl")

    venv = root / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=root, env=env)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    _run([*pip, "--python", python, "install", "--no-deps", "-q", wheel], cwd=root, env=env)
    site = Path(
        _run(
            [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            cwd=root,
            env=env,
        ).strip()
    )
    borrowed = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (site / "zz_test_dependencies.pth").write_text("\n".join(sorted(borrowed)) + "\n")

    elsewhere = root / "elsewhere"  # cwd of every run: neither the checkout nor the venv
    elsewhere.mkdir()
    env |= {"RAYONG_HOME": str(root / "home"), "QT_QPA_PLATFORM": "offscreen"}
    return {
        "wheel": wheel,
        "venv": venv,
        "bindir": bindir,
        "python": python,
        "site": site,
        "cwd": elsewhere,
        "env": env,
        "root": root,
    }


def test_the_wheel_carries_every_module_the_seed_and_the_translations(
    installed: dict[str, Any],
) -> None:
    with zipfile.ZipFile(installed["wheel"]) as wheel:
        names = set(wheel.namelist())
        for name in SHIPPED_RESOURCES:
            member = f"rayong_desktop/resources/{name}"
            assert member in names
            assert wheel.read(member) == resource_path(*name.split("/")).read_bytes()
        (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        headers = wheel.read(metadata).decode("utf-8")
    modules = {
        p.relative_to(CHECKOUT).as_posix()
        for p in (CHECKOUT / "rayong_desktop").rglob("*.py")
        if "__pycache__" not in p.parts
    }
    assert modules - names == set()  # a new subpackage must be listed in pyproject.toml
    assert "rayong_desktop/db/migrations/script.py.mako" in names
    assert not any(n.startswith(("resources/", "tests/")) for n in names)
    assert f"\nVersion: {rayong_desktop.__version__}\n" in headers
    assert "\nLicense-Expression: LicenseRef-Proprietary\n" in headers


def test_the_installed_program_reads_its_resources_from_the_venv(
    installed: dict[str, Any],
) -> None:
    probe = (
        "import importlib.metadata, json, rayong_desktop\n"
        "from rayong_desktop.paths import migrations_dir, resource_path\n"
        "print(json.dumps({'package': rayong_desktop.__file__,\n"
        "  'seed': str(resource_path('seed', 'plan.json')),\n"
        "  'qm': str(resource_path('translations', 'desk_en.qm')),\n"
        "  'migrations': str(migrations_dir()),\n"
        "  'version': importlib.metadata.version('rayong-desktop')}))\n"
    )
    out = json.loads(
        _run([installed["python"], "-c", probe], cwd=installed["cwd"], env=installed["env"])
    )
    site: Path = installed["site"]
    for key in ("package", "seed", "qm", "migrations"):
        assert Path(out[key]).is_relative_to(site), (key, out[key])
    assert Path(out["seed"]).is_file() and Path(out["qm"]).is_file()
    assert (Path(out["migrations"]) / "env.py").is_file()
    assert out["version"] == rayong_desktop.__version__


def test_the_installed_command_lists_the_seeded_plan_from_another_folder(
    installed: dict[str, Any],
) -> None:
    database = installed["root"] / "data" / "desk.sqlite3"
    command = installed["bindir"] / ("rayong-desk.exe" if os.name == "nt" else "rayong-desk")
    out = _run(
        [command, "--db", database, "plan", "--json"], cwd=installed["cwd"], env=installed["env"]
    )
    seed = json.loads(resource_path("seed", "plan.json").read_text(encoding="utf-8"))
    rows = json.loads(out)["rows"]
    assert [(r["number"], r["name"], r["quota"]) for r in rows] == [
        (r["number"], r["name"], r["quota"]) for r in seed["plan_rows"]
    ]
    assert database.is_file()
    assert not (installed["cwd"] / "resources").exists()
