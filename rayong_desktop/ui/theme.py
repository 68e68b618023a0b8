"""Colours and the one style sheet: calm office colours, state colours that mean one thing each."""

from __future__ import annotations

from PySide6.QtGui import QColor

PRIMARY = "#1f5fa8"
PRIMARY_SOFT = "#e8f0fb"
LINE_GREEN = "#06a44a"  # a shade of LINE's brand green dark enough to read on white
OK = "#23733a"
OK_SOFT = "#e6f4ea"
WARN = "#8a5300"
WARN_SOFT = "#fff3d6"
ERROR = "#b3261e"
ERROR_SOFT = "#fde7e5"
CONFLICT = "#6a3fa0"
CONFLICT_SOFT = "#f1e9fb"
MUTED = "#5f6b7a"
GRID = "#d9dee5"
SAVING_SOFT = "#eef1f5"
DEMO = "#7a3e00"
DEMO_SOFT = "#ffe7c2"
INFO = "#0d4f8b"
INFO_SOFT = "#e3effb"
QUOTA_RED = "#c0392b"


def color(name: str) -> QColor:
    return QColor(name)


STYLE = f"""
QListWidget#nav {{
    background: #f3f5f8;
    border: none;
    border-right: 1px solid {GRID};
    outline: 0;
    padding-top: 6px;
}}
QListWidget#nav::item {{
    padding: 9px 14px;
    border-radius: 6px;
    margin: 1px 6px;
    color: #1d2733;
}}
QListWidget#nav::item:selected {{
    background: {PRIMARY};
    color: white;
}}
QListWidget#nav::item:hover:!selected {{
    background: #e4e9f0;
}}
QLabel[role="title"] {{
    font-size: 17pt;
    font-weight: bold;
    color: #1d2733;
}}
QLabel[role="subtitle"] {{
    color: {MUTED};
}}
QLabel[role="section"] {{
    font-size: 12pt;
    font-weight: bold;
    color: #1d2733;
    padding-top: 4px;
}}
QLabel[role="hint"] {{
    color: {MUTED};
}}
QFrame[role="card"] {{
    background: white;
    border: 1px solid {GRID};
    border-radius: 8px;
}}
QLabel[role="tileTitle"] {{
    color: {MUTED};
}}
QLabel[role="tileValue"] {{
    font-size: 20pt;
    font-weight: bold;
}}
QLabel[role="error"] {{
    color: {ERROR};
}}
QTableView {{
    gridline-color: {GRID};
    selection-background-color: #cfe0f5;
    selection-color: #111;
}}
QTableView:focus {{
    border: 1px solid {PRIMARY};
}}
QHeaderView::section {{
    background: #f3f5f8;
    border: none;
    border-bottom: 1px solid {GRID};
    border-right: 1px solid {GRID};
    padding: 4px 6px;
    font-weight: bold;
}}
QProgressBar {{
    border: 1px solid {GRID};
    border-radius: 5px;
    background: #f3f5f8;
    text-align: center;
    min-height: 18px;
}}
QProgressBar::chunk {{
    background: {PRIMARY};
    border-radius: 4px;
}}
QToolBar {{
    spacing: 6px;
    border-bottom: 1px solid {GRID};
}}
"""
