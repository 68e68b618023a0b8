"""Rayong Fight Covid desk."""

# The one place the version is set: pyproject.toml reads it (setuptools dynamic version).
__version__ = "0.1.0"
