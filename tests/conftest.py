"""Shared fixtures: the example dataset, its tables and its project forms."""

from __future__ import annotations

import pytest

from paths import EXAMPLE
from yusuan.dataset import load_dataset
from yusuan.model.records import Dataset
from yusuan.tables import build_tables
from yusuan.tables.base import Table
from yusuan.tables.forms import ProjectForm, forms_of


@pytest.fixture(scope="session")
def example() -> Dataset:
    return load_dataset(EXAMPLE)


@pytest.fixture(scope="session")
def example_tables(example: Dataset) -> dict[str, Table]:
    return {t.id: t for t in build_tables(example)}


@pytest.fixture(scope="module")
def forms(example: Dataset) -> list[ProjectForm]:
    return forms_of(example)
