"""A synthetic city: generate, check and build (tables + store) N departments × Y years, then
time the store's ready views.

    .venv/bin/python bench/bench_city.py                      # 30 and 300 departments × 5 years
    .venv/bin/python bench/bench_city.py --departments 30 --years 2 --work /tmp/city

Prints seconds (wall and CPU) per stage, per department, and how the total grows from the
smallest city to the largest (linear is the goal); for the largest city's store the number of
values and each ready view's best time (of 5). Asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from common import best_of

from yusuan.analytics.store import build_store
from yusuan.analytics.views import READY_VIEWS, connect
from yusuan.dataset import load_dataset
from yusuan.rules import check_dataset
from yusuan.synthetic_city import write_city


def _stage(work: object) -> tuple[float, float, object]:
    start, cpu = time.perf_counter(), time.process_time()
    result = work() if callable(work) else None
    return time.perf_counter() - start, time.process_time() - cpu, result


def _check_all(folders: list[Path]) -> int:
    findings = 0
    for folder in folders:
        report = check_dataset(load_dataset(folder))
        findings += sum(1 for f in report.findings if f.rule != "ARITH-090")
    return findings


def city(departments: int, years: int, work: Path) -> dict[str, float]:
    out, store = work / f"city-{departments}", work / f"store-{departments}"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(store, ignore_errors=True)
    figures: dict[str, float] = {}
    wall, cpu, folders = _stage(
        lambda: write_city(out, departments=departments, years=years, seed=1)
    )
    figures["generate"], figures["generate_cpu"] = wall, cpu
    assert isinstance(folders, list)
    wall, cpu, alarms = _stage(lambda: _check_all(folders))
    figures["check"], figures["check_cpu"] = wall, cpu
    wall, cpu, built = _stage(lambda: build_store(store, [out]))
    figures["build"], figures["build_cpu"] = wall, cpu
    values = getattr(built, "values", 0)
    size = sum(p.stat().st_size for p in store.rglob("*.parquet"))
    print(
        f"\ncity of {departments} departments × {years} years = {len(folders)} datasets, "
        f"{values:,} values, store {size / 2**20:.1f} MiB, findings other than rounding: {alarms}"
    )
    for stage in ("generate", "check", "build"):
        wall, cpu = figures[stage], figures[f"{stage}_cpu"]
        print(
            f"  {stage:<9} {wall:8.1f} s wall {cpu:8.1f} s CPU   "
            f"{wall / departments:6.3f} s/department  {wall / len(folders):6.3f} s/dataset"
        )
    figures["total"] = sum(figures[s] for s in ("generate", "check", "build"))
    figures["total_cpu"] = sum(figures[f"{s}_cpu"] for s in ("generate", "check", "build"))
    print(f"  total     {figures['total']:8.1f} s wall {figures['total_cpu']:8.1f} s CPU")
    return figures


def views(store: Path) -> None:
    con = connect(store)
    (count,) = con.execute("SELECT count(*) FROM facts").fetchone() or (0,)
    print(f"\nready views over {count:,} values (best of 5, all rows fetched):")
    for name in ("facts", *READY_VIEWS):
        sql = (
            "SELECT year, sum(value_yuan) FROM facts GROUP BY year"
            if name == "facts"
            else f"SELECT * FROM {name}"
        )
        timing = best_of(5, lambda sql=sql: con.execute(sql).fetchall())
        label = "facts (sum by year)" if name == "facts" else name
        print(f"  {label:<28} {timing.wall * 1000:8.1f} ms  {len(timing.result):7,} rows")
    con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--departments", type=int, nargs="+", default=[30, 300])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--work", type=Path, default=None, help="folder kept for inspection")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="yusuan-city-"))
    sizes = sorted(args.departments)
    results = {n: city(n, args.years, work) for n in sizes}
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        growth = results[large]["total"] / results[small]["total"]
        growth_cpu = results[large]["total_cpu"] / results[small]["total_cpu"]
        print(
            f"\ngrowth {small} -> {large} departments (×{large / small:g}): "
            f"×{growth:.2f} wall, ×{growth_cpu:.2f} CPU (linear = ×{large / small:g})"
        )
    views(work / f"store-{sizes[-1]}")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
