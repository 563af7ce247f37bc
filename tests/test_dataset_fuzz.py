"""Fuzzing the reader: whatever the cells, headers, manifest or workbook hold, reading returns a
dataset or located problems (never another exception, never a hang), leaves the input as it was,
and a dataset it returns adds up to the exact sum of the input's own amount cells.

The expected sums are computed here from the raw text (CSV) or by openpyxl (workbooks), with
Decimal, independently of the reader. Bounded: a few hundred cases, well under 30 s.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from fuzzkit import (
    AMOUNT,
    AWKWARD_AMOUNTS,
    NASTY_TEXTS,
    book_sum,
    csv_sum,
    insert_raw,
    set_manifest_line,
    snapshot,
    write_cell,
    write_header,
)
from yusuan.dataset import read_dataset, save_dataset
from yusuan.dataset.problems import Problem
from yusuan.dataset.schema import LINES
from yusuan.synthetic import synthetic_dataset

LINES_FILE = LINES.file
FUZZ = settings(
    max_examples=40,
    deadline=5_000,  # a hang or a quadratic blow-up fails the case
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("fuzz") / "ds"
    save_dataset(synthetic_dataset(random.Random(3), lines=12, projects=2), folder)
    yield folder


@pytest.fixture(scope="module")
def base_book(base: Path) -> Path:
    dataset, _ = read_dataset(base)
    assert dataset is not None
    book = base.parent / "ds.xlsx"
    save_dataset(dataset, book)
    return book


def _located(problems: list[Problem]) -> None:
    assert problems, "no dataset and no problem"
    for problem in problems:
        assert problem.file and problem.message_zh and problem.message_en, problem


# --- what goes into the files ---------------------------------------------------------------------

nasty_text = st.one_of(st.text(max_size=12), st.sampled_from(NASTY_TEXTS))
amount_text = st.one_of(
    st.integers(-(10**16), 10**16).map(str),
    st.decimals(min_value=-(10**15), max_value=10**15, places=2, allow_nan=False).map(str),
    st.integers(0, 10**12).map(lambda n: f"{n:,}"),
    st.integers(0, 10**9).map(lambda n: f"{Decimal(n) / 100}万元"),
    st.integers(0, 10**6).map(lambda n: f"{n}元"),
    st.sampled_from(AWKWARD_AMOUNTS),
    nasty_text,
)


def _check(folder: Path, expected: object) -> None:
    """Read; a dataset must add up to ``expected()``, else the problems must be located."""
    before = snapshot(folder.parent)
    dataset, problems = read_dataset(folder)
    assert snapshot(folder.parent) == before, "the input was changed"
    if dataset is None:
        _located(problems)
        return
    assert problems == []
    assert sum((x.amount for x in dataset.lines), Decimal(0)) == expected()  # type: ignore[operator]


@FUZZ
@given(row=st.integers(0, 100), value=amount_text)
def test_any_amount_cell(base: Path, row: int, value: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ds"
        shutil.copytree(base, folder)
        write_cell(folder / LINES_FILE, row, list(LINES.headers).index(AMOUNT), value)
        _check(folder, lambda: csv_sum(folder / LINES_FILE))


@FUZZ
@given(row=st.integers(0, 100), column=st.integers(0, 8), value=nasty_text)
def test_any_text_cell_or_raw_bytes(base: Path, row: int, column: int, value: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ds"
        shutil.copytree(base, folder)
        path = folder / LINES_FILE
        insert_raw(path, row, column * 3, value)
        _check(folder, lambda: csv_sum(path))


@FUZZ
@given(column=st.integers(0, 9), header=nasty_text | st.sampled_from(list(LINES.headers)))
def test_any_header(base: Path, column: int, header: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ds"
        shutil.copytree(base, folder)
        path = folder / LINES_FILE
        write_header(path, column, header)
        _check(folder, lambda: csv_sum(path))


toml_value = st.one_of(
    st.sampled_from(['"x"', "1", "1.5", "true", "[]", "{}", '""', '"²⁰²¹"', "2021", '"2021"']),
    st.text(max_size=8),
)


@FUZZ
@given(line=st.integers(0, 60), value=toml_value, gbk=st.booleans())
def test_any_manifest(base: Path, line: int, value: str, gbk: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "ds"
        shutil.copytree(base, folder)
        set_manifest_line(folder / "yusuan.toml", line, value, "gb18030" if gbk else "utf-8")
        _check(folder, lambda: csv_sum(folder / LINES_FILE))


cell_value = st.one_of(
    st.none(),
    st.integers(-(10**16), 10**16),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.booleans(),
    amount_text,
)


@settings(FUZZ, max_examples=15)
@given(
    row=st.integers(2, 13), column=st.integers(1, 10), value=cell_value, flip=st.integers(-1, 4000)
)
def test_any_workbook(base_book: Path, row: int, column: int, value: object, flip: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "ds.xlsx"
        wb = load_workbook(base_book)
        try:
            cell = wb["预算明细"].cell(row=row, column=column, value=value)  # type: ignore[arg-type]
        except IllegalCharacterError:
            assume(False)  # a value no spreadsheet can hold
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"
        wb.save(book)
        expected = book_sum(book)  # a damaged copy must be refused or read as this one
        if flip >= 0:  # damage one byte of the zip
            data = bytearray(book.read_bytes())
            data[flip % len(data)] ^= 0x5A
            book.write_bytes(bytes(data))
        before = book.read_bytes()
        loaded, problems = read_dataset(book)
        assert book.read_bytes() == before
        if loaded is None:
            _located(problems)
            return
        assert sum((x.amount for x in loaded.lines), Decimal(0)) == expected
