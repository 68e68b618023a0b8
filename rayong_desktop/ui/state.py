"""Remembered UI state (window geometry, last screen, language): QSettings, never the database.

The database holds the office's data and travels in backups; where a window sat on one PC does
not belong there. Portable installs and tests set RAYONG_HOME, and then the state is an INI file
inside it, so a test never touches the clerk's real configuration and a USB-stick desk keeps
its layout with it. RAYONG_UI_STATE names the file outright.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

STATE_FILE = "desk-ui.ini"


def ui_state_path() -> Path | None:
    explicit = os.environ.get("RAYONG_UI_STATE", "").strip()
    if explicit:
        return Path(explicit)
    home = os.environ.get("RAYONG_HOME", "").strip()
    if home:
        return Path(home) / STATE_FILE
    return None


def ui_settings() -> QSettings:
    path = ui_state_path()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        return QSettings(str(path), QSettings.Format.IniFormat)
    # Native store (registry on Windows, ~/.config on Linux) under the organisation and
    # application names that create_application sets.
    return QSettings()


def documents_folder() -> Path:
    """The clerk's Documents folder (their home folder if the system names none)."""
    from PySide6.QtCore import QStandardPaths

    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def start_folder(kind: str) -> Path:
    """Where a file dialog for `kind` of file ("pdf", "excel") opens: the folder the clerk
    last used for that kind, else their Documents folder (never the program's own folder)."""
    value = ui_settings().value(f"folders/{kind}", "")
    if isinstance(value, str) and value and Path(value).is_dir():
        return Path(value)
    return documents_folder()


def remember_folder(kind: str, chosen: Path) -> None:
    """The folder of a file the clerk just chose for `kind`: the next dialog opens there."""
    store = ui_settings()
    store.setValue(f"folders/{kind}", str(chosen.parent))
    store.sync()
