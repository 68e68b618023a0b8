"""Typed settings, declared once with their defaults and Thai labels.

Stored in the database's `setting` table (one JSON value per key), so they travel with the data in
backups and exports. Window geometry and other remembered UI state belong to the GUI, not here.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.domain.validation import PlausibilityRules


@dataclass(frozen=True)
class AppSettings:
    # The LINE Official Account and the campaign (the province's letter).
    oa_name: str = field(default="Rayong Fight Covid", metadata={"th": "ชื่อบัญชี LINE OA"})
    oa_id: str = field(default="", metadata={"th": "LINE ID ของบัญชี (ขึ้นต้นด้วย @)"})
    oa_add_friend_url: str = field(default="", metadata={"th": "ลิงก์เพิ่มเพื่อน (ว่าง = สร้างจาก ID)"})
    campaign_start: date = field(default=date(2020, 5, 1), metadata={"th": "วันเริ่มโครงการ"})
    campaign_months: int = field(default=3, metadata={"th": "ระยะเวลาโครงการ (เดือน)"})
    monthly_message_quota: int = field(default=3_800_000, metadata={"th": "จำนวนข้อความที่ส่งได้ต่อเดือน"})
    # The sending office (letters, forms, posters).
    office_name: str = field(
        default="สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดระยอง", metadata={"th": "ชื่อสำนักงาน"}
    )
    office_section: str = field(default="ฝ่ายบริหารทั่วไป", metadata={"th": "ส่วนราชการเจ้าของเรื่อง"})
    office_address: str = field(default="", metadata={"th": "ที่อยู่สำนักงาน"})
    # The section's line as the province's own report form prints it ("โทร. ๐-๓๘๖๙-๔๑๙๑-๒").
    office_phone: str = field(default="๐-๓๘๖๙-๔๑๙๑-๒", metadata={"th": "โทรศัพท์"})
    office_fax: str = field(default="", metadata={"th": "โทรสาร"})
    office_email: str = field(default="", metadata={"th": "ไปรษณีย์อิเล็กทรอนิกส์"})
    office_website: str = field(default="www.rayonglocal.go.th", metadata={"th": "เว็บไซต์"})
    document_code: str = field(default="รย ๐๐๒๓.๑", metadata={"th": "รหัสหนังสือ (ที่)"})
    # Checks on keyed counts.
    default_la_quota: int = field(default=300, metadata={"th": "เป้าหมายขั้นต่ำต่อ อปท. (ราย)"})
    count_ceiling: int = field(default=1_000_000, metadata={"th": "จำนวนสูงสุดที่รับได้ต่อหน่วย"})
    rise_quota_factor: float = field(default=5.0, metadata={"th": "เพิ่มขึ้นเกินกี่เท่าของเป้าต้องยืนยัน"})
    rise_history_factor: float = field(
        default=4.0, metadata={"th": "เพิ่มขึ้นเกินกี่เท่าของสัปดาห์ที่เพิ่มมากที่สุดต้องยืนยัน"}
    )
    rise_floor: int = field(default=300, metadata={"th": "เพิ่มขึ้นไม่เกินจำนวนนี้ไม่ต้องยืนยัน"})
    # Forecast: a unit projected to miss its quota by more than this percent is flagged.
    forecast_margin_pct: int = field(
        default=10, metadata={"th": "คาดว่าจะต่ำกว่าเป้าเกินกี่เปอร์เซ็นต์จึงแจ้งว่าต้องเร่ง"}
    )
    # Where automatic backups go ("" = a "backups" folder beside the database).
    backup_dir: str = field(default="", metadata={"th": "โฟลเดอร์เก็บสำเนาสำรอง"})
    # The plan's printed total (231,000) kept as stated; every total shown is computed from rows.
    plan_stated_total: int | None = field(default=None, metadata={"th": "ยอดรวมตามแผน (ตามที่พิมพ์)"})
    # Printed documents: summary, letters, forms, posters.
    document_font: str = field(
        default="auto",
        metadata={"th": "แบบอักษรในเอกสาร (auto = TH Sarabun New ถ้ามี, th_sarabun_new, sarabun)"},
    )
    document_digits: str = field(
        default="thai", metadata={"th": "ตัวเลขในเอกสาร (thai = เลขไทย, arabic = เลขอารบิก)"}
    )
    garuda_image: str = field(
        default="", metadata={"th": "ไฟล์ภาพตราครุฑ (ว่าง = เว้นที่ไว้สำหรับกระดาษพิมพ์ตราครุฑ)"}
    )
    letter_next_number: int = field(
        default=1, metadata={"th": "เลขที่หนังสือฉบับถัดไป (เริ่มที่ 1 ใหม่ทุกปีปฏิทิน)"}
    )
    circular_next_number: int = field(
        default=1, metadata={"th": "เลขที่หนังสือเวียน (ว) ฉบับถัดไป (เริ่มที่ 1 ใหม่ทุกปีปฏิทิน)"}
    )
    letter_urgency: str = field(
        default="ด่วน", metadata={"th": "ชั้นความเร็วหนังสือรายงาน (ว่าง, ด่วน, ด่วนมาก, ด่วนที่สุด)"}
    )
    letter_addressee: str = field(
        default="ผู้ว่าราชการจังหวัดระยอง", metadata={"th": "เรียน (ผู้รับหนังสือรายงาน)"}
    )
    letter_reference: str = field(
        default="หนังสือจังหวัดระยอง ด่วนที่สุด ที่ รย ๐๐๒๓.๑/ว ๒๕๖๓",
        metadata={"th": "อ้างถึง (หนังสือของจังหวัด; ว่าง = ไม่พิมพ์)"},
    )
    # Kept as text (YYYY-MM-DD, or blank) so that a blank can be kept: blank leaves a dotted
    # space on the letter for the date to be written in.
    letter_reference_date: str = field(
        default="", metadata={"th": "ลงวันที่ของหนังสือที่อ้างถึง (ค.ศ. ปปปป-ดด-วว; ว่าง = เว้นไว้เขียน)"}
    )
    signer_name: str = field(default="", metadata={"th": "ชื่อผู้ลงนาม (ว่าง = เว้นเส้นประไว้เขียนด้วยมือ)"})
    signer_position: str = field(default="ท้องถิ่นจังหวัดระยอง", metadata={"th": "ตำแหน่งผู้ลงนาม"})
    poster_slogan: str = field(
        default="มาร่วมมือ ร่วมใจ\nใส่หน้ากากผ้า และหน้ากากอนามัย\nทุกคนใส่หน้ากากด้วย 100%",
        metadata={"th": "คำขวัญบนโปสเตอร์ (ขึ้นบรรทัดใหม่ตามที่พิมพ์)"},
    )

    def plausibility_rules(self) -> PlausibilityRules:
        """The thresholds of the big-rise check, as the settings set them."""
        return PlausibilityRules(
            rise_quota_factor=self.rise_quota_factor,
            rise_history_factor=self.rise_history_factor,
            rise_floor=self.rise_floor,
        )

    def add_friend_url(self) -> str:
        """LINE's add-friend link; the @ is written %40 so every scanner keeps it."""
        if self.oa_add_friend_url:
            return self.oa_add_friend_url
        if not self.oa_id:
            return ""
        return "https://line.me/R/ti/p/%40" + self.oa_id.lstrip("@")


SETTING_FIELDS = {f.name: f for f in fields(AppSettings)}


def setting_label(key: str) -> str:
    """How the Settings screen names a setting to the clerk ("ตั้งค่า › …"): its Thai label
    without the hint in brackets; a refusal names this, never the internal key."""
    text = str(SETTING_FIELDS[key].metadata.get("th", key))
    return f"ตั้งค่า › {text.split(' (')[0].strip()}"


def _type_name(f: dataclasses.Field[Any]) -> str:
    return str(f.type).replace(" | None", "")


def encode(key: str, value: Any) -> str:
    if isinstance(value, date):
        return json.dumps(value.isoformat())
    return json.dumps(value, ensure_ascii=False)


def decode(key: str, raw: str) -> Any:
    value = json.loads(raw)
    if value is not None and _type_name(SETTING_FIELDS[key]) == "date":
        return date.fromisoformat(value)
    return value


def parse_value(key: str, text: str) -> Any:
    """A value typed by a person (CLI or settings dialog) checked against the declared type."""
    f = SETTING_FIELDS.get(key)
    if f is None:
        raise RefusedError(
            f"ไม่มีการตั้งค่าชื่อ '{key}'",
            f"unknown setting '{key}' (known: {', '.join(SETTING_FIELDS)})",
            code="unknown_setting",
        )
    kind = _type_name(f)
    optional = "None" in str(f.type)
    stripped = text.strip()
    if optional and stripped == "":
        return None
    try:
        if kind == "int":
            value: Any = int(stripped.replace(",", ""))
            if value < 0:
                raise ValueError
        elif kind == "float":
            value = float(stripped)
            if value <= 0:
                raise ValueError
        elif kind == "date":
            value = date.fromisoformat(stripped)
        else:
            value = text.strip()
    except ValueError:
        raise RefusedError(
            f"ค่า '{text}' ใช้กับการตั้งค่า '{f.metadata.get('th', key)}' ไม่ได้ (ต้องเป็น {kind})",
            f"value '{text}' is not valid for setting '{key}' (expected {kind})",
            code="bad_setting",
        ) from None
    if key == "campaign_months" and not 1 <= value <= 120:
        raise RefusedError(
            "ระยะเวลาโครงการต้องอยู่ระหว่าง 1 ถึง 120 เดือน",
            "campaign_months must be between 1 and 120",
            code="bad_setting",
        )
    if key == "forecast_margin_pct" and value > 100:
        raise RefusedError(
            "ส่วนเผื่อของการคาดการณ์ต้องอยู่ระหว่าง 0 ถึง 100 เปอร์เซ็นต์",
            "forecast_margin_pct must be between 0 and 100",
            code="bad_setting",
        )
    return _check_document_setting(key, value)


# Settings of printed documents that take one of a few words. Font and digit words are matched
# case-insensitively (typed on a command line); urgency marks are Thai and kept as typed.
SETTING_CHOICES: dict[str, tuple[str, ...]] = {
    "document_font": ("auto", "th_sarabun_new", "sarabun"),
    "document_digits": ("thai", "arabic"),
    "letter_urgency": ("", "ด่วน", "ด่วนมาก", "ด่วนที่สุด"),
}


def _check_document_setting(key: str, value: Any) -> Any:
    choices = SETTING_CHOICES.get(key)
    if choices is not None:
        word = value.lower() if key in ("document_font", "document_digits") else value
        if word not in choices:
            shown = ", ".join(c or "(ว่าง)" for c in choices)
            raise RefusedError(
                f"ค่า '{value}' ใช้กับการตั้งค่า '{SETTING_FIELDS[key].metadata.get('th', key)}' "
                f"ไม่ได้ (เลือกได้: {shown})",
                f"value '{value}' is not valid for setting '{key}' "
                f"(one of: {', '.join(c or '(blank)' for c in choices)})",
                code="bad_setting",
            )
        return word
    if key in ("letter_next_number", "circular_next_number") and value < 1:
        raise RefusedError(
            "เลขที่หนังสือต้องเริ่มที่ 1 ขึ้นไป",
            f"{key} must be 1 or more",
            code="bad_setting",
        )
    if key == "letter_reference_date" and value:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise RefusedError(
                f"วันที่ '{value}' ใช้ไม่ได้ ให้พิมพ์เป็น ปปปป-ดด-วว (ค.ศ.) เช่น 2020-04-30 หรือเว้นว่าง",
                f"'{value}' is not a date: type it as YYYY-MM-DD (2020-04-30) or leave it blank",
                code="bad_setting",
            ) from None
    if key == "garuda_image" and value and not Path(value).is_file():
        # Checked now so the clerk hears of a mistyped path here, not when a letter is due.
        raise RefusedError(
            f"ไม่พบไฟล์ภาพตราครุฑ '{value}'",
            f"the Garuda image file '{value}' does not exist",
            code="bad_setting",
        )
    return value


# Each setting's label in English, for the desk in English (the Thai label is in the field's
# metadata). A setting added above needs its English here: a test names any that lack one.
SETTING_LABELS_EN: dict[str, str] = {
    "oa_name": "LINE OA account name",
    "oa_id": "The account's LINE ID (starts with @)",
    "oa_add_friend_url": "Add-friend link (blank = made from the ID)",
    "campaign_start": "Campaign start date",
    "campaign_months": "Campaign length (months)",
    "monthly_message_quota": "Messages that can be sent per month",
    "office_name": "Office name",
    "office_section": "Section in charge",
    "office_address": "Office address",
    "office_phone": "Telephone",
    "office_fax": "Fax",
    "office_email": "E-mail",
    "office_website": "Website",
    "document_code": "Letter code (ที่)",
    "default_la_quota": "Minimum target per local administration (people)",
    "count_ceiling": "Largest count accepted per unit",
    "rise_quota_factor": "A rise above this many times the target must be confirmed",
    "rise_history_factor": "A rise above this many times the largest weekly rise must be confirmed",
    "rise_floor": "A rise of no more than this needs no confirmation",
    "forecast_margin_pct": "Flag a unit projected to miss its target by more than (percent)",
    "backup_dir": "Folder for backup copies",
    "plan_stated_total": "Plan total (as printed)",
    "document_font": "Font of printed documents",
    "document_digits": "Digits in printed documents",
    "garuda_image": "Garuda emblem image file (blank = space left for pre-printed paper)",
    "letter_next_number": "Number of the next letter (starts again at 1 each calendar year)",
    "circular_next_number": "Number of the next circular letter (ว) (starts again at 1 each "
    "calendar year)",
    "letter_urgency": "Urgency of the report letter",
    "letter_addressee": "To (addressee of the report letter)",
    "letter_reference": "Reference (the province's letter; blank = not printed)",
    "letter_reference_date": "Date of the referenced letter (YYYY-MM-DD; blank = left to write)",
    "signer_name": "Name of the signer (blank = a dotted line to sign by hand)",
    "signer_position": "Position of the signer",
    "poster_slogan": "Slogan on the poster",
}
