"""Shared fixtures: the example dataset and its tables."""

from __future__ import annotations

import pytest

from paths import EXAMPLE
from yusuan.dataset import load_dataset
from yusuan.model.records import Dataset
from yusuan.tables import build_tables
from yusuan.tables.base import Table


@pytest.fixture(scope="session")
def example() -> Dataset:
    return load_dataset(EXAMPLE)


@pytest.fixture(scope="session")
def example_tables(example: Dataset) -> dict[str, Table]:
    return {t.id: t for t in build_tables(example)}
