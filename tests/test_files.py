"""atomic_write: the new content or the old, never half a file, and no temporary file left."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from rayong_desktop.files import FILE_MODE, atomic_write


def test_text_and_bytes_replace_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "config.json"
    assert atomic_write(target, "ระยอง {}") == target
    assert target.read_text(encoding="utf-8") == "ระยอง {}"
    atomic_write(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert os.listdir(tmp_path) == ["config.json"]


def test_a_writer_fills_a_temporary_file_beside_the_target(tmp_path: Path) -> None:
    target = tmp_path / "book.xlsx"
    seen: list[Path] = []

    def writer(tmp: Path) -> None:
        seen.append(tmp)
        assert tmp.parent == tmp_path and tmp != target
        tmp.write_bytes(b"new")

    atomic_write(target, writer)
    assert target.read_bytes() == b"new"
    assert not seen[0].exists()


def test_a_failing_writer_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "desk.sqlite3"
    target.write_bytes(b"old")

    def writer(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise ValueError("integrity check failed")

    with pytest.raises(ValueError, match="integrity check failed"):
        atomic_write(target, writer)
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["desk.sqlite3"]


def test_a_missing_folder_is_an_os_error_and_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        atomic_write(tmp_path / "gone" / "a.pdf", b"data")
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_file_gets_the_usual_mode_not_the_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "letter.pdf"
    atomic_write(target, b"%PDF")
    assert stat.S_IMODE(target.stat().st_mode) == FILE_MODE
