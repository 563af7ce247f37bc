"""Batch audit on Dask: killed with -9 and resumed, nothing is lost and nothing is done twice."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from paths import SHARED
from yusuan.analytics.query import run_query
from yusuan.audit.batch import run_batch
from yusuan.audit.report import summary_rows
from yusuan.audit.run import audit_file

REALDOCS = SHARED / "realdocs"
# three small real documents (12-15 pages each): two of tables, one narrative only
SMALL = (
    "jiangsu-cppcc-office-2019-budget-tables.pdf",
    "jiangsu-party-committee-office-2018-budget-tables.pdf",
    "jiangsu-party-committee-office-2017-budget.pdf",
)
SEED_TEXT = SHARED / "seed" / "000_f720d2529ea36f81.txt"
YUSUAN = [sys.executable, "-m", "yusuan.cli"]


def _audit(*args: str) -> list[str]:
    return [*YUSUAN, "audit", *args, "--no-progress"]


def _done(out: Path) -> dict[str, tuple[int, str]]:
    folder = out / "documents"
    if not folder.is_dir():
        return {}
    return {
        p.name: (p.stat().st_mtime_ns, p.read_text(encoding="utf-8")) for p in folder.glob("*.done")
    }


@pytest.mark.skipif(not REALDOCS.is_dir(), reason="needs ../shared/realdocs")
def test_a_killed_run_resumes_without_losing_or_repeating(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in SMALL:
        (docs / name).symlink_to(REALDOCS / name)
    out = tmp_path / "out"
    run = subprocess.Popen(
        _audit(str(docs), "--workers", "1", "-o", str(out)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its cluster's processes too, to kill them all with -9
    )
    try:
        deadline = time.monotonic() + 120
        while not _done(out) and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        os.killpg(run.pid, signal.SIGKILL)
        run.wait()
    before = _done(out)
    assert 1 <= len(before) < 3, "the run should be killed after its first document"

    resumed = subprocess.run(
        _audit(str(docs), "--workers", "1", "-o", str(out), "--resume"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert (
        f"本次审计 audited {3 - len(before)}，跳过已完成 skipped (done before) {len(before)}"
        in (resumed.stdout)
    )
    after = _done(out)
    assert len(after) == 3
    assert {name: after[name] for name in before} == before  # done once, never again
    rows = list(csv.reader(io.StringIO((out / "summary.csv").read_text("utf-8-sig"))))
    assert sorted(Path(row[0]).name for row in rows[1:]) == sorted(SMALL)
    years = {Path(row[0]).name: row[2] for row in rows[1:]}
    assert years == {SMALL[0]: "2019", SMALL[1]: "2018", SMALL[2]: "2017"}


def test_an_existing_cluster_audits_into_the_store(tmp_path: Path) -> None:
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
        result = run_batch(
            [SEED_TEXT],
            tmp_path / "out",
            scheduler=cluster.scheduler_address,
            store=tmp_path / "store",
        )
    assert result.failed == 0 and result.skipped == 0
    [summary] = result.summaries
    # the seed is real and has defects (its README): the same line as a plain `yusuan audit`
    assert summary.status == "fatal"
    assert list(summary.row) == summary_rows([audit_file(SEED_TEXT)])[0]
    _, rows = run_query(
        tmp_path / "store",
        "SELECT department, year, value_yuan FROM facts "
        "WHERE table_id = 'expenditure' AND row_kind = 'total' AND column_key = 'total'",
    )
    # the seed's 预算支出汇总表: 合计 12,347.83 万元
    assert rows == [("中共临汾市委组织部", 2021, Decimal("123478300.00"))]


@pytest.mark.parametrize(
    "options",
    [["--resume"], ["--workers", "1", "-f", "json"], ["--workers", "1", "--export-dataset", "x"]],
)
def test_batch_options_that_cannot_apply_are_refused(options: list[str]) -> None:
    from typer.testing import CliRunner

    from yusuan.cli import app

    result = CliRunner().invoke(app, ["audit", str(SEED_TEXT), *options])
    assert result.exit_code == 2
    assert "-o" in result.output or "--format" in result.output
