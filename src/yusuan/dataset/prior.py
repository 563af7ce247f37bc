"""上年数据集: last year's dataset as the source of a dataset's prior-year figures.

A dataset names the previous year's dataset in ``yusuan.toml`` (``[budget] prior_dataset =
"../dept-2020"``, a path relative to the dataset's folder; for a workbook, to the folder the
workbook is in), or the command line gives it (``--prior DIR``, which wins over the manifest).
``with_prior(loaded, path, prior)`` reads that dataset, checks that it is the same department
one year earlier, and puts the figures its tables give (``tables.prior_figures.prior_figures``) into
``Dataset.prior_year``: one fact base, the prior year computed, never typed a second time.

``prior_year.csv`` may still be present. A row that gives a figure the previous dataset also
gives, with another amount, is a notice naming that row; the previous dataset's figure is
used, because it is what last year's published tables show (a typed figure that disagrees
with them is a typing error or another measure, such as an adjusted budget, that the tables
beside this year's would not show). Rows the previous dataset does not give (other keys) are
kept as typed.

Problems (each located: the manifest line or the ``--prior`` option): the previous dataset
cannot be read (its own problems, each prefixed), is not of ``fiscal year - 1``, or is another
department's.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from yusuan.dataset.assemble import Loaded
from yusuan.dataset.problems import Notice, Problem
from yusuan.dataset.schema import MANIFEST_FILE, PRIOR_YEAR
from yusuan.model.records import Dataset, PriorYearFigure

PRIOR_OPTION = "--prior"
MANIFEST_KEY = "prior_dataset"

# 三公 item names as written in prior_year.csv: brackets and quotes of either width alike
_THREE_PUBLIC = "三公经费"


def _key(figure: PriorYearFigure) -> tuple[str, str]:
    key = figure.key.strip()
    if figure.category == _THREE_PUBLIC:
        from yusuan.publish.narrative import three_public_key

        key = three_public_key(key) or key
    return figure.category, key


def _manifest_line(path: Path) -> int:
    """The line of ``prior_dataset`` in a folder's yusuan.toml (0 when not found)."""
    manifest = path / MANIFEST_FILE
    try:
        text = manifest.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return 0
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"^\s*{MANIFEST_KEY}\s*=", line):
            return number
    return 0


def prior_path(path: Path, dataset: Dataset, prior: Path | None) -> Path | None:
    """The previous year's dataset: ``prior`` (the option) or the manifest's, resolved."""
    if prior is not None:
        return prior
    if not dataset.manifest.prior_dataset:
        return None
    base = path if path.is_dir() else path.parent
    return base / dataset.manifest.prior_dataset


def _place(path: Path, from_option: bool) -> tuple[str, int, str]:
    """(file, line, field) where the previous dataset was named."""
    if from_option:
        return PRIOR_OPTION, 0, "上年数据集"
    if path.is_dir():
        return MANIFEST_FILE, _manifest_line(path), f"[budget] {MANIFEST_KEY}"
    return f"{path.name}:基本信息", 0, "上年数据集"


def with_prior(loaded: Loaded, path: Path, prior: Path | None = None) -> Loaded:
    """``loaded`` with the prior-year figures of the previous year's dataset, when one is named.

    Nothing changes when the dataset could not be read or names no previous dataset."""
    from yusuan.dataset import read_dataset_noticed
    from yusuan.tables.prior_figures import prior_figures

    dataset = loaded.dataset
    if dataset is None:
        return loaded
    where = prior_path(path, dataset, prior)
    if where is None:
        return loaded
    file, line, field = _place(path, prior is not None)
    label = str(prior if prior is not None else dataset.manifest.prior_dataset)

    def problem(code: str, zh: str, en: str) -> Problem:
        return Problem(code, file, line, field, zh, en)

    previous = read_dataset_noticed(where)
    if previous.dataset is None:
        problems = [
            problem(
                "prior-dataset",
                f"上年数据集“{label}”无法读取（{len(previous.problems)}处错误，见下）",
                f"the previous year's dataset {label!r} cannot be read "
                f"({len(previous.problems)} problem(s), below)",
            ),
            *(
                replace(p, file=f"{label}/{p.file}" if where.is_dir() else p.file)
                for p in previous.problems
            ),
        ]
        return Loaded(None, [*loaded.problems, *problems], loaded.notices)
    last = previous.dataset
    problems = []
    if last.year != dataset.year - 1:
        problems.append(
            problem(
                "prior-dataset-year",
                f"上年数据集“{label}”是{last.year}年的，应为{dataset.year - 1}年（本数据集为{dataset.year}年）",
                f"the previous year's dataset {label!r} is of {last.year}; expected "
                f"{dataset.year - 1} (this dataset is of {dataset.year})",
            )
        )
    this_department = dataset.manifest.department
    if last.manifest.department.code != this_department.code:
        problems.append(
            problem(
                "prior-dataset-department",
                f"上年数据集“{label}”是另一个部门的（{last.manifest.department.code} "
                f"{last.manifest.department.name}），应为{this_department.code} {this_department.name}",
                f"the previous year's dataset {label!r} is of another department "
                f"({last.manifest.department.code}); expected {this_department.code}",
            )
        )
    if problems:
        return Loaded(None, [*loaded.problems, *problems], loaded.notices)
    derived = prior_figures(last, label)
    merged, notices = merge_prior(derived, dataset.prior_year, label)
    return Loaded(
        replace(dataset, prior_year=tuple(merged)),
        loaded.problems,
        [*loaded.notices, *previous.notices, *notices],
    )


def merge_prior(
    derived: list[PriorYearFigure], typed: tuple[PriorYearFigure, ...], label: str
) -> tuple[list[PriorYearFigure], list[Notice]]:
    """The derived figures, then the typed ones they do not give; a notice for each typed
    figure that disagrees with the derived one (which is used)."""
    by_key = {_key(f): f for f in derived}
    kept = list(derived)
    notices = []
    for figure in typed:
        found = by_key.get(_key(figure))
        if found is None:
            kept.append(figure)
            continue
        if found.amount != figure.amount:
            notices.append(
                Notice(
                    figure.origin.file or PRIOR_YEAR.file,
                    f"上年数“{figure.category} {figure.key}”为{figure.amount}元，与上年数据集"
                    f"“{label}”的表计算得{found.amount}元不一致；采用上年数据集的数"
                    "（与上年公开的表一致），请改正或删除此行",
                    f"prior-year figure {figure.category} {figure.key} is {figure.amount}, but "
                    f"the previous year's dataset {label!r} gives {found.amount}; the dataset's "
                    "figure is used (it is what last year's published tables show): correct or "
                    "delete this row",
                    row=figure.origin.row,
                    column="金额（元）",
                )
            )
    return kept, notices


__all__ = ["MANIFEST_KEY", "PRIOR_OPTION", "merge_prior", "prior_path", "with_prior"]
