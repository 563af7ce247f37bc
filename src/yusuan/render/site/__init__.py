"""The offline web site: every table, form and chart as static pages that work from ``file://``.

``write_site(out_dir, ...)`` writes ``out_dir/site/``: an overview with key figures and charts
(ECharts, vendored under ``static/vendor/``), one page and one CSV per table, one page per project
form, an explanation page, a downloads page and a client-side search. The site is public: the
check's findings are never in it (``yusuan build`` writes them beside it, as a separate report),
and every file it offers for download is copied into ``site/downloads/``, so a site uploaded
alone keeps working.
Nothing is loaded from the network and nothing is fetched: chart data and the search index are
embedded in the pages as JSON. The site is written to a temporary folder and swapped into place
whole (``fsutil.atomic_directory``), so a reader never sees half a site.

The page content comes from ``views`` and ``overview`` (pure functions); this module only picks
the pages, renders the Jinja2 templates (autoescaped) and writes the files.
"""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined

from yusuan.consolidation.scope import ScopeWords, words
from yusuan.fsutil import atomic_directory
from yusuan.model.records import Department
from yusuan.render.site.overview import by_id, charts, key_figures
from yusuan.render.site.views import (
    csv_text,
    form_view,
    search_hint,
    search_index,
    table_view,
)
from yusuan.tables.base import Table
from yusuan.tables.forms import ProjectForm

__all__ = ["SITE_DIR", "build_pages", "write_site"]

SITE_DIR = "site"
DOWNLOADS_DIR = "downloads"  # inside the site: the files it offers, copied from ``out_dir``
STATIC = Path(__file__).resolve().parent / "static"


@dataclass(frozen=True, slots=True)
class Download:
    label: str
    href: str  # relative to the site's root folder
    name: str


@functools.cache
def environment() -> Environment:
    """The Jinja2 environment: autoescaped, strict about undefined names, compact JSON."""
    env = Environment(
        loader=PackageLoader("yusuan.render.site", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "separators": (",", ":")}
    return env


def download_link(label: str, path: str) -> Download:
    """A file placed in ``out_dir`` by another step, linked from ``out_dir/site/``."""
    parts = urlsplit(path)
    pure = PurePosixPath(path.replace("\\", "/"))
    if parts.scheme or parts.netloc or pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise ValueError(
            f"download {label!r}: {path!r} must be a path relative to out_dir, inside it "
            "(e.g. 'budget.pdf' or 'data/tables.json', not '../budget.pdf' or a URL)"
        )
    return Download(label, f"{DOWNLOADS_DIR}/" + quote(pure.as_posix()), pure.name)


def nav_items() -> list[tuple[str, str]]:
    items = [
        ("index.html", "概览"),
        ("tables/index.html", "公开表"),
        ("projects/index.html", "项目"),
        ("explanation.html", "说明"),
    ]
    items += [("downloads.html", "下载"), ("search.html", "搜索")]
    return items


def neighbours(pages: Sequence[str], index: int) -> tuple[str | None, str | None]:
    previous = pages[index - 1] if index > 0 else None
    following = pages[index + 1] if index + 1 < len(pages) else None
    return previous, following


def build_pages(
    *,
    title: str,
    tables: Sequence[Table],
    forms: Sequence[ProjectForm],
    narrative: Sequence[tuple[str, Sequence[str]]] = (),
    downloads: Sequence[tuple[str, str]] = (),
    department: Department | None = None,
    year: int | None = None,
    scope: ScopeWords | None = None,
) -> dict[str, str]:
    """Every generated file of the site (not the static assets): relative path -> text;
    ``scope`` gives a 单位预算's words (default: a 部门预算's)."""
    env = environment()
    links = [download_link(label, path) for label, path in downloads]
    table_views = [table_view(t, i) for i, t in enumerate(tables, start=1)]
    form_views = [form_view(f, i, len(forms)) for i, f in enumerate(forms, start=1)]
    indexed = by_id(tables)
    views_by_id = {v.id: v for v in reversed(table_views)}
    site_charts = charts(indexed)
    common: dict[str, Any] = {
        "site_title": title,
        "nav": nav_items(),
        "tables": table_views,
        "forms": form_views,
        "downloads": links,
        "views_by_id": views_by_id,
        "scope": scope or words(),
    }

    def render(template: str, path: str, **context: Any) -> str:
        depth = path.count("/")
        return env.get_template(template).render(common, root="../" * depth, page=path, **context)

    index = search_index(table_views, form_views)
    common["search_hint"] = search_hint(index)
    pages = {
        "index.html": render(
            "overview.html",
            "index.html",
            figures=key_figures(indexed),
            charts=site_charts,
            chart_data=[{"id": c.id, **c.data} for c in site_charts],
            search=index,
        ),
        "search.html": render("search.html", "search.html", search=index),
        "tables/index.html": render("tables_index.html", "tables/index.html"),
        "projects/index.html": render("projects_index.html", "projects/index.html"),
        "explanation.html": render("explanation.html", "explanation.html", narrative=narrative),
        "downloads.html": render("downloads.html", "downloads.html"),
    }
    table_pages = [v.page for v in table_views]
    for i, (view, table) in enumerate(zip(table_views, tables, strict=True)):
        pages[view.page] = render(
            "table.html", view.page, table=view, neighbours=neighbours(table_pages, i)
        )
        pages[view.csv] = csv_text(table, department, year)
    form_pages = [v.page for v in form_views]
    for i, form in enumerate(form_views):
        pages[form.page] = render(
            "project.html", form.page, form=form, neighbours=neighbours(form_pages, i)
        )
    return pages


def static_files() -> list[Path]:
    """The assets copied into every site (stylesheet, script, vendored ECharts and its licence)."""
    return sorted(p for p in STATIC.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def copy_downloads(
    source: Path, target: Path, downloads: Sequence[tuple[str, str]]
) -> list[PurePosixPath]:
    """Copy each download's top-level file or folder from ``source`` into ``target``; return the
    copied files relative to ``target``."""
    tops = sorted({PurePosixPath(path.replace("\\", "/")).parts[0] for _, path in downloads})
    copied: list[PurePosixPath] = []
    for top in tops:
        origin = source / top
        if origin.is_dir():
            shutil.copytree(origin, target / top)
            copied += [
                PurePosixPath(p.relative_to(target).as_posix())
                for p in sorted((target / top).rglob("*"))
                if p.is_file()
            ]
        elif origin.is_file():
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(origin, target / top)
            copied.append(PurePosixPath(top))
    return copied


def write_site(
    out_dir: Path,
    *,
    title: str,
    tables: Sequence[Table],
    forms: Sequence[ProjectForm],
    narrative: Sequence[tuple[str, Sequence[str]]] = (),
    downloads: Sequence[tuple[str, str]] = (),
    department: Department | None = None,
    year: int | None = None,
    scope: ScopeWords | None = None,
) -> list[Path]:
    """Write ``out_dir/site/`` whole (replacing an earlier one) and return the files written.

    ``downloads`` are (label, path relative to ``out_dir``) of files another step placed there:
    each is copied into ``site/downloads/`` (with the whole top-level folder it is in, so a Data
    Package keeps its resources); ``narrative`` is (heading, paragraphs) pairs for the 说明 page.
    """
    pages = build_pages(
        title=title,
        tables=tables,
        forms=forms,
        narrative=narrative,
        downloads=downloads,
        department=department,
        year=year,
        scope=scope,
    )
    target = Path(out_dir) / SITE_DIR
    assets = static_files()
    with atomic_directory(target) as tmp:
        os.chmod(tmp, 0o755)  # mkdtemp makes it private; a published site must be readable
        files = [tmp / rel for rel in pages] + [
            tmp / "static" / a.relative_to(STATIC) for a in assets
        ]
        for folder in sorted({f.parent for f in files}):
            folder.mkdir(parents=True, exist_ok=True)
        for rel, text in pages.items():
            (tmp / rel).write_text(text, encoding="utf-8")
        for asset in assets:
            shutil.copyfile(asset, tmp / "static" / asset.relative_to(STATIC))
        copied = copy_downloads(Path(out_dir), tmp / DOWNLOADS_DIR, downloads)
    written = [target / rel for rel in pages]
    written += [target / DOWNLOADS_DIR / rel for rel in copied]
    written += [target / "static" / a.relative_to(STATIC) for a in assets]
    return sorted(written)
