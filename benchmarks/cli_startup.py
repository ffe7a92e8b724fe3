"""CPU time of `outrider --help` against Python doing nothing and Python importing Typer, in the same run.

Issue 21 asks for `outrider --help` under 1 s of CPU: the root lists its commands without importing
them. Each program runs in a fresh process; its CPU time (user + system, from the children's rusage) is
the median of the runs. Usage:
    python benchmarks/cli_startup.py [--quick] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path


def cpu_seconds(argv: list[str], runs: int) -> float:
    """The median CPU time (user + system) of running ``argv`` ``runs`` times, each in a fresh process."""
    times = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 runs each")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs
    script = Path(sys.executable).with_name("outrider")
    outrider = [str(script)] if script.exists() else [sys.executable, "-m", "outrider"]
    os.environ.setdefault("COLUMNS", "100")
    programs = {
        "outrider --help": [*outrider, "--help"],
        "outrider risk --help": [*outrider, "risk", "--help"],
        "python -c pass (peer)": [sys.executable, "-c", "pass"],
        "python -c 'import typer' (peer)": [sys.executable, "-c", "import typer, typer.core"],
    }
    measured = {name: cpu_seconds(argv, runs) for name, argv in programs.items()}
    bare, typer_only = measured["python -c pass (peer)"], measured["python -c 'import typer' (peer)"]
    print(f"median CPU seconds over {runs} runs each (fresh processes)")
    for name, seconds in measured.items():
        print(
            f"  {name:34} {seconds:6.3f} s   x{seconds / max(bare, 1e-3):6.1f} bare python   "
            f"x{seconds / max(typer_only, 1e-3):5.1f} python importing typer"
        )
    root = measured["outrider --help"]
    ratio = root / max(bare, 1e-3)
    print(f"outrider --help: {root:.3f} s of CPU (aim: under 1 s), {ratio:.1f}x `python -c pass`")


if __name__ == "__main__":
    main()
