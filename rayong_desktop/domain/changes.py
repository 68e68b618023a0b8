"""What a write changed, as the screens care about it: a small set of kinds plus markers.

Every change is audited; an audit entry's entity says which kind of data it touched. A write
(services.ops.run) returns the kinds it changed and the ids of the audit entries it made (its
markers): the desk refreshes exactly the screens showing those kinds, and its poll for other
clerks' changes skips the entries it made itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

REPORTS = "reports"
REGISTRY = "registry"
OA = "oa"
SETTINGS = "settings"
NOTES = "notes"
ALL_KINDS = frozenset({REPORTS, REGISTRY, OA, SETTINGS, NOTES})

# Audit entity -> the kinds of data it changes. "database" (a demo fill, a restore, an import
# of a whole archive) changes everything; an entity not listed here is refreshed everywhere,
# so a new kind of write can never leave a screen stale.
ENTITY_KINDS: dict[str, frozenset[str]] = {
    "report": frozenset({REPORTS}),
    "unit": frozenset({REGISTRY}),
    "plan_row": frozenset({REGISTRY}),
    "registry": frozenset({REGISTRY}),
    "schedule": frozenset({REGISTRY}),
    "setting": frozenset({SETTINGS}),
    "letter": frozenset({SETTINGS}),  # a letter number issued moves the next-number setting
    "oa_stat": frozenset({OA}),
    "call_note": frozenset({NOTES}),
    "week": frozenset({REPORTS}),  # a week closed or reopened: what the report screens show
    "database": ALL_KINDS,
}


def kinds_of(entity: str) -> frozenset[str]:
    return ENTITY_KINDS.get(entity, ALL_KINDS)


@dataclass(frozen=True)
class Changes:
    kinds: frozenset[str] = frozenset()
    markers: frozenset[int] = frozenset()  # ids of the audit entries the write made

    @classmethod
    def of(cls, entries: Iterable[tuple[int, str]]) -> Changes:
        """The changes of audit entries given as (id, entity)."""
        kinds: set[str] = set()
        ids: set[int] = set()
        for entry_id, entity in entries:
            ids.add(entry_id)
            kinds |= kinds_of(entity)
        return cls(frozenset(kinds), frozenset(ids))

    @property
    def marker(self) -> int | None:
        """The newest audit entry the write made (None: it changed nothing)."""
        return max(self.markers, default=None)

    def __bool__(self) -> bool:
        return bool(self.kinds)

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.kinds | other.kinds, self.markers | other.markers)

    def touches(self, *kinds: str) -> bool:
        return any(k in self.kinds for k in kinds)

    def as_json(self) -> dict[str, object]:
        return {"kinds": sorted(self.kinds), "marker": self.marker}
