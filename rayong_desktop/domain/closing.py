"""A closed week: its figures frozen as canonical JSON with a SHA-256, and read back exactly.

The snapshot holds the week's whole summary (every unit's count, when its report was received,
whether on time, the plan rows' and the province's totals and rates, the call list), the
province's trend up to the week as printed on the summary, and the number of the letter that
went out with it. The summary is kept as it was built (domain.codec), so a reprint of a closed
week is made from the very figures printed at closing, whatever was corrected since.

Canonical JSON: keys sorted, no spaces, UTF-8 text as is. The checksum is the SHA-256 of that
text; reading a snapshot whose text no longer matches its checksum is refused.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from rayong_desktop.domain import codec
from rayong_desktop.domain.forecast import Outlook
from rayong_desktop.domain.summaries import WeekSummary

FORMAT = 1


@dataclass(frozen=True)
class Frozen:
    """What a closed week keeps."""

    summary: WeekSummary
    trend: tuple[tuple[date, int], ...]  # (week, province count) up to the closed week
    letter_number: int | None
    # The province's forecast printed on the summary (kept by closes made since it was printed).
    outlook: Outlook | None = None


class SnapshotError(ValueError):
    """A stored snapshot does not match its checksum or cannot be read."""


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def freeze(frozen: Frozen) -> tuple[str, str]:
    """The snapshot's canonical text and its checksum."""
    data = {
        "format": FORMAT,
        "summary": codec.encode(frozen.summary),
        "trend": [[w.isoformat(), n] for w, n in frozen.trend],
        "letter_number": frozen.letter_number,
    }
    if frozen.outlook is not None:  # absent from closes made before the forecast was printed
        data["outlook"] = codec.encode(frozen.outlook)
    text = canonical_json(data)
    return text, checksum(text)


def thaw(text: str, expected_checksum: str) -> Frozen:
    """Read a snapshot back; SnapshotError when it was altered or is not one."""
    if checksum(text) != expected_checksum:
        raise SnapshotError("the snapshot does not match its checksum")
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise SnapshotError(f"unknown snapshot format {data.get('format')!r}")
        return Frozen(
            summary=_shared(codec.decode(WeekSummary, data["summary"])),
            trend=tuple((date.fromisoformat(w), int(n)) for w, n in data["trend"]),
            letter_number=data["letter_number"],
            outlook=None if data.get("outlook") is None else codec.decode(Outlook, data["outlook"]),
        )
    except (ValueError, KeyError, TypeError) as exc:
        if isinstance(exc, SnapshotError):
            raise
        raise SnapshotError(f"the snapshot cannot be read: {exc}") from exc


def _shared(summary: WeekSummary) -> WeekSummary:
    """The summary as summarize_week builds it: a plan row's units are the very objects of
    `units` (documents look them up by identity), not equal copies."""
    by_id = {u.unit.id: u for u in summary.units}
    rows = tuple(
        replace(r, units=tuple(by_id[u.unit.id] for u in r.units)) for r in summary.plan_rows
    )
    return replace(summary, plan_rows=rows)


@dataclass(frozen=True)
class ChangeSinceClose:
    """A report of a closed week changed after the close."""

    unit: str
    before: int | None  # None: the unit had no report when it was changed
    after: int | None  # None: the report was taken back
    who: str
    when: datetime
    why: str | None
    action: str  # report, correct, undo
