"""Benchmark: reading datasets — 100,000 budget lines from CSV (loaded, then checked) and a
1,000,000-row workbook (time and peak memory of the whole process).

Prints figures; asserts nothing. Goals (issue #13): 100k lines from CSV loaded and checked in
under 3 s; a 1M-row workbook read in bounded memory. Run with
``.venv/bin/python bench/bench_dataset.py [--workbook-rows N]``.
"""

from __future__ import annotations

import argparse
import re
import resource
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import best_of
from synthetic import synthetic_dataset

from yusuan.dataset import load_dataset, save_dataset
from yusuan.dataset.convert import record_cells
from yusuan.dataset.problems import column_letter
from yusuan.dataset.schema import LINES
from yusuan.model.records import Dataset
from yusuan.rules import check_dataset

YUSUAN = str(Path(sys.executable).parent / "yusuan")


def csv_figures(folder: Path) -> None:
    load = best_of(3, lambda: load_dataset(folder))
    dataset = load.result
    check = best_of(3, lambda: check_dataset(dataset))
    whole = best_of(3, lambda: _child_cpu([YUSUAN, "check", str(folder)]))
    startup = best_of(3, lambda: _child_cpu([YUSUAN, "--version"]))
    print(
        f"  100k-line folder ({len(dataset.lines):,} lines, {len(dataset.indicators):,} indicators)"
    )
    print(f"    load (read + parse + cross-check): {load.wall:6.2f} s wall, {load.cpu:6.2f} s CPU")
    print(
        f"    rules (check_dataset, in-process): {check.wall:6.2f} s wall, {check.cpu:6.2f} s CPU"
    )
    print(
        f"    `yusuan check DIR`, whole process: {whole.wall:6.2f} s wall, "
        f"{whole.result:6.2f} s CPU (last run)"
    )
    print(
        f"    of which start-up (`yusuan --version`): {startup.wall:6.2f} s wall, {startup.result:6.2f} s CPU"
    )


def _child_cpu(command: list[str]) -> float:
    """Run a process; the CPU seconds it used (the wall clock misleads on a busy machine)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, capture_output=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def _row_xml(number: int, cells: list[str], amount_at: int) -> str:
    parts = []
    for index, text in enumerate(cells):
        ref = f"{column_letter(index)}{number}"
        if index == amount_at:
            parts.append(f'<c r="{ref}"><v>{text}</v></c>')
        elif text:
            parts.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>')
    return f'<row r="{number}">{"".join(parts)}</row>'


def big_workbook(dataset: Dataset, book: Path, rows: int) -> None:
    """The dataset's workbook, its 预算明细 sheet replaced by ``rows`` lines (the dataset's lines
    repeated), written straight as XML: openpyxl would take minutes to write it."""
    save_dataset(dataset, book)
    amount_at = list(LINES.headers).index("金额（元）")
    lines = [record_cells(LINES, line) for line in dataset.lines]
    with zipfile.ZipFile(book) as source:
        items = [(info, source.read(info)) for info in source.infolist()]
    part = sorted(i.filename for i, _ in items if i.filename.startswith("xl/worksheets/sheet"))[2]
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            if info.filename != part:
                target.writestr(info, data)
                continue
            head, _, rest = data.decode().partition("<sheetData>")
            last = f"{column_letter(len(LINES.headers) - 1)}{rows + 1}"
            head = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="A1:{last}"', head)
            tail = rest.partition("</sheetData>")[2]
            with target.open(part, "w") as out:
                out.write(f"{head}<sheetData>".encode())
                out.write(_row_xml(1, list(LINES.headers), -1).encode())
                for number in range(2, rows + 2):
                    cells = lines[(number - 2) % len(lines)]
                    out.write(_row_xml(number, cells, amount_at).encode())
                out.write(f"</sheetData>{tail}".encode())


def workbook_figures(book: Path, rows: int) -> None:
    code = (
        "import sys, time, resource; from yusuan.dataset import load_dataset; "
        "t = time.perf_counter(); d = load_dataset(sys.argv[1]); "
        "print(len(d.lines), time.perf_counter() - t, "
        "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    done = subprocess.run([sys.executable, "-c", code, str(book)], capture_output=True, text=True)
    if done.returncode:
        print(f"  {rows:,}-row workbook: failed: {done.stderr[-500:]}")
        return
    count, seconds, peak = done.stdout.split()
    size = book.stat().st_size / 2**20
    print(
        f"  {rows:,}-row workbook ({size:.0f} MiB): {int(count):,} lines read in "
        f"{float(seconds):6.1f} s, peak RSS of the process {float(peak):7.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workbook-rows", type=int, default=1_000_000)
    args = parser.parse_args()
    print("yusuan dataset reading benchmark (best of 3, wall clock and CPU)")
    dataset = synthetic_dataset(100_000, 1_000)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ds"
        save_dataset(dataset, folder)
        csv_figures(folder)
        small = synthetic_dataset(1_000, 100)  # its other sheets; openpyxl writes them quickly
        for rows in sorted({100_000, args.workbook_rows}):
            book = Path(tmp) / f"ds-{rows}.xlsx"
            big_workbook(small, book, rows)
            workbook_figures(book, rows)
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"  (largest child process: {children:.0f} MiB)")


if __name__ == "__main__":
    main()
