"""Benchmark: loading datasets and building the disclosure tables.

Prints figures; asserts nothing. Run with ``make bench`` (or ``.venv/bin/python bench/bench_tables.py``).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import EXAMPLE, best_of, peak_mib
from synthetic import synthetic_dataset

from yusuan.dataset import load_dataset, save_dataset
from yusuan.render.json_out import render_json
from yusuan.render.text import render_table
from yusuan.tables import build_tables
from yusuan.tables.forms import forms_of


def main() -> None:
    print("yusuan tables benchmark (best of N runs, wall clock)")
    cli = [str(Path(sys.executable).parent / "yusuan"), "tables", str(EXAMPLE)]
    seconds = best_of(5, lambda: subprocess.run(cli, check=True, capture_output=True)).wall
    print(f"  `yusuan tables examples/linfen-2021` (whole process, text): {seconds * 1000:8.1f} ms")
    seconds = best_of(
        5, lambda: subprocess.run([*cli, "-f", "json"], check=True, capture_output=True)
    ).wall
    print(
        f"  `yusuan tables examples/linfen-2021 -f json` (whole process): {seconds * 1000:8.1f} ms"
    )
    dataset = load_dataset(EXAMPLE)
    print(
        f"  load example folder ({len(dataset.lines)} lines, {len(dataset.indicators)} indicators): "
        f"{best_of(10, lambda: load_dataset(EXAMPLE)).wall * 1000:8.1f} ms"
    )
    print(
        f"  build 12 tables for the example: {best_of(10, lambda: build_tables(dataset)).wall * 1000:8.1f} ms"
    )
    print(
        f"  render text + JSON for the example: "
        f"{best_of(10, lambda: ([render_table(t) for t in build_tables(dataset)], render_json(build_tables(dataset), forms_of(dataset)))).wall * 1000:8.1f} ms"
    )
    for lines, projects in ((1_000, 100), (10_000, 300), (100_000, 1_000)):
        measure_synthetic(lines, projects)


def measure_synthetic(lines: int, projects: int) -> None:
    synthetic = synthetic_dataset(lines, projects)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ds"
        book = Path(tmp) / "ds.xlsx"
        save_dataset(synthetic, folder)
        load = best_of(3, lambda: load_dataset(folder)).wall
        build = best_of(3, lambda: build_tables(synthetic)).wall
        memory = peak_mib(lambda: build_tables(load_dataset(folder)))
        write_xlsx = best_of(1, lambda: save_dataset(synthetic, book)).wall
        read_xlsx = best_of(1, lambda: load_dataset(book)).wall
    print(
        f"  synthetic {lines:>7,} lines / {projects:>5,} projects: load folder {load:6.2f} s, "
        f"build tables {build:6.2f} s, peak {memory:6.1f} MiB; "
        f"workbook write {write_xlsx:6.2f} s, read {read_xlsx:6.2f} s"
    )


if __name__ == "__main__":
    main()
