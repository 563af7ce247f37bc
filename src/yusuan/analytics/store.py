"""The analytics store: every built or audited budget as one long Parquet table.

A store is a folder::

    STORE/parts/<key>.parquet   one file per source (a dataset or a document), key = its path
    STORE/facts.parquet         every part in one file, sorted by table: what queries read

Each row is one amount cell of one disclosure table: who (region, level, department, unit),
when and what (year, 预算/决算), where in the table (table, row, column) and the value in whole
分 (``value_fen``, int64; queries see ``value_yuan`` DECIMAL(20,2), see ``views``). Text and
quantity cells are not amounts and are not stored. The figures are the tables themselves: a
dataset's from ``tables.build_tables``, a document's as the audit read them, never recomputed.

Building again from the same source replaces its part (the key is the source's absolute path),
so a store never counts a source twice. Every file is written beside its target, then renamed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yusuan.tables.base import AMOUNT, Table

if TYPE_CHECKING:
    import pyarrow as pa

    from yusuan.audit.document import RecognisedDocument
    from yusuan.model.records import Dataset

PARTS, FACTS = "parts", "facts.parquet"
DATASET, DOCUMENT = "dataset", "document"
DOCUMENT_SUFFIXES = (".pdf", ".txt", ".xlsx")

# (name, arrow type name): the long table's columns, in order
COLUMNS: tuple[tuple[str, str], ...] = (
    ("source", "string"),
    ("source_kind", "string"),
    ("region", "string"),
    ("level", "string"),
    ("department_code", "string"),
    ("department", "string"),
    ("unit", "string"),
    ("year", "int16"),
    ("kind", "string"),
    ("table_id", "string"),
    ("table_number", "int16"),
    ("table_title", "string"),
    ("row_number", "int32"),
    ("row_code", "string"),
    ("row_name", "string"),
    ("row_level", "int16"),
    ("row_kind", "string"),
    ("column_key", "string"),
    ("column_label", "string"),
    ("value_fen", "int64"),
    ("column_number", "int16"),
)


# the order of facts.parquet's rows
SORT_ORDER = ("table_id", "row_kind", "row_level", "column_key")


class StoreError(ValueError):
    """A source that cannot go into the store, with why (Chinese / English)."""


@dataclass(frozen=True)
class SourceInfo:
    """What every row of one source shares: where it came from and whose budget it is.

    ``unit`` is the 单位 the tables are of; "" for a department's consolidated tables (all
    that yusuan builds and reads today)."""

    source: str
    source_kind: str
    region: str
    level: str
    department_code: str
    department: str
    year: int
    kind: str
    unit: str = ""


@dataclass
class BuildResult:
    """What a build wrote: the sources stored (with their value counts) and those refused."""

    stored: list[tuple[str, int]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def values(self) -> int:
        return sum(count for _, count in self.stored)


# --- rows (pure) ------------------------------------------------------------------------------


def source_name(path: Path) -> str:
    """A source's identity: its absolute path, symlinks kept (each link is its own source)."""
    return os.path.abspath(path)


def to_fen(value: Decimal) -> int | None:
    """An amount in 元 as whole 分; None for an amount with a fraction of a 分 (refused, never
    rounded)."""
    fen = value * 100
    return int(fen) if fen == fen.to_integral_value() else None


SHARED = (
    "source",
    "source_kind",
    "region",
    "level",
    "department_code",
    "department",
    "unit",
    "year",
    "kind",
)


def fact_columns(info: SourceInfo, tables: Iterable[Table]) -> dict[str, list[Any]]:
    """The long table of one source, column by column: one entry per amount cell with a value."""
    cells: dict[str, list[Any]] = {name: [] for name, _ in COLUMNS if name not in SHARED}
    for table in tables:
        amounts = [(n, c) for n, c in enumerate(table.columns, start=1) if c.kind == AMOUNT]
        for row_number, row in enumerate(table.rows, start=1):
            for column_number, column in amounts:
                value = row.values.get(column.key)
                if not isinstance(value, Decimal):
                    continue
                fen = to_fen(value)
                if fen is None:
                    raise StoreError(
                        f"{info.source} {table.id} 第{row_number}行 {column.key}："
                        f"金额 {value} 元不是整分 / amount {value} is not whole fen"
                    )
                for name, item in (
                    ("table_id", table.id),
                    ("table_number", table.number),
                    ("table_title", table.title),
                    ("row_number", row_number),
                    ("row_code", row.code),
                    ("row_name", row.name),
                    ("row_level", row.level),
                    ("row_kind", row.kind),
                    ("column_key", column.key),
                    ("column_label", column.label),
                    ("value_fen", fen),
                    ("column_number", column_number),
                ):
                    cells[name].append(item)
    count = len(cells["value_fen"])
    shared = {name: [getattr(info, name)] * count for name in SHARED}
    return {name: shared[name] if name in shared else cells[name] for name, _ in COLUMNS}


def dataset_info(dataset: Dataset, path: Path) -> SourceInfo:
    return dataset_source_info(dataset, source_name(path))


def dataset_source_info(dataset: Dataset, source: str) -> SourceInfo:
    """What the store records of a dataset's values, under the source name ``source``."""
    department = dataset.manifest.department
    return SourceInfo(
        source,
        DATASET,
        department.region,
        department.level,
        department.code,
        department.name,
        dataset.year,
        dataset.manifest.kind,
    )


def document_info(doc: RecognisedDocument, path: Path) -> SourceInfo:
    """A document names its department but prints no department code it can be trusted with
    (the seed's forms print the unit's, 104001, under 部门编码): the code stays empty."""
    from yusuan.audit.run import document_kind

    return SourceInfo(
        source_name(path), DOCUMENT, "", "", "", doc.department, doc.year, document_kind(doc)
    )


# --- files -------------------------------------------------------------------------------------


def arrow_schema() -> pa.Schema:
    import pyarrow as pa

    return pa.schema([(name, getattr(pa, kind)()) for name, kind in COLUMNS])


def source_key(source: str) -> str:
    """A file name for a source: the start of the SHA-256 of its name."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:24]


def part_path(store: Path, source: str) -> Path:
    return store / PARTS / f"{source_key(source)}.parquet"


def _write_parquet(path: Path, columns: Mapping[str, list[Any]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        pq.write_table(pa.table(dict(columns), schema=arrow_schema()), tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_part(store: Path, info: SourceInfo, tables: Iterable[Table]) -> int:
    """Store one source's tables, replacing what the store had from it; the values written."""
    columns = fact_columns(info, tables)
    _write_parquet(part_path(store, info.source), columns)
    return len(columns["value_fen"])


def store_dataset(store: Path, dataset: Dataset, path: Path) -> int:
    from yusuan.tables import build_tables

    return write_part(store, dataset_info(dataset, path), build_tables(dataset))


def store_document(store: Path, doc: RecognisedDocument, path: Path) -> int:
    """Store what was read from a document (its tables as read back); refused without a year."""
    if not doc.year:
        raise StoreError(f"{path}：没有找到预算年度 / no year found in the document")
    if not doc.tables:
        raise StoreError(f"{path}：没有识别出公开表 / no disclosure table was recognised")
    return write_part(store, document_info(doc, path), doc.tables.values())


def compact(store: Path) -> Path:
    """Write every part into ``facts.parquet`` (what queries read), replacing it atomically."""
    import duckdb

    target = store / FACTS
    parts = sorted((store / PARTS).glob("*.parquet")) if (store / PARTS).is_dir() else []
    if not parts:
        _write_parquet(target, {name: [] for name, _ in COLUMNS})
        return target
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with duckdb.connect() as con:
            con.execute("SET enable_progress_bar = false")
            files = [str(p) for p in parts]
            # sorted by what the views filter on, so that the row groups' min/max statistics let
            # a query skip every table but the one it reads
            con.execute(
                f"COPY (SELECT * FROM read_parquet(?, union_by_name = true) ORDER BY {', '.join(SORT_ORDER)}) "
                f"TO '{_sql_path(tmp)}' (FORMAT parquet)",
                [files],
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


# --- inputs ------------------------------------------------------------------------------------


def _is_dataset_folder(path: Path) -> bool:
    from yusuan.dataset.schema import MANIFEST_FILE

    return (path / MANIFEST_FILE).is_file()


def expand_inputs(paths: Sequence[Path]) -> list[Path]:
    """Datasets (folders with yusuan.toml, workbooks) and documents the paths name: files as
    given; a folder that is no dataset replaced by the datasets and documents below it."""
    found: list[Path] = []
    for path in paths:
        if not path.is_dir() or _is_dataset_folder(path):
            found.append(path)
            continue
        for folder, subfolders, files in os.walk(path):
            here = Path(folder)
            datasets = sorted(d for d in subfolders if _is_dataset_folder(here / d))
            found += [here / d for d in datasets]
            subfolders[:] = sorted(d for d in subfolders if d not in datasets)
            found += [here / f for f in sorted(files) if f.lower().endswith(DOCUMENT_SUFFIXES)]
    return list(dict.fromkeys(found))


def store_path(store: Path, path: Path) -> int:
    """Store one input: a dataset (folder, or a workbook that reads as one) or a document."""
    from yusuan.audit.readers import UnsupportedDocument, read_document
    from yusuan.dataset import read_dataset

    if path.is_dir() or path.suffix.lower() == ".xlsx":
        dataset, problems = read_dataset(path)
        if dataset is not None:
            return store_dataset(store, dataset, path)
        if path.is_dir():
            details = "; ".join(str(p) for p in problems[:3]) + ("; …" if len(problems) > 3 else "")
            raise StoreError(
                f"{path}：无法读取数据集，{len(problems)} 处错误（yusuan check 列出全部）/ "
                f"cannot read dataset, {len(problems)} problem(s) (yusuan check lists them all): "
                f"{details}"
            )
    if not path.exists():
        raise StoreError(f"{path}：文件不存在 / file not found")
    try:
        doc = read_document(path)
    except UnsupportedDocument as unsupported:
        raise StoreError(f"{path}：{unsupported}") from unsupported
    return store_document(store, doc, path)


def build_store(
    store: Path, paths: Sequence[Path], on_source: Callable[[int, int, Path], None] | None = None
) -> BuildResult:
    """Store every dataset and document the paths name, then compact; one bad source is a
    problem of the result, never the end of the build."""
    inputs = expand_inputs(paths)
    result = BuildResult()
    for index, path in enumerate(inputs):
        if on_source is not None:
            on_source(index, len(inputs), path)
        try:
            result.stored.append((source_name(path), store_path(store, path)))
        except StoreError as problem:
            result.problems.append(str(problem))
        except Exception as failure:  # a reader's failure must not stop the build
            result.problems.append(f"{path}：{type(failure).__name__}: {failure}")
    compact(store)
    return result


# --- one source at a time (the web application's publication) ----------------------------------

LOCK_FILE = ".lock"


@contextlib.contextmanager
def store_lock(store: Path) -> Iterator[None]:
    """Hold the store's lock (an exclusive ``flock`` on ``STORE/.lock``): writers that take it
    (threads or processes) write their part and compact one after the other."""
    import fcntl

    store.mkdir(parents=True, exist_ok=True)
    with (store / LOCK_FILE).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def replace_source(store: Path, info: SourceInfo, tables: Iterable[Table]) -> int:
    """Store one source's tables (replacing its part) and compact, under the store's lock; the
    values written. Queries see the old or the new ``facts.parquet``, never a half-written one."""
    with store_lock(store):
        count = write_part(store, info, tables)
        compact(store)
    return count
