"""Fixtures of the document tests (defined in fixtures.py, shared with the CLI tests)."""

from tests.documents.fixtures import scenario_db, scenario_file

__all__ = ["scenario_db", "scenario_file"]
