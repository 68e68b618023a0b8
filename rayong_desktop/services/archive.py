"""Everything out to one archive file, and back into an empty database: no lock-in.

The archive is a zip of JSON Lines, one file per table (all columns, every row, corrections and
the audit log included), plus manifest.json with the schema version, row counts and a SHA-256 of
each member. Importing checks all of it before the one write transaction opens: the manifest's
shape, every member's size, checksum and row count, and every row against the schema (types,
NOT NULL, the integer range, foreign keys, unique keys) and the desk's rules (counts not
negative, weeks Mondays within the campaign, each report's versions all in its history). The
members are read as streams, twice (checked, then loaded), with sizes capped, so a hostile
archive cannot fill the memory; a refused archive leaves the target as it was.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKeyConstraint,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Time,
    UniqueConstraint,
    func,
    insert,
    select,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.schema import Table

from rayong_desktop import __version__
from rayong_desktop.db import migrate
from rayong_desktop.db.engine import Database
from rayong_desktop.db.ids import reset_sequences
from rayong_desktop.db.models import Base, UTCDateTime
from rayong_desktop.domain import calendar
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.domain.reporting import CHANNELS
from rayong_desktop.files import atomic_write
from rayong_desktop.services.common import now_utc
from rayong_desktop.services.startup import check_location
from rayong_desktop.services.transfer import drop_schema, remove_sqlite_file
from rayong_desktop.settings import SETTING_FIELDS, AppSettings

FORMAT = "rayong-desk-archive"
FORMAT_VERSION = 1
# Caps on what is read (uncompressed): a province's archive is a few megabytes.
MAX_MANIFEST_BYTES = 1024**2
MAX_MEMBER_BYTES = 512 * 1024**2
MAX_LINE_BYTES = 16 * 1024**2  # one row; a register letter carries its PDF as base64
CHUNK_BYTES = 1024**2
BATCH = 5_000
INT64 = (-(2**63), 2**63 - 1)
# Rules of the schema's CHECK constraints and the desk's, column by column: (lowest, highest).
RANGES: dict[tuple[str, str], tuple[int, int]] = {
    ("plan_row", "quota"): (0, INT64[1]),
    ("unit", "quota"): (0, INT64[1]),
    ("weekly_report", "count"): (0, INT64[1]),
    ("weekly_report", "version"): (1, INT64[1]),
    ("report_revision", "count"): (0, INT64[1]),
    ("report_revision", "version"): (1, INT64[1]),
    ("oa_stat", "friends"): (0, INT64[1]),
    ("oa_stat", "blocked"): (0, INT64[1]),
    ("oa_stat", "reach"): (0, INT64[1]),
    ("oa_stat", "sent_this_month"): (0, INT64[1]),
    ("schedule", "weekday"): (0, 6),
}


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes):
        return _encode_bytes(value)
    return value


# Binary columns (the outgoing register's PDFs) travel as base64 text.
def _encode_bytes(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def _decode_bytes(value: str) -> bytes:
    return base64.b64decode(value.encode("ascii"), validate=True)


def export_archive(db: Database, out: Path) -> dict[str, Any]:
    """Write every table to `out` (a .zip) in one read transaction; returns the manifest."""
    out = Path(out)
    manifest: dict[str, Any] = {}
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(out, lambda tmp: manifest.update(_write_archive(db, tmp)))
    except OSError as exc:  # a folder that is a file, no permission, a full disk
        reason = exc.strerror or str(exc)
        raise RefusedError(
            f"บันทึกไฟล์ {out} ไม่ได้: {reason}",
            f"cannot write {out}: {reason}",
            code="cannot_write",
        ) from exc
    return manifest


def _write_archive(db: Database, tmp: Path) -> dict[str, Any]:
    members: dict[str, dict[str, Any]] = {}
    with db.reading() as session, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        revisions = (
            session.connection()
            .exec_driver_sql("SELECT version_num FROM alembic_version")
            .scalars()
            .all()
        )
        for table in _tables():
            digest = hashlib.sha256()
            count = 0
            with zf.open(f"{table.name}.jsonl", "w") as fh:
                for row in session.execute(select(table).order_by(*table.primary_key.columns)):
                    line = (
                        json.dumps(
                            {k: _encode(v) for k, v in row._mapping.items()}, ensure_ascii=False
                        ).encode("utf-8")
                        + b"\n"
                    )
                    digest.update(line)
                    fh.write(line)
                    count += 1
            members[table.name] = {"rows": count, "sha256": digest.hexdigest()}
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "app_version": __version__,
            "schema_revision": sorted(revisions),
            "exported_at": now_utc().isoformat(),
            "tables": members,
        }
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return manifest


def _refuse(path: Path, th: str, en: str) -> RefusedError:
    return RefusedError(f"ไฟล์ {path.name}: {th}", f"{path}: {en}", code="bad_archive")


def _damaged(path: Path, what: str, exc: BaseException) -> RefusedError:
    return _refuse(path, f"{what} เสียหาย อ่านไม่ได้", f"{what} is damaged ({exc})")


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(path, "ไม่ใช่ไฟล์ส่งออกของโปรแกรม", f"not a desk archive ({exc})") from exc


def _read_small(zf: zipfile.ZipFile, path: Path, name: str, limit: int) -> bytes:
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise _refuse(path, f"ไม่มี {name}", f"{name} is missing") from None
    if info.file_size > limit:
        raise _refuse(path, f"{name} ใหญ่เกินไป", f"{name} is too large")
    try:
        with zf.open(info) as fh:
            data = fh.read(limit + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise _damaged(path, name, exc) from exc
    if len(data) > limit:
        raise _refuse(path, f"{name} ใหญ่เกินไป", f"{name} is too large")
    return data


def _manifest(zf: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    """manifest.json, its shape checked: every key there with the right type."""
    raw = _read_small(zf, path, "manifest.json", MAX_MANIFEST_BYTES)
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _refuse(
            path, "อ่านสารบัญ (manifest) ไม่ได้", f"manifest.json is not JSON ({exc})"
        ) from exc
    if not isinstance(manifest, dict):
        raise _refuse(path, "สารบัญ (manifest) ผิดรูปแบบ", "manifest.json is not an object")
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise _refuse(path, "รูปแบบไฟล์ไม่รองรับ", "unsupported archive format")
    revisions = manifest.get("schema_revision")
    tables = manifest.get("tables")
    shape_ok = (
        isinstance(revisions, list)
        and bool(revisions)
        and all(isinstance(r, str) and r for r in revisions)
        and isinstance(tables, dict)
        and all(
            isinstance(meta, dict)
            and type(meta.get("rows")) is int
            and meta["rows"] >= 0
            and isinstance(meta.get("sha256"), str)
            and len(meta["sha256"]) == 64
            for meta in tables.values()
        )
    )
    if not shape_ok:
        raise _refuse(
            path,
            "สารบัญ (manifest) ขาดข้อมูลหรือผิดรูปแบบ",
            "manifest.json lacks schema_revision or tables, or they are malformed",
        )
    assert isinstance(tables, dict)
    known = {t.name for t in _tables()}
    for name in tables:
        if name not in known:
            raise _refuse(path, f"มีตาราง {name} ที่ไม่รู้จัก", f"unknown table {name}")
    return manifest


def _lines(zf: zipfile.ZipFile, path: Path, name: str, meta: dict[str, Any]) -> Iterator[bytes]:
    """The member's lines, streamed: its size capped, its checksum and row count checked at the
    end (a reader stops at the first refusal, so nothing after a bad line is read)."""
    member = f"{name}.jsonl"
    try:
        info = zf.getinfo(member)
    except KeyError:
        raise _refuse(path, f"ไม่มีข้อมูลตาราง {name}", f"{member} is missing") from None
    if info.file_size > MAX_MEMBER_BYTES:
        raise _refuse(path, f"ตาราง {name} ใหญ่เกินไป", f"table {name} is too large")
    digest = hashlib.sha256()
    rows, size, pending = 0, 0, b""
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(CHUNK_BYTES):
                size += len(chunk)
                if size > MAX_MEMBER_BYTES:
                    raise _refuse(path, f"ตาราง {name} ใหญ่เกินไป", f"table {name} is too large")
                digest.update(chunk)
                *complete, pending = (pending + chunk).split(b"\n")
                if len(pending) > MAX_LINE_BYTES:
                    raise _refuse(
                        path, f"ตาราง {name} มีแถวยาวเกินไป", f"table {name} has a line too long"
                    )
                for line in complete:
                    rows += 1
                    if rows > meta["rows"] or not line:
                        raise _refuse(
                            path,
                            f"จำนวนแถวตาราง {name} ไม่ตรงกับสารบัญ",
                            f"table {name} has more lines than its {meta['rows']} rows",
                        )
                    yield line
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise _damaged(path, member, exc) from exc
    if pending:
        raise _refuse(path, f"ตาราง {name} จบไม่ครบแถว", f"table {name} ends in a partial line")
    if digest.hexdigest() != meta["sha256"]:
        raise _refuse(
            path,
            f"ข้อมูลตาราง {name} ไม่ตรงกับสารบัญ (ไฟล์เสียหาย)",
            f"table {name} does not match its checksum (damaged file)",
        )
    if rows != meta["rows"]:
        raise _refuse(path, f"จำนวนแถวตาราง {name} ไม่ตรง", f"row count of {name} differs")


def _value(table: Table, column: Any, v: Any) -> Any:
    """The column's value decoded from JSON, or ValueError naming what is wrong."""
    kind = column.type
    if v is None:
        if not column.nullable:
            raise ValueError("is empty (NOT NULL)")
        return None
    if isinstance(kind, Boolean):
        if type(v) is not bool:
            raise ValueError(f"{v!r} is not true/false")
        return v
    if isinstance(kind, Integer):
        low, high = RANGES.get((table.name, column.name), INT64)
        if type(v) is not int:
            raise ValueError(f"{v!r} is not a whole number")
        if not low <= v <= high:
            raise ValueError(f"{v} is outside {low}..{high}")
        return v
    if isinstance(kind, LargeBinary):  # the register's PDFs travel as base64 text
        if not isinstance(v, str):
            raise ValueError("is not base64 text")
        try:
            return _decode_bytes(v)
        except (ValueError, UnicodeEncodeError):
            raise ValueError("is not valid base64") from None
    if isinstance(kind, UTCDateTime | Date | Time):
        if not isinstance(v, str):
            raise ValueError(f"{v!r} is not a date or time")
        if isinstance(kind, UTCDateTime):
            moment = datetime.fromisoformat(v)
            if moment.tzinfo is None:
                raise ValueError(f"{v!r} has no time zone")
            return moment
        return date.fromisoformat(v) if isinstance(kind, Date) else time.fromisoformat(v)
    if not isinstance(v, str):
        raise ValueError(f"{v!r} is not text")
    if "\x00" in v:
        raise ValueError("holds a NUL character")
    length = getattr(kind, "length", None) if isinstance(kind, String) else None
    if length is not None and len(v) > length:
        raise ValueError(f"is longer than {length} characters")
    return v


def _decode(table: Table, row: Any) -> dict[str, Any]:
    """A row checked against the table's columns and types; ValueError names the column."""
    if not isinstance(row, dict):
        raise ValueError("the line is not a JSON object")
    unknown = set(row) - set(table.columns.keys())
    if unknown:
        raise ValueError(f"unknown column {sorted(unknown)[0]}")
    values: dict[str, Any] = {}
    for column in table.columns:
        if column.name not in row:
            if column.nullable or column.default is not None or column.server_default is not None:
                continue  # a column added after the archive's schema: its default
            raise ValueError(f"column {column.name} is missing (NOT NULL)")
        try:
            values[column.name] = _value(table, column, row[column.name])
        except ValueError as exc:
            raise ValueError(f"column {column.name}: {exc}") from None
    return values


@dataclass
class _Checker:
    """Rules across rows: keys, references, weeks, versions. Fed every row in table order."""

    campaign: tuple[date, date]
    keys: dict[tuple[str, tuple[str, ...]], set[tuple[Any, ...]]] = field(default_factory=dict)
    versions: dict[int, tuple[int, int]] = field(default_factory=dict)  # report: version, count
    history: dict[int, dict[int, int]] = field(default_factory=dict)  # report: version -> count

    def check(self, table: Table, values: dict[str, Any]) -> None:
        for constraint in table.constraints:
            if isinstance(constraint, PrimaryKeyConstraint | UniqueConstraint):
                names = tuple(c.name for c in constraint.columns)
                key = tuple(values.get(n) for n in names)
                if None in key:
                    continue
                seen = self.keys.setdefault((table.name, names), set())
                if key in seen:
                    shown = ", ".join(str(k) for k in key)
                    raise ValueError(f"duplicate {', '.join(names)} ({shown})")
                seen.add(key)
            elif isinstance(constraint, ForeignKeyConstraint):
                for fk in constraint.elements:
                    v = values.get(fk.parent.name)
                    target = (fk.column.table.name, (fk.column.name,))
                    if v is not None and (v,) not in self.keys.get(target, set()):
                        raise ValueError(
                            f"column {fk.parent.name}: {v} is not a {fk.column.table.name}"
                        )
        if table.name == "weekly_report":
            self._week(values["week"])
            if values["channel"] not in CHANNELS:
                raise ValueError(f"column channel: unknown channel {values['channel']!r}")
            self.versions[values["id"]] = (values["version"], values["count"])
        elif table.name == "report_revision":
            self.history.setdefault(values["report_id"], {})[values["version"]] = values["count"]

    def _week(self, week: date) -> None:
        start, end = self.campaign
        if week.weekday() != 0:
            raise ValueError(f"column week: {week} is not a Monday")
        if week > end or week + timedelta(days=6) < start:
            raise ValueError(f"column week: {week} is outside the campaign ({start} to {end})")

    def finish(self) -> None:
        """Each report's versions are all in its history, the last with the report's count."""
        for report_id, (version, count) in self.versions.items():
            kept = self.history.get(report_id, {})
            if set(kept) != set(range(1, version + 1)):
                raise ValueError(
                    f"weekly report {report_id} is version {version} but its history holds "
                    f"versions {sorted(kept) or 'none'}"
                )
            if kept[version] != count:
                raise ValueError(
                    f"weekly report {report_id} has count {count} but its version {version} "
                    f"in the history has {kept[version]}"
                )
        orphans = set(self.history) - set(self.versions)
        if orphans:
            raise ValueError(f"history of a report that does not exist ({min(orphans)})")


def _campaign(path: Path, zf: zipfile.ZipFile, meta: dict[str, Any] | None) -> tuple[date, date]:
    """The campaign as the archive's own settings set it (checked like every other row)."""
    defaults = AppSettings()
    start, months = defaults.campaign_start, defaults.campaign_months
    if meta is None:
        return start, calendar.campaign_end(start, months)
    table = Base.metadata.tables["setting"]
    for number, line in enumerate(_lines(zf, path, "setting", meta), start=1):
        values = _row(path, table, number, line)
        key, raw = values["key"], values["value"]
        try:
            value = json.loads(raw)
            _check_setting(key, value)
        except ValueError as exc:
            raise _refuse(
                path,
                f"การตั้งค่า {key} ผิดรูปแบบ",
                f"table setting, row {number}: {key} = {raw[:80]!r} ({exc})",
            ) from None
        if key == "campaign_start":
            start = date.fromisoformat(value)
        elif key == "campaign_months":
            months = value
    return start, calendar.campaign_end(start, months)


def _check_setting(key: str, value: Any) -> None:
    f = SETTING_FIELDS.get(key)
    if f is None:
        return  # not the desk's (ignored when settings are read)
    kind = str(f.type).replace(" | None", "")
    if value is None and "None" in str(f.type):
        return
    ok = {
        "int": type(value) is int and INT64[0] <= value <= INT64[1],
        "float": type(value) in (int, float) and math.isfinite(value) and value >= 0,
        "str": isinstance(value, str) and "\x00" not in value,
        "date": isinstance(value, str),
    }.get(kind, True)
    if kind == "date" and ok:
        date.fromisoformat(value)
    if key == "campaign_months" and ok:
        ok = 1 <= value <= 120
    if not ok:
        raise ValueError(f"not a valid {kind}")


def _row(path: Path, table: Table, number: int, line: bytes) -> dict[str, Any]:
    try:
        return _decode(table, json.loads(line.decode("utf-8")))
    except UnicodeDecodeError:
        problem = "not UTF-8 text"
    except ValueError as exc:
        problem = str(exc)
    raise _refuse(
        path,
        f"ตาราง {table.name} แถวที่ {number}: ข้อมูลไม่ถูกต้อง ({problem})",
        f"table {table.name}, row {number}: {problem}",
    )


def _rows(
    zf: zipfile.ZipFile, path: Path, table: Table, meta: dict[str, Any]
) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(_lines(zf, path, table.name, meta), start=1):
        yield number, _row(path, table, number, line)


def check_archive(path: Path) -> dict[str, Any]:
    """Verify an archive completely without keeping its rows: the manifest, every member
    (checksum, count, size) and every row (types and rules); returns the manifest."""
    path = Path(path)
    with _open_zip(path) as zf:
        manifest = _manifest(zf, path)
        tables = manifest["tables"]
        checker = _Checker(_campaign(path, zf, tables.get("setting")))
        for table in _tables():
            meta = tables.get(table.name)
            if meta is None:
                continue
            for number, values in _rows(zf, path, table, meta):
                try:
                    checker.check(table, values)
                except ValueError as exc:
                    raise _refuse(
                        path,
                        f"ตาราง {table.name} แถวที่ {number}: ข้อมูลไม่ถูกต้อง ({exc})",
                        f"table {table.name}, row {number}: {exc}",
                    ) from None
        try:
            checker.finish()
        except ValueError as exc:
            raise _refuse(path, f"ประวัติรายงานไม่ครบ ({exc})", str(exc)) from None
    return manifest


def import_archive(path: Path, db_path: Path | str) -> dict[str, int]:
    """Load an archive into a new, empty database (a file or a server URL); rows per table.

    Everything is checked first (check_archive); a new file is built beside the target and
    moved into place only when complete, and a schema made for the import is taken away again
    if loading fails, so a refusal leaves the target exactly as it was."""
    path = Path(path)
    manifest = check_archive(path)
    unknown = [r for r in manifest["schema_revision"] if not migrate.is_known(r)]
    if unknown:
        raise _refuse(
            path,
            "ไฟล์นี้ส่งออกจากโปรแกรมรุ่นใหม่กว่า กรุณาติดตั้งโปรแกรมรุ่นใหม่ก่อน",
            f"written by a newer version of the app (schema {', '.join(unknown)})",
        )
    if isinstance(db_path, Path) and not db_path.exists():
        check_location(db_path)
        db_path.parent.mkdir(parents=True, exist_ok=True)
        building = db_path.with_name(db_path.name + ".importing")
        remove_sqlite_file(building)
        try:
            counts = _load(path, manifest, building, fresh=True)
            os.replace(building, db_path)
        finally:
            remove_sqlite_file(building)
        return counts
    if isinstance(db_path, Path):
        check_location(db_path)
    return _load(path, manifest, db_path, fresh=False)


def _load(
    path: Path, manifest: dict[str, Any], target: Path | str, *, fresh: bool
) -> dict[str, int]:
    db = Database(target)
    made_schema = False
    try:
        revisions = manifest["schema_revision"]
        current = migrate.current_revisions(db)
        if current:
            with db.reading() as session:
                filled = [
                    t.name for t in _tables() if session.scalar(select(func.count()).select_from(t))
                ]
            if filled:
                raise RefusedError(
                    f"ฐานข้อมูล {db.describe()} มีข้อมูลอยู่แล้ว ({', '.join(filled)}) "
                    "นำเข้าได้เฉพาะฐานข้อมูลว่าง",
                    f"{db.describe()} is not empty ({', '.join(filled)}); "
                    "import into a new database",
                    code="not_empty",
                )
            if set(current) != set(revisions):
                raise _refuse(
                    path,
                    "รุ่นโครงสร้างข้อมูลไม่ตรงกับฐานข้อมูลปลายทาง",
                    "the archive's schema differs from the target database's",
                )
        elif len(revisions) != 1:
            raise _refuse(path, "รุ่นโครงสร้างข้อมูลไม่ชัดเจน", "ambiguous schema revision")
        else:
            # Build the schema the archive was written with, load, then upgrade to this app's.
            made_schema = True
            migrate.upgrade(db, revisions[0])
        try:
            with db.engine.begin() as conn, _open_zip(path) as zf:
                for table in _tables():
                    meta = manifest["tables"].get(table.name)
                    if meta is None:
                        continue
                    batch: list[dict[str, Any]] = []
                    for _number, values in _rows(zf, path, table, meta):
                        batch.append(values)
                        if len(batch) >= BATCH:
                            conn.execute(insert(table), batch)
                            batch = []
                    if batch:
                        conn.execute(insert(table), batch)
                reset_sequences(conn)
        except SQLAlchemyError as exc:
            raise _refuse(
                path,
                "ข้อมูลในไฟล์ขัดกับกฎของฐานข้อมูล",
                f"the archive's data breaks a rule of the database ({exc.__class__.__name__}: "
                f"{str(getattr(exc, 'orig', exc)).splitlines()[0][:200]})",
            ) from exc
        if set(revisions) != set(migrate.app_heads()):
            migrate.upgrade(db)
    except BaseException:
        if made_schema and not fresh:
            drop_schema(db)
        raise
    finally:
        db.dispose()
    return {name: meta["rows"] for name, meta in manifest["tables"].items()}
