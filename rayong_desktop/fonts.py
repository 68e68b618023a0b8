"""The bundled Thai font (Sarabun, SIL OFL, from the pinned fontpkg-sarabun package)."""

from __future__ import annotations

from pathlib import Path

import fontpkg_sarabun


def sarabun_path(style: str = "Regular") -> Path:
    path = Path(fontpkg_sarabun.ROOT) / "files" / f"Sarabun-{style}.ttf"
    if not path.is_file():
        raise FileNotFoundError(f"bundled font missing: Sarabun-{style}.ttf")
    return path
