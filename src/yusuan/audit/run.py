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
from dataclasses import dataclass
from pathlib import Path

from yusuan.audit.document import ReadProblem, RecognisedDocument, to_subject
from yusuan.audit.readers import UnsupportedDocument, read_document
from yusuan.console import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, progress_bar
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
        return f"{self.body}{year}部门{self.kind or '预算'}"


def has_content(doc: RecognisedDocument) -> bool:
    """A table or form was recognised, or narrative text with the year it is about (a
    disclosure's 说明 published apart from its tables)."""
    return bool(doc.tables or doc.forms or (doc.narrative and doc.year))


def announced_none_read(doc: RecognisedDocument) -> bool:
    """Do the contents announce tables of which not one was read (identified)?"""
    return bool(doc.announced) and not any(t in doc.tables for t in doc.announced)


def document_kind(doc: RecognisedDocument) -> str:
    """预算 or 决算: what most of the recognised titles are; for a narrative alone, the word
    its text uses more ("" when nothing tells)."""
    finals = sum(1 for u in doc.unread if u.table_id.endswith("-final"))
    budgets = len(doc.tables) + (1 if doc.forms else 0)
    if not finals and not budgets:
        text = "".join(line.text for line in doc.narrative)
        finals, budgets = text.count("决算"), text.count("预算")
        if not finals and not budgets:
            return ""
    return "决算" if finals > budgets else "预算"


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
    """Read one document with the reader for its kind (``readers.read_document``)."""
    return read_document(path)


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
    except UnsupportedDocument as unsupported:
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
        report = run_rules(
            to_subject(doc), title=f"{doc.department}{doc.year}年部门{kind}（公开文件）"
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
) -> int:
    """``yusuan audit FILE... [--format text|json|html] [-o DIR] [--export-dataset DIR]``.

    Returns the exit status: 0 no fatal finding, 1 fatal findings in some document, 2 some
    input unreadable (or nothing to audit).
    """
    from rich.console import Console

    from yusuan.audit import report as out

    err = Console(stderr=True)
    if fmt not in out.FORMATS:
        err.print(f"未知的输出格式 / unknown format {fmt!r}; choose {', '.join(out.FORMATS)}")
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
        written = out.write_outputs(results, out_dir, fmt)
        sys.stdout.write(out.render_overview(results))
        sys.stdout.write(f"已写入 / written: {', '.join(str(p) for p in written)}\n")
    else:
        sys.stdout.write(out.render(results, fmt))

    if export_dataset is not None:
        from yusuan.audit.export import export_dataset as export

        for result, target in _export_folders(results, export_dataset):
            assert result.document is not None
            try:
                exported = export(result.document, target)
            except (ValueError, OSError) as failure:
                err.print(f"无法导出 / cannot export {result.path}: {failure}", markup=False)
                continue
            reproduced = ", ".join(exported.reproduced()) or "—"
            err.print(
                f"已导出数据集 / dataset exported: {target}（复现 reproduced: {reproduced}；"
                f"选定 {len(exported.choices)} 处，不能导出 gaps {len(exported.gaps)} 处）",
                markup=False,
                highlight=False,
            )
    return exit_status(results)
