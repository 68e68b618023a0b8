"""The first run's checklist: what a new office does before the desk is of use, each step
ticked from what the database holds (never from a flag the clerk could forget to set).

1. "office": the office's details and the LINE OA ID are set (Settings);
2. "contacts": every active unit has a contact person or a phone number (Registry);
3. "local_administrations": the province's local administrations (tambon municipalities and
   SAOs, which the seed does not hold) have been imported (File > import units);
4. "reports": the first week's reports have been keyed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import Unit, WeeklyReport
from rayong_desktop.services.settings import load_settings

STEPS = ("office", "contacts", "local_administrations", "reports")
# The kinds of unit the seed never holds: only an import of the province's list brings them.
IMPORTED_KINDS = ("subdistrict", "sao")


@dataclass(frozen=True)
class Step:
    key: str  # one of STEPS
    done: bool
    missing: int = 0  # how many things are still missing (units without a contact)


@dataclass(frozen=True)
class Checklist:
    steps: tuple[Step, ...]

    @property
    def complete(self) -> bool:
        return all(s.done for s in self.steps)

    def step(self, key: str) -> Step:
        return next(s for s in self.steps if s.key == key)


def _blank(column: InstrumentedAttribute[str | None]) -> ColumnElement[bool]:
    return or_(column.is_(None), func.trim(column) == "")


def checklist(db: Database) -> Checklist:
    """Where the office stands with its first-run steps, read from the database."""
    with db.reading() as session:
        settings = load_settings(session)
        office = bool(settings.oa_id.strip()) and bool(settings.office_address.strip())
        no_contact = session.scalar(
            select(func.count(Unit.id)).where(
                Unit.active.is_(True), _blank(Unit.contact), _blank(Unit.phone)
            )
        )
        imported = session.scalar(select(func.count(Unit.id)).where(Unit.kind.in_(IMPORTED_KINDS)))
        reports = session.scalar(select(func.count(WeeklyReport.id)))
    return Checklist(
        (
            Step("office", office),
            Step("contacts", not no_contact, int(no_contact or 0)),
            Step("local_administrations", bool(imported)),
            Step("reports", bool(reports)),
        )
    )
