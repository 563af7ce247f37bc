"""Bench: the PDF reader over every real published disclosure, against pdfplumber alone.

For each PDF of ``shared/realdocs/`` (or the PDFs given on the command line) this times

- ``extract``: pdfplumber's own ``page.extract_tables()`` on every page — table extraction
  alone, the floor any PDF table reader stands on;
- ``read``: ``yusuan.audit.pdf_reader.read_pdf`` — pages, tables with spans, text lines,
  blocks and the recognition of every table (the document ready for the rules);
- ``audit``: ``read`` plus every rule on the document (what ``yusuan audit`` does).

and prints pages per second and the ratio of each to ``extract`` (goal: read + audit within
1.5×). Each figure is the best of ``--repeat`` runs (default 3), timed with a fresh
``pdfplumber.open``.

Then coverage, per document: the tables its contents (目录) announce, the tables read (and how
many of them unidentified), and the amounts read against the figures ``extract_tables`` finds
(cells printing a number with a decimal point or a thousands comma, or 0).

    .venv/bin/python bench/bench_audit.py [--repeat N] [PDF ...]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import pdfplumber

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from common import ROOT, best_of

from yusuan.audit.document import RecognisedDocument, to_subject
from yusuan.audit.pdf_reader import read_pdf
from yusuan.audit.recognise import is_amount
from yusuan.rules import load_rules, run_rules
from yusuan.tables.base import AMOUNT

REALDOCS = ROOT.parent / "shared" / "realdocs"


def extract_only(path: Path) -> int:
    """pdfplumber's ``extract_tables`` on every page; the number of pages."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.close()
        return len(pdf.pages)


def read_only(path: Path) -> int:
    doc = read_pdf(path)
    return max(doc.line_pages.values(), default=0)


def audit(path: Path) -> int:
    doc = read_pdf(path)
    if doc.year:
        run_rules(to_subject(doc))
    return max(doc.line_pages.values(), default=0)


def is_figure(text: str | None) -> bool:
    """A cell printing an amount: a number with a decimal point or a thousands comma, or 0 (a
    bare integer may be a code)."""
    cleaned = "".join((text or "").split())
    return is_amount(cleaned) and ("." in cleaned or "," in cleaned or cleaned == "0")


def extracted_figures(path: Path) -> int:
    """The figures pdfplumber's ``extract_tables`` finds in the whole document."""
    with pdfplumber.open(path) as pdf:
        count = 0
        for page in pdf.pages:
            for table in page.extract_tables():
                count += sum(1 for row in table for cell in row if is_figure(cell))
            page.close()
        return count


def read_figures(doc: RecognisedDocument) -> int:
    """The amounts the reader put into tables (identified or not)."""
    return sum(
        1
        for table in doc.tables.values()
        for row in table.rows
        for column in table.columns
        if column.kind == AMOUNT and row.values.get(column.key) is not None
    )


def coverage(paths: list[Path]) -> None:
    print(
        f"\n{'document':<52} {'announced':>9} {'read':>5} {'unident.':>8} "
        f"{'amounts':>8} {'extract':>8} {'share':>6}"
    )
    sums = [0, 0]
    for path in paths:
        doc = read_pdf(path)
        read = [t for t in doc.tables if not t.startswith("unidentified")]
        missing = [t for t in doc.announced if t not in doc.tables]
        amounts, found = read_figures(doc), extracted_figures(path)
        sums[0] += amounts
        sums[1] += found
        share = f"{amounts / found:6.1%}" if found else "     —"
        print(
            f"{path.name:<52} {len(doc.announced):>9} {len(read):>5} "
            f"{len(doc.tables) - len(read):>8} {amounts:>8} {found:>8} {share}"
            + (f"  announced, not read: {', '.join(missing)}" if missing else "")
        )
    print(f"{'all':<52} {'':>9} {'':>5} {'':>8} {sums[0]:>8} {sums[1]:>8} {sums[0] / sums[1]:6.1%}")


def best(run: Callable[[Path], int], path: Path, repeat: int) -> float:
    return best_of(repeat, lambda: run(path)).wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    paths = args.pdfs or sorted(REALDOCS.glob("*.pdf"))
    if not paths:
        print(f"no PDF found in {REALDOCS}", file=sys.stderr)
        return 1
    load_rules()
    read_pdf(paths[0])  # warm up: imports, data files, catalogues
    totals = {"extract": 0.0, "read": 0.0, "audit": 0.0}
    pages_total = 0
    print(f"{'document':<52} {'pages':>5} {'extract':>9} {'read':>9} {'audit':>9} {'ratio':>6}")
    for path in paths:
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
        seconds = {
            "extract": best(extract_only, path, args.repeat),
            "read": best(read_only, path, args.repeat),
            "audit": best(audit, path, args.repeat),
        }
        for key, value in seconds.items():
            totals[key] += value
        pages_total += pages
        print(
            f"{path.name:<52} {pages:>5} {seconds['extract']:>8.3f}s {seconds['read']:>8.3f}s "
            f"{seconds['audit']:>8.3f}s {seconds['audit'] / seconds['extract']:>5.2f}×"
        )
    print()
    for key, value in totals.items():
        ratio = value / totals["extract"]
        print(f"{key:<8} {pages_total / value:7.1f} pages/s  ({value:.3f}s, {ratio:.2f}× extract)")
    coverage(paths)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
