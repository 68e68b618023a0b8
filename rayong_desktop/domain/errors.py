"""Errors the domain raises for bad input, shared by the services, the CLI and the GUI.

Every message exists in Thai (shown to clerks in the GUI) and English (printed by the CLI and
written to logs), so callers never need to translate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Concern:
    """One reason a value looks wrong although it may be true.

    Lives here rather than in validation.py so that NeedsConfirmation can name it without an
    import cycle; validation.py re-exports it.
    """

    code: str
    th: str
    en: str


class RefusedError(Exception):
    """Input refused; nothing was stored.

    Carries a Thai message for the GUI (``th``) and an English one for the CLI (``en``);
    ``str(error)`` is the English message. ``code`` lets callers tell refusals apart.
    """

    def __init__(self, th: str, en: str, *, code: str = "refused") -> None:
        super().__init__(en)
        self.th = th
        self.en = en
        self.code = code


class NeedsConfirmation(Exception):  # noqa: N818 - it asks a question; it is not an error
    """The value is plausible only with the clerk's explicit confirmation."""

    def __init__(self, concerns: Iterable[Concern]) -> None:
        self.concerns: list[Concern] = list(concerns)
        if not self.concerns:
            # An empty confirmation request would show the clerk a blank dialog.
            raise ValueError("NeedsConfirmation requires at least one concern")
        self.th = "\n".join(c.th for c in self.concerns)
        self.en = "\n".join(c.en for c in self.concerns)
        super().__init__(self.en)
