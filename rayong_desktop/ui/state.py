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
