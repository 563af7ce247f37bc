"""A synthetic city's store as open data and as the portal's charts: time ``yusuan store
export`` (the Data Package), its validation by ``frictionless``, and the ready data the
/trends/ page reads (``analytics.ready.ready_data``).

    .venv/bin/python bench/bench_store_export.py                     # 30 departments × 5 years
    .venv/bin/python bench/bench_store_export.py --departments 10 --years 2 --work /tmp/x

Prints the store's values, the package's files and sizes, and seconds (best of 3 for the export
and the ready data; one validation). Asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from common import best_of

from yusuan.analytics.package import export_package
from yusuan.analytics.ready import ready_data
from yusuan.analytics.store import build_store
from yusuan.synthetic_city import write_city


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--departments", type=int, default=30)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--work", type=Path, default=None, help="folder kept for inspection")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="yusuan-export-"))
    city, store, package = work / "city", work / "store", work / "package"
    for folder in (city, store, package):
        shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    write_city(city, departments=args.departments, years=args.years, seed=1)
    built = build_store(store, [city])
    print(
        f"city of {args.departments} departments × {args.years} years: {built.values:,} values "
        f"(generated and stored in {time.perf_counter() - start:.1f} s)"
    )
    export = best_of(3, lambda: export_package(store, package))
    size = sum(p.stat().st_size for p in package.rglob("*") if p.is_file())
    files = sum(1 for _ in package.rglob("*.csv"))
    print(
        f"  export        {export.wall:7.2f} s wall {export.cpu:7.2f} s CPU   "
        f"{files} CSV files, {size / 2**20:.1f} MiB, "
        f"{export.result.facts / export.wall:,.0f} values/s"
    )
    from frictionless import Package

    start, cpu = time.perf_counter(), time.process_time()
    report = Package(str(package / "datapackage.json")).validate()
    print(
        f"  validate      {time.perf_counter() - start:7.2f} s wall "
        f"{time.process_time() - cpu:7.2f} s CPU   valid={report.valid}, "
        f"errors={report.stats['errors']}"
    )
    ready = best_of(3, lambda: ready_data(store))
    rows = sum(len(r) for r in ready.result.views.values())
    print(f"  ready data    {ready.wall:7.2f} s wall {ready.cpu:7.2f} s CPU   {rows:,} rows")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
