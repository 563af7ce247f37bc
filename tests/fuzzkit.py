"""Shared by the reader's fuzz test and ``bench/bench_fuzz.py``: edits of dataset files, and the
exact sums of their amount cells computed without the reader (the oracle)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

AMOUNT = "金额（元）"

# Cell texts that broke readers before: quotes, separators, line breaks, NUL, a formula, digits
# that are not ASCII, a BOM, one cell over the CSV limit.
NASTY_TEXTS = ['"', '"x', 'a"b', '""', ",", "\n", "\r\n", "\x00", "=SUM(A1)", "１２３", "²⁰²¹",
               "\ufeff", " ", "选定", "", "\t", "\\", "'", "x" * 140_000]  # fmt: skip
# Amounts as people and Excel write them, right and wrong.
AWKWARD_AMOUNTS = ["1.2E+06", "1e3", "12.345", "1,2", "¥12", "-0", "0.001万元", "9" * 40,
                   "1,234,567.89", "150万元", "150 万元", "12元", "999999999999999.99",
                   "1000000000000000", "-5.5", "0.01"]  # fmt: skip


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


_UNITS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}


def amount_of(text: str) -> Decimal:
    """An amount cell as the format document describes it, read here without the reader."""
    text = text.strip()
    factor = Decimal(1)
    for unit in ("万元", "亿元", "元"):
        if text.endswith(unit):
            text, factor = text[: -len(unit)].strip(), _UNITS[unit]
            break
    return Decimal(text.replace(",", "")) * factor if text else Decimal(0)


def csv_sum(path: Path) -> Decimal:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    at = [h.strip() for h in rows[0]].index(AMOUNT)
    return sum((amount_of(r[at]) for r in rows[1:] if "".join(r).strip()), Decimal(0))


def book_sum(path: Path) -> Decimal:
    sheet = load_workbook(path, read_only=True, data_only=True)["预算明细"]
    rows = list(sheet.iter_rows(values_only=True))
    at = list(rows[0]).index(AMOUNT)
    total = Decimal(0)
    for row in rows[1:]:
        value = row[at] if at < len(row) else None
        if isinstance(value, str):
            total += amount_of(value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            total += Decimal(repr(value))
    return total


def write_cell(path: Path, row: int, column: int, value: str) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8"), newline="")))
    row = row % (len(rows) - 1) + 1
    rows[row][column % len(rows[row])] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), "utf-8")


def write_header(path: Path, column: int, header: str) -> None:
    """Replace (or add, past the last) one header of a CSV file."""
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8"), newline="")))
    if column < len(rows[0]):
        rows[0][column] = header
    else:
        rows[0].append(header)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), "utf-8")


def insert_raw(path: Path, line: int, offset: int, text: str) -> None:
    """Insert raw text into a line of a text file (a quote or comma here breaks its CSV rows)."""
    lines = path.read_text("utf-8").split("\n")
    at = line % (len(lines) - 1)
    cut = offset % (len(lines[at]) + 1)
    lines[at] = lines[at][:cut] + text + lines[at][cut:]
    path.write_text("\n".join(lines), "utf-8")


def set_manifest_line(path: Path, line: int, value: str, encoding: str = "utf-8") -> None:
    """Give one line of ``yusuan.toml`` a new value (or replace the line), in ``encoding``."""
    lines = path.read_text("utf-8").split("\n")
    at = line % len(lines)
    lines[at] = f"{lines[at].split('=')[0]}= {value}" if "=" in lines[at] else value
    text = "\n".join(lines)
    try:
        path.write_bytes(text.encode(encoding))
    except UnicodeEncodeError:
        path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
