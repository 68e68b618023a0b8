"""Writing a file all at once: the one way the desk replaces a file on disk.

Every layer above `domain` may use it (see the layers in pyproject.toml); it needs nothing of
ours, only the standard library.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

Writer = Callable[[Path], None]


def _default_file_mode() -> int:
    # os.umask can only be read by setting it: done once, at import, and set straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _default_file_mode()


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (a rename) to disk. Windows has no directory handles to flush;
    NTFS journals the rename."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, content: bytes | str | Writer, *, encoding: str = "utf-8") -> Path:
    """Replace `path` all at once with `content`: bytes, text (in `encoding`), or a writer that
    is handed a temporary path in the same folder and fills it (a workbook's save, a SQLite
    backup, a zip). The temporary file is flushed to disk, given the usual file mode, renamed
    over `path`, and the folder flushed.

    A crash, a full disk or an exception from the writer leaves the old file (or none) and no
    temporary file; the exception goes to the caller, who words it for the clerk. The folder
    must exist (an OSError otherwise).
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    tmp = Path(name)
    try:
        if callable(content):
            os.close(fd)
            content(tmp)
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        else:
            data = content.encode(encoding) if isinstance(content, str) else content
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        # mkstemp makes the file private (0600); a saved file gets the usual mode.
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(folder)
    return path
