"""Fuzz benchmark: thousands of damaged datasets through the real command line.

Each case damages a small valid dataset (an amount or text cell, raw text with quotes and commas,
a header, a manifest line, the encoding, a truncated or deleted file, a workbook cell, a flipped
byte of a workbook) and runs ``yusuan tables -t 1 -f json`` in-process (typer's CliRunner on
``yusuan.cli.app``, built once); every tenth case also runs ``yusuan convert`` into a fresh folder, and a
sample runs as a separate process. It counts what issue #13 forbids:

- tracebacks (an exception other than a clean exit, or a status other than 0/1/2),
- hangs (no answer within the time limit),
- partial outputs (``convert`` failed but left something behind),
- inputs changed,
- silent misreads (exit 0 but the 合计 differs from the exact sum of the input's own amount
  cells, computed independently in ``tests/fuzzkit.py``),

and prints the exit statuses. Prints figures; asserts nothing. Run with
``.venv/bin/python bench/bench_fuzz.py [--cases 10000] [--processes 100]``.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import typer.testing
from openpyxl import load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError
from typer.testing import CliRunner

from fuzzkit import (
    AWKWARD_AMOUNTS,
    NASTY_TEXTS,
    book_sum,
    csv_sum,
    insert_raw,
    set_manifest_line,
    snapshot,
    write_cell,
    write_header,
)
from yusuan.cli import app
from yusuan.dataset import read_dataset, save_dataset
from yusuan.dataset.schema import LINES
from yusuan.synthetic import synthetic_dataset

LIMIT = 30  # seconds a case may take before it counts as a hang
TOML = [
    '"x"',
    "1",
    "1.5",
    "true",
    "[]",
    "{}",
    '""',
    '"²⁰²¹"',
    "2021",
    '"2021"',
    '"',
    "[[units]]",
    "[budget",
    "= =",
    'code = "1"',
    "x",
]


class Hang(Exception):
    pass


def _alarm(_signum: int, _frame: Any) -> None:
    raise Hang


def random_text(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return rng.choice(NASTY_TEXTS)
    alphabet = "0123456789,.-\"'元万亿 \nE+e=@选定中文ａ"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))


def random_amount(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.3:
        return rng.choice(AWKWARD_AMOUNTS)
    if roll < 0.5:
        return f"{rng.randint(0, 10**12):,}"
    if roll < 0.65:
        return f"{Decimal(rng.randint(0, 10**9)) / 100}万元"
    if roll < 0.9:
        return str(Decimal(rng.randint(-(10**17), 10**17)) / 100)
    return random_text(rng)


# --- mutations: each damages a copy and returns (path to read, oracle for the 合计 in 元) -----------

Oracle = Callable[[], Decimal]


def folder_case(kind: str, rng: random.Random, folder: Path) -> tuple[Path, Oracle]:
    lines = folder / LINES.file
    if kind == "amount":
        write_cell(
            lines, rng.randint(0, 50), list(LINES.headers).index("金额（元）"), random_amount(rng)
        )
    elif kind == "cell":
        write_cell(lines, rng.randint(0, 50), rng.randint(0, 8), random_text(rng))
    elif kind == "raw":
        insert_raw(lines, rng.randint(0, 50), rng.randint(0, 200), random_text(rng))
    elif kind == "header":
        write_header(lines, rng.randint(0, 9), rng.choice([*LINES.headers, random_text(rng)]))
    elif kind == "manifest":
        encoding = rng.choice(["utf-8", "gb18030"])
        set_manifest_line(folder / "yusuan.toml", rng.randint(0, 60), rng.choice(TOML), encoding)
    elif kind == "encoding":
        path = rng.choice([lines, folder / "yusuan.toml", folder / "projects.csv"])
        path.write_bytes(
            path.read_text("utf-8").encode(rng.choice(["gb18030", "utf-16", "utf-8-sig"]))
        )
    elif kind == "truncate":
        path = rng.choice(sorted(folder.iterdir()))
        data = path.read_bytes()
        path.write_bytes(data[: rng.randint(0, len(data))])
    elif kind == "delete":
        rng.choice(sorted(folder.iterdir())).unlink()
    return folder, lambda: csv_sum(lines)


def workbook_case(
    kind: str, rng: random.Random, book: Path, base_sum: Decimal
) -> tuple[Path, Oracle]:
    if kind == "book-cell":
        wb = load_workbook(book)
        value: Any = rng.choice(
            [
                None,
                rng.randint(-(10**16), 10**16),
                rng.uniform(-1e9, 1e9),
                True,
                random_amount(rng),
                random_text(rng),
            ]
        )
        try:
            cell = wb["预算明细"].cell(
                row=rng.randint(1, 14), column=rng.randint(1, 10), value=value
            )
        except IllegalCharacterError:
            cell = wb["预算明细"].cell(row=2, column=9, value="?")
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"
        wb.save(book)
        return book, lambda: book_sum(book)
    # a damaged copy must be refused, or read as the undamaged one
    if kind in ("book-flip", "book-truncate"):
        data = bytearray(book.read_bytes())
        if kind == "book-flip":
            data[rng.randrange(len(data))] ^= rng.randint(1, 255)
        else:
            del data[rng.randint(0, len(data)) :]
        book.write_bytes(bytes(data))
    return book, lambda: base_sum


FOLDER_KINDS = ["amount", "cell", "raw", "header", "manifest", "encoding", "truncate", "delete"]
BOOK_KINDS = ["book-cell", "book-flip", "book-truncate"]


def total_of(stdout: str) -> Decimal:
    """The 本年支出合计 of table 1, back in 元 (the JSON holds exact 万元)."""
    table = json.loads(stdout)[0]
    return Decimal(table["rows"][-1]["values"]["expenditure"]) * 10_000


class Tally:
    def __init__(self) -> None:
        self.statuses: Counter[int] = Counter()
        self.kinds: Counter[str] = Counter()
        self.tracebacks: list[str] = []
        self.hangs: list[str] = []
        self.partial: list[str] = []
        self.changed: list[str] = []
        self.misreads: list[str] = []

    def judge(self, label: str, status: int, stdout: str, oracle: Oracle) -> None:
        self.statuses[status] += 1
        if status not in (0, 1, 2):
            self.tracebacks.append(f"{label}: exit {status}")
        if status != 0:
            return
        try:
            expected = oracle()
        except (InvalidOperation, ValueError, IndexError, KeyError, UnicodeDecodeError) as exc:
            self.misreads.append(
                f"{label}: loaded, but the input's own cells do not read ({exc!r})"
            )
            return
        if total_of(stdout) != expected:
            self.misreads.append(f"{label}: 合计 {total_of(stdout)} != {expected}")


# typer's runner rebuilds the click command on every call (most of a case's time); build it once
_COMMAND = typer.testing._get_command(app)
typer.testing._get_command = lambda _app: _COMMAND


def in_process(runner: CliRunner, args: list[str]) -> tuple[int, str, BaseException | None]:
    signal.alarm(LIMIT)
    try:
        result = runner.invoke(app, args)
    finally:
        signal.alarm(0)
    exception = result.exception if not isinstance(result.exception, SystemExit) else None
    return result.exit_code, result.stdout, exception


def check_convert(runner: CliRunner, source: Path, label: str, tally: Tally) -> None:
    """``convert`` either writes a whole readable target or leaves the output folder empty."""
    with tempfile.TemporaryDirectory() as out:
        target = Path(out) / ("ds.xlsx" if source.is_dir() else "ds")
        status, _, exception = in_process(runner, ["convert", str(source), str(target)])
        if exception is not None:
            tally.tracebacks.append(f"{label} convert: {exception!r}")
        left = sorted(p.name for p in Path(out).iterdir())
        if status != 0 and left:
            tally.partial.append(f"{label} convert exit {status} left {left}")
        if status == 0 and read_dataset(target)[0] is None:
            tally.partial.append(f"{label} convert wrote an unreadable {target.name}")


def run(cases: int, processes: int, seed: int) -> None:
    rng = random.Random(seed)
    runner = CliRunner()
    signal.signal(signal.SIGALRM, _alarm)
    tally = Tally()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        save_dataset(synthetic_dataset(random.Random(3), lines=12, projects=2), base)
        base_book = Path(tmp) / "base.xlsx"
        dataset, _ = read_dataset(base)
        assert dataset is not None
        save_dataset(dataset, base_book)
        base_sum = book_sum(base_book)
        sample = set(rng.sample(range(cases), min(processes, cases)))
        for number in range(cases):
            kind = rng.choice(FOLDER_KINDS + BOOK_KINDS)
            tally.kinds[kind] += 1
            label = f"case {number} ({kind})"
            work = Path(tmp) / "work"
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir()
            if kind in BOOK_KINDS:
                shutil.copy(base_book, work / "ds.xlsx")
                path, oracle = workbook_case(kind, rng, work / "ds.xlsx", base_sum)
            else:
                shutil.copytree(base, work / "ds")
                path, oracle = folder_case(kind, rng, work / "ds")
            before = snapshot(work)
            args = ["tables", str(path), "-t", "1", "-f", "json"]
            try:
                if number in sample:
                    done = subprocess.run(
                        [str(Path(sys.executable).parent / "yusuan"), *args],
                        capture_output=True,
                        text=True,
                        timeout=LIMIT,
                    )
                    status, stdout = done.returncode, done.stdout
                    if "Traceback" in done.stderr:
                        tally.tracebacks.append(f"{label} (process): {done.stderr[-300:]}")
                else:
                    status, stdout, exception = in_process(runner, args)
                    if exception is not None:
                        tally.tracebacks.append(f"{label}: {exception!r}")
                        status = 3
                tally.judge(label, status, stdout, oracle)
                if number % 10 == 0:
                    check_convert(runner, path, label, tally)
            except (Hang, subprocess.TimeoutExpired):
                tally.hangs.append(label)
            if snapshot(work) != before:
                tally.changed.append(label)
    seconds = time.perf_counter() - started
    report(tally, cases, processes, seconds)


def report(tally: Tally, cases: int, processes: int, seconds: float) -> None:
    print(
        f"yusuan fuzz benchmark: {cases:,} cases ({processes} as separate processes) in {seconds:.0f} s"
    )
    print(f"  kinds: {dict(sorted(tally.kinds.items()))}")
    print(f"  exit statuses: {dict(sorted(tally.statuses.items()))}")
    for name, found in (
        ("tracebacks", tally.tracebacks),
        ("hangs", tally.hangs),
        ("partial outputs", tally.partial),
        ("inputs changed", tally.changed),
        ("silent misreads", tally.misreads),
    ):
        print(f"  {name}: {len(found)}")
        for line in found[:5]:
            print(f"    {line[:300]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--processes", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    run(args.cases, args.processes, args.seed)


if __name__ == "__main__":
    main()
