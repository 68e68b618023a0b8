"""Child process for the concurrent-corrections test: one clerk correcting at the command line.

python concurrent_cli.py GO_FILE CLERK COUNT... -- GLOBAL_OPTIONS: prints "ready", waits until
GO_FILE exists (so all children start together), then for each COUNT runs
`report R01 COUNT --week 2020-W21 --reason ... --json` through the command line's main() and
prints one JSON line: {"code": exit code, "out": stdout, "err": stderr}.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import time
from pathlib import Path

from rayong_desktop.cli import main as cli_main


def main() -> None:
    split = sys.argv.index("--")
    go, clerk, *counts = sys.argv[1:split]
    where = sys.argv[split + 1 :]
    print("ready", flush=True)
    while not Path(go).exists():
        time.sleep(0.005)
    options = ["--week", "2020-W21", "--reason", f"{clerk} rechecked", "--json"]
    for count in counts:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli_main([*where, "--clerk", clerk, "report", "R01", count, *options])
        print(json.dumps({"code": code, "out": out.getvalue(), "err": err.getvalue()}), flush=True)


if __name__ == "__main__":
    main()
