"""Batch audit on Dask: ../shared/realdocs repeated to N documents (symlinks), on 1 and 2
workers; then a run killed with -9 and resumed.

    .venv/bin/python bench/bench_batch_audit.py                       # 1,000 documents
    .venv/bin/python bench/bench_batch_audit.py --documents 102 --workers 1 2

Prints pages/s (wall) and CPU seconds of every process for each worker count, and for the
killed run what was done before the kill, what the resume did, and whether anything was lost
or done twice (every document has one done marker, the markers written before the kill are
untouched, the store holds each document's values once). Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REALDOCS = ROOT.parent / "shared" / "realdocs"
YUSUAN = [sys.executable, "-m", "yusuan.cli", "audit"]


def corpus(folder: Path, documents: int) -> list[Path]:
    """``documents`` symlinks to the real PDFs, round robin (each link is its own document)."""
    pdfs = sorted(REALDOCS.glob("*.pdf"))
    folder.mkdir(parents=True, exist_ok=True)
    links = []
    for index in range(documents):
        target = pdfs[index % len(pdfs)]
        link = folder / f"{index:05d}-{target.name}"
        link.symlink_to(target)
        links.append(link)
    return links


def done_markers(out: Path) -> dict[str, tuple[int, dict[str, object]]]:
    folder = out / "documents"
    if not folder.is_dir():
        return {}
    markers = {}
    for path in folder.glob("*.done"):
        markers[path.name] = (path.stat().st_mtime_ns, json.loads(path.read_text("utf-8")))
    return markers


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_run(docs: Path, out: Path, workers: int, *extra: str) -> tuple[float, float, str]:
    cpu = children_cpu()
    start = time.perf_counter()
    run = subprocess.run(
        [*YUSUAN, str(docs), "--workers", str(workers), "-o", str(out), "--no-progress", *extra],
        capture_output=True,
        text=True,
        check=False,
    )
    return time.perf_counter() - start, children_cpu() - cpu, run.stdout


def throughput(docs: Path, work: Path, workers: int, documents: int) -> None:
    out = work / f"out-{workers}"
    shutil.rmtree(out, ignore_errors=True)
    wall, cpu, _ = timed_run(docs, out, workers)
    markers = done_markers(out)
    pages = sum(int(m["pages"]) for _, m in markers.values())  # type: ignore[call-overload]
    in_documents = sum(float(m["seconds"]) for _, m in markers.values())  # type: ignore[arg-type]
    print(
        f"  {workers} worker(s): {len(markers)}/{documents} documents, {pages:,} pages in "
        f"{wall:7.1f} s wall = {pages / wall:6.2f} pages/s, {documents / wall:5.2f} documents/s; "
        f"CPU of all processes {cpu:7.1f} s = {pages / max(cpu, 1e-9):6.2f} pages per CPU s; "
        f"{in_documents / max(len(markers), 1):.2f} s per document in a worker"
    )


def kill_and_resume(docs: Path, work: Path, workers: int, documents: int) -> None:
    out, store = work / "out-killed", work / "store-killed"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(store, ignore_errors=True)
    command = [*YUSUAN, str(docs), "--workers", str(workers), "-o", str(out)]
    command += ["--store", str(store), "--no-progress"]
    start = time.perf_counter()
    run = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    wanted = max(1, documents // 4)
    while len(done_markers(out)) < wanted and run.poll() is None:
        time.sleep(0.1)
    os.killpg(run.pid, signal.SIGKILL)  # the run and its cluster's processes, all at once
    run.wait()
    killed_after = time.perf_counter() - start
    before = done_markers(out)
    in_flight = len(list((out / "documents").glob("*.json"))) - len(before)
    print(
        f"  killed with -9 after {len(before)} done "
        f"({in_flight} report(s) written for documents not yet marked done)"
    )
    wall, _, stdout = timed_run(docs, out, workers, "--resume", "--store", str(store))
    after = done_markers(out)
    untouched = all(after.get(name) == marker for name, marker in before.items())
    line = next((x for x in stdout.splitlines() if "本次审计" in x), stdout.strip()[:200])
    print(f"  resumed in {wall:.1f} s: {line}")
    pages = sum(int(m["pages"]) for _, m in after.values())  # type: ignore[call-overload]
    total = killed_after + wall
    print(
        f"  {workers} worker(s), killed run + resume: {pages:,} pages in {total:.1f} s wall "
        f"= {pages / total:.2f} pages/s (load average now {os.getloadavg()[0]:.1f})"
    )
    import duckdb

    parts = store / "parts"
    stored = sum(int(m.get("stored_values") or 0) for _, m in after.values())  # type: ignore[call-overload]
    [(rows,)] = duckdb.sql(f"SELECT count(*) FROM '{store / 'facts.parquet'}'").fetchall()
    print(
        f"  nothing lost: {len(after) == documents} ({len(after)}/{documents} done); "
        f"nothing done twice: {untouched} (markers written before the kill untouched); "
        f"store holds each document once: {rows == stored} "
        f"({rows:,} values, {len(list(parts.glob('*.parquet')))} parts)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--work", type=Path, default=None, help="folder kept for inspection")
    parser.add_argument(
        "--kill-only",
        action="store_true",
        help="skip the uninterrupted runs: only the run killed with -9 and its resume",
    )
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="yusuan-batch-"))
    docs = work / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    corpus(docs, args.documents)
    print(
        f"batch audit of {args.documents} documents (realdocs repeated), {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    for workers in [] if args.kill_only else args.workers:
        throughput(docs, work, workers, args.documents)
    kill_and_resume(docs, work, max(args.workers), args.documents)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
