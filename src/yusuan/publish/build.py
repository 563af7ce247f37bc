"""``yusuan build``: the whole disclosure package from one dataset — Excel, PDF, web site and
open data — so that none of them can disagree with another.

The package is written into a temporary folder and moved into place only when every part is
done; a build refuses to publish while a fatal finding stands, unless forced. The check's findings
(``检查结果.html``) are written beside the package for the department, never into the public site.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from yusuan.fsutil import (
    BUILD_MARKER,
    atomic_directory,
    check_replaceable_folder,
    safe_file_name,
)
from yusuan.fsutil import UnsafeOutput as UnsafeOutput  # where callers of build catch it
from yusuan.model.records import Dataset
from yusuan.rules import check_subject, subject_of_dataset
from yusuan.rules.engine import Report
from yusuan.tables.base import Table
from yusuan.tables.forms import ProjectForm

FORMATS = ("xlsx", "pdf", "docx", "data", "site")
MARKER = BUILD_MARKER
FINDINGS_FILE = "检查结果.html"
# format -> (module, function, download label) of the renderers that write one document
DOCUMENTS = {
    "pdf": ("yusuan.render.pdf", "pdf_bytes", "PDF 文件"),
    "docx": ("yusuan.render.docx", "docx_bytes", "Word 文档（可编辑）"),
}

Step = Callable[[str, int, int], None]


class BuildRefused(Exception):
    """A fatal finding stands and the build was not forced."""

    def __init__(self, report: Report) -> None:
        self.report = report
        super().__init__(
            f"存在 {report.count_fatal} 项致命问题，拒绝发布（可用 --force 强制生成并附检查结果）/ "
            f"{report.count_fatal} fatal finding(s): refusing to publish (use --force to publish with the findings)"
        )


@dataclass
class BuildResult:
    out_dir: Path
    files: list[Path]
    report: Report
    seconds: dict[str, float] = field(default_factory=dict)


def package_name(dataset: Dataset) -> str:
    """The package's title, e.g. 某某市委办公室2021年部门预算 (shown in documents); a unit's
    package is its 单位预算 (the words of the dataset's scope)."""
    from yusuan.consolidation.scope import words_of

    return f"{dataset.manifest.department.name}{dataset.year}年{words_of(dataset).budget}"


def build_package(
    dataset: Dataset,
    out_dir: Path,
    *,
    texts: Mapping[str, str] | None = None,
    force: bool = False,
    formats: Sequence[str] = FORMATS,
    on_step: Step | None = None,
    sources: tuple[Path, ...] = (),  # inputs that replacing out_dir must not remove
) -> BuildResult:
    """Check, then write every requested format into ``out_dir`` (replaced whole, atomically)."""
    from yusuan.publish.narrative import build_narrative
    from yusuan.rules.report import render_html

    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown formats {sorted(unknown)}; choose from {FORMATS}")
    check_replaceable_folder(out_dir, sources=sources)
    seconds: dict[str, float] = {}
    steps = ["check", "tables", *[f for f in FORMATS if f in formats]]
    done = 0

    def step(name: str) -> None:
        nonlocal done
        if on_step is not None:
            on_step(name, done, len(steps))
        done += 1

    start = time.perf_counter()
    step("check")
    # the check's subject holds the tables, forms and explanation the package is made of:
    # built once, checked, then published (the same values, not a second build)
    subject = subject_of_dataset(dataset)
    report = check_subject(subject)
    seconds["check"] = time.perf_counter() - start
    if report.has_fatal and not force:
        raise BuildRefused(report)

    start = time.perf_counter()
    step("tables")
    tables = list(subject.tables.values())
    forms = list(subject.forms)
    if texts is None or dict(texts) == subject.explanation_texts:
        # the dataset's own 说明 (说明.md or the 情况说明 sheet): the explanation the EXP rules read
        narrative = subject.written_explanation
    else:
        narrative = build_narrative(dataset, tables, texts)
    sections = [(s.heading, list(s.paragraphs)) for s in narrative.sections]
    seconds["tables"] = time.perf_counter() - start

    name = package_name(dataset)
    files: list[Path] = []
    with atomic_directory(out_dir) as tmp:
        (tmp / MARKER).write_text("yusuan build output\n", "utf-8")
        downloads: list[tuple[str, str]] = []
        if report.findings:
            # internal: beside the package for the department, never inside the public site
            (tmp / FINDINGS_FILE).write_text(render_html(report), "utf-8")
            files.append(out_dir / FINDINGS_FILE)
        for fmt in FORMATS:
            if fmt not in formats:
                continue
            start = time.perf_counter()
            step(fmt)
            written = _write_format(fmt, tmp, name, dataset, tables, forms, sections, downloads)
            files += [out_dir / p.relative_to(tmp) for p in written]
            seconds[fmt] = time.perf_counter() - start
    return BuildResult(out_dir, files, report, seconds)


def _write_format(
    fmt: str,
    tmp: Path,
    name: str,
    dataset: Dataset,
    tables: Sequence[Table],
    forms: Sequence[ProjectForm],
    sections: Sequence[tuple[str, Sequence[str]]],
    downloads: list[tuple[str, str]],
) -> list[Path]:
    from yusuan.consolidation.scope import words_of

    file_name = safe_file_name(name)  # a department like "../../pwn" must not leave tmp
    if fmt == "xlsx":
        from yusuan.render.xlsx import workbook_bytes

        path = tmp / f"{file_name}.xlsx"
        path.write_bytes(
            workbook_bytes(tables, forms, title=name, narrative=sections, scope=words_of(dataset))
        )
        downloads.append(("Excel 工作簿", path.name))
        return [path]
    if fmt in DOCUMENTS:
        # the PDF and the Word document take the same content (renderers imported when used)
        module, function, label = DOCUMENTS[fmt]
        render = getattr(importlib.import_module(module), function)
        path = tmp / f"{file_name}.{fmt}"
        subtitle = dataset.manifest.department.region
        path.write_bytes(
            render(
                tables,
                forms,
                title=name,
                subtitle=subtitle,
                narrative=sections,
                scope=words_of(dataset),
            )
        )
        downloads.append((label, path.name))
        return [path]
    if fmt == "data":
        from yusuan.publish.opendata import write_open_data

        written = write_open_data(tmp / "data", dataset, tables, forms)
        downloads.append(("开放数据 Data Package", "data/datapackage.json"))
        downloads.append(("全部表格 JSON", "data/tables.json"))
        return written
    from yusuan.render.site import write_site

    return write_site(
        tmp,
        title=name,
        tables=tables,
        forms=forms,
        narrative=sections,
        downloads=downloads,
        department=dataset.manifest.department,
        year=dataset.year,
        scope=words_of(dataset),
    )
