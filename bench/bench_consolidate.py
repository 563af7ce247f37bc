"""Benchmark: folding findings into one per fact (``rules.consolidate``), on the seed's findings
and on copies of them for many departments' worth of projects and tables.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import EXAMPLE, best_of

from yusuan.dataset import load_dataset
from yusuan.rules import check_dataset
from yusuan.rules.base import REGISTRY, Finding
from yusuan.rules.consolidate import consolidate


def copies(findings: list[Finding], times: int) -> list[Finding]:
    """``times`` copies of ``findings``, each at other projects, lines and tables."""
    out = []
    for n in range(times):

        def moved(f: Finding, n: int = n) -> Finding:
            place = f.location
            values = {**f.values, "project": f"{f.values.get('project', '')}{n}"}
            location = replace(
                place,
                project=f"{place.project}{n}" if place.project else "",
                table=f"{place.table}{n}" if place.table else "",
                line=place.line + 1000 * n if place.line else 0,
            )
            return replace(
                f,
                message_zh=f"{f.message_zh}（{n}）",
                message_en=f"{f.message_en} ({n})",
                location=location,
                values=values,
            )

        out += [moved(f) for f in findings]
    return out


def main() -> None:
    raw = check_dataset(load_dataset(EXAMPLE)).findings
    print("one finding per fact (best of 3, wall clock)")
    for times in (1, 10, 100):
        findings = copies(raw, times)
        timing = best_of(3, lambda findings=findings: consolidate(findings, REGISTRY))  # type: ignore[misc]
        print(
            f"  {len(findings):>7,} findings → {len(timing.result):>6,} folded: "
            f"{timing.wall * 1000:8.1f} ms"
        )


if __name__ == "__main__":
    main()
