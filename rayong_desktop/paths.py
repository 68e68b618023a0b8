"""Where things live: the user's data, and the app's own read-only resources.

Resources are found through `resource_path` only, so the same code works from a source checkout,
an editable or a wheel install (the top-level ``resources/`` folder is the package
``rayong_desktop.resources``, found by ``importlib.resources``) and a PyInstaller bundle (where data
sits under ``sys._MEIPASS``). User data is never written next to the program.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from rayong_desktop.files import atomic_write

APP_NAME = "RayongFightCovidDesk"
APP_AUTHOR = "RayongProvince"
DB_FILENAME = "rayong-desk.sqlite3"
DEMO_DB_FILENAME = "rayong-desk-demo.sqlite3"


def _package_dir(package: str, *, frozen_as: str) -> Path:
    """The folder of a package that carries data: under ``sys._MEIPASS`` when frozen."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / frozen_as
    import importlib.resources  # here: a command that needs no resource does not load it (3 ms)

    folder = importlib.resources.files(package)
    if not isinstance(folder, Path):  # a zip import: the desk is never installed that way
        raise FileNotFoundError(f"{package} is not a folder on disk: {folder}")
    return folder


def resources_root() -> Path:
    return _package_dir("rayong_desktop.resources", frozen_as="resources")


def resource_path(*parts: str) -> Path:
    return resources_root().joinpath(*parts)


def migrations_dir() -> Path:
    return _package_dir("rayong_desktop.db", frozen_as="rayong_desktop/db") / "migrations"


def data_dir() -> Path:
    """The user's data folder; RAYONG_HOME overrides it (tests, portable installs)."""
    override = os.environ.get("RAYONG_HOME")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=False))


def default_db_path(*, demo: bool = False) -> Path:
    """--db wins over RAYONG_DB, which wins over the data folder (resolved by the caller)."""
    env = os.environ.get("RAYONG_DB")
    if env and not demo:
        return Path(env)
    return data_dir() / (DEMO_DB_FILENAME if demo else DB_FILENAME)


def local_config_path() -> Path:
    """This PC's own choices that cannot live in the database (which database to open)."""
    return data_dir() / "desk-local.json"


def read_local_config() -> dict[str, str]:
    import json

    try:
        data = json.loads(local_config_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def write_local_config(**values: str) -> None:
    import json

    data = read_local_config()
    data.update({k: v for k, v in values.items()})
    data = {k: v for k, v in data.items() if v}
    path = local_config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, json.dumps(data, ensure_ascii=False, indent=2))


# ---------------------------------------------------------------- each database's own record
# Kept on this PC, outside the database, so that a damaged file cannot hide it: the database's
# identity and every folder its backups have been kept in (the current one first).

KNOWN_FOLDERS_KEPT = 12


def databases_config_path() -> Path:
    return data_dir() / "desk-databases.json"


def _record_key(db_path: Path) -> str:
    return str(Path(db_path).resolve())


def _read_records() -> dict[str, dict[str, object]]:
    import json

    try:
        data = json.loads(databases_config_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, dict)}


def database_record(db_path: Path) -> tuple[str | None, str | None, list[str]]:
    """What this PC remembers of the database at `db_path`: its identity, its configured backup
    folder ("" = the default beside it; None = never recorded), every backup folder it has had."""
    record = _read_records().get(_record_key(db_path), {})
    identity = record.get("id")
    folder = record.get("backup_dir")
    known = record.get("backup_dirs")
    return (
        identity if isinstance(identity, str) else None,
        folder if isinstance(folder, str) else None,
        [str(f) for f in known] if isinstance(known, list) else [],
    )


def remember_database(
    db_path: Path, *, identity: str | None = None, backup_dir: str | None = None
) -> None:
    """Record the database's identity and/or its backup folder (a folder is also added to the
    folders it has had). Written only when something changed; a PC whose data folder cannot be
    written keeps working without the record."""
    import json

    records = _read_records()
    key = _record_key(db_path)
    record = dict(records.get(key, {}))
    before = dict(record)
    if identity is not None:
        record["id"] = identity
    if backup_dir is not None:
        record["backup_dir"] = backup_dir
        had = record.get("backup_dirs")
        known = [str(f) for f in had if isinstance(f, str)] if isinstance(had, list) else []
        if backup_dir and backup_dir not in known:
            known.insert(0, backup_dir)
        record["backup_dirs"] = known[:KNOWN_FOLDERS_KEPT]
    if record == before:
        return
    records[key] = record
    path = databases_config_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps(records, ensure_ascii=False, indent=2))
    except OSError as exc:
        import logging

        logging.getLogger(__name__).warning("cannot record %s in %s: %s", db_path, path, exc)
