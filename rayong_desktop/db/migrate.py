"""Schema versions: upgrade at start in one transaction; refuse a schema newer than the app."""

from __future__ import annotations

from dataclasses import dataclass

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError

from rayong_desktop.db.engine import Database
from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.paths import migrations_dir


class SchemaTooNewError(RefusedError):
    pass


@dataclass(frozen=True)
class MigrationResult:
    before: tuple[str, ...]
    after: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return self.before != self.after


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def is_known(revision: str) -> bool:
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False


def app_heads() -> tuple[str, ...]:
    return tuple(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(db: Database) -> tuple[str, ...]:
    with db.read_engine.connect() as conn:
        return tuple(MigrationContext.configure(conn).get_current_heads())


def _check_known(script: ScriptDirectory, revisions: tuple[str, ...], db: Database) -> None:
    for rev in revisions:
        try:
            known = script.get_revision(rev) is not None
        except CommandError:
            known = False
        if not known:
            raise SchemaTooNewError(
                f"ฐานข้อมูล {db.describe()} ใช้โครงสร้างรุ่น {rev} ซึ่งใหม่กว่าโปรแกรมนี้ "
                "กรุณาติดตั้งโปรแกรมรุ่นใหม่ก่อนเปิดไฟล์นี้ (ไม่มีการแก้ไขข้อมูลใด ๆ)",
                f"database {db.describe()} has schema version {rev}, newer than this app knows "
                f"(up to {', '.join(script.get_heads())}); install a newer version of the app. "
                "Nothing was changed.",
                code="schema_too_new",
            )


def needs_upgrade(db: Database) -> bool:
    """True when the schema is behind the app (a newer one is refused by upgrade())."""
    script = ScriptDirectory.from_config(alembic_config())
    before = current_revisions(db)
    _check_known(script, before, db)
    return set(before) != set(script.get_heads())


def upgrade(db: Database, target: str = "head") -> MigrationResult:
    """Bring the schema to `target` in one transaction: all steps land, or none."""
    cfg = alembic_config()
    script = ScriptDirectory.from_config(cfg)
    before = current_revisions(db)
    _check_known(script, before, db)
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
    return MigrationResult(before, current_revisions(db))
