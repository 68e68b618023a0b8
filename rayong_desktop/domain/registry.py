"""The registry's vocabulary: kinds of reporting unit, Rayong's districts, unit codes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rayong_desktop.domain.errors import RefusedError


@dataclass(frozen=True)
class Kind:
    code: str
    th: str
    short_th: str
    local_administration: bool
    en: str  # for screens that speak English
    short_en: str


KINDS: tuple[Kind, ...] = (
    Kind("agency", "หน่วยงาน/ส่วนราชการ", "หน่วยงาน", False, "Agency/government office", "Agency"),
    Kind(
        "district_office",
        "สำนักงานส่งเสริมการปกครองท้องถิ่นอำเภอ",
        "สถ.อ.",
        False,
        "District local administration office",
        "DLA",
    ),
    Kind(
        "pao", "องค์การบริหารส่วนจังหวัด", "อบจ.", True, "Provincial Administrative Organization", "PAO"
    ),
    Kind("city", "เทศบาลนคร", "ทน.", True, "City municipality", "City mun."),
    Kind("town", "เทศบาลเมือง", "ทม.", True, "Town municipality", "Town mun."),
    Kind("subdistrict", "เทศบาลตำบล", "ทต.", True, "Subdistrict municipality", "Subdistrict mun."),
    Kind(
        "sao", "องค์การบริหารส่วนตำบล", "อบต.", True, "Subdistrict Administrative Organization", "SAO"
    ),
)
KIND_BY_CODE = {k.code: k for k in KINDS}

# Rayong's eight districts (อำเภอ), with short ASCII codes used in unit codes.
DISTRICTS: tuple[tuple[str, str], ...] = (
    ("MRY", "เมืองระยอง"),
    ("BCH", "บ้านฉาง"),
    ("KLG", "แกลง"),
    ("WCN", "วังจันทร์"),
    ("BKI", "บ้านค่าย"),
    ("PLD", "ปลวกแดง"),
    ("KCM", "เขาชะเมา"),
    ("NKP", "นิคมพัฒนา"),
)
DISTRICT_NAMES = tuple(name for _, name in DISTRICTS)

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,19}$")


def parse_kind(text: str) -> str:
    """Accept the code (`sao`), the Thai name (`องค์การบริหารส่วนตำบล`) or its short form (`อบต.`)."""
    wanted = text.strip()
    for k in KINDS:
        if wanted.lower() == k.code or wanted in (k.th, k.short_th, k.short_th.rstrip(".")):
            return k.code
    raise RefusedError(
        f"ไม่รู้จักประเภทหน่วย '{text}' (ใช้ได้: {', '.join(k.short_th for k in KINDS)})",
        f"unknown unit kind '{text}' (known: {', '.join(k.code for k in KINDS)})",
        code="unknown_kind",
    )


def parse_district(text: str | None) -> str | None:
    """Accept the Thai name, with or without อำเภอ/อ., or the ASCII code; blank means none."""
    if text is None or not text.strip():
        return None
    wanted = text.strip()
    for prefix in ("อำเภอ", "อ."):
        if wanted.startswith(prefix):
            wanted = wanted[len(prefix) :].strip()
    for code, name in DISTRICTS:
        if wanted == name or wanted.upper() == code:
            return name
    raise RefusedError(
        f"ไม่มีอำเภอ '{text}' ในจังหวัดระยอง (มี: {', '.join(DISTRICT_NAMES)})",
        f"'{text}' is not one of Rayong's districts ({', '.join(c for c, _ in DISTRICTS)})",
        code="unknown_district",
    )


def normalize_code(text: str) -> str:
    code = text.strip().upper()
    if not CODE_RE.match(code):
        raise RefusedError(
            f"รหัสหน่วย '{text}' ใช้ไม่ได้: ใช้อักษรอังกฤษ ตัวเลข - _ . ไม่เกิน 20 ตัว",
            f"unit code '{text}' is not valid: 1-20 letters, digits, '-', '_' or '.'",
            code="bad_code",
        )
    return code


def default_quota(kind: str, la_minimum: int) -> int | None:
    """Local administrations (and district offices relaying for them) owe the letter's minimum."""
    if KIND_BY_CODE[kind].local_administration or kind == "district_office":
        return la_minimum
    return None
