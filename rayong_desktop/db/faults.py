"""Faults of the surroundings, told apart from damage to the database file.

A full disk, a read-only folder or file, another program holding the write lock, a pulled USB
stick: the file itself may be perfectly healthy, so the clerk is told what is really wrong in
one line, and never advised to replace the file by an older backup.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

from rayong_desktop.domain.errors import RefusedError

# SQLite's error names (their extended forms start with these) about the surroundings.
SQLITE_KINDS = {
    "SQLITE_FULL": "disk_full",
    "SQLITE_READONLY": "read_only",
    "SQLITE_PERM": "read_only",
    "SQLITE_CANTOPEN": "cannot_open",
    "SQLITE_BUSY": "busy",
    "SQLITE_LOCKED": "busy",
    "SQLITE_IOERR": "io_error",
}
# Below this much free space a failed write is put down to the full disk.
LOW_SPACE_BYTES = 1024 * 1024


def environment_kind(exc: BaseException) -> str | None:
    """'disk_full', 'read_only', 'cannot_open', 'busy' or 'io_error' for an error that is not
    the file's fault; None for anything else (damage included)."""
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    for prefix, kind in SQLITE_KINDS.items():
        if name == prefix or name.startswith(prefix + "_"):
            return kind
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return "disk_full"
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return "read_only"
        return "io_error"
    if name:
        return None
    text = str(exc).lower()  # raised without an error name
    if "disk is full" in text:
        return "disk_full"
    if "readonly" in text or "read-only" in text:
        return "read_only"
    if "database is locked" in text:
        return "busy"
    if "unable to open database file" in text:
        return "cannot_open"
    return None


def free_bytes(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def _existing(folder: Path) -> Path:
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    return folder


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:,.1f} MB"


def diagnose(kind: str, path: Path) -> tuple[str, Path]:
    """The real cause behind `kind` for a file at `path`: a low-space disk or a folder or file
    that cannot be written wins over what the error said (SQLite says "cannot open" for both)."""
    folder = _existing(path if path.is_dir() else path.parent)
    if kind == "busy":
        return kind, path
    free = free_bytes(folder)
    if kind == "disk_full" or (free is not None and free < LOW_SPACE_BYTES):
        return "disk_full", folder
    if not os.access(folder, os.W_OK):
        return "read_only_folder", folder
    if path.is_file() and not os.access(path, os.W_OK):
        return "read_only_file", path
    return kind, path


def environment_error(
    kind: str, path: Path, detail: str = "", *, busy_seconds: float | None = None
) -> RefusedError:
    """One line (Thai and English) saying what is really wrong; nothing was stored or lost."""
    cause, where = diagnose(kind, path)
    said = f" ({detail})" if detail else ""
    if cause == "disk_full":
        free = free_bytes(where)
        left = f", {_size(free)} free" if free is not None else ""
        return RefusedError(
            f"ดิสก์ที่เก็บ {where} เต็ม กรุณาลบไฟล์ที่ไม่ใช้ให้มีที่ว่างแล้วลองใหม่ ข้อมูลไม่ได้สูญหาย",
            f"the disk is full ({where}{left}): free some space and try again; nothing was lost",
            code="disk_full",
        )
    if cause == "read_only_folder":
        return RefusedError(
            f"โฟลเดอร์ {where} เขียนไม่ได้ (อ่านอย่างเดียว) ไฟล์ฐานข้อมูลไม่ได้เสียหาย "
            "ให้ผู้ดูแลเครื่องให้สิทธิ์เขียนโฟลเดอร์นี้ ข้อมูลไม่ได้สูญหาย",
            f"the folder {where} is read-only: allow writing there (the file is not damaged); "
            "nothing was lost",
            code="read_only",
        )
    if cause == "read_only_file":
        return RefusedError(
            f"ไฟล์ {where} ถูกตั้งเป็นอ่านอย่างเดียว ไฟล์ไม่ได้เสียหาย ให้ยกเลิกการตั้งค่านี้แล้วลองใหม่ ข้อมูลไม่ได้สูญหาย",
            f"the file {where} is read-only: make it writable (it is not damaged); "
            "nothing was lost",
            code="read_only",
        )
    if cause == "busy":
        wait = f" for more than {busy_seconds:g} s" if busy_seconds else ""
        return RefusedError(
            f"ฐานข้อมูล {where} ถูกโปรแกรมอื่นใช้เขียนอยู่ (เช่น กำลังนำเข้าข้อมูล) "
            "ยังไม่ได้บันทึกสิ่งใด กรุณาลองใหม่อีกครั้ง",
            f"the database {where} is busy: another program has held its write lock{wait}; "
            "nothing was stored, try again",
            code="database_busy",
        )
    if cause == "read_only":
        return RefusedError(
            f"เขียนฐานข้อมูล {where} ไม่ได้ (อ่านอย่างเดียว){said} ไฟล์ไม่ได้เสียหาย ข้อมูลไม่ได้สูญหาย",
            f"the database {where} cannot be written (read-only){said}; the file is not "
            "damaged, nothing was lost",
            code="read_only",
        )
    return RefusedError(
        f"อ่านหรือเขียน {where} ไม่ได้{said} ตรวจดิสก์หรือการเชื่อมต่อ USB แล้วลองใหม่ "
        "ไฟล์อาจไม่ได้เสียหาย ข้อมูลไม่ได้สูญหาย",
        f"cannot read or write {where}{said}: check the disk or its connection and try again; "
        "the file itself may be fine, nothing was lost",
        code="disk_error",
    )
