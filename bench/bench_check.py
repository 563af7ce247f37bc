"""Benchmark: `yusuan check` on the example and on synthetic departments up to 100,000 lines.

Prints figures; asserts nothing. Goal (issue #4): 100,000 lines checked in under 2 seconds.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import EXAMPLE, best_of
from synthetic import synthetic_dataset

from yusuan.dataset import load_dataset
from yusuan.rules import check_dataset, load_rules


def main() -> None:
    rules = load_rules()
    print(f"yusuan check benchmark ({len(rules)} rules; best of N runs, wall clock)")
    cli = [str(Path(sys.executable).parent / "yusuan"), "check", str(EXAMPLE)]
    seconds = best_of(3, lambda: subprocess.run(cli, check=False, capture_output=True)).wall
    print(f"  `yusuan check examples/linfen-2021` (whole process): {seconds * 1000:8.1f} ms")
    example = load_dataset(EXAMPLE)
    print(
        f"  check the example in-process: {best_of(5, lambda: check_dataset(example)).wall * 1000:8.1f} ms"
    )
    for lines, projects in ((1_000, 100), (10_000, 300), (100_000, 1_000)):
        dataset = synthetic_dataset(lines, projects)
        seconds = best_of(3, lambda dataset=dataset: check_dataset(dataset)).wall  # type: ignore[misc]
        report = check_dataset(dataset)
        slowest = sorted(report.runs, key=lambda r: r.seconds, reverse=True)[:3]
        detail = ", ".join(f"{r.rule.id} {r.seconds:.2f} s" for r in slowest)
        print(
            f"  synthetic {lines:>7,} lines / {projects:>5,} projects: {seconds:6.2f} s  (slowest: {detail})"
        )


if __name__ == "__main__":
    main()
