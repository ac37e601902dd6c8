"""How fast ``cvt`` answers before it does any work: ``python -m bench.cli``.

Runs ``cvt --help`` and a mistyped command (a missing option) as real processes, several times
each, and prints the fastest and the median wall time, and the median processor time (which
other work on a busy machine does not inflate). Prints figures; never fails.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

CVT = str(Path(sys.executable).parent / "cvt")
RUNS = {"cvt --help": ["--help"], "cvt report quarterly (no --meeting)": ["report", "quarterly"]}


def timed(args: list[str]) -> tuple[float, float]:
    """Wall time and processor time (user + system) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run([CVT, *args], capture_output=True, check=False)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    for label, argv in RUNS.items():
        runs = [timed(argv) for _ in range(args.runs)]
        wall = sorted(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(
            f"{label}: wall fastest {wall[0]:.2f} s, median {statistics.median(wall):.2f} s; "
            f"processor median {cpu:.2f} s ({args.runs} runs)"
        )


if __name__ == "__main__":
    main()
