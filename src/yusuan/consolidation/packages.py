"""``yusuan build --each-unit``: the department's package and one 单位预算 package per unit, in
sub-folders of one output folder written whole (nothing is left when any package fails)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from yusuan.consolidation.restrict import restrict, with_unit_prior
from yusuan.consolidation.scope import words
from yusuan.fsutil import BUILD_MARKER, atomic_directory, check_replaceable_folder, safe_file_name
from yusuan.model.records import DEPARTMENT_SCOPE, UNIT_SCOPE, Dataset
from yusuan.publish.build import FORMATS, BuildResult, Step, build_package


def unit_folder(code: str, name: str) -> str:
    """A unit package's folder: its code and name, safe as a file name."""
    return safe_file_name(f"{code}-{name}")


def build_each_unit(
    dataset: Dataset,
    out_dir: Path,
    *,
    texts: Mapping[str, str] | None = None,
    force: bool = False,
    formats: Sequence[str] = FORMATS,
    on_step: Step | None = None,
    sources: tuple[Path, ...] = (),
    last_year: tuple[Dataset, str] | None = None,
) -> list[BuildResult]:
    """``out_dir/部门预算/`` (the department's package) and ``out_dir/单位预算/CODE-NAME/`` for
    every unit (its subtree's 单位预算); the folder names are the scopes' words. With
    ``last_year`` (the previous year's dataset and its label) each unit compares with its own
    last year."""
    check_replaceable_folder(out_dir, sources=sources)
    department_folder = safe_file_name(words(DEPARTMENT_SCOPE).budget)
    units_folder = safe_file_name(words(UNIT_SCOPE).budget)
    results: list[tuple[Path, BuildResult]] = []
    with atomic_directory(out_dir) as tmp:
        (tmp / BUILD_MARKER).write_text("yusuan build output\n", "utf-8")
        packages: list[tuple[Path, Dataset]] = [(Path(department_folder), dataset)]
        for unit in dataset.manifest.units:
            restricted = restrict(dataset, unit.code)
            if last_year is not None:
                restricted = with_unit_prior(restricted, last_year[0], unit.code, last_year[1])
            part = restricted.dataset
            packages.append((Path(units_folder) / unit_folder(unit.code, unit.name), part))
        for folder, data in packages:
            result = build_package(
                data, tmp / folder, texts=texts, force=force, formats=formats, on_step=on_step
            )
            results.append((folder, result))
    return [
        BuildResult(
            out_dir / folder,
            [out_dir / folder / f.relative_to(tmp / folder) for f in r.files],
            r.report,
            r.seconds,
        )
        for folder, r in results
    ]
