"""What the benchmarks share: where the example is, and how a piece of work is timed and weighed.

Every benchmark reports the best of several runs (the least disturbed by the machine), wall
clock, and where it helps CPU time too.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar, cast

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "linfen-2021"

T = TypeVar("T")


@dataclass(frozen=True)
class Timing(Generic[T]):
    """The best wall-clock and CPU seconds of some runs, and the result of the last one."""

    wall: float
    cpu: float
    result: T


def best_of(runs: int, work: Callable[[], T]) -> Timing[T]:
    """Run ``work`` ``runs`` times (at least once); the best wall-clock and CPU seconds (CPU time
    shows less of a busy machine), and the last result."""
    if runs < 1:
        raise ValueError("best_of needs at least one run")
    wall, cpu = float("inf"), float("inf")
    result: T | None = None
    for _ in range(runs):
        result = None  # the previous result is let go before the next run is timed
        start_cpu = time.process_time()
        start = time.perf_counter()
        result = work()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return Timing(wall, cpu, cast(T, result))


def timed(work: Callable[[], object]) -> float:
    """The wall-clock seconds of one run of ``work`` (a cold first run, say)."""
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def peak_mib(work: Callable[[], object]) -> float:
    """The peak of memory that ``work`` allocates (tracemalloc), in MiB."""
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20
