"""Schema versions: upgrade at start in one transaction; refuse a schema newer than the app.

Alembic is imported only when the schema is not already current: on an ordinary start the
stored version is compared with the heads read straight from the migration files, which saves
a noticeable part of the start-up time.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from rayong_desktop.db.engine import Database
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.paths import migrations_dir

if TYPE_CHECKING:
    from alembic.config import Config


class SchemaTooNewError(RefusedError):
    pass


_REVISION_RE = re.compile(r"^(down_revision|revision)\s*=\s*(.+)$", re.MULTILINE)


@cache
def _file_graph() -> tuple[frozenset[str], frozenset[str]]:
    """Every revision of the migration files and the heads of their graph, read from the
    version files without Alembic."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (migrations_dir() / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found: dict[str, str] = {m.group(1): m.group(2) for m in _REVISION_RE.finditer(source)}
        if "revision" not in found:
            continue
        revisions.add(found["revision"].strip().strip("'\""))
        down = found.get("down_revision", "None").strip()
        parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down))
    return frozenset(revisions), frozenset(revisions - parents)


def file_heads() -> frozenset[str]:
    """The heads of the migration graph, read from the version files without Alembic."""
    return _file_graph()[1]


def file_revisions() -> frozenset[str]:
    """Every revision this version of the app has a migration file for."""
    return _file_graph()[0]


def stored_revisions(db: Database) -> tuple[str, ...]:
    """What alembic_version holds (empty for a new database), read with plain SQL."""
    with db.read_engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return ()
        return tuple(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())


def is_current(db: Database) -> bool:
    return set(stored_revisions(db)) == set(file_heads())


@dataclass(frozen=True)
class MigrationResult:
    before: tuple[str, ...]
    after: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return self.before != self.after


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def is_known(revision: str) -> bool:
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False


def app_heads() -> tuple[str, ...]:
    from alembic.script import ScriptDirectory

    return tuple(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(db: Database) -> tuple[str, ...]:
    return stored_revisions(db)


def check_known(db: Database, revisions: tuple[str, ...]) -> None:
    """SchemaTooNewError (changing nothing) when the database holds a schema revision this
    version of the app has no migration file for: a newer app made it."""
    known = file_revisions()
    for rev in revisions:
        if rev not in known:
            raise SchemaTooNewError(
                f"ฐานข้อมูล {db.describe()} ใช้โครงสร้างรุ่น {rev} ซึ่งใหม่กว่าโปรแกรมนี้ "
                "กรุณาติดตั้งโปรแกรมรุ่นใหม่ก่อนเปิดไฟล์นี้ (ไม่มีการแก้ไขข้อมูลใด ๆ)",
                f"database {db.describe()} has schema version {rev}, newer than this app knows "
                f"(up to {', '.join(sorted(file_heads()))}); install a newer version of the app. "
                "Nothing was changed.",
                code="schema_too_new",
            )


def needs_upgrade(db: Database) -> bool:
    """True when the schema is behind the app (a newer one is refused by upgrade())."""
    if is_current(db):
        return False
    before = current_revisions(db)
    check_known(db, before)
    return set(before) != set(file_heads())


def upgrade(db: Database, target: str = "head") -> MigrationResult:
    """Bring the schema to `target` in one transaction: all steps land, or none."""
    if target == "head" and is_current(db):
        current = stored_revisions(db)
        return MigrationResult(current, current)
    from alembic import command
    from alembic.script import ScriptDirectory

    cfg = alembic_config()
    script = ScriptDirectory.from_config(cfg)
    before = current_revisions(db)
    check_known(db, before)
    if target == "head" and set(before) == set(script.get_heads()):
        return MigrationResult(before, before)
    with db.engine.begin() as conn:
        if db.is_sqlite:
            # Batch migrations rebuild tables; constraints are checked at commit, not per step.
            conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)
        if db.is_sqlite:
            problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise RuntimeError(f"migration left broken references: {problems[:5]}")
    after = current_revisions(db)
    logging.getLogger(__name__).info("migrated %s from %s to %s", db.describe(), before, after)
    return MigrationResult(before, after)
