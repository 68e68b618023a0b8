"""Which database this PC opens: the server URL set in the desk's Settings, or the local file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from rayong_desktop import paths
from rayong_desktop.cli import build_parser, resolve_target

URL = "postgresql://desk:secret@server.local/rayong"


def _target(*argv: str) -> Path | str:
    return resolve_target(build_parser().parse_args([*argv, "units"]))


def test_the_server_set_on_this_pc_is_used_unless_something_more_specific_is_given(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert _target() == paths.default_db_path()
    paths.write_local_config(db_url=URL)
    assert _target() == URL
    assert _target("--db", str(tmp_path / "x.sqlite3")) == tmp_path / "x.sqlite3"
    monkeypatch.setenv("RAYONG_DB", str(tmp_path / "env.sqlite3"))
    assert _target() == tmp_path / "env.sqlite3"
    monkeypatch.delenv("RAYONG_DB")
    monkeypatch.setenv("RAYONG_DB_URL", "postgresql://other/db")
    assert _target() == "postgresql://other/db"
    monkeypatch.delenv("RAYONG_DB_URL")
    paths.write_local_config(db_url="")
    assert _target() == paths.default_db_path()


@pytest.mark.gui
def test_settings_screen_saves_a_valid_server_url_and_refuses_anything_else(
    qtbot: QtBot, open_window: Callable[..., object]
) -> None:
    from rayong_desktop.ui.settings_page import SettingsPage

    window = open_window()
    page = window.show_screen("settings")  # type: ignore[attr-defined]
    assert isinstance(page, SettingsPage)
    page.server_url.setText("//fileserver/share/desk.sqlite3")
    page.save_server_url()
    assert "postgresql://" in page.server_hint.text()
    assert paths.read_local_config() == {}
    page.server_url.setText(URL)
    page.save_server_url()
    assert paths.read_local_config() == {"db_url": URL}
