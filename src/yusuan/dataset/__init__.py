"""Reading and writing datasets: a folder of CSV files with a manifest, or one XLSX workbook.

``read_dataset(path)`` returns ``(dataset, problems)``: the dataset is ``None`` when any problem
stands. ``load_dataset(path)`` raises ``DatasetError`` listing every problem instead.
"""

from __future__ import annotations

from pathlib import Path

from yusuan.dataset.assemble import RawDataset, assemble
from yusuan.dataset.folder import read_folder, write_folder
from yusuan.dataset.problems import DatasetError, Problem
from yusuan.dataset.workbook import read_workbook, write_workbook
from yusuan.model.records import Dataset


def is_workbook(path: Path) -> bool:
    return path.suffix.lower() in (".xlsx", ".xlsm")


def read_raw(path: Path) -> RawDataset:
    if is_workbook(path):
        return read_workbook(path)
    if path.is_dir():
        return read_folder(path)
    label = path.name
    return RawDataset(
        label,
        {},
        {},
        None,
        [],
        problems=[
            Problem(
                "not-found",
                str(path),
                0,
                "",
                "找不到数据集：应为包含 yusuan.toml 的文件夹或 .xlsx 工作簿",
                "dataset not found: expected a folder with yusuan.toml or an .xlsx workbook",
            )
        ],
    )


def read_dataset(path: Path | str) -> tuple[Dataset | None, list[Problem]]:
    return assemble(read_raw(Path(path)))


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


__all__ = ["DatasetError", "Problem", "load_dataset", "read_dataset", "save_dataset"]
