"""Hostile archives: each is refused in one clear message and leaves the target as it was.

Most cases change a member of a real export and then fix up its checksum and row count in the
manifest, so the row checks are what must catch them (the checksum no longer does).
"""

from __future__ import annotations

import hashlib
import json
import tracemalloc
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rayong_desktop.domain.errors import RefusedError
from rayong_desktop.services import archive
from rayong_desktop.services.reports import record_report
from rayong_desktop.services.startup import open_database
from tests.helpers import dump

pytestmark = pytest.mark.sqlite_only

Rows = list[dict[str, Any]]


@pytest.fixture(autouse=True)
def _campaign_over(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAYONG_NOW", "2020-06-10 10:00")


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("archive")
    mp = pytest.MonkeyPatch()
    mp.setenv("RAYONG_NOW", "2020-06-10 10:00")
    mp.setenv("RAYONG_HOME", str(folder / "home"))
    try:
        db = open_database(folder / "source.sqlite3")
        record_report(db, unit_code="R01", week=date(2020, 5, 18), count=100)
        record_report(db, unit_code="R01", week=date(2020, 5, 25), count=150)
        record_report(
            db, unit_code="R01", week=date(2020, 5, 25), count=160, reason="re-read", confirm=True
        )
        out = folder / "good.zip"
        archive.export_archive(db, out)
        db.dispose()
    finally:
        mp.undo()
    return out


def rebuild(
    src: Path,
    dst: Path,
    member: str,
    change: Callable[[Rows], Rows] | None = None,
    *,
    raw: bytes | None = None,
    fix: bool = True,
    drop: bool = False,
) -> Path:
    """A copy of `src` with one member changed (its rows, or raw bytes), the manifest fixed up."""
    with zipfile.ZipFile(src) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members["manifest.json"])
    name = member.removesuffix(".jsonl")
    if drop:
        del members[member]
    elif raw is not None:
        members[member] = raw
    elif change is not None:
        rows = [json.loads(line) for line in members[member].decode().splitlines()]
        members[member] = b"".join(
            json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in change(rows)
        )
    if fix and not drop and member != "manifest.json":
        data = members[member]
        manifest["tables"][name] = {
            "rows": data.count(b"\n"),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for n, data in members.items():
            out.writestr(n, data)
    return dst


def setrow(table_rows: Rows, index: int, **values: Any) -> Rows:
    table_rows[index] = {**table_rows[index], **values}
    return table_rows


def without(key: str) -> Callable[[Rows], Rows]:
    return lambda rows: [{k: v for k, v in rows[0].items() if k != key}, *rows[1:]]


def manifest_as(value: Any) -> Callable[[Path, Path], Path]:
    return lambda src, dst: rebuild(src, dst, "manifest.json", raw=json.dumps(value).encode())


def corrupt_deflate(src: Path, dst: Path) -> Path:
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo("audit_log.jsonl")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 5, start + min(info.compress_size, 60)):
        data[i] ^= 0x5A
    dst.write_bytes(bytes(data))
    return dst


def rows_of(member: str, change: Callable[[Rows], Rows]) -> Callable[[Path, Path], Path]:
    return lambda src, dst: rebuild(src, dst, member, change)


def raw_member(member: str, data: bytes, fix: bool = True) -> Callable[[Path, Path], Path]:
    return lambda src, dst: rebuild(src, dst, member, raw=data, fix=fix)


def not_a_zip(src: Path, dst: Path) -> Path:
    dst.write_bytes(b"PK\x03\x04 not really")
    return dst


def without_member(member: str) -> Callable[[Path, Path], Path]:
    return lambda src, dst: rebuild(src, dst, member, drop=True)


def manifest_edit(edit: Callable[[dict[str, Any]], None]) -> Callable[[Path, Path], Path]:
    def build(src: Path, dst: Path) -> Path:
        with zipfile.ZipFile(src) as zf:
            m = json.loads(zf.read("manifest.json"))
        edit(m)
        return rebuild(src, dst, "manifest.json", raw=json.dumps(m).encode())

    return build


# (case, how the archive is made, a substring of the English refusal)
CASES: list[tuple[str, Callable[[Path, Path], Path], str]] = [
    ("count as text", rows_of("weekly_report.jsonl", lambda r: setrow(r, 0, count="abc")), "count"),
    (
        "count fractional",
        rows_of("weekly_report.jsonl", lambda r: setrow(r, 0, count=12.75)),
        "whole number",
    ),
    ("count negative", rows_of("weekly_report.jsonl", lambda r: setrow(r, 0, count=-5)), "outside"),
    (
        "count beyond int64",
        rows_of("weekly_report.jsonl", lambda r: setrow(r, 0, count=2**63)),
        "outside",
    ),
    ("quota as bool", rows_of("unit.jsonl", lambda r: setrow(r, 0, quota=True)), "whole number"),
    (
        "week not a Monday",
        rows_of("weekly_report.jsonl", lambda r: setrow(r, 0, week="2020-05-20")),
        "not a Monday",
    ),
    (
        "week after the campaign",
        rows_of("weekly_report.jsonl", lambda r: setrow(r, 0, week="2021-01-04")),
        "outside the campaign",
    ),
    (
        "week before the campaign",
        rows_of("weekly_report.jsonl", lambda r: setrow(r, 0, week="2019-01-07")),
        "outside the campaign",
    ),
    (
        "week not a date",
        rows_of("weekly_report.jsonl", lambda r: setrow(r, 0, week="soon")),
        "week",
    ),
    (
        "version 3 with one revision",
        rows_of("weekly_report.jsonl", lambda r: setrow(r, 0, version=3)),
        "history holds",
    ),
    (
        "revision of no report",
        rows_of("report_revision.jsonl", lambda r: [*r, {**r[0], "id": 99, "report_id": 77}]),
        "not a weekly_report",
    ),
    (
        "report count differs from its last revision",
        rows_of("weekly_report.jsonl", lambda r: setrow(r, 0, count=99)),
        "in the history has",
    ),
    (
        "received without a zone",
        rows_of("weekly_report.jsonl", lambda r: setrow(r, 0, received_at="2020-05-20T10:00:00")),
        "no time zone",
    ),
    (
        "unit of no plan row",
        rows_of("unit.jsonl", lambda r: setrow(r, 0, plan_row_id=9999)),
        "not a plan_row",
    ),
    (
        "report of no unit",
        rows_of("weekly_report.jsonl", lambda r: setrow(r, 0, unit_id=9999)),
        "not a unit",
    ),
    (
        "duplicate unit code",
        rows_of("unit.jsonl", lambda r: setrow(r, 1, code=r[0]["code"])),
        "duplicate code",
    ),
    ("duplicate id", rows_of("unit.jsonl", lambda r: setrow(r, 1, id=r[0]["id"])), "duplicate id"),
    (
        "duplicate unit-week",
        rows_of("weekly_report.jsonl", lambda r: setrow(r, 1, week=r[0]["week"])),
        "duplicate unit_id, week",
    ),
    ("name NULL", rows_of("unit.jsonl", lambda r: setrow(r, 0, name=None)), "NOT NULL"),
    ("name missing", rows_of("unit.jsonl", without("name")), "missing"),
    ("name a number", rows_of("unit.jsonl", lambda r: setrow(r, 0, name=5)), "not text"),
    ("name with NUL", rows_of("unit.jsonl", lambda r: setrow(r, 0, name="a\x00b")), "NUL"),
    ("code too long", rows_of("unit.jsonl", lambda r: setrow(r, 0, code="X" * 500)), "longer than"),
    (
        "unknown column",
        rows_of("unit.jsonl", lambda r: setrow(r, 0, colour="red")),
        "unknown column",
    ),
    ("active as text", rows_of("unit.jsonl", lambda r: setrow(r, 0, active="yes")), "true/false"),
    (
        "unknown channel",
        rows_of("weekly_report.jsonl", lambda r: setrow(r, 0, channel="pigeon")),
        "channel",
    ),
    ("weekday 9", rows_of("schedule.jsonl", lambda r: setrow(r, 0, weekday=9)), "outside 0..6"),
    (
        "setting not JSON",
        rows_of("setting.jsonl", lambda r: [*r, {"key": "campaign_months", "value": "{{"}]),
        "campaign_months",
    ),
    (
        "setting of the wrong type",
        rows_of("setting.jsonl", lambda r: [*r, {"key": "count_ceiling", "value": '"many"'}]),
        "count_ceiling",
    ),
    ("row a list", rows_of("unit.jsonl", lambda r: [[1, 2], *r[1:]]), "not a JSON object"),  # type: ignore[list-item]
    ("bad UTF-8", raw_member("unit.jsonl", b'{"id": 1, "name": "\xff\xfe"}\n'), "not UTF-8"),
    ("bad JSON", raw_member("unit.jsonl", b'{"id": 1, \n'), "row 1"),
    ("blank line", raw_member("unit.jsonl", b"\n"), "more lines"),
    ("partial last line", raw_member("unit.jsonl", b'{"id": 1}', fix=False), "unit"),
    ("checksum wrong", raw_member("unit.jsonl", b"{}\n", fix=False), "unit"),
    ("member missing", without_member("unit.jsonl"), "unit.jsonl is missing"),
    ("manifest missing", without_member("manifest.json"), "manifest.json is missing"),
    ("manifest a list", manifest_as([1, 2]), "not an object"),
    ("manifest without tables", manifest_edit(lambda m: m.pop("tables")), "lacks"),
    (
        "manifest rows as text",
        manifest_edit(lambda m: m["tables"]["unit"].update(rows="9")),
        "lacks",
    ),
    ("manifest no revision", manifest_edit(lambda m: m.update(schema_revision=[])), "lacks"),
    (
        "manifest unknown table",
        manifest_edit(lambda m: m["tables"].update(x={"rows": 0, "sha256": "0" * 64})),
        "unknown table",
    ),
    ("manifest bad JSON", raw_member("manifest.json", b"{not json"), "not JSON"),
    ("manifest bad UTF-8", raw_member("manifest.json", b'{"a": "\xff"}'), "not JSON"),
    ("manifest other format", manifest_edit(lambda m: m.update(format="zip")), "unsupported"),
    (
        "newer schema",
        manifest_edit(lambda m: m.update(schema_revision=["9999_future"])),
        "newer version",
    ),
    ("corrupted deflate", corrupt_deflate, "audit_log.jsonl is damaged"),
    ("not a zip", not_a_zip, "not a desk archive"),
]


@pytest.mark.parametrize(("case", "make", "message"), CASES, ids=[c[0] for c in CASES])
def test_a_hostile_archive_is_refused_and_no_database_is_left(
    good: Path, tmp_path: Path, case: str, make: Callable[[Path, Path], Path], message: str
) -> None:
    bad = make(good, tmp_path / "bad.zip")
    target = tmp_path / "new.sqlite3"
    with pytest.raises(RefusedError) as info:
        archive.import_archive(bad, target)
    assert info.value.code == "bad_archive", info.value.en
    assert message in info.value.en, info.value.en
    assert "\n" not in info.value.en
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.zip"]  # no file, no schema


def test_a_refused_archive_leaves_an_existing_empty_database_as_it_was(
    good: Path, tmp_path: Path
) -> None:
    target = tmp_path / "empty.sqlite3"
    db = open_database(target, seed=False)
    db.dispose()
    before = dump(target)
    bad = rebuild(good, tmp_path / "bad.zip", "unit.jsonl", lambda r: setrow(r, 0, quota=-1))
    with pytest.raises(RefusedError):
        archive.import_archive(bad, target)
    assert dump(target) == before
    assert archive.import_archive(good, target)["weekly_report"] == 2


def test_the_good_archive_still_imports(good: Path, tmp_path: Path) -> None:
    counts = archive.import_archive(good, tmp_path / "new.sqlite3")
    assert counts["weekly_report"] == 2 and counts["report_revision"] == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.sqlite3"]


def test_a_member_of_newlines_is_refused_without_reading_it_into_memory(
    good: Path, tmp_path: Path
) -> None:
    # 200 MB of newlines compress to about 200 kB; the reader must stop at the first bad line.
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(good) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members["manifest.json"])
    manifest["tables"]["audit_log"] = {"rows": 10**9, "sha256": "0" * 64}
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for n, data in members.items():
            if n != "audit_log.jsonl":
                out.writestr(n, data)
        with out.open("audit_log.jsonl", "w") as fh:
            block = b"\n" * (1024 * 1024)
            for _ in range(200):
                fh.write(block)
    tracemalloc.start()
    try:
        with pytest.raises(RefusedError, match="audit_log"):
            archive.import_archive(bomb, tmp_path / "new.sqlite3")
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024 * 1024, peak
    assert not (tmp_path / "new.sqlite3").exists()


def test_one_endless_line_is_refused_at_the_line_cap(good: Path, tmp_path: Path) -> None:
    long_line = tmp_path / "long.zip"
    rebuild(good, long_line, "audit_log.jsonl", raw=b"x" * (3 * archive.MAX_LINE_BYTES))
    with pytest.raises(RefusedError, match="line too long"):
        archive.import_archive(long_line, tmp_path / "new.sqlite3")
