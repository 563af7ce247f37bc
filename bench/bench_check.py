"""Benchmark: `yusuan check` on the example and on synthetic departments up to 100,000 lines.

Prints figures; asserts nothing. Goals: issue #4, 100,000 lines checked in under 2 seconds; the
whole `yusuan check` of a 100,000-line folder (start-up, load, check) in under 3 seconds.

For each size it prints the whole process (`yusuan check DIR`: wall clock and CPU of the child),
the parts in-process (building the tables and forms the rules look at, then the rules), and the
slowest rules. The machine may be shared: CPU time is the figure to compare; the wall clock is
printed with the load average. ``--all-rules`` prints every rule's time, ``--sizes 1000,10000``
picks the sizes, ``--runs N`` the number of runs (best of N), ``--no-bytecode-cache`` runs the
child processes without Python's bytecode cache (as a shell with PYTHONDONTWRITEBYTECODE=1 does).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import EXAMPLE, Timing, best_of
from synthetic import synthetic_dataset

from yusuan.dataset import load_dataset, save_dataset
from yusuan.model.records import Dataset
from yusuan.rules import check_dataset, load_rules, run_rules, subject_of_dataset
from yusuan.rules.engine import Report

YUSUAN = str(Path(sys.executable).parent / "yusuan")
PROJECTS = {1_000: 100, 10_000: 300, 100_000: 1_000}


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} {five:.1f} {fifteen:.1f}"


# The child processes run as an installed yusuan does: with Python's bytecode cache (kept in a
# temporary folder, not in the source tree). A shell with PYTHONDONTWRITEBYTECODE=1 would compile
# every module of yusuan on every run instead (``--no-bytecode-cache`` measures that).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _child(command: list[str]) -> float:
    """Run a process; the CPU seconds (user + system) it used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, capture_output=True, check=False, env=CHILD_ENV)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def _whole_process(folder: Path, runs: int) -> Timing[float]:
    """`yusuan check DIR` as a user runs it: best wall clock, best child CPU of ``runs`` runs."""
    wall, cpu = float("inf"), float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        used = _child([YUSUAN, "check", str(folder)])
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, used)
    return Timing(wall, cpu, cpu)


def _ms(timing: Timing[Any]) -> str:
    return f"{timing.wall * 1000:8.1f} ms wall, {timing.cpu * 1000:8.1f} ms CPU"


def _rule_times(report: Report, count: int | None) -> str:
    runs = sorted(report.runs, key=lambda r: r.seconds, reverse=True)
    shown = runs if count is None else runs[:count]
    return ", ".join(f"{r.rule.id} {r.seconds * 1000:.0f}" for r in shown)


def _parts(dataset: Dataset, runs: int) -> tuple[Timing[None], Timing[Report]]:
    """The best times of building a fresh subject and of running the rules over it (a fresh one
    each run: what the rules compute once per subject is not reused across runs)."""
    subject = Timing(float("inf"), float("inf"), None)
    rules: Timing[Report] | None = None
    for _ in range(runs):
        built = best_of(1, lambda: subject_of_dataset(dataset))
        run = best_of(1, lambda built=built: run_rules(built.result))  # type: ignore[misc]
        subject = Timing(min(subject.wall, built.wall), min(subject.cpu, built.cpu), None)
        if rules is None or run.cpu < rules.cpu:
            rules = Timing(min(run.wall, rules.wall if rules else run.wall), run.cpu, run.result)
    assert rules is not None
    return subject, rules


def _figures(name: str, dataset: Dataset, folder: Path, runs: int, all_rules: bool) -> None:
    whole = _whole_process(folder, runs)
    load = best_of(runs, lambda: load_dataset(folder))
    subject, rules = _parts(dataset, runs)
    check = best_of(runs, lambda: check_dataset(dataset))
    print(f"  {name}  ({_load()})")
    print(f"    `yusuan check DIR`, whole process: {_ms(whole)}")
    print(f"    load (read + parse + cross-check): {_ms(load)}")
    print(f"    check_dataset in-process:          {_ms(check)}")
    print(f"      of which tables, forms, facts:   {_ms(subject)}")
    print(f"      of which the rules:              {_ms(rules)}")
    label = "every rule" if all_rules else "slowest rules"
    print(f"    {label} (ms): {_rule_times(rules.result, None if all_rules else 8)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--all-rules", action="store_true")
    parser.add_argument("--no-bytecode-cache", action="store_true")
    args = parser.parse_args()
    cache = tempfile.TemporaryDirectory()
    if args.no_bytecode_cache:
        CHILD_ENV["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        CHILD_ENV["PYTHONPYCACHEPREFIX"] = cache.name
        _child([YUSUAN, "check", str(EXAMPLE)])  # fills the cache once
    sizes = [int(s) for s in args.sizes.split(",") if s]
    rules = load_rules()
    cached = "without" if args.no_bytecode_cache else "with"
    print(
        f"yusuan check benchmark ({len(rules)} rules; best of {args.runs} runs; child processes "
        f"{cached} Python's bytecode cache)"
    )
    startup = Timing(float("inf"), float("inf"), 0.0)
    for _ in range(args.runs):
        start = time.perf_counter()
        used = _child([YUSUAN, "--version"])
        startup = Timing(min(startup.wall, time.perf_counter() - start), min(startup.cpu, used), 0)
    print(f"  start-up (`yusuan --version`):        {_ms(startup)}")
    _figures("examples/linfen-2021", load_dataset(EXAMPLE), EXAMPLE, args.runs, args.all_rules)
    with tempfile.TemporaryDirectory() as tmp:
        for lines in sizes:
            projects = PROJECTS.get(lines, max(1, lines // 100))
            dataset = synthetic_dataset(lines, projects)
            folder = Path(tmp) / f"ds-{lines}"
            save_dataset(dataset, folder)
            name = f"synthetic {lines:,} lines / {projects:,} projects"
            _figures(name, dataset, folder, args.runs, args.all_rules)
    cache.cleanup()


if __name__ == "__main__":
    main()
