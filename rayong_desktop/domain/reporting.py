"""What happens to a keyed weekly figure: the one decision every way of storing a report takes.

Pure: given the unit, the week, the report already stored for it (if any), what was keyed, the
neighbouring weeks and the rules, `decide` says whether the figure is stored, is a correction,
changes nothing, needs the clerk's confirmation or is refused, and why. The services' report
writer (services/report_writer.py) stores what it decides; typed entry, the form import, undo
and the demo fill all go through that writer, so there is one place where the rules live.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from rayong_desktop.domain import calendar
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.errors import Concern, NeedsConfirmation, RefusedError
from rayong_desktop.domain.numbers import CountError, format_int, parse_count, to_arabic_digits
from rayong_desktop.domain.thaidate import thai_date
from rayong_desktop.domain.validation import (
    INT64_MAX,
    PlausibilityRules,
    check_plausibility,
    check_text,
)

CHANNELS: dict[str, str] = {
    "phone": "โทรศัพท์",
    "fax": "โทรสาร",
    "line": "LINE",
    "email": "อีเมล",
    "paper": "หนังสือ/เอกสาร",
    "import": "นำเข้าไฟล์",
}
CHANNELS_EN: dict[str, str] = {  # the same, for screens that speak English
    "phone": "Phone",
    "fax": "Fax",
    "line": "LINE",
    "email": "Email",
    "paper": "Letter/document",
    "import": "Imported file",
}
# Received times may be keyed a little ahead of the PC clock (a wall clock that runs fast).
FUTURE_TOLERANCE = timedelta(minutes=5)


class Reception(StrEnum):
    """How the clerk said when a report came (its `received_at`)."""

    UNSTATED = "unstated"  # nothing said: the moment of keying, but only before the deadline
    NOW = "now"  # the moment the figure is stored, said explicitly
    ON_TIME = "on_time"  # "it came before the deadline": recorded as the deadline, marked
    AT = "at"  # the time the clerk gives (the fax header, the call)


# The `confirmed` mark of a report recorded as on time on the clerk's word (Reception.ON_TIME).
RECEIVED_ON_TIME = "received_on_time"
_NOW_WORDS = ("now", "เดี๋ยวนี้", "ตอนนี้", "เวลาที่พิมพ์", "น")
_ON_TIME_WORDS = ("on-time", "ontime", "on time", "ทันกำหนด", "ทัน", "ท")
_CLOCK_RE = re.compile(r"(?:([0-9]{1,2})\s+)?([0-9]{1,2})[:.]([0-9]{2})")


def reception_needed(due: datetime, now: datetime) -> bool:
    """The rule: a first report keyed after the unit's deadline (a late fax keyed on Friday, a
    past week) must say when it came, or every such figure would be stamped late."""
    return now > due


def parse_reception(text: str, due: datetime | None = None) -> tuple[Reception, datetime | None]:
    """What a clerk typed for the received time: "now", "on-time" (or Thai ทันกำหนด / ทัน),
    "YYYY-MM-DD HH:MM", and given the deadline `due`, "HH:MM" (on the deadline's day) or
    "DD HH:MM" (that day of the deadline's month). Thai digits are accepted. Raises
    RefusedError for anything else."""
    typed = to_arabic_digits(text.strip())
    lowered = typed.lower()
    if lowered in _NOW_WORDS:
        return Reception.NOW, None
    if lowered in _ON_TIME_WORDS:
        return Reception.ON_TIME, None
    try:
        moment = datetime.fromisoformat(typed.replace(" ", "T", 1))
    except ValueError:
        clock = _CLOCK_RE.fullmatch(typed)
        try:
            if clock is None or due is None:
                raise ValueError(typed)
            local_due = due.astimezone(BANGKOK)
            day = int(clock.group(1)) if clock.group(1) else local_due.day
            moment = local_due.replace(
                day=day, hour=int(clock.group(2)), minute=int(clock.group(3))
            ).replace(tzinfo=None)
        except ValueError:
            raise RefusedError(
                f"เวลารับรายงาน '{text.strip()}' ไม่ถูกรูปแบบ "
                "(ชช:นน, วว ชช:นน, ปปปป-ดด-วว ชช:นน, ทันกำหนด หรือ now)",
                f"received time '{text.strip()}' is not one of HH:MM, DD HH:MM, "
                "YYYY-MM-DD HH:MM, on-time or now",
                code="bad_received",
            ) from None
    at = moment if moment.tzinfo else moment.replace(tzinfo=BANGKOK)
    return Reception.AT, at.replace(second=0, microsecond=0)


class ConflictError(RefusedError):
    """Someone else changed this unit-week since the clerk read it (`current_count` None and
    `current_version` 0: they removed its report)."""

    def __init__(
        self, th: str, en: str, *, current_count: int | None, current_version: int
    ) -> None:
        super().__init__(th, en, code="conflict")
        self.current_count = current_count
        self.current_version = current_version


def parse_channel(text: str | None) -> str:
    """The channel code for what the clerk typed (a code or its Thai name); blank is phone."""
    if text is None or not text.strip():
        return "phone"
    wanted = text.strip()
    for code, th in CHANNELS.items():
        if wanted.lower() in (code, "e-mail" if code == "email" else code) or wanted == th:
            return code
    raise RefusedError(
        f"ไม่รู้จักช่องทาง '{text}' (ใช้ได้: {', '.join(CHANNELS.values())})",
        f"unknown channel '{text}' (known: {', '.join(CHANNELS)})",
        code="unknown_channel",
    )


def clean(text: str | None) -> str | None:
    """Free text as stored: stripped, and blank is no text."""
    if text is None:
        return None
    stripped = text.strip()
    return stripped or None


@dataclass(frozen=True)
class UnitRef:
    """The unit as the decision needs it."""

    code: str
    name: str
    quota: int


def where(unit: UnitRef, week: date) -> tuple[str, str]:
    """How a message names the unit and week, in Thai and English."""
    th = f"{unit.code} {unit.name} สัปดาห์ {calendar.week_label(week)} ({thai_date(week)})"
    en = f"{unit.code}, week {calendar.week_label(week)}"
    return th, en


def refusal(unit: UnitRef, week: date, th: str, en: str, code: str) -> RefusedError:
    where_th, where_en = where(unit, week)
    return RefusedError(f"{where_th}: {th}", f"{where_en}: {en}", code=code)


def conflict(unit: UnitRef, week: date, count: int, version: int, when: str) -> ConflictError:
    """Someone else's figure stands; `when` is how it came about ("while", "at the same time",
    "after your entry")."""
    where_th, where_en = where(unit, week)
    th_when, en_when, th_then, en_then = {
        "while": (
            "ระหว่างที่ท่านแก้ไข",
            "while you were editing",
            "กรุณาตรวจสอบแล้วเลือกอีกครั้ง",
            "check it and choose again",
        ),
        "same_time": (
            "พร้อมกัน",
            "at the same time",
            "กรุณาตรวจสอบแล้วเลือกอีกครั้ง",
            "check it and choose again",
        ),
        "after": ("หลังการบันทึกของท่าน", "after your entry", "จึงไม่ยกเลิกให้", "nothing was undone"),
    }[when]
    return ConflictError(
        f"{where_th}: มีผู้อื่นบันทึกเป็น {format_int(count)} คน (ฉบับที่ {version}) {th_when} {th_then}",
        f"{where_en}: someone else stored {count} (version {version}) {en_when}; {en_then}",
        current_count=count,
        current_version=version,
    )


def removed(unit: UnitRef, week: date) -> ConflictError:
    """The version the clerk saw is gone: someone else took the report back (undo)."""
    where_th, where_en = where(unit, week)
    return ConflictError(
        f"{where_th}: มีผู้อื่นยกเลิกรายงานนี้ระหว่างที่ท่านแก้ไข ขณะนี้ไม่มีรายงาน กรุณาตรวจสอบแล้วเลือกอีกครั้ง",
        f"{where_en}: someone else removed (undid) this report while you were editing; "
        "there is none now; check it and choose again",
        current_count=None,
        current_version=0,
    )


@dataclass(frozen=True)
class StoredReport:
    """The report a unit-week already has."""

    count: int
    received_at: datetime
    channel: str
    reporter: str | None
    reporter_phone: str | None
    note: str | None
    version: int


@dataclass(frozen=True)
class Keyed:
    """What the clerk (or a form row) gave. None means "not given": a correction keeps what the
    stored report has, a first report takes the defaults (received now, by phone)."""

    count: str | int | float | None
    received_at: datetime | None = None
    channel: str | None = None  # a channel code (parse_channel), or None
    reporter: str | None = None
    reporter_phone: str | None = None
    note: str | None = None
    reason: str | None = None
    # NOW keeps the old default ("not given" = the moment of keying) for callers without a
    # clerk to ask (the form import, the demo); the desk and the command line say UNSTATED.
    reception: Reception = Reception.NOW


@dataclass(frozen=True)
class Rules:
    """The settings a decision depends on."""

    count_ceiling: int
    campaign_start: date
    plausibility: PlausibilityRules
    campaign_end: date | None = None  # None: the campaign has no end (a report's own rules)


@dataclass(frozen=True)
class Neighbours:
    """The unit's reports around the week: the latest earlier count, the earliest later count,
    and (read only when it can matter) the largest earlier weekly rise."""

    previous: int | None
    later: int | None
    largest_rise: Callable[[], int | None] = lambda: None


class Outcome(StrEnum):
    STORED = "stored"
    CORRECTED = "corrected"
    UNCHANGED = "unchanged"
    NEEDS_CONFIRMATION = "needs_confirmation"
    REFUSED = "refused"


@dataclass(frozen=True)
class Decision:
    """What to do with a keyed figure. For STORED and CORRECTED, the values to store (what a
    correction left out filled in from the stored report) and the concerns the clerk confirmed.
    For NEEDS_CONFIRMATION and REFUSED, `problem` is the question or refusal, naming the unit and
    the week."""

    outcome: Outcome
    count: int | None = None
    received_at: datetime | None = None
    channel: str | None = None
    reporter: str | None = None
    reporter_phone: str | None = None
    note: str | None = None
    reason: str | None = None
    confirmed: tuple[str, ...] = ()
    problem: RefusedError | NeedsConfirmation | None = None

    @property
    def writes(self) -> bool:
        return self.outcome in (Outcome.STORED, Outcome.CORRECTED)

    def raise_problem(self) -> None:
        if self.problem is not None:
            raise self.problem


def check_week(
    unit: UnitRef, week: date, campaign_start: date, now: datetime, campaign_end: date | None = None
) -> None:
    if week.weekday() != 0:
        raise ValueError("week must be a Monday")
    this_week = calendar.week_start(now.astimezone(BANGKOK).date())
    if week > this_week:
        raise refusal(unit, week, "ยังไม่ถึงสัปดาห์นี้", "that week has not come yet", "future_week")
    if week + timedelta(days=6) < campaign_start:
        raise refusal(
            unit,
            week,
            f"สัปดาห์นี้อยู่ก่อนวันเริ่มโครงการ ({thai_date(campaign_start)})",
            f"that week is before the campaign started ({campaign_start.isoformat()})",
            "before_campaign",
        )
    if campaign_end is not None and week > campaign_end:
        raise refusal(
            unit,
            week,
            f"สัปดาห์นี้อยู่หลังวันสิ้นสุดโครงการ ({thai_date(campaign_end)})",
            f"that week is after the campaign ended ({campaign_end.isoformat()})",
            "after_campaign",
        )


def check_received(unit: UnitRef, week: date, received: datetime, now: datetime) -> None:
    if received.tzinfo is None:
        raise ValueError("received_at must be timezone-aware")
    week_opens = datetime.combine(week, datetime.min.time(), BANGKOK)
    shown = received.astimezone(BANGKOK).strftime("%Y-%m-%d %H:%M")
    if received > now + FUTURE_TOLERANCE:
        raise refusal(
            unit,
            week,
            f"เวลารับรายงาน {shown} อยู่ในอนาคต",
            f"received time {shown} is in the future",
            "received_in_future",
        )
    if received < week_opens:
        raise refusal(
            unit,
            week,
            f"เวลารับรายงาน {shown} อยู่ก่อนสัปดาห์ที่รายงาน",
            f"received time {shown} is before the week it reports on",
            "received_before_week",
        )


# How long the free text of a report may be (the columns' sizes).
TEXT_LIMITS = {"reporter": 200, "reporter_phone": 100, "note": 10_000, "reason": 2000}
TEXT_NAMES = {
    "reporter": "ชื่อผู้รายงาน",
    "reporter_phone": "โทรศัพท์ผู้รายงาน",
    "note": "หมายเหตุ",
    "reason": "เหตุผล",
}


def check_keyed_text(unit: UnitRef, week: date, keyed: Keyed) -> None:
    """The reporter's name and phone, the note and the reason: no control characters (notes
    and reasons may break lines), not beyond their columns."""
    for name, limit in TEXT_LIMITS.items():
        text = getattr(keyed, name)
        if text is None:
            continue
        try:
            check_text(
                text.strip(),
                th=TEXT_NAMES[name],
                en=name.replace("_", " "),
                limit=limit,
                multiline=name in ("note", "reason"),
            )
        except RefusedError as exc:  # coded by the field, so a form names its column
            raise refusal(unit, week, exc.th, exc.en, f"bad_{name}") from None


def decide(
    unit: UnitRef,
    week: date,
    keyed: Keyed,
    *,
    current: StoredReport | None,
    neighbours: Neighbours,
    rules: Rules,
    now: datetime,
    confirm: bool = False,
    allow_correction: bool = True,
    expected_version: int | None = None,
    closed: bool = False,
    due: datetime | None = None,
) -> Decision:
    """The decision for one keyed figure; never raises for bad input (it is in the decision).

    `closed`: the week is closed (its figures were sent); any change to it then needs a reason.
    `due`: the unit's deadline that week; with it, a first report keyed after it must say when
    it came (`keyed.reception`, reception_needed), and ON_TIME records the deadline itself.

    The checks, in order: the count parses, the week is open, the received time is possible,
    nobody else changed the report since the clerk read it (`expected_version`), the figure
    differs from what is stored, a correction is allowed, and the figure is plausible or
    confirmed.
    """
    try:
        return _decide(
            unit,
            week,
            keyed,
            current=current,
            neighbours=neighbours,
            rules=rules,
            now=now,
            confirm=confirm,
            allow_correction=allow_correction,
            expected_version=expected_version,
            closed=closed,
            due=due,
        )
    except NeedsConfirmation as question:
        return Decision(Outcome.NEEDS_CONFIRMATION, problem=question)
    except RefusedError as refused:
        return Decision(Outcome.REFUSED, problem=refused)


def _decide(
    unit: UnitRef,
    week: date,
    keyed: Keyed,
    *,
    current: StoredReport | None,
    neighbours: Neighbours,
    rules: Rules,
    now: datetime,
    confirm: bool,
    allow_correction: bool,
    expected_version: int | None,
    closed: bool = False,
    due: datetime | None = None,
) -> Decision:
    try:
        # The ceiling is a setting; the database's integer range bounds it whatever it says.
        value = parse_count(keyed.count, ceiling=min(rules.count_ceiling, INT64_MAX))
    except CountError as exc:
        raise refusal(unit, week, exc.th, exc.en, exc.code) from None
    check_week(unit, week, rules.campaign_start, now, rules.campaign_end)
    check_keyed_text(unit, week, keyed)
    given = keyed.received_at
    if keyed.reception is Reception.ON_TIME and due is not None:
        given = due
    unstated = (
        current is None
        and given is None
        and keyed.reception is Reception.UNSTATED
        and due is not None
        and reception_needed(due, now)
    )
    check_received(unit, week, given or now, now)
    if current is not None and expected_version is not None and current.version != expected_version:
        raise conflict(unit, week, current.count, current.version, "while")
    if current is None and expected_version:  # the clerk saw a version that is gone
        raise removed(unit, week)

    reporter, phone, note = keyed.reporter, keyed.reporter_phone, keyed.note
    if current is None:
        received = given or now
        channel = keyed.channel or "phone"
    else:
        # What a correction leaves out stays as first reported: correcting the figure does not
        # move when the unit reported (making it late), nor how or by whom; and the same figure
        # keyed again later is recognised as unchanged.
        received = given or current.received_at
        channel = keyed.channel or current.channel
        reporter = current.reporter if reporter is None else reporter
        phone = current.reporter_phone if phone is None else phone
        note = current.note if note is None else note
    reporter, phone, note = clean(reporter), clean(phone), clean(note)
    if current is not None and (
        current.count == value
        and current.received_at == received
        and current.channel == channel
        and current.reporter == reporter
        and current.reporter_phone == phone
        and current.note == note
    ):
        return Decision(Outcome.UNCHANGED, count=value)
    if closed and clean(keyed.reason) is None:
        raise refusal(
            unit,
            week,
            "สัปดาห์นี้ปิดแล้ว (ส่งตัวเลขไปแล้ว) การแก้ไขต้องระบุเหตุผล",
            "the week is closed (its figures were sent); give a reason for the change",
            "week_closed",
        )
    if unstated:
        assert due is not None
        shown = due.astimezone(BANGKOK).strftime("%Y-%m-%d %H:%M")
        raise refusal(
            unit,
            week,
            f"เลยกำหนดส่ง ({shown}) แล้ว: ระบุเวลารับรายงาน (ทันกำหนด, เวลาที่พิมพ์นี้ "
            "หรือเวลาจากหัวโทรสาร/เวลาที่โทรมา) เพื่อไม่ให้บันทึกเป็นส่งช้าเพราะพิมพ์ช้า",
            f"past the deadline ({shown}): say when it came with --received "
            '("YYYY-MM-DD HH:MM", on-time, or now), so it is not recorded late for being '
            "keyed late",
            "received_required",
        )
    if current is not None and not allow_correction:
        raise refusal(
            unit,
            week,
            f"มีรายงานแล้ว ({format_int(current.count)} คน) หากต้องการแก้ไขให้ระบุเหตุผล",
            f"already reported ({current.count}); give a reason to correct it",
            "already_reported",
        )
    if current is not None and keyed.reason is not None and clean(keyed.reason) is None:
        raise refusal(
            unit,
            week,
            "เหตุผลของการแก้ไขว่างเปล่า กรุณาระบุเหตุผล",
            "the reason for the correction is blank; say why it is corrected",
            "blank_reason",
        )
    concerns = plausibility_concerns(unit, value, neighbours, rules.plausibility)
    if concerns and not confirm:
        where_th, where_en = where(unit, week)
        raise NeedsConfirmation(
            [Concern(c.code, f"{where_th}: {c.th}", f"{where_en}: {c.en}") for c in concerns]
        )
    return Decision(
        Outcome.STORED if current is None else Outcome.CORRECTED,
        count=value,
        received_at=received,
        channel=channel,
        reporter=reporter,
        reporter_phone=phone,
        note=note,
        reason=clean(keyed.reason),
        confirmed=tuple(c.code for c in concerns)
        + ((RECEIVED_ON_TIME,) if keyed.reception is Reception.ON_TIME and due is not None else ()),
    )


def plausibility_concerns(
    unit: UnitRef, value: int, neighbours: Neighbours, rules: PlausibilityRules
) -> list[Concern]:
    """check_plausibility against the neighbours. The unit's history can only lift the big-rise
    limit (PlausibilityRules), so it is read only for a figure already above the other limits."""
    concerns = check_plausibility(
        value,
        quota=unit.quota,
        previous_count=neighbours.previous,
        max_previous_rise=None,
        later_count=neighbours.later,
        rules=rules,
    )
    if any(c.code == "big_rise" for c in concerns):
        concerns = check_plausibility(
            value,
            quota=unit.quota,
            previous_count=neighbours.previous,
            max_previous_rise=neighbours.largest_rise(),
            later_count=neighbours.later,
            rules=rules,
        )
    return concerns
