"""`make bench`: run every benchmark in this folder and write their figures to bench/RESULTS.md."""

from __future__ import annotations

import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).parent


def main() -> int:
    # Modules named _*.py are what the benchmarks share (the stack, the baseline), not benchmarks.
    scripts = sorted(
        path
        for path in HERE.glob("*.py")
        if path.name != Path(__file__).name and not path.name.startswith("_")
    )
    sections = [
        "# Benchmark results",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, {platform.python_version()}, "
        f"{platform.system()} ({_cores()} cores). Reproduce with `make bench`.",
    ]
    failed = 0
    for script in scripts:
        print(f"== {script.name}", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - started
        print(result.stdout, flush=True)
        if result.returncode != 0:
            failed += 1
            print(result.stderr[-4000:], file=sys.stderr, flush=True)
        status = "" if result.returncode == 0 else f" — FAILED (exit {result.returncode})"
        sections += [
            "",
            f"## {script.stem}{status}",
            "",
            f"({elapsed:.0f} s)",
            "",
            "```",
            result.stdout.strip(),
            "```",
        ]
    (HERE / "RESULTS.md").write_text("\n".join(sections) + "\n")
    print(f"wrote {HERE / 'RESULTS.md'}")
    return 1 if failed else 0


def _cores() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    raise SystemExit(main())
