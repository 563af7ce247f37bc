"""Benchmark: 预算管理一体化 flat files — about 100,000 budget lines exported to CSV and imported
back (with the dataset's manifest), and 20,000 through a workbook (openpyxl writes slowly).

Prints figures; asserts nothing. Run with
``.venv/bin/python bench/bench_yitihua.py [--lines N] [--workbook-lines N]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import best_of
from synthetic import synthetic_dataset

from yusuan.dataset import save_dataset
from yusuan.dataset.yitihua import read_flat, write_flat


def figures(suffix: str, lines: int) -> None:
    dataset = synthetic_dataset(lines, max(1, lines // 100))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "dataset"
        save_dataset(dataset, folder)
        manifest = folder / "yusuan.toml"
        flat = Path(tmp) / f"flat{suffix}"
        write = best_of(3, lambda: write_flat(dataset, flat))
        read = best_of(3, lambda: read_flat(flat, manifest))
        same = read.result.dataset is not None and read.result.dataset.lines == dataset.lines
        size = flat.stat().st_size / 1e6
        print(
            f"  {suffix:5} {len(dataset.lines):,} lines: export {write.wall:6.2f} s wall "
            f"({size:.1f} MB); import {read.wall:6.2f} s wall, {read.cpu:6.2f} s CPU; "
            f"same lines: {same}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--workbook-lines", type=int, default=20_000)
    args = parser.parse_args()
    print("预算管理一体化 flat files (best of 3)")
    figures(".csv", args.lines)
    figures(".xlsx", args.workbook_lines)


if __name__ == "__main__":
    main()
