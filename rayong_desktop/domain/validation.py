"""Plausibility checks on cumulative member counts, and what any stored text or number must be.

A count that passes parsing may still be a typing slip (an extra zero) or a misunderstanding
(a weekly figure instead of the running total). Such values are not refused: they are held for
the clerk to confirm, because real counts do sometimes fall (members leave) or jump (a big event).

Text and whole numbers that are impossible are refused at entry (`check_text`,
`check_whole_number`): control characters and NUL (they break workbooks and the server
database), text beyond a field's limit, numbers outside what the database stores (a signed
64-bit integer).
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from rayong_desktop.domain.errors import Concern, RefusedError
from rayong_desktop.domain.numbers import format_int

__all__ = [
    "INT64_MAX",
    "Concern",
    "PlausibilityRules",
    "check_add_friend_url",
    "check_oa_id",
    "check_plausibility",
    "check_text",
    "check_whole_number",
    "control_characters",
    "largest_weekly_rise",
    "link_oa_id",
]

# The largest whole number a database column holds (SQLite's INTEGER, PostgreSQL's BIGINT).
INT64_MAX = 2**63 - 1
LINE_BREAKS = frozenset("\t\n\r")


def control_characters(text: str, *, multiline: bool = False) -> list[str]:
    """The control characters (NUL included) in `text`; tabs and line breaks are allowed in
    `multiline` text (notes)."""
    return [
        ch
        for ch in text
        if unicodedata.category(ch) == "Cc" and not (multiline and ch in LINE_BREAKS)
    ]


def check_text(text: str, *, th: str, en: str, limit: int, multiline: bool = False) -> str:
    """`text` as given, or RefusedError naming the field (`th`, `en`): no control characters,
    at most `limit` characters."""
    bad = control_characters(text, multiline=multiline)
    if bad:
        shown = ", ".join(sorted({f"U+{ord(ch):04X}" for ch in bad}))
        raise RefusedError(
            f"{th} มีอักขระควบคุมที่พิมพ์ไม่ได้ ({shown})",
            f"{en} holds control characters ({shown})",
            code="control_characters",
        )
    if len(text) > limit:
        raise RefusedError(
            f"{th} ยาวเกิน {format_int(limit)} ตัวอักษร",
            f"{en} is longer than {limit} characters",
            code="too_long",
        )
    return text


def check_whole_number(value: int, *, th: str, en: str) -> int:
    """`value`, or RefusedError when the database cannot store it (beyond 64 bits)."""
    if not -INT64_MAX - 1 <= value <= INT64_MAX:
        raise RefusedError(
            f"{th} ใหญ่เกินกว่าที่เก็บได้ (ไม่เกิน {format_int(INT64_MAX)})",
            f"{en} is too large to store (at most {INT64_MAX:,})",
            code="too_large",
        )
    return value


@dataclass(frozen=True)
class PlausibilityRules:
    """Thresholds for the big_rise check.

    A first report or weekly rise needs confirmation only when it exceeds all three of:
    ``rise_floor``, ``rise_quota_factor * quota`` and ``rise_history_factor *`` the unit's
    largest earlier weekly rise (when known). Small units get the floor so that an ordinary
    week of a 40-person quota is not questioned.
    """

    rise_quota_factor: float = 5.0
    rise_history_factor: float = 4.0
    rise_floor: int = 300

    def __post_init__(self) -> None:
        if self.rise_quota_factor < 0 or self.rise_history_factor < 0 or self.rise_floor < 0:
            raise ValueError("plausibility factors and floor must not be negative")


def largest_weekly_rise(counts: Sequence[int]) -> int | None:
    """Largest rise between consecutive reports, given a unit's earlier counts in week order.

    The first report is not a rise: it holds everyone gathered before the campaign began, and
    counting it would make every later jump look ordinary. None with fewer than two reports.
    """
    if len(counts) < 2:
        return None
    return max(later - earlier for earlier, later in itertools.pairwise(counts))


def check_plausibility(
    count: int,
    *,
    quota: int,
    previous_count: int | None,
    max_previous_rise: int | None,
    later_count: int | None,
    rules: PlausibilityRules,
) -> list[Concern]:
    """Reasons this cumulative count needs the clerk's confirmation; empty when it looks normal.

    Concerns come in a fixed order: below_previous, big_rise, above_later. Messages describe only
    the figures; the caller prefixes the unit and the week.
    """
    if count < 0 or quota < 0:
        raise ValueError("count and quota must not be negative (parse_count refuses negatives)")

    concerns: list[Concern] = []

    if previous_count is not None and count < previous_count:
        concerns.append(
            Concern(
                code="below_previous",
                th=(
                    f"ยอดสะสม {format_int(count)} คน น้อยกว่ายอดที่รายงานครั้งก่อน "
                    f"({format_int(previous_count)} คน)"
                ),
                en=(
                    f"The cumulative count {format_int(count)} is lower than the previous "
                    f"report ({format_int(previous_count)})."
                ),
            )
        )

    rise = count - (previous_count or 0)
    candidates = [float(rules.rise_floor), rules.rise_quota_factor * quota]
    if max_previous_rise is not None:
        candidates.append(rules.rise_history_factor * max_previous_rise)
    # rise is an integer, so "rise > limit" equals "rise > floor(limit)"; showing the floored
    # limit keeps the message in whole people.
    limit = math.floor(max(candidates))
    if rise > limit:
        concerns.append(
            Concern(
                code="big_rise",
                th=(f"ยอดเพิ่มขึ้น {format_int(rise)} คน สูงผิดปกติ (เกินเกณฑ์ {format_int(limit)} คน)"),
                en=(
                    f"The rise of {format_int(rise)} is unusually large "
                    f"(above the limit of {format_int(limit)})."
                ),
            )
        )

    if later_count is not None and count > later_count:
        concerns.append(
            Concern(
                code="above_later",
                th=(
                    f"ยอดสะสม {format_int(count)} คน มากกว่ายอดของสัปดาห์ถัดไป "
                    f"({format_int(later_count)} คน) ทำให้สัปดาห์นั้นกลายเป็นยอดลดลง"
                ),
                en=(
                    f"The cumulative count {format_int(count)} is higher than a later week's "
                    f"report ({format_int(later_count)}), which would then show a decrease."
                ),
            )
        )

    return concerns


# ---------------------------------------------------------------- the LINE OA's ID and link

# As LINE spells an OA's ID: "@" then lowercase letters, digits, ".", "_" or "-" (a basic ID
# such as @123abcde, or a premium one such as @rayongfightcovid).
_OA_ID_RE = re.compile(r"@[a-z0-9._-]{3,20}")
_LINE_ME_PATH = "/R/ti/p/"


def check_oa_id(text: str) -> str:
    """The OA ID as stored: "@..." in lowercase (LINE's IDs are), "" for none. Refused: no @,
    spaces, Thai or other characters LINE does not allow, or a link typed in the wrong box."""
    typed = text.strip()
    if not typed:
        return ""
    value = typed.lower()
    if _OA_ID_RE.fullmatch(value):
        return value
    if "://" in typed or "line.me" in value or "lin.ee" in value:
        th = "นี่คือลิงก์ ไม่ใช่ LINE ID: ใส่ลิงก์ในช่อง ลิงก์เพิ่มเพื่อน และใส่ ID แบบ @ชื่อบัญชี ที่นี่"
        en = "that is a link, not a LINE ID: put it in the add-friend link and give the @ID here"
    elif not typed.startswith("@"):
        th = f"LINE ID '{typed}' ต้องขึ้นต้นด้วย @ (เช่น @rayongfightcovid)"
        en = f"LINE ID '{typed}' must start with @ (like @rayongfightcovid)"
    else:
        th = f"LINE ID '{typed}' ไม่ถูกต้อง: หลัง @ ใช้ได้เฉพาะ a-z 0-9 . _ - ยาว 3-20 ตัว"
        en = f"LINE ID '{typed}' is not valid: after @ only a-z 0-9 . _ -, 3 to 20 of them"
    raise RefusedError(th, en, code="bad_oa_id")


def link_oa_id(url: str) -> str | None:
    """The @ID a line.me add-friend link names, None for a lin.ee short link (which names none
    that can be read offline)."""
    parts = urlsplit(url)
    if parts.netloc.lower() != "line.me" or not parts.path.startswith(_LINE_ME_PATH):
        return None
    name = unquote(parts.path[len(_LINE_ME_PATH) :]).strip("/").lower()
    return name if name.startswith("@") else None


def check_add_friend_url(text: str, oa_id: str) -> str:
    """The add-friend link as stored ("" for none: the link is then made from the ID). Only
    https://line.me/R/ti/p/... or https://lin.ee/...; a line.me link naming another ID than
    `oa_id` is refused (posters would carry a QR to the wrong account)."""
    typed = text.strip()
    if not typed:
        return ""
    parts = urlsplit(typed)
    host = parts.netloc.lower()
    line_me = host == "line.me" and parts.path.startswith(_LINE_ME_PATH)
    short = host == "lin.ee" and len(parts.path.strip("/")) > 0
    if parts.scheme != "https" or not (line_me or short) or " " in typed:
        hint_th = " (นี่คือ LINE ID: ใส่ในช่อง LINE ID ของบัญชี)" if typed.startswith("@") else ""
        hint_en = " (that is a LINE ID: it goes in the OA ID)" if typed.startswith("@") else ""
        raise RefusedError(
            f"ลิงก์เพิ่มเพื่อน '{typed}' ใช้ไม่ได้: ต้องเป็น https://line.me/R/ti/p/… "
            f"หรือ https://lin.ee/…{hint_th}",
            f"add-friend link '{typed}' is not usable: it must be https://line.me/R/ti/p/… or "
            f"https://lin.ee/…{hint_en}",
            code="bad_add_friend_url",
        )
    named = link_oa_id(typed)
    if line_me and named is None:
        raise RefusedError(
            f"ลิงก์เพิ่มเพื่อน '{typed}' ไม่มี LINE ID (ต้องเป็น https://line.me/R/ti/p/@ชื่อบัญชี)",
            f"add-friend link '{typed}' names no LINE ID (https://line.me/R/ti/p/@ID)",
            code="bad_add_friend_url",
        )
    if named is not None and oa_id and named != oa_id.lower():
        raise RefusedError(
            f"ลิงก์เพิ่มเพื่อนชี้ไปที่ {named} ไม่ตรงกับ LINE ID ของบัญชี {oa_id}",
            f"the add-friend link opens {named}, not the OA's ID {oa_id}",
            code="link_disagrees",
        )
    return typed
