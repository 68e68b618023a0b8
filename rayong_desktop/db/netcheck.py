"""Is a database path on a network share? SQLite's locks (and WAL) are not safe there."""

from __future__ import annotations

import os
import sys
from pathlib import Path

NETWORK_FS = {
    "nfs",
    "nfs4",
    "cifs",
    "smb",
    "smb2",
    "smb3",
    "smbfs",
    "sshfs",
    "fuse.sshfs",
    "afs",
    "9p",
    "ncpfs",
    "fuse.rclone",
    "davfs",
    "fuse.davfs2",
    "glusterfs",
    "ceph",
    "lustre",
}


def _windows_drive_is_remote(path: Path) -> bool:
    import ctypes

    drive = os.path.splitdrive(str(path))[0]
    if not drive:
        return False
    drive_remote = 4
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
    return bool(kernel32.GetDriveTypeW(drive + "\\") == drive_remote)


def _mount_fstype(path: Path, mounts_text: str) -> str | None:
    """The file-system type of the longest mount point containing `path` (from /proc/mounts)."""
    best: tuple[int, str] | None = None
    target = path.as_posix()
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and (best is None or len(mount_point) > best[0]):
            best = (len(mount_point), parts[2])
    return None if best is None else best[1]


def network_location(path: Path, *, mounts_text: str | None = None) -> str | None:
    """A short description of why `path` is on a network share, or None if it is local."""
    raw = str(path)
    if raw.startswith(("\\\\", "//")):
        return "UNC path"
    resolved = Path(os.path.abspath(raw))
    if sys.platform == "win32":
        try:
            return "network drive" if _windows_drive_is_remote(resolved) else None
        except OSError:
            return None
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    fstype = _mount_fstype(resolved, mounts_text)
    if fstype and (fstype in NETWORK_FS or fstype.split(".")[0] in NETWORK_FS):
        return f"{fstype} network file system"
    return None
