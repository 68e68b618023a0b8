"""Reading and changing the typed settings (declared in rayong_desktop.settings)."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rayong_desktop.db.engine import Database
from rayong_desktop.db.models import Setting
from rayong_desktop.domain import validation
from rayong_desktop.domain.calendar import BANGKOK
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.domain.letter_register import COUNTER_SERIES
from rayong_desktop.domain.thaidate import be_year
from rayong_desktop.domain.validation import check_text, check_whole_number
from rayong_desktop.services.common import audit, current_clerk, now_utc
from rayong_desktop.settings import SETTING_FIELDS, AppSettings, decode, encode, parse_value


def load_settings(session: Session) -> AppSettings:
    stored = {
        s.key: s.value
        for s in session.scalars(select(Setting).where(Setting.key.in_(list(SETTING_FIELDS))))
    }
    return AppSettings(**{k: decode(k, v) for k, v in stored.items()})


def save_setting(session: Session, key: str, value: Any) -> None:
    row = session.get(Setting, key)
    raw = encode(key, value)
    if row is None:
        session.add(Setting(key=key, value=raw))
    else:
        row.value = raw


def check_setting(key: str, value: Any) -> Any:
    """What parse_value lets through that must not be stored: a factor that is not a number
    (nan, inf), a whole number beyond the database's range, control characters, a backup
    folder that is a file."""
    label = SETTING_FIELDS[key].metadata.get("th", key)
    if isinstance(value, float) and not math.isfinite(value):
        raise RefusedError(
            f"ค่า '{value}' ใช้กับการตั้งค่า '{label}' ไม่ได้ (ต้องเป็นตัวเลข)",
            f"value '{value}' is not valid for setting '{key}' (expected a finite number)",
            code="bad_setting",
        )
    if isinstance(value, int):
        check_whole_number(value, th=f"ค่าของการตั้งค่า '{label}'", en=f"setting '{key}'")
    if isinstance(value, str):
        check_text(
            value,
            th=f"ค่าของการตั้งค่า '{label}'",
            en=f"setting '{key}'",
            limit=2000,
            multiline=True,  # an address, a slogan: lines may break
        )
    if key == "backup_dir" and value and Path(value).exists() and not Path(value).is_dir():
        raise RefusedError(
            f"'{value}' เป็นไฟล์ ไม่ใช่โฟลเดอร์ ใช้เป็นโฟลเดอร์เก็บสำเนาสำรองไม่ได้",
            f"'{value}' is a file, not a folder: it cannot hold backups",
            code="bad_setting",
        )
    return value


def get_settings(db: Database) -> AppSettings:
    """The settings as they apply now: a letter counter left from an earlier year reads 1
    (numbers start again each calendar year: services.letter_register.next_number)."""
    with db.reading() as session:
        return _counters_now(session, load_settings(session))


def _counters_now(session: Session, stored: AppSettings) -> AppSettings:
    """`stored` with each letter counter as the next letter dated today would take it."""
    from rayong_desktop.services import letter_register  # only where the counters are asked

    year = be_year(now_utc().astimezone(BANGKOK).date())
    counters: dict[str, Any] = {
        key: letter_register.next_number(
            session, counter=key, series=series, year=year, stored=getattr(stored, key)
        )
        for key, series in COUNTER_SERIES.items()
    }
    return dataclasses.replace(stored, **counters)


def update_setting(db: Database, key: str, text: str, *, actor: str | None = None) -> AppSettings:
    """Set one setting from text typed by a person; audited; refused values change nothing.
    A letter counter is compared with the number it gives now (in January, 1 rather than last
    year's): typing last year's number again sets it for this year."""
    value = check_setting(key, parse_value(key, text))
    actor = actor or current_clerk()
    with db.transaction() as session:
        current = _counters_now(session, load_settings(session))
        if key == "oa_id":
            value = validation.check_oa_id(value)
        elif key == "oa_add_friend_url":
            value = validation.check_add_friend_url(value, current.oa_id)
        old = getattr(current, key)
        if old != value:
            save_setting(session, key, value)
            audit(
                session,
                actor=actor,
                action="edit",
                entity="setting",
                key=key,
                field=key,
                old=encode(key, old),
                new=encode(key, value),
            )
        return dataclasses.replace(current, **{key: value})
