"""Text for the figures the screens show, without Qt (the keying rows' states use it too)."""

from __future__ import annotations

from rayong_desktop.domain.numbers import NO_VALUE, format_int


def count_text(n: int | None) -> str:
    return NO_VALUE if n is None else format_int(n)
