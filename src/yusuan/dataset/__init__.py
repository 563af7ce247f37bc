"""Reading and writing datasets: a folder of CSV files with a manifest, or one XLSX workbook.

``read_dataset(path)`` returns ``(dataset, problems)``: the dataset is ``None`` when any problem
stands. ``read_dataset_noticed(path)`` also returns the notices (an encoding other than UTF-8,
amounts converted from 万元) for the caller to show; the loader itself never prints.
``load_dataset(path)`` raises ``DatasetError`` listing every problem instead.
"""

from __future__ import annotations

from pathlib import Path

from yusuan.dataset.assemble import Loaded, RawDataset, assemble_loaded
from yusuan.dataset.folder import read_folder, write_folder
from yusuan.dataset.problems import DatasetError, Notice, Problem
from yusuan.dataset.schema import RECORD_KINDS
from yusuan.dataset.workbook import read_workbook, write_workbook
from yusuan.gcpause import cyclic_gc_paused
from yusuan.model.records import Dataset


def is_workbook(path: Path) -> bool:
    return path.suffix.lower() in (".xlsx", ".xlsm")


def _not_a_dataset(path: Path) -> RawDataset:
    if path.exists():
        zh = "不是数据集：应为包含 yusuan.toml 的文件夹或 .xlsx 工作簿"
        en = "not a dataset: expected a folder with yusuan.toml or an .xlsx workbook"
    else:
        zh = "找不到数据集：应为包含 yusuan.toml 的文件夹或 .xlsx 工作簿"
        en = "dataset not found: expected a folder with yusuan.toml or an .xlsx workbook"
    problem = Problem("not-found", str(path), 0, "", zh, en)
    return RawDataset(
        path.name,
        {},
        {},
        None,
        [],
        problems=[problem],
        manifest_unreadable=True,
        unreadable={kind.key for kind in RECORD_KINDS},
    )


def read_raw(path: Path) -> RawDataset:
    if is_workbook(path):
        return read_workbook(path)
    if path.is_dir():
        return read_folder(path)
    return _not_a_dataset(path)


def read_dataset_noticed(path: Path | str) -> Loaded:
    """The dataset (or ``None``), every problem and every notice."""
    with cyclic_gc_paused():  # records make no reference cycles (see yusuan.gcpause)
        return assemble_loaded(read_raw(Path(path)))


def read_dataset(path: Path | str) -> tuple[Dataset | None, list[Problem]]:
    loaded = read_dataset_noticed(path)
    return loaded.dataset, loaded.problems


def load_dataset(path: Path | str) -> Dataset:
    dataset, problems = read_dataset(path)
    if dataset is None:
        raise DatasetError(problems)
    return dataset


def save_dataset(dataset: Dataset, path: Path | str) -> None:
    """Write as a workbook when ``path`` ends in .xlsx, else as a folder."""
    target = Path(path)
    if is_workbook(target):
        write_workbook(dataset, target)
    else:
        write_folder(dataset, target)


__all__ = [
    "DatasetError",
    "Loaded",
    "Notice",
    "Problem",
    "load_dataset",
    "read_dataset",
    "read_dataset_noticed",
    "save_dataset",
]
