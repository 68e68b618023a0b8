"""The selftest's Qt part: the bundled Thai font loads and covers Thai, offscreen."""

from __future__ import annotations

import os


def thai_font_check() -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QFont, QFontMetrics
    from PySide6.QtWidgets import QApplication

    from rayong_desktop.ui.application import load_thai_font

    app = QApplication.instance() or QApplication([])
    family = load_thai_font()
    metrics = QFontMetrics(QFont(family, 12))
    missing = [ch for ch in "ที่ซึ่งปั้นเชื้อน้ำผู้ใหญ่บ้าน" if not metrics.inFontUcs4(ord(ch))]
    if missing:
        raise RuntimeError(f"{family} lacks {''.join(missing)}")
    width = metrics.horizontalAdvance("ผู้ใหญ่บ้าน")
    del app
    platform = os.environ["QT_QPA_PLATFORM"]
    return f"{family} loaded on the {platform} platform, Thai covered ({width} px)"
