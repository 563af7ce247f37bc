"""A budget's published disclosure, made by the core: the site pages (``render.site.build_pages``)
and the downloads (``publish.build.build_package``: XLSX, PDF, open data), built on demand and
cached. Pages never carry findings: reviewers see them on the review page.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from yusuan.publish.build import FINDINGS_FILE, build_package
from yusuan.publish.narrative import build_narrative
from yusuan.render.json_out import form_object, table_object
from yusuan.render.site import build_pages
from yusuan.render.site.views import form_slug, table_slug
from yusuan.tables import build_tables
from yusuan.tables.forms import forms_of
from yusuan.web.budgets import models as db
from yusuan.web.budgets.convert import context_stamp, dataset_of, texts_of

DOWNLOAD_FORMATS = ("xlsx", "pdf", "data")
_LABELS = {".xlsx": "Excel 工作簿", ".pdf": "PDF 文件", ".json": "JSON", ".csv": "CSV"}
_build_lock = threading.Lock()


@dataclass(frozen=True)
class Site:
    """The pages of one budget's site (path -> text) and each page's JSON object."""

    title: str
    pages: dict[str, str]
    objects: dict[str, Any]
    downloads: tuple[tuple[str, str], ...]


def fingerprint(budget: db.Budget) -> str:
    """Names one state of one budget (a published version never changes; a draft's revision does)."""
    text = budget.state_key
    # last year's budget and the catalogue year change the tables too
    text += f"|{context_stamp(budget)}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def package_dir(budget: db.Budget) -> Path:
    return Path(settings.PUBLISH_CACHE) / f"{budget.pk}-{fingerprint(budget)}"


def package_files(budget: db.Budget) -> list[str]:
    """The downloadable files (relative paths), building the package first when needed.

    The package is built with ``force`` (an imported or adjusted budget may carry findings the
    bureau accepted) and its findings file is never offered: findings stay internal.
    """
    out = package_dir(budget)
    with _build_lock:
        if not (out / "data").is_dir():
            build_package(dataset_of(budget), out, force=True, formats=DOWNLOAD_FORMATS)
    return sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and p.name != FINDINGS_FILE and not p.name.startswith(".")
    )


def download_label(path: str) -> str:
    name = Path(path).name
    return f"{_LABELS.get(Path(path).suffix, '文件')} {name}"


def _downloads(files: list[str]) -> tuple[tuple[str, str], ...]:
    wanted = [f for f in files if "/" not in f or f.endswith(("datapackage.json", "tables.json"))]
    return tuple((download_label(f), f) for f in wanted)


def _site(budget: db.Budget, *, internal: bool) -> Site:
    dataset = dataset_of(budget)
    tables = build_tables(dataset)
    forms = forms_of(dataset)
    narrative = build_narrative(dataset, tables, texts_of(budget))
    sections = [(s.heading, list(s.paragraphs)) for s in narrative.sections]
    # the internal preview (a draft under review) offers no downloads; the public site does
    downloads = () if internal else _downloads(package_files(budget))
    title = f"{dataset.manifest.department.name}{dataset.year}年部门预算"
    pages = build_pages(
        title=title,
        tables=tables,
        forms=forms,
        narrative=sections,
        downloads=downloads,
    )
    table_pages = {
        f"tables/{table_slug(t, i)}.html": table_object(t) for i, t in enumerate(tables, start=1)
    }
    form_pages = {
        f"projects/{form_slug(i, len(forms))}.html": form_object(f)
        for i, f in enumerate(forms, start=1)
    }
    contents = {
        "title": title,
        "department": {"code": dataset.manifest.department.code, "name": budget.department.name},
        "year": dataset.year,
        "version": budget.version,
        "tables": [
            {"number": t.number, "id": t.id, "title": t.title, "page": page}
            for page, t in zip(table_pages, tables, strict=True)
        ],
        "projects": [
            {"name": f.project.name, "page": page}
            for page, f in zip(form_pages, forms, strict=True)
        ],
        "downloads": [{"label": label, "path": path} for label, path in downloads],
    }
    objects: dict[str, Any] = {
        "index.html": contents,
        "tables/index.html": contents["tables"],
        "projects/index.html": contents["projects"],
        "downloads.html": contents["downloads"],
        "search.html": contents,
        "explanation.html": {
            "title": narrative.title,
            "sections": [{"heading": h, "paragraphs": p} for h, p in sections],
        },
        **table_pages,
        **form_pages,
    }
    return Site(title, pages, objects, downloads)


@functools.lru_cache(maxsize=32)
def _cached_site(budget_id: int, stamp: str, internal: bool) -> Site:
    return _site(
        db.Budget.objects.select_related("department__region").get(pk=budget_id), internal=internal
    )


def site_of(budget: db.Budget, *, internal: bool = False) -> Site:
    """The site of a budget, cached per budget state (public pages without findings)."""
    return _cached_site(budget.pk, fingerprint(budget), internal)


def latest_published(department_code: str, year: int) -> db.Budget | None:
    return (
        db.Budget.objects.select_related("department__region")
        .filter(department__code=department_code, year=year, status=db.Status.PUBLISHED)
        .order_by("-version")
        .first()
    )


def published_index() -> list[db.Budget]:
    """The latest published version of every department-year, by department then year."""
    seen: set[tuple[int, int]] = set()
    latest = []
    for budget in (
        db.Budget.objects.select_related("department")
        .filter(status=db.Status.PUBLISHED)
        .order_by("department__code", "-year", "-version")
    ):
        key = (budget.department_id, budget.year)
        if key not in seen:
            seen.add(key)
            latest.append(budget)
    return latest
