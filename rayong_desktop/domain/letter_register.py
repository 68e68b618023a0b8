"""The outgoing register (ทะเบียนหนังสือส่ง): the rules of a letter's number, state and sending.

A letter's number runs within a calendar year as the office counts it (the Buddhist era) and a
series: the office's ordinary letters and memos ("") or its circulars ("ว"). One letter in
force holds a number of a year and series; a spoiled letter keeps its row, its reason and the
letter that replaced it. How a letter was sent is recorded afterwards, from a fixed list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from rayong_desktop.domain.errors import RefusedError

CIRCULAR = "ว"
SERIES = ("", CIRCULAR)
ISSUED = "issued"
SPOILED = "spoiled"

# How a letter left the office: code -> the register's Thai word.
SENT_CHANNELS: dict[str, str] = {
    "fax": "โทรสาร",
    "post": "ไปรษณีย์",
    "hand": "ส่งด้วยตนเอง",
    "email": "ไปรษณีย์อิเล็กทรอนิกส์",
    "edoc": "ระบบสารบรรณอิเล็กทรอนิกส์",
}
SENT_CHANNELS_EN: dict[str, str] = {  # the same, for screens that speak English
    "fax": "Fax",
    "post": "Post",
    "hand": "By hand",
    "email": "Email",
    "edoc": "Electronic document system",
}
SENT_ALIASES = {"e-mail": "email", "mail": "post", "e-document": "edoc", "edocument": "edoc"}

KIND_NAMES: dict[str, str] = {
    "summary_letter": "หนังสือรายงานผู้ว่าราชการจังหวัด",
    "reminder_letter": "หนังสือเวียนขอให้หน่วยรายงาน",
    "reminder_memo": "บันทึกข้อความแจ้งหน่วยที่ยังไม่รายงาน",
}
KIND_NAMES_EN: dict[str, str] = {  # the same, for screens that speak English
    "summary_letter": "Report letter to the governor",
    "reminder_letter": "Circular asking units to report",
    "reminder_memo": "Memo on the units not yet reported",
}

_NUMBER = re.compile(r"\s*(ว)?\s*\.?\s*(\d+)\s*")


def series_of(circular: bool) -> str:
    return CIRCULAR if circular else ""


# The settings that hold the desk's next number of each series (letters and memos share one).
COUNTER_SERIES: dict[str, str] = {"letter_next_number": "", "circular_next_number": CIRCULAR}


def parse_series(text: str | None) -> str | None:
    """A series given on a command line or a filter: None (any), "" (ordinary) or "ว"."""
    if text is None:
        return None
    t = text.strip()
    if t.lower() in ("", "-", "none", "ordinary", "ปกติ"):
        return ""
    if t in (CIRCULAR, "ว.") or t.lower() in ("w", "circular"):
        return CIRCULAR
    raise RefusedError(
        f"ชุดเลขที่หนังสือ '{text}' ไม่ถูกต้อง (เว้นว่าง หรือ ว)",
        f"series '{text}' is not known (none, or ว for circulars)",
        code="bad_series",
    )


def parse_number(text: str) -> tuple[str | None, int]:
    """ "14" -> (None, 14): any series; "ว 14" or "ว14" -> ("ว", 14)."""
    found = _NUMBER.fullmatch(text)
    if found is None or int(found.group(2)) < 1:
        raise RefusedError(
            f"เลขที่หนังสือ '{text}' ไม่ถูกต้อง (เช่น 14 หรือ ว 14)",
            f"letter number '{text}' is not valid (e.g. 14, or ว 14 for a circular)",
            code="bad_number",
        )
    return (CIRCULAR if found.group(1) else None), int(found.group(2))


def parse_channel(text: str) -> str:
    t = text.strip().lower()
    t = SENT_ALIASES.get(t, t)
    if t in SENT_CHANNELS:
        return t
    for code, thai in SENT_CHANNELS.items():
        if text.strip() == thai:
            return code
    raise RefusedError(
        f"วิธีส่ง '{text}' ไม่ถูกต้อง ({', '.join(SENT_CHANNELS.values())})",
        f"'{text}' is not a way of sending ({', '.join(SENT_CHANNELS)})",
        code="bad_channel",
    )


def number_label(series: str, number: int) -> str:
    """ "14" or "ว 14" as the register writes it."""
    return f"{series} {number}" if series else str(number)


@dataclass(frozen=True)
class RegisterEntry:
    """One row of the register as the screens, the command line and the workbook show it."""

    id: int
    year: int  # Buddhist era
    series: str
    number: int
    reference: str  # the number as printed: office code / series number
    issued_on: date
    issued_at: datetime
    kind: str
    addressee: str
    subject: str
    week: date
    clerk: str
    figures: str  # canonical JSON: the closed week's checksum or the live totals
    pdf_sha256: str
    pages: int
    state: str
    spoiled_at: datetime | None
    spoiled_by: str | None
    spoil_reason: str | None
    replaces: int | None  # the id of the spoiled letter this one replaces
    replaced_by: int | None  # the id of the letter that replaced this one
    sent_by: str | None
    sent_at: datetime | None
    sent_recorded_by: str | None

    @property
    def label(self) -> str:
        return number_label(self.series, self.number)

    @property
    def in_force(self) -> bool:
        return self.state == ISSUED
