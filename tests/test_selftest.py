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
    total = len(selftest.CHECKS) + 1  # the command passes the Qt check in
    assert len(lines) == total + 1
    assert all(line.startswith("PASS  ") for line in lines[:-1])
    assert lines[-2].startswith(f"PASS  {selftest.QT_CHECK}: ")
    assert lines[-1] == f"{total} of {total} checks passed"


def test_a_failing_check_fails_the_selftest(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_tmp: Path) -> str:
        raise RuntimeError("font missing")

    monkeypatch.setattr(selftest, "CHECKS", [("ok", lambda _t: "fine"), ("broken", broken)])
    out: list[str] = []
    assert selftest.run(out.append) == 1
    assert out[0].startswith("PASS  ok") and out[1].startswith("FAIL  broken: RuntimeError")


def test_the_qt_check_is_the_one_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selftest, "CHECKS", [("ok", lambda _t: "fine")])

    def no_qt() -> str:
        raise ImportError("no Qt here")

    out: list[str] = []
    assert selftest.run(out.append, qt_check=no_qt) == 1
    assert out[1].startswith(f"FAIL  {selftest.QT_CHECK}: ImportError: no Qt here")
    out.clear()
    assert selftest.run(out.append, qt_check=lambda: "drawn") == 0
    assert out[1].startswith(f"PASS  {selftest.QT_CHECK}: drawn")
    assert out[-1] == "2 of 2 checks passed"


def test_network_use_during_the_selftest_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    def phones_home(_tmp: Path) -> str:
        socket.create_connection(("example.com", 80), timeout=1)
        return "connected"

    monkeypatch.setattr(selftest, "CHECKS", [("phones home", phones_home)])
    out: list[str] = []
    assert selftest.run(out.append) == 1
    assert "NetworkUsedError" in out[0]
