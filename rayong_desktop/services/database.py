"""The database as the screens see it: its type, and whether a target names a server.

The screens (rayong_desktop.ui) never import rayong_desktop.db (an import-linter contract in
pyproject.toml); what they need of it comes from here.
"""

from __future__ import annotations

from rayong_desktop.db.engine import Database
from rayong_desktop.db.peek import is_server_url

__all__ = ["Database", "is_server_url"]
