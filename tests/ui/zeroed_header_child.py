"""Child process: the desk started on a damaged file, the clerk answering "No" to the restore
offer. python zeroed_header_child.py DB; exits with the desk's status. A window that opens is
closed after a moment and the child exits 99 (the test expects the desk to refuse cleanly)."""

from __future__ import annotations

import sys
from typing import Any


def main() -> int:
    from rayong_desktop import app
    from rayong_desktop.ui import application, prompts

    def answer_no(*_args: Any) -> bool:
        print("asked: restore?", flush=True)
        return False

    prompts.ask_yes_no = answer_no
    prompts.warn = lambda *_a: print("warned", flush=True)
    application.show_error = lambda *_a: print("error shown", flush=True)
    shown = app._show

    def show_briefly(qt_app: Any, window: Any, probe: Any = None) -> int:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(1500, window.close)
        shown(qt_app, window, probe)
        return 99

    app._show = show_briefly
    from rayong_desktop.cli import main as desk

    return desk(["--db", sys.argv[1]])


if __name__ == "__main__":
    sys.exit(main())
