"""Bench: every command under injected faults — what a full disk, a read-only folder, an I/O
error, ``MemoryError`` or ``ValueError`` at each low-level call does to ``yusuan``.

For each command (``tests/faultkit.py``: tables, check, build, convert to a workbook and to a
folder, audit -o, audit --export-dataset, rules, catalog, init, and the full build with the
PDF), a run without faults counts its low-level calls per point (open to read, open to write,
write, mkdir, replace, os.open); then, for every fault and every point, the call at
``--positions`` places spread over that count (first, last and between) fails. Each run is
judged as the suite judges it: exit status, a traceback, a hang (over ``--timeout`` seconds),
stray files beside the output, a partial output (a listing unlike the run without faults), a
changed input.

    .venv/bin/python bench/bench_faults.py [--positions N] [--timeout S] [--only NAME ...]

Prints the counts; asserts nothing (the suite's ``tests/test_reliability_cli.py`` does).
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from faultkit import (
    CASES,
    FAULTS,
    FULL_BUILD,
    POINTS,
    Case,
    Injector,
    Outcome,
    clear_outputs,
    prepare,
    run_case,
)


class Hang(Exception):
    pass


def positions(count: int, wanted: int) -> list[int]:
    """``wanted`` call numbers spread over 1..count (first and last included)."""
    if count <= wanted:
        return list(range(1, count + 1))
    step = (count - 1) / (wanted - 1)
    return sorted({1 + round(i * step) for i in range(wanted)})


def run_with_timeout(
    case: Case, work: Path, injector: Injector, reference: list[str] | None, seconds: int
) -> Outcome | None:
    def expire(signum: int, frame: object) -> None:
        raise Hang

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        return run_case(case, work, injector, reference=reference)
    except Hang:
        return None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--positions", type=int, default=4, help="calls per point (default 4)")
    parser.add_argument("--timeout", type=int, default=120, help="seconds before a hang")
    parser.add_argument("--only", nargs="*", help="only these commands (names as printed)")
    args = parser.parse_args()

    cases = [c for c in (*CASES, FULL_BUILD) if not args.only or c.name in args.only]
    totals: Counter[str] = Counter()

    def finaliser_failed(unraisable: object) -> None:  # as cli.main does: counted, not shown
        totals["finaliser exceptions (silenced by the CLI)"] += 1

    sys.unraisablehook = finaliser_failed
    statuses: Counter[int] = Counter()
    examples: dict[str, str] = {}
    start = time.perf_counter()
    print(f"{'command':<16}{'runs':>6}{'0':>6}{'1':>6}{'2':>6}{'3':>6}{'other':>7}  seconds")
    with tempfile.TemporaryDirectory() as root:
        for case in cases:
            work = Path(root) / case.name
            prepare(work)
            clean = run_case(case, work, Injector())
            reference = clean.output
            clear_outputs(work)
            mine: Counter[int] = Counter()
            began = time.perf_counter()
            for fault in FAULTS:
                for point in POINTS:
                    for nth in positions(clean.counts.get(point, 0), args.positions):
                        where = f"{case.name}: {fault} at {point} #{nth}"
                        outcome = run_with_timeout(
                            case, work, Injector(point, nth, fault), reference, args.timeout
                        )
                        totals["runs"] += 1
                        if outcome is None:
                            totals["hangs"] += 1
                            examples.setdefault("hang", where)
                            clear_outputs(work)
                            continue
                        mine[outcome.status] += 1
                        statuses[outcome.status] += 1
                        for name, bad in (
                            ("tracebacks", outcome.traceback),
                            ("stray outputs", bool(outcome.stray)),
                            ("partial outputs", outcome.partial),
                            ("inputs changed", outcome.input_changed),
                            ("other statuses", outcome.status not in (0, 1, 2, 3)),
                            ("status 2/3 without a message", _silent(outcome)),
                        ):
                            if bad:
                                totals[name] += 1
                                examples.setdefault(name, where)
                        totals["faults fired"] += outcome.fired
                        if outcome.fired and outcome.status == 0:
                            totals["fired, yet exit 0 (tolerated)"] += 1
                            examples.setdefault("fired, yet exit 0 (tolerated)", where)
                        clear_outputs(work)
            other = sum(n for s, n in mine.items() if s not in (0, 1, 2, 3))
            print(
                f"{case.name:<16}{sum(mine.values()):>6}{mine[0]:>6}{mine[1]:>6}{mine[2]:>6}"
                f"{mine[3]:>6}{other:>7}  {time.perf_counter() - began:7.1f}"
            )
    print()
    print(
        f"runs {totals['runs']} (faults fired {totals['faults fired']}), "
        f"{time.perf_counter() - start:.0f} s"
    )
    print("exit statuses: " + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items())))
    for name in (
        "tracebacks",
        "hangs",
        "partial outputs",
        "stray outputs",
        "inputs changed",
        "other statuses",
        "status 2/3 without a message",
        "finaliser exceptions (silenced by the CLI)",
        "fired, yet exit 0 (tolerated)",
    ):
        example = f"  (e.g. {examples[name]})" if name in examples else ""
        print(f"{name}: {totals[name]}{example}")


def _silent(outcome: Outcome) -> bool:
    return outcome.status in (2, 3) and not (outcome.stderr.strip() or "无法读取" in outcome.stdout)


if __name__ == "__main__":
    main()
