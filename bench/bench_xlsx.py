"""Benchmark: the Excel workbook (目录, every table, every project form) for the example and for a
synthetic department of 1,000 lines and 100 projects.

Prints figures; asserts nothing. Run with ``.venv/bin/python bench/bench_xlsx.py``. Targets: the
example well under 0.3 s, the synthetic department under 0.5 s (tables and forms already built;
the time is the workbook alone).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import EXAMPLE, best_of
from synthetic import synthetic_dataset

from yusuan.dataset import load_dataset
from yusuan.model.records import Dataset
from yusuan.render.xlsx import workbook_bytes
from yusuan.tables import build_tables
from yusuan.tables.forms import forms_of


def measure(label: str, dataset: Dataset, runs: int) -> None:
    tables, forms = build_tables(dataset), forms_of(dataset)
    title = f"{dataset.manifest.department.name}{dataset.year}年部门预算"
    timing = best_of(runs, lambda: workbook_bytes(tables, forms, title=title))
    seconds, book = timing.wall, timing.result
    rows = sum(len(t.rows) for t in tables)
    print(
        f"  {label}: {len(tables)} tables ({rows:,} rows) + {len(forms)} forms -> "
        f"{len(book) / 1024:6.0f} KiB in {seconds * 1000:6.1f} ms"
    )


def main() -> None:
    print("yusuan workbook benchmark (best of N runs, wall clock)")
    measure("example linfen-2021", load_dataset(EXAMPLE), 10)
    measure("synthetic 1,000 lines / 100 projects", synthetic_dataset(1_000, 100), 5)


if __name__ == "__main__":
    main()
