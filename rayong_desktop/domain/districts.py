"""The province by district: the same totals as a plan row, for each of Rayong's eight districts
and for the units without one (provincial agencies).

A district's quota is the sum of its units' own quotas; the "no district" group takes the rest of
the plan's quota (the province's quota less the districts'), so the groups add up to the
province's totals, quota included. Every unit is in exactly one group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rayong_desktop.domain.registry import DISTRICTS
from rayong_desktop.domain.summaries import (
    CallListEntry,
    GroupTotals,
    UnitWeek,
    WeekSummary,
    group_totals,
)

NO_DISTRICT_TH = "ไม่สังกัดอำเภอ (หน่วยงานระดับจังหวัด)"


@dataclass(frozen=True)
class DistrictWeek:
    district: str | None  # the Thai name; None for the units without a district
    code: str | None  # the ASCII code (MRY ...); None for no district or an unlisted name
    units: tuple[UnitWeek, ...]
    totals: GroupTotals

    @property
    def label(self) -> str:
        return self.district if self.district is not None else NO_DISTRICT_TH


def _order() -> list[tuple[str | None, str | None]]:
    return [(name, code) for code, name in DISTRICTS]


def by_district(summary: WeekSummary) -> tuple[DistrictWeek, ...]:
    """The eight districts in the registry's order, any other district name found on a unit,
    then "no district"; every group is listed, empty or not."""
    groups: dict[str | None, list[UnitWeek]] = {name: [] for name, _ in _order()}
    codes: dict[str | None, str | None] = dict(_order())
    for uw in summary.units:
        groups.setdefault(uw.unit.district, []).append(uw)
    groups.setdefault(None, [])
    named = [(d, tuple(us)) for d, us in groups.items() if d is not None]
    result = [
        DistrictWeek(d, codes.get(d), us, group_totals(sum(u.unit.quota for u in us), us))
        for d, us in named
    ]
    rest = tuple(groups[None])
    rest_quota = max(0, summary.totals.quota - sum(r.totals.quota for r in result))
    result.append(DistrictWeek(None, None, rest, group_totals(rest_quota, rest)))
    return tuple(result)


def late_by_district(
    summary: WeekSummary, entries: Sequence[CallListEntry]
) -> list[tuple[DistrictWeek, list[CallListEntry]]]:
    """``entries`` (the late units of the week) split by their unit's district, in the order
    of `by_district`; districts without a late unit are left out."""
    district_of = {uw.unit.code: uw.unit.district for uw in summary.units}
    out = []
    for group in by_district(summary):
        mine = [e for e in entries if district_of.get(e.code) == group.district]
        if mine:
            out.append((group, mine))
    return out
