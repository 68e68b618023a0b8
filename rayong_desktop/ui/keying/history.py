"""The keying screen's bookkeeping of what it stored: which figure Ctrl+Z takes back and Ctrl+Y
puts back (and the version each expects to find), and the writes still being answered.
Plain Python, no Qt."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class UndoEntry:
    code: str
    week: date
    count: int
    version: int  # the version this entry produced
    before: int | None  # the figure it replaced
    undone_version: int | None = field(default=None)  # after undo: the version left (None: none)


class UndoHistory:
    """Figures stored from this desk, newest last, and the ones taken back, ready to redo."""

    def __init__(self) -> None:
        self.undo_stack: list[UndoEntry] = []
        self.redo_stack: list[UndoEntry] = []

    def can_undo(self) -> bool:
        return bool(self.undo_stack)

    def can_redo(self) -> bool:
        return bool(self.redo_stack)

    def stored(self, entry: UndoEntry) -> None:
        """A new figure is stored: it can be undone, and what was undone before cannot be redone."""
        self.undo_stack.append(entry)
        self.redo_stack.clear()

    def take_undo(self) -> UndoEntry | None:
        return self.undo_stack.pop() if self.undo_stack else None

    def undone(self, entry: UndoEntry, version_left: int | None) -> None:
        """`entry` was taken back, leaving `version_left` (None: no figure at all)."""
        entry.undone_version = version_left
        self.redo_stack.append(entry)

    def take_redo(self) -> UndoEntry | None:
        return self.redo_stack.pop() if self.redo_stack else None

    def redone(self, entry: UndoEntry, count: int, version: int) -> None:
        """`entry` was stored again as `version`: it can be undone again (the redo stack stays)."""
        self.undo_stack.append(UndoEntry(entry.code, entry.week, count, version, entry.before))


Key = tuple[str, date]  # a unit-week


class WriteBook:
    """Per unit-week: writes still being answered, and the version the last of them stored.

    The version this desk itself stored last for the unit-week, while such writes are still
    being answered, wins over the version the row showed: a clerk may type a unit's figure
    again before the first one is stored, and that is not someone else's change.
    """

    def __init__(self) -> None:
        self.in_flight: dict[Key, int] = {}
        self.written: dict[Key, int] = {}

    def start(self, key: Key) -> None:
        self.in_flight[key] = self.in_flight.get(key, 0) + 1

    def expected_version(self, key: Key, seen: int) -> int:
        return self.written.get(key, seen)

    def wrote(self, key: Key, version: int) -> None:
        self.written[key] = version  # read by the next queued write for this key

    def settle(self, key: Key) -> None:
        self.in_flight[key] -= 1
        if not self.in_flight[key]:
            del self.in_flight[key]
            self.written.pop(key, None)
