"""Benchmark: writing the offline web site (``yusuan.render.site.write_site``).

Prints figures; asserts nothing. Run with ``.venv/bin/python bench/bench_site.py``. The goal for
the example is well under 0.3 s for the whole site, the first (cold) write included.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import EXAMPLE, best_of, timed
from synthetic import synthetic_dataset

from yusuan.dataset import load_dataset
from yusuan.model.records import Dataset
from yusuan.render.site import build_pages, write_site
from yusuan.tables import build_tables
from yusuan.tables.forms import forms_of


def measure(label: str, dataset: Dataset, runs: int = 5) -> None:
    tables = build_tables(dataset)
    forms = forms_of(dataset)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        written: list[Path] = []

        def work() -> None:
            written[:] = write_site(out, title=label, tables=tables, forms=forms)

        first = timed(work)
        best = best_of(runs, work).wall
        render = best_of(runs, lambda: build_pages(title=label, tables=tables, forms=forms)).wall
        pages = [p for p in written if p.suffix == ".html"]
        size = sum(p.stat().st_size for p in written) / 2**20
        index = (out / "site" / "index.html").stat().st_size / 2**10
    print(
        f"  {label}: {len(tables)} tables ({sum(len(t.rows) for t in tables):,} rows), "
        f"{len(forms)} forms -> {len(written)} files ({len(pages)} pages, {size:.1f} MiB, "
        f"index.html {index:.0f} KiB); first write {first * 1000:.0f} ms, "
        f"rewrite over it (best of {runs}) {best * 1000:.0f} ms, "
        f"of which rendering in memory {render * 1000:.0f} ms"
    )


def main() -> None:
    print("yusuan site benchmark (wall clock; tables and forms built beforehand)")
    measure("example linfen-2021", load_dataset(EXAMPLE))
    measure("synthetic 1,000 lines / 100 projects", synthetic_dataset(1_000, 100))


if __name__ == "__main__":
    main()
