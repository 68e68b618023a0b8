"""Command-line commands for the documents issue (filled in by that issue)."""

from __future__ import annotations

from typing import Any


def add_commands(sub: Any) -> None:
    """Register this module's subcommands on the main parser's subparsers."""
