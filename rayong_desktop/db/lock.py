"""One running desk per database file: an OS-level lock the system drops if the app dies."""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout

from rayong_desktop.domain.errors import RefusedError


class AlreadyRunningError(RefusedError):
    pass


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


class InstanceLock:
    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self._lock = FileLock(str(lock_path(db_path)), timeout=0, thread_local=False)

    def acquire(self) -> None:
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            raise AlreadyRunningError(
                f"โปรแกรมเปิดใช้ฐานข้อมูล {self.db_path} อยู่แล้วในอีกหน้าต่างหนึ่ง กรุณาใช้หน้าต่างที่เปิดอยู่",
                f"the desk is already running on {self.db_path}; use the open window",
                code="already_running",
            ) from None

    def release(self) -> None:
        self._lock.release()

    @property
    def held(self) -> bool:
        return self._lock.is_locked

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
