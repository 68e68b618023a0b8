from __future__ import annotations

import socket
from pathlib import Path

import pytest

from rayong_desktop import selftest
from tests.helpers import run_cli_subprocess

pytestmark = pytest.mark.sqlite_only  # it builds its own temporary database


def test_selftest_passes_every_check_one_line_each() -> None:
    result = run_cli_subprocess(["selftest"], env={"QT_QPA_PLATFORM": "offscreen"}, timeout=180)
    lines = result.out.strip().splitlines()
    assert result.code == 0, result.out + result.err
    assert len(lines) == len(selftest.CHECKS) + 1
    assert all(line.startswith("PASS  ") for line in lines[:-1])
    assert lines[-1] == f"{len(selftest.CHECKS)} of {len(selftest.CHECKS)} checks passed"


def test_a_failing_check_fails_the_selftest(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_tmp: Path) -> str:
        raise RuntimeError("font missing")

    monkeypatch.setattr(selftest, "CHECKS", [("ok", lambda _t: "fine"), ("broken", broken)])
    out: list[str] = []
    assert selftest.run(out.append) == 1
    assert out[0].startswith("PASS  ok") and out[1].startswith("FAIL  broken: RuntimeError")


def test_network_use_during_the_selftest_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def phones_home(_tmp: Path) -> str:
        socket.create_connection(("example.com", 80), timeout=1)
        return "connected"

    monkeypatch.setattr(selftest, "CHECKS", [("phones home", phones_home)])
    out: list[str] = []
    assert selftest.run(out.append) == 1
    assert "NetworkUsedError" in out[0]
