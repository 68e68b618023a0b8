"""SQLAlchemy 2.x typed models: the registry, weekly reports with their history, OA figures.

Times are stored in UTC and handed back as aware datetimes; week identities are the Monday of the
calendar week (Asia/Bangkok). Every change a clerk makes is mirrored in `audit_log`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from rayong_desktop.domain import calendar

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, UTC stored naive (SQLite keeps no zone), aware UTC out."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Schedule(Base):
    """When reports are due: a weekday, a cutoff time (Bangkok) and the first due date.

    A unit's schedule is its own override if set, else a schedule naming the unit's kind, else its
    plan row's schedule.
    """

    __tablename__ = "schedule"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    weekday: Mapped[int] = mapped_column(Integer)
    cutoff: Mapped[time] = mapped_column(Time)
    first_due: Mapped[date] = mapped_column(Date)
    # Space-separated unit kinds this schedule applies to ("" = none; used through plan rows).
    unit_kinds: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),)

    def rule(self) -> calendar.Schedule:
        """The schedule as the calendar computes deadlines from it."""
        return calendar.Schedule(self.weekday, self.cutoff, self.first_due)


class PlanRow(Base):
    __tablename__ = "plan_row"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(Text)
    quota: Mapped[int] = mapped_column(Integer)
    actions: Mapped[str] = mapped_column(Text, default="")
    quota_note: Mapped[str | None] = mapped_column(Text)
    schedule_id: Mapped[int | None] = mapped_column(ForeignKey("schedule.id"))

    schedule: Mapped[Schedule | None] = relationship()
    units: Mapped[list[Unit]] = relationship(back_populates="plan_row", order_by="Unit.code")

    __table_args__ = (CheckConstraint("quota >= 0", name="quota_nonneg"),)


class Unit(Base):
    __tablename__ = "unit"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    plan_row_id: Mapped[int] = mapped_column(ForeignKey("plan_row.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    district: Mapped[str | None] = mapped_column(String(50))
    quota: Mapped[int] = mapped_column(Integer)
    contact: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(100))
    fax: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    active_from: Mapped[date | None] = mapped_column(Date)
    retired_on: Mapped[date | None] = mapped_column(Date)
    schedule_id: Mapped[int | None] = mapped_column(ForeignKey("schedule.id"))
    # Remembered for the next entry of this unit (desk issue): channel and reporter.
    last_channel: Mapped[str | None] = mapped_column(String(20))
    last_reporter: Mapped[str | None] = mapped_column(String(200))
    last_reporter_phone: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    plan_row: Mapped[PlanRow] = relationship(back_populates="units")
    schedule: Mapped[Schedule | None] = relationship()

    __table_args__ = (CheckConstraint("quota >= 0", name="quota_nonneg"),)


class WeeklyReport(Base):
    """The current report of one unit for one week; every version is kept in ReportRevision."""

    __tablename__ = "weekly_report"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    week: Mapped[date] = mapped_column(Date)
    count: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    channel: Mapped[str] = mapped_column(String(20))
    reporter: Mapped[str | None] = mapped_column(String(200))
    reporter_phone: Mapped[str | None] = mapped_column(String(100))
    clerk: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    # Space-separated concern codes the clerk confirmed ("below_previous big_rise"), "" if none.
    confirmed: Mapped[str] = mapped_column(String(100), default="")
    # Bumped on every correction; a writer that read an older version is told of the conflict.
    version: Mapped[int] = mapped_column(Integer, default=1)

    unit: Mapped[Unit] = relationship()

    __table_args__ = (
        UniqueConstraint("unit_id", "week", name="uq_weekly_report_unit_week"),
        Index("ix_weekly_report_week_unit", "week", "unit_id"),
        CheckConstraint("count >= 0", name="count_nonneg"),
    )
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ReportRevision(Base):
    """Append-only: every version of every report, with who changed it, when and why."""

    __tablename__ = "report_revision"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("weekly_report.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    channel: Mapped[str] = mapped_column(String(20))
    reporter: Mapped[str | None] = mapped_column(String(200))
    reporter_phone: Mapped[str | None] = mapped_column(String(100))
    clerk: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    confirmed: Mapped[str] = mapped_column(String(100), default="")
    reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("report_id", "version", name="uq_report_revision_version"),)


class OAStat(Base):
    """The OA's own figures as read from LINE OA Manager on a date."""

    __tablename__ = "oa_stat"
    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[date] = mapped_column(Date, unique=True)
    friends: Mapped[int] = mapped_column(Integer)
    blocked: Mapped[int | None] = mapped_column(Integer)
    reach: Mapped[int | None] = mapped_column(Integer)
    sent_this_month: Mapped[int | None] = mapped_column(Integer)
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    clerk: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (CheckConstraint("friends >= 0", name="friends_nonneg"),)


class Setting(Base):
    """Typed settings (declared in rayong_desktop.settings) stored as JSON text."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AuditLog(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_key: Mapped[str] = mapped_column(String(100))
    field: Mapped[str | None] = mapped_column(String(60))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_key"),)


class WeekClose(Base):
    """A closed week: the figures as they were sent, frozen, with who closed it and why.

    `snapshot` is canonical JSON (sorted keys, no spaces) of the week's summary, the province's
    trend and the letter number; `checksum` is its SHA-256, so a changed byte shows. A reopened
    close stays as history (`reopened_*` set); at most one close of a week is open at a time.
    """

    __tablename__ = "week_close"
    id: Mapped[int] = mapped_column(primary_key=True)
    week: Mapped[date] = mapped_column(Date, index=True)
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_by: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    letter_number: Mapped[int | None] = mapped_column(Integer)
    checksum: Mapped[str] = mapped_column(String(64))
    snapshot: Mapped[str] = mapped_column(Text)
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reopened_by: Mapped[str | None] = mapped_column(String(100))
    reopen_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index(
            "uq_week_close_open_week",
            "week",
            unique=True,
            # Partial on both databases: the migration (0002_week_close) creates it with this
            # condition for PostgreSQL too. It is not repeated here as postgresql_where: naming
            # a PostgreSQL option makes SQLAlchemy load its PostgreSQL dialect (some twenty
            # modules) on every SQLite start and command, about 30 ms of a 0.3 s `status`.
            # Alembic's comparison of models and migrations ignores the condition either way.
            sqlite_where=text("reopened_at IS NULL"),
        ),
    )


class Letter(Base):
    """The outgoing register (ทะเบียนหนังสือส่ง): every numbered letter, reminder and memo the
    desk saved or printed, with its PDF as it went out (`pdf`, and its SHA-256), so a reprint
    gives the same pages.

    `year` is the Buddhist-era year of its date, `series` "" or "ว" (circulars); one letter in
    force (`state` "issued") holds a number of a year and series. A spoiled letter keeps its
    row with who, when and why; a letter issued under a spoiled one's number names it in
    `replaces_id`. `figures` is canonical JSON of what it printed: the closed week's snapshot
    checksum, or the live totals. How it was sent is recorded afterwards.
    """

    __tablename__ = "letter_register"
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    series: Mapped[str] = mapped_column(String(8), default="")
    number: Mapped[int] = mapped_column(Integer)
    office_code: Mapped[str] = mapped_column(String(100))
    issued_on: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(40))
    addressee: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(Text)
    week: Mapped[date] = mapped_column(Date, index=True)
    clerk: Mapped[str] = mapped_column(String(100))
    figures: Mapped[str] = mapped_column(Text)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(10), default="issued")
    spoiled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    spoiled_by: Mapped[str | None] = mapped_column(String(100))
    spoil_reason: Mapped[str | None] = mapped_column(Text)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("letter_register.id"))
    sent_by: Mapped[str | None] = mapped_column(String(20))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_recorded_by: Mapped[str | None] = mapped_column(String(100))

    __table_args__ = (
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("state IN ('issued', 'spoiled')", name="state_known"),
        Index("ix_letter_register_year_number", "year", "series", "number"),
        Index(
            "uq_letter_register_in_force",
            "year",
            "series",
            "number",
            unique=True,
            # Partial on both databases, as 0003_letter_register creates it (why the PostgreSQL
            # condition is not repeated here: see uq_week_close_open_week).
            sqlite_where=text("state = 'issued'"),
        ),
    )
