"""The audit run: read published documents, check them with the rules, report (``yusuan audit``).

``audit_paths(paths)`` expands folders (recursively: ``*.pdf``, ``*.txt``, ``*.xlsx``), reads
each document with ``yusuan.audit.readers.read_document`` (the reader for its kind), runs every
rule over it
(``run_rules(to_subject(doc))``) and returns one ``AuditResult`` per file. A file that cannot be
read becomes a result with its problems — the run never stops at one bad file.

``audit_command(...)`` is ``yusuan audit``: the results as text, JSON or HTML (``report``), with
``-o DIR`` the report files and ``summary.csv``, with ``--export-dataset DIR`` each readable
document as a dataset (``export``). Its return value is the exit status.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from yusuan.audit.document import (
    ReadProblem,
    RecognisedDocument,
    identify,
    to_subject,
    with_identity,
)
from yusuan.audit.readers import UnsupportedDocument, read_document
from yusuan.console import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, progress_bar
from yusuan.deadline import read_seconds, time_limit
from yusuan.fsutil import (
    InputNotAFile,
    UnsafeOutput,
    atomic_directory,
    check_input_file,
    check_new_file,
    check_output,
    check_replaceable_folder,
    mark_output,
    marked_folder,
)
from yusuan.rules.base import Severity
from yusuan.rules.engine import Report

SUFFIXES = (".pdf", ".txt", ".xlsx")

# status of one document; INCOMPLETE: its contents (目录) announce tables, and none was read
OK, FATAL, UNREADABLE, INCOMPLETE = "ok", "fatal", "unreadable", "incomplete"


@dataclass(frozen=True)
class AuditResult:
    """One document audited: what was read, the check report, and what could not be done.

    ``problems`` are the run's own problems with this file (not found, no reader, the reader
    failed, no year to choose the catalogues by); the reader's notes on what it decided are
    ``document.problems``.
    """

    path: Path
    document: RecognisedDocument | None
    report: Report | None
    problems: tuple[ReadProblem, ...] = ()
    seconds: float = 0.0

    @property
    def readable(self) -> bool:
        """Something was read: a table, a form, or the dated narrative of a disclosure."""
        return self.document is not None and has_content(self.document)

    @property
    def status(self) -> str:
        if not self.readable:
            return UNREADABLE
        if self.document is not None and announced_none_read(self.document):
            return INCOMPLETE
        if self.report is not None and self.report.has_fatal:
            return FATAL
        return OK

    @property
    def body(self) -> str:
        return self.document.department if self.document else ""

    @property
    def year(self) -> int:
        return self.document.year if self.document else 0

    @property
    def kind(self) -> str:
        return document_kind(self.document) if self.document else ""

    def count(self, severity: Severity) -> int:
        return self.report.count(severity) if self.report else 0

    @property
    def unreadable_pages(self) -> tuple[int, ...]:
        return unreadable_pages(self.document) if self.document else ()

    @property
    def title(self) -> str:
        """E.g. 中共临汾市委组织部2021年部门预算."""
        if not self.document or not (self.body or self.year):
            return self.path.name
        year = f"{self.year}年" if self.year else ""
        level = self.document.level or "部门"
        return f"{self.body}{year}{level}{self.kind or '预算'}"


def has_content(doc: RecognisedDocument) -> bool:
    """A table or form was recognised, or narrative text with the year it is about (a
    disclosure's 说明 published apart from its tables)."""
    return bool(doc.tables or doc.forms or (doc.narrative and doc.year))


def announced_none_read(doc: RecognisedDocument) -> bool:
    """Do the contents announce tables of which not one was read (identified)?"""
    return bool(doc.announced) and not any(t in doc.tables for t in doc.announced)


def document_kind(doc: RecognisedDocument) -> str:
    """预算 or 决算: what the document says it is (``document.identify``); "" when nothing tells."""
    return doc.kind or identify(doc).kind


def unreadable_pages(doc: RecognisedDocument) -> tuple[int, ...]:
    """Pages the reader could not decode (scans, (cid:…) glyphs), when its reader knows pages.

    The document's ``unreadable_pages`` when it has them; else the pages of the reader's
    document-level problems that say the page was not read (the PDF reader's form).
    """
    pages = getattr(doc, "unreadable_pages", None)
    if pages is None:
        pages = [
            p.page
            for p in doc.problems
            if p.page and not p.table and p.message_en.rstrip(". ").endswith("not read")
        ]
    return tuple(sorted({int(p) for p in pages}))


# --- reading -----------------------------------------------------------------------------------


def read_path(path: Path) -> RecognisedDocument:
    """Read one document with the reader for its kind (``readers.read_document``), refusing
    what is not a regular file and giving up after ``read_seconds()``; its body, year, kind and
    level as the document states them (``document.identify``)."""
    check_input_file(path)
    with time_limit(read_seconds()):
        return with_identity(read_document(path))


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders replaced by the documents below them (sorted, recursively)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
            )
        else:
            files.append(path)
    return list(dict.fromkeys(files))


def _problem(zh: str, en: str) -> ReadProblem:
    return ReadProblem(0, zh, en)


def audit_file(path: Path) -> AuditResult:
    """Read and check one document; every failure becomes a problem of the result."""
    start = time.perf_counter()
    if not path.exists():
        return AuditResult(path, None, None, (_problem("文件不存在", "file not found"),))
    try:
        doc = read_path(path)
    except (UnsupportedDocument, InputNotAFile) as unsupported:
        zh, _, en = str(unsupported).partition(" / ")
        return AuditResult(path, None, None, (_problem(zh, en or zh),), time.perf_counter() - start)
    except Exception as failure:  # a reader's failure must not stop the run
        detail = f"{type(failure).__name__}: {failure}"
        return AuditResult(
            path,
            None,
            None,
            (_problem(f"无法读取：{detail}", f"cannot read: {detail}"),),
            time.perf_counter() - start,
        )
    problems: list[ReadProblem] = []
    report: Report | None = None
    if not has_content(doc):
        problems.append(
            _problem(
                "没有识别出任何公开表或项目绩效目标表",
                "no disclosure table or project form was recognised",
            )
        )
    elif not doc.year:
        problems.append(
            _problem(
                "没有找到预算年度，无法选择分类目录，未检查",
                "no year found, so no catalogues to check against; not checked",
            )
        )
    else:
        from yusuan.rules import run_rules

        if announced_none_read(doc):
            problems.append(
                _problem(
                    f"目录列出{len(doc.announced)}张表，一张也没有读到",
                    f"the contents announce {len(doc.announced)} tables; none was read",
                )
            )
        elif not (doc.tables or doc.forms):
            problems.append(
                _problem(
                    "只有文字说明，没有识别出公开表或项目绩效目标表",
                    "narrative only: no disclosure table or project form was recognised",
                )
            )

        kind = document_kind(doc) or "预算"
        level = doc.level or "部门"
        report = run_rules(
            to_subject(doc), title=f"{doc.department}{doc.year}年{level}{kind}（公开文件）"
        )
    return AuditResult(path, doc, report, tuple(problems), time.perf_counter() - start)


def audit_paths(
    paths: Sequence[Path], on_file: Callable[[int, int, Path], None] | None = None
) -> list[AuditResult]:
    """Audit every document the paths name; ``on_file(index, total, path)`` before each one."""
    files = expand_paths(paths)
    results = []
    for index, path in enumerate(files):
        if on_file is not None:
            on_file(index, len(files), path)
        results.append(audit_file(path))
    return results


def exit_status(results: Sequence[AuditResult]) -> int:
    """2 when some input could not be read, else 1 when some document has fatal findings."""
    if not results or any(r.status in (UNREADABLE, INCOMPLETE) for r in results):
        return EXIT_INPUT
    if any(r.status == FATAL for r in results):
        return EXIT_FINDINGS
    return EXIT_OK


# --- the command -----------------------------------------------------------------------------


def _export_folders(results: Sequence[AuditResult], folder: Path) -> list[tuple[AuditResult, Path]]:
    """One export folder per readable document: ``folder`` itself for a single document,
    ``folder/<file stem>`` for several."""
    readable = [r for r in results if r.readable and r.year]
    if len(readable) == 1:
        return [(readable[0], folder)]
    used: set[str] = set()
    targets = []
    for result in readable:
        stem = result.path.stem
        name, n = stem, 2
        while name in used:
            name, n = f"{stem}-{n}", n + 1
        used.add(name)
        targets.append((result, folder / name))
    return targets


def audit_command(
    files: list[Path],
    fmt: str,
    out_dir: Path | None,
    export_dataset: Path | None,
    progress: bool,
    verbose: bool = False,
    tidy: Path | None = None,
) -> int:
    """``yusuan audit FILE... [--format text|json|html] [-o DIR] [--export-dataset DIR]``.

    Returns the exit status: 0 no fatal finding, 1 fatal findings in some document, 2 some
    input unreadable (or nothing to audit), an output place refused or an export failed.
    Before reading anything, ``-o`` and ``--export-dataset`` must be places yusuan may write
    (missing, empty or made by yusuan, not an input); ``-o`` is replaced whole, atomically.
    """
    from rich.console import Console

    from yusuan.audit import report as out

    err = Console(stderr=True)
    if fmt not in out.FORMATS:
        err.print(f"未知的输出格式 / unknown format {fmt!r}; choose {', '.join(out.FORMATS)}")
        return EXIT_INPUT
    try:
        if out_dir is not None:
            check_replaceable_folder(out_dir, sources=tuple(files))
        if export_dataset is not None:
            check_output(export_dataset, as_file=_is_workbook(export_dataset), sources=tuple(files))
        if tidy is not None:
            check_new_file(tidy, sources=tuple(files))
    except UnsafeOutput as refused:
        err.print(str(refused), markup=False, highlight=False)
        return EXIT_INPUT
    documents = expand_paths(files)
    if not documents:
        err.print(
            "没有找到要审计的文件 / no document to audit (*.pdf, *.txt, *.xlsx)", markup=False
        )
        return EXIT_INPUT
    if progress and len(documents) > 1:
        with progress_bar(err) as bar:
            task = bar.add_task("审计 auditing", total=len(documents))

            def on_file(index: int, total: int, path: Path) -> None:
                bar.update(task, completed=index, description=f"审计 auditing: {path.name}")

            results = audit_paths(documents, on_file)
            bar.update(task, completed=len(documents))
    else:
        results = audit_paths(documents)

    if out_dir is not None:
        with atomic_directory(out_dir) as tmp:
            written = [
                out_dir / p.relative_to(tmp)
                for p in out.write_outputs(results, tmp, fmt, verbose=verbose)
            ]
            mark_output(tmp)
        sys.stdout.write(out.render_overview(results))
        sys.stdout.write(f"已写入 / written: {', '.join(str(p) for p in written)}\n")
    else:
        sys.stdout.write(out.render(results, fmt, verbose=verbose))

    status = exit_status(results)
    if export_dataset is not None:
        from yusuan.audit.export import export_dataset as export
        from yusuan.audit.export import export_summary

        targets = _export_folders(results, export_dataset)
        if not targets:
            err.print(
                "没有可导出的文件（未读出表格或年度）/ nothing to export (no table or year read)",
                markup=False,
            )
            status = EXIT_INPUT
        if len(targets) > 1:  # the folder holding one folder per document
            export_dataset.mkdir(parents=True, exist_ok=True)
            mark_output(export_dataset)
        for result, target in targets:
            assert result.document is not None
            as_file = _is_workbook(target)
            try:
                check_output(target, as_file=as_file, sources=tuple(files))
                if as_file:
                    check_output(target.with_suffix(".export.md"), as_file=True)
                if as_file:
                    exported = export(result.document, target)
                else:
                    with marked_folder(target) as folder:
                        exported = export(result.document, folder)
                    exported = replace(exported, folder=target)
            except (ValueError, OSError, UnsafeOutput) as failure:
                err.print(f"无法导出 / cannot export {result.path}: {failure}", markup=False)
                status = EXIT_INPUT
                continue
            err.print(
                export_summary(target, exported), markup=False, highlight=False, soft_wrap=True
            )
    if tidy is not None:
        from yusuan.audit.tidy import write_tidy

        figures = write_tidy([(str(r.path), r.document) for r in results if r.document], tidy)
        err.print(
            f"已写入长表 / tidy table written: {tidy}（{figures} 个数 figures）",
            markup=False,
            highlight=False,
        )
    return status


def _is_workbook(path: Path) -> bool:
    from yusuan.dataset import is_workbook

    return is_workbook(path)
