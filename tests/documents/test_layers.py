"""documents/ takes plain data: it never reaches into the database, the services or Qt."""

from __future__ import annotations

import ast

from tests.helpers import REPO

FORBIDDEN = (
    "rayong_desktop.services",
    "rayong_desktop.db",
    "rayong_desktop.ui",
    "PySide6",
    "sqlalchemy",
)


def test_documents_import_no_services_database_or_qt() -> None:
    offenders = []
    for path in sorted((REPO / "rayong_desktop" / "documents").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.startswith(FORBIDDEN)]
    assert offenders == []
