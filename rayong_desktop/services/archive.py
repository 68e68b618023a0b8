"""Everything out to one archive file, and back into an empty database: no lock-in.

The archive is a zip of JSON Lines, one file per table (all columns, every row, corrections and
the audit log included), plus manifest.json with the schema version, row counts and a SHA-256 of
each member. Importing checks all of it before the one write transaction opens.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Date, LargeBinary, Time, func, insert, select
from sqlalchemy.sql.schema import Table

from rayong_desktop import __version__
from rayong_desktop.db import migrate
from rayong_desktop.db.engine import Database
from rayong_desktop.db.ids import reset_sequences
from rayong_desktop.db.models import Base, UTCDateTime
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.files import atomic_write
from rayong_desktop.services.common import now_utc
from rayong_desktop.services.startup import check_location

FORMAT = "rayong-desk-archive"
FORMAT_VERSION = 1
MAX_MEMBER_BYTES = 2 * 1024**3


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
    out.parent.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {}
    atomic_write(out, lambda tmp: manifest.update(_write_archive(db, tmp)))
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


def _decode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for column in table.columns:
        if column.name not in row:
            continue
        v = row[column.name]
        if v is not None:
            if isinstance(column.type, UTCDateTime):
                v = datetime.fromisoformat(v)
            elif isinstance(column.type, Date):
                v = date.fromisoformat(v)
            elif isinstance(column.type, Time):
                v = time.fromisoformat(v)
            elif isinstance(column.type, Boolean):
                v = bool(v)
            elif isinstance(column.type, LargeBinary):
                v = _decode_bytes(v)
        values[column.name] = v
    return values


def read_archive(path: Path) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """Parse and verify an archive completely (checksums, counts, known tables)."""
    path = Path(path)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse(path, "ไม่ใช่ไฟล์ส่งออกของโปรแกรม", f"not a desk archive ({exc})") from exc
    with zf:
        try:
            manifest = json.loads(zf.read("manifest.json"))
        except (KeyError, ValueError) as exc:
            raise _refuse(path, "ไม่มีสารบัญ (manifest)", "no readable manifest.json") from exc
        if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
            raise _refuse(path, "รูปแบบไฟล์ไม่รองรับ", "unsupported archive format")
        known = {t.name: t for t in _tables()}
        rows: dict[str, list[dict[str, Any]]] = {}
        for name, meta in manifest["tables"].items():
            if name not in known:
                raise _refuse(path, f"มีตาราง {name} ที่ไม่รู้จัก", f"unknown table {name}")
            info = zf.getinfo(f"{name}.jsonl")
            if info.file_size > MAX_MEMBER_BYTES:
                raise _refuse(path, f"ตาราง {name} ใหญ่เกินไป", f"table {name} is too large")
            data = zf.read(info)
            if hashlib.sha256(data).hexdigest() != meta["sha256"]:
                raise _refuse(
                    path,
                    f"ข้อมูลตาราง {name} ไม่ตรงกับสารบัญ (ไฟล์เสียหาย)",
                    f"table {name} does not match its checksum (damaged file)",
                )
            lines = [json.loads(line) for line in data.decode("utf-8").splitlines() if line]
            if len(lines) != meta["rows"]:
                raise _refuse(path, f"จำนวนแถวตาราง {name} ไม่ตรง", f"row count of {name} differs")
            rows[name] = [_decode(known[name], r) for r in lines]
    return manifest, rows


def import_archive(path: Path, db_path: Path | str) -> dict[str, int]:
    """Load an archive into a new, empty database (a file or a server URL); rows per table."""
    manifest, rows = read_archive(path)
    unknown = [r for r in manifest["schema_revision"] if not migrate.is_known(r)]
    if unknown:
        raise _refuse(
            path,
            "ไฟล์นี้ส่งออกจากโปรแกรมรุ่นใหม่กว่า กรุณาติดตั้งโปรแกรมรุ่นใหม่ก่อน",
            f"written by a newer version of the app (schema {', '.join(unknown)})",
        )
    if isinstance(db_path, Path):
        check_location(db_path)
        db_path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(db_path)
    try:
        revisions = manifest["schema_revision"]
        script_heads = migrate.app_heads()
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
        elif len(revisions) != 1:
            raise _refuse(path, "รุ่นโครงสร้างข้อมูลไม่ชัดเจน", "ambiguous schema revision")
        if not current:
            # Build the schema the archive was written with, load, then upgrade to this app's.
            migrate.upgrade(db, revisions[0])
        elif set(current) != set(revisions):
            raise _refuse(
                path,
                "รุ่นโครงสร้างข้อมูลไม่ตรงกับฐานข้อมูลปลายทาง",
                "the archive's schema differs from the target database's",
            )
        with db.engine.begin() as conn:
            for table in _tables():
                batch = rows.get(table.name, [])
                if batch:
                    conn.execute(insert(table), batch)
            reset_sequences(conn)
        if set(revisions) != set(script_heads):
            migrate.upgrade(db)
    finally:
        db.dispose()
    return {name: len(r) for name, r in rows.items()}
