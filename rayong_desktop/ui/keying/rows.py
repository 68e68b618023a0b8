"""What a keyed row is and shows: its figure's state, the text of that state, and how each answer
from the services changes it. Plain dataclasses and functions, no Qt: the grid's model only
draws what is decided here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from rayong_desktop.domain import calendar
from rayong_desktop.domain.errors import NeedsConfirmation, RefusedError
from rayong_desktop.domain.numbers import CountError, format_int, parse_count
from rayong_desktop.services import desk, reports
from rayong_desktop.ui.formats import count_text

(
    COL_CODE,
    COL_NAME,
    COL_ROW,
    COL_DISTRICT,
    COL_PREV,
    COL_COUNT,
    COL_STATE,
    COL_CHANNEL,
    COL_REPORTER,
    COL_PHONE,
    COL_RECEIVED,
) = range(11)
EDITABLE = (COL_COUNT, COL_CHANNEL, COL_REPORTER, COL_PHONE, COL_RECEIVED)

# States of a row's figure as the clerk sees it.
SAVING, SAVED, CORRECTED, UNCHANGED = "saving", "saved", "corrected", "unchanged"
REFUSED, CONFIRM, CONFLICT, UNDONE, FAILED = "refused", "confirm", "conflict", "undone", "failed"
UNSETTLED = (REFUSED, CONFIRM, CONFLICT, FAILED)  # a typed figure that is not stored

# What the rows say is written in Thai under the translation context "KeyRow"; the functions
# that word it take a `translate` with QCoreApplication.translate's signature, which the Qt side
# passes (this module stays Qt-free). Without one, the text is as written.
Translate = Callable[[str, str], str]


def as_written(context: str, text: str) -> str:
    """The text as written in the code (Thai): no translation."""
    return text


def late_text(minutes: int, translate: Translate = as_written) -> str:
    if minutes < 60:
        return translate("KeyRow", "{0} นาที").format(minutes)
    hours, mins = divmod(minutes, 60)
    if hours < 24:
        if mins:
            return translate("KeyRow", "{0} ชม. {1} นาที").format(hours, mins)
        return translate("KeyRow", "{0} ชม.").format(hours)
    days, hours = divmod(hours, 24)
    if hours:
        return translate("KeyRow", "{0} วัน {1} ชม.").format(days, hours)
    return translate("KeyRow", "{0} วัน").format(days)


def without_where(message: str) -> str:
    """The reason alone: the services prefix "<unit> สัปดาห์ <week> (<date>): ", which the cell's
    own row already says."""
    head, sep, rest = message.partition("): ")
    return rest if sep and "สัปดาห์" in head else message


@dataclass
class KeyRow:
    base: desk.GridRow
    count: int | None = None
    version: int | None = None
    received_at: datetime | None = None
    channel: str = "phone"
    reporter: str | None = None
    reporter_phone: str | None = None
    draft: str | None = None  # typed, not (yet) stored
    state: str = ""
    message: str = ""
    their_count: int | None = None
    received_on_time: bool = False  # stored as on time on the clerk's word
    # The received time typed in this row, for its next figure (else the session's default).
    reception: tuple[reports.Reception, datetime | None] | None = None
    reason: str | None = None  # why the typed figure changes a stored or closed week's figure

    @classmethod
    def from_grid(cls, g: desk.GridRow) -> KeyRow:
        return cls(
            base=g,
            count=g.count,
            version=g.version,
            received_at=g.received_at,
            channel=g.channel,
            reporter=g.reporter,
            reporter_phone=g.reporter_phone,
            received_on_time=g.received_on_time,
        )

    @property
    def code(self) -> str:
        return self.base.code

    @property
    def late_minutes(self) -> int | None:
        if self.received_at is None:
            return None
        return calendar.late_minutes(self.received_at, self.base.due_at)

    def state_text(self, translate: Translate = as_written) -> str:
        reason = without_where(self.message)
        if self.state == SAVING:
            return translate("KeyRow", "กำลังบันทึก…")
        if self.state == REFUSED:
            return "✗ " + reason
        if self.state == FAILED:
            return translate("KeyRow", "✗ บันทึกไม่สำเร็จ: {0}").format(reason)
        if self.state == CONFIRM:
            return translate("KeyRow", "⚠ ต้องยืนยัน (F9): {0}").format(reason.replace("\n", " · "))
        if self.state == CONFLICT:
            return translate("KeyRow", "⚠ มีผู้อื่นบันทึก {0} คน: F9 ใช้ตัวเลขของท่าน · Esc ใช้ของเขา").format(
                count_text(self.their_count)
            )
        if self.state == UNDONE:
            return "↶ " + (self.message or translate("KeyRow", "ยกเลิกแล้ว"))
        if self.count is None:
            if self.base.expected:
                return translate("KeyRow", "ยังไม่ส่ง")
            return translate("KeyRow", "ไม่ต้องส่งสัปดาห์นี้")
        late = self.late_minutes
        if self.received_on_time:
            timing = translate("KeyRow", "ทันกำหนด (ตามที่ผู้บันทึกระบุ)")
        elif late:
            timing = translate("KeyRow", "ช้า {0}").format(late_text(late, translate))
        else:
            timing = translate("KeyRow", "ตรงเวลา")
        if self.state == CORRECTED:
            return translate("KeyRow", "✓ แก้ไขแล้ว (ฉบับที่ {0}) · {1}").format(self.version, timing)
        if self.state == UNCHANGED:
            return translate("KeyRow", "✓ ตัวเลขเดิม · {0}").format(timing)
        if self.state == SAVED:
            return translate("KeyRow", "✓ บันทึกแล้ว · {0}").format(timing)
        return translate("KeyRow", "ส่งแล้ว · {0}").format(timing)


def carry_over(row: KeyRow, kept: KeyRow) -> None:
    """A figure typed on `kept` outlives a reload of the same week caused by someone else."""
    row.draft, row.state, row.message = kept.draft, kept.state, kept.message
    row.their_count = kept.their_count
    row.reception, row.reason = kept.reception, kept.reason


# What to do with text typed in a row's count cell.
DISCARD, NOTHING, SAME, SUBMIT = "discard", "nothing", "same", "submit"


def entry_action(row: KeyRow, text: str) -> str:
    """DISCARD an emptied cell's draft, NOTHING for an empty cell, SAME when the stored figure
    was typed again (nothing to store), else SUBMIT the typed text to the services."""
    typed = text.strip()
    if not typed:
        return DISCARD if row.draft is not None else NOTHING
    try:
        value = parse_count(typed, ceiling=10**12)
    except CountError:
        value = None
    if value is not None and value == row.count and row.state not in UNSETTLED:
        return SAME
    return SUBMIT


def start_saving(row: KeyRow, typed: str) -> None:
    row.draft = typed
    row.state = SAVING
    row.message = ""


def mark_stored(row: KeyRow, typed: str, result: reports.ReportResult) -> None:
    # What is stored is what the row shows as stored, whatever is typed there now.
    row.count, row.version, row.received_at = result.count, result.version, result.received_at
    row.received_on_time = reports.RECEIVED_ON_TIME in result.confirmed
    if row.draft == typed:  # else typed again meanwhile: that later figure's answer decides
        row.draft, row.their_count = None, None
        row.reception, row.reason = None, None
        row.state = {"stored": SAVED, "corrected": CORRECTED}.get(result.outcome, UNCHANGED)
        row.message = ""


def in_thai(exc: BaseException) -> str:
    """A refusal's own Thai text (the Qt side passes i18n.error_text: the screens' language)."""
    return str(getattr(exc, "th", exc))


def mark_not_stored(
    row: KeyRow,
    typed: str,
    exc: BaseException,
    translate: Translate = as_written,
    speak: Callable[[BaseException], str] = in_thai,
) -> bool:
    """The services refused `typed` (or failed): the row says why (a refusal's text through
    `speak`). False when the row has been typed again meanwhile, and so is left to that later
    figure's answer."""
    if row.draft != typed:
        return False
    if isinstance(exc, reports.ConflictError):
        row.state = CONFLICT
        row.their_count = exc.current_count
        row.count = exc.current_count
        row.version = exc.current_version
        row.message = speak(exc)
    elif isinstance(exc, NeedsConfirmation):
        row.state = CONFIRM
        row.message = translate("KeyRow", "{0}\nกด F9 เพื่อยืนยันว่าตัวเลขนี้ถูกต้อง หรือพิมพ์ตัวเลขใหม่").format(
            speak(exc)
        )
    elif isinstance(exc, RefusedError):
        row.state = REFUSED
        row.message = speak(exc)
    else:
        row.state = FAILED
        row.message = str(exc)
    return True


def mark_reason_missing(
    row: KeyRow, typed: str, closed: bool, translate: Translate = as_written
) -> None:
    """The clerk gave no reason for a figure that needs one: it stays typed, not stored."""
    row.draft, row.state, row.reason = typed, REFUSED, None
    row.message = (
        translate(
            "KeyRow",
            "สัปดาห์นี้ปิดแล้ว (ส่งตัวเลขไปแล้ว): ต้องระบุเหตุผลจึงจะบันทึกได้ พิมพ์ตัวเลขอีกครั้งเพื่อระบุ",
        )
        if closed
        else translate("KeyRow", "การแก้ไขตัวเลขที่บันทึกแล้วต้องระบุเหตุผล พิมพ์ตัวเลขอีกครั้งเพื่อระบุ")
    )


def needs_reason(row: KeyRow, closed: bool) -> bool:
    """A figure typed on this row changes a stored figure, or a closed week: the clerk says why
    (once: a figure waiting for confirmation keeps its reason)."""
    return (row.version is not None or closed) and row.reason is None


def discard(row: KeyRow, translate: Translate = as_written) -> None:
    """Drop the typed figure; after a conflict the row keeps the other clerk's figure."""
    was_conflict = row.state == CONFLICT
    row.draft, row.state, row.their_count = None, "", None
    row.reception, row.reason = None, None
    row.message = translate("KeyRow", "ใช้ตัวเลขที่ผู้อื่นบันทึกไว้") if was_conflict else ""


def set_detail(row: KeyRow, column: int, value: object) -> bool:
    """The channel, reporter or reporter's phone typed in `column`; False when nothing changed."""
    text = None if value is None else str(value).strip()
    if column == COL_CHANNEL:
        if not text or text == row.channel:
            return False
        row.channel = text
    elif column == COL_REPORTER:
        if (text or None) == row.reporter:
            return False
        row.reporter = text or None
    elif column == COL_PHONE:
        if (text or None) == row.reporter_phone:
            return False
        row.reporter_phone = text or None
    return True


# What a received time typed in a row does: resubmit its refused figure with it, correct the
# stored figure's time, or wait for the figure still to come.
RESUBMIT, CORRECT, LATER = "resubmit", "correct", "later"


def set_received(row: KeyRow, text: str) -> str:
    """The received time typed in the row's cell ("10:15", "21 16:40", "ทัน", "now"...);
    raises RefusedError (nothing changed) for what is not a time. NOTHING for an empty cell."""
    if not text.strip():
        row.reception = None
        return NOTHING
    reception = reports.parse_reception(text, row.base.due_at)
    row.reception = reception
    if row.draft is not None and row.state in (REFUSED, FAILED):
        return RESUBMIT
    if details_correct_stored(row):
        return CORRECT
    return LATER


def reception_text(
    reception: tuple[reports.Reception, datetime | None], translate: Translate = as_written
) -> str:
    """A received time typed for a row, as its cell shows it."""
    mode, at = reception
    if mode is reports.Reception.ON_TIME:
        return translate("KeyRow", "ทันกำหนด (ก่อนเวลาส่ง)")
    if mode is reports.Reception.NOW:
        return translate("KeyRow", "เวลาที่พิมพ์")
    if at is None:
        return translate("KeyRow", "ไม่ระบุ")
    local = at.astimezone(calendar.BANGKOK)
    return translate("KeyRow", "{0}/{1} {2:02d}.{3:02d} น.").format(
        local.day, local.month, local.hour, local.minute
    )


def details_correct_stored(row: KeyRow) -> bool:
    """Changed details correct the stored figure (rather than wait for one still to come)."""
    return row.count is not None and row.version is not None and row.draft is None


def mark_undone(
    row: KeyRow, count: int, result: reports.ReportResult | None, translate: Translate = as_written
) -> None:
    """The figure `count` was taken back: `result` is the figure left, None for none."""
    row.count = None if result is None else result.count
    row.version = None if result is None else result.version
    row.received_at = None if result is None else result.received_at
    row.draft, row.their_count = None, None
    row.state = UNDONE
    row.message = (
        translate("KeyRow", "เลิกทำ: ลบตัวเลข {0} ที่บันทึกไว้").format(format_int(count))
        if result is None
        else translate("KeyRow", "เลิกทำ: กลับไปใช้ {0} แทน {1}").format(
            format_int(result.count), format_int(count)
        )
    )


def mark_redone(row: KeyRow, result: reports.ReportResult) -> None:
    row.count, row.version = result.count, result.version
    row.received_at = result.received_at
    row.draft, row.their_count, row.message = None, None, ""
    row.state = SAVED if result.outcome == "stored" else CORRECTED


def awaiting_confirmation(row: KeyRow) -> bool:
    """F9 can settle this row: a figure to confirm, or the clerk's own in a conflict."""
    return row.state in (CONFIRM, CONFLICT)


def unsettled(rows: list[KeyRow]) -> list[KeyRow]:
    return [r for r in rows if r.state in UNSETTLED]


@dataclass(frozen=True)
class Totals:
    rows: int
    expected: int
    done: int  # expected units whose figure is stored
    waiting: int  # typed figures not stored


def totals(rows: list[KeyRow]) -> Totals:
    expected = [r for r in rows if r.base.expected]
    return Totals(
        rows=len(rows),
        expected=len(expected),
        done=sum(1 for r in expected if r.count is not None),
        waiting=len(unsettled(rows)),
    )


def row_message(
    row: KeyRow, hint: str, translate: Translate = as_written
) -> tuple[str, str | None]:
    """The message under the grid for the current row, and its kind (error, warn, conflict or
    None for plain): why a figure is not stored, else who the unit is and `hint`."""
    b = row.base
    who = f"{b.code} {b.name}"
    if row.state in (REFUSED, FAILED):
        text = translate("KeyRow", "{0}: ไม่ได้บันทึก — {1}")
        return text.format(who, without_where(row.message)), "error"
    if row.state == CONFIRM:
        return f"{who}: {without_where(row.message)}", "warn"
    if row.state == CONFLICT:
        text = translate(
            "KeyRow", "{0}\nF9 = บันทึกตัวเลขของท่าน ({1}) แทน · Esc = ใช้ตัวเลขของผู้อื่น ({2})"
        )
        return text.format(row.message, row.draft, count_text(row.their_count)), "conflict"
    contact = " · ".join(
        x
        for x in (
            translate("KeyRow", "ผู้ประสานงาน {0}").format(b.contact) if b.contact else "",
            translate("KeyRow", "โทร {0}").format(b.phone) if b.phone else "",
            translate("KeyRow", "โทรสาร {0}").format(b.fax) if b.fax else "",
            translate("KeyRow", "เป้าหมาย {0} คน").format(format_int(b.quota)),
        )
        if x
    )
    return f"{who} — {contact}\n{hint}", None
