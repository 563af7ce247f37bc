"""Benchmark: the web application — public portal latency under a bounded request rate, and the
entry form's live check on a department of 1,000 budget lines.

Prints figures; asserts nothing. Run with ``.venv/bin/python bench/bench_web.py [--rate 200]
[--seconds 10] [--workers 2]``. Goals (issue #10): portal p99 < 100 ms at 200 requests/s on this
2-core machine against PostgreSQL; the live check < 300 ms for 1,000 lines.

The server is gunicorn on loopback (production settings shape: WhiteNoise, no debug) over a
PostgreSQL database made for this run at ``YUSUAN_POSTGRES_URL`` (default
``postgresql://postgres@127.0.0.1:5432``) and dropped afterwards; SQLite when no server answers.
Load is open-loop: requests are sent on a fixed schedule and each latency is measured from its
scheduled time, so a slow server cannot slow the load down and hide its own delay.
"""

from __future__ import annotations

import argparse
import http.client
import os
import queue
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, best_of

SERVER = os.environ.get("YUSUAN_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
PAGES = (
    "/",
    "/?format=json",
    "/p/104/2021/site/index.html",
    "/p/104/2021/site/tables/05-general-budget.html",
    "/p/104/2021/site/tables/05-general-budget.html?format=json",
    "/p/104/2021/site/projects/001.html",
)


def database_url() -> tuple[str, str]:
    """A fresh PostgreSQL database for this run (its URL and name), or ('', '') for SQLite."""
    try:
        import psycopg

        name = f"yusuan_bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"{SERVER}/{name}", name
    except Exception as error:  # any failure: fall back to SQLite, and say so
        print(f"PostgreSQL unavailable ({error}); using SQLite")
        return "", ""


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def get(connection: http.client.HTTPConnection, path: str) -> int:
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    return response.status


def load(port: int, rate: float, seconds: float, clients: int) -> tuple[list[float], int]:
    """Open-loop load: ``rate`` requests a second for ``seconds``; latencies from schedule."""
    tickets: queue.Queue[tuple[float, str] | None] = queue.Queue()
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while (ticket := tickets.get()) is not None:
            due, path = ticket
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            try:
                ok = get(connection, path) == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                ok = False
            elapsed = time.perf_counter() - due
            with lock:
                latencies.append(elapsed)
                errors[0] += not ok

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    start = time.perf_counter() + 0.2
    total = int(rate * seconds)
    rng = random.Random(1)
    for n in range(total):
        tickets.put((start + n / rate, rng.choice(PAGES)))
    for _ in threads:
        tickets.put(None)
    for thread in threads:
        thread.join()
    return latencies, errors[0]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def live_check_seconds(env: dict[str, str]) -> None:
    """The live check of one edited line in a synthetic department of 1,000 lines."""
    os.environ.update(env)
    import django

    django.setup()
    from yusuan.synthetic import synthetic_dataset
    from yusuan.web.budgets.convert import create_budget
    from yusuan.web.budgets.entry import line_findings, report_with_line

    dataset = synthetic_dataset(random.Random(7), lines=1_000, projects=100)
    budget = create_budget(dataset)
    line = budget.lines.order_by("row")[500]
    line.amount_fen += 100

    def check() -> object:
        return line_findings(report_with_line(budget, line), line.row)

    timing = best_of(5, check)
    one, five, fifteen = os.getloadavg()
    print(
        f"live check, {budget.lines.count()} lines, {budget.projects.count()} projects: "
        f"best {timing.wall * 1000:.0f} ms wall, {timing.cpu * 1000:.0f} ms CPU (goal < 300 ms; "
        f"load average {one:.1f} {five:.1f} {fifteen:.1f})"
    )
    # its parts: the budget read from the database as the core's dataset, then the rules
    from yusuan.rules import check_dataset
    from yusuan.web.budgets.convert import dataset_of

    read = best_of(5, lambda: dataset_of(budget))
    rules = best_of(5, lambda: check_dataset(read.result))
    print(
        f"  of which the budget read as a dataset: {read.wall * 1000:.0f} ms wall, "
        f"{read.cpu * 1000:.0f} ms CPU; check_dataset: {rules.wall * 1000:.0f} ms wall, "
        f"{rules.cpu * 1000:.0f} ms CPU"
    )


class _SkipPortal(Exception):
    """--live-only: the portal's load is not measured."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument(
        "--live-only", action="store_true", help="only the entry form's live check, no portal load"
    )
    args = parser.parse_args()

    url, name = database_url()
    data = Path(tempfile.mkdtemp(prefix="yusuan-bench-web-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "yusuan.web.settings",
        "YUSUAN_DATA": str(data),
    }
    if url:
        env["DATABASE_URL"] = url
    else:
        env.pop("DATABASE_URL", None)
    server = None
    try:
        subprocess.run(
            [sys.executable, "-c", "from yusuan.web.serve import prepare; list(prepare())"],
            env=env,
            check=True,
            cwd=ROOT,
        )
        if args.live_only:
            raise _SkipPortal
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "yusuan.web.wsgi",
                "--workers",
                str(args.workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        wait_for(port)
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        started = time.perf_counter()
        for _ in range(args.workers * 2):  # every worker builds its pages once
            for path in PAGES:
                get(warm, path)
        print(
            f"warm-up (the package and pages built once per worker): {time.perf_counter() - started:.1f} s"
        )
        latencies, errors = load(port, args.rate, args.seconds, args.clients)
        backend = "PostgreSQL" if url else "SQLite"
        print(
            f"portal on {backend}, gunicorn {args.workers} workers, {args.rate:.0f} req/s for "
            f"{args.seconds:.0f} s ({len(latencies)} requests, {errors} errors): "
            f"p50 {percentile(latencies, 50) * 1000:.1f} ms, p95 {percentile(latencies, 95) * 1000:.1f} ms, "
            f"p99 {percentile(latencies, 99) * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms, "
            f"mean {statistics.fmean(latencies) * 1000:.1f} ms (goal p99 < 100 ms)"
        )
    except _SkipPortal:
        pass
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    try:
        live_check_seconds({k: v for k, v in env.items() if isinstance(v, str)})
    finally:
        from django.db import connections

        connections.close_all()
        if name:
            drop_database(name)


if __name__ == "__main__":
    main()
