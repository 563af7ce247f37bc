"""Batch audit on Dask: thousands of documents, on one machine or a cluster, resumable.

``yusuan audit DIR... --workers N [--scheduler ADDRESS] [--resume] [-o OUT] [--store STORE]``
hands each document to ``dask.distributed`` (a ``LocalCluster`` of N single-threaded worker
processes by default; ``--scheduler`` connects to a running cluster whose workers see the same
files). Dask schedules, balances and retries; yusuan only says what one document's work is:
``audit_one`` reads and checks it (``run.audit_file``, the same as ``yusuan audit``), writes its
report and, with a store, its tables to the analytics store.

Each document's result is kept on its own, as soon as it is done::

    OUT/documents/<key>.json   the document's audit JSON object (docs/audit.md)
    OUT/documents/<key>.done   its summary line; written last, so it marks the document done

A kill -9 loses at most the documents in flight. ``--resume`` skips every document with a
``.done`` file; a document done twice replaces its files (and its store part), never adds.
At the end ``OUT/summary.csv`` lists every document, done now or before.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yusuan.analytics.store import source_key, source_name
from yusuan.audit.run import FATAL, OK, UNREADABLE, expand_paths
from yusuan.console import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK
from yusuan.fsutil import atomic_write_text

DOCUMENTS = "documents"


@dataclass(frozen=True)
class DocumentSummary:
    """One document's line in the batch summary (what the ``.done`` file holds)."""

    source: str
    status: str
    pages: int
    seconds: float
    row: tuple[str, ...]  # its summary.csv row (report.SUMMARY_HEADERS)
    stored_values: int | None = None
    store_problem: str = ""

    def to_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> DocumentSummary:
        data = json.loads(text)
        data["row"] = tuple(data["row"])
        return cls(**data)


def result_paths(results: Path, source: str) -> tuple[Path, Path]:
    """The document's report file and its done marker."""
    key = source_key(source)
    return results / DOCUMENTS / f"{key}.json", results / DOCUMENTS / f"{key}.done"


def pages_read(document: Any, unreadable: Sequence[int]) -> int:
    """The last page the reader saw (text readers know no pages: 0)."""
    pages = [*getattr(document, "line_pages", {}).values(), *unreadable] if document else []
    return max(pages, default=0)


def audit_one(path: str, results: str, store: str | None = None) -> DocumentSummary:
    """One document's work, run on a worker: audit, keep the report, store the tables."""
    from yusuan.analytics.store import StoreError, store_document
    from yusuan.audit.report import document_object, summary_rows
    from yusuan.audit.run import audit_file

    result = audit_file(Path(path))
    stored, store_problem = None, ""
    doc = result.document
    if store is not None and doc is not None and doc.tables and doc.year:  # else nothing to store
        try:
            stored = store_document(Path(store), doc, Path(path))
        except StoreError as problem:
            store_problem = str(problem)
    summary = DocumentSummary(
        path,
        result.status,
        pages_read(result.document, result.unreadable_pages),
        round(result.seconds, 3),
        tuple(summary_rows([result])[0]),
        stored,
        store_problem,
    )
    report, done = result_paths(Path(results), path)
    atomic_write_text(report, json.dumps(document_object(result), ensure_ascii=False) + "\n")
    atomic_write_text(done, summary.to_json() + "\n")
    return summary


def done_summaries(results: Path, sources: Sequence[str]) -> dict[str, DocumentSummary]:
    """The documents among ``sources`` already done in ``results``."""
    done = {}
    for source in sources:
        marker = result_paths(results, source)[1]
        if marker.is_file():
            done[source] = DocumentSummary.from_json(marker.read_text(encoding="utf-8"))
    return done


def _failed(source: str, failure: BaseException) -> DocumentSummary:
    detail = f"{type(failure).__name__}: {failure}"
    row = (source, "", "", "", "0", "", "", "0", "0", "0", "", f"无法审计：{detail}")
    return DocumentSummary(source, UNREADABLE, 0, 0.0, row)


@dataclass(frozen=True)
class BatchResult:
    summaries: tuple[DocumentSummary, ...]  # those done before (resumed), then this run's
    skipped: int  # done before (--resume)
    failed: int  # tasks that failed on the cluster (not marked done: a resume retries them)
    seconds: float

    @property
    def audited(self) -> list[DocumentSummary]:
        """The documents done in this run."""
        return list(self.summaries[self.skipped :])

    def count(self, status: str) -> int:
        return sum(1 for s in self.summaries if s.status == status)

    @property
    def exit_status(self) -> int:
        if not self.summaries or self.count(UNREADABLE):
            return EXIT_INPUT
        return EXIT_FINDINGS if self.count(FATAL) else EXIT_OK


@contextlib.contextmanager
def dask_client(workers: int, scheduler: str | None) -> Iterator[Any]:
    """A client of the cluster at ``scheduler``, or of a new ``LocalCluster`` (closed after)."""
    import logging

    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:  # type: ignore[no-untyped-call]
            yield client
        return
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers,
            threads_per_worker=1,  # the readers hold the GIL: parallel means processes
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        yield client


def run_batch(
    paths: Sequence[Path],
    results: Path,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    resume: bool = False,
    store: Path | None = None,
    on_done: Callable[[int, int, str], None] | None = None,
) -> BatchResult:
    """Audit every document the paths name on Dask; ``on_done(done, total, source)`` after
    each one (the skipped ones count as done at the start)."""
    start = time.perf_counter()
    sources = [source_name(p) for p in expand_paths(paths)]
    before = done_summaries(results, sources) if resume else {}
    todo = [s for s in sources if s not in before]
    finished: dict[str, DocumentSummary] = dict(before)
    failed = 0
    if on_done is not None:
        on_done(len(before), len(sources), "")
    if todo:
        from distributed import as_completed

        (results / DOCUMENTS).mkdir(parents=True, exist_ok=True)
        with dask_client(workers, scheduler) as client:
            futures = client.map(
                audit_one,
                todo,
                results=str(results.absolute()),
                store=str(store.absolute()) if store else None,
                pure=False,
            )
            sources_of = {future.key: source for future, source in zip(futures, todo, strict=True)}
            for future in as_completed(futures):  # type: ignore[no-untyped-call]
                source = sources_of[future.key]
                try:
                    finished[source] = future.result()
                except Exception as failure:  # a worker lost, say: reported, retried on resume
                    finished[source] = _failed(source, failure)
                    failed += 1
                if on_done is not None:
                    on_done(len(finished), len(sources), source)
                future.release()
    if store is not None:
        from yusuan.analytics.store import compact

        compact(store)
    ordered = [finished[s] for s in sources if s in before] + [
        finished[s] for s in sources if s not in before
    ]
    return BatchResult(tuple(ordered), len(before), failed, time.perf_counter() - start)


def summary_csv(result: BatchResult) -> str:
    from yusuan.audit.report import SUMMARY_HEADERS

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(SUMMARY_HEADERS)
    writer.writerows(s.row for s in result.summaries)
    return "\ufeff" + buffer.getvalue()


def render_summary(result: BatchResult, workers: int) -> str:
    """The closing lines: what was done, how fast, what went wrong."""
    audited = result.audited
    pages = sum(s.pages for s in audited)
    busy = sum(s.seconds for s in audited)
    rate = f"{pages / result.seconds:.2f}" if result.seconds and pages else "—"
    lines = [
        f"文件 documents {len(result.summaries)}：本次审计 audited {len(audited)}，"
        f"跳过已完成 skipped (done before) {result.skipped}，失败 failed {result.failed}",
        f"无致命问题 ok {result.count(OK)} · 有致命问题 fatal {result.count(FATAL)} · "
        f"无法读取 unreadable {result.count(UNREADABLE)}",
        f"本次 this run：{pages} 页 pages，{result.seconds:.1f} s wall，"
        f"{busy:.1f} s in documents，{rate} pages/s（workers {workers}）",
    ]
    store_problems = [s for s in audited if s.store_problem]
    lines += [f"  未入库 not stored：{s.source}：{s.store_problem}" for s in store_problems]
    lines += [
        f"  无法读取 unreadable：{s.row[0]}：{s.row[-1]}" for s in audited if s.status == UNREADABLE
    ]
    return "\n".join(lines) + "\n"


def batch_command(
    files: Sequence[Path],
    out: Path | None,
    *,
    workers: int,
    scheduler: str | None,
    resume: bool,
    store: Path | None,
    progress: bool,
) -> int:
    """``yusuan audit DIR... --workers N [--scheduler ADDRESS] [--resume]``: the exit status."""
    import sys
    import tempfile

    from rich.console import Console

    from yusuan.console import progress_bar

    err = Console(stderr=True)
    if resume and out is None:
        err.print("--resume 需要 -o DIR（保存结果的文件夹）/ --resume needs -o DIR", markup=False)
        return EXIT_INPUT
    if not expand_paths(files):
        err.print(
            "没有找到要审计的文件 / no document to audit (*.pdf, *.txt, *.xlsx)", markup=False
        )
        return EXIT_INPUT
    with tempfile.TemporaryDirectory(prefix="yusuan-batch-") as scratch:
        results = out if out is not None else Path(scratch)
        kwargs: dict[str, Any] = {
            "workers": workers,
            "scheduler": scheduler,
            "resume": resume,
            "store": store,
        }
        if progress:
            with progress_bar(err) as bar:
                task = bar.add_task("审计 auditing", total=None)

                def on_done(done: int, total: int, source: str) -> None:
                    bar.update(task, completed=done, total=total)

                result = run_batch(files, results, on_done=on_done, **kwargs)
        else:
            result = run_batch(files, results, **kwargs)
        if out is not None:
            atomic_write_text(out / "summary.csv", summary_csv(result))
    sys.stdout.write(render_summary(result, workers))
    if out is not None:
        sys.stdout.write(f"已写入 / written: {out / DOCUMENTS}/, {out / 'summary.csv'}\n")
    return result.exit_status
